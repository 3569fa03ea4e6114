//! Terminal styling of the human report: the mark and colour of each status. ANSI sequences
//! are built here from `colored`'s colour codes, only when the caller's `color` says so, so
//! the output depends on the argument alone (never on `colored`'s global override).

use colored::Color;

use crate::report::Status;

/// A terminal style: an optional foreground colour, bold, dimmed.
#[derive(Clone, Copy)]
pub(super) struct Style {
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
    pub(super) const BOLD: Style = Style {
        fg: None,
        bold: true,
        dim: false,
    };
    pub(super) const DIM: Style = Style {
        fg: None,
        bold: false,
        dim: true,
    };
    pub(super) const fn bold(self) -> Style {
        Style { bold: true, ..self }
    }
}

/// `s` in `style` when `color` is true, else `s` unchanged.
pub(super) fn paint(s: &str, style: Style, color: bool) -> String {
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

pub(super) fn status_style(status: Status) -> Style {
    match status {
        Status::Pass => Style::fg(Color::Green),
        Status::Warn => Style::fg(Color::Yellow).bold(),
        Status::Fail => Style::fg(Color::Red).bold(),
        Status::Error => Style::fg(Color::Magenta).bold(),
        Status::Skip => Style::DIM,
        Status::Manual => Style::fg(Color::Cyan),
    }
}

/// Columns of [`status_label`]: the mark, a space, the widest status word.
pub(super) const LABEL_WIDTH: usize = 8;

/// `✓ pass  ` style label, padded to the widest status word.
pub fn status_label(status: Status, color: bool) -> String {
    let label = format!("{} {:<6}", status.mark(), status.as_str());
    paint(&label, status_style(status), color)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_distinct_single_column_mark() {
        let marks: std::collections::HashSet<_> = Status::ALL.iter().map(|&s| s.mark()).collect();
        assert_eq!(marks.len(), Status::ALL.len());
        assert!(marks.iter().all(|m| m.chars().count() == 1));
        for status in Status::ALL {
            assert_eq!(status_label(status, false).chars().count(), LABEL_WIDTH);
        }
    }
}
