//! Relay connections as graphene builds them (`arrayconnection:N` cursors, `pageInfo`,
//! `totalCount`, `edgeCount`), shared by `measurements` and `importReadings`.

use async_graphql::dynamic::ResolverContext;
use async_graphql::{Name, Value};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::isotime::py_int;

/// A relay cursor as graphene writes it.
pub(super) fn cursor(offset: usize) -> String {
    STANDARD.encode(format!("arrayconnection:{offset}"))
}

/// graphql-relay's `cursor_to_offset`: the number after the first 16 characters of the
/// base64-decoded cursor (the prefix itself is not checked), as Python's `int()` reads it;
/// None for a cursor it cannot read (Python's decoder drops characters outside the alphabet).
fn cursor_offset(c: &str) -> Option<i64> {
    let kept: String = c
        .chars()
        .filter(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '+' | '/' | '='))
        .collect();
    let decoded = STANDARD.decode(kept).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let rest: String = text.chars().skip(PREFIX.chars().count()).collect();
    py_int(rest.as_bytes())
}

const PREFIX: &str = "arrayconnection:";

/// One page of a connection: the `[start, end)` slice and graphql-relay's page info.
#[derive(Debug, PartialEq)]
pub(super) struct Page {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) has_previous: bool,
    pub(super) has_next: bool,
}

/// graphql-relay's `connection_from_array_slice` over `len` items: a cursor it cannot read
/// counts as none; `hasPreviousPage` is only known paging backwards (`last`), `hasNextPage`
/// only forwards (`first`).
pub(super) fn paginate(
    len: usize,
    first: Option<i64>,
    after: Option<&str>,
    last: Option<i64>,
    before: Option<&str>,
) -> async_graphql::Result<Page> {
    let len = i64::try_from(len).unwrap_or(i64::MAX);
    let (mut start, mut end) = (0, len);
    let after_offset = after.and_then(cursor_offset).unwrap_or(-1);
    if (0..len).contains(&after_offset) {
        start = start.max(after_offset + 1);
    }
    let before_offset = before.and_then(cursor_offset).unwrap_or(end);
    if (0..len).contains(&before_offset) {
        end = end.min(before_offset);
    }
    if let Some(n) = first {
        if n < 0 {
            return Err(async_graphql::Error::new(
                "Argument 'first' must be a non-negative integer.",
            ));
        }
        end = end.min(start.saturating_add(n));
    }
    if let Some(n) = last {
        if n < 0 {
            return Err(async_graphql::Error::new(
                "Argument 'last' must be a non-negative integer.",
            ));
        }
        start = start.max(end - n);
    }
    // An empty string is no cursor to Python.
    let lower = match after {
        Some(a) if !a.is_empty() => after_offset + 1,
        _ => 0,
    };
    let upper = match before {
        Some(b) if !b.is_empty() => before_offset,
        _ => len,
    };
    let index = |i: i64| usize::try_from(i.clamp(0, len)).unwrap_or(0);
    Ok(Page {
        start: index(start),
        end: index(end.max(start)),
        has_previous: last.is_some() && start > lower,
        has_next: first.is_some() && end < upper,
    })
}

/// An object value from its fields, in order.
pub(super) fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(fields.into_iter().map(|(k, v)| (Name::new(k), v)).collect())
}

/// A count as GraphQL's `Int`.
pub(super) fn int(n: usize) -> Value {
    Value::from(i32::try_from(n).unwrap_or(i32::MAX))
}

/// The connection over `items` that the field's `first/after/last/before` arguments select,
/// each node built by `node`.
pub(super) fn connection<T>(
    ctx: &ResolverContext<'_>,
    items: &[T],
    node: impl Fn(&T) -> Value,
) -> async_graphql::Result<Value> {
    let int_arg = |name: &str| ctx.args.get(name).and_then(|v| v.i64().ok());
    let str_arg = |name: &str| ctx.args.get(name).and_then(|v| v.string().ok());
    let len = items.len();
    let page = paginate(
        len,
        int_arg("first"),
        str_arg("after"),
        int_arg("last"),
        str_arg("before"),
    )?;
    let (start, end) = (page.start, page.end);
    let edges: Vec<Value> = items[start..end]
        .iter()
        .enumerate()
        .map(|(i, item)| {
            object([
                ("node", node(item)),
                ("cursor", Value::from(cursor(start + i))),
            ])
        })
        .collect();
    let edge = |at: usize| {
        if end > start {
            Value::from(cursor(at))
        } else {
            Value::Null
        }
    };
    Ok(object([
        (
            "pageInfo",
            object([
                ("hasNextPage", Value::from(page.has_next)),
                ("hasPreviousPage", Value::from(page.has_previous)),
                ("startCursor", edge(start)),
                ("endCursor", edge(end.saturating_sub(1))),
            ]),
        ),
        ("totalCount", int(len)),
        ("edgeCount", int(edges.len())),
        ("edges", Value::List(edges)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(start: usize, end: usize, has_previous: bool, has_next: bool) -> Page {
        Page {
            start,
            end,
            has_previous,
            has_next,
        }
    }

    #[test]
    fn pagination_follows_graphql_relay() {
        let p = |first, after: Option<&str>, last, before: Option<&str>| {
            paginate(10, first, after, last, before).ok()
        };
        let c2 = cursor(2);
        assert_eq!(p(Some(3), None, None, None), Some(page(0, 3, false, true)));
        assert_eq!(
            p(Some(3), Some(&c2), None, None),
            Some(page(3, 6, false, true))
        );
        assert_eq!(p(None, None, Some(2), None), Some(page(8, 10, true, false)));
        assert_eq!(
            p(None, None, Some(1), Some(&c2)),
            Some(page(1, 2, true, false))
        );
        assert_eq!(
            p(None, Some(&cursor(9)), None, None),
            Some(page(10, 10, false, false))
        );
        // A cursor it cannot read is no cursor.
        assert_eq!(
            p(Some(1), Some("junk"), None, None),
            Some(page(0, 1, false, true))
        );
        assert!(p(Some(-1), None, None, None).is_none());
        assert!(p(None, None, Some(-1), None).is_none());
        // The prefix is not checked; Python's int() reads the rest.
        let odd = STANDARD.encode("xxxxxxxxxxxxxxxx 4");
        assert_eq!(
            p(Some(1), Some(&odd), None, None),
            Some(page(5, 6, false, true))
        );
    }
}
