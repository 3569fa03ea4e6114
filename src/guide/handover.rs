//! The handover `guide` writes for the developers: which Kraken and application, what
//! kraken-doctor verified (each check with its title, steps, status and UTC time), what a
//! person confirmed by hand, what is still to do, and how to get a token and check the setup
//! again — with the data target that was used. Markdown, rendered here
//! from plain data the guide collected; never holding the secret or a token.
//! Writing the file is the guide's (`guide::save`): it never replaces an earlier handover
//! unless asked.

use std::fmt::Write as _;

use crate::checks;
use crate::config::Target;
use crate::exit::Exit;
use crate::report::{CheckResult, Status, Summary};
use crate::support::which_kraken;

/// A check the guide ran, and the UTC time of the run that verified it.
#[derive(Debug, Clone)]
pub struct Verified {
    pub result: CheckResult,
    /// RFC 3339 UTC start of the run.
    pub at: String,
}

/// What a person said about a manual check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Done as described.
    Confirmed,
    /// Not done as described (answered no, or "false" in the answers file).
    Denied,
    /// The guide stopped before asking.
    NotAsked,
    /// The answers file has no answer for it.
    NoAnswer,
}

impl Answer {
    /// How the handover and the summary say it.
    pub fn describe(self) -> &'static str {
        match self {
            Answer::Confirmed => "confirmed",
            Answer::Denied => "not confirmed",
            Answer::NotAsked => "not asked (the guide stopped before this step)",
            Answer::NoAnswer => "not confirmed (no answer given)",
        }
    }
}

/// A manual check and its answer.
#[derive(Debug, Clone)]
pub struct Confirmation {
    /// The manual check's id (`manual.oauth-manager`).
    pub id: &'static str,
    pub answer: Answer,
}

/// Everything the handover says.
#[derive(Debug)]
pub struct Handover<'a> {
    /// The application and the data target that were used.
    pub target: &'a Target,
    /// RFC 3339 UTC time of writing.
    pub written_at: String,
    pub verified: &'a [Verified],
    pub confirmations: &'a [Confirmation],
    /// Things worth knowing, one sentence each (a skipped step, a --wait-for-grant wait).
    pub notes: &'a [String],
    /// For an unfinished walk: what was not done, a sentence each; empty when it finished.
    pub not_done: Vec<String>,
    /// How the guide exits.
    pub exit: Exit,
}

/// A check's title and steps as every printer shows them.
fn about(id: &str) -> (String, String) {
    checks::get(id).map_or_else(
        || (id.to_string(), "–".to_string()),
        |spec| (spec.title.clone(), spec.steps_text()),
    )
}

