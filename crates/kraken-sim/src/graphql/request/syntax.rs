//! graphql-core's parser (`language/parser.py`) as far as syntax errors go: its grammar of
//! executable documents (operations, fragments, selections, arguments, values, variable
//! types, directives, descriptions) over [`super::lexer`], so that a query that does not parse
//! is refused with graphql-core's first error, in its words, where it puts it ("Expected
//! Name, found <EOF>.", "Unexpected ')'."). The tree the validation rules walk is
//! apollo-compiler's. Type-system definitions, which graphql-core parses only for validation
//! to refuse, are left to apollo-compiler's parser from the first one on.

use super::lexer::{Kind, Lexer, Token};

use super::MAX_NESTING;

/// A syntax error: where (a byte offset) and graphql-core's description.
#[derive(Debug, PartialEq)]
pub(super) struct SyntaxError {
    pub(super) offset: usize,
    pub(super) description: String,
}

/// Where graphql-core's parser stops the document, if it does; else where the descriptions
/// of its executable definitions are (byte ranges), which graphql-core reads and ignores.
pub(super) fn check(query: &str) -> Result<Vec<(usize, usize)>, SyntaxError> {
    let mut p = Parser {
        lexer: Lexer::new(query),
        depth: 0,
        descriptions: Vec::new(),
    };
    p.expect(Kind::Sof)?;
    while p.definition()? && !p.optional(Kind::Eof)? {}
    Ok(p.descriptions)
}

struct Parser<'a> {
    lexer: Lexer<'a>,
    depth: usize,
    descriptions: Vec<(usize, usize)>,
}

const TYPE_SYSTEM: [&str; 9] = [
    "schema",
    "scalar",
    "type",
    "interface",
    "union",
    "enum",
    "input",
    "directive",
    "extend",
];

