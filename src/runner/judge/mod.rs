//! Judging: one verdict per selected check, from the evidence only. Each check has a pure
//! decision — classes in, an outcome key of its `checks/<id>.toml` out — and a result builder
//! that fills the outcome's placeholders and the report's evidence from what was seen. The
//! decision tables in `tables.rs` enumerate every decision without a server.

mod api;
mod auth;
mod data;
mod perm;
#[cfg(test)]
mod tables;

use std::time::Duration;

use crate::checks::{CheckId, CheckSpec, Vars};
use crate::kraken::graphql::GqlError;
use crate::report::{CheckResult, Evidence as ReportEvidence};

use super::classes::{FaultKind, Link};
use super::evidence::{Evidence, Exchange, ProbeKey};
use super::view::accept;
use super::view::{Seen, reading};

/// A decided check: the outcome key and what fills it.
pub struct Verdict {
    pub outcome: &'static str,
    pub vars: Vars,
    pub evidence: ReportEvidence,
    pub duration_ms: u64,
}

impl Verdict {
    pub fn new(outcome: &'static str, vars: Vars) -> Verdict {
        Verdict {
            outcome,
            vars,
            evidence: ReportEvidence::default(),
            duration_ms: 0,
        }
    }

    pub fn var(mut self, key: &'static str, value: impl Into<String>) -> Verdict {
        self.vars.insert(key, value.into());
        self
    }

    /// The deciding error and status of a seen class go into the evidence fields.
    pub fn deciding<C>(mut self, seen: &Seen<C>) -> Verdict {
        if let Some(s) = seen.http_status {
            self.evidence.http_status = Some(s);
        }
        if let Some(e) = &seen.error {
            set_error(&mut self.evidence, e);
        }
        self
    }

    pub fn notes(mut self, notes: impl IntoIterator<Item = String>) -> Verdict {
        for n in notes {
            if !self.evidence.notes.contains(&n) {
                self.evidence.notes.push(n);
            }
        }
        self
    }

    pub fn took(mut self, ms: u64) -> Verdict {
        self.duration_ms = self.duration_ms.max(ms);
        self
    }
}

/// Put a GraphQL error's code and type into the evidence.
pub fn set_error(ev: &mut ReportEvidence, e: &GqlError) {
    ev.kraken_error_code = e.code.clone();
    ev.kraken_error_type = e.error_type.clone().or_else(|| e.error_class.clone());
}

/// Every selected check's result, in report order.
pub fn verdicts(ev: &Evidence) -> Vec<CheckResult> {
    ev.selected
        .iter()
        .map(|id| id.spec())
        .map(|spec| {
            let v = verdict(spec, ev);
            spec.result(v.outcome, &v.vars, v.evidence, v.duration_ms)
        })
        .collect()
}

/// The verdict of one check: exhaustive, so a new check file does not compile until its
/// decision is named here. A manual check is its TOML's `manual` outcome.
fn verdict(spec: &CheckSpec, ev: &Evidence) -> Verdict {
    match spec.id {
        CheckId::AuthReachable => auth::reachable(ev),
        CheckId::AuthToken => auth::token(ev),
        CheckId::AuthConfidential => auth::confidential(ev),
        CheckId::AuthMethods => auth::methods(ev),
        CheckId::AuthTokenLifetime => auth::lifetime(ev),
        CheckId::ApiTokenAccepted => api::token_accepted(ev),
        CheckId::PermCanQueryProperty => perm::can_query_property(ev),
        CheckId::PermCanViewDetailedUsage => perm::can_view_detailed_usage(ev),
        CheckId::PermExact => perm::exact(ev),
        CheckId::DataMeasurements => data::measurements(ev),
        CheckId::ManualOauthManager
        | CheckId::ManualAllowedUris
        | CheckId::ManualSkipAuthorization
        | CheckId::ManualSecretHandover => Verdict::new("manual", Vars::new()),
    }
}

/// The placeholders every outcome may use.
pub fn base_vars(ev: &Evidence) -> Vars {
    let mut v = Vars::new();
    v.insert("token_url", ev.token_url.to_string());
    v.insert("graphql_url", ev.graphql_url.to_string());
    v.insert("client_id", ev.client_id.clone());
    v
}

/// Whether a check can run, given the checks it depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    Open,
    /// A selected check it depends on failed or could not be decided: it reports that.
    NotRun {
        by: CheckId,
        failed: bool,
    },
    /// A check it depends on is not selected and did not come through: which, and why.
    Undecided {
        by: CheckId,
        reason: String,
    },
}

