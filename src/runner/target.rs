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

/// One Kraken application to check: where, who, and with which secret.
#[derive(Debug, Clone)]
pub struct Target {
    /// Profile name, when the target came from a profile.
    pub profile: Option<String>,
    /// The token endpoint (`.../token/`).
    pub token_url: Url,
    /// The GraphQL endpoint (`.../v1/graphql/`).
    pub graphql_url: Url,
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
    pub client_id: String,
    pub client_secret: Secret,
    /// What was noticed about the credentials as given (as `Target::notes`).
    pub notes: Vec<String>,
}
