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

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, ColorChoice};
use crate::config::{self, Config, StdinSecret};
use crate::exit::Exit;
use crate::process::annotate_usage_error;
pub use crate::process::{print_note, print_result, runtime, usage_error};

/// Parse the command line, resolve it, run the command, and say how the process ends.
pub fn main() -> ExitCode {
    let cli = match parse(std::env::args_os()) {
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
        Config::Explain(args) => crate::explain::run(&args, color),
        Config::ListChecks => list_checks::run().into(),
        Config::Completions(shell) => completions::run(shell).into(),
        Config::Man(command) => man::run(command.as_deref()).into(),
    }
}

/// Parse the command line; a refusal of an unknown flag or value carries a "did you mean"
/// tip beyond clap's own ([`with_tips`]).
pub fn parse<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    cli_command()
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
        .map_err(|e| with_tips(e, &args))
}

/// The clap command as parsed, completed and rendered into the man page: the `cli`
/// definitions, plus what `cli` cannot know — the simulator's scenarios for `sim --scenario`
/// and `--print-scenario`, offered to completion.
pub fn cli_command() -> clap::Command {
    #[cfg(feature = "sim")]
    return Cli::command().mut_subcommand("sim", |sim| {
        let offer = |a: clap::Arg| {
            a.value_parser(crate::names::Suggest(scenario_names))
                .hide_possible_values(true)
        };
        sim.mut_arg("scenario", offer)
            .mut_arg("print_scenario", offer)
    });
    #[cfg(not(feature = "sim"))]
    Cli::command()
}

/// The simulator's built-in scenarios.
#[cfg(feature = "sim")]
pub fn scenario_names() -> Vec<&'static str> {
    kraken_sim::Scenario::catalogue()
        .into_iter()
        .map(|(name, _)| name)
        .collect()
}

/// Add to clap's refusal what clap cannot know: a flag other tools spell otherwise
/// (`--mpan` → `--supply-point`, `--client-secret` → the secret's three ways), and, for a
/// value clap found nothing near (`--format JSON`, `--format xml`), the nearest valid one.
fn with_tips(mut e: clap::Error, args: &[std::ffi::OsString]) -> clap::Error {
    let string = |kind| match e.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        _ => None,
    };
    match e.kind() {
        ErrorKind::UnknownArgument => {
            let Some(typed) = string(ContextKind::InvalidArg) else {
                return e;
            };
            let cli = cli_command();
            let commands: Vec<(&str, Vec<String>)> = cli
                .get_subcommands()
                .map(|c| {
                    let longs = c
                        .get_arguments()
                        .filter(|a| !a.is_hide_set())
                        .filter_map(|a| a.get_long().map(|l| format!("--{l}")))
                        .collect();
                    (c.get_name(), longs)
                })
                .collect();
            let command = args.iter().skip(1).find_map(|a| {
                let a = a.to_str()?;
                commands.iter().find(|c| c.0 == a).map(|c| c.0)
            });
            if let Some(tip) = crate::suggest::spelled_otherwise(&typed, command, &commands) {
                let mut tips = vec![clap::builder::StyledStr::from(tip)];
                if let Some(ContextValue::StyledStrs(theirs)) = e.get(ContextKind::Suggested) {
                    tips.extend(theirs.iter().cloned());
                }
                e.insert(ContextKind::Suggested, ContextValue::StyledStrs(tips));
            }
        }
        ErrorKind::InvalidValue if e.get(ContextKind::SuggestedValue).is_none() => {
            let (Some(typed), Some(ContextValue::Strings(valid))) = (
                string(ContextKind::InvalidValue),
                e.get(ContextKind::ValidValue),
            ) else {
                return e;
            };
            let meant = crate::suggest::value_meant(&typed, valid.iter().map(String::as_str));
            if let Some(meant) = meant {
                e.insert(ContextKind::SuggestedValue, ContextValue::String(meant));
            }
        }
        #[cfg(not(feature = "sim"))]
        ErrorKind::InvalidSubcommand => without_simulator(&mut e),
        _ => {}
    }
    e
}

/// `demo` and `sim` typed to a build without the simulator (`--no-default-features`), which
/// has no such commands: clap's refusal (a usage exit) gets the Cargo feature that brings
/// them (`.ci/run` runs it).
#[cfg(not(feature = "sim"))]
fn without_simulator(e: &mut clap::Error) {
    let typed = match e.get(ContextKind::InvalidSubcommand) {
        Some(ContextValue::String(s)) => s.clone(),
        _ => return,
    };
    if typed == "demo" || typed == "sim" {
        let tip = format!(
            "this kraken-doctor was built without the simulator: `{typed}` needs the Cargo \
             feature `sim` (on by default): install without `--no-default-features`"
        );
        e.insert(
            ContextKind::Suggested,
            ContextValue::StyledStrs(vec![tip.into()]),
        );
    }
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

/// What was trimmed from each target's credentials, or looks unlike a Kraken's: said once,
/// before any request (the report's `auth.token` evidence says it again).
pub fn print_target_notes(targets: &[crate::runner::Target]) {
    for t in targets {
        print_notes(&t.profile, &t.notes);
    }
}

/// One target's notes, naming its profile.
pub fn print_notes(profile: &Option<String>, notes: &[String]) {
    {
        let who = profile
            .as_ref()
            .map_or(String::new(), |p| format!("profile '{p}': "));
        for note in notes {
            print_note(&format!("note: {who}{note}"));
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