/// A check others depend on: a link of a dependency chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prerequisite {
    /// `auth.reachable`: the token endpoint answers.
    Reachable,
    /// `auth.token`: a token is issued.
    Token,
    /// `api.token-accepted`: the API takes it.
    TokenAccepted,
}

impl Prerequisite {
    /// The check that reports this link.
    pub fn check(self) -> CheckId {
        match self {
            Prerequisite::Reachable => CheckId::AuthReachable,
            Prerequisite::Token => CheckId::AuthToken,
            Prerequisite::TokenAccepted => CheckId::ApiTokenAccepted,
        }
    }

    /// How this link stands.
    fn link(self, ev: &Evidence) -> Seen<Link> {
        match self {
            Prerequisite::Reachable => accept::reachable_link(ev),
            Prerequisite::Token => accept::token_link(ev),
            Prerequisite::TokenAccepted => api::link(ev),
        }
    }
}

/// The gate of a check that depends on `chain`, in order: the first selected link that did
/// not come through stops it (and reports its own fault once); links not selected pass
/// their reason on.
pub fn gate(ev: &Evidence, chain: &[Prerequisite]) -> Gate {
    let mut undecided = None;
    for link in chain {
        let l = link.link(ev);
        if l.class == Link::Usable {
            continue;
        }
        if ev.is_selected(link.check()) {
            return Gate::NotRun {
                by: link.check(),
                failed: l.class == Link::Failed,
            };
        }
        undecided.get_or_insert((link.check(), l.detail));
    }
    match undecided {
        Some((by, reason)) => Gate::Undecided { by, reason },
        None => Gate::Open,
    }
}

/// The verdict of a gate that is not open: `not-run`, or `blocked` naming the check that was
/// not selected and did not come through, with the reason.
pub fn gated(ev: &Evidence, gate: Gate) -> Option<Verdict> {
    match gate {
        Gate::Open => None,
        Gate::NotRun { by, failed } => Some(
            Verdict::new("not-run", base_vars(ev))
                .var("blocker", by.as_str())
                .var(
                    "blocker_state",
                    if failed {
                        "failed"
                    } else {
                        "could not be decided"
                    },
                ),
        ),
        Gate::Undecided { by, reason } => Some(
            Verdict::new("blocked", base_vars(ev))
                .var("blocker", by.as_str())
                .var("reason", reason),
        ),
    }
}

/// A check a fault left undecided: `error` (run again) when every fault was transient,
/// `unreadable` when one would come back the same on another run.
pub fn by_fault(outcome: &'static str, fault: FaultKind) -> &'static str {
    match (outcome, fault) {
        ("error", FaultKind::Lasting) => "unreadable",
        _ => outcome,
    }
}

/// The chain of the checks that need the API to take the token.
pub const API_CHAIN: &[Prerequisite] = &[
    Prerequisite::Reachable,
    Prerequisite::Token,
    Prerequisite::TokenAccepted,
];

/// What a probe is, for the evidence lines.
fn probe_name(ex: &Exchange) -> &'static str {
    match ex.plan.key {
        ProbeKey::Viewer => "permission list (thirdPartyViewer)",
        ProbeKey::Search => "property search",
        ProbeKey::Read => "data read",
        ProbeKey::Locate => "supply point lookup (supplyPoint)",
        ProbeKey::Schema => "schema introspection",
    }
}

/// Evidence lines for these probes' final answers: what each asked, in which header form, and
/// its retries; and the milliseconds of the slowest.
pub fn probe_notes(
    ev: &Evidence,
    keys: &[ProbeKey],
    seen: &[(ProbeKey, String)],
) -> (Vec<String>, u64) {
    let mut notes = Vec::new();
    let mut ms = 0;
    for key in keys {
        let Some(ex) = ev.final_exchange(*key) else {
            continue;
        };
        let what = seen
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, d)| d.clone())
            .unwrap_or_else(|| match reading(ev, *key) {
                super::view::Reading::Fault(why, _, _) => why,
                _ => "answered".into(),
            });
        notes.push(format!(
            "{}, as `{}`: {what}",
            probe_name(ex),
            ex.form.describe()
        ));
        match &ex.result {
            Ok(Ok(g)) => {
                notes.extend(g.response.retries.iter().cloned());
                ms = ms.max(millis(g.response.elapsed));
            }
            Ok(Err(e)) => notes.extend(e.retries.iter().cloned()),
            Err(f) => notes.extend(f.retries.iter().cloned()),
        }
    }
    (notes, ms)
}

pub fn millis(d: Duration) -> u64 {
    d.as_millis() as u64
}
