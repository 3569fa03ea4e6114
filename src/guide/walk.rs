//! The walk: every documented step in order (`checks/steps.toml`), what to do on the support
//! site, then what the guide does at that step — ask for a confirmation, a credential or a data
//! target, or verify the checks that can see the step. The plan says only what happens when;
//! the step texts and which checks verify a step come from the checks registry.

use crate::checks::CheckId;
use crate::checks::steps::{self, Step};
use crate::config;
use crate::guide::handover::{Answer, Confirmation};
use crate::kraken::model::{Environment, kraken_name};

use super::Guide;

/// Go on, or stop the walk (the person quit, or input ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    Next,
    Quit,
}

/// What the guide does at a step, after saying what to do there.
#[derive(Debug, Clone, Copy)]
enum Action {
    /// Ask a person to confirm the step's manual checks.
    Confirm,
    /// Ask for the client id (or show the one given).
    ClientId,
    /// Ask for the secret with hidden input (or say it was given).
    Secret,
    /// Run these checks now.
    Verify(&'static [CheckId]),
    /// Show the client id to hand over, then confirm.
    HandOver,
    /// Ask for a data target, then run these checks: the end-to-end read.
    FirstRead(&'static [CheckId]),
    /// Nothing yet: a later step verifies it.
    Later,
}

/// The checks run once the credentials are entered: everything the token endpoint shows.
pub(super) const CREDENTIAL_CHECKS: &[CheckId] = &[
    CheckId::AuthReachable,
    CheckId::AuthToken,
    CheckId::AuthConfidential,
    CheckId::AuthMethods,
    CheckId::AuthTokenLifetime,
];
/// The checks run after the role and permission steps.
pub(super) const PERMISSION_CHECKS: &[CheckId] = &[
    CheckId::ApiTokenAccepted,
    CheckId::PermCanQueryProperty,
    CheckId::PermCanViewDetailedUsage,
    CheckId::PermExact,
];
/// The end-to-end read, with the permission only a read can prove.
pub(super) const DATA_CHECKS: &[CheckId] =
    &[CheckId::PermCanViewDetailedUsage, CheckId::DataMeasurements];

/// Each documented step, by its first number, and what the guide does there.
const PLAN: [(u32, Action); 11] = [
    (0, Action::Confirm),
    (1, Action::ClientId),
    (3, Action::Later),
    (4, Action::Secret),
    (5, Action::Verify(CREDENTIAL_CHECKS)),
    (6, Action::Confirm),
    (7, Action::Later),
    (8, Action::Confirm),
    (10, Action::HandOver),
    (12, Action::Verify(PERMISSION_CHECKS)),
    (13, Action::FirstRead(DATA_CHECKS)),
];

/// The step of the plan at which the guide runs check `id`.
fn verified_at(id: CheckId) -> Option<&'static Step> {
    PLAN.iter().find_map(|(n, action)| match action {
        Action::Verify(ids) | Action::FirstRead(ids) if ids.contains(&id) => steps::of(*n),
        _ => None,
    })
}

impl Guide {
    /// The walk, step by step; stops early when the person quits.
    pub(super) fn walk(&mut self) {
        let intro = format!(
            "kraken-doctor {} guide: set up an OAuth application for the Measurements API\n\
             Kraken: {}\n\
             Environment: {}\n\
             Each step says what to do on the Kraken support site; kraken-doctor verifies the \
             steps it can see from outside. Answer q at any question to stop.\n",
            env!("CARGO_PKG_VERSION"),
            kraken_name(&self.target.graphql_url),
            Environment::of(&self.target.graphql_url).describe(),
        );
        self.say(&intro);
        let mut done = 0;
        for (n, action) in PLAN {
            let Some(step) = steps::of(n) else { continue };
            // A number the Kraken guide skips is said, not passed over in silence.
            for gap in steps::gaps()
                .iter()
                .filter(|g| (done + 1..n).contains(&g.number))
            {
                let line = format!("\n── Step {} ──\n{}\n", gap.number, gap.says);
                self.say(&line);
            }
            done = step.range().1;
            let does = step.does_for(
                self.target.token_url.as_str(),
                self.target.graphql_url.as_str(),
            );
            let heading = format!("\n── Step {} · {} ──\n{does}\n", step.number, step.title);
            self.say(&heading);
            if self.act(step, action) == Flow::Quit {
                self.record.stopped_at = Some(step);
                break;
            }
        }
        // Manual items never reached are listed as not asked.
        for spec in crate::checks::all().iter().filter(|c| c.confirm.is_some()) {
            if !self.record.confirmations.iter().any(|c| c.id == spec.id) {
                self.record.confirmations.push(Confirmation {
                    id: spec.id.as_str(),
                    answer: Answer::NotAsked,
                });
            }
        }
        let order = crate::checks::ids();
        self.record
            .confirmations
            .sort_by_key(|c| order.iter().position(|id| *id == c.id));
    }

