//! The OpenMetrics text exposition of a run, for scheduled checks feeding Prometheus (through
//! node_exporter's textfile collector). One metric family per fact, one sample per target:
//!
//! - `kraken_doctor_check_status{target,check,status}`: 1 for the status the check ended
//!   with, 0 for the five others, so that an alert matches `status="fail"`;
//! - `kraken_doctor_exit_code{target}`, `kraken_doctor_run_duration_seconds{target}`,
//!   `kraken_doctor_token_lifetime_seconds{target}` (only when a token told its lifetime),
//!   `kraken_doctor_last_run_timestamp_seconds{target}` (when the run started).
//!
//! The `target` label is the client id and the auth server's host (`client@host`): never a
//! secret or a token. Every family is a gauge, and the text is also valid Prometheus text but
//! for `# UNIT` and `# EOF` (see the README's "Scheduled checks").

use super::{Report, Status};

/// The prefix of every metric name.
const PREFIX: &str = "kraken_doctor";

/// The report as OpenMetrics text, ending in `# EOF`.
pub fn render(report: &Report) -> String {
    render_multi(std::slice::from_ref(report))
}

/// The reports of a multi-target run in one exposition: each family once, a sample per target.
pub fn render_multi(reports: &[Report]) -> String {
    let mut out = String::new();
    family(
        &mut out,
        "check_status",
        None,
        "Status of each check: 1 for the status it ended with, 0 for the others",
    );
    for report in reports {
        let target = target_label(report);
        for check in &report.checks {
            for status in Status::ALL {
                sample(
                    &mut out,
                    "check_status",
                    &[
                        ("target", &target),
                        ("check", &check.id),
                        ("status", status.as_str()),
                    ],
                    if check.status == status { "1" } else { "0" },
                );
            }
        }
    }
    per_target(
        &mut out,
        reports,
        "exit_code",
        None,
        "The exit code the run implies (0 all good, 1 something to fix, 3 undecided)",
        |r| Some(r.exit_code.to_string()),
    );
    per_target(
        &mut out,
        reports,
        "run_duration_seconds",
        Some("seconds"),
        "Wall time of the run",
        |r| Some(seconds(r.duration_ms)),
    );
    per_target(
        &mut out,
        reports,
        "token_lifetime_seconds",
        Some("seconds"),
        "Lifetime of the issued access token (expires_in, else the JWT's exp)",
        |r| r.token_lifetime_s.map(|s| s.to_string()),
    );
    per_target(
        &mut out,
        reports,
        "last_run_timestamp_seconds",
        Some("seconds"),
        "When the run started, in Unix seconds",
        |r| crate::time::parse_rfc3339_secs(&r.started_at).map(|s| s.to_string()),
    );
    out.push_str("# EOF\n");
    out
}

/// A family with one sample per target that has a value; no family at all when none has.
fn per_target(
    out: &mut String,
    reports: &[Report],
    name: &str,
    unit: Option<&str>,
    help: &str,
    value: impl Fn(&Report) -> Option<String>,
) {
    let samples: Vec<(String, String)> = reports
        .iter()
        .filter_map(|r| value(r).map(|v| (target_label(r), v)))
        .collect();
    if samples.is_empty() {
        return;
    }
    family(out, name, unit, help);
    for (target, v) in samples {
        sample(out, name, &[("target", &target)], &v);
    }
}

fn family(out: &mut String, name: &str, unit: Option<&str>, help: &str) {
    out.push_str(&format!("# TYPE {PREFIX}_{name} gauge\n"));
    if let Some(unit) = unit {
        out.push_str(&format!("# UNIT {PREFIX}_{name} {unit}\n"));
    }
    out.push_str(&format!("# HELP {PREFIX}_{name} {}\n", escape(help)));
}

fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: &str) {
    let labels: Vec<String> = labels
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
        .collect();
    out.push_str(&format!(
        "{PREFIX}_{name}{{{}}} {value}\n",
        labels.join(",")
    ));
}

