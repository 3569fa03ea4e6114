//! kraken-doctor: verify that a Kraken OAuth application is set up right for the Measurements
//! API. The binary is a thin shell over [`main_entry`]; tests call the library directly.

pub mod app;
pub mod checks;
pub mod cli;
pub mod config;
pub mod demo;
pub mod exit;
pub mod explain;
pub mod guide;
pub mod kraken;
pub mod progress;
pub mod redact;
pub mod report;
pub mod runner;
pub mod secret;
pub mod sim;
pub mod support;
pub mod time;

use std::process::ExitCode;

use clap::Parser;

pub use app::EXIT_USAGE;

/// Whether to colour output: `--color`, then `NO_COLOR`, then whether stdout is a terminal.
pub fn use_color(choice: cli::ColorChoice) -> bool {
    use std::io::IsTerminal;
    match choice {
        cli::ColorChoice::Always => true,
        cli::ColorChoice::Never => false,
        cli::ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Parse the command line, run, and map the outcome to an exit code.
pub fn main_entry() -> ExitCode {
    let cli = cli::Cli::parse();
    let color = use_color(cli.color);
    colored::control::set_override(color);
    match &cli.command {
        cli::Command::Check(args) => app::check(args, color),
        cli::Command::Guide(args) => guide::run(args, color),
        cli::Command::Demo(args) => app::demo(args, color),
        cli::Command::Sim(args) => sim::command(args),
        cli::Command::Token(args) => app::token(args, color),
        cli::Command::Explain(args) => explain::run(args, color),
        cli::Command::ListChecks => app::list_checks(),
        cli::Command::Completions { shell } => app::completions(*shell),
    }
}
