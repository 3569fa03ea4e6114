//! Command-line definitions (clap). Raw arguments only: `config::Config::resolve` turns them
//! into what the checks see.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// The exit codes, for `--help` (the README says the same).
pub const EXIT_CODES_HELP: &str = "Exit codes: 0 nothing failed or errored (warnings allowed \
    unless --strict), 1 at least one check failed, 2 usage or configuration error (no request \
    sent), 3 no failure but at least one check could not be decided (error).";

/// Verify that a Kraken OAuth application is set up right for the Measurements API.
#[derive(Debug, Parser)]
#[command(
    name = "kraken-doctor",
    version,
    about,
    long_about = "Verify that a third-party OAuth application is set up right for the Kraken \
                  Measurements API, and say exactly what to fix when it is not.\n\n\
                  New here? Run `kraken-doctor demo`: it needs no credentials.",
    after_help = EXIT_CODES_HELP
)]
pub struct Cli {
    /// When to use colour: auto (a terminal, and NO_COLOR unset), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Walk the checklist against a Kraken and report (the main job).
    #[command(after_help = EXIT_CODES_HELP)]
    Check(CheckArgs),
    /// Walk an OAuth manager through the documented setup, step by step, verifying each step
    /// that a probe can see, and write a handover summary for the developers.
    Guide(GuideArgs),
    /// Start the built-in simulator in-process and run `check` against a healthy and several
    /// broken applications. No credentials needed.
    Demo(DemoArgs),
    /// Serve the Kraken simulator (auth server and GraphQL API) for your own tests.
    Sim(SimArgs),
    /// Get an access token and print it.
    Token(TokenArgs),
    /// Explain a Kraken error code, an OAuth error or a check id, offline.
    Explain(ExplainArgs),
    /// List the checks: id, title, doc steps.
    ListChecks,
    /// Print a shell completion script.
    Completions {
        /// The shell to generate for.
        shell: clap_complete::Shell,
    },
}

/// Where to send requests and with which credentials (shared by `check` and `token`).
#[derive(Debug, Clone, Default, Args)]
pub struct TargetArgs {
    /// A known Kraken: octopus-gb, oeg, oefr, oejp, edf-gb, origin, oeus, eonnext.
    #[arg(long, value_name = "PRESET", help_heading = "Target")]
    pub kraken: Option<String>,
    /// With --kraken: use the test environment (the -kraken.systems hosts).
    #[arg(long, help_heading = "Target")]
    pub test_env: bool,
    /// Auth server base URL (`/token/` is appended unless present). Env: KRAKEN_AUTH_URL.
    #[arg(long, value_name = "URL", help_heading = "Target")]
    pub auth_url: Option<String>,
    /// GraphQL API base URL (`/v1/graphql/` is appended unless present). Env: KRAKEN_API_URL.
    #[arg(long, value_name = "URL", help_heading = "Target")]
    pub api_url: Option<String>,
    /// OAuth client id. Env: KRAKEN_CLIENT_ID.
    #[arg(long, value_name = "ID", help_heading = "Credentials")]
    pub client_id: Option<String>,
    /// Read the client secret from this file (one trailing newline is stripped).
    /// Otherwise the secret comes from KRAKEN_CLIENT_SECRET. Never from the command line.
    #[arg(long, value_name = "PATH", help_heading = "Credentials")]
    pub client_secret_file: Option<PathBuf>,
    /// Read the client secret from standard input.
    #[arg(long, help_heading = "Credentials")]
    pub client_secret_stdin: bool,
    /// Refused: a secret on the command line is visible to every process on the machine.
    #[arg(long, value_name = "SECRET", hide = true, help_heading = "Credentials")]
    pub client_secret: Option<String>,
    /// Read target and credentials from this profile of the config file (repeatable on `check`).
    #[arg(long, value_name = "NAME", help_heading = "Profiles")]
    pub profile: Vec<String>,
    /// Check every profile of the config file.
    #[arg(long, help_heading = "Profiles")]
    pub all_profiles: bool,
    /// Config file (default: $XDG_CONFIG_HOME/kraken-doctor/config.toml).
    #[arg(long, value_name = "PATH", help_heading = "Profiles")]
    pub config: Option<PathBuf>,
    /// Add a trusted root certificate (PEM), e.g. a corporate proxy's.
    #[arg(long, value_name = "PATH", help_heading = "Network")]
    pub ca_cert: Option<PathBuf>,
    /// Per-request time limit in seconds (connect limit is the smaller of this and 5 s).
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 10.0,
        help_heading = "Network"
    )]
    pub timeout: f64,
    /// Retries for connection failures, 5xx answers and rate limiting (never for a 4xx from
    /// /token/), with backoff and jitter; a server's Retry-After is honoured up to 5 s.
    #[arg(long, value_name = "N", default_value_t = 2, help_heading = "Network")]
    pub retries: u32,
    /// Time limit in seconds for the whole run.
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 60.0,
        help_heading = "Network"
    )]
    pub run_timeout: f64,
    /// -v: one line per request on stderr; -vv: a redacted HTTP trace.
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// The optional data target of the end-to-end read (shared by `check` and `guide`).
#[derive(Debug, Clone, Default, Args)]
pub struct DataTargetArgs {
    /// Property to read a measurement from, end to end.
    #[arg(long, value_name = "ID", help_heading = "Data target")]
    pub property_id: Option<String>,
    /// Supply point (e.g. a GB MPAN) to read a measurement from, end to end.
    #[arg(long, value_name = "ID", help_heading = "Data target")]
    pub supply_point: Option<String>,
    /// Market of the supply point (e.g. GBR_ELECTRICITY).
    #[arg(long, value_name = "NAME", help_heading = "Data target")]
    pub market_name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    #[default]
    Human,
    Json,
    Junit,
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub data: DataTargetArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human, help_heading = "Report")]
    pub format: ReportFormat,
    /// Write the report to this file instead of stdout.
    #[arg(long, value_name = "PATH", help_heading = "Report")]
    pub output: Option<PathBuf>,
    /// Run only these checks (ids, repeatable or comma-separated).
    #[arg(
        long,
        value_name = "ID",
        value_delimiter = ',',
        help_heading = "Selection"
    )]
    pub only: Vec<String>,
    /// Skip these checks (ids, repeatable or comma-separated).
    #[arg(
        long,
        value_name = "ID",
        value_delimiter = ',',
        help_heading = "Selection"
    )]
    pub skip: Vec<String>,
    /// Count warnings as failures.
    #[arg(long, help_heading = "Report")]
    pub strict: bool,
    /// Checks of several targets at once (with several --profile or --all-profiles).
    #[arg(long, value_name = "N", default_value_t = 8, help_heading = "Profiles")]
    pub jobs: usize,
    /// After a permission change: re-probe with backoff until it shows, up to this long (e.g. 5m).
    #[arg(long, value_name = "DURATION", help_heading = "Selection")]
    pub wait_for_grant: Option<String>,
    /// Write a Markdown report for Kraken's "Get measurements help" page.
    #[arg(long, value_name = "PATH", help_heading = "Report")]
    pub support_report: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
