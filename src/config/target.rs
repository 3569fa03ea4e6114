//! One application to check: where (endpoints), who (client id and secret) and, optionally,
//! which property or supply point to read — resolved per profile, flags beating environment
//! beating the profile.

use url::Url;

use super::endpoints::{self, EndpointSettings, NO_API_URL, Origin};
use super::pasted::{self, Credential};
use super::profiles::{NamedProfile, Profile};
use super::secrets::{self, GivenSecret, StdinSecret};
use super::{ConfigError, Env, Setting, env_names, refuse};
use crate::cli::{CredentialArgs, DataTargetArgs, EndpointArgs};
pub use crate::runner::{DataTarget, Target, TokenTarget};
use crate::secret::Secret;

/// A usage error when a data-target value (`name` says where it came from) is empty or has
/// control characters.
pub fn check_data_values<'a>(
    values: impl IntoIterator<Item = (&'a str, &'a Option<String>)>,
) -> Result<(), ConfigError> {
    for (name, v) in values {
        if let Some(v) = v
            && (v.trim().is_empty() || v.chars().any(char::is_control))
        {
            return refuse(format!("{name} is empty or has control characters"));
        }
    }
    Ok(())
}

/// A usage error when `--supply-point` is not a well-formed identifier for the market given
/// (`--market-name`), else for the Kraken at `api` (a GB MPAN with a wrong check digit, an
/// MPRN with GBR_ELECTRICITY, say): refused before anything is sent, the same for a preset
/// and a custom URL.
pub fn check_supply_point(data: &DataTarget, api: &Url) -> Result<(), ConfigError> {
    use crate::kraken::identifiers::{SupplyPointId, Territory};
    match &data.supply_point {
        Some(raw) => SupplyPointId::for_target(
            raw,
            data.market_name.as_deref(),
            Territory::of_host(api.host_str().unwrap_or("")),
        )
        .map(|_| ())
        .map_err(ConfigError),
        None => Ok(()),
    }
}

/// A target whose client id or secret may still be missing: `guide` asks for them, `check`
/// and `token` refuse ([`TargetDraft::complete`], [`TargetDraft::complete_auth`]).
#[derive(Debug, Clone)]
pub struct TargetDraft {
    pub profile: Option<String>,
    pub token_url: Url,
    /// `None` only for `token` ([`Inputs::auth_only`]).
    pub graphql_url: Option<Url>,
    pub origin: Origin,
    pub client_id: Option<String>,
    pub client_secret: Option<Secret>,
    pub data: DataTarget,
    /// As [`Target::notes`].
    pub notes: Vec<String>,
}

const NO_CLIENT_ID: &str = "no client id: give --client-id ID or set KRAKEN_CLIENT_ID";

impl TargetDraft {
    /// The target, or the refusal naming what is missing and where to give it.
    pub fn complete(self) -> Result<Target, ConfigError> {
        let graphql_url = self
            .graphql_url
            .clone()
            .ok_or_else(|| in_profile(&self.profile, ConfigError(NO_API_URL.into())))?;
        let data = self.data.clone();
        let t = self.complete_auth()?;
        Ok(Target {
            profile: t.profile,
            token_url: t.token_url,
            graphql_url,
            origin: t.origin,
            client_id: t.client_id,
            client_secret: t.client_secret,
            data,
            notes: t.notes,
        })
    }

    /// What `token` needs: the auth server, the client id and the secret.
    pub fn complete_auth(self) -> Result<TokenTarget, ConfigError> {
        let in_profile = |msg: &str| in_profile(&self.profile, ConfigError(msg.into()));
        let client_id = self.client_id.ok_or_else(|| in_profile(NO_CLIENT_ID))?;
        let client_secret = self.client_secret.ok_or_else(|| {
            in_profile(
                "no client secret: set KRAKEN_CLIENT_SECRET, or give --client-secret-file PATH \
                 or --client-secret-stdin",
            )
        })?;
        Ok(TokenTarget {
            profile: self.profile,
            token_url: self.token_url,
            graphql_url: self.graphql_url,
            origin: self.origin,
            client_id,
            client_secret,
            notes: self.notes,
        })
    }
}

/// A refusal about one profile says which.
pub(crate) fn in_profile(profile: &Option<String>, e: ConfigError) -> ConfigError {
    match profile {
        Some(p) => ConfigError(format!("profile '{p}': {}", e.0)),
        None => e,
    }
}

/// A client id as given or typed (`origin` names where from), checked as pasted
/// ([`pasted::check`]): surrounding blanks and quotes trimmed, with a note; refused when
/// empty, or with blanks, `:` or a header scheme in it.
pub fn client_id(raw: &str, origin: &str) -> Result<(String, Vec<String>), ConfigError> {
    if raw.trim().is_empty() {
        return refuse(NO_CLIENT_ID);
    }
    let checked = pasted::check(raw, Credential::ClientId, origin, false)?;
    Ok((checked.value, checked.notes))
}

