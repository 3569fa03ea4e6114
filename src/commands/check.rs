//! `kraken-doctor check`: run the checklist against every target
//! ([`crate::runner::run_targets`], the one place a check's targets are run; `demo` goes
//! through it too) and write the report.

use std::path::Path;

use super::{print_note, print_result};
use crate::config::CheckConfig;
use crate::exit::Exit;
use crate::redact::Redactor;
use crate::report::{self, Report, github};
use crate::runner::run_targets;

/// `kraken-doctor check`.
pub fn run(config: &CheckConfig, color: bool) -> Exit {
    let redactor = Redactor::default();
    super::print_target_notes(&config.plan.targets);
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
