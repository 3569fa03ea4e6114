//! The Markdown report, for people reading a run on GitHub (a job summary, a pull-request
//! comment, an issue): what the exit code means, a table of every check, then the fixes and
//! the items to confirm by hand. `--format markdown` prints it; under GitHub Actions `check`
//! also appends it to the job summary (see `github`).
//!
//! Server text is escaped so that it stays text: no markup, no HTML, no mention, no table cell
//! broken by a `|`. A `code span` in a text stays a code span.

use super::text::{duration, one_line, plural};
use super::{CheckResult, Report, Status, Summary, combined_exit_code, exit_words};

/// Characters escaped with a backslash outside code spans: those that start markup, HTML,
/// entities, links, mentions or end a table cell.
const SPECIAL: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '@', '#', '!',
];

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if SPECIAL.contains(&c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `s` on one line, escaped; balanced backticks keep their code spans (with a `|` escaped,
/// which GitHub's tables need even there).
fn inline(s: &str) -> String {
    let s = one_line(s);
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return escape(&s);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| match (i % 2, part.trim().is_empty()) {
            (0, _) => escape(part),
            (_, true) => escape(&format!("`{part}`")),
            (_, false) => format!("`{}`", part.replace('|', "\\|")),
        })
        .collect()
}

/// A check id, a client id or a URL as code (backticks inside cannot end it early).
fn code(s: &str) -> String {
    let s = one_line(s).replace('`', "'").replace('|', "\\|");
    format!("`{s}`")
}

/// `✓ 10 pass · ✗ 1 fail`: the statuses that occur.
fn counts(summary: &Summary) -> String {
    let parts: Vec<_> = Status::ALL
        .iter()
        .filter(|&&s| summary.count(s) > 0)
        .map(|&s| format!("{} {} {s}", s.mark(), summary.count(s)))
        .collect();
    parts.join(" · ")
}

/// `**exit 1**: at least one check failed …` for a code and its counts.
fn verdict(code: i32, summary: &Summary) -> String {
    format!(
        "**exit {code}**: {}.",
        inline(&exit_words(code, summary, "What to fix, below"))
    )
}

/// The table of every check: id, status, summary.
fn table(out: &mut Vec<String>, report: &Report) {
    out.push("| check | status | summary |".to_string());
    out.push("|---|---|---|".to_string());
    for check in &report.checks {
        out.push(format!(
            "| {} | {} {} | {} |",
            code(&check.id),
            check.status.mark(),
            check.status,
            inline(&check.summary)
        ));
    }
}

/// One list item per fix, said once: a fix already given names the check that gave it.
fn fixes(out: &mut Vec<String>, report: &Report) {
    let needs: Vec<&CheckResult> = report
        .checks
        .iter()
        .filter(|c| matches!(c.status, Status::Fail | Status::Error | Status::Warn))
        .filter(|c| c.remediation.is_some())
        .collect();
    if !needs.is_empty() {
        out.push(String::new());
        out.push("**What to fix**".to_string());
        out.push(String::new());
    }
    let mut given: Vec<(&str, &str)> = Vec::new();
    for check in needs {
        let fix = check.remediation.as_deref().unwrap_or_default();
        let text = match given.iter().find(|(f, _)| *f == fix) {
            Some((_, first)) => format!("as for {} above.", code(first)),
            None => {
                given.push((fix, &check.id));
                inline(fix)
            }
        };
        out.push(format!("- {} ({}): {text}", code(&check.id), check.status));
    }
    let manual: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Manual)
        .collect();
    if !manual.is_empty() {
        out.push(String::new());
        out.push(format!(
            "**{} to confirm by hand** on the support site",
            manual.len()
        ));
        out.push(String::new());
        for check in manual {
            out.push(format!("- {}: {}", code(&check.id), inline(&check.summary)));
        }
    }
}

/// Where the run pointed and what it found, without the heading.
fn section(out: &mut Vec<String>, report: &Report) {
    let target = &report.target;
    let mut who = format!("Client {}", code(&target.client_id));
    if let Some(profile) = &target.profile {
        who.push_str(&format!(" (profile {})", code(profile)));
    }
    out.push(format!(
        "{who} · auth {} · api {}",
        code(&target.auth_url),
        code(&target.api_url)
    ));
    out.push(String::new());
    out.push(format!(
        "{} — {} in {}",
        counts(&report.summary),
        plural(report.checks.len(), "check"),
        duration(report.duration_ms)
    ));
    out.push(String::new());
    table(out, report);
    fixes(out, report);
}

/// The report of one target.
pub fn render(report: &Report) -> String {
    let mut out = vec![
        "### kraken-doctor".to_string(),
        String::new(),
        verdict(report.exit_code, &report.summary),
        String::new(),
    ];
    section(&mut out, report);
    out.join("\n") + "\n"
}

/// The reports of a multi-target run: the run's verdict, then one section per target.
pub fn render_multi(reports: &[Report]) -> String {
    let summary = Summary::combined(reports);
    let mut out = vec![
        "### kraken-doctor".to_string(),
        String::new(),
        verdict(combined_exit_code(reports), &summary),
        String::new(),
        format!("{} — {}", counts(&summary), plural(reports.len(), "target")),
    ];
    for report in reports {
        out.push(String::new());
        out.push(format!(
            "#### {} — exit {}",
            inline(report.label()),
            report.exit_code
        ));
        out.push(String::new());
        section(&mut out, report);
    }
    out.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn broken_report_snapshot() {
        fixtures::snapshot!("report__markdown_broken", &render(&fixtures::broken()));
    }

    #[test]
    fn multi_report_snapshot() {
        let reports = [fixtures::broken(), fixtures::healthy()];
        fixtures::snapshot!("report__markdown_multi", &render_multi(&reports));
    }

    #[test]
    fn every_check_has_a_row_and_every_fix_is_said_once() {
        let report = fixtures::broken();
        let text = render(&report);
        for check in &report.checks {
            assert!(
                text.contains(&format!("| `{}` |", check.id)),
                "{}",
                check.id
            );
        }
        assert!(text.contains("**exit 1**: at least one check failed"));
        assert_eq!(
            text.matches("Only a transient fault stood in the way")
                .count(),
            1
        );
        assert!(text.contains("as for `perm.can-query-property` above"));
        let skip = report.checks.iter().find(|c| c.status == Status::Skip);
        let skip_fix = skip.and_then(|c| c.remediation.as_deref()).unwrap();
        assert!(!text.contains(&inline(skip_fix)), "a skip has no fix");
    }

    #[test]
    fn server_text_stays_text() {
        let text = render(&fixtures::hostile());
        assert!(!text.contains('\x1b') && !text.contains('\r') && !text.contains('\0'));
        for line in text.lines().filter(|l| l.starts_with("| `")) {
            // Four unescaped pipes: the row's own. A `|` from the server is escaped.
            let unescaped = line.replace("\\|", "");
            assert_eq!(unescaped.matches('|').count(), 4, "{line}");
            assert!(!unescaped.contains("<b>"), "{line}");
        }
        assert!(text.contains("\\<b\\>"), "HTML is escaped");
        assert!(text.contains("`x`"), "a code span stays one");
        assert_eq!(inline("a @team *b*"), "a \\@team \\*b\\*");
        assert_eq!(inline("odd ` tick"), "odd \\` tick");
        assert_eq!(inline("`a|b`"), "`a\\|b`");
    }
}
