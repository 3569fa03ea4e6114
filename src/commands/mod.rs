//! The commands, one file each: parse, resolve ([`Config::resolve`]), run, and end with an
//! [`Exit`]. One way to print, from [`crate::process`]: [`print_result`] (stdout, the result
//! only) and [`print_note`] (stderr: progress, hints, refusals). Nothing imports back from
//! here: what the guide, the demo and the simulator share with the commands lives below.

pub mod check;
pub mod completions;
#[cfg(feature = "sim")]
pub mod demo;
pub mod list_checks;
pub mod man;
#[cfg(feature = "sim")]
pub mod sim;
pub mod token;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, ColorChoice};
use crate::config::{self, Config, StdinSecret};
use crate::exit::Exit;
use crate::process::annotate_usage_error;
pub use crate::process::{print_note, print_result, runtime, usage_error};

/// Parse the command line, resolve it, run the command, and say how the process ends.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_error(&e).into(),
    };
    let color = use_color(cli.color);
    colored::control::set_override(color);
    let config = match Config::resolve(&cli, &config::process_env(), StdinSecret::Process) {
        Ok(config) => config,
        Err(e) => return usage_error(e).into(),
    };
    match config {
        Config::Check(c) => check::run(&c, color).into(),
        Config::Guide(g) => crate::guide::run(&g, color),
        Config::Token(t) => token::run(&t, color).into(),
        #[cfg(feature = "sim")]
        Config::Demo { format } => demo::run(format, color).into(),
        #[cfg(feature = "sim")]
        Config::Sim(args) => sim::command(&args),
        #[cfg(not(feature = "sim"))]
        Config::Demo { .. } => without_simulator("demo").into(),
        #[cfg(not(feature = "sim"))]
        Config::Sim(_) => without_simulator("sim").into(),
        Config::Explain(args) => crate::explain::run(&args, color),
        Config::ListChecks => list_checks::run().into(),
        Config::Completions(shell) => completions::run(shell).into(),
        Config::Man(command) => man::run(command.as_deref()).into(),
    }
}

/// `demo` and `sim` in a build without the simulator (`--no-default-features`): one line
/// naming the Cargo feature that brings them, and a usage exit (`.ci/run` runs it).
#[cfg(not(feature = "sim"))]
fn without_simulator(command: &str) -> Exit {
    print_note(&format!(
        "kraken-doctor {command}: this kraken-doctor was built without the simulator; \
         install it with the Cargo feature `sim` (on by default) to use `{command}`"
    ));
    Exit::Usage
}

/// Whether to colour output: `--color`, then `NO_COLOR`, then whether stdout is a terminal.
pub fn use_color(choice: ColorChoice) -> bool {
    use std::io::IsTerminal;
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// A parse error from clap: its own message (with the usage line), plus the annotation;
/// `--help` and `--version` end cleanly.
fn clap_error(e: &clap::Error) -> Exit {
    if !e.use_stderr() {
        let _ = e.print();
        return Exit::Clean;
    }
    let rendered = e.render().to_string();
    let first = rendered.lines().next().unwrap_or("invalid arguments");
    annotate_usage_error(first.strip_prefix("error: ").unwrap_or(first));
    let _ = e.print();
    Exit::Usage
}
