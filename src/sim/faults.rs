//! Fault injection: the ways a real Kraken (or the network in front of it) misbehaves —
//! latency, 5xx HTML pages, rate limits, truncated or non-JSON bodies, dropped connections —
//! so kraken-doctor can prove that a fault never becomes a verdict.

use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::scenario::{FaultEndpoint, FaultKind, FaultSpec};
use super::{BODY_LIMIT, Shared, graphql};

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
        if spec.endpoint != endpoint && spec.endpoint != FaultEndpoint::All {
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
            FaultKind::Truncated | FaultKind::Drop if post.is_none() => post = Some(spec.kind),
            FaultKind::ServerError | FaultKind::RateLimit | FaultKind::NonJson
                if post.is_none() =>
            {
                return respond(spec, endpoint);
            }
            _ => {}
        }
    }
    match post {
        Some(FaultKind::Drop) => dropped(),
        Some(FaultKind::Truncated) => truncated(next.run(request).await).await,
        _ => next.run(request).await,
    }
}

fn html(status: StatusCode, page: String) -> Response {
    let mut r = Response::new(Body::from(page));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

fn respond(spec: &FaultSpec, endpoint: FaultEndpoint) -> Response {
    match spec.kind {
        FaultKind::ServerError => {
            let status = spec
                .status
                .and_then(|s| StatusCode::from_u16(s).ok())
                .unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let reason = status.canonical_reason().unwrap_or("Server Error");
            html(
                status,
                format!(
                    "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n<center><h1>{code} {reason}</h1></center>\r\n</body>\r\n</html>\r\n",
                    code = status.as_u16()
                ),
            )
        }
        FaultKind::RateLimit => {
            let retry = spec.retry_after.unwrap_or(30);
            let mut r = if endpoint == FaultEndpoint::Token {
                html(
                    StatusCode::TOO_MANY_REQUESTS,
                    "<html><head><title>429 Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>\n".to_string(),
                )
            } else {
                graphql::rate_limited()
            };
            if let Ok(v) = HeaderValue::from_str(&retry.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        _ => html(
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

/// The normal answer cut in half (Content-Length fixed up, so the client sees bad JSON, not a
/// short read).
async fn truncated(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT * 64)
        .await
        .unwrap_or_default();
    let cut = bytes.slice(..bytes.len() / 2);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(cut))
}
