//! `kraken-doctor guide`: walks the OAuth manager through the documented setup (the steps of
//! `checks/steps.toml`) on a terminal, says for each step what to do on the support site,
//! verifies at once every step a probe can see (with the same checks as `check`, run through
//! [`runner::run`] on a subset), lets the person fix and retry a step without starting over,
//! and ends with a short summary on the terminal and a handover file for the developers
//! ([`handover`]).
//!
//! The parts: [`setup`] resolves the one application before the first question, [`walk`]
//! goes through the steps, [`verify`] runs and shows the checks of a step, [`record`] keeps
//! what was found and decides how the guide ends, [`save`] writes the handover, [`console`] is
//! the terminal, [`answers`] the `--answers FILE` of an unattended run.
//!
//! A walk that was quit, or that left a step not done, never ends with exit 0 (it is
//! [`Exit::Unfinished`]), and never leaves a handover with a placeholder in it. Without a
//! terminal it refuses (exit 2) unless `--answers FILE` supplies the manual confirmations; it
//! then runs straight through. The client secret is asked for with hidden input, lives only in
//! a [`Secret`], and every text shown or written goes through the run's [`Redactor`].
//!
//! [`runner::run`]: crate::runner::run
//! [`Secret`]: crate::secret::Secret

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use crate::config::{GuideConfig, NetOptions, Target};
use crate::exit::Exit;
use crate::process::usage_error;
use crate::redact::Redactor;

mod answers;
mod console;
pub mod handover;
mod record;
mod save;
mod setup;
mod verify;
mod walk;

pub use answers::{Answers, parse as parse_answers};

use console::Console;
use record::Record;

/// One guided setup of one application.
struct Guide {
    console: Console,
    /// The answers file of an unattended run; `None` when a person answers.
    answers: Option<Answers>,
    color: bool,
    /// `-v`: show the technical detail behind each result.
    verbose: bool,
    rt: tokio::runtime::Runtime,
    net: NetOptions,
    redactor: Redactor,
    wait_for_grant: Option<Duration>,
    /// The application; its credentials may still be stand-ins until asked for.
    target: Target,
    ask_client_id: bool,
    ask_secret: bool,
    record: Record,
}

/// `kraken-doctor guide`.
pub fn run(config: &GuideConfig, color: bool) -> ExitCode {
    let answers = match &config.answers {
        Some(path) => match answers::load(path) {
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
    if guide.interactive() {
        guide.console.end_on_interrupt(&guide.rt);
    }
    guide.walk();
    guide.finish(&config.handover, config.force).into()
}

impl Guide {
    fn interactive(&self) -> bool {
        self.answers.is_none()
    }

    /// Show text to the person: redacted, then wrapped to the terminal.
    fn say(&mut self, text: &str) {
        let text = self.redactor.redact(text);
        self.console.say(&text);
    }

    /// The summary on the terminal, the handover in its file, and the exit code.
    fn finish(&mut self, path: &std::path::Path, force: bool) -> Exit {
        let exit = self.record.exit();
        let mut text = self.record.summary();
        let exit = if self.record.verified.is_empty() || setup::is_placeholder(&self.target) {
            text.push_str("No handover was written: nothing was verified yet.\n");
            exit
        } else {
            let handover = self.record.handover(&self.target, exit);
            let md = self.redactor.redact(&handover::render(&handover));
            match save::write(path, &md, force) {
                Ok(written) => {
                    text.push_str(&record::written_line(&written));
                    exit
                }
                Err(e) => {
                    eprintln!("kraken-doctor: cannot write {}: {e}", path.display());
                    exit.worst(Exit::Undecided)
                }
            }
        };
        text.push_str(&format!(
            "Exit {}: {}.\n",
            exit.code(),
            exit.meaning_for("guide")
        ));
        self.say(&text);
        exit
    }
}
