//! The JUnit XML report, for CI systems that show test results (GitLab, Jenkins, Azure,
//! GitHub test-report actions). One `<testcase>` per check, so a CI page lists the checklist.
//!
//! Mapping (the architecture's contract, plus two choices of ours):
//! - `pass` → a bare testcase; `fail` → `<failure type="fail">`; `error` → `<error
//!   type="error">` (a fault is never reported as a failure: hurl's rule, style #5);
//!   `skip` and `manual` → `<skipped>`, the message of a manual item starting `manual:`.
//! - `warn` → a *passing* testcase whose `<system-out>` carries the warning: JUnit has no
//!   "passed with a warning", and a warning alone does not fail the run (exit code 0).
//!   Under `--strict`, where warnings do fail the run, a warn becomes `<failure type="warn">`
//!   so that the CI's verdict agrees with the exit code.
//! - The `message` attribute holds the one-line summary; the element text holds the
//!   remediation and the evidence. Skipped and warned cases carry them in `<system-out>`.
//! - A single report gives `<testsuite name="kraken-doctor">`; in a multi-target document each
//!   suite is named `kraken-doctor <profile or client id>` so CI keeps the targets apart.
//!
//! Written by hand: the format is small, and escaping is the only subtle part (see [`escape`]).

use std::fmt::Write as _;

use super::{CheckResult, Report, Status, Summary};

/// Escapes `s` for XML 1.0 text and attribute values, and removes what XML 1.0 cannot carry.
///
/// `&<>"'` become entities. Characters illegal in XML 1.0 (control characters other than tab,
/// newline and carriage return; U+FFFE, U+FFFF) are dropped, as are DEL and the C1 controls,
/// which are legal but only ever garbage here. In attribute values tab, newline and carriage
/// return become character references, so a parser's attribute normalization keeps them;
/// in text a carriage return does too (parsers fold a bare `\r` into `\n`).
pub fn escape(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' | '\t' => out.push(c),
            '\u{FFFE}' | '\u{FFFF}' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn attr(s: &str) -> String {
    escape(s, true)
}

fn text(s: &str) -> String {
    escape(s, false)
}

/// Milliseconds as JUnit's seconds with three decimals.
fn seconds(ms: u64) -> String {
    format!("{}.{:03}", ms / 1000, ms % 1000)
}

/// The id's prefix (`auth` for `auth.token`): groups the checks in CI views.
fn classname(id: &str) -> &str {
    id.split('.').next().unwrap_or(id)
}

/// Whether this result fails the run as JUnit sees it.
fn is_failure(check: &CheckResult, strict: bool) -> bool {
    check.status == Status::Fail || (strict && check.status == Status::Warn)
}

/// Remediation, evidence and notes, one per line: the body of a failure or a system-out.
fn body(check: &CheckResult) -> String {
    let mut lines = Vec::new();
    if let Some(remediation) = &check.remediation {
        let label = if check.status == Status::Manual {
            "confirm"
        } else {
            "fix"
        };
        lines.push(format!("{label}: {remediation}"));
    }
    let facts = check.evidence.facts();
    if !facts.is_empty() {
        lines.push(format!("evidence: {}", facts.join(", ")));
    }
    for note in &check.evidence.notes {
        lines.push(format!("note: {note}"));
    }
    lines.join("\n")
}

fn testcase(out: &mut String, check: &CheckResult, strict: bool) {
    let open = format!(
        "    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"",
        attr(classname(&check.id)),
        attr(&check.id),
        seconds(check.duration_ms),
    );
    let message = attr(&check.summary);
    let body = body(check);
    let _ = match check.status {
        Status::Pass => writeln!(out, "{open}/>"),
        Status::Warn if !strict => writeln!(
            out,
            "{open}>\n      <system-out>{}</system-out>\n    </testcase>",
            text(&format!("warn: {}\n{body}", check.summary)),
        ),
        Status::Fail | Status::Warn => writeln!(
            out,
            "{open}>\n      <failure message=\"{message}\" type=\"{}\">{}</failure>\n    </testcase>",
            check.status,
            text(&body),
        ),
        Status::Error => writeln!(
            out,
            "{open}>\n      <error message=\"{message}\" type=\"error\">{}</error>\n    </testcase>",
            text(&body),
        ),
        Status::Skip | Status::Manual => {
            let message = if check.status == Status::Manual {
                attr(&format!("manual: {}", check.summary))
            } else {
                message
            };
            let system_out = if body.is_empty() {
                String::new()
            } else {
                format!("\n      <system-out>{}</system-out>", text(&body))
            };
            writeln!(
                out,
                "{open}>\n      <skipped message=\"{message}\"/>{system_out}\n    </testcase>"
            )
        }
    };
}

/// `tests= failures= errors= skipped=` for a set of counts.
fn counts(summary: &Summary, failures: usize) -> String {
    format!(
        "tests=\"{}\" failures=\"{failures}\" errors=\"{}\" skipped=\"{}\"",
        summary.total(),
        summary.error,
        summary.skip + summary.manual,
    )
}

fn failures(report: &Report) -> usize {
    report
        .checks
        .iter()
        .filter(|c| is_failure(c, report.strict))
        .count()
}

fn testsuite(out: &mut String, report: &Report, name: &str) {
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" {} time=\"{}\" timestamp=\"{}\">",
        attr(name),
        counts(&report.summary, failures(report)),
        seconds(report.duration_ms),
        attr(&report.started_at),
    );
    out.push_str("    <properties>\n");
    let target = &report.target;
    let mut properties = vec![
        ("auth_url", target.auth_url.clone()),
        ("api_url", target.api_url.clone()),
        ("client_id", target.client_id.clone()),
    ];
    if let Some(profile) = &target.profile {
        properties.push(("profile", profile.clone()));
    }
    properties.push(("tool_version", report.tool_version.to_string()));
    properties.push(("exit_code", report.exit_code.to_string()));
    properties.push(("strict", report.strict.to_string()));
    for (key, value) in properties {
        let _ = writeln!(
            out,
            "      <property name=\"{key}\" value=\"{}\"/>",
            attr(&value)
        );
    }
    out.push_str("    </properties>\n");
    for check in &report.checks {
        testcase(out, check, report.strict);
    }
    out.push_str("  </testsuite>\n");
}

fn document(reports: &[Report], multi: bool) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let summary = Summary::combined(reports);
    let failures: usize = reports.iter().map(failures).sum();
    let time: u64 = reports.iter().map(|r| r.duration_ms).sum();
    let _ = writeln!(
        out,
        "<testsuites name=\"kraken-doctor\" {} time=\"{}\">",
        counts(&summary, failures),
        seconds(time),
    );
    for report in reports {
        let name = if multi {
            format!("kraken-doctor {}", report.label())
        } else {
            "kraken-doctor".to_string()
        };
        testsuite(&mut out, report, &name);
    }
    out.push_str("</testsuites>\n");
    out
}

/// The report as a JUnit XML document with one `<testsuite>`.
pub fn render(report: &Report) -> String {
    document(std::slice::from_ref(report), false)
}

/// The reports of a multi-target run as one JUnit document, one `<testsuite>` per target.
pub fn render_multi(reports: &[Report]) -> String {
    document(reports, true)
}

#[cfg(test)]
mod tests;
