//! The Kraken simulator: a django-oauth-toolkit-like auth server and a Kraken-like GraphQL API
//! in one local HTTP(S) server, driven by a [`Scenario`]. It exists so kraken-doctor can be
//! tested and demonstrated without real credentials, and so users can run their own
//! integration tests (`kraken-doctor sim`).
//!
//! Map: [`scenario`] (what is configured, and the built-ins in `scenarios/`), [`state`] (what a
//! running simulator keeps), [`server`] (router, middleware, serving), [`auth`] and [`tokens`]
//! (the auth server), [`graphql`] (the API), [`faults`], [`data`] (identifiers and
//! measurements), [`tls`] (`--tls`). The `kraken-doctor sim` command that serves it lives in
//! the checker (`src/commands/sim.rs`); this crate never imports the checker.

mod auth;
mod data;
mod faults;
mod graphql;
mod isotime;
mod reply;
mod scenario;
mod server;
mod state;
mod tls;
mod tokens;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;

pub use data::{mpan_check_digit, mpan_is_valid, nmi_checksum, nmi_is_valid};
pub use graphql::sdl;
pub use scenario::{
    ApiChoices, AppSpec, ClientType, DenialCode, ErrorShape, FaultEndpoint, FaultKind, FaultSpec,
    FieldError, GatewayBody, GrantType, HeaderCode, HeaderForm, Permission, PermissionList,
    PermissionSpelling, PropertySpec, Role, Scenario, ScenarioError, SchemaFlavour,
    SupplyPointSpec, TokenCode, TokenFormat, ViewerMode,
};

use kraken_core::secret::Secret;
use state::{Shared, lock};

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
    /// Serve HTTPS with a certificate authority made at start ([`Simulator::ca_cert_pem`]).
    pub tls: bool,
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
    pub supply_points: Vec<OfferedSupplyPoint>,
}

/// A supply point (meter) of an offered property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferedSupplyPoint {
    /// MPAN, MPRN, NMI or MIRN.
    pub id: String,
    pub market_name: String,
    pub device_id: Option<String>,
}

/// Request counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SimStats {
    pub token_requests: u64,
    pub graphql_requests: u64,
    pub other_requests: u64,
    /// Fields refused because the role lacks a permission (silently or with an error).
    pub role_denials: u64,
}

/// A running simulator. Shuts down and joins its thread on drop.
pub struct Simulator {
    shared: Arc<Shared>,
    addr: SocketAddr,
    ca_pem: Option<String>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Simulator {
    /// Start on 127.0.0.1:0 on a dedicated thread with its own tokio runtime, so it works from
    /// plain `#[test]` functions and from inside another tokio runtime alike. Quiet (no logs).
    pub fn start(scenario: Scenario) -> std::io::Result<Simulator> {
        Simulator::start_with(scenario, SimOptions::default())
    }

    /// Start with options (address, request log, latency, TLS).
    pub fn start_with(scenario: Scenario, options: SimOptions) -> std::io::Result<Simulator> {
        let addr = options
            .addr
            .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 0)));
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let tls = match options.tls {
            true => Some(tls::generate(addr.ip()).map_err(std::io::Error::other)?),
            false => None,
        };
        let ca_pem = tls.as_ref().map(|t| t.ca_pem.clone());
        let scheme = if tls.is_some() { "https" } else { "http" };
        // The address actually served, as a URL host (an IPv6 address in brackets).
        let base_url = format!("{scheme}://{addr}");
        let shared = Arc::new(Shared::new(scenario, base_url, options));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("kraken-sim")
            .enable_all()
            .build()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<std::io::Result<()>>();
        let app = server::router(shared.clone());
        let thread = std::thread::Builder::new()
            .name("kraken-sim".to_string())
            .spawn(move || {
                runtime.block_on(async move {
                    let stop = async {
                        let _ = rx.await;
                    };
                    let listener = tokio::net::TcpListener::from_std(listener);
                    match (listener, tls) {
                        (Err(e), _) => {
                            let _ = ready_tx.send(Err(e));
                        }
                        (Ok(l), None) => {
                            let _ = ready_tx.send(Ok(()));
                            server::serve(l, app, stop).await;
                        }
                        (Ok(l), Some(tls)) => match tls::TlsListener::new(l, tls.acceptor) {
                            Ok(l) => {
                                let _ = ready_tx.send(Ok(()));
                                server::serve(l, app, stop).await;
                            }
                            Err(e) => {
                                let _ = ready_tx.send(Err(e));
                            }
                        },
                    }
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
            ca_pem,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:PORT` (`https://` with TLS): the address actually served.
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

    /// With TLS: the certificate authority's certificate (PEM) clients must trust.
    pub fn ca_cert_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    pub fn scenario(&self) -> &Scenario {
        &self.shared.scenario
    }

    /// The first-line JSON object of `sim`.
    pub fn banner(&self) -> serde_json::Value {
        let properties = self.properties().into_iter().map(|p| {
            let mut entry = serde_json::json!({
                "id": p.id,
                "supply_points": p.supply_points.iter().map(|sp| serde_json::json!({
                    "id": sp.id,
                    "market_name": sp.market_name,
                })).collect::<Vec<_>>(),
            });
            if let Some(sp) = p
                .supply_points
                .iter()
                .find(|sp| sp.market_name == "GBR_ELECTRICITY")
            {
                entry["mpan"] = sp.id.clone().into();
            }
            entry
        });
        serde_json::json!({
            "url": self.url(),
            "scenario": self.shared.scenario.name,
            "applications": self.applications().iter().map(|a| serde_json::json!({
                "client_id": a.client_id,
                "client_secret": a.client_secret.expose(),
                "description": a.description,
            })).collect::<Vec<_>>(),
            "properties": properties.collect::<Vec<_>>(),
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

    /// The properties served, in the scenario's order, with their meters.
    pub fn properties(&self) -> Vec<OfferedProperty> {
        self.shared
            .scenario
            .properties
            .iter()
            .map(|p| OfferedProperty {
                id: p.id.clone(),
                supply_points: p
                    .supply_points
                    .iter()
                    .map(|sp| OfferedSupplyPoint {
                        id: sp.id.clone(),
                        market_name: sp.market_name.clone(),
                        device_id: sp.device_id.clone(),
                    })
                    .collect(),
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
        self.shared
            .with_app_mut(client_id, |app| {
                if app.spec.role.is_none() && !parsed.is_empty() {
                    app.spec.role = Some(Role::ThirdPartyUtilityUsageDataViewer);
                }
                app.spec.permissions = parsed;
            })
            .ok_or_else(|| format!("no application with client_id {client_id}"))
    }

    pub fn stats(&self) -> SimStats {
        SimStats {
            token_requests: self.shared.token_requests.load(Ordering::Relaxed),
            graphql_requests: self.shared.graphql_requests.load(Ordering::Relaxed),
            other_requests: self.shared.other_requests.load(Ordering::Relaxed),
            role_denials: self.shared.role_denials.load(Ordering::Relaxed),
        }
    }

    /// The simulator's own handling time of each request so far (added latency excluded),
    /// in microseconds, in completion order; at most the first [`SERVICE_SAMPLES`].
    pub fn service_times_us(&self) -> Vec<u32> {
        lock(&self.shared.service_us).clone()
    }

    /// Every access token issued so far.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.shared.issued()
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
