//! Word wrapping for text meant for people (`explain`, `guide`), on the report's wrapper
//! ([`crate::report::text`]): one implementation, so that every printer breaks lines the same
//! way. A short `code span` is kept on one line; a word
//! longer than the width is never cut (a URL or id broken in two cannot be pasted).

/// Wrap `text` to `width` columns: the first line starts with `prefix`, which shows
/// `prefix_width` columns (it may carry colour escapes), the others with `indent` spaces. Line
/// breaks in the text start a new line, with the same indent.
pub fn wrap(text: &str, width: usize, prefix: &str, prefix_width: usize, indent: usize) -> String {
    let pad = " ".repeat(indent);
    let lines = crate::report::text::wrap_with(
        text.trim_end_matches('\n'),
        width.saturating_sub(prefix_width).max(1),
        width.saturating_sub(indent).max(1),
    );
    let mut out = String::new();
    for (n, line) in lines.iter().enumerate() {
        let lead = if n == 0 { prefix } else { pad.as_str() };
        out.push_str(format!("{lead}{line}").trim_end());
        out.push('\n');
    }
    out
}

/// Wrap every line of `text` that is wider than `width`, each continuation indented like its
/// line (so an indented paragraph stays indented). Lines that fit are kept as they are, so
/// text laid out already (aligned columns) is not disturbed.
pub fn wrap_indented(text: &str, width: usize) -> String {
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let rest = body.trim_start();
        if rest.is_empty() || visible_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let indent = body.len() - rest.len();
        let wrapped = wrap(rest, width, &body[..indent], indent, indent);
        if line.ends_with('\n') {
            out.push_str(&wrapped);
        } else {
            out.push_str(wrapped.trim_end_matches('\n'));
        }
    }
    out
}

/// Columns `s` takes on a terminal: characters, not counting ANSI colour sequences.
fn visible_width(s: &str) -> usize {
    let mut width = 0;
    let mut in_escape = false;
    for c in s.chars() {
        match (in_escape, c) {
            (false, '\x1b') => in_escape = true,
            (true, 'm') => in_escape = false,
            (true, _) => {}
            (false, _) => width += 1,
        }
    }
    width
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_the_width_and_keeps_code_spans_and_long_words_whole() {
        let out = wrap("aaa bbb `c d` eee", 9, "> ", 2, 2);
        assert_eq!(out, "> aaa bbb\n  `c d`\n  eee\n");
        let long = "x".repeat(30);
        assert_eq!(wrap(&long, 10, "", 0, 0), format!("{long}\n"));
        assert_eq!(wrap("", 10, "  label:", 8, 2), "  label:\n");
        assert_eq!(wrap("a\nb", 10, "- ", 2, 2), "- a\n  b\n");
    }

    #[test]
    fn indented_lines_stay_indented() {
        let text = "  one two three\n\nfour five\n";
        assert_eq!(wrap_indented(text, 10), "  one two\n  three\n\nfour five\n");
        assert_eq!(wrap_indented("  a b", 3), "  a\n  b");
        assert_eq!(
            wrap_indented("a  b\n", 4),
            "a  b\n",
            "a line that fits is kept"
        );
        assert_eq!(visible_width("\x1b[32mok\x1b[0m"), 2);
    }
}