impl Parser<'_> {
    fn peek(&self, kind: Kind) -> bool {
        self.lexer.token.kind == kind
    }

    fn error(token: &Token, description: String) -> SyntaxError {
        SyntaxError {
            offset: token.start,
            description,
        }
    }

    fn unexpected(token: &Token) -> SyntaxError {
        Self::error(token, format!("Unexpected {}.", token.desc()))
    }

    fn expect(&mut self, kind: Kind) -> Result<Token, SyntaxError> {
        let token = self.lexer.token.clone();
        if token.kind != kind {
            let found = token.desc();
            return Err(Self::error(
                &token,
                format!("Expected {}, found {found}.", kind.desc()),
            ));
        }
        self.lexer.advance()?;
        Ok(token)
    }

    fn optional(&mut self, kind: Kind) -> Result<bool, SyntaxError> {
        let found = self.peek(kind);
        if found {
            self.lexer.advance()?;
        }
        Ok(found)
    }

    fn is_keyword(&self, word: &str) -> bool {
        self.peek(Kind::Name) && self.lexer.token.value.as_deref() == Some(word)
    }

    fn keyword(&mut self, word: &str) -> Result<(), SyntaxError> {
        if !self.is_keyword(word) {
            let token = &self.lexer.token;
            return Err(Self::error(
                token,
                format!("Expected '{word}', found {}.", token.desc()),
            ));
        }
        self.lexer.advance()?;
        Ok(())
    }

    fn nest(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            let description = "Document is nested too deeply. Parsing aborted.".to_string();
            return Err(Self::error(&self.lexer.token, description));
        }
        Ok(())
    }

    /// `open item+ close`, or with `any` `open item* close`.
    fn many(
        &mut self,
        open: Kind,
        close: Kind,
        any: bool,
        mut item: impl FnMut(&mut Self) -> Result<(), SyntaxError>,
    ) -> Result<(), SyntaxError> {
        self.expect(open)?;
        if !any {
            item(self)?;
        }
        while !self.optional(close)? {
            item(self)?;
        }
        Ok(())
    }

    fn description(&mut self) -> Result<(), SyntaxError> {
        if self.peek(Kind::String) || self.peek(Kind::BlockString) {
            let token = &self.lexer.token;
            self.descriptions.push((token.start, token.end));
            self.lexer.advance()?;
        }
        Ok(())
    }

    /// One definition; false at a type-system definition (left to apollo-compiler).
    fn definition(&mut self) -> Result<bool, SyntaxError> {
        if self.peek(Kind::BraceL) {
            self.selection_set()?;
            return Ok(true);
        }
        let described = self.peek(Kind::String) || self.peek(Kind::BlockString);
        let keyword = if described {
            self.lexer.lookahead()?
        } else {
            self.lexer.token.clone()
        };
        if described && keyword.kind == Kind::BraceL {
            let d = "Unexpected description, descriptions are not supported on shorthand queries.";
            return Err(Self::error(&self.lexer.token, d.into()));
        }
        match keyword
            .value
            .as_deref()
            .filter(|_| keyword.kind == Kind::Name)
        {
            Some(w) if TYPE_SYSTEM.contains(&w) && (w != "extend" || !described) => Ok(false),
            Some("query" | "mutation" | "subscription") => {
                self.description()?;
                self.lexer.advance()?;
                if self.peek(Kind::Name) {
                    self.lexer.advance()?;
                }
                if self.peek(Kind::ParenL) {
                    self.many(Kind::ParenL, Kind::ParenR, false, Self::variable_definition)?;
                }
                self.directives(false)?;
                self.selection_set()?;
                Ok(true)
            }
            Some("fragment") => {
                self.description()?;
                self.keyword("fragment")?;
                self.fragment_name()?;
                self.keyword("on")?;
                self.expect(Kind::Name)?;
                self.directives(false)?;
                self.selection_set()?;
                Ok(true)
            }
            Some(_) if described => {
                let d = "Unexpected description, only GraphQL definitions support descriptions.";
                Err(Self::error(&self.lexer.token, d.into()))
            }
            _ => Err(Self::unexpected(&keyword)),
        }
    }

    fn fragment_name(&mut self) -> Result<(), SyntaxError> {
        if self.is_keyword("on") {
            return Err(Self::unexpected(&self.lexer.token));
        }
        self.expect(Kind::Name).map(drop)
    }

    fn variable_definition(&mut self) -> Result<(), SyntaxError> {
        self.description()?;
        self.expect(Kind::Dollar)?;
        self.expect(Kind::Name)?;
        self.expect(Kind::Colon)?;
        self.type_reference()?;
        if self.optional(Kind::Equals)? {
            self.value(true)?;
        }
        self.directives(true)
    }

    fn type_reference(&mut self) -> Result<(), SyntaxError> {
        if self.optional(Kind::BracketL)? {
            self.nest()?;
            self.type_reference()?;
            self.depth -= 1;
            self.expect(Kind::BracketR)?;
        } else {
            self.expect(Kind::Name)?;
        }
        self.optional(Kind::Bang).map(drop)
    }

    fn selection_set(&mut self) -> Result<(), SyntaxError> {
        self.nest()?;
        self.many(Kind::BraceL, Kind::BraceR, false, Self::selection)?;
        self.depth -= 1;
        Ok(())
    }

    fn selection(&mut self) -> Result<(), SyntaxError> {
        if self.optional(Kind::Spread)? {
            let on = self.is_keyword("on");
            if on {
                self.lexer.advance()?;
            } else if self.peek(Kind::Name) {
                self.fragment_name()?;
                return self.directives(false);
            }
            if on {
                self.expect(Kind::Name)?;
            }
            self.directives(false)?;
            return self.selection_set();
        }
        self.expect(Kind::Name)?;
        if self.optional(Kind::Colon)? {
            self.expect(Kind::Name)?;
        }
        self.arguments(false)?;
        self.directives(false)?;
        if self.peek(Kind::BraceL) {
            self.selection_set()?;
        }
        Ok(())
    }

    fn arguments(&mut self, constant: bool) -> Result<(), SyntaxError> {
        if !self.peek(Kind::ParenL) {
            return Ok(());
        }
        self.many(Kind::ParenL, Kind::ParenR, false, |p| {
            p.expect(Kind::Name)?;
            p.expect(Kind::Colon)?;
            p.value(constant)
        })
    }

    fn directives(&mut self, constant: bool) -> Result<(), SyntaxError> {
        while self.optional(Kind::At)? {
            self.expect(Kind::Name)?;
            self.arguments(constant)?;
        }
        Ok(())
    }

    fn value(&mut self, constant: bool) -> Result<(), SyntaxError> {
        match self.lexer.token.kind {
            Kind::BracketL => {
                self.nest()?;
                self.many(Kind::BracketL, Kind::BracketR, true, |p| p.value(constant))?;
                self.depth -= 1;
                Ok(())
            }
            Kind::BraceL => {
                self.nest()?;
                self.many(Kind::BraceL, Kind::BraceR, true, |p| {
                    p.expect(Kind::Name)?;
                    p.expect(Kind::Colon)?;
                    p.value(constant)
                })?;
                self.depth -= 1;
                Ok(())
            }
            Kind::Int | Kind::Float | Kind::String | Kind::BlockString | Kind::Name => {
                self.lexer.advance().map(drop)
            }
            Kind::Dollar if constant => {
                let dollar = self.expect(Kind::Dollar)?;
                match (&self.lexer.token.kind, &self.lexer.token.value) {
                    (Kind::Name, Some(name)) => Err(Self::error(
                        &dollar,
                        format!("Unexpected variable '${name}' in constant value."),
                    )),
                    _ => Err(Self::unexpected(&dollar)),
                }
            }
            Kind::Dollar => {
                self.lexer.advance()?;
                self.expect(Kind::Name).map(drop)
            }
            _ => Err(Self::unexpected(&self.lexer.token)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(q: &str) -> Option<(usize, String)> {
        check(q).err().map(|e| (e.offset, e.description))
    }

    #[test]
    fn syntax_errors_read_as_graphql_cores() {
        // More, through HTTP with their lines and columns: tests/integration/sim/graphql_core.rs.
        let e = |offset, d: &str| Some((offset, d.to_string()));
        assert_eq!(error("{ a { b }"), e(9, "Expected Name, found <EOF>."));
        assert_eq!(error("query { p(id: ) { id } }"), e(14, "Unexpected ')'."));
        assert_eq!(error(""), e(0, "Unexpected <EOF>."));
        assert_eq!(
            error("query Q($a: Int = $b) { a }"),
            e(18, "Unexpected variable '$b' in constant value.")
        );
        assert_eq!(
            error("fragment on on T { a }"),
            e(9, "Unexpected Name 'on'.")
        );
        assert_eq!(
            error(&"{ a ".repeat(201)),
            e(800, "Document is nested too deeply. Parsing aborted.")
        );
        let valid = "\"d\" query Q(\"\"\"v\"\"\" $v: [Int!]! = [1]) @x { ...F ... on T @y { a: b(c: {d: [$v]}) } }";
        assert_eq!(check(valid), Ok(vec![(0, 3), (12, 19)]));
        assert_eq!(error("type T { a: Int } { a }"), None);
        assert_eq!(check("extend type T @x"), Ok(Vec::new()));
    }
}
