//! The examples of `check`, `guide`, `token` and `sim`: one list, shown at the end of each
//! command's `--help` and in the man page's EXAMPLES. Each is a real, copy-pasteable command
//! line (a test parses every one); none puts a secret on the command line.

/// One example: the command it belongs to, what it does, and the command line.
#[derive(Debug, Clone, Copy)]
pub struct Example {
    pub command: &'static str,
    pub what: &'static str,
    pub line: &'static str,
}

const fn ex(command: &'static str, what: &'static str, line: &'static str) -> Example {
    Example {
        command,
        what,
        line,
    }
}

/// Every example, grouped by command.
pub const ALL: &[Example] = &[
    ex(
        "check",
        "EDF (GB), the secret in KRAKEN_CLIENT_SECRET, reading property 123's data",
        "kraken-doctor check --kraken edf-gb --client-id ID --property-id 123",
    ),
    ex(
        "check",
        "In CI (id and secret in KRAKEN_CLIENT_ID, KRAKEN_CLIENT_SECRET): JUnit XML",
        "kraken-doctor check --kraken edf-gb --format junit --output report.xml",
    ),
    ex(
        "check",
        "Only the auth checks, on every profile of the config file",
        "kraken-doctor check --all-profiles --only auth",
    ),
    ex(
        "check",
        "After granting a permission: re-probe until it shows, up to 5 minutes",
        "kraken-doctor check --profile prod --wait-for-grant 5m",
    ),
    ex(
        "guide",
        "Walk an OAuth manager through the setup (the id and secret are asked for)",
        "kraken-doctor guide --kraken edf-gb",
    ),
    ex(
        "guide",
        "The same for a profile, replacing last time's handover",
        "kraken-doctor guide --profile prod --handover handover.md --force",
    ),
    ex(
        "guide",
        "No terminal: confirmations from a file, id and secret from a profile",
        "kraken-doctor guide --profile prod --answers answers.toml",
    ),
    ex(
        "token",
        "Print an access token, the secret read from a file",
        "kraken-doctor token --kraken oeg --client-id ID --client-secret-file secret",
    ),
    ex(
        "token",
        "The Authorization header as JSON, for GraphiQL's headers tab",
        "kraken-doctor token --profile prod --format header",
    ),
    ex(
        "token",
        "The token with its lifetime and expiry time",
        "kraken-doctor token --profile prod --format json",
    ),
    ex(
        "sim",
        "Serve a healthy simulated Kraken on port 8080",
        "kraken-doctor sim --port 8080",
    ),
    ex(
        "sim",
        "Serve an application whose secret was rotated",
        "kraken-doctor sim --scenario rotated-secret --port 8080",
    ),
    ex(
        "sim",
        "List the built-in scenarios",
        "kraken-doctor sim --list-scenarios",
    ),
    ex(
        "sim",
        "Write a built-in scenario as TOML, a starting point for --scenario-file",
        "kraken-doctor sim --print-scenario healthy > scenario.toml",
    ),
];

/// The examples of `command`.
pub fn of(command: &str) -> impl Iterator<Item = &'static Example> {
    let command = command.to_string();
    ALL.iter().filter(move |e| e.command == command)
}

/// The `--help` paragraph of `command`'s examples: what each does, then its line, indented.
pub fn help(command: &str) -> String {
    let mut text = String::from("Examples:");
    for e in of(command) {
        text.push_str(&format!("\n  # {}\n  {}\n", e.what, e.line));
    }
    text.trim_end().to_string()
}
