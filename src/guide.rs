//! `kraken-doctor guide`: walks the OAuth manager through the documented setup (steps 0–13 of
//! "Third party integration with Measurements") on a terminal, says for each step what to do
//! on the support site, verifies at once every step a probe can see (with the same checks as
//! `check`, run through [`runner::run`] on a subset), lets the person fix and retry a step
//! without starting over, and ends with a handover summary for the developers, printed and
//! written as Markdown.
//!
//! Without a terminal it refuses (exit 2) unless `--answers FILE` supplies the manual
//! confirmations; it then runs straight through. The client secret is asked for with hidden
//! input, lives only in a [`Secret`], and every text shown or written goes through the run's
//! [`Redactor`].

use std::io::{BufRead, IsTerminal};
use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use serde::Deserialize;

use crate::checks::{self, Selection};
use crate::commands::{self, grant_wait, print_result as out, usage_error};
use crate::config::{self, ConfigError, GuideConfig, NetOptions, Target};
use crate::exit::Exit;
use crate::kraken::http::stderr_sink;
use crate::redact::Redactor;
use crate::report::{self, CheckResult, Status, Summary};
use crate::runner::{self, RunOptions};
use crate::secret::Secret;

/// The checks verified right after the credentials are entered (steps 3, 4, 5).
pub const CREDENTIAL_CHECKS: &[&str] = &[
    "auth.reachable",
    "auth.token",
    "auth.confidential",
    "auth.methods",
];
/// The checks verified after the role and permission steps (7, 12).
pub const PERMISSION_CHECKS: &[&str] = &[
    "api.token-accepted",
    "perm.can-query-property",
    "perm.can-view-detailed-usage",
    "perm.exact",
];
/// The end-to-end read of step 13, when a property id or supply point is given.
pub const DATA_CHECKS: &[&str] = &["data.measurements"];

/// One documented step: its number as the Kraken guide writes it, a title, and what to do on
/// the support site (one or two lines).
struct Step {
    number: &'static str,
    title: &'static str,
    todo: &'static str,
}

/// The documented setup, in order (shared/kraken/README.md, "The documented setup").
const STEPS: &[Step] = &[
    Step {
        number: "0",
        title: "OAuth manager permission",
        todo: "Your user on the Kraken support site needs the OAUTH_MANAGER permission \
               (API_ENGINEER is not enough). Ask a Kraken admin for it if you cannot open the \
               OAuth applications page.",
    },
    Step {
        number: "1–2",
        title: "Create the application",
        todo: "On the support site, open the OAuth applications page and create an application \
               with a name your developers will recognise. Its client id is shown once it is \
               created.",
    },
    Step {
        number: "3",
        title: "Client type",
        todo: "Set Client type to Confidential (the default). Verified with step 5.",
    },
    Step {
        number: "4",
        title: "Save the secret",
        todo: "Copy the secret key now: Kraken keeps only a hash and can never show it again. \
               A new secret replaces it, and the old one stops working at once.",
    },
    Step {
        number: "5",
        title: "Grant type",
        todo: "Set Authorization grant type to Client credentials, and save the application.",
    },
    Step {
        number: "6",
        title: "Allowed URIs",
        todo: "Leave Allowed URIs blank: the client-credentials grant has no redirect.",
    },
    Step {
        number: "7",
        title: "API role",
        todo: "Set the API role to THIRD_PARTY_UTILITY_USAGE_DATA_VIEWER. Verified with step 12.",
    },
    Step {
        number: "8",
        title: "Skip authorization",
        todo: "Leave \"Skip authorization\" unchecked.",
    },
    Step {
        number: "10–11",
        title: "Hand over the credentials",
        todo: "Give your developers the client id, and the secret over a secure channel (a \
               password manager or a secrets store; not e-mail or chat).",
    },
    Step {
        number: "12",
        title: "Role permissions",
        todo: "The role must carry exactly CAN_VIEW_DETAILED_USAGE and CAN_QUERY_PROPERTY. A \
               Kraken may not have attached them yet: ask Kraken support to attach what is \
               missing.",
    },
    Step {
        number: "13",
        title: "First token and first read",
        todo: "Developers get a token with the client-credentials grant and read measurements. \
               Give a property id or an MPAN to read one measurement now.",
    },
];

