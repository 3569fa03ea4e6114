//! Runs the checklist against one target, in three parts that never mix: planning (which
//! requests, from the selection, the data target and the schema: `plan`), gathering (the
//! network rounds, header-form fallback and token re-fetch, returning [`Evidence`] and deciding
//! nothing: `gather`), and judging (one pure function per check from the evidence to an
//! outcome of its `checks/<id>.toml`: `view` classifies every answer once into `classes`,
//! `judge` decides on those classes). A healthy run is two network rounds.

mod classes;
mod evidence;
mod gather;
pub mod grant_wait;
mod judge;
mod plan;
mod schema;
mod target;
mod targets;
mod view;

#[cfg(test)]
mod tests;

use std::time::Instant;

use serde_json::Value;

pub use evidence::{Evidence, ProbeKey};
pub use target::{DataTarget, Origin, ReadTarget, Target, TokenTarget};
pub use targets::{RunPlan, run_targets, run_until};

use crate::checks::Selection;
use crate::kraken::http::{Http, LogSink, NetOptions, Transport};
use crate::kraken::token;
use crate::redact::Redactor;
use crate::report::{CheckResult, Evidence as ReportEvidence, Report, Status};
pub use crate::time::{now_rfc3339, rfc3339};

/// What a run needs besides the target.
pub struct RunOptions {
    pub net: NetOptions,
    pub selection: Selection,
    pub strict: bool,
    pub log: LogSink,
}

/// One GraphQL exchange, kept for the support report (token redacted, secrets never held).
#[derive(Debug, Clone)]
pub struct ProbeLog {
    pub label: String,
    pub document: String,
    pub variables: Value,
    pub header_form: &'static str,
    pub http_status: Option<u16>,
    /// The response body, redacted; or why there was none.
    pub response: String,
}

/// A run's report and what the support report needs.
pub struct RunOutput {
    pub report: Report,
    pub probes: Vec<ProbeLog>,
    pub journal: Vec<String>,
}

/// Run every selected check against `target`, on a connection pool of its own.
pub async fn run(target: &Target, opts: &RunOptions, redactor: Redactor) -> RunOutput {
    let transport = Transport::new(&opts.net);
    run_inner(transport.as_ref(), target, opts, redactor)
        .await
        .0
}

/// Run every selected check against `target` on a shared connection pool (the targets of one
/// `check` share one: the system's roots are read once).
pub async fn run_on(
    transport: &Transport,
    target: &Target,
    opts: &RunOptions,
    redactor: Redactor,
) -> RunOutput {
    run_inner(Ok(transport), target, opts, redactor).await.0
}

/// Get a token the way `auth.token` does. On failure, the report of `auth.token` says why.
/// Only the auth server is asked (`opts` selects `auth.token` alone, which plans no API
/// request); the report names the API URL only when one was given.
pub async fn fetch_token(
    target: &TokenTarget,
    opts: &RunOptions,
    redactor: Redactor,
) -> Result<token::IssuedToken, Box<Report>> {
    let transport = Transport::new(&opts.net);
    let run_target = Target {
        profile: target.profile.clone(),
        token_url: target.token_url.clone(),
        // Never contacted: with no API URL given, the token URL stands in for the field.
        graphql_url: target
            .graphql_url
            .clone()
            .unwrap_or_else(|| target.token_url.clone()),
        origin: target.origin.clone(),
        client_id: target.client_id.clone(),
        client_secret: target.client_secret.clone(),
        data: Default::default(),
        notes: target.notes.clone(),
    };
    let (mut out, evidence) = run_inner(transport.as_ref(), &run_target, opts, redactor).await;
    if target.graphql_url.is_none() {
        out.report.target.api_url = String::new();
    }
    evidence
        .as_ref()
        .and_then(|e| e.issued().cloned())
        .ok_or_else(|| Box::new(out.report))
}

