//! The Kraken simulator: auth server and GraphQL API in one process.

use std::process::ExitCode;

/// `kraken-doctor sim`.
pub fn command(_args: &crate::cli::SimArgs) -> ExitCode {
    eprintln!("kraken-doctor sim: not built yet");
    ExitCode::from(crate::EXIT_USAGE)
}
