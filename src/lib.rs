//! kraken-doctor: verify that a Kraken OAuth application is set up right for the Measurements
//! API. The binary is a thin shell over [`main_entry`]; tests call the library directly.

pub mod cli;
pub mod explain;
pub mod kraken;
pub mod report;
pub mod secret;
pub mod sim;

use std::process::ExitCode;

use clap::Parser;

/// Exit code for usage and configuration errors (nothing was sent).
pub const EXIT_USAGE: u8 = 2;

/// Parse the command line, run, and map the outcome to an exit code.
pub fn main_entry() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Sim(args) => sim::command(&args),
        cli::Command::Explain(args) => {
            use std::io::IsTerminal as _;
            let color = match cli.color {
                cli::ColorChoice::Always => true,
                cli::ColorChoice::Never => false,
                cli::ColorChoice::Auto => {
                    std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            explain::run(&args, color)
        }
        _ => {
            eprintln!("kraken-doctor: this command is not built yet");
            ExitCode::from(EXIT_USAGE)
        }
    }
}
