//! GitHub Actions: under `GITHUB_ACTIONS=true`, [`publish`] prints workflow-command
//! annotations to stderr, beside whatever report format went to stdout, so that a failing check
//! shows up on the run's summary page and not only in its log; and when `GITHUB_STEP_SUMMARY`
//! names a file, it appends the Markdown report there (the job summary).
//!
//! One annotation per `fail` or `error` (`::error`) and per `warn` (`::warning`; `::error`
//! under `--strict`, where warnings fail the run). Passes, skips and manual items are silent.
//! In a multi-target run each title names the target.

use std::io::Write as _;
use std::path::Path;

use super::{CheckResult, Report, Status, markdown};
use crate::redact::Redactor;

/// Escapes a workflow command's message, as GitHub's toolkit does (`escapeData`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (`escapeProperty`): the message's escapes,
/// plus `:` and `,`, which would end the property.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// True when running under GitHub Actions (`GITHUB_ACTIONS=true`).
pub fn in_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

fn annotation(out: &mut String, check: &CheckResult, strict: bool, label: Option<&str>) {
    let command = match check.status {
        Status::Fail | Status::Error => "error",
        Status::Warn if strict => "error",
        Status::Warn => "warning",
        Status::Pass | Status::Skip | Status::Manual => return,
    };
    let title = match label {
        Some(label) => format!("kraken-doctor {label} {}", check.id),
        None => format!("kraken-doctor {}", check.id),
    };
    let message = match &check.remediation {
        Some(remediation) => format!("{} — {remediation}", check.summary),
        None => check.summary.clone(),
    };
    out.push_str(&format!(
        "::{command} title={}::{}\n",
        escape_property(&title),
        escape_data(&message)
    ));
}

/// The annotations for one report, one line each (empty when nothing needs attention).
pub fn annotations(report: &Report) -> String {
    let mut out = String::new();
    for check in &report.checks {
        annotation(&mut out, check, report.strict, None);
    }
    out
}

/// The annotations for a multi-target run: titles name the target (profile or client id).
pub fn annotations_multi(reports: &[Report]) -> String {
    let mut out = String::new();
    for report in reports {
        for check in &report.checks {
            annotation(&mut out, check, report.strict, Some(report.label()));
        }
    }
    out
}

/// The annotations of a run: [`annotations`] for one target, [`annotations_multi`] for more.
pub fn run_annotations(reports: &[Report]) -> String {
    match reports {
        [one] => annotations(one),
        many => annotations_multi(many),
    }
}

/// The Markdown report of a run, one target or several.
pub fn markdown(reports: &[Report]) -> String {
    match reports {
        [one] => markdown::render(one),
        many => markdown::render_multi(many),
    }
}

/// Appends `text` to the file at `path`, creating it if needed (GitHub creates it; a local
/// imitation may not).
fn append(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

/// What `check` does under GitHub Actions (nothing elsewhere): prints the annotations of
/// `reports` to stderr and, when `GITHUB_STEP_SUMMARY` is set, appends their Markdown report
/// to that file. Everything passes through `redactor` first. An unwritable summary file is
/// said on stderr and does not change the exit code: the report itself was delivered.
pub fn publish(reports: &[Report], redactor: &Redactor) {
    if !in_github_actions() {
        return;
    }
    eprint!("{}", redactor.redact(&run_annotations(reports)));
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let path = Path::new(&path);
    let text = redactor.redact(&markdown(reports)) + "\n";
    if let Err(e) = append(path, &text) {
        eprintln!(
            "kraken-doctor: cannot append the job summary to {}: {e}",
            path.display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn one_line_per_fail_error_and_warn() {
        let report = fixtures::broken();
        let text = annotations(&report);
        let lines: Vec<_> = text.lines().collect();
        let s = &report.summary;
        assert_eq!(lines.len(), s.fail + s.error + s.warn);
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::error ")).count(),
            s.fail + s.error
        );
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("::warning ")).count(),
            s.warn
        );
        let confidential = &report.checks[2];
        assert_eq!(confidential.id, "auth.confidential");
        let expected = format!(
            "::error title=kraken-doctor auth.confidential::{} — {}",
            confidential.summary,
            confidential.remediation.as_deref().unwrap()
        );
        assert!(lines.contains(&escape_data(&expected).as_str()), "{text}");
        assert_eq!(annotations(&fixtures::healthy()), "");
    }

    #[test]
    fn strict_makes_warnings_errors() {
        let mut report = fixtures::broken();
        report.strict = true;
        let text = annotations(&report);
        assert!(!text.contains("::warning"));
        assert!(text.contains("::error title=kraken-doctor auth.methods::"));
    }

    #[test]
    fn escaping_follows_github() {
        assert_eq!(escape_data("100% a:b,c\r\nd"), "100%25 a:b,c%0D%0Ad");
        assert_eq!(
            escape_property("100% a:b,c\r\nd"),
            "100%25 a%3Ab%2Cc%0D%0Ad"
        );
        // Escaping `%` first keeps an existing `%0A` from turning into a newline.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn hostile_text_stays_one_command_per_line() {
        let report = fixtures::hostile();
        let text = annotations(&report);
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 3, "fail, error and warn: {text}");
        for line in lines {
            assert!(line.starts_with("::error title=") || line.starts_with("::warning title="));
            assert!(!line.contains('\r'));
            let (properties, _message) = line[2..].split_once("::").expect("one separator");
            assert!(
                !properties.contains(','),
                "a comma would split the properties"
            );
        }
    }

    #[test]
    fn multi_titles_name_the_target() {
        let reports = [fixtures::broken(), fixtures::healthy()];
        let text = run_annotations(&reports);
        assert_eq!(text, annotations_multi(&reports));
        assert!(text.contains("::error title=kraken-doctor staging auth.confidential::"));
        assert!(!text.contains("kd-healthy-0001"));
        let one = [fixtures::broken()];
        assert_eq!(run_annotations(&one), annotations(&one[0]));
        assert!(run_annotations(&one).contains("title=kraken-doctor auth.confidential::"));
    }

    #[test]
    fn the_job_summary_is_appended_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("summary.md");
        std::fs::write(&path, "earlier step\n").unwrap();
        append(&path, &markdown(&[fixtures::broken()])).unwrap();
        append(&path, "later\n").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("earlier step\n### kraken-doctor"));
        assert!(text.ends_with("later\n"));
        assert!(append(&dir.path().join("no/such/dir"), "x").is_err());
    }
}
