//! The document the engine executes: the chosen operation and every fragment, lowered from
//! the port's syntax tree ([`super::lower`]), so that the query is parsed once and the
//! engine's error locations are graphql-core's, in the query as sent.
//!
//! async-graphql answers an object none of whose fields was collected (every one skipped, or
//! in fragments for other types) as `null`; graphql-core answers `{}`. So each selection set
//! that may collect nothing asks one more field, `__typename` under an alias the query does
//! not use; the answer loses that key again, and its errors are put in graphql-core's order.

use std::collections::HashMap;

use apollo_compiler::ast::Definition;
use async_graphql::Name;
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument};
use serde_json::Value;

use super::lower::Lower;
use super::{GqlError, Parsed, Ready};

/// The document to execute, and how to read its answer as the sent query's.
pub(crate) struct Executed {
    pub(crate) document: ExecutableDocument,
    /// The alias of the added `__typename`, when one was added.
    pub(super) alias: Option<String>,
}

impl Parsed<'_> {
    /// The document to execute: the operation `ready` chose, and the fragments.
    pub(crate) fn executed(&self, ready: &Ready) -> Result<Executed, Vec<GqlError>> {
        let op = self.operation(ready.operation.as_deref())?;
        let alias = (0..)
            .map(|i| format!("kd_kept{i}"))
            .find(|a| !self.plain.contains(a.as_str()))
            .unwrap_or_default();
        let mut lower = Lower::new(self.src, &alias);
        let operation = lower.operation(op).map_err(|e| vec![e])?;
        let mut fragments = HashMap::new();
        for d in &self.doc.definitions {
            if let Definition::FragmentDefinition(f) = d {
                let lowered = lower.fragment(f).map_err(|e| vec![e])?;
                fragments.insert(Name::new(f.name.as_str()), lowered);
            }
        }
        let added = lower.added();
        Ok(Executed {
            document: ExecutableDocument {
                operations: DocumentOperations::Single(operation),
                fragments,
            },
            alias: added.then_some(alias),
        })
    }
}

impl Executed {
    /// The answer as to the sent query: without the added field, and its errors in
    /// graphql-core's order (`build_response` sorts them by locations, path, message).
    pub(crate) fn restore(&self, data: &mut Value, errors: &mut [Value]) {
        if let Some(alias) = &self.alias {
            strip(data, alias);
        }
        errors.sort_by_cached_key(order);
    }
}

/// An error's place in graphql-core's order: its locations, then its path (list indices
/// before keys, which Python never has to compare), then its message.
type Order = (Vec<(u64, u64)>, Vec<(u8, u64, String)>, String);

fn order(e: &Value) -> Order {
    let list = |k: &str| e[k].as_array().cloned().unwrap_or_default();
    let locations = list("locations")
        .iter()
        .map(|l| {
            (
                l["line"].as_u64().unwrap_or(0),
                l["column"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let path = list("path")
        .iter()
        .map(|p| match p {
            Value::Number(n) => (0, n.as_u64().unwrap_or(0), String::new()),
            other => (1, 0, other.as_str().unwrap_or_default().to_string()),
        })
        .collect();
    (
        locations,
        path,
        e["message"].as_str().unwrap_or_default().to_string(),
    )
}

/// `data` without the added field's key, at any depth.
fn strip(v: &mut Value, alias: &str) {
    match v {
        Value::Object(m) => {
            m.shift_remove(alias);
            m.values_mut().for_each(|x| strip(x, alias));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| strip(x, alias)),
        _ => {}
    }
}

#[cfg(test)]
pub(super) mod tests {
    use async_graphql::parser::Pos;
    use serde_json::json;

    use super::*;

    pub(in super::super) fn lowered(query: &str, operation: Option<&str>) -> Executed {
        let parsed = super::super::parse(query).unwrap_or_else(|e| panic!("{query}: {e:?}"));
        let ready = Ready {
            operation: operation.map(str::to_string),
            variables: json!({}),
        };
        parsed
            .executed(&ready)
            .unwrap_or_else(|e| panic!("{query}: {e:?}"))
    }

    #[test]
    fn a_kept_field_leaves_no_trace_in_the_answer() {
        let sent = "{ a { b @skip(if: true) } c { d } }";
        let executed = lowered(sent, None);
        let (_, op) = executed.document.operations.iter().next().expect("one");
        let a = match &op.node.selection_set.node.items[0].node {
            async_graphql::parser::types::Selection::Field(f) => &f.node,
            other => panic!("{other:?}"),
        };
        let added = match &a.selection_set.node.items[1].node {
            async_graphql::parser::types::Selection::Field(f) => &f.node,
            other => panic!("{other:?}"),
        };
        assert_eq!(added.name.node.as_str(), "__typename");
        assert_eq!(
            added.alias.as_ref().map(|a| a.node.as_str()),
            Some("kd_kept0")
        );
        // At the `}` that closes `a`'s set, in the query as sent.
        assert_eq!(
            added.name.pos,
            Pos {
                line: 1,
                column: 25
            }
        );
        assert_eq!(sent.find("} c"), Some(24));
        let mut data = json!({"a": {"kd_kept0": "A"}, "c": {"d": 1}});
        let mut errors = vec![
            json!({"message": "z", "locations": [{"line": 1, "column": 31}], "path": ["c", "d"]}),
            json!({"message": "y", "locations": [{"line": 1, "column": 3}], "path": ["a", 1]}),
            json!({"message": "x", "locations": [{"line": 1, "column": 3}], "path": ["a", 0]}),
        ];
        executed.restore(&mut data, &mut errors);
        assert_eq!(data, json!({"a": {}, "c": {"d": 1}}));
        let messages: Vec<_> = errors.iter().map(|e| e["message"].clone()).collect();
        assert_eq!(messages, ["x", "y", "z"]);
    }

    #[test]
    fn a_query_whose_sets_all_collect_adds_nothing_and_keeps_the_answer() {
        let executed = lowered("{ a { b } }", None);
        assert!(executed.alias.is_none());
        let mut data = json!({"a": {"b": 1, "kd_kept0": "not ours"}});
        executed.restore(&mut data, &mut []);
        assert_eq!(data, json!({"a": {"b": 1, "kd_kept0": "not ours"}}));
    }
}
