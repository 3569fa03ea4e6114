//! The small groups of flags that `check`, `token` and `guide` flatten as they need them:
//! where requests go, the credentials, the profiles, the network limits, the data target.

use std::path::PathBuf;

use clap::{Args, ValueHint};

use crate::names::{Suggest, preset_names};

/// Where requests go: a preset or explicit URLs (`check`, `token`, `guide`).
#[derive(Debug, Clone, Default, Args)]
pub struct EndpointArgs {
    /// A known Kraken. Env: KRAKEN_PRESET.
    #[arg(long, value_name = "PRESET", value_parser = Suggest(preset_names), help_heading = "Target")]
    pub kraken: Option<String>,
    /// With --kraken: use that Kraken's test environment (the -kraken.systems hosts).
    #[arg(long, help_heading = "Target")]
    pub test_env: bool,
    /// Auth server base URL (gets `/token/`), or its token endpoint. Env: KRAKEN_AUTH_URL.
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url, help_heading = "Target")]
    pub auth_url: Option<String>,
    /// GraphQL API base URL (gets `/v1/graphql/`), or its endpoint. Env: KRAKEN_API_URL.
    #[arg(long, value_name = "URL", value_hint = ValueHint::Url, help_heading = "Target")]
    pub api_url: Option<String>,
}

/// Who asks: the OAuth client id and where its secret comes from (`check`, `token`, `guide`).
#[derive(Debug, Clone, Default, Args)]
pub struct CredentialArgs {
    /// OAuth client id. Env: KRAKEN_CLIENT_ID.
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other, help_heading = "Credentials")]
    pub client_id: Option<String>,
    /// Read the client secret from this file (one trailing newline is stripped).
    /// Otherwise the secret comes from KRAKEN_CLIENT_SECRET. Never from the command line.
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath, help_heading = "Credentials")]
    pub client_secret_file: Option<PathBuf>,
    /// Read the client secret from standard input.
    #[arg(long, help_heading = "Credentials")]
    pub client_secret_stdin: bool,
    // No `--client-secret`: a secret on the command line is visible to every process on the
    // machine. Typed anyway, the refusal says the three ways (`suggest::spelled_otherwise`).
}

/// One profile of the config file (`token` and `guide` work on one application).
#[derive(Debug, Clone, Default, Args)]
pub struct ProfileArgs {
    /// Read target and credentials from this profile of the config file.
    #[arg(long, value_name = "NAME", value_hint = ValueHint::Other, help_heading = "Profiles")]
    pub profile: Option<String>,
    /// Config file (default: $XDG_CONFIG_HOME/kraken-doctor/config.toml).
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath, help_heading = "Profiles")]
    pub config: Option<PathBuf>,
}

/// Several profiles at once (`check`).
#[derive(Debug, Clone, Args)]
pub struct ProfilesArgs {
    /// Read target and credentials from this profile of the config file (repeatable).
    #[arg(long, value_name = "NAME", value_hint = ValueHint::Other, help_heading = "Profiles")]
    pub profile: Vec<String>,
    /// Check every profile of the config file.
    #[arg(long, help_heading = "Profiles")]
    pub all_profiles: bool,
    /// Config file (default: $XDG_CONFIG_HOME/kraken-doctor/config.toml).
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath, help_heading = "Profiles")]
    pub config: Option<PathBuf>,
    /// Checks of several targets at once (with several --profile or --all-profiles), 1 to 256.
    #[arg(long, value_name = "N", default_value = "8", help_heading = "Profiles")]
    pub jobs: String,
}

/// Limits and trust for the HTTP requests (`check`, `token`, `guide`). Numbers stay text
/// here so that a refusal can echo them as typed.
#[derive(Debug, Clone, Args)]
pub struct NetworkArgs {
    /// Add a trusted root certificate (PEM), e.g. a corporate proxy's.
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath, help_heading = "Network")]
    pub ca_cert: Option<PathBuf>,
    /// Per-request time limit in seconds, 0.001 to 3600 (connect limit: the smaller of this
    /// and 5 s).
    #[arg(
        long,
        value_name = "SECS",
        default_value = "10",
        help_heading = "Network"
    )]
    pub timeout: String,
    /// Retries for connection failures, 5xx answers and rate limiting (never for a 4xx from
    /// /token/), 0 to 10, with backoff and jitter; a server's Retry-After is honoured up to 5 s.
    #[arg(long, value_name = "N", default_value = "2", help_heading = "Network")]
    pub retries: String,
    /// Time limit in seconds for the whole run, 0.001 to 3600.
    #[arg(
        long,
        value_name = "SECS",
        default_value = "60",
        help_heading = "Network"
    )]
    pub run_timeout: String,
    /// -v: one line per request on stderr; -vv: a redacted HTTP trace.
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

impl Default for NetworkArgs {
    /// The defaults clap gives (for tests that build arguments by hand).
    fn default() -> Self {
        NetworkArgs {
            ca_cert: None,
            timeout: "10".into(),
            retries: "2".into(),
            run_timeout: "60".into(),
            verbose: 0,
        }
    }
}

/// The optional data target of the end-to-end read (`check` and `guide`).
#[derive(Debug, Clone, Default, Args)]
pub struct DataTargetArgs {
    /// Property to read a measurement from, end to end.
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other, help_heading = "Data target")]
    pub property_id: Option<String>,
    /// Supply point (e.g. a GB MPAN) to read a measurement from, end to end.
    #[arg(long, value_name = "ID", value_hint = ValueHint::Other, help_heading = "Data target")]
    pub supply_point: Option<String>,
    /// Market of the supply point (default GBR_ELECTRICITY); only with --supply-point.
    #[arg(long, value_name = "NAME", value_hint = ValueHint::Other, help_heading = "Data target")]
    pub market_name: Option<String>,
}
