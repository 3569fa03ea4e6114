//! `kraken-doctor check`: run the checklist against every target and write the report.
//! [`run_targets`] is the one place a check's targets are run (`demo` goes through it too).
//!
//! Ctrl-C (SIGINT) or SIGTERM (a cancelled CI job) stops the run at once: the requests in
//! flight are dropped, "interrupted" goes to stderr, the report files asked for are written
//! with what was decided (the targets finished by then) and every other check marked `skip`
//! "interrupted", and the process exits 130. A second signal exits at once.

use std::io::IsTerminal;
use std::path::Path;

use futures::StreamExt;

use super::{grant_wait, print_note, print_result};
use crate::config::{CheckConfig, RunPlan};
use crate::exit::Exit;
use crate::kraken::http::Transport;
use crate::redact::Redactor;
use crate::report::{self, Report, github};
use crate::runner::{self, RunOutput};

/// Run every target of `plan`, `jobs` at a time; results in target order. With `progress`,
/// a line on stderr says which target is being checked — only for a person watching a
/// terminal, and not under `-v`, whose logs speak for themselves.
pub async fn run_targets(plan: &RunPlan, redactor: &Redactor, progress: bool) -> Vec<RunOutput> {
    run_until(plan, redactor, progress, std::future::pending())
        .await
        .0
}

/// [`run_targets`] until `stop` resolves: the outputs of the targets finished by then (in
/// target order: a target finished after one still running waits for it), and whether `stop`
/// came first.
async fn run_until(
    plan: &RunPlan,
    redactor: &Redactor,
    progress: bool,
    stop: impl std::future::Future<Output = ()>,
) -> (Vec<RunOutput>, bool) {
    let progress = progress && std::io::stderr().is_terminal() && plan.options.net.verbose == 0;
    // One connection pool for every target: the system's trusted roots are read once.
    let transport = Transport::new(&plan.options.net).ok();
    let transport = transport.as_ref();
    let runs = futures::stream::iter(plan.targets.iter())
        .map(|t| async move {
            if progress {
                crate::progress::status(&format!(
                    "checking {} ({})…",
                    t.profile.as_deref().unwrap_or(&t.client_id),
                    t.token_url
                ));
            }
            match plan.wait_for_grant {
                Some(limit) => {
                    grant_wait::run_waiting(t, &plan.options, redactor, limit)
                        .await
                        .0
                }
                None => match transport {
                    Some(shared) => {
                        runner::run_on(shared, t, &plan.options, redactor.clone()).await
                    }
                    // A transport that cannot be built: each run says why in its report.
                    None => runner::run(t, &plan.options, redactor.clone()).await,
                },
            }
        })
        .buffered(plan.jobs);
    let mut runs = std::pin::pin!(runs);
    let mut stop = std::pin::pin!(stop);
    let mut outputs = Vec::new();
    let stopped = loop {
        tokio::select! {
            next = runs.next() => match next {
                Some(output) => outputs.push(output),
                None => break false,
            },
            () = &mut stop => break true,
        }
    };
    // The report comes next: the progress line must not stay above or inside it.
    crate::progress::clear();
    (outputs, stopped)
}

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
