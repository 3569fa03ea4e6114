//! Where things are in a query, as graphql-core reports them: lines end at `\n`, `\r\n` or
//! `\r`; columns count characters from 1; a node is located where it starts.

use apollo_compiler::ast;
use apollo_compiler::parser::SourceSpan;
use serde_json::{Value, json};

use super::GqlError;

/// A line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Loc {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl Loc {
    pub(crate) fn to_json(self) -> Value {
        json!({"line": self.line, "column": self.column})
    }
}

/// The query text.
#[derive(Clone, Copy)]
pub(super) struct Source<'a> {
    pub(super) text: &'a str,
}

/// What GraphQL ignores between tokens.
fn ignored(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | ',' | '\u{feff}')
}

impl Source<'_> {
    /// The line and column of a byte offset.
    pub(super) fn at(&self, offset: usize) -> Loc {
        let before = self.text.get(..offset).unwrap_or(self.text);
        let mut line = 1;
        let mut line_start = 0;
        let mut chars = before.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            let crlf = c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n');
            if c == '\n' || (c == '\r' && !crlf) {
                line += 1;
                line_start = i + 1;
            }
        }
        let column = before[line_start..].chars().count() + 1;
        Loc { line, column }
    }

    /// Where a node or name starts.
    pub(super) fn start(&self, span: Option<SourceSpan>) -> Loc {
        self.at(span.map_or(0, |s| s.offset()))
    }

    /// The offset of the next token at or after `from`.
    pub(super) fn next_token(&self, from: usize) -> usize {
        let mut at = from;
        loop {
            let rest = self.text.get(at..).unwrap_or_default();
            match rest.chars().next() {
                Some(c) if ignored(c) => at += c.len_utf8(),
                Some('#') => at += rest.find(['\n', '\r']).unwrap_or(rest.len()),
                _ => return at,
            }
        }
    }

    /// A syntax error in graphql-core's words: what the next token from where the parser
    /// stopped is (`Unexpected Name 'x'.`, `Unexpected '{'.`, or, at the end, `Expected Name,
    /// found <EOF>.`), located there.
    pub(super) fn syntax_error(&self, offset: usize) -> GqlError {
        let at = self.next_token(offset.min(self.text.len()));
        let rest = self.text.get(at..).unwrap_or_default();
        let message = match rest.chars().next() {
            None => "Syntax Error: Expected Name, found <EOF>.".to_string(),
            Some(c) if c.is_alphabetic() || c == '_' => {
                let word: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                format!("Syntax Error: Unexpected Name '{word}'.")
            }
            Some(c) => format!("Syntax Error: Unexpected '{c}'."),
        };
        GqlError::new(message, vec![self.at(at)])
    }

    /// Where a field's selection set (`{`) starts: the syntax tree keeps no node for it, so
    /// it is the next token after the field's name, arguments (and their `)`) and directives.
    pub(super) fn selection_set_start(&self, field: &ast::Field) -> Loc {
        let spans = field
            .name
            .location()
            .into_iter()
            .chain(field.arguments.iter().filter_map(|a| a.location()))
            .chain(field.directives.iter().filter_map(|d| d.location()));
        self.at(self.brace_after(0, spans))
    }

    /// The offset of the `{` that follows `from` and the nodes at `spans` (a name, arguments
    /// or variable definitions and their `)`, directives, a type condition): the next token
    /// after the last of them.
    pub(super) fn brace_after(
        &self,
        from: usize,
        spans: impl Iterator<Item = SourceSpan>,
    ) -> usize {
        let end = spans.map(|s| s.end_offset()).fold(from, usize::max);
        let mut at = self.next_token(end);
        if self.text.get(at..).is_some_and(|r| r.starts_with(')')) {
            at = self.next_token(at + 1);
        }
        at
    }
}

impl<'a> Source<'a> {
    /// Where each line starts, to locate many offsets in one pass over the text.
    pub(super) fn lines(self) -> Lines<'a> {
        let b = self.text.as_bytes();
        let mut starts = vec![0];
        for (i, &c) in b.iter().enumerate() {
            let crlf = c == b'\r' && b.get(i + 1) == Some(&b'\n');
            if c == b'\n' || (c == b'\r' && !crlf) {
                starts.push(i + 1);
            }
        }
        Lines {
            text: self.text,
            starts,
        }
    }
}

/// The starts of a text's lines, as [`Source::at`] counts them.
pub(super) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl Lines<'_> {
    /// The line and column of a byte offset: the same as [`Source::at`], in a binary search.
    pub(super) fn at(&self, offset: usize) -> Loc {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        Loc { line, column }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_count_as_graphql_core_does() {
        let s = Source {
            text: "{\r\n  a\r b\n  é c }",
        };
        assert_eq!(s.at(0), Loc { line: 1, column: 1 });
        assert_eq!(s.at(5), Loc { line: 2, column: 3 });
        assert_eq!(s.at(8), Loc { line: 3, column: 2 });
        assert_eq!(s.at(15), Loc { line: 4, column: 5 });
        let lines = s.lines();
        // Every offset a token can start at (not between the two halves of a CRLF).
        let inside_crlf =
            |i: usize| i > 0 && s.text[..i].ends_with('\r') && s.text[i..].starts_with('\n');
        let offsets = s.text.char_indices().map(|(i, _)| i).chain([s.text.len()]);
        for offset in offsets.filter(|&i| !inside_crlf(i)) {
            assert_eq!(lines.at(offset), s.at(offset), "offset {offset}");
        }
    }

    #[test]
    fn syntax_errors_name_what_was_found() {
        let error = |text, offset| {
            let e = Source { text }.syntax_error(offset);
            (e.message, e.locations[0].column)
        };
        assert_eq!(
            error("{ a { b }", 9),
            ("Syntax Error: Expected Name, found <EOF>.".to_string(), 10)
        );
        assert_eq!(
            error("query { p(id: ) { id } }", 13),
            ("Syntax Error: Unexpected ')'.".to_string(), 15)
        );
        assert_eq!(
            error("{ a } # x\n b", 5),
            ("Syntax Error: Unexpected Name 'b'.".to_string(), 2)
        );
    }

    #[test]
    fn a_selection_set_starts_after_arguments_and_directives() {
        let text = "{ a(x: 1 , ) @skip(if: false) # note\n { b } c { d } }";
        let doc = ast::Document::parse(text, "q").expect("parses");
        let Some(ast::Definition::OperationDefinition(op)) = doc.definitions.first() else {
            panic!("an operation");
        };
        let fields: Vec<_> = op
            .selection_set
            .iter()
            .filter_map(|s| match s {
                ast::Selection::Field(f) => Some(f),
                _ => None,
            })
            .collect();
        let s = Source { text };
        assert_eq!(s.selection_set_start(fields[0]), Loc { line: 2, column: 2 });
        assert_eq!(
            s.selection_set_start(fields[1]),
            Loc {
                line: 2,
                column: 10
            }
        );
    }
}
