//! kraken-doctor: verify that a Kraken OAuth application is set up right for the Measurements
//! API. The binary is a thin shell over [`main_entry`]; tests call the library directly.
//!
//! The flow of a command: [`cli`] (raw arguments) → [`config::Config::resolve`] (flags,
//! environment and profile resolved; every refusal here) → [`commands`] (one file per
//! command) → an [`exit::Exit`].

pub mod checks;
pub mod cli;
pub mod commands;
pub mod config;
#[cfg(feature = "sim")]
pub mod demo;
pub mod examples;
pub mod exit;
pub mod explain;
pub mod guide;
pub mod kraken;
pub mod names;
pub mod process;
pub mod progress;
pub mod redact;
pub mod report;
pub mod runner;
pub mod suggest;
pub mod support;
pub mod text;

pub use kraken_core::{secret, time};

/// Parse the command line, run, and map the outcome to an exit code.
pub fn main_entry() -> std::process::ExitCode {
    commands::main()
}
