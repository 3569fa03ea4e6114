//! `kraken-doctor man [COMMAND]`: the manual page, rendered (roff) from the clap definitions
//! so it cannot drift from `--help`. The overview is one page with the standard sections —
//! NAME, SYNOPSIS, DESCRIPTION, OPTIONS, COMMANDS (each command's flags as a subsection),
//! EXIT STATUS, ENVIRONMENT, FILES, EXAMPLES — and refers to no other page; `man COMMAND`
//! is one command's page with the same sections.
//!
//! Facts come from their one place: exit codes from [`Exit`], examples from
//! [`crate::examples`], variables from [`crate::config::env_names`], the config file's path
//! from [`crate::config::profiles::config_path`].

use roff::{Roff, bold, italic, roman};

use super::{print_result, usage_error};
use crate::config::profiles::config_path;
use crate::config::{Env, env_names};
use crate::examples;
use crate::exit::Exit;

const NAME: &str = "kraken-doctor";

/// The environment variables kraken-doctor reads, and what each does.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    (
        env_names::CLIENT_ID,
        "The OAuth client id, when --client-id and the profile do not give it.",
    ),
    (
        env_names::CLIENT_SECRET,
        "The client secret, when --client-secret-file, --client-secret-stdin and the profile \
         do not give it. A secret is never taken from the command line.",
    ),
    (env_names::KRAKEN, "A known Kraken (a preset), as --kraken."),
    (
        env_names::AUTH_URL,
        "The auth server's base URL or token endpoint, as --auth-url.",
    ),
    (
        env_names::API_URL,
        "The GraphQL API's base URL or endpoint, as --api-url.",
    ),
    (
        "XDG_CONFIG_HOME",
        "Where the config file is looked for (see FILES).",
    ),
    (
        "HOME",
        "Where the config file is looked for when XDG_CONFIG_HOME is unset.",
    ),
    (
        "NO_COLOR",
        "When set and not empty, no colour (unless --color always).",
    ),
    (
        "COLUMNS",
        "The width to lay the human report out for when stdout is not a terminal (default 100).",
    ),
    (
        "HTTPS_PROXY",
        "The proxy every Kraken request (HTTPS) goes through; https_proxy too. A user and \
         password in its URL are sent to the proxy and redacted. A failure at the proxy names it.",
    ),
    (
        "HTTP_PROXY",
        "The proxy plain-HTTP requests (a local simulator) go through; http_proxy too.",
    ),
    (
        "ALL_PROXY",
        "The proxy for either scheme whose own variable is unset; all_proxy too.",
    ),
    (
        "NO_PROXY",
        "Hosts reached directly, not through a proxy: a comma-separated list of names \
         (octopus.energy, .example), IPs, CIDR ranges or *; no_proxy too.",
    ),
    (
        "SSL_CERT_FILE",
        "A PEM file of trusted roots read instead of the system's store (SSL_CERT_DIR: \
         directories of them); the bundled Mozilla roots stay trusted, and --ca-cert adds one.",
    ),
    (
        "GITHUB_ACTIONS",
        "When \"true\": annotations for failed checks, and a job summary.",
    ),
    (
        "GITHUB_STEP_SUMMARY",
        "Under GitHub Actions: the file the job summary is appended to.",
    ),
];

