//! How an explanation reads: plain text wrapped to 80 columns, headings in bold with colour.
//! The width is fixed, so that output and snapshots do not depend on the terminal.

use colored::Colorize;

use super::{Explanation, Unknown, explain};
use crate::text::wrap;

/// Output width in columns.
pub(super) const WIDTH: usize = 80;

/// [`wrap`] at [`WIDTH`], for a prefix without colour.
fn wrap_at(text: &str, prefix: &str, indent: usize) -> String {
    wrap(text, WIDTH, prefix, prefix.chars().count(), indent)
}

impl Explanation {
    /// The explanation as plain text, wrapped to 80 columns; headings in bold when `color`.
    pub fn render(&self, color: bool) -> String {
        let heading = |s: &str| {
            if color {
                s.bold().to_string()
            } else {
                s.to_string()
            }
        };
        let mut out = String::new();
        out.push_str(&heading(&format!("{}: {}", self.id, self.headline)));
        out.push('\n');

        let label_width = self.fields.iter().map(|(l, _)| l.len()).max().unwrap_or(0) + 3;
        for (label, value) in &self.fields {
            let prefix = format!("  {:<label_width$}", format!("{label}:"));
            out.push_str(&wrap_at(value, &prefix, 2 + label_width));
        }

        let mut section = |title: &str, body: String| {
            out.push('\n');
            out.push_str(&heading(title));
            out.push('\n');
            out.push_str(&body);
        };
        if let Some(note) = &self.note {
            section("Note", wrap_at(note, "  ", 2));
        }
        if let Some(confirm) = &self.confirm {
            section("What to confirm", wrap_at(confirm, "  ", 2));
        }
        if !self.cases.is_empty() {
            let numbered = self.cases.len() > 1;
            let mut body = String::new();
            for (i, case) in self.cases.iter().enumerate() {
                if i > 0 {
                    body.push('\n');
                }
                let first = if numbered {
                    format!("  {}. ", i + 1)
                } else {
                    "  ".to_string()
                };
                let indent = first.len();
                body.push_str(&wrap_at(&case.cause, &first, indent));
                let fix_prefix = format!("{}{} ", " ".repeat(indent), heading("Fix:"));
                body.push_str(&wrap(&case.fix, WIDTH, &fix_prefix, indent + 5, indent + 5));
            }
            section("Likely cause", body);
        }
        if !self.steps.is_empty() {
            let body: String = self
                .steps
                .iter()
                .map(|step| {
                    let prefix = format!("  {:<7}", step.number);
                    wrap_at(
                        &format!("{} — {}", step.title, {
                            let (auth, api) = crate::checks::steps::ANY_KRAKEN;
                            step.does_for(auth, api)
                        }),
                        &prefix,
                        9,
                    )
                })
                .collect();
            section("Setup steps", body);
        }
        if !self.checks.is_empty() || !self.see_also.is_empty() {
            let mut body = String::new();
            if !self.checks.is_empty() {
                body.push_str(&wrap_at(&self.checks.join(", "), "  Checks:    ", 13));
            }
            if !self.see_also.is_empty() {
                body.push_str(&wrap_at(&self.see_also.join(", "), "  See also:  ", 13));
            }
            body.push_str("  `kraken-doctor explain <id>` explains any of these.\n");
            section("Related", body);
        }
        out
    }
}

impl Unknown {
    /// The message for stderr: the unknown input, then the nearest matches with a short
    /// description each.
    pub fn render(&self) -> String {
        let mut out = format!("kraken-doctor: {self}\n");
        if self.nearest.is_empty() {
            out.push_str(&wrap_at(
                "No close match. Try a Kraken error code (KT-CT-1111 or 1111), an OAuth error \
                 (invalid_client) or a check id (`kraken-doctor list-checks`).",
                "",
                0,
            ));
            return out;
        }
        out.push_str("Nearest matches:\n");
        let width = self.nearest.iter().map(String::len).max().unwrap_or(0);
        for id in &self.nearest {
            let what = explain(id).map(|e| e.headline).unwrap_or_default();
            out.push_str(&format!("  {id:<width$}  {what}\n"));
        }
        out
    }
}
