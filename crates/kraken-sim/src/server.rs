//! The simulator's HTTP server: one router for the auth server and the API, the middleware
//! that counts, delays, faults and logs every request, and serving over plain TCP or TLS
//! until told to stop.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{any, get};
use axum::serve::Listener;

use super::scenario::FaultEndpoint;
use super::state::{ClientLabel, Shared, lock};
use super::{BODY_LIMIT, SERVICE_SAMPLES, auth, faults, graphql};

/// Serve until `signal` resolves, then give open connections one second to finish.
pub(crate) async fn serve<L>(
    listener: L,
    app: Router,
    signal: impl std::future::Future<Output = ()> + Send + 'static,
) where
    L: Listener,
    L::Addr: std::fmt::Debug,
{
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, app.into_make_service()).with_graceful_shutdown({
        let mut rx = stop_rx.clone();
        async move {
            let _ = rx.changed().await;
        }
    });
    let mut server = std::pin::pin!(server.into_future());
    tokio::select! {
        _ = &mut server => return,
        _ = signal => { let _ = stop_tx.send(true); }
    }
    let _ = tokio::time::timeout(std::time::Duration::from_secs(1), server).await;
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/token/", any(auth::token))
        .route("/token", any(auth::token_no_slash))
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/v1/graphql/", any(graphql::handler))
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            middleware,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(shared)
}

/// The discovery document with every production URL pointing here.
async fn discovery(State(shared): State<Arc<Shared>>) -> Response {
    let text = include_str!("../data/openid-configuration-edf-gb.json")
        .replace("https://auth.edfgb-kraken.energy", &shared.base_url);
    let mut r = Response::new(axum::body::Body::from(text));
    r.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json"),
    );
    r
}

/// Counting, latency, faults and the request log around every handler.
async fn middleware(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let endpoint = if path.starts_with("/token") {
        shared.token_requests.fetch_add(1, Ordering::Relaxed);
        Some(FaultEndpoint::Token)
    } else if path == "/v1/graphql/" {
        shared.graphql_requests.fetch_add(1, Ordering::Relaxed);
        Some(FaultEndpoint::Graphql)
    } else {
        shared.other_requests.fetch_add(1, Ordering::Relaxed);
        None
    };
    if let Some(ms) = shared.options.latency_ms {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }
    let own = Instant::now();
    let response = faults::apply(&shared, endpoint, request, next).await;
    let us = u32::try_from(own.elapsed().as_micros()).unwrap_or(u32::MAX);
    {
        let mut times = lock(&shared.service_us);
        if times.len() < SERVICE_SAMPLES {
            times.push(us);
        }
    }
    if shared.options.log_requests {
        let client = response
            .extensions()
            .get::<ClientLabel>()
            .map(|c| format!(" client_id={}", sanitize(&c.0)))
            .unwrap_or_default();
        eprintln!(
            "sim: {method} {path} {} {}ms{client}",
            response.status().as_u16(),
            started.elapsed().as_millis(),
        );
    }
    response
}

/// A client_id for the log: printable ASCII only, bounded.
fn sanitize(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_graphic())
        .take(80)
        .collect()
}
