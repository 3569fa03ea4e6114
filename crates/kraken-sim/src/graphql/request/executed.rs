//! The query the engine executes. async-graphql answers an object none of whose fields was
//! collected (every one skipped, or in fragments for other types) as `null`; graphql-core
//! answers `{}`. So each selection set that may collect nothing asks one more field,
//! `__typename` under an alias the query does not use; the answer loses that key again, and
//! the engine's error locations are mapped back to the query as it was sent (and its errors
//! put in graphql-core's order).

use apollo_compiler::ast::{self, Definition, Selection};
use serde_json::Value;

use super::Parsed;
use super::source::Loc;

/// The query as executed, and how to read its answer as the sent query's.
pub(crate) struct Executed {
    pub(crate) query: String,
    alias: String,
    /// Where the field was inserted, as offsets into the sent query, in order (the query
    /// executed has the same offsets but for these, and no descriptions).
    inserted_at: Vec<usize>,
    inserted_len: usize,
    sent: String,
}

/// Whether a selection set may collect no field: each of its selections is conditional
/// (`@skip`, `@include`) or a fragment that may not apply.
fn may_be_empty(set: &[Selection]) -> bool {
    let conditional =
        |d: &ast::DirectiveList| d.iter().any(|d| d.name == "skip" || d.name == "include");
    set.iter().all(|s| match s {
        Selection::Field(f) => conditional(&f.directives),
        Selection::FragmentSpread(_) => true,
        Selection::InlineFragment(i) => {
            conditional(&i.directives)
                || i.type_condition.is_some()
                || may_be_empty(&i.selection_set)
        }
    })
}

impl Parsed<'_> {
    /// The query to execute.
    pub(crate) fn executed(&self) -> Executed {
        let text = self.plain.as_str();
        let alias = (0..)
            .map(|i| format!("kd_kept{i}"))
            .find(|a| !text.contains(a.as_str()))
            .unwrap_or_default();
        let field = format!(" {alias}: __typename ");
        // The closing brace of every operation and field whose selection set may be empty.
        let mut ends = Vec::new();
        fn fields(set: &[Selection], ends: &mut Vec<usize>) {
            for s in set {
                match s {
                    Selection::Field(f) if !f.selection_set.is_empty() => {
                        if may_be_empty(&f.selection_set) {
                            ends.extend(f.location().map(|l| l.end_offset() - 1));
                        }
                        fields(&f.selection_set, ends);
                    }
                    Selection::Field(_) => {}
                    Selection::InlineFragment(i) => fields(&i.selection_set, ends),
                    Selection::FragmentSpread(_) => {}
                }
            }
        }
        for d in &self.doc.definitions {
            match d {
                Definition::OperationDefinition(op) => {
                    if may_be_empty(&op.selection_set) {
                        ends.extend(op.location().map(|l| l.end_offset() - 1));
                    }
                    fields(&op.selection_set, &mut ends);
                }
                Definition::FragmentDefinition(f) => fields(&f.selection_set, &mut ends),
                _ => {}
            }
        }
        ends.retain(|&at| text.get(at..).is_some_and(|r| r.starts_with('}')));
        ends.sort_unstable();
        let mut query = String::with_capacity(text.len() + ends.len() * field.len());
        let mut from = 0;
        for &at in &ends {
            query.push_str(&text[from..at]);
            query.push_str(&field);
            from = at;
        }
        query.push_str(&text[from..]);
        Executed {
            query,
            alias,
            inserted_at: ends,
            inserted_len: field.len(),
            sent: self.src.text.to_string(),
        }
    }
}

impl Executed {
    /// The answer as to the sent query: without the added field, its error locations (the
    /// engine's `{line, column}`) where the sent query has them, and its errors in
    /// graphql-core's order (`build_response` sorts them by locations, path, message).
    pub(crate) fn restore(&self, data: &mut Value, errors: &mut [Value]) {
        if !self.inserted_at.is_empty() {
            strip(data, &self.alias);
            for e in errors.iter_mut() {
                if let Some(Value::Array(locations)) = e.get_mut("locations") {
                    for l in locations {
                        let at = |k: &str| l[k].as_u64().and_then(|n| usize::try_from(n).ok());
                        if let (Some(line), Some(column)) = (at("line"), at("column")) {
                            *l = self.sent_loc(line, column).to_json();
                        }
                    }
                }
            }
        }
        errors.sort_by_cached_key(order);
    }

    /// A line and column of the executed query, in the sent one.
    fn sent_loc(&self, line: usize, column: usize) -> Loc {
        let executed = super::source::Source { text: &self.query };
        let offset = executed.offset(line, column);
        let before = self
            .inserted_at
            .iter()
            .enumerate()
            .filter(|(k, at)| *at + k * self.inserted_len < offset)
            .count();
        super::source::Source { text: &self.sent }.at(offset - before * self.inserted_len)
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
mod tests {
    use serde_json::json;

    #[test]
    fn a_kept_field_leaves_no_trace_in_the_answer() {
        let sent = "{ a { b @skip(if: true) } c { d } }";
        let parsed = super::super::parse(sent).expect("parses");
        let executed = parsed.executed();
        assert_eq!(
            executed.query,
            "{ a { b @skip(if: true)  kd_kept0: __typename } c { d } }"
        );
        let mut data = json!({"a": {"kd_kept0": "A"}, "c": {"d": 1}});
        // `d` at column 53 of the executed query is at column 31 of the sent one.
        let mut errors = vec![
            json!({"message": "z", "locations": [{"line": 1, "column": 53}], "path": ["c", "d"]}),
            json!({"message": "y", "locations": [{"line": 1, "column": 3}], "path": ["a", 1]}),
            json!({"message": "x", "locations": [{"line": 1, "column": 3}], "path": ["a", 0]}),
        ];
        executed.restore(&mut data, &mut errors);
        assert_eq!(data, json!({"a": {}, "c": {"d": 1}}));
        let messages: Vec<_> = errors.iter().map(|e| e["message"].clone()).collect();
        assert_eq!(messages, ["x", "y", "z"]);
        assert_eq!(errors[2]["locations"], json!([{"line": 1, "column": 31}]));
        assert_eq!(sent.find(" d ").map(|i| i + 2), Some(31));
    }
}