fn step(number: &str) -> &'static Step {
    STEPS
        .iter()
        .find(|s| s.number == number)
        .unwrap_or(&STEPS[0])
}

/// The `--answers` file: the manual confirmations and an optional data target. Never the
/// credentials.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// Step 0: the creator has OAUTH_MANAGER.
    pub oauth_manager: Option<bool>,
    /// Step 6: Allowed URIs left blank.
    pub allowed_uris_blank: Option<bool>,
    /// Step 8: "skip authorization" left unchecked.
    pub skip_authorization_unchecked: Option<bool>,
    /// Steps 10–11: the secret was handed over securely.
    pub secret_handed_over: Option<bool>,
    /// Step 13: property to read a measurement from.
    pub property_id: Option<String>,
    /// Step 13: supply point (e.g. an MPAN) to read a measurement from.
    pub supply_point: Option<String>,
    /// Market of the supply point.
    pub market_name: Option<String>,
    /// Refused when present: the secret never sits in a file of answers.
    client_secret: Option<toml::Value>,
    /// Refused when present: the client id comes from the usual sources.
    client_id: Option<toml::Value>,
}

/// Parse an answers file's text (`origin` names it in errors). A syntax error names the line
/// and column only, never the line's text (it could hold a secret pasted by mistake).
pub fn parse_answers(text: &str, origin: &str) -> Result<Answers, ConfigError> {
    let answers: Answers = toml::from_str(text).map_err(|e| {
        let (line, col) = e
            .span()
            .map(|s| config::line_col(text, s.start))
            .unwrap_or((1, 1));
        ConfigError(format!(
            "{origin}:{line}:{col}: {}",
            e.message().lines().next().unwrap_or("invalid TOML")
        ))
    })?;
    if answers.client_secret.is_some() {
        return Err(ConfigError(format!(
            "{origin}: client_secret is refused: a secret must not sit in a file of answers. \
             Set KRAKEN_CLIENT_SECRET, or give --client-secret-file PATH or --client-secret-stdin"
        )));
    }
    if answers.client_id.is_some() {
        return Err(ConfigError(format!(
            "{origin}: client_id does not belong in the answers file; give --client-id ID or set \
             KRAKEN_CLIENT_ID"
        )));
    }
    config::check_data_values([
        ("property_id", &answers.property_id),
        ("supply_point", &answers.supply_point),
        ("market_name", &answers.market_name),
    ])
    .map_err(|e| ConfigError(format!("{origin}: {e}")))?;
    Ok(answers)
}

/// Where the guide's words go and its answers come from.
trait Console {
    /// Show text (already redacted).
    fn say(&mut self, text: &str);
    /// Ask for one line; `None` at the end of input.
    fn ask(&mut self, prompt: &str) -> Option<String>;
    /// Ask for a secret without echo; `None` at the end of input.
    fn ask_hidden(&mut self, prompt: &str) -> Option<Secret>;
}

/// The terminal: stdout, stdin, and rpassword for hidden input (it reads the controlling
/// terminal with echo off).
struct Terminal;

impl Console for Terminal {
    fn say(&mut self, text: &str) {
        out(text);
    }

    fn ask(&mut self, prompt: &str) -> Option<String> {
        out(prompt);
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim().to_string()),
        }
    }

    fn ask_hidden(&mut self, prompt: &str) -> Option<Secret> {
        rpassword::prompt_password(prompt).ok().map(Secret::new)
    }
}

/// The answers-file mode never asks: every question ends the input.
struct Unattended;

impl Console for Unattended {
    fn say(&mut self, text: &str) {
        out(text);
    }

    fn ask(&mut self, _prompt: &str) -> Option<String> {
        None
    }

    fn ask_hidden(&mut self, _prompt: &str) -> Option<Secret> {
        None
    }
}

/// Go on, or stop the walk (the person quit, or input ended).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Next,
    Quit,
}

/// A manual item and what the person said.
struct Confirmation {
    step: &'static str,
    id: &'static str,
    /// `None`: not asked (the guide stopped before it), or no answer in the answers file.
    answer: Option<bool>,
}

/// A verified check and the UTC time of the run that verified it.
struct Verified {
    step: &'static str,
    result: CheckResult,
    at: String,
}

