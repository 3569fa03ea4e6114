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
const NO_CLIENT_SECRET: &str = "no client secret: set KRAKEN_CLIENT_SECRET, or give \
                                --client-secret-file PATH or --client-secret-stdin";
const NO_CREDENTIALS: &str = "no client id and no client secret: give --client-id ID (or set \
                              KRAKEN_CLIENT_ID), and set KRAKEN_CLIENT_SECRET (or give \
                              --client-secret-file PATH or --client-secret-stdin)";

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
        // Both missing (a first run): one refusal names both, not one after the other.
        let (client_id, client_secret) = match (self.client_id, self.client_secret) {
            (Some(id), Some(secret)) => (id, secret),
            (None, None) => return Err(in_profile(NO_CREDENTIALS)),
            (None, Some(_)) => return Err(in_profile(NO_CLIENT_ID)),
            (Some(_), None) => return Err(in_profile(NO_CLIENT_SECRET)),
        };
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
mod tests;
