//! OverlappingFieldsCanBeMerged's comparison of two fields under one response name
//! (graphql-core's `find_conflict`): different fields or arguments where both could be
//! answered for one object, conflicting types, or conflicting subfields.

use apollo_compiler::Node;
use apollo_compiler::ast;

use super::overlap::{Conflict, Details};
use super::registry::TypeRef;
use super::validate::Check;

const MAX_DETAIL: usize = 1000;
const MAX_NODES: usize = 20;

/// graphql-core's `maybe_abbreviate`: names and reasons cut at 1000 characters.
pub(super) fn abbreviate(text: &str) -> String {
    if text.chars().count() > MAX_DETAIL {
        format!("{}...", text.chars().take(MAX_DETAIL).collect::<String>())
    } else {
        text.to_string()
    }
}

/// Whether two literals are the same (graphql-core compares their structure: kind and text,
/// object fields by name).
fn same_value(a: &ast::Value, b: &ast::Value) -> bool {
    use ast::Value as V;
    match (a, b) {
        (V::Null, V::Null) => true,
        (V::Variable(x), V::Variable(y)) | (V::Enum(x), V::Enum(y)) => x == y,
        (V::String(x), V::String(y)) => x == y,
        (V::Int(x), V::Int(y)) => x.as_str() == y.as_str(),
        (V::Float(x), V::Float(y)) => x.as_str() == y.as_str(),
        (V::Boolean(x), V::Boolean(y)) => x == y,
        (V::List(x), V::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b))
        }
        (V::Object(x), V::Object(y)) => {
            let sorted = |o: &[(apollo_compiler::Name, Node<V>)]| {
                let mut v: Vec<(String, Node<V>)> =
                    o.iter().map(|(n, v)| (n.to_string(), v.clone())).collect();
                v.sort_by(|a, b| a.0.cmp(&b.0));
                v
            };
            let (x, y) = (sorted(x), sorted(y));
            x.len() == y.len()
                && x.iter()
                    .zip(&y)
                    .all(|(a, b)| a.0 == b.0 && same_value(&a.1, &b.1))
        }
        _ => false,
    }
}

fn same_arguments(a: &[Node<ast::Argument>], b: &[Node<ast::Argument>]) -> bool {
    a.len() == b.len()
        && a.iter().all(|x| {
            b.iter()
                .rev()
                .find(|y| y.name == x.name)
                .is_some_and(|y| same_value(&x.value, &y.value))
        })
}

/// Whether two output types cannot answer under one name: lists and non-null must match,
/// leaves must be the same type.
fn types_conflict(check: &Check<'_>, a: &TypeRef, b: &TypeRef) -> bool {
    match (a, b) {
        _ if a == b => false,
        (TypeRef::List(x), TypeRef::List(y)) | (TypeRef::NonNull(x), TypeRef::NonNull(y)) => {
            types_conflict(check, x, y)
        }
        (TypeRef::List(_) | TypeRef::NonNull(_), _)
        | (_, TypeRef::List(_) | TypeRef::NonNull(_)) => true,
        (TypeRef::Named(_), TypeRef::Named(_)) => {
            check.schema.is_leaf(a) || check.schema.is_leaf(b)
        }
    }
}

impl<'a> Check<'a> {
    pub(super) fn conflict(
        &mut self,
        exclusive: bool,
        name: &str,
        d1: &Details<'a>,
        d2: &Details<'a>,
    ) -> Option<Conflict<'a>> {
        let object = |p: Option<&str>| p.is_some_and(|p| self.schema.is_object(p));
        let exclusive =
            exclusive || (d1.parent != d2.parent && object(d1.parent) && object(d2.parent));
        let (n1, n2) = (d1.node, d2.node);
        let conflict = |reason: String| Conflict {
            name: name.to_string(),
            reason,
            fields1: vec![n1],
            fields2: vec![n2],
        };
        if !exclusive {
            if n1.name != n2.name {
                return Some(conflict(format!(
                    "'{}' and '{}' are different fields",
                    abbreviate(&n1.name),
                    abbreviate(&n2.name)
                )));
            }
            if !same_arguments(&n1.arguments, &n2.arguments) {
                return Some(conflict("they have differing arguments".into()));
            }
        }
        let (t1, t2) = (
            d1.def.as_ref().map(|d| &d.ty),
            d2.def.as_ref().map(|d| &d.ty),
        );
        if let (Some(t1), Some(t2)) = (t1, t2)
            && types_conflict(self, t1, t2)
        {
            return Some(conflict(format!(
                "they return conflicting types '{t1}' and '{t2}'"
            )));
        }
        if n1.selection_set.is_empty() || n2.selection_set.is_empty() {
            return None;
        }
        let named =
            |t: Option<&TypeRef>| t.and_then(|t| self.schema.get(t.named())).map(|t| t.name());
        let subs = self.between_sets(
            exclusive,
            (named(t1), &n1.selection_set),
            (named(t2), &n2.selection_set),
        );
        if subs.is_empty() {
            return None;
        }
        let mut message = String::new();
        for c in &subs {
            if !message.is_empty() {
                message.push_str(" and ");
            }
            message.push_str(&format!(
                "subfields '{}' conflict because {}",
                abbreviate(&c.name),
                c.reason
            ));
            if message.chars().count() > MAX_DETAIL {
                break;
            }
        }
        let nodes = |first, lists: Vec<&Vec<&'a Node<ast::Field>>>| {
            let mut nodes = vec![first];
            for fields in lists {
                let remaining = MAX_NODES - nodes.len();
                nodes.extend(fields.iter().skip(fields.len().saturating_sub(remaining)));
                if nodes.len() == MAX_NODES {
                    break;
                }
            }
            nodes
        };
        Some(Conflict {
            name: name.to_string(),
            reason: abbreviate(&message),
            fields1: nodes(n1, subs.iter().map(|c| &c.fields1).collect()),
            fields2: nodes(n2, subs.iter().map(|c| &c.fields2).collect()),
        })
    }
}