struct Guide<'a> {
    console: Box<dyn Console + 'a>,
    answers: Option<Answers>,
    color: bool,
    rt: tokio::runtime::Runtime,
    net: NetOptions,
    redactor: Redactor,
    wait_for_grant: Option<Duration>,
    target: Target,
    ask_client_id: bool,
    ask_secret: bool,
    verified: Vec<Verified>,
    confirmations: Vec<Confirmation>,
    notes: Vec<String>,
    stopped_at: Option<&'static str>,
}

/// `kraken-doctor guide`.
pub fn run(config: &GuideConfig, color: bool) -> ExitCode {
    let answers = match &config.answers {
        Some(path) => match load_answers(path) {
            Ok(a) => Some(a),
            Err(e) => return usage_error(e).into(),
        },
        None if !std::io::stdin().is_terminal() => {
            return usage_error(
                "guide asks questions, but standard input is not a terminal. Run it in a \
                 terminal, give --answers FILE (a TOML file with the manual confirmations) to \
                 run it unattended, or use `kraken-doctor check` in CI",
            )
            .into();
        }
        None => None,
    };
    let mut guide = match Guide::new(config, answers, color) {
        Ok(g) => g,
        Err(e) => return usage_error(e).into(),
    };
    guide.walk();
    guide.finish(&config.handover)
}

fn load_answers(path: &Path) -> Result<Answers, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError(format!(
            "cannot read the answers file {}: {e}",
            path.display()
        ))
    })?;
    parse_answers(&text, &path.display().to_string())
}