/// The flags and environment every target of a run shares.
pub struct Inputs<'a> {
    pub endpoint: &'a EndpointArgs,
    pub credentials: &'a CredentialArgs,
    pub data: &'a DataTargetArgs,
    pub env: &'a Env,
    /// Only the auth server is needed (`token`): no API URL is not a refusal.
    pub auth_only: bool,
}

/// One draft per profile (or one from flags and environment alone).
pub fn resolve_all(
    inputs: &Inputs<'_>,
    profiles: Vec<NamedProfile>,
    stdin: StdinSecret<'_>,
) -> Result<Vec<TargetDraft>, ConfigError> {
    secrets::check_flags(inputs.credentials)?;
    if profiles.len() > 1 {
        one_application_only(inputs, profiles.len())?;
    }
    let from_stdin = if inputs.credentials.client_secret_stdin {
        Some(stdin.read()?)
    } else {
        None
    };
    profiles
        .into_iter()
        .map(|(name, profile)| {
            resolve_one(inputs, &profile, from_stdin.as_ref())
                .map_err(|e| in_profile(&name, e))
                .map(|draft| TargetDraft {
                    profile: name,
                    ..draft
                })
        })
        .collect()
}

/// With several profiles, credentials given once would be every profile's: refused.
fn one_application_only(inputs: &Inputs<'_>, profiles: usize) -> Result<(), ConfigError> {
    let c = inputs.credentials;
    let flag = [
        ("--client-id", c.client_id.is_some()),
        ("--client-secret-file", c.client_secret_file.is_some()),
        ("--client-secret-stdin", c.client_secret_stdin),
    ]
    .into_iter()
    .find(|(_, given)| *given);
    if let Some((flag, _)) = flag {
        return refuse(format!(
            "{flag} is for one application, but {profiles} profiles are checked; put each \
             application's credentials in its profile"
        ));
    }
    let var = [env_names::CLIENT_ID, env_names::CLIENT_SECRET]
        .into_iter()
        .find(|v| inputs.env.get(*v).is_some_and(|v| !v.is_empty()));
    if let Some(var) = var {
        return refuse(format!(
            "{var} is set, but {profiles} profiles are checked: it would be every profile's. Put \
             each application's credentials in its profile (client_id, client_secret_env or \
             client_secret_file) and unset {var}"
        ));
    }
    Ok(())
}

/// One profile's draft (its `profile` name is set by the caller).
fn resolve_one(
    inputs: &Inputs<'_>,
    profile: &Profile,
    from_stdin: Option<&GivenSecret>,
) -> Result<TargetDraft, ConfigError> {
    let (args, env) = (inputs.endpoint, inputs.env);
    let test_env = if args.test_env {
        Some("--test-env")
    } else if profile.test_env {
        Some("test_env = true")
    } else {
        None
    };
    let endpoints = endpoints::resolve(&EndpointSettings {
        preset: Setting::KRAKEN.pick(args.kraken.as_ref(), env, profile.kraken.as_ref()),
        test_env,
        auth_url: Setting::AUTH_URL.pick(args.auth_url.as_ref(), env, profile.auth_url.as_ref()),
        api_url: Setting::API_URL.pick(args.api_url.as_ref(), env, profile.api_url.as_ref()),
        auth_only: inputs.auth_only,
    })?;
    let client_id = Setting::CLIENT_ID
        .pick(
            inputs.credentials.client_id.as_ref(),
            env,
            profile.client_id.as_ref(),
        )
        .map(|given| client_id(&given.value, given.name))
        .transpose()?;
    let given = secrets::resolve(inputs.credentials, from_stdin, env, profile)?;
    let mut notes = Vec::new();
    if let Some((_, id_notes)) = &client_id {
        notes.extend(id_notes.iter().cloned());
    }
    if let Some(g) = &given {
        if let Some((id, _)) = &client_id {
            pasted::not_the_client_id(&g.secret, id, &g.origin)?;
        }
        notes.extend(g.notes.iter().cloned());
        notes.extend(crate::secret::weak_secret(&g.secret));
    }
    let client_id = client_id.map(|(id, _)| id);
    let client_secret = given.map(|g| g.secret);
    let data = resolve_data(inputs.data, profile)?;
    if let Some(api) = &endpoints.graphql_url {
        check_supply_point(&data, api)?;
    }
    Ok(TargetDraft {
        profile: None,
        token_url: endpoints.token_url,
        graphql_url: endpoints.graphql_url,
        origin: endpoints.origin,
        client_id,
        client_secret,
        data,
        notes,
    })
}