/// The man page of the program, or of `command`; `Err` names the commands when `command` is
/// not one of them.
pub fn page(command: Option<&str>) -> Result<String, String> {
    let mut cli = super::cli_command().disable_help_subcommand(true);
    // Built, the commands carry their full names (`kraken-doctor check`) into their synopses.
    cli.build();
    let mut bytes = Vec::new();
    let rendered = match command {
        None => render_overview(&cli, &mut bytes),
        Some(name) => match cli.find_subcommand(name) {
            Some(sub) => render_command(&cli, sub, &mut bytes),
            None => {
                let names: Vec<&str> = commands(&cli).map(|s| s.get_name()).collect();
                return Err(format!(
                    "no command '{name}'; commands: {}",
                    names.join(", ")
                ));
            }
        },
    };
    rendered.map_err(|e| format!("cannot render the man page: {e}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// The commands shown (not hidden).
fn commands(cli: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cli.get_subcommands().filter(|s| !s.is_hide_set())
}

/// The program's page: every command's flags in COMMANDS.
fn render_overview(cli: &clap::Command, w: &mut Vec<u8>) -> std::io::Result<()> {
    let man = clap_mangen::Man::new(cli.clone());
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    man.render_options_section(w)?;
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    w.extend(roff.to_roff().into_bytes());
    for sub in commands(cli) {
        let mut roff = Roff::new();
        roff.control("SS", [format!("{NAME} {}", sub.get_name()).as_str()]);
        w.extend(roff.to_roff().into_bytes());
        // `--color` is the program's, in OPTIONS above: not repeated under each command.
        let mut sub = sub.clone();
        if sub.get_arguments().any(|a| a.get_id() == "color") {
            sub = sub.mut_arg("color", |a| a.hide(true));
        }
        let man = clap_mangen::Man::new(sub);
        w.extend(body_of(&man, Man::render_synopsis_section)?);
        w.extend(body_of(&man, Man::render_description_section)?);
        w.extend(options(&man, Depth::Paragraph)?);
    }
    // The examples of the commands this build has (no `sim` without the simulator).
    let all: Vec<&examples::Example> = examples::ALL
        .iter()
        .filter(|e| cli.find_subcommand(e.command).is_some())
        .collect();
    w.extend(tail(cli, None, &Exit::ALL, &all).into_bytes());
    Ok(())
}

/// One command's page: its flags in OPTIONS, its exit codes and its examples.
fn render_command(
    cli: &clap::Command,
    sub: &clap::Command,
    w: &mut Vec<u8>,
) -> std::io::Result<()> {
    let title = format!("{NAME}-{}", sub.get_name());
    let man = clap_mangen::Man::new(sub.clone()).title(title);
    man.render_title(w)?;
    man.render_name_section(w)?;
    man.render_synopsis_section(w)?;
    man.render_description_section(w)?;
    w.extend(options(&man, Depth::Section)?);
    let codes = Exit::of_command(sub.get_name());
    let own: Vec<&examples::Example> = examples::of(sub.get_name()).collect();
    w.extend(tail(cli, Some(sub.get_name()), codes, &own).into_bytes());
    Ok(())
}

type Man = clap_mangen::Man;

/// A section's text without its `.SH` line (to nest it under a command's `.SS`).
fn body_of(
    man: &Man,
    render: fn(&Man, &mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    render(man, &mut bytes)?;
    let text = String::from_utf8_lossy(&bytes);
    let body: Vec<&str> = text.lines().filter(|l| !l.starts_with(".SH ")).collect();
    let mut body = body.join("\n");
    body.push('\n');
    // Paragraphs apart: the synopsis, the description and the flags.
    Ok(format!(".PP\n{body}").into_bytes())
}

/// How deep a command's flag groups sit: sections of its own page, or paragraphs under its
/// subsection of the overview.
#[derive(Clone, Copy)]
enum Depth {
    Section,
    Paragraph,
}

/// A command's flags, grouped by their help heading (Target, Credentials, ...): clap_mangen
/// gives each group its own `.SH`, which becomes a subsection of OPTIONS, or a titled
/// paragraph in the overview.
fn options(man: &Man, depth: Depth) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    man.render_options_section(&mut bytes)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut out = match depth {
        Depth::Section => String::from(".SH OPTIONS\n"),
        Depth::Paragraph => String::new(),
    };
    for line in text.lines() {
        match line.strip_prefix(".SH ") {
            Some(heading) => {
                let heading = heading.trim_matches('"');
                if heading == "OPTIONS" {
                    if let Depth::Paragraph = depth {
                        out.push_str(".PP\n\\fIOptions\\fR\n");
                    }
                    continue;
                }
                let title = title_case(heading);
                match depth {
                    Depth::Section => out.push_str(&format!(".SS \"{title}\"\n")),
                    Depth::Paragraph => out.push_str(&format!(".PP\n\\fI{title}\\fR\n")),
                }
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    Ok(out.into_bytes())
}

/// "DATA TARGET" → "Data target".
fn title_case(heading: &str) -> String {
    let lower = heading.to_lowercase();
    let mut chars = lower.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// EXIT STATUS (the codes in `command`'s words; `None`: the program's), ENVIRONMENT, FILES
/// and EXAMPLES.
fn tail(
    cli: &clap::Command,
    command: Option<&str>,
    codes: &[Exit],
    examples: &[&examples::Example],
) -> String {
    let mut roff = Roff::new();
    roff.control("SH", ["EXIT STATUS"]);
    for e in codes {
        roff.control("TP", []);
        roff.text([bold(e.code().to_string())]);
        roff.text([roman(match command {
            Some(command) => e.meaning_for(command),
            None => e.meaning(),
        })]);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for (name, what) in ENVIRONMENT {
        roff.control("TP", []);
        roff.text([bold(*name)]);
        roff.text([roman(*what)]);
    }
    roff.control("SH", ["FILES"]);
    for (path, what) in files(cli) {
        roff.control("TP", []);
        roff.text([italic(path)]);
        roff.text([roman(what)]);
    }
    roff.control("SH", ["EXAMPLES"]);
    for e in examples {
        roff.control("PP", []);
        roff.text([roman(format!("{}:", e.what))]);
        roff.control("RS", ["4"]);
        roff.control("EX", []);
        roff.text([roman(e.line)]);
        roff.control("EE", []);
        roff.control("RE", []);
    }
    roff.to_roff()
}

/// The files read or written by default, with what each is.
fn files(cli: &clap::Command) -> Vec<(String, String)> {
    let at = |var: &str, value: &str| {
        let env = Env::from([(var.to_string(), value.to_string())]);
        config_path(None, &env).map(|p| p.display().to_string())
    };
    let mut files = Vec::new();
    if let (Some(xdg), Some(home)) = (at("XDG_CONFIG_HOME", "$XDG_CONFIG_HOME"), at("HOME", "~")) {
        files.push((
            xdg,
            format!(
                "The config file: [profiles.NAME] tables of target and credentials (never a \
                 secret inline), read by --profile and --all-profiles; --config names another. \
                 Without XDG_CONFIG_HOME: {home}."
            ),
        ));
    }
    let handover = cli
        .find_subcommand("guide")
        .and_then(|g| g.get_arguments().find(|a| a.get_id() == "handover"))
        .and_then(|a| a.get_default_values().first())
        .map(|v| v.to_string_lossy().into_owned());
    files.extend(handover.map(|path| {
        (
            path,
            "The handover summary guide writes for the developers (--handover names another; an \
         existing file is kept unless --force)."
                .to_string(),
        )
    }));
    files
}

/// `kraken-doctor man [COMMAND]`.
pub fn run(command: Option<&str>) -> Exit {
    match page(command) {
        Ok(page) => {
            print_result(&page);
            Exit::Clean
        }
        Err(e) => usage_error(e),
    }
}
