//! `kraken-doctor explain`: say what a Kraken error code, an OAuth token-endpoint error or a
//! check id means and, where it matters to a third-party measurements application, its likely
//! causes and fixes in the words of the Kraken setup guide. Offline.
//!
//! Every `KT-CT-*` code comes from the embedded registry ([`catalogue`]), looked up by string
//! search: explaining one code never parses the whole registry. The advice is data, kept in
//! `checks/explain/*.toml` and embedded at build time: causes and fixes are written once in
//! `cases.toml` and referred to by name from the codes, OAuth errors and checks that share
//! them. Only an unknown input scans everything, to suggest the nearest matches.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::ExitCode;
use std::sync::OnceLock;

use colored::Colorize;
use serde::Deserialize;

use crate::kraken::catalogue::{self, ErrorEntry};

/// The check ids `explain` knows, in report order. The checks registry must list the same ids;
/// a test there compares the two.
pub const CHECK_IDS: &[&str] = &[
    "auth.reachable",
    "auth.token",
    "auth.confidential",
    "auth.methods",
    "auth.token-lifetime",
    "api.token-accepted",
    "perm.can-query-property",
    "perm.can-view-detailed-usage",
    "perm.exact",
    "data.measurements",
    "manual.oauth-manager",
    "manual.allowed-uris",
    "manual.skip-authorization",
    "manual.secret-handover",
];

/// The advice files, by name (names appear in error messages and tests).
const DATA_FILES: &[(&str, &str)] = &[
    ("common.toml", include_str!("../checks/explain/common.toml")),
    ("cases.toml", include_str!("../checks/explain/cases.toml")),
    (
        "kraken-codes.toml",
        include_str!("../checks/explain/kraken-codes.toml"),
    ),
    (
        "oauth-errors.toml",
        include_str!("../checks/explain/oauth-errors.toml"),
    ),
    ("checks.toml", include_str!("../checks/explain/checks.toml")),
];

/// Output width in columns. Fixed, so that output and snapshots do not depend on the terminal.
const WIDTH: usize = 80;

/// How many nearest matches an unknown input gets.
const MAX_SUGGESTIONS: usize = 5;

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

/// One likely cause and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Why the error happens, in terms of the setup.
    pub cause: String,
    /// What to do: which page, which field, which step.
    pub fix: String,
}

/// A setup step of the Kraken guide ("7", "10-11") and what it asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The step number or range, as the guide numbers it.
    pub number: String,
    /// What the OAuth manager does at this step.
    pub text: String,
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
    /// Setup steps involved.
    pub steps: Vec<Step>,
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
                    ExitCode::FAILURE
                }
            }
        }
        Err(unknown) => {
            eprint!("{}", unknown.render());
            crate::exit::Exit::Usage.into()
        }
    }
}

/// Explain a Kraken error code (`KT-CT-1111`, `kt-ct-1111`, `1111`), an OAuth error
/// (`invalid_client`, `invalid-client`) or a check id (`perm.exact`), case-insensitively.
pub fn explain(input: &str) -> Result<Explanation, Unknown> {
    let input = input.trim();
    let data = data();
    if let Some(code) = as_kraken_code(input)
        && let Some(entry) = catalogue::lookup(&code)
    {
        return Ok(kraken_explanation(data, entry));
    }
    let key = normalise(input);
    if let Some(error) = data.oauth.iter().find(|e| normalise(&e.name) == key) {
        return Ok(oauth_explanation(data, error));
    }
    if let Some(check) = data.checks.iter().find(|c| normalise(&c.id) == key) {
        return Ok(check_explanation(data, check));
    }
    Err(Unknown {
        input: input.to_string(),
        nearest: nearest(data, input),
    })
}

