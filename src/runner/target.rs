//! What a run is pointed at: one application (endpoints, client id and secret) and the
//! optional data target. `config` resolves them from flags, environment and profile; the
//! runner owns the types it consumes.

use url::Url;

use crate::secret::Secret;

/// Optional data target for the end-to-end read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataTarget {
    pub property_id: Option<String>,
    pub supply_point: Option<String>,
    pub market_name: Option<String>,
}

impl DataTarget {
    pub fn is_empty(&self) -> bool {
        self.property_id.is_none() && self.supply_point.is_none()
    }
}

/// How each endpoint was chosen, as the user wrote it (`--kraken edf-gb with --test-env`,
/// `--auth-url http://127.0.0.1:9`, `auth_url = "…"`): a fix names the setting to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub auth: String,
    pub api: String,
}

impl Default for Origin {
    /// The flags, when nothing better is known (a target built in code).
    fn default() -> Origin {
        Origin {
            auth: "--auth-url".into(),
            api: "--api-url".into(),
        }
    }
}

/// One Kraken application to check: where, who, and with which secret.
#[derive(Debug, Clone)]
pub struct Target {
    /// Profile name, when the target came from a profile.
    pub profile: Option<String>,
    /// The token endpoint (`.../token/`).
    pub token_url: Url,
    /// The GraphQL endpoint (`.../v1/graphql/`).
    pub graphql_url: Url,
    /// How the user chose the endpoints.
    pub origin: Origin,
    pub client_id: String,
    pub client_secret: Secret,
    pub data: DataTarget,
    /// What was trimmed from the credentials as given, or looks unlike a Kraken's: said once
    /// on stderr and in `auth.token`'s evidence. Never a secret.
    pub notes: Vec<String>,
}

/// What `token` needs: the auth server and the credentials; the API is never asked.
#[derive(Debug, Clone)]
pub struct TokenTarget {
    /// Profile name, when the target came from a profile.
    pub profile: Option<String>,
    /// The token endpoint (`.../token/`).
    pub token_url: Url,
    /// The GraphQL endpoint, when a preset, flag, variable or profile named it (the report
    /// shows it); never contacted.
    pub graphql_url: Option<Url>,
    /// How the user chose the endpoints (as `Target::origin`).
    pub origin: Origin,
    pub client_id: String,
    pub client_secret: Secret,
    /// What was noticed about the credentials as given (as `Target::notes`).
    pub notes: Vec<String>,
}
