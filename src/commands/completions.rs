//! `kraken-doctor completions SHELL`: a completion script generated from the clap
//! definitions, so it offers what they declare — presets for `--kraken`, check ids and groups
//! for `--only`/`--skip`, the formats — and file names only where a path is expected.

use clap::CommandFactory;

use super::print_result;
use crate::cli::Cli;
use crate::exit::Exit;

/// The script for `shell`.
pub fn script(shell: clap_complete::Shell) -> String {
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "kraken-doctor", &mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// `kraken-doctor completions SHELL`.
pub fn run(shell: clap_complete::Shell) -> Exit {
    print_result(&script(shell));
    Exit::Clean
}
