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

use crate::checks::{self, CheckSpec, Vars};
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
        .filter_map(|id| checks::get(id))
        .map(|spec| {
            let v = verdict(spec, ev);
            spec.result(v.outcome, &v.vars, v.evidence, v.duration_ms)
        })
        .collect()
}

fn verdict(spec: &CheckSpec, ev: &Evidence) -> Verdict {
    match spec.id.as_str() {
        "auth.reachable" => auth::reachable(ev),
        "auth.token" => auth::token(ev),
        "auth.confidential" => auth::confidential(ev),
        "auth.methods" => auth::methods(ev),
        "auth.token-lifetime" => auth::lifetime(ev),
        "api.token-accepted" => api::token_accepted(ev),
        "perm.can-query-property" => perm::can_query_property(ev),
        "perm.can-view-detailed-usage" => perm::can_view_detailed_usage(ev),
        "perm.exact" => perm::exact(ev),
        "data.measurements" => data::measurements(ev),
        _ => Verdict::new("manual", Vars::new()),
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
        by: &'static str,
        failed: bool,
    },
    /// A check it depends on is not selected and did not come through: which, and why.
    Undecided {
        by: &'static str,
        reason: String,
    },
}

/// How one link of a dependency chain stands.
fn link(ev: &Evidence, id: &str) -> Seen<Link> {
    match id {
        "auth.reachable" => accept::reachable_link(ev),
        "auth.token" => accept::token_link(ev),
        _ => api::link(ev),
    }
}

/// The gate of a check that depends on `chain`, in order: the first selected link that did
/// not come through stops it (and reports its own fault once); links not selected pass
/// their reason on.
pub fn gate(ev: &Evidence, chain: &[&'static str]) -> Gate {
    let mut undecided = None;
    for id in chain {
        let l = link(ev, id);
        if l.class == Link::Usable {
            continue;
        }
        if ev.is_selected(id) {
            return Gate::NotRun {
                by: id,
                failed: l.class == Link::Failed,
            };
        }
        undecided.get_or_insert((*id, l.detail));
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
                .var("blocker", by)
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
                .var("blocker", by)
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
pub const API_CHAIN: &[&str] = &["auth.reachable", "auth.token", "api.token-accepted"];

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
