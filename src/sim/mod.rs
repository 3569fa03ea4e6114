//! The Kraken simulator: a django-oauth-toolkit-like auth server and a Kraken-like GraphQL API
//! in one local HTTP server, driven by a [`Scenario`]. It exists so kraken-doctor can be tested
//! and demonstrated without real credentials, and so users can run their own integration tests
//! (`kraken-doctor sim`).

mod auth;
mod command;
mod data;
mod faults;
mod graphql;
mod scenario;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{any, get};

pub use command::command;
pub use data::{mpan_check_digit, mpan_is_valid};
pub use graphql::sdl;
pub use scenario::{
    ApiChoices, AppSpec, ClientType, DenialCode, FaultEndpoint, FaultKind, FaultSpec, GrantType,
    HeaderForm, Permission, PropertySpec, Role, Scenario, ScenarioError, TokenFormat, ViewerMode,
};

use crate::secret::Secret;

/// How many per-request service times the simulator keeps.
pub const SERVICE_SAMPLES: usize = 100_000;

/// Largest request body the simulator reads.
const BODY_LIMIT: usize = 256 * 1024;

/// Options beyond the scenario.
#[derive(Debug, Default, Clone)]
pub struct SimOptions {
    /// Where to listen; default 127.0.0.1:0.
    pub addr: Option<SocketAddr>,
    /// One line per request on stderr (never a secret or token).
    pub log_requests: bool,
    /// Latency added to every response.
    pub latency_ms: Option<u64>,
}

/// Credentials a scenario hands the user.
#[derive(Debug, Clone)]
pub struct OfferedApp {
    pub client_id: String,
    pub client_secret: Secret,
    pub description: String,
}

/// A data target a scenario serves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferedProperty {
    pub id: String,
    pub mpan: String,
    pub market_name: String,
}

/// Request counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SimStats {
    pub token_requests: u64,
    pub graphql_requests: u64,
    pub other_requests: u64,
}

/// An application as the running server keeps it: its secret only as a salted hash.
pub(crate) struct AppState {
    /// The scenario's spec with both secrets blanked.
    spec: AppSpec,
    secret: auth::SecretHash,
    mid_run_fired: bool,
}

/// One issued token.
#[derive(Debug, Clone)]
pub(crate) struct TokenRecord {
    client_id: String,
    expires_at: i64,
    expired: bool,
}

/// The client a response concerns, for the request log (set by handlers as an extension).
#[derive(Debug, Clone)]
pub(crate) struct ClientLabel(pub String);

