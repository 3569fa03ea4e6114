//! `/v1/graphql/` over HTTP: the gateway in front (refusing header forms with an HTTP status),
//! then graphene-django's request handling (JSON body, parse, validation, execution) with the
//! scenario's status for validation errors and shape for resolver errors.

use std::sync::Arc;

use async_graphql::Pos;
use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::access::{Presented, Viewer, authenticate};
use super::errors::reshape;
use super::nulls;
use super::wording::{graphene_wording, introspection_disabled, syntax_message};
use crate::sim::reply;
use crate::sim::scenario::GatewayBody;
use crate::sim::state::{ClientLabel, Shared};

/// A malformed HTTP request (no query, a body that is not JSON): always 400, as
/// graphene-django answers it.
fn request_error(message: &str) -> Response {
    reply::json(
        StatusCode::BAD_REQUEST,
        &json!({"errors": [{"message": message}]}),
    )
}

/// Parse or validation errors: errors only (no `data`, `path` or `extensions`), with the
/// scenario's status.
fn validation_errors(shared: &Shared, errors: Vec<(String, Vec<Pos>)>) -> Response {
    let status =
        StatusCode::from_u16(shared.scenario.api.validation_status).unwrap_or(StatusCode::OK);
    let errors: Vec<Value> = errors
        .into_iter()
        .map(|(message, at)| {
            json!({
                "message": message,
                "locations": at.iter().map(|p| json!({"line": p.line, "column": p.column})).collect::<Vec<_>>(),
            })
        })
        .collect();
    reply::json(status, &json!({ "errors": errors }))
}

/// A gateway's refusal of a header form: an HTTP status and a body that is not GraphQL.
fn gateway(status: u16, body: GatewayBody) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::UNAUTHORIZED);
    let mut r = match body {
        GatewayBody::Html => reply::error_page(status),
        GatewayBody::Json => {
            let detail = if status == StatusCode::FORBIDDEN {
                "You do not have permission to perform this action."
            } else {
                "Incorrect authentication credentials."
            };
            reply::json(status, &json!({ "detail": detail }))
        }
    };
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"api\""),
        );
    }
    r
}

/// Every field of the document whose name starts with `__`, in order.
fn introspection_fields(doc: &ExecutableDocument) -> Vec<(String, Pos)> {
    fn walk(set: &SelectionSet, out: &mut Vec<(String, Pos)>) {
        for item in &set.items {
            match &item.node {
                Selection::Field(f) => {
                    if f.node.name.node.starts_with("__") {
                        out.push((f.node.name.node.to_string(), f.pos));
                    }
                    walk(&f.node.selection_set.node, out);
                }
                Selection::InlineFragment(f) => walk(&f.node.selection_set.node, out),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    let mut out = Vec::new();
    for (_, op) in doc.operations.iter() {
        walk(&op.node.selection_set.node, &mut out);
    }
    for fragment in doc.fragments.values() {
        walk(&fragment.node.selection_set.node, &mut out);
    }
    out
}

/// `/v1/graphql/`.
pub(crate) async fn handler(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method != Method::POST {
        let mut r = request_error("Must provide query string.");
        if method != Method::GET {
            *r.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
            r.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
        }
        return r;
    }
    let api = &shared.scenario.api;
    let presented = authenticate(&shared, &headers);
    let auth = match presented {
        Presented::Gateway(status) => return gateway(status, api.refused_header_body),
        Presented::Client(id) => Ok(id),
        Presented::Refused(code) => Err(code),
    };
    let Ok(payload) = serde_json::from_slice::<Value>(&body) else {
        return request_error("POST body sent invalid JSON.");
    };
    let Some(query) = payload.get("query").and_then(Value::as_str) else {
        return request_error("Must provide query string.");
    };
    let doc = match async_graphql::parser::parse_query(query) {
        Ok(doc) => doc,
        Err(e) => {
            let at = e.positions().take(1).collect();
            return validation_errors(&shared, vec![(syntax_message(query, &e), at)]);
        }
    };
    if !api.introspection {
        let refused: Vec<_> = introspection_fields(&doc)
            .into_iter()
            .map(|(name, at)| (introspection_disabled(&name), vec![at]))
            .collect();
        if !refused.is_empty() {
            return validation_errors(&shared, refused);
        }
    }
    let variables = match payload.get("variables") {
        Some(Value::String(s)) => serde_json::from_str(s).unwrap_or_default(),
        Some(v @ Value::Object(_)) => v.clone(),
        _ => Value::Null,
    };
    let label = auth.as_ref().ok().cloned();
    let mut request = async_graphql::Request::new(query)
        .variables(async_graphql::Variables::from_json(variables))
        .data(Viewer {
            shared: shared.clone(),
            auth,
        });
    let operation = payload.get("operationName").and_then(Value::as_str);
    if let Some(op) = operation {
        request = request.operation_name(op);
    }
    let result = shared.api.schema.execute(request).await;
    let mut response = if result.errors.iter().any(|e| e.path.is_empty()) {
        let errors = result
            .errors
            .iter()
            .map(|e| {
                (
                    graphene_wording(&e.message, &shared.api.sdl),
                    e.locations.clone(),
                )
            })
            .collect();
        validation_errors(&shared, errors)
    } else {
        let body = serde_json::to_value(&result).unwrap_or_default();
        let mut data = body.get("data").cloned().unwrap_or_default();
        let mut errors = body
            .get("errors")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let registry = shared.api.schema.registry();
        nulls::propagate(&doc, operation, registry, &mut data, &mut errors);
        reshape(&mut errors, api.error_shape);
        let mut out = serde_json::Map::new();
        if !errors.is_empty() {
            out.insert("errors".to_string(), Value::Array(errors));
        }
        out.insert("data".to_string(), data);
        reply::json(StatusCode::OK, &Value::Object(out))
    };
    if let Some(id) = label {
        response.extensions_mut().insert(ClientLabel(id));
    }
    response
}

/// The introspection fields a query asks for, by name.
#[cfg(test)]
fn names(query: &str) -> Vec<String> {
    let doc = async_graphql::parser::parse_query(query).expect("parses");
    introspection_fields(&doc)
        .into_iter()
        .map(|(n, _)| n)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn introspection_fields_are_found_at_any_depth_and_in_fragments() {
        assert_eq!(
            names("{ __type(name: \"Query\") { name } property(id: 1) { __typename } }"),
            ["__type", "__typename"]
        );
        assert_eq!(
            names("query { ...F } fragment F on Query { __schema { types { name } } }"),
            ["__schema"]
        );
        assert!(names("{ property(id: 1) { id } }").is_empty());
    }
}
