//! Resolve raw arguments, the environment and a profile into the [`Config`] the checks see.
//!
//! Precedence: flags beat environment variables beat the profile. Every usage or
//! configuration error is found here, before any request is sent, and becomes exit code 2
//! with one clear line.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::cli::TargetArgs;
use crate::secret::Secret;

/// A usage or configuration error: exit code 2, nothing sent.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError(msg.into()))
}

use crate::kraken::model::{PRESETS, Preset};

/// Environment variables read (names only; values come from the process environment).
pub mod env_names {
    pub const CLIENT_ID: &str = "KRAKEN_CLIENT_ID";
    pub const CLIENT_SECRET: &str = "KRAKEN_CLIENT_SECRET";
    pub const AUTH_URL: &str = "KRAKEN_AUTH_URL";
    pub const API_URL: &str = "KRAKEN_API_URL";
    pub const KRAKEN: &str = "KRAKEN_PRESET";
}

/// The environment as a map, so tests can resolve configs without touching the process.
pub type Env = BTreeMap<String, String>;

/// The process environment (only the variables kraken-doctor reads).
pub fn process_env() -> Env {
    [
        env_names::CLIENT_ID,
        env_names::CLIENT_SECRET,
        env_names::AUTH_URL,
        env_names::API_URL,
        env_names::KRAKEN,
        "XDG_CONFIG_HOME",
        "HOME",
    ]
    .iter()
    .filter_map(|k| std::env::var(k).ok().map(|v| (k.to_string(), v)))
    .collect()
}

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

impl crate::cli::DataTargetArgs {
    /// The data target the flags give.
    pub fn to_data_target(&self) -> DataTarget {
        DataTarget {
            property_id: self.property_id.clone(),
            supply_point: self.supply_point.clone(),
            market_name: self.market_name.clone(),
        }
    }
}

/// A usage error when a data-target value (`name` says where it came from) is empty or has
/// control characters.
pub fn check_data_values<'a>(
    values: impl IntoIterator<Item = (&'a str, &'a Option<String>)>,
) -> Result<(), ConfigError> {
    for (name, v) in values {
        if let Some(v) = v
            && (v.trim().is_empty() || v.chars().any(char::is_control))
        {
            return err(format!("{name} is empty or has control characters"));
        }
    }
    Ok(())
}

/// A usage error when `--supply-point` is not a well-formed identifier for the Kraken at
/// `api` (a GB MPAN with a wrong check digit, say): refused before anything is sent.
pub fn check_supply_point(data: &DataTarget, api: &Url) -> Result<(), ConfigError> {
    use crate::kraken::identifiers::{SupplyPointId, Territory};
    match &data.supply_point {
        Some(raw) => SupplyPointId::parse(raw, Territory::of_host(api.host_str().unwrap_or("")))
            .map(|_| ())
            .map_err(ConfigError),
        None => Ok(()),
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
}

/// Network behaviour.
#[derive(Debug, Clone)]
pub struct NetOptions {
    /// Total time limit per request attempt.
    pub timeout: Duration,
    /// Connect time limit per attempt.
    pub connect_timeout: Duration,
    /// Retries for connection failures, 5xx and rate limiting.
    pub retries: u32,
    /// Time limit for the whole run.
    pub run_timeout: Duration,
    /// Largest response body read, in bytes.
    pub body_limit: usize,
    /// Extra trusted root certificate (PEM bytes).
    pub ca_cert: Option<Vec<u8>>,
    /// 0 quiet, 1 one line per request, 2 redacted trace.
    pub verbose: u8,
    /// Longest wait honoured from a server's retry hint.
    pub retry_after_cap: Duration,
}

impl Default for NetOptions {
    fn default() -> Self {
        NetOptions {
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            retries: 2,
            run_timeout: Duration::from_secs(60),
            body_limit: 1024 * 1024,
            ca_cert: None,
            verbose: 0,
            retry_after_cap: Duration::from_secs(5),
        }
    }
}

/// A profile of the config file. The secret is never inline: only where to find it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub kraken: Option<String>,
    #[serde(default)]
    pub test_env: bool,
    pub auth_url: Option<String>,
    pub api_url: Option<String>,
    pub client_id: Option<String>,
    /// Name of an environment variable holding the secret.
    pub client_secret_env: Option<String>,
    /// Path of a file holding the secret.
    pub client_secret_file: Option<PathBuf>,
    /// Refused when present: a secret must not sit in a config file.
    pub client_secret: Option<toml::Value>,
    pub property_id: Option<String>,
    pub supply_point: Option<String>,
    pub market_name: Option<String>,
}

