//! graphql-core's lexer (`language/lexer.py`): the tokens of a query, read one at a time as
//! the parser asks, and its syntax errors in its words (an unterminated string, a bad escape,
//! a number with a letter in it, a character GraphQL has no use for) at its positions.
//! String literals are read in [`super::strings`].

use super::syntax::SyntaxError;

/// A token's kind; its description in messages is graphql-core's `TokenKind` value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Sof,
    Eof,
    Bang,
    Dollar,
    Amp,
    ParenL,
    ParenR,
    Spread,
    Colon,
    Equals,
    At,
    BracketL,
    BracketR,
    BraceL,
    Pipe,
    BraceR,
    Name,
    Int,
    Float,
    String,
    BlockString,
    Comment,
}

impl Kind {
    /// graphql-core's `get_token_kind_desc`: punctuators quoted.
    pub(super) fn desc(self) -> String {
        let punct = |p: &str| format!("'{p}'");
        match self {
            Kind::Sof => "<SOF>".into(),
            Kind::Eof => "<EOF>".into(),
            Kind::Bang => punct("!"),
            Kind::Dollar => punct("$"),
            Kind::Amp => punct("&"),
            Kind::ParenL => punct("("),
            Kind::ParenR => punct(")"),
            Kind::Spread => punct("..."),
            Kind::Colon => punct(":"),
            Kind::Equals => punct("="),
            Kind::At => punct("@"),
            Kind::BracketL => punct("["),
            Kind::BracketR => punct("]"),
            Kind::BraceL => punct("{"),
            Kind::Pipe => punct("|"),
            Kind::BraceR => punct("}"),
            Kind::Name => "Name".into(),
            Kind::Int => "Int".into(),
            Kind::Float => "Float".into(),
            Kind::String => "String".into(),
            Kind::BlockString => "BlockString".into(),
            Kind::Comment => "Comment".into(),
        }
    }
}

/// A token: its kind, where it is (byte offsets), and its value (names, numbers, strings).
#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) kind: Kind,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) value: Option<String>,
}

impl Token {
    /// graphql-core's `get_token_desc`: `Name 'x'`, `'{'`, `<EOF>`.
    pub(super) fn desc(&self) -> String {
        match &self.value {
            Some(v) => format!("{} '{v}'", self.kind.desc()),
            None => self.kind.desc(),
        }
    }
}

pub(super) struct Lexer<'a> {
    pub(super) body: &'a str,
    /// The current token (never a comment).
    pub(super) token: Token,
}

