//! Plain-text helpers shared by the renderers and by anything else that prints for a person:
//! making server text safe for a terminal, wrapping to a width without breaking a URL or a
//! `code span`, the width to wrap to, and the few number formats every report uses.

use std::io::IsTerminal;

/// The width used when stdout is not a terminal and `COLUMNS` does not say otherwise.
pub const DEFAULT_WIDTH: usize = 100;
/// Narrower than this, no layout reads well; the renderers lay out for this much at least.
pub const MIN_WIDTH: usize = 60;

/// The width to lay stdout's text out for: the terminal's when stdout is one, else `COLUMNS`
/// when set to a number, else [`DEFAULT_WIDTH`].
pub fn stdout_width() -> usize {
    let terminal = std::io::stdout()
        .is_terminal()
        .then(|| terminal_size::terminal_size_of(std::io::stdout()))
        .flatten()
        .map(|(terminal_size::Width(w), _)| usize::from(w));
    width_from(terminal, std::env::var("COLUMNS").ok().as_deref())
}

/// [`stdout_width`]'s rule, on its inputs: a terminal's width wins, then `COLUMNS`.
fn width_from(terminal: Option<usize>, columns: Option<&str>) -> usize {
    terminal
        .filter(|&w| w > 0)
        .or_else(|| {
            columns
                .and_then(|c| c.trim().parse().ok())
                .filter(|&w| w > 0)
        })
        .unwrap_or(DEFAULT_WIDTH)
}

/// Replaces control characters (a server's text could carry terminal escape sequences) with
/// U+FFFD and tabs with a space. Newlines are kept: [`wrap`] treats them as line breaks.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' => '\n',
            '\t' => ' ',
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// A one-line version of `s` for places that must stay on one line (titles, headings).
pub fn one_line(s: &str) -> String {
    sanitize(s).replace('\n', " ")
}

/// How many columns `s` takes (one per character: the reports print no wide characters of
/// their own).
pub fn columns(s: &str) -> usize {
    s.chars().count()
}

/// The longest `code span` kept on one line; a longer one (a whole query, say) breaks at its
/// spaces like text, or it could not fit any terminal.
const LONGEST_CODE_SPAN: usize = 60;

/// The words of one paragraph, a `code span` (backticks, spaces inside) of up to
/// [`LONGEST_CODE_SPAN`] characters counting as one word.
fn words(paragraph: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_code = false;
    for c in paragraph.chars() {
        if c == '`' {
            in_code = !in_code;
        }
        if c.is_whitespace() && !in_code {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
        } else {
            word.push(c);
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
        .into_iter()
        .flat_map(|w| {
            if columns(&w) > LONGEST_CODE_SPAN && w.contains(char::is_whitespace) {
                w.split_whitespace().map(str::to_string).collect()
            } else {
                vec![w]
            }
        })
        .collect()
}

/// Greedy word wrap to `width` columns. Explicit newlines start a new line; a word longer
/// than `width` (a URL, a code span) gets a line of its own rather than being cut.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    wrap_with(text, width, width)
}

/// [`wrap`] with `first` columns of room on the first line and `rest` on the others.
pub fn wrap_with(text: &str, first: usize, rest: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in words(paragraph) {
            let room = if lines.is_empty() { first } else { rest };
            if !line.is_empty() && columns(&line) + 1 + columns(&word) > room {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        lines.push(line);
    }
    lines
}

/// `text` wrapped to `width`, the first line after `first`, the others after `rest` (both
/// prefixes counted in the width). Lines are trimmed at the end.
pub fn hang(first: &str, rest: &str, text: &str, width: usize) -> Vec<String> {
    let room = width
        .saturating_sub(columns(rest).max(columns(first)))
        .max(1);
    wrap(&sanitize(text), room)
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            let lead = if i == 0 { first } else { rest };
            format!("{lead}{line}").trim_end().to_string()
        })
        .collect()
}

/// `s` cut to at most `width` columns at a word boundary, with `…` when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if columns(s) <= width {
        return s.to_string();
    }
    let room = width.saturating_sub(1);
    let mut cut: String = s.chars().take(room).collect();
    let ends_a_word = s.chars().nth(room) == Some(' ');
    if let Some(space) = cut.rfind(' ').filter(|&i| i > room / 2 && !ends_a_word) {
        cut.truncate(space);
    }
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':']))
}

/// `12 ms` below a second, `1.2 s` from there.
pub fn duration(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}

/// `1 check`, `2 checks`.
pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_keeps_urls_and_code_spans_whole() {
        assert_eq!(wrap("a verylongword b", 4), ["a", "verylongword", "b"]);
        assert_eq!(wrap("one\ntwo", 80), ["one", "two"]);
        assert_eq!(
            wrap("sent as `Authorization: Bearer <token>` today", 12),
            ["sent as", "`Authorization: Bearer <token>`", "today"]
        );
        let url = "https://auth.example-kraken.energy/token/";
        assert!(wrap(&format!("see {url} now"), 10).contains(&url.to_string()));
    }

    #[test]
    fn hang_indents_the_continuation_and_counts_the_prefix() {
        let lines = hang("fix: ", "     ", "one two three four", 14);
        assert_eq!(lines, ["fix: one two", "     three", "     four"]);
        assert!(lines.iter().all(|l| columns(l) <= 14));
    }

    #[test]
    fn truncate_cuts_at_a_word_and_marks_the_cut() {
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(
            truncate("Client-credentials grant issues a token", 32),
            "Client-credentials grant issues…"
        );
        assert!(columns(&truncate("API accepts the token in the bare header", 30)) <= 30);
        assert_eq!(truncate("abcdefghij", 5), "abcd…");
    }

    #[test]
    fn width_prefers_the_terminal_then_columns_then_the_default() {
        assert_eq!(width_from(Some(80), Some("120")), 80);
        assert_eq!(width_from(None, Some("120")), 120);
        assert_eq!(width_from(None, Some("wide")), DEFAULT_WIDTH);
        assert_eq!(width_from(None, Some("0")), DEFAULT_WIDTH);
        assert_eq!(width_from(None, None), DEFAULT_WIDTH);
    }

    #[test]
    fn numbers_read_naturally() {
        assert_eq!(duration(12), "12 ms");
        assert_eq!(duration(1532), "1.5 s");
        assert_eq!(plural(1, "check"), "1 check");
        assert_eq!(plural(3, "check"), "3 checks");
    }
}
