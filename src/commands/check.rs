//! `kraken-doctor check`: run the checklist against every target and write the report.
//! [`run_targets`] is the one place a check's targets are run (`demo` goes through it too).

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
    let progress = progress && std::io::stderr().is_terminal() && plan.options.net.verbose == 0;
    // One connection pool for every target: the system's trusted roots are read once.
    let transport = Transport::new(&plan.options.net).ok();
    let transport = transport.as_ref();
    futures::stream::iter(plan.targets.iter())
        .map(|t| async move {
            if progress {
                print_note(&format!(
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
        .buffered(plan.jobs)
        .collect()
        .await
}

/// `kraken-doctor check`.
pub fn run(config: &CheckConfig, color: bool) -> Exit {
    let redactor = Redactor::default();
    let outputs = super::runtime().block_on(run_targets(&config.plan, &redactor, true));
    let reports: Vec<Report> = outputs.iter().map(|o| o.report.clone()).collect();
    let exit = report::combined_exit(&reports);
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
        Some(path) => written &= write_file(path, &text, "report"),
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
