//! Fault injection: the ways a real Kraken (or the network in front of it) misbehaves —
//! latency, 5xx HTML pages, rate limits, truncated or non-JSON bodies, dropped connections,
//! malformed GraphQL answers — so kraken-doctor can prove that a fault never becomes a verdict.

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{Value, json};

use super::scenario::{FaultEndpoint, FaultKind, FaultSpec};
use super::state::Shared;
use super::{BODY_LIMIT, graphql, reply};

/// Pass the request through the scenario's faults for its endpoint, then (if none answered)
/// to the handler.
pub(crate) async fn apply(
    shared: &Shared,
    endpoint: Option<FaultEndpoint>,
    request: Request,
    next: Next,
) -> Response {
    let Some(endpoint) = endpoint else {
        return next.run(request).await;
    };
    let mut post: Option<FaultKind> = None;
    for (spec, counter) in shared.scenario.faults.iter().zip(&shared.fault_counters) {
        if (spec.endpoint != endpoint && spec.endpoint != FaultEndpoint::All)
            || (spec.kind.graphql_only() && endpoint != FaultEndpoint::Graphql)
        {
            continue;
        }
        let slot = usize::from(endpoint == FaultEndpoint::Graphql);
        let seen = counter[slot].fetch_add(1, Ordering::Relaxed);
        if spec.first_n.is_some_and(|n| seen >= n) {
            continue;
        }
        match spec.kind {
            FaultKind::Latency => {
                let ms = spec.latency_ms.unwrap_or(0);
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
            FaultKind::Truncated | FaultKind::Drop | FaultKind::InternalError if post.is_none() => {
                post = Some(spec.kind)
            }
            FaultKind::ServerError
            | FaultKind::RateLimit
            | FaultKind::NonJson
            | FaultKind::NullData
                if post.is_none() =>
            {
                return respond(shared, spec, endpoint);
            }
            _ => {}
        }
    }
    match post {
        Some(FaultKind::Drop) => dropped(),
        Some(FaultKind::Truncated) => truncated(next.run(request).await).await,
        Some(FaultKind::InternalError) => internal_error(next.run(request).await).await,
        _ => next.run(request).await,
    }
}

fn respond(shared: &Shared, spec: &FaultSpec, endpoint: FaultEndpoint) -> Response {
    match spec.kind {
        FaultKind::ServerError => reply::error_page(
            spec.status
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
        ),
        FaultKind::RateLimit => {
            let retry = spec.retry_after.unwrap_or(30);
            let mut r = if endpoint == FaultEndpoint::Token {
                reply::html(
                    StatusCode::TOO_MANY_REQUESTS,
                    "<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>\n".to_string(),
                )
            } else {
                reply::json(
                    StatusCode::OK,
                    &graphql::rate_limited(shared.scenario.api.error_shape),
                )
            };
            if let Ok(v) = HeaderValue::from_str(&retry.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        FaultKind::NullData => reply::json(StatusCode::OK, &json!({ "data": null })),
        _ => reply::html(
            StatusCode::OK,
            "<!DOCTYPE html>\n<html><head><title>Kraken</title></head><body><p>Maintenance in progress. Please try again later.</p></body></html>\n".to_string(),
        ),
    }
}

/// A response whose body fails at once: the server closes the connection without a complete
/// answer.
fn dropped() -> Response {
    let stream = futures::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("fault: connection dropped"))
    });
    Response::new(Body::from_stream(stream))
}

/// The normal answer's body, and its parts.
async fn body_of(response: Response) -> (axum::http::response::Parts, Bytes) {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT * 64)
        .await
        .unwrap_or_default();
    (parts, bytes)
}

/// The normal answer with every root field `null` and one message-only error per field, as a
/// Kraken whose resolvers crashed answers. Answers without `data` pass unchanged.
async fn internal_error(response: Response) -> Response {
    let (mut parts, bytes) = body_of(response).await;
    let Ok(Value::Object(mut body)) = serde_json::from_slice::<Value>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let Some(Value::Object(data)) = body.get("data").cloned() else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let errors: Vec<Value> = data
        .keys()
        .map(|field| json!({"message": "An internal error occurred", "path": [field]}))
        .collect();
    let nulls: serde_json::Map<String, Value> =
        data.keys().map(|k| (k.clone(), Value::Null)).collect();
    body.insert("errors".to_string(), Value::Array(errors));
    body.insert("data".to_string(), Value::Object(nulls));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(Value::Object(body).to_string()))
}

/// The normal answer cut in half (Content-Length fixed up, so the client sees bad JSON, not a
/// short read).
async fn truncated(response: Response) -> Response {
    let (mut parts, bytes) = body_of(response).await;
    let cut = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(cut))
}
