//! What a running simulator keeps between requests: its scenario, the applications (secrets
//! only as salted hashes), the tokens it issued and their fate, request counters and service
//! times. Every handler reads and writes it through [`Shared`].

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use super::SimOptions;
use super::auth::SecretHash;
use super::graphql::Api;
use super::scenario::{AppSpec, Permission, Scenario};
use kraken_core::secret::Secret;

/// An application as the running server keeps it: its secret only as a salted hash.
pub(crate) struct AppState {
    /// The scenario's spec with both secrets blanked.
    pub(crate) spec: AppSpec,
    pub(crate) secret: SecretHash,
}

/// One issued token.
#[derive(Debug, Clone)]
pub(crate) struct TokenRecord {
    pub(crate) client_id: String,
    pub(crate) expires_at: i64,
    /// The code every presentation of this token gets, once it is stale.
    pub(crate) refused: Option<&'static str>,
}

/// The client a response concerns, for the request log (set by handlers as an extension).
#[derive(Debug, Clone)]
pub(crate) struct ClientLabel(pub String);

/// State shared by every handler.
pub(crate) struct Shared {
    pub(crate) scenario: Scenario,
    pub(crate) base_url: String,
    pub(crate) jwt_key: [u8; 32],
    apps: Mutex<Vec<AppState>>,
    tokens: Mutex<HashMap<String, TokenRecord>>,
    issued: Mutex<Vec<String>>,
    /// Whether the API has seen its first token (when the stale tokens go stale).
    pub(crate) first_use_seen: AtomicBool,
    /// Tokens issued so far, counted as they are issued.
    token_serial: AtomicU64,
    pub(crate) token_requests: AtomicU64,
    pub(crate) graphql_requests: AtomicU64,
    pub(crate) other_requests: AtomicU64,
    /// Fields refused because the role lacks a permission (silently or with an error).
    pub(crate) role_denials: AtomicU64,
    /// The simulator's own time per request (after the added latency), in microseconds;
    /// the benchmark reads it. Bounded so a long-running `sim` cannot grow without limit.
    pub(crate) service_us: Mutex<Vec<u32>>,
    /// Requests seen per fault, counted per endpoint (token, graphql).
    pub(crate) fault_counters: Vec<[AtomicU64; 2]>,
    pub(crate) options: SimOptions,
    pub(crate) api: Api,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Unix seconds now.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl Shared {
    pub(crate) fn new(scenario: Scenario, base_url: String, options: SimOptions) -> Self {
        let apps = scenario
            .applications
            .iter()
            .map(|a| AppState {
                secret: SecretHash::new(a.client_secret.expose()),
                spec: AppSpec {
                    client_secret: Secret::new(""),
                    offered_secret: None,
                    ..a.clone()
                },
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
            api: Api::new(&scenario.api),
            scenario,
            base_url,
            jwt_key,
            apps: Mutex::new(apps),
            tokens: Mutex::new(HashMap::new()),
            issued: Mutex::new(Vec::new()),
            first_use_seen: AtomicBool::new(false),
            token_serial: AtomicU64::new(0),
            token_requests: AtomicU64::new(0),
            graphql_requests: AtomicU64::new(0),
            other_requests: AtomicU64::new(0),
            role_denials: AtomicU64::new(0),
            service_us: Mutex::new(Vec::new()),
            options,
        }
    }

    pub(crate) fn token_url(&self) -> String {
        format!("{}/token/", self.base_url)
    }

    /// GraphQL requests so far (the points a rate-limit answer reports as used).
    pub(crate) fn graphql_request_count(&self) -> u64 {
        self.graphql_requests.load(Ordering::Relaxed)
    }

    /// Run `f` on the application with this client_id, if the server has one by that id.
    pub(crate) fn with_app<R>(&self, client_id: &str, f: impl FnOnce(&AppState) -> R) -> Option<R> {
        lock(&self.apps)
            .iter()
            .find(|a| a.spec.client_id == client_id)
            .map(f)
    }

    /// Run `f` on the application with this client_id, to change it.
    pub(crate) fn with_app_mut<R>(
        &self,
        client_id: &str,
        f: impl FnOnce(&mut AppState) -> R,
    ) -> Option<R> {
        lock(&self.apps)
            .iter_mut()
            .find(|a| a.spec.client_id == client_id)
            .map(f)
    }

    /// Keep a token the auth server issued; `key` is how the API looks it up.
    pub(crate) fn record_token(&self, key: String, record: TokenRecord, token: String) {
        lock(&self.tokens).insert(key, record);
        lock(&self.issued).push(token);
    }

    /// The issue number of a new token: 0 for the first.
    pub(crate) fn next_token_serial(&self) -> u64 {
        self.token_serial.fetch_add(1, Ordering::Relaxed)
    }

    /// Every token issued so far.
    pub(crate) fn issued(&self) -> Vec<String> {
        lock(&self.issued).clone()
    }

    pub(crate) fn token_state(&self, key: &str) -> Option<TokenRecord> {
        lock(&self.tokens).get(key).cloned()
    }

    /// Refuse every token issued so far with `code` from now on.
    pub(crate) fn refuse_issued_tokens(&self, code: &'static str) {
        for rec in lock(&self.tokens).values_mut() {
            rec.refused.get_or_insert(code);
        }
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
