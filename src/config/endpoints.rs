//! Where requests go: a preset or explicit URLs, turned into the token and GraphQL endpoints;
//! and the refusals when the two settings, or the two URLs, point at different Krakens.
//!
//! A preset and an explicit URL may be given together only when the URL is on the preset's
//! own host (an override of the path or port, say); anything else is refused, whichever of
//! flags, environment or profile gave them, because a token from one server would be sent to
//! the other.

use std::net::IpAddr;

use url::Url;

use super::{ConfigError, Given, refuse};
use crate::kraken::model::{PRESETS, PRODUCTION_SUFFIX, Preset, TEST_SUFFIX};
pub use crate::runner::Origin;

/// The two endpoints of a target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// `.../token/`
    pub token_url: Url,
    /// `.../v1/graphql/`; `None` only when asked for the auth server alone (`token`) and
    /// neither a preset nor an API URL names it.
    pub graphql_url: Option<Url>,
    /// How the user chose them, for the fixes that name it.
    pub origin: Origin,
}

/// What decides the endpoints, each already picked by precedence.
#[derive(Debug, Default)]
pub struct EndpointSettings {
    pub preset: Option<Given>,
    /// How the test environment was asked for (`--test-env`, `test_env = true`), if it was.
    pub test_env: Option<&'static str>,
    pub auth_url: Option<Given>,
    pub api_url: Option<Given>,
    /// Only the auth server is needed (`token`): no API URL is not a refusal.
    pub auth_only: bool,
}

/// The endpoints the settings mean, or the one-line reason they mean nothing coherent.
pub fn resolve(settings: &EndpointSettings) -> Result<Endpoints, ConfigError> {
    let preset = match (&settings.preset, settings.test_env) {
        (None, Some(test_env)) => {
            return refuse(format!(
                "{test_env} needs a preset (--kraken NAME): it picks that Kraken's \
                 -kraken.systems hosts; with --auth-url and --api-url, give the test hosts \
                 themselves"
            ));
        }
        (None, None) => None,
        (Some(p), test_env) => Some((p, preset_urls(&p.value, test_env.is_some())?)),
    };
    let endpoint = |given: &Option<Given>, preset_url: Option<&String>, path: &str| match (
        given, preset_url,
    ) {
        (Some(g), _) => endpoint_url(&g.value, path, g.name).map(Some),
        (None, Some(url)) => endpoint_url(url, path, "the preset").map(Some),
        (None, None) => Ok(None),
    };
    let token_url = endpoint(
        &settings.auth_url,
        preset.as_ref().map(|p| &p.1.0),
        "/token/",
    )?
    .ok_or_else(|| {
        ConfigError(
            "no target: give --kraken PRESET (e.g. edf-gb) or --auth-url and --api-url".into(),
        )
    })?;
    let graphql_url = endpoint(
        &settings.api_url,
        preset.as_ref().map(|p| &p.1.1),
        "/v1/graphql/",
    )?;
    if graphql_url.is_none() && !settings.auth_only {
        return refuse(NO_API_URL);
    }
    if let Some((given_preset, (preset_auth, preset_api))) = &preset {
        for (given, url, preset_url) in [
            (&settings.auth_url, Some(&token_url), preset_auth),
            (&settings.api_url, graphql_url.as_ref(), preset_api),
        ] {
            let preset_host = host_of(preset_url);
            if let (Some(given), Some(url)) = (given, url)
                && url.host_str() != Some(preset_host.as_str())
            {
                return refuse(format!(
                    "{}{} means {preset_host}, but {} is another host; give the preset or the \
                     URLs, not both (a URL on the preset's own host is allowed)",
                    given_preset.said(),
                    settings
                        .test_env
                        .map(|t| format!(" with {t}"))
                        .unwrap_or_default(),
                    given.said()
                ));
            }
        }
    }
    if let Some(graphql_url) = &graphql_url {
        check_same_kraken(&token_url, graphql_url)?;
    }
    let chosen = |given: &Option<Given>| match (given, &settings.preset) {
        (Some(g), _) => g.said(),
        (None, Some(p)) => match settings.test_env {
            Some(t) => format!("{} with {t}", p.said()),
            None => p.said(),
        },
        (None, None) => String::new(),
    };
    let origin = Origin {
        auth: chosen(&settings.auth_url),
        api: chosen(&settings.api_url),
    };
    Ok(Endpoints {
        token_url,
        graphql_url,
        origin,
    })
}

/// The refusal when the API is needed and nothing names it.
pub const NO_API_URL: &str = "no API URL: give --api-url (or --kraken PRESET) alongside --auth-url";

/// The host of a URL we built ourselves (a preset's).
fn host_of(url: &str) -> String {
    Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default()
}

/// The two URLs of a preset.
pub fn preset_urls(name: &str, test_env: bool) -> Result<(String, String), ConfigError> {
    let Some(preset) = Preset::by_name(name) else {
        let names: Vec<_> = PRESETS.iter().map(|p| p.name).collect();
        return refuse(format!(
            "unknown Kraken preset '{name}'{}; known: {}. Or give --auth-url and --api-url",
            crate::suggest::did_you_mean(name, names.iter().copied()),
            names.join(", ")
        ));
    };
    let Some(domain) = preset.domain_for(test_env) else {
        return refuse(format!(
            "no known test environment for '{name}'; give --auth-url and --api-url"
        ));
    };
    Ok((
        format!("https://auth.{domain}/"),
        format!("https://api.{domain}/"),
    ))
}