/// Every `KT-CT-*` code the explanation texts mention, sorted and without repeats.
pub fn cited_codes() -> Vec<String> {
    let mut codes: Vec<String> = DATA_FILES
        .iter()
        .flat_map(|(_, text)| scan_codes(text))
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
    /// The explanation as plain text, wrapped to 80 columns; headings in bold when `color`.
    pub fn render(&self, color: bool) -> String {
        let heading = |s: &str| {
            if color {
                s.bold().to_string()
            } else {
                s.to_string()
            }
        };
        let mut out = String::new();
        out.push_str(&heading(&format!("{}: {}", self.id, self.headline)));
        out.push('\n');

        let label_width = self.fields.iter().map(|(l, _)| l.len()).max().unwrap_or(0) + 3;
        for (label, value) in &self.fields {
            let prefix = format!("  {:<label_width$}", format!("{label}:"));
            out.push_str(&wrap(value, &prefix, 2 + label_width));
        }

        if let Some(note) = &self.note {
            out.push('\n');
            out.push_str(&heading("Note"));
            out.push('\n');
            out.push_str(&wrap(note, "  ", 2));
        }

        if let Some(confirm) = &self.confirm {
            out.push('\n');
            out.push_str(&heading("What to confirm"));
            out.push('\n');
            out.push_str(&wrap(confirm, "  ", 2));
        }

        if !self.cases.is_empty() {
            out.push('\n');
            out.push_str(&heading("Likely cause"));
            out.push('\n');
            let numbered = self.cases.len() > 1;
            for (i, case) in self.cases.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                }
                let first = if numbered {
                    format!("  {}. ", i + 1)
                } else {
                    "  ".to_string()
                };
                let indent = first.len();
                out.push_str(&wrap(&case.cause, &first, indent));
                let fix_prefix = format!("{}{} ", " ".repeat(indent), heading("Fix:"));
                out.push_str(&wrap_prefixed(
                    &case.fix,
                    &fix_prefix,
                    indent + 5,
                    indent + 5,
                ));
            }
        }

        if !self.steps.is_empty() {
            out.push('\n');
            out.push_str(&heading("Setup steps"));
            out.push('\n');
            for step in &self.steps {
                let prefix = format!("  {:<7}", step.number);
                out.push_str(&wrap(&step.text, &prefix, 9));
            }
        }

        if !self.checks.is_empty() || !self.see_also.is_empty() {
            out.push('\n');
            out.push_str(&heading("Related"));
            out.push('\n');
            if !self.checks.is_empty() {
                out.push_str(&wrap(&self.checks.join(", "), "  Checks:    ", 13));
            }
            if !self.see_also.is_empty() {
                out.push_str(&wrap(&self.see_also.join(", "), "  See also:  ", 13));
            }
            out.push_str("  `kraken-doctor explain <id>` explains any of these.\n");
        }
        out
    }
}