/// Milliseconds as decimal seconds (`0.35`, `2`).
fn seconds(ms: u64) -> String {
    format!("{}", ms as f64 / 1000.0)
}

/// `client_id@host[:port]` of the auth URL: which application on which Kraken. The URL's
/// user-info, path and query are left out, so nothing but the host can come from it.
fn target_label(report: &Report) -> String {
    let host = url::Url::parse(&report.target.auth_url)
        .ok()
        .and_then(|u| {
            let host = u.host_str()?.to_string();
            Some(match u.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            })
        })
        .unwrap_or_else(|| "unknown".to_string());
    format!("{}@{host}", report.target.client_id)
}

/// Escapes a label value or help text: backslash, double quote and newline (OpenMetrics
/// ABNF `escaped-string`). A carriage return becomes `\n` too, so a sample stays one line.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' | '\r' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn escapes_backslash_quote_and_newlines() {
        assert_eq!(escape(r#"a\b"c"#), r#"a\\b\"c"#);
        assert_eq!(escape("one\r\ntwo"), r"one\n\ntwo");
        assert_eq!(escape("plain"), "plain");
    }

    #[test]
    fn a_hostile_report_keeps_one_sample_a_line() {
        let text = render(&fixtures::hostile());
        for line in text.lines() {
            assert!(
                line.starts_with("# ") || line.starts_with("kraken_doctor_"),
                "{line:?}"
            );
            // Every quote inside a label value is escaped: unescaped quotes pair up.
            let unescaped = line.replace("\\\\", "").replace("\\\"", "");
            assert_eq!(unescaped.matches('"').count() % 2, 0, "{line:?}");
        }
        // The hostile auth URL does not parse: the host is `unknown`, never its text.
        assert!(text.contains("@unknown\""), "{text}");
    }

    #[test]
    fn structure_one_family_each_one_sample_per_target() {
        let reports = [fixtures::broken(), fixtures::healthy()];
        let text = render_multi(&reports);
        assert!(text.ends_with("\n# EOF\n"));
        assert_eq!(text.matches("# EOF").count(), 1);
        for name in ["check_status", "exit_code", "run_duration_seconds"] {
            let type_line = format!("# TYPE kraken_doctor_{name} gauge\n");
            assert_eq!(text.matches(&type_line).count(), 1, "{name}");
        }
        // Six samples per check and target, exactly one of them 1.
        let checks: usize = reports.iter().map(|r| r.checks.len()).sum();
        let status: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("kraken_doctor_check_status{"))
            .collect();
        assert_eq!(status.len(), checks * 6);
        assert_eq!(status.iter().filter(|l| l.ends_with("} 1")).count(), checks);
        assert!(text.contains(
            "kraken_doctor_check_status{target=\"kd-healthy-0001@auth.oeg-kraken.energy\",\
             check=\"auth.token\",status=\"pass\"} 1\n"
        ));
        let healthy = &reports[1];
        assert!(text.contains(&format!(
            "kraken_doctor_exit_code{{target=\"kd-healthy-0001@auth.oeg-kraken.energy\"}} {}\n",
            healthy.exit_code
        )));
        // 2026-07-27T09:30:00Z, the fixtures' start.
        assert!(text.contains("} 1785144600\n"), "{text}");
        // Families come whole: a family's samples follow its own metadata.
        let mut current = String::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("# TYPE ") {
                current = rest.split(' ').next().unwrap().to_string();
            } else if !line.starts_with('#') {
                assert!(line.starts_with(&format!("{current}{{")), "{line}");
            }
        }
    }

    #[test]
    fn token_lifetime_only_when_known() {
        let mut report = fixtures::healthy();
        assert!(!render(&report).contains("token_lifetime"));
        report.token_lifetime_s = Some(3600);
        let text = render(&report);
        assert!(text.contains("# UNIT kraken_doctor_token_lifetime_seconds seconds\n"));
        assert!(text.contains(
            "kraken_doctor_token_lifetime_seconds{target=\"kd-healthy-0001@auth.oeg-kraken.energy\"} 3600\n"
        ));
    }
}
