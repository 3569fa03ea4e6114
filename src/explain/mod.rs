//! `kraken-doctor explain`: say what a Kraken error code, an OAuth token-endpoint error or a
//! check id means and, where it matters to a third-party measurements application, its likely
//! causes and fixes in the words of the Kraken setup guide. Offline.
//!
//! Every `KT-CT-*` code comes from the embedded registry ([`catalogue`]), looked up by string
//! search: explaining one code never parses the whole registry. The advice is data: a check's
//! texts are in its own file (`checks/<id>.toml`, through [`crate::checks`]), the setup steps
//! in `checks/steps.toml`, the advice on codes and OAuth errors in `checks/explain/*.toml`
//! ([`data`]). Causes several entries share are written once in `cases.toml` and named. Only
//! an unknown input scans everything, to suggest the nearest matches ([`nearest`]).

use std::io::Write as _;
use std::process::ExitCode;

use crate::checks::{self, CheckSpec, steps::Step};
use crate::exit::Exit;
use crate::kraken::catalogue::{self, ErrorEntry};

pub use crate::checks::advice::Case;

mod data;
mod nearest;
mod render;

use data::{Data, Entry, OAuthError, data};

/// What kind of thing was explained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A `KT-CT-*` code of the Kraken error registry.
    KrakenCode,
    /// An OAuth error of the auth server's token endpoint (`invalid_client`, ...).
    OAuthError,
    /// A check id of `kraken-doctor check`.
    Check,
}

/// Everything `explain` says about one input. Plain data: [`Explanation::render`] lays it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// What was explained.
    pub kind: Kind,
    /// The canonical id: `KT-CT-1111`, `invalid_client`, `perm.exact`.
    pub id: String,
    /// One line after the id: the registry message, "OAuth error ...", the check's title.
    pub headline: String,
    /// Labelled facts (registry type/message/description, HTTP status, what a check proves).
    pub fields: Vec<(&'static str, String)>,
    /// A remark that is neither a cause nor a fix.
    pub note: Option<String>,
    /// For manual checks: what a person must confirm.
    pub confirm: Option<String>,
    /// Likely causes with their fixes; empty for codes without advice.
    pub cases: Vec<Case>,
    /// Setup steps involved, in the guide's order.
    pub steps: Vec<&'static Step>,
    /// Checks whose result tells more.
    pub checks: Vec<String>,
    /// Related codes, OAuth errors or checks.
    pub see_also: Vec<String>,
}

/// The input is none of the known codes, OAuth errors or check ids.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown code '{input}'")]
pub struct Unknown {
    /// The input, trimmed.
    pub input: String,
    /// Up to five known ids nearest to it, best first.
    pub nearest: Vec<String>,
}

/// Run `kraken-doctor explain CODE`: the explanation on stdout (exit 0), or for an unknown
/// input a message with the nearest matches on stderr (exit 2).
pub fn run(args: &crate::cli::ExplainArgs, color: bool) -> ExitCode {
    match explain(&args.code) {
        Ok(explanation) => {
            let text = explanation.render(color);
            match std::io::stdout().lock().write_all(text.as_bytes()) {
                Ok(()) => ExitCode::SUCCESS,
                // `explain X | head`: the reader went away, nothing left to say.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("kraken-doctor: cannot write to stdout: {e}");
                    Exit::Undecided.into()
                }
            }
        }
        Err(unknown) => {
            eprint!("{}", unknown.render());
            Exit::Usage.into()
        }
    }
}

/// Explain a Kraken error code (`KT-CT-1111`, `kt-ct-1111`, `1111`), an OAuth error
/// (`invalid_client`, `invalid-client`) or a check id (`perm.exact`), case-insensitively.
pub fn explain(input: &str) -> Result<Explanation, Unknown> {
    let input = input.trim();
    let data = data();
    if let Some(code) = nearest::as_kraken_code(input)
        && let Some(entry) = catalogue::lookup(&code)
    {
        return Ok(kraken_explanation(data, entry));
    }
    let key = nearest::normalise(input);
    if let Some(error) = data
        .oauth
        .iter()
        .find(|e| nearest::normalise(&e.name) == key)
    {
        return Ok(oauth_explanation(data, error));
    }
    if let Some(check) = checks::all()
        .iter()
        .find(|c| nearest::normalise(c.id.as_str()) == key)
    {
        return Ok(check_explanation(data, check));
    }
    Err(Unknown {
        input: input.to_string(),
        nearest: nearest::nearest(data, input),
    })
}

