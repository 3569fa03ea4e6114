//! String literals as graphql-core's lexer reads them: `"…"` with its escapes (`\n`,
//! `\u00e9`, `\u{1F600}`, surrogate pairs) and `"""…"""` block strings, dedented; an
//! unterminated string or a bad escape refused in its words.

use super::lexer::{Kind, Lexer, Token, error};
use super::syntax::SyntaxError;

impl Lexer<'_> {
    /// graphql-core's `read_string`, with its escapes.
    pub(super) fn string(&self, start: usize) -> Result<Token, SyntaxError> {
        let mut at = start + 1;
        let mut value = String::new();
        while let Some(c) = self.body.get(at..).and_then(|r| r.chars().next()) {
            match c {
                '"' => return Ok(Self::token(Kind::String, start, at + 1, Some(value))),
                '\r' | '\n' => break,
                '\\' => {
                    let (c, size) = self.escape(at)?;
                    value.push_str(&c);
                    at += size;
                }
                c => {
                    value.push(c);
                    at += c.len_utf8();
                }
            }
        }
        Err(error(at, "Unterminated string.".into()))
    }

    /// An escape sequence at `at` (the backslash): what it stands for and its length.
    fn escape(&self, at: usize) -> Result<(String, usize), SyntaxError> {
        let rest = &self.body[at..];
        let shown = |n: usize| rest.chars().take(n).collect::<String>();
        let hex = |s: &str| {
            u32::from_str_radix(s, 16)
                .ok()
                .filter(|_| s.bytes().all(|b| b.is_ascii_hexdigit()))
        };
        if rest.starts_with("\\u{") {
            // At most 12 characters; a `}` closes at least one hex digit of a scalar value.
            let chars: Vec<char> = rest.chars().take(12).collect();
            let (mut point, mut size) = (0u64, 3);
            while size < chars.len() {
                let c = chars[size];
                size += 1;
                if c == '}' {
                    let valid = u32::try_from(point).ok().and_then(char::from_u32);
                    match valid.filter(|_| size >= 5) {
                        Some(v) => return Ok((v.to_string(), size)),
                        None => break,
                    }
                }
                match c.to_digit(16) {
                    Some(d) => point = (point << 4) | u64::from(d),
                    None => break,
                }
            }
            return Err(error(
                at,
                format!("Invalid Unicode escape sequence: '{}'.", shown(size)),
            ));
        }
        if let Some(code) = rest.strip_prefix("\\u") {
            let unit = |s: Option<&str>| s.and_then(hex);
            match unit(code.get(..4)) {
                Some(u) if !(0xd800..0xe000).contains(&u) => {
                    return Ok((char::from_u32(u).unwrap_or('\u{fffd}').to_string(), 6));
                }
                Some(high @ 0xd800..=0xdbff) => {
                    if let Some(low @ 0xdc00..=0xdfff) = code
                        .get(4..)
                        .and_then(|r| r.strip_prefix("\\u"))
                        .and_then(|r| unit(r.get(..4)))
                    {
                        let c = 0x10000 + ((high - 0xd800) << 10) + (low - 0xdc00);
                        return Ok((char::from_u32(c).unwrap_or('\u{fffd}').to_string(), 12));
                    }
                }
                _ => {}
            }
            return Err(error(
                at,
                format!("Invalid Unicode escape sequence: '{}'.", shown(6)),
            ));
        }
        let c = match rest.chars().nth(1) {
            Some('"') => '"',
            Some('/') => '/',
            Some('\\') => '\\',
            Some('b') => '\u{8}',
            Some('f') => '\u{c}',
            Some('n') => '\n',
            Some('r') => '\r',
            Some('t') => '\t',
            _ => {
                return Err(error(
                    at,
                    format!("Invalid character escape sequence: '{}'.", shown(2)),
                ));
            }
        };
        Ok((c.to_string(), 2))
    }

    /// graphql-core's `read_block_string`: its value is the lines, dedented.
    pub(super) fn block_string(&self, start: usize) -> Result<Token, SyntaxError> {
        let mut at = start + 3;
        let mut lines = Vec::new();
        let mut line = String::new();
        while let Some(c) = self.body.get(at..).and_then(|r| r.chars().next()) {
            let rest = &self.body[at..];
            if rest.starts_with("\"\"\"") {
                lines.push(line);
                let value = Some(dedent(&lines).join("\n"));
                return Ok(Self::token(Kind::BlockString, start, at + 3, value));
            }
            if rest.starts_with("\\\"\"\"") {
                line.push_str("\"\"\"");
                at += 4;
                continue;
            }
            if c == '\r' || c == '\n' {
                lines.push(std::mem::take(&mut line));
                at += if rest.starts_with("\r\n") { 2 } else { 1 };
                continue;
            }
            line.push(c);
            at += c.len_utf8();
        }
        Err(error(at, "Unterminated string.".into()))
    }
}

/// graphql-core's `dedent_block_string_lines`.
fn dedent(lines: &[String]) -> Vec<String> {
    let indent = |l: &str| l.bytes().take_while(|b| *b == b' ' || *b == b'\t').count();
    let non_empty: Vec<usize> = (0..lines.len())
        .filter(|&i| indent(&lines[i]) < lines[i].len())
        .collect();
    let common = non_empty
        .iter()
        .filter(|&&i| i > 0)
        .map(|&i| indent(&lines[i]))
        .min()
        .unwrap_or(usize::MAX);
    let (first, last) = match (non_empty.first(), non_empty.last()) {
        (Some(&f), Some(&l)) => (f, l + 1),
        _ => (0, 0),
    };
    lines[first..last]
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i + first == 0 {
                l.clone()
            } else {
                l.get(common.min(l.len())..).unwrap_or_default().to_string()
            }
        })
        .collect()
}
