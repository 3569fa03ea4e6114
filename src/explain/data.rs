//! The advice files of `checks/explain/`, embedded at build time and parsed once: shared causes
//! (`cases.toml`), advice per Kraken code and per OAuth error, notes per Kraken error type. What
//! `explain` says about a check is in the check's own file (`crate::checks`), not here.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::checks::Advice;
use crate::checks::advice::Case;

/// The advice files, by name (names appear in error messages and tests).
pub(super) const DATA_FILES: &[(&str, &str)] = &[
    (
        "common.toml",
        include_str!("../../checks/explain/common.toml"),
    ),
    (
        "cases.toml",
        include_str!("../../checks/explain/cases.toml"),
    ),
    (
        "kraken-codes.toml",
        include_str!("../../checks/explain/kraken-codes.toml"),
    ),
    (
        "oauth-errors.toml",
        include_str!("../../checks/explain/oauth-errors.toml"),
    ),
];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Common {
    pub type_notes: BTreeMap<String, String>,
}

/// What a code or an OAuth error adds to the plain facts: its causes and related ids, the
/// setup steps involved and the checks that tell more. (`flatten` rules out
/// `deny_unknown_fields` here; a test resolves every reference instead.)
#[derive(Debug, Deserialize)]
pub(super) struct Entry {
    /// Numbers of the documented steps (`checks/steps.toml`).
    #[serde(default)]
    pub steps: Vec<u32>,
    /// Checks whose result tells more.
    #[serde(default)]
    pub checks: Vec<String>,
    #[serde(flatten)]
    pub advice: Advice,
}

#[derive(Debug, Deserialize)]
pub(super) struct CodeAdvice {
    pub code: String,
    #[serde(flatten)]
    pub entry: Entry,
}

#[derive(Debug, Deserialize)]
struct CodesFile {
    code: Vec<CodeAdvice>,
}

#[derive(Debug, Deserialize)]
pub(super) struct OAuthError {
    pub name: String,
    pub http: String,
    pub meaning: String,
    #[serde(flatten)]
    pub entry: Entry,
}

#[derive(Debug, Deserialize)]
struct OAuthFile {
    error: Vec<OAuthError>,
}

#[derive(Debug, Default)]
pub(super) struct Data {
    pub common: Common,
    pub cases: BTreeMap<String, Case>,
    pub codes: Vec<CodeAdvice>,
    pub oauth: Vec<OAuthError>,
}

impl Data {
    pub fn load() -> Result<Self, String> {
        fn parse<T: serde::de::DeserializeOwned>(name: &str) -> Result<T, String> {
            let text = DATA_FILES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| *t)
                .ok_or_else(|| format!("{name}: not embedded"))?;
            toml::from_str(text).map_err(|e| format!("checks/explain/{name}: {e}"))
        }
        Ok(Self {
            common: parse("common.toml")?,
            cases: parse("cases.toml")?,
            codes: parse::<CodesFile>("kraken-codes.toml")?.code,
            oauth: parse::<OAuthFile>("oauth-errors.toml")?.error,
        })
    }

    /// The causes of `advice`: its own first, then the shared ones it names.
    pub fn causes(&self, advice: &Advice) -> Vec<Case> {
        advice
            .case
            .iter()
            .cloned()
            .chain(
                advice
                    .cases
                    .iter()
                    .filter_map(|name| self.cases.get(name).cloned()),
            )
            .collect()
    }
}

/// The advice files, parsed once. They are embedded and a test parses them, so the empty
/// fallback only keeps a broken build from panicking: registry facts are still explained.
pub(super) fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| Data::load().unwrap_or_default())
}
