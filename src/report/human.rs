//! The human report: what a person reads in a terminal. One aligned line per check, details
//! only under the results that need attention, and a closing line that says what the exit
//! code means. Colour is an argument (`color`), decided once by the caller from `--color`,
//! `NO_COLOR` and TTY detection; this module never consults `colored`'s global override, and
//! the model never holds coloured strings.

use colored::Color;

use super::{CheckResult, Report, Status, Summary, combined_exit_code};

/// Text width the details are wrapped to (the whole line, indentation included).
const WIDTH: usize = 90;
/// Column where the check id starts; details are indented to it.
const DETAIL_INDENT: usize = 12;
/// Width of the detail labels (`evidence:`), so that their text lines up.
const LABEL_WIDTH: usize = 10;
/// Titles longer than this are not padded (the time column then moves right for that line).
const MAX_TITLE_PAD: usize = 48;

/// A terminal style: an optional foreground colour, bold, dimmed.
#[derive(Clone, Copy)]
struct Style {
    fg: Option<Color>,
    bold: bool,
    dim: bool,
}

impl Style {
    const fn fg(color: Color) -> Style {
        Style {
            fg: Some(color),
            bold: false,
            dim: false,
        }
    }
    const BOLD: Style = Style {
        fg: None,
        bold: true,
        dim: false,
    };
    const DIM: Style = Style {
        fg: None,
        bold: false,
        dim: true,
    };
    const fn bold(self) -> Style {
        Style { bold: true, ..self }
    }
}

/// `s` in `style` when `color` is true, else `s` unchanged. Builds the ANSI sequence itself
/// from `colored`'s colour codes, so the output depends on the argument alone.
fn paint(s: &str, style: Style, color: bool) -> String {
    if !color || s.is_empty() {
        return s.to_string();
    }
    let mut codes: Vec<String> = Vec::new();
    if style.bold {
        codes.push("1".to_string());
    }
    if style.dim {
        codes.push("2".to_string());
    }
    if let Some(fg) = style.fg {
        codes.push(fg.to_fg_str().into_owned());
    }
    if codes.is_empty() {
        return s.to_string();
    }
    format!("\x1b[{}m{s}\x1b[0m", codes.join(";"))
}

/// The mark shown before a status word: one column wide each, so lines align.
fn mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "✓",
        Status::Warn => "!",
        Status::Fail => "✗",
        Status::Error => "?",
        Status::Skip => "-",
        Status::Manual => "☐",
    }
}

fn status_style(status: Status) -> Style {
    match status {
        Status::Pass => Style::fg(Color::Green),
        Status::Warn => Style::fg(Color::Yellow).bold(),
        Status::Fail => Style::fg(Color::Red).bold(),
        Status::Error => Style::fg(Color::Magenta).bold(),
        Status::Skip => Style::DIM,
        Status::Manual => Style::fg(Color::Cyan),
    }
}

/// `✓ pass  ` style label, padded to the widest status word.
pub fn status_label(status: Status, color: bool) -> String {
    let label = format!("{} {:<6}", mark(status), status.as_str());
    paint(&label, status_style(status), color)
}

/// `12 ms` below a second, `1.2 s` from there.
fn duration(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}

/// Replaces control characters (a server's text could carry terminal escape sequences) with
/// U+FFFD and tabs with a space. Newlines are kept: `wrap` treats them as line breaks.
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' => '\n',
            '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// A one-line version of `s` for places that must stay on one line (titles, the header).
fn one_line(s: &str) -> String {
    sanitize(s).replace('\n', " ")
}

/// Greedy word wrap to `width` characters. Explicit newlines start a new line; a word longer
/// than `width` (a URL) gets a line of its own rather than being cut.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let needed = line.chars().count() + 1 + word.chars().count();
            if !line.is_empty() && needed > width {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    lines
}

/// Lines of `text` wrapped under an optional label: `label` on the first line, the rest
/// indented to line up with the text.
fn labelled(out: &mut Vec<String>, label: &str, text: &str, color: bool) {
    let indent = " ".repeat(DETAIL_INDENT);
    let (label_cell, width) = if label.is_empty() {
        (String::new(), WIDTH - DETAIL_INDENT)
    } else {
        (
            paint(&format!("{label:<LABEL_WIDTH$}"), Style::DIM, color),
            WIDTH - DETAIL_INDENT - LABEL_WIDTH,
        )
    };
    let continuation = " ".repeat(if label.is_empty() { 0 } else { LABEL_WIDTH });
    for (i, line) in wrap(&sanitize(text), width).into_iter().enumerate() {
        let lead = if i == 0 { &label_cell } else { &continuation };
        out.push(format!("{indent}{lead}{line}").trim_end().to_string());
    }
}

