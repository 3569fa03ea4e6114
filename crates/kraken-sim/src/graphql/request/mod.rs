//! What graphql-core does with a request before anything executes, in front of the engine:
//! parse, validate with graphql-core's rules, choose the operation, coerce the variables, find
//! the root type. Each refusal is graphql-core's own: its words (suggestions included), its
//! locations, its order. The engine (async-graphql) then executes only what graphql-core
//! would, with the variables graphql-core would have; its own validation is left off.
//!
//! - [`lexer`], [`strings`], [`syntax`]: graphql-core's syntax errors; [`source`]: locations;
//!   [`registry`]: the schema, read from the engine's registry;
//! - [`lower`], [`executed`]: the document the engine executes, this syntax tree lowered
//!   into the engine's (the query is parsed once);
//! - [`validate`], [`fragments`], [`selections`], [`values`], [`overlap`], [`conflict`]: the
//!   validation rules;
//! - [`scalars`], [`python`], [`variables`]: leaf types, Python's way of showing values,
//!   coercion; [`suggest`]: "Did you mean …?".

mod conflict;
mod executed;
mod fragments;
mod lexer;
mod lower;
mod overlap;
mod python;
mod registry;
mod scalars;
mod selections;
mod source;
mod strings;
mod suggest;
mod syntax;
mod validate;
mod values;
mod variables;

use apollo_compiler::Node;
use apollo_compiler::ast::{self, Definition, Selection};
use apollo_compiler::diagnostic::ToCliReport;
use async_graphql::registry::Registry;
use serde_json::{Value, json};

pub(crate) use source::Loc;

/// graphql-core nests selection sets, lists, objects and list types this deep at most; the
/// engine executes as deep (`schema.rs`).
pub(crate) const MAX_NESTING: usize = 200;
use source::Source;

/// An error graphql-core reports before execution: no `path`, and `locations` only where it
/// has a node.
#[derive(Debug, PartialEq)]
pub(crate) struct GqlError {
    pub(crate) message: String,
    pub(crate) locations: Vec<Loc>,
}

impl GqlError {
    pub(crate) fn new(message: impl Into<String>, locations: Vec<Loc>) -> GqlError {
        GqlError {
            message: message.into(),
            locations,
        }
    }

    /// The error as graphql-core formats it (`locations` left out when there are none).
    pub(crate) fn to_json(&self) -> Value {
        let mut e = json!({ "message": self.message });
        if !self.locations.is_empty() {
            e["locations"] = self.locations.iter().map(|l| l.to_json()).collect();
        }
        e
    }
}

/// A query that parses.
pub(crate) struct Parsed<'q> {
    src: Source<'q>,
    /// The query without the descriptions of its executable definitions (blanked, so that
    /// every offset stays), which only graphql-core's grammar has.
    plain: String,
    doc: ast::Document,
}

/// What the engine executes: the chosen operation and the coerced variables.
pub(crate) struct Ready {
    pub(crate) operation: Option<String>,
    pub(crate) variables: Value,
}

/// graphql-core's grammar alone, for the stage timing: whether the query parses.
#[cfg(test)]
pub(crate) fn grammar_only(query: &str) -> bool {
    syntax::check(query).is_ok()
}

/// graphql-core's `parse`: the document, or its one syntax error.
pub(crate) fn parse(query: &str) -> Result<Parsed<'_>, GqlError> {
    let src = Source { text: query };
    let descriptions = match syntax::check(query) {
        Ok(d) => d,
        Err(e) => {
            let message = format!("Syntax Error: {}", e.description);
            return Err(GqlError::new(message, vec![src.at(e.offset)]));
        }
    };
    let mut plain = query.as_bytes().to_vec();
    for (start, end) in descriptions {
        for b in &mut plain[start..end] {
            if !matches!(b, b'\n' | b'\r') {
                *b = b' ';
            }
        }
    }
    let plain = String::from_utf8(plain).unwrap_or_else(|_| query.to_string());
    // What graphql-core's grammar (ported for executable definitions) accepts, apollo-compiler
    // parses; where it does not (in a type-system definition), its first error is described.
    match ast::Document::parse(&plain, "query") {
        Ok(doc) => Ok(Parsed { src, plain, doc }),
        Err(with_errors) => {
            let offset = with_errors
                .errors
                .iter()
                .filter_map(|d| d.error.location().map(|l| l.offset()))
                .min()
                .unwrap_or(query.len());
            Err(src.syntax_error(offset))
        }
    }
}