impl Unknown {
    /// The message for stderr: the unknown input, then the nearest matches with a short
    /// description each.
    pub fn render(&self) -> String {
        let mut out = format!("kraken-doctor: {self}\n");
        if self.nearest.is_empty() {
            out.push_str(&wrap(
                "No close match. Try a Kraken error code (KT-CT-1111 or 1111), an OAuth error \
                 (invalid_client) or a check id (`kraken-doctor list-checks`).",
                "",
                0,
            ));
            return out;
        }
        out.push_str("Nearest matches:\n");
        let width = self.nearest.iter().map(String::len).max().unwrap_or(0);
        for id in &self.nearest {
            let what = explain(id).map(|e| e.headline).unwrap_or_default();
            out.push_str(&format!("  {id:<width$}  {what}\n"));
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Building explanations

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
}

fn kraken_explanation(data: &Data, entry: ErrorEntry) -> Explanation {
    let advice = data.codes.iter().find(|c| c.code == entry.code);
    let description = if entry.description.is_empty() {
        "(none published)".to_string()
    } else {
        entry.description.clone()
    };
    let mut explanation = Explanation::facts(
        Kind::KrakenCode,
        &entry.code,
        &entry.message,
        vec![
            ("Type", entry.error_type.clone()),
            ("Message", entry.message.clone()),
            ("Description", description),
        ],
    );
    match advice {
        Some(code) => apply(data, &code.advice, &mut explanation),
        None => explanation.note = data.common.type_notes.get(&entry.error_type).cloned(),
    }
    explanation
}

fn oauth_explanation(data: &Data, error: &OAuthError) -> Explanation {
    let mut explanation = Explanation::facts(
        Kind::OAuthError,
        &error.name,
        "OAuth error from the auth server's token endpoint",
        vec![
            ("HTTP status", error.http.clone()),
            ("Meaning", error.meaning.clone()),
        ],
    );
    apply(data, &error.advice, &mut explanation);
    explanation
}

fn check_explanation(data: &Data, check: &CheckText) -> Explanation {
    let mut explanation = Explanation::facts(
        Kind::Check,
        &check.id,
        &check.title,
        vec![("Proves", check.proves.clone())],
    );
    explanation.confirm.clone_from(&check.confirm);
    apply(data, &check.advice, &mut explanation);
    explanation
}

/// Resolve an entry's advice (case names, step numbers) into the explanation.
fn apply(data: &Data, advice: &Advice, explanation: &mut Explanation) {
    explanation.note.clone_from(&advice.note);
    explanation.cases = advice
        .cases
        .iter()
        .filter_map(|name| data.cases.get(name))
        .map(|c| Case {
            cause: c.cause.clone(),
            fix: c.fix.clone(),
        })
        .collect();
    explanation.steps = advice
        .steps
        .iter()
        .filter_map(|n| {
            data.common.steps.get(n).map(|text| Step {
                number: n.clone(),
                text: text.clone(),
            })
        })
        .collect();
    // In the guide's order, whatever order the data names them in.
    explanation.steps.sort_by_key(|s| {
        s.number
            .split('-')
            .next()
            .and_then(|n| n.parse::<u32>().ok())
    });
    explanation.checks.clone_from(&advice.checks);
    explanation.see_also.clone_from(&advice.see_also);
}

// ---------------------------------------------------------------------------------------------
// Input and nearest matches

/// `KT-CT-1111`, `kt_ct_1111`, `KTCT1111`, `CT-1111` or `1111` → `KT-CT-1111`.
fn as_kraken_code(input: &str) -> Option<String> {
    let upper = input.trim().to_ascii_uppercase();
    let strip_sep = |s: &str| -> String { s.trim_start_matches(['-', '_', ' ']).to_string() };
    let mut rest = upper.clone();
    if let Some(r) = rest.strip_prefix("KT") {
        rest = strip_sep(r);
    }
    if let Some(r) = rest.strip_prefix("CT") {
        rest = strip_sep(r);
    }
    (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())).then(|| format!("KT-CT-{rest}"))
}

/// Lower case, with `_` and spaces read as `-`: `Invalid Client` ~ `invalid-client` ~
/// `invalid_client`, `perm.can_exact` ~ `perm.can-exact`.
fn normalise(s: &str) -> String {
    s.trim().to_ascii_lowercase().replace(['_', ' '], "-")
}

/// Up to five known ids nearest to an unknown input. A numeric input (`1114`, `KT-CT-1114`)
/// is compared by its digits with the registry's codes, closest number first among equally
/// near ones; anything else by edit distance and shared prefix with every id.
fn nearest(data: &Data, input: &str) -> Vec<String> {
    if let Some(code) = as_kraken_code(input) {
        let digits = code.trim_start_matches("KT-CT-");
        let wanted = digits.parse::<u64>().unwrap_or(u64::MAX);
        let mut scored: Vec<(usize, u64, String)> = catalogue::all()
            .map(|e| {
                let theirs = e.code.trim_start_matches("KT-CT-");
                let number = theirs.parse::<u64>().unwrap_or(u64::MAX);
                (levenshtein(digits, theirs), number.abs_diff(wanted), e.code)
            })
            .filter(|(distance, _, _)| *distance <= digits.len().div_ceil(2))
            .collect();
        scored.sort();
        return scored
            .into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|(_, _, c)| c)
            .collect();
    }

    let key = normalise(input);
    if key.is_empty() {
        return Vec::new();
    }
    let candidates = data
        .oauth
        .iter()
        .map(|e| e.name.clone())
        .chain(data.checks.iter().map(|c| c.id.clone()))
        .chain(catalogue::all().map(|e| e.code));
    let limit = (key.chars().count() / 3).max(2);
    let mut scored: Vec<(bool, usize, usize, String)> = candidates
        .filter_map(|id| {
            let theirs = normalise(&id);
            let is_prefix = key.chars().count() >= 3 && theirs.starts_with(&key);
            let distance = levenshtein(&key, &theirs);
            let shared = key
                .chars()
                .zip(theirs.chars())
                .take_while(|(a, b)| a == b)
                .count();
            (is_prefix || distance <= limit).then_some((
                !is_prefix,
                distance,
                usize::MAX - shared,
                id,
            ))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, _, _, id)| id)
        .collect()
}

