//! What a walk found — the verified checks, the confirmations, the notes, where it stopped — and
//! what follows from it: the exit code, the short summary on the terminal, the handover's data.
//! A walk that was quit or left a manual step not done is unfinished, and says what was not
//! done; it never ends with exit 0.

use crate::checks::steps::{self, Step};
use crate::config::Target;
use crate::exit::Exit;
use crate::guide::handover::{self, Answer, Confirmation, Handover, Verified};

use super::save::Written;
use crate::report::{self, CheckResult, Status, Summary};

/// Everything the walk found so far.
#[derive(Debug, Default)]
pub(super) struct Record {
    /// The latest result of every check run, with the time of its run.
    pub verified: Vec<Verified>,
    /// Every manual check and its answer, in report order once the walk ends.
    pub confirmations: Vec<Confirmation>,
    /// Things worth knowing, one sentence each.
    pub notes: Vec<String>,
    /// The step at which the person quit (or input ended).
    pub stopped_at: Option<&'static Step>,
    /// Steps skipped while their checks still failed.
    pub skipped: Vec<&'static Step>,
}

impl Record {
    fn results(&self) -> Vec<CheckResult> {
        self.verified.iter().map(|v| v.result.clone()).collect()
    }

    /// The manual checks not confirmed (answered no, not asked, no answer).
    fn unconfirmed(&self) -> impl Iterator<Item = &Confirmation> {
        self.confirmations
            .iter()
            .filter(|c| c.answer != Answer::Confirmed)
    }

    /// How the guide exits: as `check` would for the verified checks (0, 1, 3), and
    /// [`Exit::Unfinished`] when the walk was quit or a manual step is not done.
    pub fn exit(&self) -> Exit {
        let code = report::exit_code(&Summary::of(&self.results()), false);
        let checks = Exit::from_code(code).unwrap_or(Exit::Undecided);
        if self.stopped_at.is_some() || self.unconfirmed().next().is_some() {
            checks.worst(Exit::Unfinished)
        } else {
            checks
        }
    }

    /// What was not done, a sentence each; empty for a finished walk.
    pub fn not_done(&self) -> Vec<String> {
        let mut sentences = Vec::new();
        if let Some(stop) = self.stopped_at {
            let (first, _) = stop.range();
            let rest: Vec<u32> = steps::all()
                .iter()
                .map(|s| s.range().0)
                .filter(|&n| n >= first)
                .collect();
            sentences.push(format!(
                "Not done: {} (the guide was stopped at step {}).",
                steps::cited(&rest).unwrap_or_else(|| steps::label(&rest)),
                stop.number
            ));
        }
        let unconfirmed: Vec<String> = self
            .unconfirmed()
            .filter(|c| c.answer != Answer::NotAsked)
            .filter_map(|c| crate::checks::get(c.id))
            .map(|spec| spec.titled(&spec.title))
            .collect();
        if !unconfirmed.is_empty() {
            sentences.push(format!("Not confirmed: {}.", unconfirmed.join("; ")));
        }
        sentences
    }

    /// The end of a run on the terminal: a few lines, the checks that need attention by name.
    pub fn summary(&self) -> String {
        let results = self.results();
        let mut text = String::from("\n── Summary ──\n");
        text.push_str(&format!(
            "Verified by kraken-doctor: {}.\n",
            handover::counts(&Summary::of(&results))
        ));
        for r in results.iter().filter(|r| r.status != Status::Pass) {
            let titled =
                crate::checks::get(&r.id).map_or_else(|| r.title.clone(), |s| s.titled(&r.title));
            text.push_str(&format!("  {}: {titled}\n", r.status));
        }
        let confirmed = self.confirmations.len() - self.unconfirmed().count();
        text.push_str(&format!(
            "Confirmed by hand: {confirmed} of {}.\n",
            self.confirmations.len()
        ));
        for sentence in self.not_done() {
            text.push_str(&sentence);
            text.push('\n');
        }
        text
    }

    /// The handover's data.
    pub fn handover<'a>(&'a self, target: &'a Target, exit: Exit) -> Handover<'a> {
        Handover {
            target,
            written_at: crate::time::now_rfc3339(),
            verified: &self.verified,
            confirmations: &self.confirmations,
            notes: &self.notes,
            not_done: self.not_done(),
            exit,
        }
    }
}

/// The summary line that says where the handover went.
pub(super) fn written_line(written: &Written) -> String {
    match written {
        Written::New(path) => format!("Handover for your developers: {}\n", path.display()),
        Written::Replaced(path) => format!(
            "Handover for your developers: {} (replaced the earlier one: --force)\n",
            path.display()
        ),
        Written::Beside { existing, written } => format!(
            "Handover for your developers: {} ({} is from an earlier run and was kept; \
             --force replaces it)\n",
            written.display(),
            existing.display()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn confirmation(id: &'static str, answer: Answer) -> Confirmation {
        Confirmation { id, answer }
    }

    #[test]
    fn quitting_or_a_step_not_done_is_never_a_clean_exit() {
        let mut r = Record::default();
        assert_eq!(r.exit(), Exit::Clean);
        assert!(r.not_done().is_empty());
        r.confirmations
            .push(confirmation("manual.oauth-manager", Answer::Confirmed));
        assert_eq!(r.exit(), Exit::Clean);
        r.confirmations
            .push(confirmation("manual.skip-authorization", Answer::Denied));
        assert_eq!(r.exit(), Exit::Unfinished);
        assert_eq!(
            r.not_done(),
            ["Not confirmed: \"Skip authorization\" left unchecked (step 8)."]
        );
        let mut quit = Record {
            stopped_at: steps::of(6),
            ..Record::default()
        };
        quit.confirmations
            .push(confirmation("manual.allowed-uris", Answer::NotAsked));
        assert_eq!(quit.exit(), Exit::Unfinished);
        assert_eq!(
            quit.not_done(),
            ["Not done: steps 6, 7, 8, 10–11, 12, 13 (the guide was stopped at step 6)."]
        );
        let last = Record {
            stopped_at: steps::of(13),
            ..Record::default()
        };
        assert_eq!(
            last.not_done(),
            ["Not done: step 13 (the guide was stopped at step 13)."]
        );
    }
}
