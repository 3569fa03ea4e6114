//! The query the engine executes. async-graphql answers an object none of whose fields was
//! collected (every one skipped, or in fragments for other types) as `null`; graphql-core
//! answers `{}`. So each selection set that may collect nothing asks one more field,
//! `__typename` under an alias the query does not use; the answer loses that key again, and
//! the engine's error locations are mapped back to the query as it was sent.

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
    /// engine's `{line, column}`) where the sent query has them.
    pub(crate) fn restore(&self, data: &mut Value, errors: &mut [Value]) {
        if self.inserted_at.is_empty() {
            return;
        }
        strip(data, &self.alias);
        for e in errors {
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
