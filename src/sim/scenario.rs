//! Scenarios: what the simulated Kraken is configured with (applications, data, the API choices
//! Kraken leaves open, faults). One type serves the built-in catalogue and TOML files, so every
//! built-in can be printed as a starting point for a file and read back unchanged.

use std::fmt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::data;
pub use crate::kraken::model::{HeaderForm, Permission};
use crate::secret::Secret;

/// A complete simulator configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short kebab-case name (`healthy`, `rotated-secret`, ...).
    pub name: String,
    /// One line: what is broken.
    pub description: String,
    /// Choices the real Kraken leaves open.
    #[serde(default)]
    pub api: ApiChoices,
    /// OAuth applications; the first is the one kraken-doctor's tests check.
    #[serde(default)]
    pub applications: Vec<AppSpec>,
    /// Properties with one electricity supply point each.
    #[serde(default = "data::default_properties")]
    pub properties: Vec<PropertySpec>,
    /// Injected faults, in order; the first active one for an endpoint wins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<FaultSpec>,
}

/// How the API answers where Kraken's behaviour is not public.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ApiChoices {
    /// Error code for a missing permission: KT-CT-1111, KT-CT-4177 or KT-CT-4718.
    pub denial_code: DenialCode,
    /// Whether `thirdPartyViewer` answers, is denied, or is absent from the schema.
    pub third_party_viewer: ViewerMode,
    /// A missing permission gives `null` / `[]` instead of an error.
    pub silent_denial: bool,
    /// Authorization header forms the API accepts.
    pub header_forms: Vec<HeaderForm>,
    /// Supply point readings and measurements answer KT-CT-4722.
    pub readings_not_configured: bool,
    /// The API belongs to another environment: every token fails issuer checks (KT-CT-1127).
    pub foreign_issuer: bool,
}

impl Default for ApiChoices {
    fn default() -> Self {
        ApiChoices {
            denial_code: DenialCode::Kt1111,
            third_party_viewer: ViewerMode::Answers,
            silent_denial: false,
            header_forms: vec![HeaderForm::Bare, HeaderForm::Jwt, HeaderForm::Bearer],
            readings_not_configured: false,
            foreign_issuer: false,
        }
    }
}

/// The error code a permission denial carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DenialCode {
    #[serde(rename = "KT-CT-1111")]
    Kt1111,
    #[serde(rename = "KT-CT-4177")]
    Kt4177,
    #[serde(rename = "KT-CT-4718")]
    Kt4718,
}

impl DenialCode {
    pub fn code(self) -> &'static str {
        match self {
            DenialCode::Kt1111 => "KT-CT-1111",
            DenialCode::Kt4177 => "KT-CT-4177",
            DenialCode::Kt4718 => "KT-CT-4718",
        }
    }
}

/// What `thirdPartyViewer` does for an OAuth application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ViewerMode {
    Answers,
    Denied,
    Absent,
}

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
    /// Tokens issued so far expire at the first API request that presents one.
    #[serde(default)]
    pub expire_mid_run: bool,
}

fn yes() -> bool {
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

/// A property with one electricity supply point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropertySpec {
    pub id: String,
    /// 13-digit MPAN core with a valid check digit.
    pub mpan: String,
    pub address: String,
    pub postcode: String,
    #[serde(default = "default_market")]
    pub market_name: String,
    /// Days of half-hourly measurements, ending at the data epoch.
    #[serde(default = "default_days")]
    pub days: u32,
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
}

/// A scenario file that cannot be used. Display: `PATH:LINE:COL: what is wrong`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioError {
    pub origin: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self
            .message
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        write!(
            f,
            "{}:{}:{}: {}",
            self.origin, self.line, self.column, message
        )
    }
}

impl std::error::Error for ScenarioError {}

impl ScenarioError {
    fn at(text: &str, origin: &str, offset: usize, message: impl Into<String>) -> Self {
        let offset = offset.min(text.len());
        let before = text.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ScenarioError {
            origin: origin.to_string(),
            line,
            column,
            message: message.into(),
        }
    }
}

impl Scenario {
    /// A built-in scenario by name.
    pub fn builtin(name: &str) -> Option<Scenario> {
        builtins().into_iter().find(|s| s.name == name)
    }

