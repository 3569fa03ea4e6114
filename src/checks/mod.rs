//! The checklist as data: one TOML file per check in `checks/` (title, doc steps, what it
//! proves and expects, its explain text, the GraphQL documents it sends, how each class of
//! answer maps to a status, the remediation text), embedded at build time. This is the one
//! registry: it drives `list-checks`, `explain`, `guide`, `--only` and `--skip`, the report
//! order, the support report and the README table. The documented setup steps the checks cite
//! are in [`steps`]. A malformed file fails a test, never a user's run: [`all`] is proven to
//! load in `cargo test`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::report::{CheckResult, Evidence, Status};

pub mod advice;
mod id;
mod selection;
pub mod steps;

pub use advice::{Advice, Case};
pub use id::{CheckGroup, CheckId};
pub use selection::Selection;

/// The files, in report order: every `checks/<id>.toml`, listed by `build.rs` in the order of
/// their `order` key.
const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/check_files.rs"));

/// Placeholders a template may use; the runner fills them.
pub const KNOWN_VARS: &[&str] = &[
    "token_url",
    "graphql_url",
    "client_id",
    "http_status",
    "transport_note",
    "reason",
    "oauth_error",
    "oauth_description",
    "token_type",
    "expires_in",
    "how",
    "basic_result",
    "body_result",
    "jwt_note",
    "skew_note",
    "problem",
    "form_note",
    "code",
    "working_form",
    "rejection",
    "proof",
    "denial",
    "listed",
    "probe_result",
    "extras",
    "listed_needed",
    "target",
    "value",
    "unit",
    "read_at",
    "interval",
    "what",
    "perm_check",
    "detail",
    "why",
    "blocker",
    "because",
    "auth_setting",
    "api_setting",
    "unrecognized",
    "missing_required",
    "spelling_note",
];

/// One outcome class of a check.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    pub status: Status,
    /// The causes this outcome found, most likely first, by their names in
    /// `checks/steps.toml` (`[cause.<name>]`): what the OAuth manager reads in the guide, the
    /// handover and the support report. Every outcome that needs a fix names at least one.
    #[serde(default)]
    pub causes: Vec<String>,
    pub summary: String,
    pub remediation: Option<String>,
    /// For an outcome that stops the checks depending on this one: what it means for them, in
    /// words ("the auth server gave no usable answer"); their `not-run` summary says it.
    #[serde(default)]
    pub blocks: Option<String>,
    /// What would decide a check this outcome leaves undecided (or, for a warning, that the
    /// answers already did). Every `error` and `warn` outcome names one; a `pass` none.
    #[serde(default)]
    pub decided_by: Option<Decider>,
}

/// What decides a check an outcome leaves open: the input or action that would prove it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decider {
    /// Nothing more: the answers decided it (a warning is a finding, not an open question).
    Answers,
    /// Only a transient fault stood in the way (a timeout, a 5xx, a rate limit, a dropped
    /// connection, a service that is down): running again decides it. The only decider whose
    /// words may say "run again".
    Transient,
    /// A data target: --property-id or --supply-point of a property this application may
    /// read (or the other of the two, or another property).
    DataTarget,
    /// A look at a page of the Kraken support site (API Roles/Permissions, the OAuth
    /// application page).
    SupportSite,
    /// --wait-for-grant: a change on the support site still on its way to the API.
    WaitForGrant,
    /// The Kraken's support: what only its operators can see or change.
    KrakenSupport,
    /// The network path or the URL given (proxy, firewall, DNS, TLS roots, --auth-url,
    /// --api-url).
    Network,
    /// The check it depends on: once that one passes, this one runs.
    Dependency,
}

impl Decider {
    /// Words an outcome's text must hold to name this decider (any one of them).
    pub fn named_by(self) -> &'static [&'static str] {
        match self {
            Decider::Answers => &[],
            Decider::Transient => &["run again", "try again"],
            Decider::DataTarget => &["--property-id", "--supply-point"],
            Decider::SupportSite => &["page"],
            Decider::WaitForGrant => &["--wait-for-grant"],
            Decider::KrakenSupport => &["support"],
            Decider::Network => &[
                "--auth-url",
                "--api-url",
                "--ca-cert",
                "network",
                "{auth_setting}",
                "{api_setting}",
            ],
            Decider::Dependency => &["{blocker}", "auth.token", "perm.", "api.token-accepted"],
        }
    }

    /// As the decision tables show it.
    pub fn label(self) -> &'static str {
        match self {
            Decider::Answers => "answers",
            Decider::Transient => "run again",
            Decider::DataTarget => "data target",
            Decider::SupportSite => "support site",
            Decider::WaitForGrant => "--wait-for-grant",
            Decider::KrakenSupport => "Kraken's support",
            Decider::Network => "network or URL",
            Decider::Dependency => "the check it needs",
        }
    }
}

/// Whether words tell the reader to repeat the same run, hoping for another answer.
pub fn says_run_again(text: &str) -> bool {
    let t = text.to_ascii_lowercase().replace('\n', " ");
    [
        "run again",
        "try again",
        "again later",
        "retry",
        "re-run it",
    ]
    .iter()
    .any(|w| t.contains(w))
        || t.match_indices("re-run")
            .any(|(i, _)| !t[i..].starts_with("re-run with --"))
}

