//! Scenarios: what the simulated Kraken is configured with (applications, data, the API choices
//! Krakens differ on, faults). One type serves the built-in catalogue and users' TOML files:
//! the built-ins are the files in `scenarios/`, embedded at build time, so every built-in can
//! be printed as a starting point for a file and reads back unchanged.

mod api;
mod spec;
mod validate;

use std::fmt;
use std::path::Path;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use api::{
    ApiChoices, DenialCode, ErrorShape, FieldError, GatewayBody, HeaderCode, HeaderForm,
    PermissionList, PermissionSpelling, SchemaFlavour, TokenCode, ViewerMode,
};
pub use spec::{
    AppSpec, ClientType, FaultEndpoint, FaultKind, FaultSpec, GrantType, Permission, PropertySpec,
    Role, SupplyPointSpec, TokenFormat,
};

use super::data;
use kraken_core::secret::Secret;

/// A complete simulator configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Short kebab-case name (`healthy`, `rotated-secret`, ...).
    pub name: String,
    /// One line: what is broken or different.
    pub description: String,
    /// How the API answers where Krakens differ.
    #[serde(default)]
    pub api: ApiChoices,
    /// OAuth applications; the first is the one kraken-doctor's tests check.
    #[serde(default)]
    pub applications: Vec<AppSpec>,
    /// Properties and their supply points; the first is the data target tests use.
    #[serde(default = "data::default_properties")]
    pub properties: Vec<PropertySpec>,
    /// Injected faults, in order; the first active one for an endpoint wins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<FaultSpec>,
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

/// The built-in scenario files, in catalogue order; each name is written once, here.
macro_rules! builtin_files {
    ($($name:literal),+ $(,)?) => {
        const BUILTIN_FILES: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../../scenarios/", $name, ".toml")))),+
        ];
    };
}

builtin_files![
    "healthy",
    "reserved-characters",
    "rotated-secret",
    "unknown-client",
    "public-client",
    "public-client-no-secret",
    "wrong-grant",
    "disabled-app",
    "no-role",
    "missing-detailed-usage",
    "missing-query-property",
    "stale-permission-list",
    "extra-permission",
    "short-lived-token",
    "readings-not-configured",
    "silent-denial",
    "bare-header-only",
    "bearer-only",
    "wrong-environment",
    "viewer-absent",
    "viewer-denied",
    "denial-4177",
    "opaque-token",
    "viewer-absent-400",
    "introspection-off",
    "viewer-without-permissions",
    "no-supply-point-field",
    "origin-au",
    "several-meters",
    "not-a-customer",
    "meter-moved",
    "meter-moved-first-refused",
    "bearer-only-1144",
    "gateway-refuses-bare",
    "keys-rotated",
    "wrong-kraken",
    "keys-unavailable",
    "search-unavailable",
    "search-not-enabled",
    "measurements-disabled",
    "no-readings",
    "empty-permission-list",
    "permission-spelling",
    "unknown-permission-names",
    "older-error-shape",
    "flaky-api",
    "rate-limited",
    "slow-auth",
    "auth-outage",
    "garbled-api",
    "dropped-connection",
    "null-data",
    "internal-error",
];

/// Every built-in, parsed once. A file that does not parse fails the test that loads them
/// all, never a user's run.
fn builtins() -> &'static [Scenario] {
    static PARSED: OnceLock<Vec<Scenario>> = OnceLock::new();
    PARSED.get_or_init(|| {
        BUILTIN_FILES
            .iter()
            .map(|(name, text)| {
                Scenario::from_toml_str(text, &format!("scenarios/{name}.toml"))
                    .unwrap_or_else(|e| panic!("built-in scenario: {e}"))
            })
            .collect()
    })
}

impl Scenario {
    /// A built-in scenario by name.
    pub fn builtin(name: &str) -> Option<Scenario> {
        builtins().iter().find(|s| s.name == name).cloned()
    }

    /// Every built-in: (name, what is broken or different), in catalogue order.
    pub fn catalogue() -> Vec<(&'static str, &'static str)> {
        builtins()
            .iter()
            .map(|s| (s.name.as_str(), s.description.as_str()))
            .collect()
    }

    /// `healthy` with `n` distinct, healthy applications (at least one): one simulator that
    /// serves a multi-target run (`check --all-profiles`), as the benchmark and tests use it.
    pub fn fleet(n: usize) -> Scenario {
        let mut s = Scenario::builtin("healthy").expect("healthy is built in");
        let template = s.applications[0].clone();
        s.name = format!("fleet-{n}");
        s.description = format!("{n} healthy applications.");
        s.applications = (0..n.max(1))
            .map(|i| AppSpec {
                client_id: derived(&format!("fleet:{i}:client_id"), 40),
                client_secret: Secret::new(derived(&format!("fleet:{i}:client_secret"), 128)),
                ..template.clone()
            })
            .collect();
        s
    }

    /// Read a scenario from TOML; `origin` names the file in errors.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let scenario: Scenario = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            ScenarioError::at(text, origin, offset, e.message())
        })?;
        validate::validate(&scenario, text)
            .map_err(|(offset, message)| ScenarioError::at(text, origin, offset, message))?;
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

    /// The scenario as TOML, every option written out; reads back unchanged with
    /// [`Scenario::from_toml_str`].
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn description(&self) -> &str {
        &self.description
    }
}

/// A deterministic, realistic-looking string from a seed (alphanumeric, `len` chars): the
/// credentials of [`Scenario::fleet`]'s applications.
fn derived(seed: &str, len: usize) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_file_loads_is_named_after_its_file_and_round_trips() {
        assert_eq!(builtins().len(), BUILTIN_FILES.len());
        for ((file, _), s) in BUILTIN_FILES.iter().zip(builtins()) {
            assert_eq!(s.name, *file, "scenarios/{file}.toml names itself");
            let back = Scenario::from_toml_str(&s.to_toml(), file).expect("reads back");
            assert_eq!(&back, s, "{file}");
        }
    }

    #[test]
    fn builtin_credentials_are_distinct_and_realistic() {
        let mut ids = std::collections::HashSet::new();
        for s in builtins() {
            let a = &s.applications[0];
            assert_eq!(a.client_id.len(), 40, "{}", s.name);
            assert_eq!(a.client_secret.expose().len(), 128, "{}", s.name);
            assert!(a.client_id.chars().all(|c| c.is_ascii_alphanumeric()));
            assert!(ids.insert(a.client_id.clone()), "{}", s.name);
        }
        let fleet = Scenario::fleet(3);
        assert_eq!(fleet.applications.len(), 3);
        assert_ne!(
            fleet.applications[0].client_id,
            fleet.applications[1].client_id
        );
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let text = "name = \"x\"\ndescription = \"y\"\n[[applications]]\nclient_id = \"a\"\nclient_secret = \"b\"\ncolour = 1\n";
        let e = Scenario::from_toml_str(text, "f.toml").unwrap_err();
        assert_eq!((e.line, e.column), (6, 1), "{e}");
        assert!(e.to_string().starts_with("f.toml:6:1: "), "{e}");
    }
}