impl Parsed<'_> {
    /// graphene's `DisableIntrospection` rule: each field the document asks whose name starts
    /// with `__` (even `__typename`) refused.
    pub(crate) fn introspection_refused(&self) -> Vec<GqlError> {
        fn walk(set: &[Selection], src: Source<'_>, out: &mut Vec<GqlError>) {
            for s in set {
                match s {
                    Selection::Field(f) => {
                        if f.name.starts_with("__") {
                            out.push(GqlError::new(
                                format!("Cannot query '{}': introspection is disabled.", f.name),
                                vec![src.start(f.location())],
                            ));
                        }
                        walk(&f.selection_set, src, out);
                    }
                    Selection::InlineFragment(i) => walk(&i.selection_set, src, out),
                    Selection::FragmentSpread(_) => {}
                }
            }
        }
        let mut out = Vec::new();
        for d in &self.doc.definitions {
            match d {
                Definition::OperationDefinition(op) => walk(&op.selection_set, self.src, &mut out),
                Definition::FragmentDefinition(f) => walk(&f.selection_set, self.src, &mut out),
                _ => {}
            }
        }
        out
    }

    /// Validation, then what graphql-core's `execute` checks before executing: the variables
    /// are an object, the operation is found, its variables coerce, the schema has its root.
    pub(crate) fn prepare(
        &self,
        registry: &Registry,
        operation_name: Option<&str>,
        variables: Option<&Value>,
    ) -> Result<Ready, Vec<GqlError>> {
        let schema = registry::Schema::new(registry);
        let errors = validate::validate(schema, self.src, &self.doc);
        if !errors.is_empty() {
            return Err(errors);
        }
        let empty = serde_json::Map::new();
        let inputs = match variables {
            None => &empty,
            Some(Value::Object(m)) => m,
            Some(_) => {
                return Err(vec![GqlError::new(
                    "Variable values must be provided as a dictionary with variable names as \
                     keys. Perhaps look to see if an unparsed JSON string was provided.",
                    Vec::new(),
                )]);
            }
        };
        let op = self.operation(operation_name)?;
        let variables = variables::coerce(schema, self.src, &op.variables, inputs)?;
        if schema.root(op.operation_type).is_none() {
            return Err(vec![GqlError::new(
                format!(
                    "Schema is not configured to execute {} operation.",
                    op.operation_type
                ),
                vec![self.src.start(op.location())],
            )]);
        }
        Ok(Ready {
            operation: op.name.as_ref().map(|n| n.to_string()),
            variables,
        })
    }

    /// graphql-core's choice of the operation to execute.
    fn operation(
        &self,
        name: Option<&str>,
    ) -> Result<&Node<ast::OperationDefinition>, Vec<GqlError>> {
        let refuse = |m: String| Err(vec![GqlError::new(m, Vec::new())]);
        let mut chosen = None;
        for d in &self.doc.definitions {
            let Definition::OperationDefinition(op) = d else {
                continue;
            };
            match name {
                None if chosen.is_some() => {
                    return refuse(
                        "Must provide operation name if query contains multiple operations.".into(),
                    );
                }
                None => chosen = Some(op),
                Some(n) if op.name.as_ref().is_some_and(|o| o == n) => chosen = Some(op),
                Some(_) => {}
            }
        }
        match (chosen, name) {
            (Some(op), _) => Ok(op),
            (None, Some(n)) => refuse(format!("Unknown operation named '{n}'.")),
            (None, None) => refuse("Must provide an operation.".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn introspection_is_found_at_any_depth_and_in_fragments() {
        let refused = |q: &str| -> Vec<String> {
            let parsed = parse(q).unwrap_or_else(|e| panic!("{q}: {e:?}"));
            parsed
                .introspection_refused()
                .into_iter()
                .map(|e| e.message)
                .collect()
        };
        assert_eq!(
            refused(r#"{ __type(name: "Query") { name } property(id: 1) { __typename } }"#),
            [
                "Cannot query '__type': introspection is disabled.",
                "Cannot query '__typename': introspection is disabled."
            ]
        );
        assert_eq!(
            refused("query { ...F } fragment F on Query { __schema { types { name } } }"),
            ["Cannot query '__schema': introspection is disabled."]
        );
        assert!(refused("{ property(id: 1) { id } }").is_empty());
    }
}
