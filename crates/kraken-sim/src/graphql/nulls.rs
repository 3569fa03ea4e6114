//! GraphQL's null propagation (spec, "Handling Field Errors"): a field that errors is `null`;
//! if its type is non-null, its parent is `null` in its place, up to the nearest nullable
//! position or `data` itself — what graphene (graphql-core) answers. async-graphql's dynamic
//! engine records such an error but leaves the field out instead; this puts the nulls back,
//! finding each position's type from the document and the schema's registry.

use async_graphql::parser::types::{ExecutableDocument, Field, Selection, SelectionSet};
use async_graphql::registry::Registry;
use serde_json::Value;

/// What the engine adds when a non-null field gave no value: a second error for a field whose
/// own error is already reported.
const ENGINE_NON_NULL: &str = "internal: non-null types require a return value";

/// The field answered under response key `key` in a selection set (fragments included).
fn find_field<'a>(
    doc: &'a ExecutableDocument,
    set: &'a SelectionSet,
    key: &str,
) -> Option<&'a Field> {
    set.items.iter().find_map(|item| match &item.node {
        Selection::Field(f) => (f.node.response_key().node == key).then_some(&f.node),
        Selection::InlineFragment(fr) => find_field(doc, &fr.node.selection_set.node, key),
        Selection::FragmentSpread(sp) => doc
            .fragments
            .get(&sp.node.fragment_name.node)
            .and_then(|fr| find_field(doc, &fr.node.selection_set.node, key)),
    })
}

/// The type string (`[PropertySearchResult!]!`) of the position at `path`, if it can be found,
/// in the executed document (which holds the one operation executed).
fn type_at(doc: &ExecutableDocument, registry: &Registry, path: &[Value]) -> Option<String> {
    let (_, op) = doc.operations.iter().next()?;
    let mut set = &op.node.selection_set.node;
    let mut ty = registry.query_type.clone();
    for segment in path {
        match segment {
            Value::Number(_) => {
                ty = ty
                    .trim_end_matches('!')
                    .strip_prefix('[')?
                    .strip_suffix(']')?
                    .to_string();
            }
            Value::String(key) => {
                let named = ty.trim_matches(|c| c == '[' || c == ']' || c == '!');
                let owner = registry.types.get(named)?;
                let field = find_field(doc, set, key)?;
                let name = field.name.node.as_str();
                let def = owner.field_by_name(name).or_else(|| {
                    owner
                        .possible_types()?
                        .iter()
                        .find_map(|t| registry.types.get(t)?.field_by_name(name))
                })?;
                ty = def.ty.clone();
                set = &field.selection_set.node;
            }
            _ => return None,
        }
    }
    Some(ty)
}

/// The parent container of `path` in `data`, and the last segment.
fn slot<'a>(data: &'a mut Value, path: &'a [Value]) -> Option<(&'a mut Value, &'a Value)> {
    let (last, parents) = path.split_last()?;
    let mut at = data;
    for segment in parents {
        at = match segment {
            Value::String(k) => at.get_mut(k.as_str())?,
            Value::Number(n) => at.get_mut(usize::try_from(n.as_u64()?).ok()?)?,
            _ => return None,
        };
    }
    Some((at, last))
}

fn is_present(data: &mut Value, path: &[Value]) -> bool {
    match slot(data, path) {
        Some((parent, Value::String(k))) => parent.get(k.as_str()).is_some(),
        Some((parent, Value::Number(n))) => n
            .as_u64()
            .and_then(|i| parent.get(usize::try_from(i).ok()?))
            .is_some(),
        _ => true,
    }
}

fn set_null(data: &mut Value, path: &[Value]) {
    if path.is_empty() {
        *data = Value::Null;
        return;
    }
    if data.is_null() {
        *data = Value::Object(Default::default());
    }
    match slot(data, path) {
        Some((Value::Object(parent), Value::String(k))) => {
            parent.insert(k.clone(), Value::Null);
        }
        Some((Value::Array(items), Value::Number(n))) => {
            if let Some(item) = n
                .as_u64()
                .and_then(|i| items.get_mut(usize::try_from(i).ok()?))
            {
                *item = Value::Null;
            }
        }
        _ => {}
    }
}

/// Put back the nulls the engine left out, for every error whose field is missing from `data`.
pub(super) fn propagate(
    doc: &ExecutableDocument,
    registry: &Registry,
    data: &mut Value,
    errors: &mut Vec<Value>,
) {
    let paths: Vec<Value> = errors
        .iter()
        .filter(|e| e["message"] != ENGINE_NON_NULL)
        .map(|e| e["path"].clone())
        .collect();
    errors.retain(|e| e["message"] != ENGINE_NON_NULL || !paths.contains(&e["path"]));
    for path in paths {
        let Some(mut path) = path.as_array().cloned().filter(|p| !p.is_empty()) else {
            continue;
        };
        if is_present(data, &path) {
            continue;
        }
        loop {
            let non_null = type_at(doc, registry, &path).is_some_and(|t| t.ends_with('!'));
            if !non_null {
                set_null(data, &path);
                break;
            }
            path.pop();
            if path.is_empty() {
                *data = Value::Null;
                break;
            }
        }
    }
}