/// The config file: `[profiles.NAME]` tables.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// Where the config file is: `--config`, else `$XDG_CONFIG_HOME/kraken-doctor/config.toml`,
/// else `~/.config/kraken-doctor/config.toml`.
pub fn config_path(explicit: Option<&Path>, env: &Env) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let base = env
        .get("XDG_CONFIG_HOME")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| env.get("HOME").map(|h| Path::new(h).join(".config")))?;
    Some(base.join("kraken-doctor").join("config.toml"))
}

/// Read and parse the config file.
pub fn load_config_file(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = std::fs::read_to_string(path)
        .or_else(|e| err(format!("cannot read config file {}: {e}", path.display())))?;
    parse_config_file(&text, &path.display().to_string())
}

/// Parse a config file's text (`origin` names it in errors).
pub fn parse_config_file(text: &str, origin: &str) -> Result<ConfigFile, ConfigError> {
    let file: ConfigFile = toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        ConfigError(format!(
            "{origin}:{line}:{col}: {}",
            e.message().lines().next().unwrap_or("invalid TOML")
        ))
    })?;
    for (name, p) in &file.profiles {
        if p.client_secret.is_some() {
            return err(format!(
                "{origin}: profile '{name}' has client_secret inline; a secret must not sit in a \
                 config file. Use client_secret_env = \"VAR\" or client_secret_file = \"PATH\""
            ));
        }
    }
    Ok(file)
}

/// 1-based line and column of a byte offset in `text` (for parse errors).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Resolve everything about the network from the flags.
pub fn resolve_net(args: &TargetArgs) -> Result<NetOptions, ConfigError> {
    let secs = |v: f64, name: &str| {
        if v.is_finite() && v > 0.0 && v <= 3600.0 {
            Ok(Duration::from_secs_f64(v))
        } else {
            err(format!(
                "--{name} must be a number of seconds between 0 and 3600, got {v}"
            ))
        }
    };
    let timeout = secs(args.timeout, "timeout")?;
    let run_timeout = secs(args.run_timeout, "run-timeout")?;
    if args.retries > 10 {
        return err("--retries must be at most 10");
    }
    let ca_cert = match &args.ca_cert {
        None => None,
        Some(p) => {
            let pem = std::fs::read(p)
                .or_else(|e| err(format!("cannot read --ca-cert {}: {e}", p.display())))?;
            if reqwest::Certificate::from_pem(&pem).is_err() {
                return err(format!("--ca-cert {}: not a PEM certificate", p.display()));
            }
            Some(pem)
        }
    };
    Ok(NetOptions {
        timeout,
        connect_timeout: timeout.min(Duration::from_secs(5)),
        retries: args.retries,
        run_timeout,
        ca_cert,
        verbose: args.verbose,
        ..NetOptions::default()
    })
}

/// Where the secret comes from when no flag says.
pub enum StdinSecret<'a> {
    /// Read standard input when `--client-secret-stdin` is given.
    Process,
    /// Tests: this text stands for standard input.
    Text(&'a str),
}

