//! The `--answers FILE` of an unattended `guide`: the manual confirmations and an optional data
//! target, as TOML. Never the credentials: a secret in a file of answers would be one more copy
//! to leak, so the keys are refused with the reason.

use std::path::Path;

use serde::Deserialize;

use crate::checks::CheckId;
use crate::config::{self, ConfigError};

/// The answers file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answers {
    /// Step 0: the creator has OAUTH_MANAGER.
    pub oauth_manager: Option<bool>,
    /// Step 6: Allowed URIs left blank.
    pub allowed_uris_blank: Option<bool>,
    /// Step 8: "skip authorization" left unchecked.
    pub skip_authorization_unchecked: Option<bool>,
    /// Steps 10–11: the secret was handed over securely.
    pub secret_handed_over: Option<bool>,
    /// Step 13: property to read a measurement from.
    pub property_id: Option<String>,
    /// Step 13: supply point (e.g. an MPAN) to read a measurement from.
    pub supply_point: Option<String>,
    /// Market of the supply point.
    pub market_name: Option<String>,
    /// Refused when present: the secret never sits in a file of answers.
    client_secret: Option<toml::Value>,
    /// Refused when present: the client id comes from the usual sources.
    client_id: Option<toml::Value>,
}

impl Answers {
    /// The answer for a manual check; `None` when the file has none (or the check is not
    /// confirmed by a person). Exhaustive: a new manual check needs its key here.
    pub fn for_check(&self, id: CheckId) -> Option<bool> {
        match id {
            CheckId::ManualOauthManager => self.oauth_manager,
            CheckId::ManualAllowedUris => self.allowed_uris_blank,
            CheckId::ManualSkipAuthorization => self.skip_authorization_unchecked,
            CheckId::ManualSecretHandover => self.secret_handed_over,
            CheckId::AuthReachable
            | CheckId::AuthToken
            | CheckId::AuthConfidential
            | CheckId::AuthMethods
            | CheckId::AuthTokenLifetime
            | CheckId::ApiTokenAccepted
            | CheckId::PermCanQueryProperty
            | CheckId::PermCanViewDetailedUsage
            | CheckId::PermExact
            | CheckId::DataMeasurements => None,
        }
    }
}

/// Read and parse the answers file at `path`.
pub fn load(path: &Path) -> Result<Answers, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError(format!(
            "cannot read the answers file {}: {e}",
            path.display()
        ))
    })?;
    parse(&text, &path.display().to_string())
}

/// Parse an answers file's text (`origin` names it in errors). A syntax error names the line
/// and column only, never the line's text (it could hold a secret pasted by mistake).
pub fn parse(text: &str, origin: &str) -> Result<Answers, ConfigError> {
    let answers: Answers = toml::from_str(text).map_err(|e| {
        let (line, col) = e
            .span()
            .map(|s| config::line_col(text, s.start))
            .unwrap_or((1, 1));
        ConfigError(format!(
            "{origin}:{line}:{col}: {}",
            e.message().lines().next().unwrap_or("invalid TOML")
        ))
    })?;
    if answers.client_secret.is_some() {
        return Err(ConfigError(format!(
            "{origin}: client_secret is refused: a secret must not sit in a file of answers. \
             Set KRAKEN_CLIENT_SECRET, or give --client-secret-file PATH or --client-secret-stdin"
        )));
    }
    if answers.client_id.is_some() {
        return Err(ConfigError(format!(
            "{origin}: client_id does not belong in the answers file; give --client-id ID or set \
             KRAKEN_CLIENT_ID"
        )));
    }
    config::check_data_values([
        ("property_id", &answers.property_id),
        ("supply_point", &answers.supply_point),
        ("market_name", &answers.market_name),
    ])
    .map_err(|e| ConfigError(format!("{origin}: {e}")))?;
    Ok(answers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks;

    #[test]
    fn answers_file_refuses_credentials_and_names_the_line_only() {
        let a = parse(
            "oauth_manager = true\nallowed_uris_blank = false\nproperty_id = \"p1\"\n",
            "a.toml",
        )
        .unwrap();
        assert_eq!(a.oauth_manager, Some(true));
        assert_eq!(a.allowed_uris_blank, Some(false));
        assert_eq!(a.secret_handed_over, None);
        let e = parse("client_secret = \"hunter2-secret\"\n", "a.toml").unwrap_err();
        assert!(e.0.contains("client_secret is refused"), "{e}");
        assert!(!e.0.contains("hunter2"));
        let e = parse("client_id = \"x\"\n", "a.toml").unwrap_err();
        assert!(e.0.contains("--client-id"), "{e}");
        let e = parse("oauth_manager = true\nsecret = \"hunter2-x\n", "a.toml").unwrap_err();
        assert!(e.0.starts_with("a.toml:2:"), "{e}");
        assert!(!e.0.contains("hunter2"), "{e}");
        let e = parse("oauth_managr = true\n", "a.toml").unwrap_err();
        assert!(e.0.contains("a.toml:1:"), "{e}");
        assert!(parse("property_id = \"\"\n", "a.toml").is_err());
    }

    #[test]
    fn every_manual_check_has_a_key() {
        let all_yes = Answers {
            oauth_manager: Some(true),
            allowed_uris_blank: Some(true),
            skip_authorization_unchecked: Some(true),
            secret_handed_over: Some(true),
            ..Answers::default()
        };
        for spec in checks::all().iter().filter(|c| c.confirm.is_some()) {
            assert_eq!(all_yes.for_check(spec.id), Some(true), "{}", spec.id);
        }
    }
}
