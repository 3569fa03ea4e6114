//! Command-line definitions (clap): raw arguments only, as the user typed them.
//! [`crate::config::Config::resolve`] turns them, the environment and the profile file into
//! what each command needs; every refusal (exit 2) is decided there, in one line.
//!
//! Each command declares only the flags it uses: the target, credential, network and data
//! flags are small groups that `check`, `token` and `guide` flatten as they need them.

use std::path::PathBuf;

use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};

use crate::examples;
use crate::exit::Exit;
use crate::names::{Suggest, check_ids_and_groups};
use crate::report::ReportFormat;

mod groups;
pub use groups::{
    CredentialArgs, DataTargetArgs, EndpointArgs, NetworkArgs, ProfileArgs, ProfilesArgs,
};

/// `--version`: the package version, the commit and the target it was built for
/// (see build.rs; "unknown commit" when built without git).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("KRAKEN_DOCTOR_COMMIT"),
    " ",
    env!("KRAKEN_DOCTOR_TARGET"),
    ")"
);

/// The long help's last line: where a newcomer starts, in a build with the simulator.
#[cfg(feature = "sim")]
const NEW_HERE: &str = "New here? Run `kraken-doctor demo`: it needs no credentials.";
/// In a build without it (`--no-default-features`), which has no `demo` or `sim`: say why.
#[cfg(not(feature = "sim"))]
const NEW_HERE: &str = "This kraken-doctor was built without the simulator: `demo` and `sim` \
                        need the Cargo feature `sim` (on by default).";

/// Verify that a Kraken OAuth application is set up right for the Measurements API.
#[derive(Debug, Parser)]
#[command(
    name = "kraken-doctor",
    version = VERSION,
    about,
    long_about = format!(
        "Verify that a third-party OAuth application is set up right for the Kraken \
         Measurements API, and say exactly what to fix when it is not.\n\n{NEW_HERE}"
    ),
    after_help = Exit::help(&Exit::ALL)
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
    #[command(after_help = format!("{}\n\n{}", examples::help("check"), Exit::help_for("check")))]
    Check(CheckArgs),
    /// Walk an OAuth manager through the documented setup, step by step, verifying each step
    /// that a probe can see, and write a handover summary for the developers.
    #[command(after_help = format!(
        "On a terminal, the client id and secret are asked for when no flag, variable or \
         profile gives them (the secret with hidden input). Without a terminal, give \
         --answers FILE.\n\n{}\n\n{}",
        examples::help("guide"),
        Exit::help_for("guide")
    ))]
    Guide(GuideArgs),
    /// Start the built-in simulator in-process and run `check` against a healthy and several
    /// broken applications. No credentials needed.
    #[cfg(feature = "sim")]
    #[command(after_help = Exit::help_for("demo"))]
    Demo(DemoArgs),
    /// Serve the Kraken simulator (auth server and GraphQL API) for your own tests.
    #[cfg(feature = "sim")]
    #[command(after_help = format!("{}\n\n{}", examples::help("sim"), Exit::help_for("sim")))]
    Sim(SimArgs),
    /// Get an access token and print it.
    #[command(after_help = format!("{}\n\n{}", examples::help("token"), Exit::help_for("token")))]
    Token(TokenArgs),
    /// Explain a Kraken error code, an OAuth error or a check id, offline.
    #[command(after_help = Exit::help_for("explain"))]
    Explain(ExplainArgs),
    /// List the checks: id, title, doc steps.
    ListChecks,
    /// Print a shell completion script (it offers presets, check ids and formats).
    Completions {
        /// The shell to generate for.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `kraken-doctor man | man -l -`; `man check` for a
    /// command's own page.
    Man {
        /// A command (check, guide, token, ...): its page instead of the overview.
        #[arg(value_name = "COMMAND", value_hint = ValueHint::Other)]
        command: Option<String>,
    },
}

/// `--format`'s values come from the report's own list of formats (names and help).
impl ValueEnum for ReportFormat {
    fn value_variants<'a>() -> &'a [Self] {
        &ReportFormat::ALL
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(self.name()).help(self.about()))
    }
}