/// Resolve the targets of a run: one per `--profile` (or every profile with
/// `--all-profiles`), or one from flags and environment alone.
pub fn resolve_targets(
    args: &TargetArgs,
    data: &DataTarget,
    env: &Env,
    stdin: StdinSecret<'_>,
) -> Result<Vec<Target>, ConfigError> {
    if let Some(_leaked) = &args.client_secret {
        return err(
            "--client-secret is refused: a secret on the command line is visible to every \
             process on this machine. Use KRAKEN_CLIENT_SECRET, --client-secret-file PATH or \
             --client-secret-stdin",
        );
    }
    if args.client_secret_stdin && args.client_secret_file.is_some() {
        return err("give one of --client-secret-file and --client-secret-stdin, not both");
    }
    let mut stdin_secret = None;
    if args.client_secret_stdin {
        let text = match stdin {
            StdinSecret::Text(t) => t.as_bytes().to_vec(),
            StdinSecret::Process => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .take(64 * 1024)
                    .read_to_end(&mut buf)
                    .or_else(|e| err(format!("cannot read the secret from stdin: {e}")))?;
                buf
            }
        };
        stdin_secret = Some(secret_from_bytes(text, "standard input")?);
    }

    let profiles: Vec<(Option<String>, Profile)> = if args.all_profiles || !args.profile.is_empty()
    {
        let path = config_path(args.config.as_deref(), env).ok_or_else(|| {
            ConfigError("no config file: give --config PATH (HOME is not set)".into())
        })?;
        let file = load_config_file(&path)?;
        if args.all_profiles {
            if file.profiles.is_empty() {
                return err(format!("{}: no [profiles.NAME] tables", path.display()));
            }
            file.profiles
                .into_iter()
                .map(|(n, p)| (Some(n), p))
                .collect()
        } else {
            let mut out = Vec::new();
            for name in &args.profile {
                let p = file.profiles.get(name).cloned().ok_or_else(|| {
                    let known: Vec<_> = file.profiles.keys().map(String::as_str).collect();
                    ConfigError(format!(
                        "no profile '{name}' in {} (profiles: {})",
                        path.display(),
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ))
                })?;
                out.push((Some(name.clone()), p));
            }
            out
        }
    } else {
        if args.config.is_some() {
            // --config alone: a file with exactly one profile is used as the default.
            let file = load_config_file(args.config.as_deref().unwrap_or(Path::new("")))?;
            if file.profiles.len() == 1 {
                file.profiles
                    .into_iter()
                    .map(|(n, p)| (Some(n), p))
                    .collect()
            } else {
                vec![(None, Profile::default())]
            }
        } else {
            vec![(None, Profile::default())]
        }
    };

    profiles
        .into_iter()
        .map(|(name, profile)| resolve_one(args, data, env, name, &profile, stdin_secret.clone()))
        .collect()
}

