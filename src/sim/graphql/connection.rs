//! Relay connections as graphene builds them (`arrayconnection:N` cursors, `pageInfo`,
//! `totalCount`, `edgeCount`), shared by `measurements` and `importReadings`.

use async_graphql::dynamic::ResolverContext;
use async_graphql::{Name, Value};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// A relay cursor as graphene writes it.
pub(super) fn cursor(offset: usize) -> String {
    STANDARD.encode(format!("arrayconnection:{offset}"))
}

fn cursor_offset(c: &str) -> async_graphql::Result<usize> {
    STANDARD
        .decode(c)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("arrayconnection:")?.parse().ok())
        .ok_or_else(|| async_graphql::Error::new(format!("Invalid cursor: {c}")))
}

/// Relay pagination over `len` items: the `[start, end)` slice.
pub(super) fn paginate(
    len: usize,
    first: Option<i64>,
    after: Option<&str>,
    last: Option<i64>,
    before: Option<&str>,
) -> async_graphql::Result<(usize, usize)> {
    let mut start = 0;
    let mut end = len;
    if let Some(a) = after {
        start = (cursor_offset(a)? + 1).min(len);
    }
    if let Some(b) = before {
        end = cursor_offset(b)?.min(len);
    }
    end = end.max(start);
    for n in [first, last].into_iter().flatten() {
        if n < 0 {
            return Err(async_graphql::Error::new(
                "Argument 'first' or 'last' must be a non-negative integer.",
            ));
        }
    }
    if let Some(n) = first {
        end = end.min(start + usize::try_from(n).unwrap_or(usize::MAX - start));
    }
    if let Some(n) = last {
        start = start.max(end.saturating_sub(usize::try_from(n).unwrap_or(usize::MAX)));
    }
    Ok((start, end))
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
    let (start, end) = paginate(
        len,
        int_arg("first"),
        str_arg("after"),
        int_arg("last"),
        str_arg("before"),
    )?;
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
                ("hasNextPage", Value::from(end < len)),
                ("hasPreviousPage", Value::from(start > 0)),
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

    #[test]
    fn pagination_follows_relay() {
        assert_eq!(paginate(10, Some(3), None, None, None).ok(), Some((0, 3)));
        let after = cursor(2);
        assert_eq!(
            paginate(10, Some(3), Some(&after), None, None).ok(),
            Some((3, 6))
        );
        assert_eq!(paginate(10, None, None, Some(2), None).ok(), Some((8, 10)));
        assert!(paginate(10, Some(-1), None, None, None).is_err());
        assert!(paginate(10, None, Some("junk"), None, None).is_err());
    }
}