/// State shared by every handler.
pub(crate) struct Shared {
    scenario: Scenario,
    base_url: String,
    jwt_key: [u8; 32],
    apps: Mutex<Vec<AppState>>,
    tokens: Mutex<HashMap<String, TokenRecord>>,
    issued: Mutex<Vec<String>>,
    token_requests: AtomicU64,
    graphql_requests: AtomicU64,
    other_requests: AtomicU64,
    /// The simulator's own time per request (after the added latency), in microseconds;
    /// the benchmark reads it. Bounded so a long-running `sim` cannot grow without limit.
    service_us: Mutex<Vec<u32>>,
    /// Requests seen per fault, counted per endpoint (token, graphql).
    fault_counters: Vec<[AtomicU64; 2]>,
    options: SimOptions,
    api: graphql::Api,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Unix seconds now.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl Shared {
    fn new(scenario: Scenario, base_url: String, options: SimOptions) -> Self {
        let apps = scenario
            .applications
            .iter()
            .map(|a| AppState {
                secret: auth::SecretHash::new(a.client_secret.expose()),
                spec: AppSpec {
                    client_secret: Secret::new(""),
                    offered_secret: None,
                    ..a.clone()
                },
                mid_run_fired: false,
            })
            .collect();
        let mut jwt_key = [0u8; 32];
        rand::fill(&mut jwt_key);
        Shared {
            fault_counters: scenario
                .faults
                .iter()
                .map(|_| [AtomicU64::new(0), AtomicU64::new(0)])
                .collect(),
            api: graphql::Api::new(scenario.api.third_party_viewer),
            scenario,
            base_url,
            jwt_key,
            apps: Mutex::new(apps),
            tokens: Mutex::new(HashMap::new()),
            issued: Mutex::new(Vec::new()),
            token_requests: AtomicU64::new(0),
            graphql_requests: AtomicU64::new(0),
            other_requests: AtomicU64::new(0),
            service_us: Mutex::new(Vec::new()),
            options,
        }
    }

    pub(crate) fn token_url(&self) -> String {
        format!("{}/token/", self.base_url)
    }

    /// Run `f` on the application with this client_id, if the server has one by that id.
    pub(crate) fn with_app<R>(&self, client_id: &str, f: impl FnOnce(&AppState) -> R) -> Option<R> {
        lock(&self.apps)
            .iter()
            .find(|a| a.spec.client_id == client_id)
            .map(f)
    }

    fn record_token(&self, key: String, record: TokenRecord, token: String) {
        lock(&self.tokens).insert(key, record);
        lock(&self.issued).push(token);
    }

    fn token_state(&self, key: &str) -> Option<TokenRecord> {
        lock(&self.tokens).get(key).cloned()
    }

    /// For an application that expires tokens mid-run: on the first presented token, expire
    /// every token issued to it so far. True when this call did so.
    fn fire_mid_run_expiry(&self, client_id: &str) -> bool {
        {
            let mut apps = lock(&self.apps);
            let Some(app) = apps.iter_mut().find(|a| a.spec.client_id == client_id) else {
                return false;
            };
            if !app.spec.expire_mid_run || app.mid_run_fired {
                return false;
            }
            app.mid_run_fired = true;
        }
        for rec in lock(&self.tokens).values_mut() {
            if rec.client_id == client_id {
                rec.expired = true;
            }
        }
        true
    }

    /// The permissions an application's token carries now (none without a role).
    pub(crate) fn permissions(&self, client_id: &str) -> Vec<Permission> {
        self.with_app(client_id, |a| {
            if a.spec.role.is_some() {
                a.spec.permissions.clone()
            } else {
                Vec::new()
            }
        })
        .unwrap_or_default()
    }
}

/// A running simulator. Shuts down and joins its thread on drop.
pub struct Simulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Simulator {
    /// Start on 127.0.0.1:0 on a dedicated thread with its own tokio runtime, so it works from
    /// plain `#[test]` functions and from inside another tokio runtime alike. Quiet (no logs).
    pub fn start(scenario: Scenario) -> std::io::Result<Simulator> {
        Simulator::start_with(scenario, SimOptions::default())
    }