#[command(
    after_help = "On a terminal, the client id and secret are asked for when no flag, variable or \
                  profile gives them (the secret with hidden input). Without a terminal, give \
                  --answers FILE. Exit codes as for `check`: 0, 1, 2, 3."
)]
pub struct GuideArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    #[command(flatten)]
    pub data: DataTargetArgs,
    /// At the permission step: re-probe with backoff until the permissions show, up to this
    /// long (e.g. 5m).
    #[arg(long, value_name = "DURATION", help_heading = "Guide")]
    pub wait_for_grant: Option<String>,
    /// Where to write the handover summary (Markdown).
    #[arg(
        long,
        value_name = "PATH",
        default_value = "kraken-doctor-handover.md",
        help_heading = "Guide"
    )]
    pub handover: PathBuf,
    /// Run without a terminal: a TOML file with the manual confirmations (oauth_manager,
    /// allowed_uris_blank, skip_authorization_unchecked, secret_handed_over) and optionally
    /// property_id or supply_point. Credentials still come from flags, environment or profile.
    #[arg(long, value_name = "FILE", help_heading = "Guide")]
    pub answers: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Report format for each scenario.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
}

#[derive(Debug, Clone, Args)]
pub struct SimArgs {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Address to bind.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: String,
    /// A built-in scenario (see --list-scenarios).
    #[arg(long, value_name = "NAME", conflicts_with = "scenario_file")]
    pub scenario: Option<String>,
    /// A scenario written as TOML.
    #[arg(long, value_name = "PATH")]
    pub scenario_file: Option<PathBuf>,
    /// List the built-in scenarios and exit.
    #[arg(long)]
    pub list_scenarios: bool,
    /// Print a built-in scenario as TOML (a starting point for --scenario-file) and exit.
    #[arg(long, value_name = "NAME")]
    pub print_scenario: Option<String>,
    /// Add this many milliseconds of latency to every response.
    #[arg(long, value_name = "MS")]
    pub latency: Option<u64>,
    /// Serve HTTPS with a certificate authority made at start; its certificate is written to
    /// a file whose path the banner gives (`ca_cert`), for `check --ca-cert`.
    #[arg(long)]
    pub tls: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum TokenFormat {
    /// The token alone, for `TOKEN=$(kraken-doctor token)`.
    #[default]
    Raw,
    /// `{"Authorization": "<token>"}`, for GraphiQL's headers tab.
    Header,
    /// The token with `expires_in` and the expiry time.
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    #[command(flatten)]
    pub target: TargetArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TokenFormat::Raw)]
    pub format: TokenFormat,
}

#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// A Kraken error code (KT-CT-1111), an OAuth error (invalid_client) or a check id.
    pub code: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