/// The handover as Markdown.
pub fn render(h: &Handover) -> String {
    let t = h.target;
    let mut md = String::new();
    let _ = writeln!(md, "# Kraken OAuth application handover\n");
    let _ = writeln!(
        md,
        "Written by kraken-doctor {} at {} (UTC) after a guided setup. This file holds no \
         client secret and no access token: the secret reaches you separately, over a secure \
         channel.\n",
        env!("CARGO_PKG_VERSION"),
        h.written_at
    );
    if !h.not_done.is_empty() {
        let _ = writeln!(md, "**Unfinished.** {}\n", md_cell(&h.not_done.join(" ")));
    }
    let _ = writeln!(md, "## Application\n");
    md.push_str(&which_kraken(t));
    let _ = writeln!(md, "- Token URL: {}", t.token_url);
    let _ = writeln!(md, "- API URL: {}", t.graphql_url);
    let _ = writeln!(md, "- Client id: `{}`", md_cell(&t.client_id));
    let _ = writeln!(
        md,
        "- Grant: client credentials (`grant_type=client_credentials`); send the token bare as \
         `Authorization: <token>`"
    );
    if let Some(target) = data_target(t) {
        let _ = writeln!(md, "- Data target: {}", md_cell(&target));
    }

    let _ = writeln!(md, "\n## Verified by kraken-doctor\n");
    if h.verified.is_empty() {
        let _ = writeln!(md, "Nothing was verified.");
    } else {
        let _ = writeln!(
            md,
            "| check | title | steps | status | verified at (UTC) | result |\n\
             |---|---|---|---|---|---|"
        );
        for v in h.verified {
            let (title, steps) = about(&v.result.id);
            let _ = writeln!(
                md,
                "| `{}` | {} | {steps} | {} | {} | {} |",
                v.result.id,
                md_cell(&title),
                v.result.status,
                v.at,
                md_cell(&v.result.summary)
            );
        }
        let fixes: Vec<String> = h
            .verified
            .iter()
            .filter(|v| matches!(v.result.status, Status::Fail | Status::Error | Status::Warn))
            .filter_map(|v| {
                let fix = v.result.remediation.as_ref()?;
                // The causes the outcome found, as the OAuth manager read them in the guide.
                let causes: String = v
                    .result
                    .causes
                    .iter()
                    .map(|c| {
                        format!(
                            "\n  - On the support site: {} {}",
                            md_cell(&c.cause),
                            md_cell(&c.fix)
                        )
                    })
                    .collect();
                Some(format!(
                    "- Fix for `{}`: {}{causes}",
                    v.result.id,
                    md_cell(fix)
                ))
            })
            .collect();
        if !fixes.is_empty() {
            let _ = writeln!(md, "\n{}", fixes.join("\n"));
        }
    }

    let _ = writeln!(md, "\n## Confirmed by hand\n");
    let _ = writeln!(md, "| check | title | steps | answer |\n|---|---|---|---|");
    for c in h.confirmations {
        let (title, steps) = about(c.id);
        let answer = match c.answer {
            Answer::Confirmed => c.answer.describe().to_string(),
            other => format!("**{}**", other.describe()),
        };
        let _ = writeln!(
            md,
            "| `{}` | {} | {steps} | {answer} |",
            c.id,
            md_cell(&title)
        );
    }

    let _ = writeln!(md, "\n## Outcome\n");
    let results: Vec<CheckResult> = h.verified.iter().map(|v| v.result.clone()).collect();
    let _ = writeln!(
        md,
        "- Checks: {} — exit {}: {}",
        counts(&Summary::of(&results)),
        h.exit.code(),
        h.exit.meaning_for("guide")
    );
    for n in h.notes {
        let _ = writeln!(md, "- {}", md_cell(n));
    }

    let _ = writeln!(md, "\n## For the developers\n");
    let _ = writeln!(
        md,
        "1. Get a token: `POST {}` with `grant_type=client_credentials`, `client_id` and \
         `client_secret` in the form body.",
        t.token_url
    );
    let _ = writeln!(
        md,
        "2. Send GraphQL requests to `{}` with the header `Authorization: <token>`.",
        t.graphql_url
    );
    let _ = writeln!(
        md,
        "3. To check the setup yourselves: `{}`",
        check_command(t)
    );
    md
}

/// `3 pass, 1 warn`, or `none run`.
pub fn counts(summary: &Summary) -> String {
    let counts: Vec<String> = Status::ALL
        .iter()
        .filter(|&&s| summary.count(s) > 0)
        .map(|&s| format!("{} {s}", summary.count(s)))
        .collect();
    if counts.is_empty() {
        "none run".to_string()
    } else {
        counts.join(", ")
    }
}

/// The data target for people: `property 240811`, `MPAN 1200… (GBR_ELECTRICITY)`.
pub fn data_target(t: &Target) -> Option<String> {
    (!t.data.is_empty()).then(|| {
        crate::runner::ReadTarget::new(&t.data, t.graphql_url.host_str().unwrap_or("")).describe()
    })
}

/// The `check` command that verifies this application again, with the data target that was
/// used; the secret comes from the environment, never the command line.
pub fn check_command(t: &Target) -> String {
    let mut words = vec![
        "KRAKEN_CLIENT_SECRET=… kraken-doctor check".to_string(),
        format!("--auth-url {}", shell_word(t.token_url.as_str())),
        format!("--api-url {}", shell_word(t.graphql_url.as_str())),
        format!("--client-id {}", shell_word(&t.client_id)),
    ];
    let data = &t.data;
    for (flag, value) in [
        ("--property-id", &data.property_id),
        ("--supply-point", &data.supply_point),
        ("--market-name", &data.market_name),
    ] {
        if let Some(v) = value {
            words.push(format!("{flag} {}", shell_word(v)));
        }
    }
    words.join(" ")
}

/// `s` as one shell word: as it is when it is plain, else in single quotes.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Text safe in a Markdown table cell or list item: one line, pipes escaped, no control
/// characters.
fn md_cell(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_shell_words_and_cells_are_one_line() {
        assert_eq!(shell_word("abc-1_2.3"), "abc-1_2.3");
        assert_eq!(shell_word("a b'c"), r"'a b'\''c'");
        assert_eq!(shell_word(""), "''");
        assert_eq!(md_cell("a|b\nc"), "a\\|b c");
    }
}