/// Every `KT-CT-*` code the explanation texts mention, sorted and without repeats.
pub fn cited_codes() -> Vec<String> {
    let check_texts = checks::all().iter().flat_map(|c| {
        let advice = &c.explain;
        [&c.proves]
            .into_iter()
            .chain(advice.case.iter().flat_map(|k| [&k.cause, &k.fix]))
            .chain(&advice.see_also)
            .chain(&advice.note)
            .map(String::as_str)
            .collect::<Vec<_>>()
    });
    let mut codes: Vec<String> = data::DATA_FILES
        .iter()
        .map(|(_, text)| *text)
        .chain(check_texts)
        .flat_map(scan_codes)
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// The `KT-CT-<digits>` occurrences of a text, in order.
fn scan_codes(text: &str) -> Vec<String> {
    const PREFIX: &str = "KT-CT-";
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(PREFIX) {
        let after = &rest[at + PREFIX.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            out.push(format!("{PREFIX}{}", &after[..digits]));
        }
        rest = &after[digits..];
    }
    out
}

impl Explanation {
    /// The plain facts, before any advice is applied.
    fn facts(kind: Kind, id: &str, headline: &str, fields: Vec<(&'static str, String)>) -> Self {
        Self {
            kind,
            id: id.to_string(),
            headline: headline.to_string(),
            fields,
            note: None,
            confirm: None,
            cases: Vec::new(),
            steps: Vec::new(),
            checks: Vec::new(),
            see_also: Vec::new(),
        }
    }

    /// Add an entry's advice: causes, remark, related ids, the steps named by number.
    fn with(mut self, data: &Data, advice: &checks::Advice, steps: &[u32]) -> Self {
        self.note.clone_from(&advice.note);
        self.cases = data.causes(advice);
        self.see_also.clone_from(&advice.see_also);
        self.steps = checks::steps::covering(steps);
        self
    }
}

fn kraken_explanation(data: &Data, entry: ErrorEntry) -> Explanation {
    let description = if entry.description.is_empty() {
        "(none published)".to_string()
    } else {
        entry.description.clone()
    };
    let explanation = Explanation::facts(
        Kind::KrakenCode,
        &entry.code,
        &entry.message,
        vec![
            ("Type", entry.error_type.clone()),
            ("Message", entry.message.clone()),
            ("Description", description),
        ],
    );
    match data.codes.iter().find(|c| c.code == entry.code) {
        Some(code) => with_entry(explanation, data, &code.entry),
        None => Explanation {
            note: data.common.type_notes.get(&entry.error_type).cloned(),
            ..explanation
        },
    }
}

fn oauth_explanation(data: &Data, error: &OAuthError) -> Explanation {
    let explanation = Explanation::facts(
        Kind::OAuthError,
        &error.name,
        "OAuth error from the auth server's token endpoint",
        vec![
            ("HTTP status", error.http.clone()),
            ("Meaning", error.meaning.clone()),
        ],
    );
    with_entry(explanation, data, &error.entry)
}

fn with_entry(explanation: Explanation, data: &Data, entry: &Entry) -> Explanation {
    Explanation {
        checks: entry.checks.clone(),
        ..explanation.with(data, &entry.advice, &entry.steps)
    }
}

fn check_explanation(data: &Data, check: &CheckSpec) -> Explanation {
    let explanation = Explanation::facts(
        Kind::Check,
        check.id.as_str(),
        &check.title,
        vec![("Proves", check.proves.clone())],
    );
    Explanation {
        confirm: check.confirm.clone(),
        ..explanation.with(data, &check.explain, &check.steps)
    }
}

#[cfg(test)]
mod tests;