/// The details under a non-pass result: summary, evidence, notes, remediation.
fn details(check: &CheckResult, color: bool) -> Vec<String> {
    let mut out = Vec::new();
    labelled(&mut out, "", &check.summary, color);
    let facts = check.evidence.facts();
    if !facts.is_empty() {
        labelled(&mut out, "evidence:", &facts.join(" · "), color);
    }
    for note in &check.evidence.notes {
        labelled(&mut out, "note:", note, color);
    }
    if let Some(remediation) = &check.remediation {
        let label = if check.status == Status::Manual {
            "confirm:"
        } else {
            "fix:"
        };
        labelled(&mut out, label, remediation, color);
    }
    out
}

/// The header: tool, client, profile, then the two endpoints.
fn header(report: &Report, color: bool) -> Vec<String> {
    let target = &report.target;
    let mut who = format!("client {}", one_line(&target.client_id));
    if let Some(profile) = &target.profile {
        who.push_str(&format!(" (profile {})", one_line(profile)));
    }
    vec![
        format!(
            "{} {}",
            paint(
                &format!("kraken-doctor {}", report.tool_version),
                Style::BOLD,
                color
            ),
            paint(&format!("· {who}"), Style::BOLD, color),
        ),
        format!(
            "  {}{}",
            paint("auth  ", Style::DIM, color),
            one_line(&target.auth_url)
        ),
        format!(
            "  {}{}",
            paint("api   ", Style::DIM, color),
            one_line(&target.api_url)
        ),
    ]
}

/// One line per check, with details under the non-pass ones.
fn check_lines(report: &Report, color: bool) -> Vec<String> {
    let id_width = report
        .checks
        .iter()
        .map(|c| c.id.chars().count())
        .max()
        .unwrap_or(0);
    let title_width = report
        .checks
        .iter()
        .map(|c| one_line(&c.title).chars().count())
        .filter(|&w| w <= MAX_TITLE_PAD)
        .max()
        .unwrap_or(0);
    let time_width = report
        .checks
        .iter()
        .map(|c| duration(c.duration_ms).len())
        .max()
        .unwrap_or(0);
    let mut out = Vec::new();
    for check in &report.checks {
        let id = one_line(&check.id);
        let title = one_line(&check.title);
        let time = format!("{:>time_width$}", duration(check.duration_ms));
        out.push(format!(
            "  {}  {}  {:<title_width$}  {}",
            status_label(check.status, color),
            paint(&format!("{id:<id_width$}"), Style::BOLD, color),
            title,
            paint(&time, Style::DIM, color),
        ));
        // A pass shows its details only when it needed retries: the evidence says so.
        let retried = check
            .evidence
            .notes
            .iter()
            .any(|n| n.starts_with("attempt "));
        if check.status != Status::Pass || retried {
            out.extend(details(check, color));
        }
    }
    out
}