pub(super) fn error(offset: usize, description: String) -> SyntaxError {
    SyntaxError {
        offset,
        description,
    }
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

impl<'a> Lexer<'a> {
    pub(super) fn new(body: &'a str) -> Lexer<'a> {
        Lexer {
            body,
            token: Token {
                kind: Kind::Sof,
                start: 0,
                end: 0,
                value: None,
            },
        }
    }

    fn byte(&self, at: usize) -> Option<u8> {
        self.body.as_bytes().get(at).copied()
    }

    /// Move to the next token that is not a comment.
    pub(super) fn advance(&mut self) -> Result<&Token, SyntaxError> {
        self.token = self.lookahead()?;
        Ok(&self.token)
    }

    /// The next token that is not a comment, without moving.
    pub(super) fn lookahead(&self) -> Result<Token, SyntaxError> {
        let mut token = self.token.clone();
        if token.kind == Kind::Eof {
            return Ok(token);
        }
        loop {
            token = self.read(token.end)?;
            if token.kind != Kind::Comment {
                return Ok(token);
            }
        }
    }

    /// graphql-core's `print_code_point_at`: `'c'` for printable ASCII, else `U+XXXX`.
    fn code_point_at(&self, at: usize) -> String {
        match self.body.get(at..).and_then(|r| r.chars().next()) {
            None => "<EOF>".into(),
            Some('"') => "'\"'".into(),
            Some(c) if (' '..='~').contains(&c) => format!("'{c}'"),
            Some(c) => format!("U+{:04X}", u32::from(c)),
        }
    }

    pub(super) fn token(kind: Kind, start: usize, end: usize, value: Option<String>) -> Token {
        Token {
            kind,
            start,
            end,
            value,
        }
    }

    /// graphql-core's `read_next_token`.
    fn read(&self, from: usize) -> Result<Token, SyntaxError> {
        let mut at = from;
        while let Some(c) = self.body.get(at..).and_then(|r| r.chars().next()) {
            let punct = match c {
                ' ' | '\t' | ',' | '\u{feff}' | '\n' | '\r' => {
                    at += c.len_utf8();
                    continue;
                }
                '#' => {
                    let rest = &self.body[at + 1..];
                    let len = rest.find(['\n', '\r']).unwrap_or(rest.len());
                    let comment = Some(rest[..len].to_string());
                    return Ok(Self::token(Kind::Comment, at, at + 1 + len, comment));
                }
                '"' if self.body[at + 1..].starts_with("\"\"") => return self.block_string(at),
                '"' => return self.string(at),
                '!' => Kind::Bang,
                '$' => Kind::Dollar,
                '&' => Kind::Amp,
                '(' => Kind::ParenL,
                ')' => Kind::ParenR,
                ':' => Kind::Colon,
                '=' => Kind::Equals,
                '@' => Kind::At,
                '[' => Kind::BracketL,
                ']' => Kind::BracketR,
                '{' => Kind::BraceL,
                '}' => Kind::BraceR,
                '|' => Kind::Pipe,
                '.' if self.body[at..].starts_with("...") => {
                    return Ok(Self::token(Kind::Spread, at, at + 3, None));
                }
                c if c.is_ascii_digit() || c == '-' => return self.number(at),
                c if c.is_ascii() && is_name_start(c as u8) => {
                    let len = self.body[at..]
                        .bytes()
                        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                        .count();
                    let name = Some(self.body[at..at + len].to_string());
                    return Ok(Self::token(Kind::Name, at, at + len, name));
                }
                '\'' => {
                    return Err(error(
                        at,
                        "Unexpected single quote character ('), did you mean to use a double quote (\")?"
                            .into(),
                    ));
                }
                _ => {
                    return Err(error(
                        at,
                        format!("Unexpected character: {}.", self.code_point_at(at)),
                    ));
                }
            };
            return Ok(Self::token(punct, at, at + 1, None));
        }
        Ok(Self::token(
            Kind::Eof,
            self.body.len(),
            self.body.len(),
            None,
        ))
    }

    /// graphql-core's `read_number`: digits with no leading zero, a fraction, an exponent,
    /// and nothing name-like right after.
    fn number(&self, start: usize) -> Result<Token, SyntaxError> {
        let mut at = start;
        let mut float = false;
        if self.byte(at) == Some(b'-') {
            at += 1;
        }
        if self.byte(at) == Some(b'0') {
            at += 1;
            if self.byte(at).is_some_and(|b| b.is_ascii_digit()) {
                return Err(error(
                    at,
                    format!(
                        "Invalid number, unexpected digit after 0: {}.",
                        self.code_point_at(at)
                    ),
                ));
            }
        } else {
            at = self.digits(at)?;
        }
        if self.byte(at) == Some(b'.') {
            float = true;
            at = self.digits(at + 1)?;
        }
        if matches!(self.byte(at), Some(b'e' | b'E')) {
            float = true;
            at += 1;
            if matches!(self.byte(at), Some(b'+' | b'-')) {
                at += 1;
            }
            at = self.digits(at)?;
        }
        if self.byte(at).is_some_and(|b| b == b'.' || is_name_start(b)) {
            return Err(error(
                at,
                format!(
                    "Invalid number, expected digit but got: {}.",
                    self.code_point_at(at)
                ),
            ));
        }
        let kind = if float { Kind::Float } else { Kind::Int };
        Ok(Self::token(
            kind,
            start,
            at,
            Some(self.body[start..at].to_string()),
        ))
    }

    fn digits(&self, start: usize) -> Result<usize, SyntaxError> {
        if !self.byte(start).is_some_and(|b| b.is_ascii_digit()) {
            return Err(error(
                start,
                format!(
                    "Invalid number, expected digit but got: {}.",
                    self.code_point_at(start)
                ),
            ));
        }
        Ok(start
            + self.body[start..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count())
    }
}