    fn act(&mut self, step: &'static Step, action: Action) -> Flow {
        match action {
            Action::Confirm => self.confirm(step),
            Action::ClientId => self.client_id_step(),
            Action::Secret => {
                self.later(step);
                self.secret_step()
            }
            Action::Verify(ids) => self.verify(step, ids),
            Action::HandOver => {
                let line = format!("  client id to hand over: {}\n", self.target.client_id);
                self.say(&line);
                self.confirm(step)
            }
            Action::FirstRead(ids) => self.first_read(step, ids),
            Action::Later => {
                self.later(step);
                Flow::Next
            }
        }
    }

    /// Say at which later step kraken-doctor verifies `step`.
    fn later(&mut self, step: &'static Step) {
        let at: Vec<&str> = step
            .checks()
            .iter()
            .filter_map(|c| verified_at(c.id))
            .map(|s| s.number.as_str())
            .collect();
        if let Some(first) = at.first() {
            let line = format!("  kraken-doctor checks this at step {first}.\n");
            self.say(&line);
        }
    }

    /// A manual step: ask y/n (or read the answers file) for each of its manual checks.
    fn confirm(&mut self, step: &'static Step) -> Flow {
        for spec in step.checks().into_iter().filter(|c| c.confirm.is_some()) {
            let answer = match &self.answers {
                Some(a) => {
                    let answer = match a.for_check(spec.id) {
                        Some(true) => Answer::Confirmed,
                        Some(false) => Answer::Denied,
                        None => Answer::NoAnswer,
                    };
                    let line = match answer {
                        Answer::Confirmed => "  confirmed (answers file)\n",
                        Answer::Denied => "  NOT confirmed (the answers file says no)\n",
                        _ => "  NOT confirmed (no answer in the answers file)\n",
                    };
                    self.say(line);
                    answer
                }
                None => match self.console.choose(
                    "  Done as described? [y/n, q quits] ",
                    &["yes", "no", "quit"],
                    "  please answer y or n (q quits)\n",
                ) {
                    None | Some("quit") => return Flow::Quit,
                    Some("yes") => Answer::Confirmed,
                    _ => {
                        self.say("  recorded as not done\n");
                        Answer::Denied
                    }
                },
            };
            self.record.confirmations.push(Confirmation {
                id: spec.id.as_str(),
                answer,
            });
        }
        Flow::Next
    }

    /// Steps 1–2: the client id, asked for unless a flag, variable or profile gave it.
    fn client_id_step(&mut self) -> Flow {
        if !self.ask_client_id {
            let line = format!("  client id: {} (given)\n", self.target.client_id);
            self.say(&line);
            return Flow::Next;
        }
        self.prompt_client_id(None)
    }

    /// Ask for the client id until it is valid; with `keep`, Enter keeps that one.
    pub(super) fn prompt_client_id(&mut self, keep: Option<String>) -> Flow {
        let hint = match &keep {
            Some(_) => "  Type the client id again, or press Enter to keep it.\n",
            None => "  Copy the client id from the application's page.\n",
        };
        self.say(hint);
        loop {
            let prompt = match &keep {
                Some(k) => format!("  Client id [{k}]: "),
                None => "  Client id: ".to_string(),
            };
            let Some(typed) = self.console.ask(&prompt) else {
                return Flow::Quit;
            };
            let typed = match (&keep, typed.is_empty()) {
                (Some(k), true) => k.clone(),
                _ => typed,
            };
            if typed.eq_ignore_ascii_case("q") {
                return Flow::Quit;
            }
            match crate::config::client_id(&typed, "the guide's prompt") {
                Ok((id, notes)) => {
                    self.target.client_id = id;
                    for note in notes {
                        self.say(&format!("  note: {note}\n"));
                        self.target.notes.push(note);
                    }
                    return Flow::Next;
                }
                Err(e) => self.say(&format!("  {e}\n")),
            }
        }
    }