/// `10 pass · 2 warn · ...`: every status, zeros dimmed.
fn counts(summary: &Summary, color: bool) -> String {
    Status::ALL
        .iter()
        .map(|&status| {
            let n = summary.count(status);
            let text = format!("{n} {status}");
            let style = if n == 0 {
                Style::DIM
            } else {
                status_style(status)
            };
            paint(&text, style, color)
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// What the exit code means, in words, then what is left for a person to confirm.
fn exit_meaning(code: i32, summary: &Summary, color: bool) -> String {
    let words = match code {
        0 if summary.warn > 0 => format!(
            "nothing failed or errored; {} {} a look",
            plural(summary.warn, "warning"),
            if summary.warn == 1 {
                "deserves"
            } else {
                "deserve"
            }
        ),
        0 => "nothing failed or errored".to_string(),
        1 if summary.fail == 0 => {
            "no check failed, but warnings count as failures under --strict".to_string()
        }
        1 => "at least one check failed — the setup needs a fix (see the fix: lines)".to_string(),
        3 => "nothing failed, but at least one check could not be decided (error)".to_string(),
        other => format!("unexpected exit code {other}"),
    };
    let manual = if summary.manual > 0 {
        format!(
            " {} for a person to confirm.",
            plural(summary.manual, "manual item")
        )
    } else {
        String::new()
    };
    let style = match code {
        0 => status_style(Status::Pass),
        1 => status_style(Status::Fail),
        _ => status_style(Status::Error),
    };
    format!(
        "{}{words}.{manual}",
        paint(&format!("exit {code}: "), style.bold(), color)
    )
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Header, check lines and the counts line of one report (no exit line).
fn body(report: &Report, color: bool) -> Vec<String> {
    let mut lines = header(report, color);
    lines.push(String::new());
    lines.extend(check_lines(report, color));
    lines.push(String::new());
    lines.push(format!(
        "{} — {} in {}",
        counts(&report.summary, color),
        plural(report.checks.len(), "check"),
        duration(report.duration_ms),
    ));
    lines
}

/// Renders one report for a terminal. `color` turns ANSI styling on; nothing else does.
pub fn render(report: &Report, color: bool) -> String {
    let mut lines = body(report, color);
    lines.push(exit_meaning(report.exit_code, &report.summary, color));
    lines.join("\n") + "\n"
}

/// Only the check lines of `report`, with details under the non-pass ones: the compact form
/// `guide` shows after verifying one step.
pub fn render_checks(report: &Report, color: bool) -> String {
    check_lines(report, color).join("\n") + "\n"
}

/// Renders several targets' reports: each under a heading with its profile name or client id,
/// then one line of combined counts and what the run's exit code means. The per-target
/// sections carry no exit line: the process has one exit code, for the whole run.
pub fn render_multi(reports: &[Report], color: bool) -> String {
    let mut lines = Vec::new();
    for report in reports {
        let heading = format!("══ {} ══", one_line(report.label()));
        lines.push(paint(&heading, Style::BOLD, color));
        lines.extend(body(report, color));
        lines.push(String::new());
    }
    let summary = Summary::combined(reports);
    let not_clean = reports.iter().filter(|r| r.exit_code != 0).count();
    lines.push(format!(
        "{} {} — {}, {not_clean} not clean",
        paint("All targets:", Style::BOLD, color),
        counts(&summary, color),
        plural(reports.len(), "target"),
    ));
    lines.push(exit_meaning(combined_exit_code(reports), &summary, color));
    lines.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    #[test]
    fn healthy_report_snapshot() {
        fixtures::snapshot!(
            "report__human_healthy",
            &render(&fixtures::healthy(), false),
        );
    }

    #[test]
    fn broken_report_snapshot() {
        fixtures::snapshot!("report__human_broken", &render(&fixtures::broken(), false));
    }

    #[test]
    fn multi_report_snapshot() {
        let reports = [fixtures::broken(), fixtures::healthy()];
        fixtures::snapshot!("report__human_multi", &render_multi(&reports, false));
    }

    #[test]
    fn colour_is_the_argument_and_nothing_else() {
        let report = fixtures::broken();
        let plain = render(&report, false);
        let coloured = render(&report, true);
        assert!(
            !plain.contains('\x1b'),
            "color=false must emit no ANSI escapes"
        );
        assert!(
            coloured.contains("\x1b["),
            "color=true must emit ANSI escapes"
        );
        let multi = [fixtures::healthy(), fixtures::broken()];
        assert!(!render_multi(&multi, false).contains('\x1b'));
        assert!(render_multi(&multi, true).contains("\x1b["));
    }

    #[test]
    fn stripping_the_colour_gives_the_plain_text() {
        let report = fixtures::broken();
        let coloured = render(&report, true);
        let mut stripped = String::new();
        let mut rest = coloured.as_str();
        while let Some(start) = rest.find("\x1b[") {
            stripped.push_str(&rest[..start]);
            let end = rest[start..].find('m').expect("unterminated SGR") + start;
            rest = &rest[end + 1..];
        }
        stripped.push_str(rest);
        assert_eq!(stripped, render(&report, false));
    }

    #[test]
    fn server_text_cannot_inject_terminal_escapes() {
        let text = render(&fixtures::hostile(), false);
        assert!(!text.contains('\x1b'));
        assert!(!text.contains('\u{7}'));
        assert!(!text.contains('\u{0}'));
        assert!(!text.contains('\r'));
    }

    #[test]
    fn details_stay_within_the_width_unless_a_word_is_longer() {
        for line in render(&fixtures::broken(), false).lines() {
            if line.starts_with(&" ".repeat(DETAIL_INDENT)) {
                assert!(line.chars().count() <= WIDTH, "too wide: {line:?}");
            }
        }
        assert_eq!(wrap("a verylongword b", 4), ["a", "verylongword", "b"]);
        assert_eq!(wrap("one\ntwo", 80), ["one", "two"]);
    }

    #[test]
    fn every_status_has_a_distinct_single_column_mark() {
        let marks: std::collections::HashSet<_> = Status::ALL.iter().map(|&s| mark(s)).collect();
        assert_eq!(marks.len(), Status::ALL.len());
        assert!(marks.iter().all(|m| m.chars().count() == 1));
    }

    #[test]
    fn exit_code_is_explained_in_words() {
        assert!(render(&fixtures::healthy(), false).contains("exit 0: nothing failed or errored"));
        assert!(render(&fixtures::broken(), false).contains("exit 1: at least one check failed"));
        let mut strict = fixtures::every_evidence_shape();
        strict.checks.retain(|c| c.status == Status::Warn);
        strict.summary = Summary::of(&strict.checks);
        strict.exit_code = crate::report::exit_code(&strict.summary, true);
        assert!(render(&strict, false).contains("exit 1: no check failed, but warnings count"));
        let mut errored = fixtures::broken();
        errored.checks.retain(|c| c.status != Status::Fail);
        errored.summary = Summary::of(&errored.checks);
        errored.exit_code = crate::report::exit_code(&errored.summary, false);
        assert!(render(&errored, false).contains("exit 3: nothing failed, but at least one"));
    }
}