/// One GraphQL document a check sends, and what the Kraken's schema must have for it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeDoc {
    /// Schema needs, as `Type.field` or `Type.field(argument)` (`Query.supplyPoint`,
    /// `Query.property(nmi)`). Where introspection shows one missing, the document is not sent.
    #[serde(default)]
    pub needs: Vec<String>,
    /// Whether to send it when introspection told nothing: only documents that stand alone on
    /// every Kraken we know.
    #[serde(default = "yes")]
    pub when_unknown: bool,
    /// A plainer document to send instead when this one is refused as asking for something
    /// this Kraken's schema lacks (a validation error).
    #[serde(default)]
    pub fallback: Option<String>,
    pub document: String,
}

fn yes() -> bool {
    true
}

/// One check, as its file declares it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    pub id: CheckId,
    pub title: String,
    /// Position in the report; `build.rs` orders the files by it.
    pub order: u32,
    /// Numbers of the documented steps it verifies ([`steps`] gives their labels).
    pub steps: Vec<u32>,
    /// What a pass proves, in one or two sentences (`explain`).
    pub proves: String,
    /// What a good setup answers, for the support report's problem statement.
    pub expected: String,
    /// For a manual check: what a person confirms on the support site.
    #[serde(default)]
    pub confirm: Option<String>,
    /// Likely causes when it does not pass, and related ids (`explain`, `guide`).
    #[serde(default)]
    pub explain: Advice,
    /// The documents this check sends, by name (`viewer`, `read-property`, ...).
    #[serde(default)]
    pub probe: BTreeMap<String, ProbeDoc>,
    pub outcome: BTreeMap<String, Outcome>,
}

impl CheckSpec {
    /// The doc steps as shown to people: `4, 5, 13`, `10–11`, or `–` when none.
    pub fn steps_text(&self) -> String {
        steps::label(&self.steps)
    }

    /// `title` as every sentence names this check: `Title (step 12)`, `Title (steps 6, 7)`, or
    /// the title alone for a check no documented step covers.
    pub fn titled(&self, title: &str) -> String {
        match steps::cited(&self.steps) {
            Some(steps) => format!("{title} ({steps})"),
            None => title.to_string(),
        }
    }

    /// Build a result from the named outcome, filling placeholders from `vars`.
    pub fn result(
        &self,
        outcome: &str,
        vars: &Vars,
        evidence: Evidence,
        duration_ms: u64,
    ) -> CheckResult {
        let o = self.outcome.get(outcome).unwrap_or_else(|| {
            // The registry test proves every outcome the runner names exists.
            panic!("check {} has no outcome '{outcome}'", self.id)
        });
        CheckResult {
            id: self.id.to_string(),
            title: self.title.clone(),
            status: o.status,
            outcome: outcome.to_string(),
            step: self.steps.clone(),
            duration_ms,
            summary: fill(&o.summary, vars),
            remediation: o.remediation.as_ref().map(|r| fill(r.trim(), vars)),
            causes: o
                .causes
                .iter()
                .filter_map(|name| steps::cause(name))
                .map(|c| Case {
                    cause: fill(&c.cause, vars),
                    fix: fill(&c.fix, vars),
                })
                .collect(),
            evidence,
            blocked: None,
        }
    }
}

/// Placeholder values.
pub type Vars = BTreeMap<&'static str, String>;

/// Replace `{name}` with its value; an unknown name is left as written.
pub fn fill(template: &str, vars: &Vars) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) if vars.contains_key(&after[..end]) => {
                out.push_str(&vars[&after[..end]]);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholders a template uses.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                if !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    out.push(name);
                }
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}

/// Every check, in report order. Parsed once, on first use.
pub fn all() -> &'static [CheckSpec] {
    static ALL: OnceLock<Vec<CheckSpec>> = OnceLock::new();
    ALL.get_or_init(|| {
        FILES
            .iter()
            .map(|(id, text)| {
                let spec: CheckSpec = toml::from_str(text)
                    .unwrap_or_else(|e| panic!("checks/{id}.toml is malformed: {e}"));
                spec
            })
            .collect()
    })
}

/// The check with this id, as written (`auth.token`); typed code uses [`CheckId::spec`].
pub fn get(id: &str) -> Option<&'static CheckSpec> {
    CheckId::parse(id).map(CheckId::spec)
}

/// The probe document with this name, whichever check declares it.
pub fn document(name: &str) -> Option<&'static ProbeDoc> {
    all().iter().find_map(|c| c.probe.get(name))
}

/// Every check id as written, in report order.
pub fn ids() -> Vec<&'static str> {
    CheckId::ALL.iter().map(|c| c.as_str()).collect()
}

/// What `--only` and `--skip` take: every group (`auth`, `perm`, ...), then every check id.
pub fn ids_and_groups() -> Vec<&'static str> {
    CheckGroup::ALL
        .iter()
        .map(|g| g.as_str())
        .chain(ids())
        .collect()
}

/// The raw files, for tests that validate them.
pub fn files() -> &'static [(&'static str, &'static str)] {
    FILES
}

#[cfg(test)]
mod tests;