fn resolve_one(
    args: &TargetArgs,
    data: &DataTarget,
    env: &Env,
    profile_name: Option<String>,
    profile: &Profile,
    stdin_secret: Option<Secret>,
) -> Result<Target, ConfigError> {
    let ctx = |msg: String| match &profile_name {
        Some(p) => ConfigError(format!("profile '{p}': {msg}")),
        None => ConfigError(msg),
    };
    let env_get = |k: &str| env.get(k).filter(|v| !v.is_empty()).cloned();

    // Target: flags > env > profile, with a preset filling what URLs don't.
    let preset = args
        .kraken
        .clone()
        .or_else(|| env_get(env_names::KRAKEN))
        .or_else(|| profile.kraken.clone());
    let test_env = args.test_env || profile.test_env;
    let auth = args
        .auth_url
        .clone()
        .or_else(|| env_get(env_names::AUTH_URL))
        .or_else(|| profile.auth_url.clone());
    let api = args
        .api_url
        .clone()
        .or_else(|| env_get(env_names::API_URL))
        .or_else(|| profile.api_url.clone());
    let (preset_auth, preset_api) = match &preset {
        Some(p) => {
            let (a, b) = preset_urls(p, test_env).map_err(|e| ctx(e.0))?;
            (Some(a), Some(b))
        }
        None => (None, None),
    };
    let auth = auth.or(preset_auth).ok_or_else(|| {
        ctx("no target: give --kraken PRESET (e.g. edf-gb) or --auth-url and --api-url".into())
    })?;
    let api = api.or(preset_api).ok_or_else(|| {
        ctx("no API URL: give --api-url (or --kraken PRESET) alongside --auth-url".into())
    })?;
    let token_url = endpoint_url(&auth, "/token/", "--auth-url").map_err(|e| ctx(e.0))?;
    let graphql_url = endpoint_url(&api, "/v1/graphql/", "--api-url").map_err(|e| ctx(e.0))?;

    let client_id = args
        .client_id
        .clone()
        .or_else(|| env_get(env_names::CLIENT_ID))
        .or_else(|| profile.client_id.clone())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ctx("no client id: give --client-id ID or set KRAKEN_CLIENT_ID".into()))?;
    if client_id.chars().any(|c| c.is_control() || c == ':') {
        return Err(ctx(
            "the client id has a control character or ':' in it; copy it again from the OAuth \
             application page"
                .into(),
        ));
    }

    let client_secret = if let Some(s) = stdin_secret {
        s
    } else if let Some(path) = &args.client_secret_file {
        read_secret_file(path).map_err(|e| ctx(e.0))?
    } else if let Some(s) = env_get(env_names::CLIENT_SECRET) {
        Secret::new(s)
    } else if let Some(var) = &profile.client_secret_env {
        Secret::new(env_var_value(var).ok_or_else(|| {
            ctx(format!(
                "client_secret_env names {var}, which is not set (or empty)"
            ))
        })?)
    } else if let Some(path) = &profile.client_secret_file {
        read_secret_file(&expand_home(path, env)).map_err(|e| ctx(e.0))?
    } else {
        return Err(ctx(
            "no client secret: set KRAKEN_CLIENT_SECRET, or give --client-secret-file PATH or \
             --client-secret-stdin"
                .into(),
        ));
    };

    let data = DataTarget {
        property_id: data.property_id.clone().or(profile.property_id.clone()),
        supply_point: data.supply_point.clone().or(profile.supply_point.clone()),
        market_name: data.market_name.clone().or(profile.market_name.clone()),
    };
    check_data_values([
        ("--property-id", &data.property_id),
        ("--supply-point", &data.supply_point),
        ("--market-name", &data.market_name),
    ])
    .map_err(|e| ctx(e.0))?;
    check_supply_point(&data, &graphql_url).map_err(|e| ctx(e.0))?;

    Ok(Target {
        profile: profile_name,
        token_url,
        graphql_url,
        client_id,
        client_secret,
        data,
    })
}

fn env_var_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn expand_home(path: &Path, env: &Env) -> PathBuf {
    match (path.strip_prefix("~"), env.get("HOME")) {
        (Ok(rest), Some(home)) => Path::new(home).join(rest),
        _ => path.to_path_buf(),
    }
}

/// The two URLs of a preset.
pub fn preset_urls(name: &str, test_env: bool) -> Result<(String, String), ConfigError> {
    let Some(preset) = Preset::by_name(name) else {
        let names: Vec<_> = PRESETS.iter().map(|p| p.name).collect();
        return err(format!(
            "unknown Kraken preset '{name}'; known: {}. Or give --auth-url and --api-url",
            names.join(", ")
        ));
    };
    let Some(domain) = preset.domain_for(test_env) else {
        return err(format!(
            "no known test environment for '{name}'; give --auth-url and --api-url"
        ));
    };
    Ok((
        format!("https://auth.{domain}/"),
        format!("https://api.{domain}/"),
    ))
}