/// Edit distance (insertions, deletions, substitutions) between two strings, by characters.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

// ---------------------------------------------------------------------------------------------
// Wrapping

/// Wrap `text` to [`WIDTH`]: the first line starts with `prefix`, the others with `indent`
/// spaces. Line breaks in the text start a new line. A short `code span` is kept on one line.
fn wrap(text: &str, prefix: &str, indent: usize) -> String {
    wrap_prefixed(text, prefix, prefix.chars().count(), indent)
}

/// [`wrap`] with the visible width of `prefix` given (it may carry colour escapes).
fn wrap_prefixed(text: &str, prefix: &str, prefix_width: usize, indent: usize) -> String {
    let mut out = String::new();
    let pad = " ".repeat(indent);
    for (n, paragraph) in text.lines().enumerate() {
        let (mut line, mut width) = if n == 0 {
            (prefix.to_string(), prefix_width)
        } else {
            (pad.clone(), indent)
        };
        let mut empty = true;
        for word in words(paragraph) {
            let len = word.chars().count();
            if !empty && width + 1 + len > WIDTH {
                out.push_str(line.trim_end());
                out.push('\n');
                line = pad.clone();
                width = indent;
                empty = true;
            }
            if !empty {
                line.push(' ');
                width += 1;
            }
            line.push_str(&word);
            width += len;
            empty = false;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if text.is_empty() {
        out.push_str(prefix.trim_end());
        out.push('\n');
    }
    out
}

/// The words of a line; a `code span` of up to 40 characters counts as one word.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
        }
        if c.is_whitespace() && !in_code {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.into_iter()
        .flat_map(|w| {
            if w.chars().count() > 40 && w.contains(char::is_whitespace) {
                w.split_whitespace().map(str::to_string).collect()
            } else {
                vec![w]
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The advice files

#[derive(Debug, Default, Deserialize)]
struct Common {
    steps: BTreeMap<String, String>,
    type_notes: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct CaseText {
    cause: String,
    fix: String,
}

/// What an entry adds to the plain facts: cause names (cases.toml), step numbers, related ids.
#[derive(Debug, Default, Deserialize)]
struct Advice {
    #[serde(default)]
    cases: Vec<String>,
    #[serde(default)]
    steps: Vec<String>,
    #[serde(default)]
    checks: Vec<String>,
    #[serde(default)]
    see_also: Vec<String>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
struct CodeAdvice {
    code: String,
    #[serde(flatten)]
    advice: Advice,
}

#[derive(Debug, Deserialize)]
struct CodesFile {
    code: Vec<CodeAdvice>,
}

#[derive(Debug, Deserialize)]
struct OAuthError {
    name: String,
    http: String,
    meaning: String,
    #[serde(flatten)]
    advice: Advice,
}

#[derive(Debug, Deserialize)]
struct OAuthFile {
    error: Vec<OAuthError>,
}

#[derive(Debug, Deserialize)]
struct CheckText {
    id: String,
    title: String,
    proves: String,
    #[serde(default)]
    confirm: Option<String>,
    #[serde(flatten)]
    advice: Advice,
}

#[derive(Debug, Deserialize)]
struct ChecksFile {
    check: Vec<CheckText>,
}

#[derive(Debug, Default)]
struct Data {
    common: Common,
    cases: BTreeMap<String, CaseText>,
    codes: Vec<CodeAdvice>,
    oauth: Vec<OAuthError>,
    checks: Vec<CheckText>,
}

impl Data {
    fn load() -> Result<Self, String> {
        fn parse<T: serde::de::DeserializeOwned>(name: &str) -> Result<T, String> {
            let text = DATA_FILES
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| *t)
                .ok_or_else(|| format!("{name}: not embedded"))?;
            toml::from_str(text).map_err(|e| format!("checks/explain/{name}: {e}"))
        }
        Ok(Self {
            common: parse("common.toml")?,
            cases: parse("cases.toml")?,
            codes: parse::<CodesFile>("kraken-codes.toml")?.code,
            oauth: parse::<OAuthFile>("oauth-errors.toml")?.error,
            checks: parse::<ChecksFile>("checks.toml")?.check,
        })
    }
}

/// The advice files, parsed once. They are embedded and a test parses them, so the empty
/// fallback only keeps a broken build from panicking: registry facts are still explained.
fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| Data::load().unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(input: &str) -> String {
        explain(input).expect(input).render(false)
    }

    #[test]
    fn advice_files_parse() {
        let data = Data::load().expect("advice files parse");
        assert!(!data.cases.is_empty() && !data.codes.is_empty() && !data.oauth.is_empty());
    }

    #[test]
    fn registry_only_code_gets_the_registry_facts_and_its_type_note() {
        // KT-CT-9912 is a NOT_FOUND code of no concern to a measurements app: facts only.
        let e = explain("KT-CT-9912").unwrap();
        assert_eq!(e.kind, Kind::KrakenCode);
        assert!(e.cases.is_empty() && e.note.is_none());
        let out = e.render(false);
        assert!(out.starts_with("KT-CT-9912: Required context entity not found.\n"));
        assert!(out.contains("Type:         NOT_FOUND"));
        assert!(out.contains("Description:  An entity required"));
        assert!(!out.contains("Likely cause"));
        // Another AUTHORIZATION code points to the one a third-party app meets.
        let other = explain("KT-CT-3822").unwrap();
        assert!(other.note.unwrap().contains("KT-CT-1111"));
        // A code the registry publishes without a description says so.
        assert!(text("KT-CT-1120").contains("Description:  (none published)"));
    }

    #[test]
    fn every_registry_code_is_explained() {
        for entry in catalogue::all() {
            let e = explain(&entry.code).expect(&entry.code);
            assert_eq!(e.id, entry.code);
            assert_eq!(e.fields[0], ("Type", entry.error_type.clone()));
        }
    }

    #[test]
    fn code_with_advice_gets_cause_fix_steps_and_checks() {
        let out = text("KT-CT-1111");
        for needle in [
            "Type:         AUTHORIZATION",
            "Likely cause",
            "Fix:",
            "THIRD_PARTY_UTILITY_USAGE_DATA_VIEWER",
            "CAN_VIEW_DETAILED_USAGE",
            "perm.can-query-property",
            "-kraken.systems",
        ] {
            assert!(out.contains(needle), "{needle} missing from:\n{out}");
        }
        let readings = text("KT-CT-4722");
        assert!(readings.contains("nothing the OAuth manager can change"));
        assert!(text("KT-CT-1124").contains("`kraken-doctor token`"));
    }

    #[test]
    fn the_codes_that_matter_all_have_advice() {
        for n in [
            1111, 1112, 1113, 1124, 1125, 1126, 1127, 1143, 1162, 1163, 1188, 1189, 1199, 4177,
            4718, 4719, 4722, 4723, 6624, 6625,
        ] {
            let e = explain(&n.to_string()).unwrap();
            assert!(!e.cases.is_empty(), "KT-CT-{n} has no cause/fix");
        }
    }

    #[test]
    fn numeric_and_case_insensitive_shorthands_find_the_code() {
        for input in [
            "1111",
            "KT-CT-1111",
            "kt-ct-1111",
            " Kt_Ct_1111 ",
            "KTCT1111",
        ] {
            assert_eq!(explain(input).unwrap().id, "KT-CT-1111", "{input}");
        }
    }

    #[test]
    fn oauth_error_is_explained_in_any_spelling() {
        let e = explain("invalid_client").unwrap();
        assert_eq!(e.kind, Kind::OAuthError);
        let out = e.render(false);
        assert!(out.contains("401"));
        assert!(out.contains("does not say which"));
        assert!(out.contains("invalidates the old one at once"));
        for input in ["INVALID_CLIENT", "invalid-client", "Invalid Client"] {
            assert_eq!(explain(input).unwrap().id, "invalid_client", "{input}");
        }
        for name in [
            "unauthorized_client",
            "unsupported_grant_type",
            "invalid_request",
            "invalid_scope",
            "invalid_grant",
            "access_denied",
        ] {
            assert!(!explain(name).unwrap().cases.is_empty(), "{name}");
        }
        let unauthorized = explain("unauthorized_client").unwrap();
        assert!(
            unauthorized.cases[0]
                .fix
                .contains("Client credentials (step 5)")
        );
    }

    #[test]
    fn check_id_is_explained_and_the_ids_match_the_advice_file() {
        let e = explain("perm.exact").unwrap();
        assert_eq!(e.kind, Kind::Check);
        assert_eq!(e.steps[0].number, "12");
        let ids: Vec<&str> = data().checks.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, CHECK_IDS);
        for id in CHECK_IDS {
            let e = explain(id).unwrap();
            assert!(
                !e.cases.is_empty() || e.confirm.is_some(),
                "{id}: neither causes nor what to confirm"
            );
        }
        assert!(text("manual.oauth-manager").contains("API_ENGINEER is not enough"));
        assert_eq!(
            explain("PERM.CAN_QUERY_PROPERTY").unwrap().id,
            "perm.can-query-property"
        );
    }

    #[test]
    fn unknown_input_gets_nearest_matches() {
        let u = explain("KT-CT-1115").unwrap_err();
        assert_eq!(u.to_string(), "unknown code 'KT-CT-1115'");
        assert!(!u.nearest.is_empty() && u.nearest.len() <= MAX_SUGGESTIONS);
        assert_eq!(
            u.nearest[0], "KT-CT-1114",
            "closest number first: {:?}",
            u.nearest
        );
        assert_eq!(
            explain("1110").unwrap_err().nearest[..2],
            ["KT-CT-1111", "KT-CT-1112"]
        );
        assert!(u.nearest.iter().all(|c| catalogue::exists(c)));

        assert_eq!(
            explain("invalid_clent").unwrap_err().nearest[0],
            "invalid_client"
        );
        assert_eq!(explain("perm.exakt").unwrap_err().nearest[0], "perm.exact");
        let perm = explain("perm").unwrap_err().nearest;
        assert!(
            perm.len() == 3 && perm.iter().all(|p| p.starts_with("perm.")),
            "{perm:?}"
        );
        assert!(explain("zzzzzzzzzzzzzz").unwrap_err().nearest.is_empty());
        assert!(explain("").unwrap_err().render().contains("No close match"));
    }

    #[test]
    fn every_cited_code_exists_in_the_registry() {
        let cited = cited_codes();
        assert!(cited.len() >= 20, "{cited:?}");
        for code in &cited {
            assert!(
                catalogue::exists(code),
                "{code} is cited but not in the registry"
            );
        }
    }

    #[test]
    fn every_reference_in_the_advice_resolves() {
        let data = data();
        let advices = data
            .codes
            .iter()
            .map(|c| (c.code.as_str(), &c.advice))
            .chain(data.oauth.iter().map(|e| (e.name.as_str(), &e.advice)))
            .chain(data.checks.iter().map(|c| (c.id.as_str(), &c.advice)));
        for (id, advice) in advices {
            for case in &advice.cases {
                assert!(data.cases.contains_key(case), "{id}: no case {case}");
            }
            for step in &advice.steps {
                assert!(data.common.steps.contains_key(step), "{id}: no step {step}");
            }
            for check in &advice.checks {
                assert!(
                    CHECK_IDS.contains(&check.as_str()),
                    "{id}: no check {check}"
                );
            }
            for other in &advice.see_also {
                assert!(explain(other).is_ok(), "{id}: see also {other} is unknown");
            }
        }
        for code in &data.codes {
            assert!(
                catalogue::exists(&code.code),
                "{} not in registry",
                code.code
            );
        }
    }

    #[test]
    fn output_is_wrapped_and_plain_without_colour() {
        for input in ["KT-CT-1111", "invalid_client", "perm.exact", "KT-CT-1199"] {
            let out = text(input);
            assert!(
                !out.contains('\u{1b}'),
                "{input}: escape codes without colour"
            );
            for line in out.lines() {
                assert!(line.chars().count() <= WIDTH, "{input}: long line {line:?}");
            }
        }
    }

    #[test]
    fn scanner_finds_codes_without_a_regex() {
        assert_eq!(
            scan_codes("see KT-CT-1111, KT-CT-4722. KT-CT-x KT-CT-"),
            ["KT-CT-1111", "KT-CT-4722"]
        );
        assert_eq!(levenshtein("kitten", "sitting"), 3);
    }
}
