//! The human report: what a person reads in a terminal. One row per check that fits the
//! terminal's width, details only under the results that need attention, the manual items as
//! one short block, and a closing line that says what the exit code means. How it looks is an
//! argument ([`Look`]: colour, width, quiet, verbose), decided once by the caller; this module
//! never consults the environment, and the model never holds coloured strings.

mod rows;
mod style;

use rows::{check_lines, counts, manual_block};
pub use style::status_label;
use style::{Style, paint, status_style};

use super::text::{self, MIN_WIDTH, duration, hang, one_line, plural};
use super::{Report, Status, Summary, combined_exit_code, exit_words};

/// Wider than this, lines are hard to read: text wraps here even on a wider terminal.
const MAX_WIDTH: usize = 120;

/// How the human report looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// ANSI colour on.
    pub color: bool,
    /// The columns to fit (the terminal's, `COLUMNS`, or 100).
    pub width: usize,
    /// `-q`: only what is not `pass`, and the summary.
    pub quiet: bool,
    /// `-v`: the manual items in full, each on its own row.
    pub verbose: bool,
    /// Without the evidence notes (the demo's broken applications: the fix is the point).
    pub brief: bool,
}

impl Look {
    /// For stdout as it is: its terminal's width (else `COLUMNS`, else 100), not quiet.
    pub fn stdout(color: bool) -> Look {
        Look::plain(text::stdout_width()).colored(color)
    }

    /// No colour, not quiet, not verbose, `width` columns: what tests and files get.
    pub fn plain(width: usize) -> Look {
        Look {
            color: false,
            width,
            quiet: false,
            verbose: false,
            brief: false,
        }
    }

    /// This look with colour on or off.
    pub fn colored(self, color: bool) -> Look {
        Look { color, ..self }
    }

    /// This look, quiet (`-q`) or not.
    pub fn quiet(self, quiet: bool) -> Look {
        Look { quiet, ..self }
    }

    /// This look, without evidence notes or with them.
    pub fn brief(self, brief: bool) -> Look {
        Look { brief, ..self }
    }

    /// This look, verbose (`-v`) or not.
    pub fn verbose(self, verbose: bool) -> Look {
        Look { verbose, ..self }
    }

    /// The width text is laid out for: the terminal's, within readable bounds.
    fn width(&self) -> usize {
        self.width.clamp(MIN_WIDTH, MAX_WIDTH)
    }
}

/// The header: tool, client, profile, then the two endpoints (never wrapped: URLs stay whole).
fn header(report: &Report, look: &Look) -> Vec<String> {
    let target = &report.target;
    let mut who = format!("client {}", one_line(&target.client_id));
    if let Some(profile) = &target.profile {
        who.push_str(&format!(" (profile {})", one_line(profile)));
    }
    let tool = format!("kraken-doctor {}", report.tool_version);
    let first = if text::columns(&tool) + 3 + text::columns(&who) <= look.width() {
        vec![paint(&format!("{tool} · {who}"), Style::BOLD, look.color)]
    } else {
        vec![
            paint(&tool, Style::BOLD, look.color),
            paint(&format!("  {who}"), Style::BOLD, look.color),
        ]
    };
    let endpoint = |name: &str, url: &str| {
        format!(
            "  {}{}",
            paint(&format!("{name:<6}"), Style::DIM, look.color),
            one_line(url)
        )
    };
    let mut lines = first;
    lines.push(endpoint("auth", &target.auth_url));
    // Empty when the run needed no API (`token` without an API URL).
    if !target.api_url.is_empty() {
        lines.push(endpoint("api", &target.api_url));
    }
    lines
}

/// What the exit code means, in words, wrapped to the width.
fn exit_meaning(code: i32, summary: &Summary, look: &Look) -> Vec<String> {
    let words = exit_words(code, summary, "the fix: lines");
    let style = match code {
        0 => status_style(Status::Pass),
        1 => status_style(Status::Fail),
        _ => status_style(Status::Error),
    };
    let lead = format!("exit {code}: ");
    let mut lines = hang(&lead, "  ", &format!("{words}."), look.width());
    if let Some(first) = lines.first_mut() {
        *first = first.replacen(&lead, &paint(&lead, style.bold(), look.color), 1);
    }
    lines
}

/// `lead`, the counts, ` — ` and `total`: one line when it fits the width, else two.
fn tally(lead: &str, summary: &Summary, total: &str, look: &Look) -> Vec<String> {
    let plain = format!("{lead}{} — {total}", counts(summary, false));
    let lead = paint(lead, Style::BOLD, look.color);
    let counts = counts(summary, look.color);
    if text::columns(&plain) <= look.width() {
        vec![format!("{lead}{counts} — {total}")]
    } else {
        vec![format!("{lead}{counts}"), format!("  — {total}")]
    }
}

/// Header (unless quiet), check lines, manual block and the counts line of one report.
fn body(report: &Report, look: &Look) -> Vec<String> {
    let mut lines = Vec::new();
    if !look.quiet {
        lines.extend(header(report, look));
        lines.push(String::new());
    }
    lines.extend(check_lines(report, look));
    lines.extend(manual_block(report, look));
    if !lines.last().is_none_or(String::is_empty) {
        lines.push(String::new());
    }
    let total = format!(
        "{} in {}",
        plural(report.checks.len(), "check"),
        duration(report.duration_ms)
    );
    lines.extend(tally("", &report.summary, &total, look));
    lines
}

/// Renders one report for a terminal.
pub fn render(report: &Report, look: &Look) -> String {
    let mut lines = body(report, look);
    lines.extend(exit_meaning(report.exit_code, &report.summary, look));
    lines.join("\n") + "\n"
}

/// Only the check lines of `report`, with details under those that need attention, every
/// item on its own row, fitted to stdout: the compact form `guide` shows after verifying one
/// step.
pub fn render_checks(report: &Report, color: bool) -> String {
    check_lines(report, &Look::stdout(color).verbose(true)).join("\n") + "\n"
}

/// Renders several targets' reports: each under a heading with its profile name or client id,
/// then one line of combined counts and what the run's exit code means. The per-target
/// sections carry no exit line: the process has one exit code, for the whole run.
pub fn render_multi(reports: &[Report], look: &Look) -> String {
    let mut lines = Vec::new();
    for report in reports {
        let heading = format!("══ {} ══", one_line(report.label()));
        lines.push(paint(&heading, Style::BOLD, look.color));
        lines.extend(body(report, look));
        lines.push(String::new());
    }
    let summary = Summary::combined(reports);
    let not_clean = reports.iter().filter(|r| r.exit_code != 0).count();
    let total = format!("{}, {not_clean} not clean", plural(reports.len(), "target"));
    lines.extend(tally("All targets: ", &summary, &total, look));
    lines.extend(exit_meaning(combined_exit_code(reports), &summary, look));
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests;
