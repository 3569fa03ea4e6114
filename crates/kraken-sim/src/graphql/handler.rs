//! `/v1/graphql/` over HTTP: the gateway in front (refusing header forms with an HTTP status),
//! then graphene-django's request handling (JSON body, parse, validation, execution) with the
//! scenario's status for validation errors and shape for resolver errors.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

use super::access::{Presented, Viewer, authenticate};
use super::errors::reshape;
use super::nulls;
use super::request::{self, GqlError};
use crate::reply;
use crate::scenario::GatewayBody;
use crate::state::{ClientLabel, Shared};

/// A malformed HTTP request (no query, a body that is not JSON): always 400, as
/// graphene-django answers it.
fn request_error(message: &str) -> Response {
    reply::json(
        StatusCode::BAD_REQUEST,
        &json!({"errors": [{"message": message}]}),
    )
}

/// Errors before execution (parse, validation, operation, variables): errors only (no
/// `data`), with the scenario's status for them.
fn refused(shared: &Shared, errors: &[GqlError]) -> Response {
    let status =
        StatusCode::from_u16(shared.scenario.api.validation_status).unwrap_or(StatusCode::OK);
    let errors: Vec<Value> = errors.iter().map(GqlError::to_json).collect();
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
    // graphene-django: a missing or empty query is no query.
    let Some(query) = payload
        .get("query")
        .and_then(Value::as_str)
        .filter(|q| !q.is_empty())
    else {
        return request_error("Must provide query string.");
    };
    // Variables may come as a JSON string; one that does not parse is an HTTP error.
    let variables = match payload.get("variables") {
        Some(Value::String(s)) if !s.is_empty() => match serde_json::from_str::<Value>(s) {
            Ok(Value::Null) => None,
            Ok(v) => Some(v),
            Err(_) => return request_error("Variables are invalid JSON."),
        },
        None | Some(Value::Null) => None,
        Some(v) => Some(v.clone()),
    };
    let parsed = match request::parse(query) {
        Ok(p) => p,
        Err(e) => return refused(&shared, &[e]),
    };
    if !api.introspection {
        let refusals = parsed.introspection_refused();
        if !refusals.is_empty() {
            return refused(&shared, &refusals);
        }
    }
    // graphene-django reads the operation name "null" as none.
    let operation = payload
        .get("operationName")
        .and_then(Value::as_str)
        .filter(|o| *o != "null");
    let registry = shared.api.schema.registry();
    let ready = match parsed.prepare(registry, operation, variables.as_ref()) {
        Ok(r) => r,
        Err(errors) => return refused(&shared, &errors),
    };
    // The engine executes the port's syntax tree, lowered: the query is parsed once.
    let executed = match parsed.executed(&ready) {
        Ok(e) => e,
        Err(errors) => return refused(&shared, &errors),
    };
    let label = auth.as_ref().ok().cloned();
    let mut request = async_graphql::Request::new(query)
        .variables(async_graphql::Variables::from_json(ready.variables.clone()))
        .data(Viewer {
            shared: shared.clone(),
            auth,
        });
    request.set_parsed_query(executed.document.clone());
    let result = shared.api.schema.execute(request).await;
    let mut response = if result.errors.iter().any(|e| e.path.is_empty()) {
        // What the engine refuses before executing though graphql-core let it through (should
        // its own validation or its reading of variables disagree): its message, as such an
        // error.
        let errors: Vec<GqlError> = result
            .errors
            .iter()
            .map(|e| GqlError::new(e.message.clone(), Vec::new()))
            .collect();
        refused(&shared, &errors)
    } else {
        let body = serde_json::to_value(&result).unwrap_or_default();
        let mut data = body.get("data").cloned().unwrap_or_default();
        let mut errors = body
            .get("errors")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        nulls::propagate(&executed.document, registry, &mut data, &mut errors);
        executed.restore(&mut data, &mut errors);
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