    /// Start with options (address, request log, latency).
    pub fn start_with(scenario: Scenario, options: SimOptions) -> std::io::Result<Simulator> {
        let addr = options
            .addr
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let host = if addr.ip().is_unspecified() {
            format!("127.0.0.1:{}", addr.port())
        } else {
            addr.to_string()
        };
        let shared = Arc::new(Shared::new(scenario, format!("http://{host}"), options));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("kraken-sim")
            .enable_all()
            .build()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<std::io::Result<()>>();
        let app = router(shared.clone());
        let thread = std::thread::Builder::new()
            .name("kraken-sim".to_string())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => {
                            let _ = ready_tx.send(Ok(()));
                            l
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                            return;
                        }
                    };
                    serve(listener, app, async {
                        let _ = rx.await;
                    })
                    .await;
                });
                runtime.shutdown_background();
            })?;
        match ready_rx.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(e),
            Err(_) => return Err(std::io::Error::other("the simulator thread stopped")),
        }
        Ok(Simulator {
            shared,
            addr,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// The auth server's base URL (the same host).
    pub fn auth_url(&self) -> String {
        self.url()
    }

    /// The API's base URL (the same host).
    pub fn api_url(&self) -> String {
        self.url()
    }

    /// The socket the simulator listens on.
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn scenario(&self) -> &Scenario {
        &self.shared.scenario
    }

    /// The first-line JSON object of `sim`.
    pub fn banner(&self) -> serde_json::Value {
        serde_json::json!({
            "url": self.url(),
            "scenario": self.shared.scenario.name,
            "applications": self.applications().iter().map(|a| serde_json::json!({
                "client_id": a.client_id,
                "client_secret": a.client_secret.expose(),
                "description": a.description,
            })).collect::<Vec<_>>(),
            "properties": self.properties().iter().map(|p| serde_json::json!({
                "id": p.id,
                "mpan": p.mpan,
            })).collect::<Vec<_>>(),
        })
    }

    /// The credentials the scenario hands the user (the offered secret, which may be stale).
    pub fn applications(&self) -> Vec<OfferedApp> {
        self.shared
            .scenario
            .applications
            .iter()
            .map(|a| OfferedApp {
                client_id: a.client_id.clone(),
                client_secret: a
                    .offered_secret
                    .clone()
                    .unwrap_or_else(|| a.client_secret.clone()),
                description: a.description.clone(),
            })
            .collect()
    }

    pub fn properties(&self) -> Vec<OfferedProperty> {
        self.shared
            .scenario
            .properties
            .iter()
            .map(|p| OfferedProperty {
                id: p.id.clone(),
                mpan: p.mpan.clone(),
                market_name: p.market_name.clone(),
            })
            .collect()
    }

    /// A kraken-doctor config file with one profile per application (`app00`, `app01`, …),
    /// each with this data target and its secret in the environment variable
    /// `{env_prefix}{index}`; and those variables. For multi-target runs (`--all-profiles`)
    /// in tests and the benchmark.
    pub fn profiles_config(
        &self,
        property_id: &str,
        env_prefix: &str,
    ) -> (String, Vec<(String, String)>) {
        let mut config = String::new();
        let mut env = Vec::new();
        for (i, app) in self.applications().iter().enumerate() {
            config.push_str(&format!(
                "[profiles.app{i:02}]\nauth_url = \"{url}\"\napi_url = \"{url}\"\n\
                 client_id = \"{id}\"\nclient_secret_env = \"{env_prefix}{i}\"\n\
                 property_id = \"{property_id}\"\n\n",
                url = self.url(),
                id = app.client_id,
            ));
            env.push((
                format!("{env_prefix}{i}"),
                app.client_secret.expose().to_string(),
            ));
        }
        (config, env)
    }

    /// Change an application's permissions while running (the role is kept, or given if it
    /// had none and `permissions` is not empty).
    pub fn set_permissions(&self, client_id: &str, permissions: &[&str]) -> Result<(), String> {
        let parsed = permissions
            .iter()
            .map(|p| Permission::from_name(p).ok_or_else(|| format!("unknown permission {p}")))
            .collect::<Result<Vec<_>, _>>()?;
        let mut apps = lock(&self.shared.apps);
        let app = apps
            .iter_mut()
            .find(|a| a.spec.client_id == client_id)
            .ok_or_else(|| format!("no application with client_id {client_id}"))?;
        if app.spec.role.is_none() && !parsed.is_empty() {
            app.spec.role = Some(Role::ThirdPartyUtilityUsageDataViewer);
        }
        app.spec.permissions = parsed;
        Ok(())
    }

    pub fn stats(&self) -> SimStats {
        SimStats {
            token_requests: self.shared.token_requests.load(Ordering::Relaxed),
            graphql_requests: self.shared.graphql_requests.load(Ordering::Relaxed),
            other_requests: self.shared.other_requests.load(Ordering::Relaxed),
        }
    }

    /// The simulator's own handling time of each request so far (added latency excluded),
    /// in microseconds, in completion order; at most the first [`SERVICE_SAMPLES`].
    pub fn service_times_us(&self) -> Vec<u32> {
        lock(&self.shared.service_us).clone()
    }

    /// Every access token issued so far.
    pub fn issued_tokens(&self) -> Vec<String> {
        lock(&self.shared.issued).clone()
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Serve until `signal` resolves, then give open connections one second to finish.
async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    signal: impl std::future::Future<Output = ()> + Send + 'static,
) {
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let server = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown({
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

fn router(shared: Arc<Shared>) -> Router {
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
    let text = include_str!("../kraken/data/openid-configuration-edf-gb.json")
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