/// Parse a base URL and append the endpoint path unless it is already there. Plain `http://`
/// only to loopback hosts.
pub fn endpoint_url(raw: &str, path: &str, flag: &str) -> Result<Url, ConfigError> {
    let raw = raw.trim();
    let mut url = Url::parse(raw).or_else(|e| {
        err(format!(
            "{flag} '{raw}' is not a URL ({e}); expected e.g. https://auth.edfgb-kraken.energy/"
        ))
    })?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return err(format!(
                "{flag} '{raw}': plain http:// is only allowed to loopback hosts (the simulator); \
                 use https://"
            ));
        }
        other => return err(format!("{flag} '{raw}': scheme '{other}' is not https")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return err(format!("{flag} '{raw}' has no host"));
    }
    if url.query().is_some() || url.fragment().is_some() || !url.username().is_empty() {
        return err(format!(
            "{flag} '{raw}': no query string, fragment or credentials in the URL"
        ));
    }
    let trimmed = path.trim_end_matches('/');
    let current = url.path().trim_end_matches('/').to_string();
    if !current.ends_with(trimmed) {
        url.set_path(&format!("{current}{path}"));
    } else {
        url.set_path(&format!("{current}/"));
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

/// Read a secret file: UTF-8, one trailing newline stripped; warn on stderr when others can
/// read it.
pub fn read_secret_file(path: &Path) -> Result<Secret, ConfigError> {
    let bytes = std::fs::read(path).or_else(|e| {
        err(format!(
            "cannot read the secret file {}: {e}",
            path.display()
        ))
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o004 != 0
        {
            eprintln!(
                "warning: the secret file {} is readable by every user; chmod 600 it",
                path.display()
            );
        }
    }
    secret_from_bytes(bytes, &path.display().to_string())
}

/// The secret in a file's or stdin's bytes: UTF-8, one trailing newline (LF or CRLF) removed,
/// not empty.
pub fn secret_from_bytes(bytes: Vec<u8>, origin: &str) -> Result<Secret, ConfigError> {
    let bytes = zeroize::Zeroizing::new(bytes);
    let text = std::str::from_utf8(&bytes)
        .or_else(|_| err(format!("the secret in {origin} is not UTF-8 text")))?;
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    if text.is_empty() {
        return err(format!("the secret in {origin} is empty"));
    }
    if text.contains('\n') || text.chars().any(char::is_control) {
        return err(format!(
            "the secret in {origin} has more than one line or control characters; it should hold \
             the secret alone"
        ));
    }
    Ok(Secret::new(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> TargetArgs {
        TargetArgs {
            timeout: 10.0,
            run_timeout: 60.0,
            retries: 2,
            ..TargetArgs::default()
        }
    }

    fn env(pairs: &[(&str, &str)]) -> Env {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn endpoint_paths_are_appended_once() {
        let u = endpoint_url("https://auth.edfgb-kraken.energy", "/token/", "--auth-url").unwrap();
        assert_eq!(u.as_str(), "https://auth.edfgb-kraken.energy/token/");
        let u = endpoint_url("https://auth.x.energy/token", "/token/", "x").unwrap();
        assert_eq!(u.as_str(), "https://auth.x.energy/token/");
        let u = endpoint_url("http://127.0.0.1:8080/v1/graphql/", "/v1/graphql/", "x").unwrap();
        assert_eq!(u.as_str(), "http://127.0.0.1:8080/v1/graphql/");
        let u = endpoint_url("https://api.x.energy/", "/v1/graphql/", "x").unwrap();
        assert_eq!(u.as_str(), "https://api.x.energy/v1/graphql/");
    }

    #[test]
    fn plain_http_only_to_loopback() {
        assert!(endpoint_url("http://localhost:1/", "/token/", "x").is_ok());
        assert!(endpoint_url("http://[::1]:1/", "/token/", "x").is_ok());
        let e = endpoint_url("http://auth.x.energy/", "/token/", "--auth-url").unwrap_err();
        assert!(e.0.contains("loopback"), "{e}");
        assert!(endpoint_url("ftp://x/", "/token/", "x").is_err());
        assert!(endpoint_url("not a url", "/token/", "x").is_err());
        assert!(endpoint_url("https://x/?a=1", "/token/", "x").is_err());
    }

    #[test]
    fn presets_and_test_env() {
        let (a, b) = preset_urls("edf-gb", false).unwrap();
        assert_eq!(a, "https://auth.edfgb-kraken.energy/");
        assert_eq!(b, "https://api.edfgb-kraken.energy/");
        let (a, _) = preset_urls("oeus", true).unwrap();
        assert_eq!(a, "https://auth.oeus-kraken.systems/");
        assert!(preset_urls("octopus-gb", true).is_err());
        assert!(preset_urls("nope", false).unwrap_err().0.contains("edf-gb"));
    }

    #[test]
    fn secret_on_the_command_line_is_refused() {
        let mut a = args();
        a.client_secret = Some("s3cret".into());
        let e = resolve_targets(
            &a,
            &DataTarget::default(),
            &Env::new(),
            StdinSecret::Text(""),
        )
        .unwrap_err();
        assert!(e.0.contains("visible to every process"));
        assert!(!e.0.contains("s3cret"));
    }

    #[test]
    fn flags_beat_env_beat_profile() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("config.toml");
        std::fs::write(
            &cfg,
            "[profiles.p]\nkraken = \"edf-gb\"\nclient_id = \"from-profile\"\n\
             client_secret_env = \"KD_TEST_UNSET_VAR\"\n",
        )
        .unwrap();
        let mut a = args();
        a.profile = vec!["p".into()];
        a.config = Some(cfg.clone());
        let e = env(&[("KRAKEN_CLIENT_SECRET", "env-secret")]);
        let t = &resolve_targets(&a, &DataTarget::default(), &e, StdinSecret::Text("")).unwrap()[0];
        assert_eq!(t.client_id, "from-profile");
        assert_eq!(
            t.token_url.as_str(),
            "https://auth.edfgb-kraken.energy/token/"
        );
        assert_eq!(t.client_secret.expose(), "env-secret");

        let e = env(&[
            ("KRAKEN_CLIENT_SECRET", "env-secret"),
            ("KRAKEN_CLIENT_ID", "from-env"),
            ("KRAKEN_AUTH_URL", "https://auth.oeg-kraken.energy"),
        ]);
        let t = &resolve_targets(&a, &DataTarget::default(), &e, StdinSecret::Text("")).unwrap()[0];
        assert_eq!(t.client_id, "from-env");
        assert_eq!(
            t.token_url.as_str(),
            "https://auth.oeg-kraken.energy/token/"
        );
        assert_eq!(
            t.graphql_url.as_str(),
            "https://api.edfgb-kraken.energy/v1/graphql/"
        );

        a.client_id = Some("from-flag".into());
        a.client_secret_stdin = true;
        let t = &resolve_targets(
            &a,
            &DataTarget::default(),
            &e,
            StdinSecret::Text("stdin-secret\n"),
        )
        .unwrap()[0];
        assert_eq!(t.client_id, "from-flag");
        assert_eq!(t.client_secret.expose(), "stdin-secret");
    }

    #[test]
    fn inline_secret_in_profile_is_refused() {
        let e = parse_config_file("[profiles.a]\nclient_secret = \"x\"\n", "c.toml").unwrap_err();
        assert!(e.0.contains("must not sit in a config file"), "{e}");
        let e = parse_config_file("[profiles.a]\nclient_idd = \"x\"\n", "c.toml").unwrap_err();
        assert!(e.0.starts_with("c.toml:2:"), "{e}");
    }

    #[test]
    fn secret_bytes_rules() {
        assert_eq!(
            secret_from_bytes(b"abc\n".to_vec(), "f").unwrap().expose(),
            "abc"
        );
        assert_eq!(
            secret_from_bytes(b"abc\r\n".to_vec(), "f")
                .unwrap()
                .expose(),
            "abc"
        );
        assert!(secret_from_bytes(b"\n".to_vec(), "f").is_err());
        assert!(
            secret_from_bytes(vec![0xff, 0xfe], "f")
                .unwrap_err()
                .0
                .contains("UTF-8")
        );
        assert!(secret_from_bytes(b"a\nb\n".to_vec(), "f").is_err());
    }

    #[test]
    fn missing_pieces_each_say_what_to_do() {
        let e = env(&[("KRAKEN_CLIENT_SECRET", "s")]);
        let mut a = args();
        let msg = |a: &TargetArgs| {
            resolve_targets(a, &DataTarget::default(), &e, StdinSecret::Text(""))
                .unwrap_err()
                .0
        };
        assert!(msg(&a).contains("--kraken"));
        a.kraken = Some("edf-gb".into());
        assert!(msg(&a).contains("--client-id"));
        a.client_id = Some("  ".into());
        assert!(msg(&a).contains("--client-id"));
        a.client_id = Some("id".into());
        a.client_secret_file = Some("/nonexistent/secret".into());
        assert!(msg(&a).contains("cannot read the secret file"));
    }
}