/// Parse a URL given for the endpoint whose Kraken path is `path` (`/token/`, `/v1/graphql/`),
/// taken as the user meant it: a base URL (no path) gets the Kraken path; a full endpoint URL
/// is used as it is (`…/token` and `…/v1/graphql` with the trailing slash Kraken serves them
/// with; another `…/graphql` exactly as given); any other path is refused with the forms to
/// give, so a path is never doubled. Plain `http://` only to loopback hosts. `name` says
/// where the URL came from (`--auth-url`, `KRAKEN_API_URL`, `api_url`, ...).
pub fn endpoint_url(raw: &str, path: &str, name: &str) -> Result<Url, ConfigError> {
    let raw = raw.trim();
    let mut url = Url::parse(raw).or_else(|e| {
        refuse(format!(
            "{name} '{raw}' is not a URL ({e}); expected e.g. https://auth.edfgb-kraken.energy/"
        ))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return refuse(format!(
                "{name} '{raw}': plain http:// is only allowed to loopback hosts (the simulator); \
                 use https://"
            ));
        }
        other => return refuse(format!("{name} '{raw}': scheme '{other}' is not https")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return refuse(format!("{name} '{raw}' has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        let mut plain = url.clone();
        plain.set_query(None);
        plain.set_fragment(None);
        let _ = plain.set_username("");
        let _ = plain.set_password(None);
        return refuse(format!(
            "{name} '{raw}': no query string, fragment or credentials in the URL; give {plain}"
        ));
    }
    let given = url.path().to_string();
    let trimmed = given.trim_end_matches('/');
    let kraken_path = path.trim_end_matches('/');
    // The endpoint's own name, its last segment: `token`, `graphql`.
    let leaf = kraken_path.rsplit('/').next().unwrap_or(kraken_path);
    let with_slash = |url: &mut Url, p: &str| url.set_path(&format!("{p}/"));
    if trimmed.is_empty() {
        url.set_path(path);
    } else if trimmed.ends_with(kraken_path) || trimmed.rsplit('/').next() == Some(leaf) {
        if trimmed.ends_with(kraken_path) || leaf == "token" {
            with_slash(&mut url, trimmed);
        }
        // Another `…/graphql` (graphene-django's own): exactly as given.
    } else {
        let origin = url.origin().ascii_serialization();
        let (what, other) = if leaf == "token" {
            ("token endpoint", "graphql")
        } else {
            ("GraphQL endpoint", "token")
        };
        let swapped = if trimmed.rsplit('/').next() == Some(other) {
            format!(" ({given} is the path of the other endpoint: are the two URLs swapped?)")
        } else {
            String::new()
        };
        // `…/v1/` is the start of Kraken's own path; anything else may be a prefix before it.
        let example = if kraken_path.starts_with(&format!("{trimmed}/")) {
            format!("{origin}{path}")
        } else {
            format!("{origin}{trimmed}{path}")
        };
        return refuse(format!(
            "{name} '{raw}': the path {given} is neither the server's base nor its {what}{swapped}; \
             give {origin}/ (kraken-doctor adds {path}) or the endpoint itself, e.g. {example}"
        ));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Which Kraken a URL belongs to, as far as its host tells.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Site {
    /// This machine: the simulator or a local stand-in.
    Loopback,
    /// A Kraken, by its domain (`edfgb-kraken.energy`, `oeus-kraken.systems`).
    Kraken(String),
    /// A host whose name does not say.
    Unknown,
}

impl Site {
    fn of(url: &Url) -> Site {
        if is_loopback(url) {
            return Site::Loopback;
        }
        let host = url.host_str().unwrap_or("");
        if let Some((preset, test)) = Preset::of_host(host) {
            let domain = preset.domain_for(test).unwrap_or(preset.domain.to_string());
            return Site::Kraken(domain);
        }
        if host.ends_with(PRODUCTION_SUFFIX) || host.ends_with(TEST_SUFFIX) {
            let labels: Vec<&str> = host.rsplitn(3, '.').collect();
            return Site::Kraken(format!("{}.{}", labels[1], labels[0]));
        }
        Site::Unknown
    }

    fn describe(&self) -> String {
        match self {
            Site::Loopback => "this machine (loopback)".into(),
            Site::Kraken(d) if d.ends_with(TEST_SUFFIX) => format!("{d} (test environment)"),
            Site::Kraken(d) => format!("{d} (production)"),
            Site::Unknown => "a custom host".into(),
        }
    }
}

/// Refuse an auth server and an API of different Krakens or environments (a test auth with a
/// production API, loopback with a real host): the token would go where it was not issued.
fn check_same_kraken(token_url: &Url, graphql_url: &Url) -> Result<(), ConfigError> {
    let (auth, api) = (Site::of(token_url), Site::of(graphql_url));
    let mixed = match (&auth, &api) {
        (Site::Loopback, Site::Loopback) => false,
        (Site::Loopback, _) | (_, Site::Loopback) => true,
        (Site::Kraken(a), Site::Kraken(b)) => a != b,
        _ => false,
    };
    if mixed {
        return refuse(format!(
            "the auth URL's host {} is {}, the API URL's host {} is {}: they point at different \
             Krakens or environments, and a token from one would be sent to the other. Point \
             both at the same Kraken",
            token_url.host_str().unwrap_or(""),
            auth.describe(),
            graphql_url.host_str().unwrap_or(""),
            api.describe()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
