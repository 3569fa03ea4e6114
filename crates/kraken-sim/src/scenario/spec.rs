//! What a scenario declares besides the API's choices: the OAuth applications the auth server
//! knows, the properties and supply points the API serves, and the faults injected in front of
//! both.

use serde::{Deserialize, Serialize};

pub use kraken_core::model::Permission;
use kraken_core::secret::Secret;

/// One OAuth application as the auth server knows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppSpec {
    pub client_id: String,
    /// The secret the server checks (kept only hashed once the simulator starts).
    #[serde(with = "secret_serde")]
    pub client_secret: Secret,
    /// The secret handed to the user (e.g. the stale one before a rotation); default: client_secret.
    #[serde(
        default,
        with = "opt_secret_serde",
        skip_serializing_if = "Option::is_none"
    )]
    pub offered_secret: Option<Secret>,
    /// What the application is for (shown in the banner).
    #[serde(default)]
    pub description: String,
    /// `false`: the server does not know this client_id at all.
    #[serde(default = "yes")]
    pub registered: bool,
    #[serde(default)]
    pub client_type: ClientType,
    #[serde(default)]
    pub grant_type: GrantType,
    /// The API role; without one the application has no permissions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// The permissions the role carries.
    #[serde(default)]
    pub permissions: Vec<Permission>,
    /// Seconds; becomes `expires_in`.
    #[serde(default = "default_lifetime")]
    pub token_lifetime: u64,
    #[serde(default)]
    pub token_format: TokenFormat,
    #[serde(default = "yes")]
    pub enabled: bool,
    /// `false`: the secret was blanked, any (or no) secret gets a token.
    #[serde(default = "yes")]
    pub secret_checked: bool,
}

pub(crate) fn yes() -> bool {
    true
}

fn default_lifetime() -> u64 {
    3600
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClientType {
    #[default]
    Confidential,
    Public,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum GrantType {
    #[default]
    ClientCredentials,
    AuthorizationCode,
    Password,
    Implicit,
}

impl GrantType {
    /// The OAuth `grant_type` value of this grant at the token endpoint, if it has one.
    pub fn wire_name(self) -> Option<&'static str> {
        match self {
            GrantType::ClientCredentials => Some("client_credentials"),
            GrantType::AuthorizationCode => Some("authorization_code"),
            GrantType::Password => Some("password"),
            GrantType::Implicit => None,
        }
    }
}

/// Kraken API roles an OAuth application may be given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    #[serde(rename = "THIRD_PARTY_UTILITY_USAGE_DATA_VIEWER")]
    ThirdPartyUtilityUsageDataViewer,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TokenFormat {
    #[default]
    Jwt,
    Opaque,
}

/// A property and its supply points (meters).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertySpec {
    pub id: String,
    pub address: String,
    pub postcode: String,
    /// `false`: the property is outside the application's customers: its data is refused
    /// with `[api] object_denial_code` whatever the role carries (`property`, its
    /// `measurements`, its supply points' `readings`).
    #[serde(default = "yes")]
    pub customer: bool,
    /// Its meters, in the order measurements list them. A supply point may sit on two
    /// properties (a meter moved between them): a search for it matches both.
    pub supply_points: Vec<SupplyPointSpec>,
}

/// One supply point (meter) of a property.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyPointSpec {
    /// The market's identifier with its check digit: a GB MPAN core (13 digits) or MPRN,
    /// an AU NMI or MIRN (10 characters and a checksum digit).
    pub id: String,
    /// `GBR_ELECTRICITY`, `GBR_GAS` (schema `edf-gb`); `AUS_ELECTRICITY`, `AUS_GAS`
    /// (schema `origin-au`).
    #[serde(default = "default_market")]
    pub market_name: String,
    /// The meter's device id, as measurements' `metaData` report it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<String>,
    /// Days of half-hourly measurements, ending at the data epoch.
    #[serde(default = "default_days")]
    pub days: u32,
}

impl SupplyPointSpec {
    /// Whether this is a gas meter (its market name says so).
    pub fn is_gas(&self) -> bool {
        self.market_name.ends_with("_GAS")
    }
}

fn default_market() -> String {
    "GBR_ELECTRICITY".to_string()
}

fn default_days() -> u32 {
    3
}

/// One injected fault.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    pub endpoint: FaultEndpoint,
    pub kind: FaultKind,
    /// For `latency`: milliseconds added before answering.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// For `server-error`: the 5xx status (default 503).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// For `rate-limit`: the Retry-After seconds (default 30).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
    /// Only the first N requests to the endpoint are faulted; default: all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_n: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultEndpoint {
    Token,
    Graphql,
    All,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// Added latency, then the normal answer.
    Latency,
    /// HTTP 5xx with an HTML page.
    ServerError,
    /// Token endpoint: 429 with Retry-After; GraphQL: 200 with KT-CT-1199 and Retry-After.
    RateLimit,
    /// The normal answer cut in half.
    Truncated,
    /// 200 with an HTML page instead of JSON.
    NonJson,
    /// The connection is closed without an answer.
    Drop,
    /// GraphQL only: HTTP 200 `{"data": null}` with no errors (a malformed answer).
    NullData,
    /// GraphQL only: every requested root field `null`, each with an error `{"message": "An
    /// internal error occurred", "path": [field]}` and no `extensions`.
    InternalError,
}

impl FaultKind {
    /// Whether the fault only makes sense on the GraphQL endpoint.
    pub fn graphql_only(self) -> bool {
        matches!(self, FaultKind::NullData | FaultKind::InternalError)
    }
}

/// Serde for a required [`Secret`] (plain string in TOML).
mod secret_serde {
    use super::Secret;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(s: &Secret, ser: S) -> Result<S::Ok, S::Error> {
        ser.serialize_str(s.expose())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Secret, D::Error> {
        String::deserialize(de).map(Secret::new)
    }
}

/// Serde for an optional [`Secret`].
mod opt_secret_serde {
    use super::Secret;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(s: &Option<Secret>, ser: S) -> Result<S::Ok, S::Error> {
        match s {
            Some(s) => ser.serialize_str(s.expose()),
            None => ser.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Secret>, D::Error> {
        Option::<String>::deserialize(de).map(|o| o.map(Secret::new))
    }
}
