//! Resolve raw arguments ([`crate::cli`]), the environment and the profile file into the
//! [`Config`] each command works from: clap's `Cli` is the raw form, `Config` the resolved
//! one (ripgrep's LowArgs → HiArgs, just's Arguments → Config).
//!
//! Precedence: flags beat environment variables beat the profile. Every usage or
//! configuration error is found here, before any request is sent, and becomes exit code 2
//! with one line that names the flags (or variables, or profile keys) in conflict.
//!
//! By concern: [`profiles`] (the config file), [`secrets`] (where the client secret comes
//! from), [`endpoints`] (presets, URLs, and which Kraken they point at), [`target`] (one
//! application to check), [`limits`] (numbers and durations), [`outputs`] (files written),
//! [`sources`] (precedence, and naming a setting as it was given), and `resolve` (each
//! command's arguments in turn).

pub mod endpoints;
pub mod limits;
pub mod outputs;
pub mod pasted;
pub mod profiles;
mod resolve;
pub mod secrets;
pub mod sources;
pub mod target;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

#[cfg(feature = "sim")]
use crate::cli::SimArgs;
use crate::cli::{Cli, Command, ExplainArgs, TokenFormat};
use crate::report::ReportFormat;
use crate::runner::RunOptions;
pub use crate::runner::RunPlan;

pub use endpoints::{Origin, endpoint_url, preset_urls};
pub use limits::{NetOptions, parse_duration};
pub use profiles::{ConfigFile, Profile, line_col, parse_config_file};
pub use resolve::{resolve_check, resolve_guide, resolve_token};
pub use secrets::{GivenSecret, StdinSecret, read_secret_file, secret_from_bytes};
pub use sources::{Given, Setting, Source};
pub use target::{
    DataTarget, Target, TargetDraft, TokenTarget, check_data_values, check_supply_point, client_id,
};

/// A usage or configuration error: exit code 2, nothing sent.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Shorthand for refusing with a message.
pub(crate) fn refuse<T>(msg: impl Into<String>) -> Result<T, ConfigError> {
    Err(ConfigError(msg.into()))
}

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

/// What a command needs, resolved. `sim` and `explain` resolve their own few arguments.
pub enum Config {
    Check(CheckConfig),
    Guide(GuideConfig),
    Token(TokenConfig),
    #[cfg(feature = "sim")]
    Demo {
        format: ReportFormat,
    },
    #[cfg(feature = "sim")]
    Sim(SimArgs),
    Explain(ExplainArgs),
    ListChecks,
    Completions(clap_complete::Shell),
    /// The man page of the program, or of one command.
    Man(Option<String>),
}

/// What `check` writes, and where.
pub struct ReportOptions {
    pub format: ReportFormat,
    /// `--output`: the report goes to this file instead of stdout.
    pub output: Option<PathBuf>,
    /// `--support-report`: a Markdown report for Kraken's support page.
    pub support_report: Option<PathBuf>,
    /// `-q`: only what is not `pass`, and the summary.
    pub quiet: bool,
}

/// `kraken-doctor check`.
pub struct CheckConfig {
    pub plan: RunPlan,
    pub report: ReportOptions,
}

/// `kraken-doctor token`.
pub struct TokenConfig {
    pub target: TokenTarget,
    pub options: RunOptions,
    pub format: TokenFormat,
}

/// `kraken-doctor guide`: the guide asks for what the target still lacks.
pub struct GuideConfig {
    pub target: TargetDraft,
    pub net: NetOptions,
    pub wait_for_grant: Option<Duration>,
    pub handover: PathBuf,
    /// Replace an existing handover file instead of writing beside it.
    pub force: bool,
    pub answers: Option<PathBuf>,
}

impl Config {
    /// Resolve the command line against the environment and the profile file. `stdin` is
    /// where `--client-secret-stdin` reads (tests pass the text).
    pub fn resolve(cli: &Cli, env: &Env, stdin: StdinSecret<'_>) -> Result<Config, ConfigError> {
        Ok(match &cli.command {
            Command::Check(args) => Config::Check(resolve_check(args, env, stdin)?),
            Command::Guide(args) => Config::Guide(resolve_guide(args, env, stdin)?),
            Command::Token(args) => Config::Token(resolve_token(args, env, stdin)?),
            #[cfg(feature = "sim")]
            Command::Demo(args) => Config::Demo {
                format: args.format,
            },
            #[cfg(feature = "sim")]
            Command::Sim(args) => Config::Sim(args.clone()),
            Command::Explain(args) => Config::Explain(args.clone()),
            Command::ListChecks => Config::ListChecks,
            Command::Completions { shell } => Config::Completions(*shell),
            Command::Man { command } => Config::Man(command.clone()),
        })
    }
}