    /// `healthy` with `n` distinct, healthy applications (at least one): one simulator that
    /// serves a multi-target run (`check --all-profiles`), as the benchmark and tests use it.
    pub fn fleet(n: usize) -> Scenario {
        let mut s = Scenario::builtin("healthy").expect("healthy is built in");
        s.name = format!("fleet-{n}");
        s.description = format!("{n} healthy applications.");
        s.applications = (0..n.max(1)).map(|i| app(&format!("fleet:{i}"))).collect();
        s
    }

    /// Every built-in: (name, what is broken).
    pub fn catalogue() -> Vec<(&'static str, &'static str)> {
        CATALOGUE.iter().map(|(n, d)| (*n, *d)).collect()
    }

    /// Read a scenario from TOML; `origin` names the file in errors.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            ScenarioError::at(text, origin, offset, e.message())
        })?;
        scenario.validate(text, origin)?;
        Ok(scenario)
    }

    /// Read a scenario file.
    pub fn from_file(path: &Path) -> Result<Scenario, ScenarioError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
            origin: origin.clone(),
            line: 1,
            column: 1,
            message: format!("cannot read the file: {e}"),
        })?;
        Scenario::from_toml_str(&text, &origin)
    }

    /// The scenario as TOML; reads back unchanged with [`Scenario::from_toml_str`].
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    /// Checks serde cannot make; errors point at the offending text.
    fn validate(&self, text: &str, origin: &str) -> Result<(), ScenarioError> {
        let find = |needle: &str, nth: usize| -> usize {
            text.match_indices(needle).nth(nth).map_or(0, |(i, _)| i)
        };
        if self.applications.is_empty() {
            return Err(ScenarioError::at(
                text,
                origin,
                0,
                "a scenario needs at least one [[applications]] entry",
            ));
        }
        for (i, app) in self.applications.iter().enumerate() {
            let quoted = format!("\"{}\"", app.client_id);
            if app.client_id.trim().is_empty() {
                return Err(ScenarioError::at(
                    text,
                    origin,
                    find("client_id", i),
                    "client_id must not be empty",
                ));
            }
            if self.applications[..i]
                .iter()
                .any(|a| a.client_id == app.client_id)
            {
                return Err(ScenarioError::at(
                    text,
                    origin,
                    find(&quoted, 1),
                    format!("duplicate client_id {quoted}"),
                ));
            }
        }
        for (i, p) in self.properties.iter().enumerate() {
            if !data::mpan_is_valid(&p.mpan) {
                return Err(ScenarioError::at(
                    text,
                    origin,
                    find(&format!("\"{}\"", p.mpan), 0),
                    format!(
                        "mpan \"{}\" is not a 13-digit MPAN core with a valid check digit",
                        p.mpan
                    ),
                ));
            }
            if self.properties[..i].iter().any(|q| q.id == p.id) {
                return Err(ScenarioError::at(
                    text,
                    origin,
                    find(&format!("\"{}\"", p.id), 1),
                    format!("duplicate property id \"{}\"", p.id),
                ));
            }
            if p.days > 366 {
                return Err(ScenarioError::at(
                    text,
                    origin,
                    find("days", i),
                    "days must be at most 366",
                ));
            }
        }
        for (i, f) in self.faults.iter().enumerate() {
            let at = find("[[faults]]", i);
            if let Some(status) = f.status
                && !(500..=599).contains(&status)
            {
                return Err(ScenarioError::at(
                    text,
                    origin,
                    at,
                    format!("fault status {status} is not a 5xx status"),
                ));
            }
            if f.kind == FaultKind::Latency && f.latency_ms.is_none() {
                return Err(ScenarioError::at(
                    text,
                    origin,
                    at,
                    "a latency fault needs latency_ms",
                ));
            }
        }
        Ok(())
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

/// Built-in names and what each breaks, in catalogue order.
const CATALOGUE: &[(&str, &str)] = &[
    (
        "healthy",
        "Nothing is broken: a confidential client-credentials application whose role carries exactly the two permissions.",
    ),
    (
        "rotated-secret",
        "The secret was rotated: the secret handed to you is the old one, so the token request gets invalid_client.",
    ),
    (
        "unknown-client",
        "The client_id does not exist on this Kraken (wrong environment or deleted application).",
    ),
    (
        "public-client",
        "Client type is Public: tokens work with the secret, but the application is not confidential.",
    ),
    (
        "public-client-no-secret",
        "Public application with a blanked secret: anyone who knows the client_id gets a token.",
    ),
    (
        "wrong-grant",
        "Grant type is Authorization code instead of Client credentials: unauthorized_client.",
    ),
    (
        "disabled-app",
        "The application is disabled: every token request gets invalid_client.",
    ),
    (
        "no-role",
        "No API role: the token works but every permission is denied.",
    ),
    (
        "missing-detailed-usage",
        "The role lacks CAN_VIEW_DETAILED_USAGE: measurements are denied.",
    ),
    (
        "missing-query-property",
        "The role lacks CAN_QUERY_PROPERTY: property queries are denied.",
    ),
    (
        "extra-permission",
        "The role carries CAN_VIEW_ACCOUNT_DETAILS beyond the two permissions it needs.",
    ),
    (
        "short-lived-token",
        "Tokens expire mid-run: the first API request with a token gets KT-CT-1124; a fresh token works.",
    ),
    (
        "readings-not-configured",
        "The supply point readings API is not configured on this Kraken (KT-CT-4722).",
    ),
    (
        "silent-denial",
        "CAN_VIEW_DETAILED_USAGE is missing and denials are silent: empty data instead of errors.",
    ),
    (
        "bare-header-only",
        "The API accepts only the bare token in the Authorization header (no JWT/Bearer prefix).",
    ),
    (
        "bearer-only",
        "The API refuses the bare token; only `Bearer <token>` or `JWT <token>` work.",
    ),
    (
        "wrong-environment",
        "The API belongs to another environment: every token fails issuer verification (KT-CT-1127).",
    ),
    (
        "viewer-absent",
        "thirdPartyViewer is not in the schema: permissions are provable only by probes.",
    ),
    (
        "viewer-denied",
        "thirdPartyViewer is denied to OAuth applications: permissions are provable only by probes.",
    ),
    (
        "denial-4177",
        "The role lacks CAN_QUERY_PROPERTY and denials carry KT-CT-4177 instead of KT-CT-1111.",
    ),
    (
        "opaque-token",
        "Nothing is broken, but tokens are opaque strings rather than JWTs.",
    ),
    (
        "flaky-api",
        "The first 2 GraphQL requests get HTTP 503 with an HTML page, then the API recovers.",
    ),
    (
        "rate-limited",
        "Every GraphQL request is rate limited (KT-CT-1199 with Retry-After).",
    ),
    ("slow-auth", "The token endpoint answers after 2 seconds."),
    (
        "auth-outage",
        "The token endpoint answers HTTP 502 with an HTML page.",
    ),
    (
        "garbled-api",
        "The GraphQL API answers with truncated JSON.",
    ),
    (
        "dropped-connection",
        "The token endpoint drops the connection without answering.",
    ),
];

/// A deterministic, realistic-looking string from a seed (alphanumeric, `len` chars).
pub(crate) fn derived(seed: &str, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(len);
    let mut block = 0u32;
    while out.len() < len {
        let digest = Sha256::digest(format!("kraken-doctor-sim:{seed}:{block}").as_bytes());
        for b in digest.iter() {
            if out.len() == len {
                break;
            }
            out.push(ALPHABET[usize::from(*b) % ALPHABET.len()] as char);
        }
        block += 1;
    }
    out
}

fn app(scenario: &str) -> AppSpec {
    AppSpec {
        client_id: derived(&format!("{scenario}:client_id"), 40),
        client_secret: Secret::new(derived(&format!("{scenario}:client_secret"), 128)),
        offered_secret: None,
        description: "Measurements reader (client credentials)".to_string(),
        registered: true,
        client_type: ClientType::Confidential,
        grant_type: GrantType::ClientCredentials,
        role: Some(Role::ThirdPartyUtilityUsageDataViewer),
        permissions: vec![
            Permission::CanViewDetailedUsage,
            Permission::CanQueryProperty,
        ],
        token_lifetime: 3600,
        token_format: TokenFormat::Jwt,
        enabled: true,
        secret_checked: true,
        expire_mid_run: false,
    }
}

fn fault(endpoint: FaultEndpoint, kind: FaultKind) -> FaultSpec {
    FaultSpec {
        endpoint,
        kind,
        latency_ms: None,
        status: None,
        retry_after: None,
        first_n: None,
    }
}

fn builtins() -> Vec<Scenario> {
    CATALOGUE
        .iter()
        .map(|(name, description)| {
            let mut s = Scenario {
                name: name.to_string(),
                description: description.to_string(),
                api: ApiChoices::default(),
                applications: vec![app(name)],
                properties: data::default_properties(),
                faults: Vec::new(),
            };
            let a = &mut s.applications[0];
            match *name {
                "rotated-secret" => {
                    a.offered_secret =
                        Some(Secret::new(derived(&format!("{name}:old_secret"), 128)));
                }
                "unknown-client" => a.registered = false,
                "public-client" => a.client_type = ClientType::Public,
                "public-client-no-secret" => {
                    a.client_type = ClientType::Public;
                    a.secret_checked = false;
                }
                "wrong-grant" => a.grant_type = GrantType::AuthorizationCode,
                "disabled-app" => a.enabled = false,
                "no-role" => {
                    a.role = None;
                    a.permissions.clear();
                }
                "missing-detailed-usage" | "silent-denial" => {
                    a.permissions = vec![Permission::CanQueryProperty];
                }
                "missing-query-property" | "denial-4177" => {
                    a.permissions = vec![Permission::CanViewDetailedUsage];
                }
                "extra-permission" => a.permissions.push(Permission::CanViewAccountDetails),
                "short-lived-token" => {
                    a.token_lifetime = 300;
                    a.expire_mid_run = true;
                }
                "opaque-token" => a.token_format = TokenFormat::Opaque,
                _ => {}
            }
            match *name {
                "readings-not-configured" => s.api.readings_not_configured = true,
                "silent-denial" => s.api.silent_denial = true,
                "bare-header-only" => s.api.header_forms = vec![HeaderForm::Bare],
                "bearer-only" => s.api.header_forms = vec![HeaderForm::Bearer, HeaderForm::Jwt],
                "wrong-environment" => s.api.foreign_issuer = true,
                "viewer-absent" => s.api.third_party_viewer = ViewerMode::Absent,
                "viewer-denied" => s.api.third_party_viewer = ViewerMode::Denied,
                "denial-4177" => s.api.denial_code = DenialCode::Kt4177,
                "flaky-api" => s.faults.push(FaultSpec {
                    status: Some(503),
                    first_n: Some(2),
                    ..fault(FaultEndpoint::Graphql, FaultKind::ServerError)
                }),
                "rate-limited" => s.faults.push(FaultSpec {
                    retry_after: Some(30),
                    ..fault(FaultEndpoint::Graphql, FaultKind::RateLimit)
                }),
                "slow-auth" => s.faults.push(FaultSpec {
                    latency_ms: Some(2000),
                    ..fault(FaultEndpoint::Token, FaultKind::Latency)
                }),
                "auth-outage" => s.faults.push(FaultSpec {
                    status: Some(502),
                    ..fault(FaultEndpoint::Token, FaultKind::ServerError)
                }),
                "garbled-api" => s
                    .faults
                    .push(fault(FaultEndpoint::Graphql, FaultKind::Truncated)),
                "dropped-connection" => s.faults.push(fault(FaultEndpoint::Token, FaultKind::Drop)),
                _ => {}
            }
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_round_trips_through_toml() {
        for (name, _) in Scenario::catalogue() {
            let s = Scenario::builtin(name).expect("catalogue names resolve");
            let back = Scenario::from_toml_str(&s.to_toml(), name).expect("reads back");
            assert_eq!(back, s, "{name}");
        }
    }

    #[test]
    fn builtin_credentials_are_distinct_and_realistic() {
        let mut ids = std::collections::HashSet::new();
        for (name, _) in Scenario::catalogue() {
            let s = Scenario::builtin(name).expect("builtin");
            let a = &s.applications[0];
            assert_eq!(a.client_id.len(), 40);
            assert!(ids.insert(a.client_id.clone()), "{name}");
        }
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let text = "name = \"x\"\ndescription = \"y\"\n[[applications]]\nclient_id = \"a\"\nclient_secret = \"b\"\ncolour = 1\n";
        let e = Scenario::from_toml_str(text, "f.toml").unwrap_err();
        assert_eq!((e.line, e.column), (6, 1), "{e}");
        assert!(e.to_string().starts_with("f.toml:6:1: "), "{e}");
    }
}
