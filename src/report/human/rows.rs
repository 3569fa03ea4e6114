//! The check lines of the human report: one row per check that fits the width (the title is
//! cut, never the duration), details under the results that need attention, a `skip` in one
//! row of its own, the checks stopped by one check that did not come through folded into one
//! row, and the manual items as one short block. Within one report, a note or a fix
//! already shown is not shown again: one fault is said once.

use std::collections::{HashMap, HashSet};

use super::Look;
use super::style::{LABEL_WIDTH, Style, paint, status_label, status_style};
use crate::report::text::{columns, duration, hang, one_line, plural, truncate};
use crate::report::{CheckResult, Report, Status};

/// Indentation of a row.
const INDENT: usize = 2;
/// Column where the check id starts; details are indented to it.
pub(super) const DETAIL_INDENT: usize = INDENT + LABEL_WIDTH + 1;
/// Width of the detail labels (`evidence:`), so that their text lines up.
const LABEL: usize = 10;
/// A title is never cut shorter than this, whatever the width.
const MIN_TITLE: usize = 12;

/// What one report has said already: notes, and each fix with the check that first gave it.
#[derive(Default)]
struct Said {
    notes: HashSet<String>,
    fixes: HashMap<String, String>,
}

/// Whether a pass needed retries (its evidence says so): such a pass shows its details.
fn retried(check: &CheckResult) -> bool {
    check.status == Status::Pass
        && check
            .evidence
            .notes
            .iter()
            .any(|n| n.starts_with("attempt "))
}

/// Whether the manual items are folded into one block: unless `-v` asked for everything, or
/// the report holds nothing else (`--only manual`).
fn folds_manual(report: &Report, look: &Look) -> bool {
    !look.verbose && report.checks.iter().any(|c| c.status != Status::Manual)
}

/// The checks that get a row.
fn listed<'a>(report: &'a Report, look: &Look) -> Vec<&'a CheckResult> {
    let fold = folds_manual(report, look);
    report
        .checks
        .iter()
        .filter(|c| !(look.quiet && c.status == Status::Pass))
        .filter(|c| !(fold && c.status == Status::Manual))
        .collect()
}

/// Widths of the id, title and duration columns.
struct Columns {
    id: usize,
    title: usize,
    time: usize,
}

impl Columns {
    fn of(rows: &[&CheckResult], width: usize) -> Columns {
        let with_title = || rows.iter().filter(|c| c.status != Status::Skip);
        let id = rows.iter().map(|c| columns(&one_line(&c.id))).max();
        let time = with_title().map(|c| duration(c.duration_ms).len()).max();
        let (id, time) = (id.unwrap_or(0), time.unwrap_or(0));
        let natural = with_title()
            .map(|c| columns(&one_line(&c.title)))
            .max()
            .unwrap_or(0);
        let room = width.saturating_sub(DETAIL_INDENT + id + 2 + 2 + time);
        Columns {
            id,
            title: natural.min(room.max(MIN_TITLE)),
            time,
        }
    }

    /// Where a skip's summary starts (the title column).
    fn title_start(&self) -> usize {
        DETAIL_INDENT + self.id + 2
    }
}

/// `label` and its text, wrapped under the details' indentation.
fn labelled(out: &mut Vec<String>, label: &str, text: &str, look: &Look) {
    let rest = " ".repeat(DETAIL_INDENT + LABEL);
    let lead = format!(
        "{}{}",
        " ".repeat(DETAIL_INDENT),
        paint(&format!("{label:<LABEL$}"), Style::DIM, look.color)
    );
    for (i, line) in hang(&rest, &rest, text, look.width())
        .into_iter()
        .enumerate()
    {
        out.push(match i {
            0 => format!("{lead}{}", line.get(rest.len()..).unwrap_or("")),
            _ => line,
        });
    }
}

/// The details under a result that needs attention: summary, evidence, the notes not said
/// yet, and the fix (or where it was given already).
fn details(out: &mut Vec<String>, check: &CheckResult, look: &Look, said: &mut Said) {
    let indent = " ".repeat(DETAIL_INDENT);
    out.extend(hang(&indent, &indent, &check.summary, look.width()));
    let facts = check.evidence.facts();
    if !facts.is_empty() {
        labelled(out, "evidence:", &facts.join(" · "), look);
    }
    for note in check.evidence.notes.iter().filter(|_| !look.brief) {
        if said.notes.insert(note.clone()) {
            labelled(out, "note:", note, look);
        }
    }
    if let Some(fix) = &check.remediation {
        let label = if check.status == Status::Manual {
            "confirm:"
        } else {
            "fix:"
        };
        match said.fixes.get(fix) {
            Some(first) => labelled(out, label, &format!("as for {first} above"), look),
            None => {
                said.fixes.insert(fix.clone(), one_line(&check.id));
                labelled(out, label, fix, look);
            }
        }
    }
}

