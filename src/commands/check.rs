//! `kraken-doctor check`: run the checklist against every target
//! ([`crate::runner::run_targets`], the one place a check's targets are run; `demo` goes
//! through it too) and write the report.
//!
//! Ctrl-C (SIGINT) or SIGTERM (a cancelled CI job) stops the run at once: the requests in
//! flight are dropped, "interrupted" goes to stderr, the report files asked for are written
//! with what was decided (the targets finished by then, and the manual items) and every other
//! check marked `skip` "interrupted", and the process exits 130. A second signal exits at once.

use std::path::Path;

use super::{print_note, print_result};
use crate::config::CheckConfig;
use crate::exit::Exit;
use crate::redact::Redactor;
use crate::report::{self, Report, github};
use crate::runner::{self, run_until};

/// The signals that interrupt a run: SIGINT (Ctrl-C) and SIGTERM, listened to from before
/// the first request, so that neither kills the process with nothing written.
struct Interrupts {
    #[cfg(unix)]
    signals: [tokio::signal::unix::Signal; 2],
}

impl Interrupts {
    /// Starts listening (within a runtime). `None` when the signals cannot be listened to:
    /// the run then goes on as before, and a signal ends it the default way.
    fn listen() -> Option<Interrupts> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Some(Interrupts {
                signals: [
                    signal(SignalKind::interrupt()).ok()?,
                    signal(SignalKind::terminate()).ok()?,
                ],
            })
        }
        #[cfg(not(unix))]
        Some(Interrupts {})
    }

    /// Resolves at the next signal.
    async fn next(&mut self) {
        #[cfg(unix)]
        {
            let [int, term] = &mut self.signals;
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `kraken-doctor check`.
pub fn run(config: &CheckConfig, color: bool) -> Exit {
    let redactor = Redactor::default();
    super::print_target_notes(&config.plan.targets);
    let runtime = super::runtime();
    let plan = &config.plan;
    let mut interrupts = runtime.block_on(async { Interrupts::listen() });
    let (mut outputs, interrupted) = runtime.block_on(async {
        let stop = async {
            match interrupts.as_mut() {
                Some(signals) => signals.next().await,
                None => std::future::pending().await,
            }
        };
        run_until(plan, &redactor, true, stop).await
    });
    if interrupted {
        print_note("kraken-doctor: interrupted");
        // Writing what was decided takes a moment; a second signal does not wait for it.
        if let Some(mut signals) = interrupts {
            runtime.spawn(async move {
                signals.next().await;
                std::process::exit(i32::from(Exit::Interrupted.code()));
            });
        }
        let decided = outputs.len();
        outputs.extend(
            plan.targets[decided..]
                .iter()
                .map(|t| runner::interrupted(t, &plan.options)),
        );
    }
    let reports: Vec<Report> = outputs.iter().map(|o| o.report.clone()).collect();
    let exit = match interrupted {
        true => Exit::Interrupted,
        false => report::combined_exit(&reports),
    };
    let options = &config.report;
    let look = report::Look::stdout(color && options.output.is_none())
        .quiet(options.quiet)
        .verbose(config.plan.options.net.verbose > 0);
    let text = if reports.len() == 1 {
        report::render(&reports[0], options.format, &look)
    } else {
        report::render_multi(&reports, options.format, &look)
    };
    let text = redactor.redact(&text);
    let mut written = true;
    match &options.output {
        Some(path) => {
            written &= write_file(path, &text, "report");
            // The log of any CI (GitLab, Jenkins, ...) then still says what failed.
            print_note(&redactor.redact(&report::ci_line(&reports)));
        }
        None => print_result(&text),
    }
    github::publish(&reports, &redactor);
    if let Some(path) = &options.support_report {
        let markdown = crate::support::render(&config.plan.targets, &outputs);
        written &= write_file(path, &redactor.redact(&markdown), "support report");
    }
    // A report that could not be written leaves the run undecided for whoever reads it.
    if written {
        exit
    } else {
        exit.worst(Exit::Undecided)
    }
}

/// Write `text` to `path`, saying so (or why not) on stderr.
fn write_file(path: &Path, text: &str, what: &str) -> bool {
    match std::fs::write(path, text) {
        Ok(()) => {
            print_note(&format!("{what} written to {}", path.display()));
            true
        }
        Err(e) => {
            print_note(&format!(
                "kraken-doctor: cannot write {}: {e}",
                path.display()
            ));
            false
        }
    }
}