impl<'a> Guide<'a> {
    fn new(
        config: &GuideConfig,
        answers: Option<Answers>,
        color: bool,
    ) -> Result<Guide<'a>, ConfigError> {
        let interactive = answers.is_none();
        let mut draft = config.target.clone();
        let ask_client_id = interactive && draft.client_id.is_none();
        let ask_secret = interactive && draft.client_secret.is_none();
        if let Some(a) = &answers
            && draft.data.is_empty()
        {
            draft.data.property_id = a.property_id.clone();
            draft.data.supply_point = a.supply_point.clone();
            draft.data.market_name = draft.data.market_name.clone().or(a.market_name.clone());
        }
        // Until the prompts fill them, what will be asked for is empty; nothing is sent before.
        if ask_client_id {
            draft.client_id = Some(String::new());
        }
        if ask_secret {
            draft.client_secret = Some(Secret::new(String::new()));
        }
        let target = draft.complete()?;
        let redactor = Redactor::default();
        if !ask_secret {
            redactor.add(&target.client_secret);
            redactor.add_basic(&target.client_id, &target.client_secret);
        }
        let console: Box<dyn Console> = if interactive {
            Box::new(Terminal)
        } else {
            Box::new(Unattended)
        };
        Ok(Guide {
            console,
            answers,
            color,
            rt: commands::runtime(),
            net: config.net.clone(),
            redactor,
            wait_for_grant: config.wait_for_grant,
            target,
            ask_client_id,
            ask_secret,
            verified: Vec::new(),
            confirmations: Vec::new(),
            notes: Vec::new(),
            stopped_at: None,
        })
    }

    fn interactive(&self) -> bool {
        self.answers.is_none()
    }

    fn say(&mut self, text: &str) {
        let text = self.redactor.redact(text);
        self.console.say(&text);
    }

    /// The walk, step by step; stops early when the person quits.
    fn walk(&mut self) {
        let version = env!("CARGO_PKG_VERSION");
        let intro = format!(
            "kraken-doctor {version} guide: set up an OAuth application for the Measurements API\n\
             Kraken: {} · environment: {}\n\
             Each step says what to do on the Kraken support site; kraken-doctor verifies the \
             steps it can see from outside.\n",
            kraken_name(&self.target),
            crate::support::environment(&self.target),
        );
        self.say(&intro);
        type Action<'a> = fn(&mut Guide<'a>, &'static Step) -> Flow;
        let plan: [(&str, Action<'a>); 11] = [
            ("0", |g, s| g.confirm(s, "manual.oauth-manager")),
            ("1–2", |g, _| g.client_id_step()),
            ("3", |_, _| Flow::Next),
            ("4", |g, _| g.secret_step()),
            ("5", |g, s| g.verify(s, CREDENTIAL_CHECKS)),
            ("6", |g, s| g.confirm(s, "manual.allowed-uris")),
            ("7", |_, _| Flow::Next),
            ("8", |g, s| g.confirm(s, "manual.skip-authorization")),
            ("10–11", |g, s| {
                let line = format!("  client id to hand over: {}\n", g.target.client_id);
                g.say(&line);
                g.confirm(s, "manual.secret-handover")
            }),
            ("12", |g, s| g.verify(s, PERMISSION_CHECKS)),
            ("13", |g, s| g.first_read(s)),
        ];
        for (number, action) in plan {
            let s = step(number);
            let heading = format!("\n── Step {} · {} ──\n{}\n", s.number, s.title, s.todo);
            self.say(&heading);
            if action(self, s) == Flow::Quit {
                self.stopped_at = Some(s.number);
                break;
            }
        }
        // Manual items never reached are listed as not asked.
        for (number, id) in [
            ("0", "manual.oauth-manager"),
            ("6", "manual.allowed-uris"),
            ("8", "manual.skip-authorization"),
            ("10–11", "manual.secret-handover"),
        ] {
            if !self.confirmations.iter().any(|c| c.id == id) {
                self.confirmations.push(Confirmation {
                    step: step(number).number,
                    id,
                    answer: None,
                });
            }
        }
        self.confirmations.sort_by_key(|c| {
            STEPS
                .iter()
                .position(|s| s.number == c.step)
                .unwrap_or(usize::MAX)
        });
    }

    /// A manual step: ask y/n (or read the answers file) and record the answer.
    fn confirm(&mut self, s: &'static Step, id: &'static str) -> Flow {
        let answer = match &self.answers {
            Some(a) => {
                let answer = match id {
                    "manual.oauth-manager" => a.oauth_manager,
                    "manual.allowed-uris" => a.allowed_uris_blank,
                    "manual.skip-authorization" => a.skip_authorization_unchecked,
                    _ => a.secret_handed_over,
                };
                let line = match answer {
                    Some(true) => "  confirmed (answers file)\n",
                    Some(false) => "  NOT confirmed (the answers file says no)\n",
                    None => "  NOT confirmed (no answer in the answers file)\n",
                };
                self.say(line);
                answer
            }
            None => loop {
                match self.console.ask("  Done as described? [y/n] ") {
                    None => return Flow::Quit,
                    Some(a) => match a.to_ascii_lowercase().as_str() {
                        "y" | "yes" => break Some(true),
                        "n" | "no" => {
                            self.say("  recorded as not confirmed\n");
                            break Some(false);
                        }
                        "q" | "quit" => return Flow::Quit,
                        _ => self.say("  please answer y or n (q quits)\n"),
                    },
                }
            },
        };
        self.confirmations.push(Confirmation {
            step: s.number,
            id,
            answer,
        });
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
    fn prompt_client_id(&mut self, keep: Option<String>) -> Flow {
        loop {
            let prompt = match &keep {
                Some(k) => format!("  Client id [{k}] (Enter keeps it): "),
                None => "  Client id (shown on the application's page): ".to_string(),
            };
            let Some(typed) = self.console.ask(&prompt) else {
                return Flow::Quit;
            };
            let typed = match (&keep, typed.is_empty()) {
                (Some(k), true) => k.clone(),
                _ => typed,
            };
            match config::client_id(&typed) {
                Ok(id) => {
                    self.target.client_id = id;
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
    fn prompt_secret(&mut self, keep: bool) -> Flow {
        loop {
            let prompt = if keep {
                "  Client secret (hidden; Enter keeps the one typed before): "
            } else {
                "  Client secret (hidden; paste it and press Enter): "
            };
            let Some(typed) = self.console.ask_hidden(prompt) else {
                return Flow::Quit;
            };
            if keep && typed.is_empty() {
                return Flow::Next;
            }
            match config::secret_from_bytes(typed.expose().as_bytes().to_vec(), "your input") {
                Ok(secret) => {
                    self.redactor.add(&secret);
                    self.redactor.add_basic(&self.target.client_id, &secret);
                    self.target.client_secret = secret;
                    return Flow::Next;
                }
                Err(e) => self.say(&format!("  {e}\n")),
            }
        }
    }

    fn options(&self, ids: &[&str]) -> RunOptions {
        let only: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
        RunOptions {
            net: self.net.clone(),
            selection: Selection::new(&only, &[]).expect("the guide's check ids are registered"),
            strict: false,
            log: stderr_sink(),
        }
    }

    /// Run `ids` now, show the result, and on a failure offer retry / skip / quit.
    fn verify(&mut self, s: &'static Step, ids: &[&str]) -> Flow {
        loop {
            self.say("  verifying…\n");
            let opts = self.options(ids);
            let waiting = self
                .wait_for_grant
                .filter(|_| ids.iter().any(|id| id.starts_with("perm.")));
            let (output, wait) = match waiting {
                Some(limit) => self.rt.block_on(grant_wait::run_waiting(
                    &self.target,
                    &opts,
                    &self.redactor,
                    limit,
                )),
                None => (
                    self.rt
                        .block_on(runner::run(&self.target, &opts, self.redactor.clone())),
                    None,
                ),
            };
            let report = output.report;
            let lines = report::human::render_checks(&report, self.color);
            self.say(&lines);
            if let Some(w) = wait {
                let note = w.note();
                self.say(&format!("  {note}\n"));
                self.notes.push(format!("Step {}: {note}", s.number));
            }
            self.verified
                .retain(|v| !ids.contains(&v.result.id.as_str()));
            for result in report.checks {
                self.verified.push(Verified {
                    step: s.number,
                    result,
                    at: report.started_at.clone(),
                });
            }
            let failed = self.verified.iter().any(|v| {
                v.step == s.number && matches!(v.result.status, Status::Fail | Status::Error)
            });
            if !failed {
                self.say("  ✓ verified\n");
                return Flow::Next;
            }
            if !self.interactive() {
                return Flow::Next;
            }
            match self.retry_skip_quit() {
                Choice::Retry => {
                    if s.number == "5" && self.retry_credentials() == Flow::Quit {
                        return Flow::Quit;
                    }
                }
                Choice::Skip => {
                    self.notes.push(format!(
                        "Step {} ({}) was skipped while it still failed.",
                        s.number, s.title
                    ));
                    return Flow::Next;
                }
                Choice::Quit => return Flow::Quit,
            }
        }
    }

    /// Before retrying the credential step: let the person re-enter what they typed.
    fn retry_credentials(&mut self) -> Flow {
        if self.ask_client_id
            && self.prompt_client_id(Some(self.target.client_id.clone())) == Flow::Quit
        {
            return Flow::Quit;
        }
        if self.ask_secret {
            return self.prompt_secret(true);
        }
        Flow::Next
    }

    fn retry_skip_quit(&mut self) -> Choice {
        self.say("  Fix it on the support site (see fix: above), then retry.\n");
        loop {
            match self.console.ask("  [r]etry / [s]kip / [q]uit: ") {
                None => return Choice::Quit,
                Some(a) => match a.to_ascii_lowercase().as_str() {
                    "r" | "retry" => return Choice::Retry,
                    "s" | "skip" => return Choice::Skip,
                    "q" | "quit" => return Choice::Quit,
                    _ => self.say("  please answer r, s or q\n"),
                },
            }
        }
    }

    /// Step 13: an end-to-end read when a property id or supply point is known or given.
    fn first_read(&mut self, s: &'static Step) -> Flow {
        if self.target.data.is_empty() && self.interactive() {
            loop {
                let Some(typed) = self.console.ask(
                    "  Property id or MPAN to read one measurement (a 13-digit number is read as \
                     an MPAN; Enter skips): ",
                ) else {
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
            self.say("  no property id or MPAN given: the end-to-end read was not run\n");
            self.notes.push(
                "Step 13: no property id or MPAN was given, so no measurement was read.".into(),
            );
            return Flow::Next;
        }
        self.verify(s, DATA_CHECKS)
    }

    /// Print the handover, write it, and return the exit code of the verified checks.
    fn finish(&mut self, path: &Path) -> ExitCode {
        let results: Vec<CheckResult> = self.verified.iter().map(|v| v.result.clone()).collect();
        let summary = Summary::of(&results);
        let code = report::exit_code(&summary, false);
        let md = self.redactor.redact(&self.handover(&summary, code));
        self.say(&format!("\n{md}"));
        if let Err(e) = std::fs::write(path, &md) {
            eprintln!("kraken-doctor: cannot write {}: {e}", path.display());
            return Exit::Undecided.into();
        }
        eprintln!("handover written to {}", path.display());
        Exit::from_code(code).unwrap_or(Exit::Undecided).into()
    }

    /// The handover summary for the developers, as Markdown.
    fn handover(&self, summary: &Summary, code: i32) -> String {
        use std::fmt::Write as _;
        let t = &self.target;
        let mut md = String::new();
        let _ = writeln!(md, "# Kraken OAuth application handover\n");
        let _ = writeln!(
            md,
            "Written by kraken-doctor {} at {} (UTC) after a guided setup. This file holds no \
             client secret and no access token: the secret reaches you separately, over a \
             secure channel.\n",
            env!("CARGO_PKG_VERSION"),
            runner::now_rfc3339()
        );
        let _ = writeln!(md, "## Application\n");
        let _ = writeln!(md, "- Kraken: {}", kraken_name(t));
        let _ = writeln!(md, "- Environment: {}", crate::support::environment(t));
        let _ = writeln!(md, "- Token URL: {}", t.token_url);
        let _ = writeln!(md, "- API URL: {}", t.graphql_url);
        let _ = writeln!(md, "- Client id: `{}`", md_cell(&t.client_id));
        let _ = writeln!(
            md,
            "- Grant: client credentials (`grant_type=client_credentials`); send the token bare \
             as `Authorization: <token>`"
        );
        if !t.data.is_empty() {
            let target =
                crate::runner::ReadTarget::new(&t.data, t.graphql_url.host_str().unwrap_or(""));
            let _ = writeln!(md, "- Data target: {}", md_cell(&target.describe()));
        }
        let _ = writeln!(md, "\n## Verified by kraken-doctor\n");
        if self.verified.is_empty() {
            let _ = writeln!(md, "Nothing was verified.\n");
        } else {
            let _ = writeln!(md, "| step | check | status | verified at (UTC) | result |");
            let _ = writeln!(md, "|---|---|---|---|---|");
            for v in &self.verified {
                let _ = writeln!(
                    md,
                    "| {} | `{}` | {} | {} | {} |",
                    v.step,
                    v.result.id,
                    v.result.status,
                    v.at,
                    md_cell(&v.result.summary)
                );
            }
            let mut fixes = self
                .verified
                .iter()
                .filter(|v| matches!(v.result.status, Status::Fail | Status::Error | Status::Warn))
                .filter_map(|v| v.result.remediation.as_ref().map(|fix| (&v.result.id, fix)))
                .peekable();
            if fixes.peek().is_some() {
                md.push('\n');
            }
            for (id, fix) in fixes {
                let _ = writeln!(md, "- Fix for `{id}`: {}", md_cell(fix));
            }
        }
        let _ = writeln!(md, "\n## Confirmed by hand\n");
        let _ = writeln!(md, "| step | item | answer |");
        let _ = writeln!(md, "|---|---|---|");
        for c in &self.confirmations {
            let title = checks::get(c.id).map_or(c.id, |spec| spec.title.as_str());
            let answer = match (c.answer, self.interactive()) {
                (Some(true), _) => "confirmed",
                (Some(false), _) => "**not confirmed**",
                (None, true) => "**not asked** (the guide stopped before this step)",
                (None, false) => "**not confirmed** (no answer given)",
            };
            let _ = writeln!(md, "| {} | {} | {answer} |", c.step, md_cell(title));
        }
        let _ = writeln!(md, "\n## Outcome\n");
        let counts: Vec<String> = Status::ALL
            .iter()
            .filter(|&&s| summary.count(s) > 0)
            .map(|&s| format!("{} {s}", summary.count(s)))
            .collect();
        let meaning = match code {
            0 => "every verified check passed",
            1 => "at least one verified check failed: the setup needs a fix",
            _ => "at least one check could not be decided",
        };
        let _ = writeln!(
            md,
            "- Checks: {} — exit {code}: {meaning}",
            if counts.is_empty() {
                "none run".to_string()
            } else {
                counts.join(", ")
            }
        );
        if let Some(at) = self.stopped_at {
            let _ = writeln!(md, "- The guide was stopped at step {at}.");
        }
        for n in &self.notes {
            let _ = writeln!(md, "- {}", md_cell(n));
        }
        let _ = writeln!(md, "\n## For the developers\n");
        let _ = writeln!(
            md,
            "1. Get a token: `POST {}` with `grant_type=client_credentials`, `client_id` and \
             `client_secret` in the form body.",
            t.token_url
        );
        let _ = writeln!(
            md,
            "2. Send GraphQL requests to `{}` with the header `Authorization: <token>`.",
            t.graphql_url
        );
        let _ = writeln!(
            md,
            "3. To check the setup yourselves: `KRAKEN_CLIENT_SECRET=… kraken-doctor check \
             --auth-url {} --api-url {} --client-id {}`",
            t.token_url,
            t.graphql_url,
            md_cell(&t.client_id)
        );
        md
    }
}

enum Choice {
    Retry,
    Skip,
    Quit,
}

/// The Kraken's name from its API host: a known preset, the local simulator, or the host.
fn kraken_name(t: &Target) -> String {
    crate::kraken::model::kraken_name(&t.graphql_url)
}

/// Text safe in a Markdown table cell or list item: one line, pipes escaped, no control
/// characters.
fn md_cell(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guides_check_ids_are_registered() {
        for id in CREDENTIAL_CHECKS
            .iter()
            .chain(PERMISSION_CHECKS)
            .chain(DATA_CHECKS)
        {
            assert!(checks::get(id).is_some(), "{id}");
        }
    }

    #[test]
    fn answers_file_refuses_credentials_and_names_the_line_only() {
        let a = parse_answers(
            "oauth_manager = true\nallowed_uris_blank = false\nproperty_id = \"p1\"\n",
            "a.toml",
        )
        .unwrap();
        assert_eq!(a.oauth_manager, Some(true));
        assert_eq!(a.allowed_uris_blank, Some(false));
        assert_eq!(a.secret_handed_over, None);
        let e = parse_answers("client_secret = \"hunter2-secret\"\n", "a.toml").unwrap_err();
        assert!(e.0.contains("client_secret is refused"), "{e}");
        assert!(!e.0.contains("hunter2"));
        let e = parse_answers("client_id = \"x\"\n", "a.toml").unwrap_err();
        assert!(e.0.contains("--client-id"), "{e}");
        let e =
            parse_answers("oauth_manager = true\nsecret = \"hunter2-x\n", "a.toml").unwrap_err();
        assert!(e.0.starts_with("a.toml:2:"), "{e}");
        assert!(!e.0.contains("hunter2"), "{e}");
        let e = parse_answers("oauth_managr = true\n", "a.toml").unwrap_err();
        assert!(e.0.contains("a.toml:1:"), "{e}");
        assert!(parse_answers("property_id = \"\"\n", "a.toml").is_err());
    }

    #[test]
    fn kraken_names_and_markdown_cells() {
        let t = |api: &str| Target {
            profile: None,
            token_url: config::endpoint_url("https://auth.x.energy", "/token/", "x").unwrap(),
            graphql_url: config::endpoint_url(api, "/v1/graphql/", "x").unwrap(),
            client_id: "id".into(),
            client_secret: Secret::new("s"),
            data: config::DataTarget::default(),
        };
        assert_eq!(
            kraken_name(&t("https://api.edfgb-kraken.energy")),
            "EDF GB (edf-gb)"
        );
        assert_eq!(
            kraken_name(&t("https://api.oeus-kraken.systems")),
            "Octopus Energy US (oeus)"
        );
        assert!(kraken_name(&t("http://127.0.0.1:1")).contains("simulator"));
        assert_eq!(md_cell("a|b\nc"), "a\\|b c");
    }

    #[test]
    fn every_step_of_the_plan_exists() {
        for n in [
            "0", "1–2", "3", "4", "5", "6", "7", "8", "10–11", "12", "13",
        ] {
            assert_eq!(step(n).number, n);
        }
    }
}