async fn run_inner(
    transport: Result<&Transport, &String>,
    target: &Target,
    opts: &RunOptions,
    redactor: Redactor,
) -> (RunOutput, Option<Evidence>) {
    let started_at = now_rfc3339();
    let started = Instant::now();
    redactor.add(&target.client_secret);
    redactor.add_basic(&target.client_id, &target.client_secret);
    let http = match transport {
        Ok(t) => Http::on(t, opts.net.clone(), redactor.clone(), opts.log.clone()),
        Err(e) => {
            // Only a broken --ca-cert gets here, and config validated it; still, no panic.
            let checks = undecided(
                opts,
                Status::Error,
                NO_HTTP_CLIENT,
                &format!("Could not decide: HTTP client: {e}"),
                "Fix the cause above and run again.",
            );
            let report = report(target, opts, started_at, started, 0, checks);
            return (
                RunOutput {
                    report,
                    probes: vec![],
                    journal: vec![],
                },
                None,
            );
        }
    };
    let evidence = gather::gather(target, opts.selection.ids().to_vec(), &http).await;
    let checks = judge::verdicts(&evidence);
    let requests = http.request_count();
    if opts.net.verbose >= 1 {
        // The per-run cost, for users and for the perf regression test (tests/integration/perf.rs).
        let plural =
            |n: u32, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        (opts.log)(&format!(
            "{} in {}, {} ms [{}]",
            plural(requests, "HTTP request", "HTTP requests"),
            plural(http.rounds(), "round", "rounds"),
            started.elapsed().as_millis(),
            target.client_id
        ));
    }
    let probes = probe_logs(&evidence, &redactor);
    let mut report = report(target, opts, started_at, started, requests, checks);
    report.token_lifetime_s = view::token::lifetime(&evidence).and_then(|l| l.expires_in);
    let out = RunOutput {
        report,
        probes,
        journal: http.journal(),
    };
    (out, Some(evidence))
}

/// The outcome of every check of a run that an interrupt cut short before it was decided.
pub const INTERRUPTED: &str = "interrupted";
/// The outcome of every check of a run whose HTTP client could not be built.
pub const NO_HTTP_CLIENT: &str = "no-http-client";

/// Every selected check as `status` with the same summary and fix: a run that could not
/// decide anything. `outcome` is one of the run-level outcomes above, which no check's TOML
/// has: they say why the run decided nothing, the same for every check.
fn undecided(
    opts: &RunOptions,
    status: Status,
    outcome: &str,
    summary: &str,
    fix: &str,
) -> Vec<CheckResult> {
    let causes: Vec<crate::checks::Case> = match status {
        Status::Skip => vec![],
        _ => crate::checks::steps::cause("no-answer")
            .into_iter()
            .cloned()
            .collect(),
    };
    opts.selection
        .ids()
        .iter()
        .map(|id| id.spec())
        .map(|spec| CheckResult {
            id: spec.id.to_string(),
            title: spec.title.clone(),
            status,
            outcome: outcome.into(),
            step: spec.steps.clone(),
            duration_ms: 0,
            summary: summary.to_string(),
            remediation: Some(fix.to_string()),
            evidence: ReportEvidence::default(),
            blocked: (status == Status::Skip).then(|| summary.to_string()),
            causes: causes.clone(),
        })
        .collect()
}

/// The report of a target the run was interrupted (Ctrl-C, SIGTERM) before deciding: the
/// manual items, which need no request, as always; every other check `skip` with the summary
/// "interrupted"; exit code 130.
pub fn interrupted(target: &Target, opts: &RunOptions) -> RunOutput {
    let checks = undecided(
        opts,
        Status::Skip,
        INTERRUPTED,
        "interrupted",
        "The run was interrupted before this check was decided: run it again to the end.",
    )
    .into_iter()
    .map(|c| match crate::checks::get(&c.id) {
        Some(spec) if spec.outcome.contains_key("manual") => {
            spec.result("manual", &Default::default(), ReportEvidence::default(), 0)
        }
        _ => c,
    })
    .collect();
    RunOutput {
        report: report(target, opts, now_rfc3339(), Instant::now(), 0, checks).interrupted(),
        probes: vec![],
        journal: vec![],
    }
}

fn report(
    target: &Target,
    opts: &RunOptions,
    started_at: String,
    started: Instant,
    requests: u32,
    checks: Vec<CheckResult>,
) -> Report {
    Report::new(
        crate::report::Target {
            auth_url: target.token_url.to_string(),
            api_url: target.graphql_url.to_string(),
            client_id: target.client_id.clone(),
            profile: target.profile.clone(),
        },
        started_at,
        started.elapsed().as_millis() as u64,
        requests,
        opts.strict,
        checks,
    )
}

/// Every GraphQL probe of the run (not the schema introspection, which says nothing about
/// the application), redacted, for the support report.
fn probe_logs(ev: &Evidence, redactor: &Redactor) -> Vec<ProbeLog> {
    ev.exchanges
        .iter()
        .map(|ex| {
            let (status, response) = match &ex.result {
                Ok(Ok(g)) => (
                    Some(g.status),
                    String::from_utf8_lossy(&g.response.body).into_owned(),
                ),
                Ok(Err(e)) => (Some(e.status), e.reason.clone()),
                Err(f) => (None, f.to_string()),
            };
            ProbeLog {
                label: ex.plan.name.clone(),
                document: ex.plan.document.clone(),
                variables: ex.plan.variables.clone(),
                header_form: ex.form.describe(),
                http_status: status,
                response: redactor.redact(&response),
            }
        })
        .collect()
}