    /// Step 4: the secret, asked for with hidden input unless it came from elsewhere.
    fn secret_step(&mut self) -> Flow {
        if !self.ask_secret {
            self.say("  secret: given (not shown)\n");
            return Flow::Next;
        }
        self.prompt_secret(false)
    }

    /// Ask for the secret (hidden) until it is usable; with `keep`, Enter keeps the last one.
    pub(super) fn prompt_secret(&mut self, keep: bool) -> Flow {
        self.say(if keep {
            "  Type the secret again (it stays hidden), or press Enter to keep the one typed \
             before.\n"
        } else {
            "  Paste the secret and press Enter; it stays hidden.\n"
        });
        loop {
            let prompt = "  Client secret: ";
            let Some(typed) = self.console.ask_hidden(prompt) else {
                return Flow::Quit;
            };
            if keep && typed.is_empty() {
                return Flow::Next;
            }
            // A Kraken secret is long and random: a lone `q` is the person stopping.
            if typed.expose().eq_ignore_ascii_case("q") {
                return Flow::Quit;
            }
            let origin = "the guide's prompt";
            let given =
                config::secrets::secret_from_text(typed.expose(), origin, false).and_then(|g| {
                    config::pasted::not_the_client_id(&g.secret, &self.target.client_id, origin)
                        .map(|()| g)
                });
            match given {
                Ok(given) => {
                    let secret = given.secret;
                    self.redactor.add(&secret);
                    self.redactor.add_basic(&self.target.client_id, &secret);
                    let notes: Vec<String> = given
                        .notes
                        .into_iter()
                        .chain(crate::secret::weak_secret(&secret))
                        .collect();
                    for note in &notes {
                        self.say(&format!("  note: {note}\n"));
                    }
                    self.target.notes.extend(notes);
                    self.target.client_secret = secret;
                    return Flow::Next;
                }
                Err(e) => self.say(&format!("  {e}\n")),
            }
        }
    }

    /// Step 13: an end-to-end read when a property id or supply point is known or given.
    fn first_read(&mut self, step: &'static Step, ids: &[CheckId]) -> Flow {
        if self.target.data.is_empty() && self.interactive() {
            self.say(
                "  To read one measurement now, give a property id or an MPAN (13 digits); \
                 Enter skips.\n",
            );
            loop {
                let Some(typed) = self.console.ask("  Property id or MPAN: ") else {
                    return Flow::Quit;
                };
                if typed.is_empty() {
                    break;
                }
                if typed.chars().any(char::is_control) {
                    self.say("  that has control characters; type it again\n");
                    continue;
                }
                if typed.len() == 13 && typed.bytes().all(|b| b.is_ascii_digit()) {
                    self.target.data.supply_point = Some(typed);
                } else {
                    self.target.data.property_id = Some(typed);
                }
                break;
            }
        }
        if self.target.data.is_empty() {
            self.say("  no property id or MPAN given: no measurement was read\n");
            self.record.notes.push(
                "Step 13: no property id or MPAN was given, so no measurement was read.".into(),
            );
            return Flow::Next;
        }
        self.verify(step, ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks;

    #[test]
    fn the_plan_walks_every_documented_step_once_and_runs_registered_checks() {
        let planned: Vec<&str> = PLAN
            .iter()
            .map(|(n, _)| steps::of(*n).expect("a documented step").number.as_str())
            .collect();
        let documented: Vec<&str> = steps::all().iter().map(|s| s.number.as_str()).collect();
        assert_eq!(planned, documented);
        // Every check is either run or confirmed by the guide.
        for spec in checks::all() {
            assert!(
                spec.confirm.is_some() || verified_at(spec.id).is_some(),
                "{} is neither verified nor confirmed by the guide",
                spec.id
            );
        }
        assert_eq!(verified_at(CheckId::AuthConfidential).unwrap().number, "5");
        assert_eq!(verified_at(CheckId::PermExact).unwrap().number, "12");
    }
}