/// The data target: the flags' when they name a property or supply point, else the
/// profile's (a `--market-name` flag still applies to the profile's supply point). A
/// property and a supply point together, or a market with a property, are refused.
fn resolve_data(flags: &DataTargetArgs, profile: &Profile) -> Result<DataTarget, ConfigError> {
    let from_flags = flags.property_id.is_some() || flags.supply_point.is_some();
    let (data, [property, supply_point]) = if from_flags {
        (
            DataTarget {
                property_id: flags.property_id.clone(),
                supply_point: flags.supply_point.clone(),
                market_name: flags.market_name.clone(),
            },
            ["--property-id", "--supply-point"],
        )
    } else {
        (
            DataTarget {
                property_id: profile.property_id.clone(),
                supply_point: profile.supply_point.clone(),
                market_name: flags.market_name.clone().or(profile.market_name.clone()),
            },
            ["property_id", "supply_point"],
        )
    };
    let market = if flags.market_name.is_some() {
        "--market-name"
    } else {
        "market_name"
    };
    if data.property_id.is_some() && data.supply_point.is_some() {
        return refuse(format!(
            "give {property} or {supply_point}, not both: one end-to-end read is made"
        ));
    }
    if data.property_id.is_some() && data.market_name.is_some() {
        return refuse(format!(
            "{market} applies only to a supply point, not to {property}"
        ));
    }
    check_data_values([
        (property, &data.property_id),
        (supply_point, &data.supply_point),
        (market, &data.market_name),
    ])?;
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every combination of where the Kraken came from (a preset's host or a custom URL) ×
    /// the market given (or none) × an identifier (valid or not): a custom URL with a market
    /// is checked as a preset of that market's territory is; a market of another territory
    /// than the preset's is refused; without a market, a preset's territory decides and a
    /// custom URL takes other territories' identifiers as given.
    #[test]
    fn identifiers_are_checked_the_same_for_presets_and_custom_urls() {
        let gb = "https://api.edfgb-kraken.energy/v1/graphql/";
        let au = "https://api.origin-kraken.energy/v1/graphql/";
        let customs = [
            "http://127.0.0.1:8000/v1/graphql/",
            "https://graphql.example.org/graphql",
        ];
        let markets = [
            None,
            Some("GBR_ELECTRICITY"),
            Some("GBR_GAS"),
            Some("AUS_ELECTRICITY"),
            Some("AUS_GAS"),
            Some("JPN_ELECTRICITY"),
        ];
        let values = [
            "1200023305967", // a valid MPAN
            "1200023305968", // an MPAN with a wrong check digit
            "9876543210",    // an MPRN
            "12AB",          // nothing of GB's
            "QAAAVZZZZZ",    // an NMI
            "5321234567",    // a MIRN
            "ES0021000000000000AA",
        ];
        let check = |api: &str, market: Option<&str>, value: &str| {
            let data = DataTarget {
                supply_point: Some(value.into()),
                market_name: market.map(str::to_string),
                ..DataTarget::default()
            };
            check_supply_point(&data, &Url::parse(api).unwrap()).map_err(|e| e.0)
        };
        let preset_of = |market: &str| {
            if market.starts_with("GBR_") {
                Some(gb)
            } else if market.starts_with("AUS_") {
                Some(au)
            } else {
                None
            }
        };
        for market in markets {
            for value in values {
                let on_custom = check(customs[0], market, value);
                assert_eq!(
                    on_custom,
                    check(customs[1], market, value),
                    "{market:?} {value}: every custom URL alike"
                );
                if let Some(preset) = market.and_then(preset_of) {
                    assert_eq!(
                        on_custom.is_ok(),
                        check(preset, market, value).is_ok(),
                        "{market:?} {value}: a custom URL with a market is checked as its \
                         territory's preset"
                    );
                    let other = if preset == gb { au } else { gb };
                    let e = check(other, market, value).unwrap_err();
                    assert!(e.contains("market, but this Kraken is"), "{e}");
                }
                // A 13-digit value is an MPAN wherever it is given, and checked as one.
                if value == "1200023305968" {
                    assert!(on_custom.is_err(), "{market:?}");
                }
            }
        }
        // The markets' own kinds: each market takes its kind of identifier and no other.
        let ok = |market, value| check(customs[0], Some(market), value).is_ok();
        assert!(ok("GBR_ELECTRICITY", "1200023305967"));
        assert!(!ok("GBR_ELECTRICITY", "9876543210"));
        assert!(!ok("GBR_ELECTRICITY", "12AB"));
        assert!(ok("GBR_GAS", "9876543210"));
        assert!(!ok("GBR_GAS", "1200023305967"));
        assert!(ok("AUS_ELECTRICITY", "QAAAVZZZZZ"));
        assert!(!ok("AUS_ELECTRICITY", "5321234567"));
        assert!(ok("AUS_GAS", "5321234567"));
        assert!(ok("JPN_ELECTRICITY", "12AB"), "another territory: as given");
        // Without a market: the preset's territory decides; a custom URL takes it as given.
        assert!(check(gb, None, "12AB").is_err());
        assert!(check(customs[0], None, "12AB").is_ok());
        assert!(check(gb, None, "9876543210").is_ok());
        // The refusal says what to give.
        let e = check(customs[0], Some("GBR_ELECTRICITY"), "9876543210").unwrap_err();
        assert_eq!(
            e,
            "--supply-point 9876543210: with --market-name GBR_ELECTRICITY, give the 13-digit \
             MPAN core, or --market-name GBR_GAS for this MPRN"
        );
    }
}