#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub endpoint: EndpointArgs,
    #[command(flatten)]
    pub credentials: CredentialArgs,
    #[command(flatten)]
    pub profiles: ProfilesArgs,
    #[command(flatten)]
    pub data: DataTargetArgs,
    #[command(flatten)]
    pub network: NetworkArgs,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human, help_heading = "Report")]
    pub format: ReportFormat,
    /// Write the report to this file instead of stdout.
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath, help_heading = "Report")]
    pub output: Option<PathBuf>,
    /// Run only these checks: ids or groups (auth, perm, ...), repeatable or comma-separated.
    #[arg(
        long,
        value_name = "ID",
        value_delimiter = ',',
        value_parser = Suggest(check_ids_and_groups),
        hide_possible_values = true,
        help_heading = "Selection"
    )]
    pub only: Vec<String>,
    /// Skip these checks: ids or groups, repeatable or comma-separated.
    #[arg(
        long,
        value_name = "ID",
        value_delimiter = ',',
        value_parser = Suggest(check_ids_and_groups),
        hide_possible_values = true,
        help_heading = "Selection"
    )]
    pub skip: Vec<String>,
    /// Count warnings as failures.
    #[arg(long, help_heading = "Report")]
    pub strict: bool,
    /// Print only what is not `pass`, and the summary (human format).
    #[arg(short, long, help_heading = "Report")]
    pub quiet: bool,
    /// After a permission change: re-probe with backoff until it shows, up to this long
    /// (1s to 24h, e.g. 90s, 5m, 1h30m).
    #[arg(long, value_name = "DURATION", value_hint = ValueHint::Other, help_heading = "Selection")]
    pub wait_for_grant: Option<String>,
    /// Write a Markdown report for Kraken's "Get measurements help" page.
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath, help_heading = "Report")]
    pub support_report: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct GuideArgs {
    #[command(flatten)]
    pub endpoint: EndpointArgs,
    #[command(flatten)]
    pub credentials: CredentialArgs,
    #[command(flatten)]
    pub profile: ProfileArgs,
    #[command(flatten)]
    pub data: DataTargetArgs,
    #[command(flatten)]
    pub network: NetworkArgs,
    /// At the permission step: re-probe with backoff until the permissions show, up to this
    /// long (1s to 24h, e.g. 5m).
    #[arg(long, value_name = "DURATION", value_hint = ValueHint::Other, help_heading = "Guide")]
    pub wait_for_grant: Option<String>,
    /// Where to write the handover summary (Markdown).
    #[arg(
        long,
        value_name = "PATH",
        value_hint = ValueHint::FilePath,
        default_value = "kraken-doctor-handover.md",
        help_heading = "Guide"
    )]
    pub handover: PathBuf,
    /// Replace an existing handover file (otherwise the handover goes to a new file beside it).
    #[arg(long, help_heading = "Guide")]
    pub force: bool,
    /// Run without a terminal: a TOML file with the manual confirmations (oauth_manager,
    /// allowed_uris_blank, skip_authorization_unchecked, secret_handed_over) and optionally
    /// property_id or supply_point. Credentials still come from flags, environment or profile.
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, help_heading = "Guide")]
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
    // `commands::cli_command` offers the scenarios to completion (cli knows no simulator).
    /// A built-in scenario (see --list-scenarios).
    #[arg(long, value_name = "NAME", conflicts_with = "scenario_file")]
    pub scenario: Option<String>,
    /// A scenario written as TOML.
    #[arg(long, value_name = "PATH", value_hint = ValueHint::FilePath)]
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
    /// The token alone, to read into a variable in a script.
    #[default]
    Raw,
    /// The `Authorization` header as JSON, for GraphiQL's headers tab.
    Header,
    /// The token with `expires_in` and the expiry time.
    Json,
}

#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    #[command(flatten)]
    pub endpoint: EndpointArgs,
    #[command(flatten)]
    pub credentials: CredentialArgs,
    #[command(flatten)]
    pub profile: ProfileArgs,
    #[command(flatten)]
    pub network: NetworkArgs,
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