/// A row: status, id, title cut to fit, duration; a skip shows its summary instead of the
/// title and duration, wrapped under the title column, and nothing more.
fn row(out: &mut Vec<String>, check: &CheckResult, cols: &Columns, look: &Look) {
    let id = one_line(&check.id);
    let lead = format!(
        "{}{} {}  ",
        " ".repeat(INDENT),
        status_label(check.status, look.color),
        paint(&format!("{id:<w$}", w = cols.id), Style::BOLD, look.color),
    );
    if check.status == Status::Skip {
        let plain = " ".repeat(cols.title_start());
        for (i, line) in hang(&plain, &plain, &check.summary, look.width())
            .into_iter()
            .enumerate()
        {
            let line = paint(line.trim_start(), Style::DIM, look.color);
            out.push(if i == 0 {
                format!("{lead}{line}")
            } else {
                format!("{plain}{line}")
            });
        }
        return;
    }
    let title = truncate(&one_line(&check.title), cols.title);
    let time = format!("{:>w$}", duration(check.duration_ms), w = cols.time);
    out.push(format!(
        "{lead}{title:<w$}  {}",
        paint(&time, Style::DIM, look.color),
        w = cols.title
    ));
}

/// The reasons that stop more than one listed check: those checks fold into one row (unless
/// `-v` asked for every row). The report's JSON and JUnit keep one result each.
fn folded<'a>(rows: &[&'a CheckResult], look: &Look) -> HashMap<&'a str, usize> {
    let mut count: HashMap<&str, usize> = HashMap::new();
    if look.verbose {
        return count;
    }
    for reason in rows.iter().filter_map(|c| c.blocked.as_deref()) {
        *count.entry(reason).or_default() += 1;
    }
    count.retain(|_, n| *n > 1);
    count
}

/// The row standing for `n` checks stopped for `reason`.
fn fold_row(out: &mut Vec<String>, n: usize, reason: &str, look: &Look) {
    let lead = format!(
        "{}{} ",
        " ".repeat(INDENT),
        status_label(Status::Skip, look.color)
    );
    let text = format!("{n} checks not run: {reason} (-v lists them)");
    let indent = " ".repeat(DETAIL_INDENT);
    for (i, line) in hang(&indent, &indent, &text, look.width())
        .into_iter()
        .enumerate()
    {
        let words = paint(line.trim_start(), Style::DIM, look.color);
        out.push(match i {
            0 => format!("{lead}{words}"),
            _ => format!("{indent}{words}"),
        });
    }
}

/// One line per listed check, with details under those that need attention.
pub(super) fn check_lines(report: &Report, look: &Look) -> Vec<String> {
    let listed = listed(report, look);
    let folds = folded(&listed, look);
    let is_folded = |c: &CheckResult| c.blocked.as_deref().is_some_and(|r| folds.contains_key(r));
    let shown: Vec<&CheckResult> = listed.iter().copied().filter(|c| !is_folded(c)).collect();
    let cols = Columns::of(&shown, look.width());
    let mut said = Said::default();
    let mut out = Vec::new();
    let mut fold_said = HashSet::new();
    for check in listed {
        if let Some(reason) = check.blocked.as_deref().filter(|_| is_folded(check)) {
            if fold_said.insert(reason) {
                fold_row(&mut out, folds[reason], reason, look);
            }
            continue;
        }
        row(&mut out, check, &cols, look);
        if !matches!(check.status, Status::Pass | Status::Skip) || retried(check) {
            details(&mut out, check, look, &mut said);
        }
    }
    out
}

/// The folded manual items: how many, which, and how to see them in full. Empty when there
/// are none or they have rows of their own.
pub(super) fn manual_block(report: &Report, look: &Look) -> Vec<String> {
    let items: Vec<_> = report
        .checks
        .iter()
        .filter(|c| c.status == Status::Manual)
        .collect();
    if items.is_empty() || !folds_manual(report, look) {
        return Vec::new();
    }
    let names: Vec<_> = items
        .iter()
        .map(|c| one_line(c.id.strip_prefix("manual.").unwrap_or(&c.id)))
        .collect();
    let text = format!(
        "{} {} to confirm by hand on the support site: {}. -v shows {} in full.",
        Status::Manual.mark(),
        items.len(),
        names.join(", "),
        if items.len() == 1 { "it" } else { "them" },
    );
    let first = " ".repeat(INDENT);
    let rest = " ".repeat(INDENT + 2);
    hang(&first, &rest, &text, look.width())
        .into_iter()
        .map(|line| paint(&line, status_style(Status::Manual), look.color))
        .collect()
}

/// `10 pass · 1 fail · 4 manual`: the statuses that occur, in report order.
pub(super) fn counts(summary: &crate::report::Summary, color: bool) -> String {
    let parts: Vec<_> = Status::ALL
        .iter()
        .filter(|&&s| summary.count(s) > 0)
        .map(|&s| paint(&format!("{} {s}", summary.count(s)), status_style(s), color))
        .collect();
    if parts.is_empty() {
        plural(0, "check")
    } else {
        parts.join(" · ")
    }
}
