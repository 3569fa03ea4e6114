//! Runs the checklist against one target in as few network rounds as the evidence allows:
//! round one sends every token request at once (the real one, HTTP Basic, and the three that
//! must be refused); round two sends every GraphQL probe at once with the token. A third
//! round happens only when the API refuses the documented header form or the token expires
//! mid-run. Each check's verdict is then read from the answers, never from a guess: a fault
//! is `error`, an empty answer is "not proven".

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime};

use futures::future::join_all;
use serde_json::{Value, json};

use crate::checks::{self, CheckSpec, Selection, Vars};
use crate::config::{NetOptions, Target};
use crate::kraken::graphql::{self, EnvelopeError, GqlError, GqlReply, HeaderForm};
use crate::kraken::http::{Failure, Http, LogSink};
use crate::kraken::model::normalize_permission;
use crate::kraken::token::{self, ClientAuth, TokenOutcome, TokenReply, TokenRequest};
use crate::redact::Redactor;
use crate::report::{CheckResult, Evidence, Report, Status};
use crate::secret::Secret;

/// The permissions the role must carry, exactly.
pub const REQUIRED_PERMISSIONS: [&str; 2] = ["CAN_VIEW_DETAILED_USAGE", "CAN_QUERY_PROPERTY"];
const QP: &str = "CAN_QUERY_PROPERTY";
const DU: &str = "CAN_VIEW_DETAILED_USAGE";

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

type TokenResult = Result<TokenReply, Failure>;
type GqlResult = Result<Result<GqlReply, EnvelopeError>, Failure>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ProbeKey {
    Viewer,
    Prop,
    Usage,
}

#[derive(Clone)]
struct ProbePlan {
    key: ProbeKey,
    label: &'static str,
    document: String,
    variables: Value,
}

/// Run every selected check against `target`.
pub async fn run(target: &Target, opts: &RunOptions, redactor: Redactor) -> RunOutput {
    run_inner(target, opts, redactor).await.0
}

/// Get a token the way `auth.token` does. On failure, the report of `auth.token` says why.
pub async fn fetch_token(
    target: &Target,
    opts: &RunOptions,
    redactor: Redactor,
) -> Result<token::IssuedToken, Box<Report>> {
    let (out, issued) = run_inner(target, opts, redactor).await;
    issued.ok_or_else(|| Box::new(out.report))
}

async fn run_inner(
    target: &Target,
    opts: &RunOptions,
    redactor: Redactor,
) -> (RunOutput, Option<token::IssuedToken>) {
    let started_at = now_rfc3339();
    let started = Instant::now();
    redactor.add(&target.client_secret);
    redactor.add_basic(&target.client_id, &target.client_secret);
    let http = match Http::new(opts.net.clone(), redactor.clone(), opts.log.clone()) {
        Ok(h) => h,
        Err(e) => {
            // Only a broken --ca-cert gets here, and config validated it; still, no panic.
            let checks = opts
                .selection
                .ids()
                .iter()
                .filter_map(|id| checks::get(id))
                .map(|spec| error_result(spec, &format!("HTTP client: {e}")))
                .collect();
            return (
                finish(target, opts, started_at, started, 0, checks, vec![], vec![]),
                None,
            );
        }
    };
    let mut ctx = Ctx::new(target, &http, &opts.selection);
    ctx.round_one().await;
    ctx.round_two().await;
    let checks = ctx.verdicts();
    let probes = ctx.probe_logs();
    let requests = http.request_count();
    if opts.net.verbose >= 1 {
        // The per-run cost, for users and for the perf regression test (tests/integration/perf.rs).
        (opts.log)(&format!(
            "{requests} HTTP requests in {} rounds, {} ms [{}]",
            http.rounds(),
            started.elapsed().as_millis(),
            target.client_id
        ));
    }
    let journal = http.journal();
    let issued = ctx.issued().map(|(_, t)| t.clone());
    (
        finish(
            target, opts, started_at, started, requests, checks, probes, journal,
        ),
        issued,
    )
}

#[allow(clippy::too_many_arguments)]
fn finish(
    target: &Target,
    opts: &RunOptions,
    started_at: String,
    started: Instant,
    requests: u32,
    checks: Vec<CheckResult>,
    probes: Vec<ProbeLog>,
    journal: Vec<String>,
) -> RunOutput {
    let report = Report::new(
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
    );
    RunOutput {
        report,
        probes,
        journal,
    }
}

fn error_result(spec: &CheckSpec, reason: &str) -> CheckResult {
    let mut vars = Vars::new();
    vars.insert("reason", reason.to_string());
    CheckResult {
        id: spec.id.clone(),
        title: spec.title.clone(),
        status: Status::Error,
        step: spec.steps.clone(),
        duration_ms: 0,
        summary: format!("Could not decide: {reason}"),
        remediation: Some("Fix the cause above and run again.".into()),
        evidence: Evidence::default(),
    }
}

pub use crate::time::{now_rfc3339, rfc3339};

/// Whether the token step ended in a failure (the setup is wrong) or an error (unknown).
#[derive(Debug, Clone)]
enum NoToken {
    Failed,
    Errored(String),
}

/// How the API treated the token.
#[derive(Debug, Clone)]
enum Acceptance {
    /// Accepted in this header form.
    Accepted(HeaderForm),
    /// Refused in every form tried; the deciding error.
    Rejected(GqlError, u16),
    /// Still expired after one fresh token.
    Expired(GqlError),
    /// No readable answer.
    Unknown(String),
}

struct Ctx<'a> {
    target: &'a Target,
    http: &'a Http,
    sel: &'a Selection,
    post: Option<TokenResult>,
    basic: Option<TokenResult>,
    no_secret: Option<TokenResult>,
    wrong_secret: Option<TokenResult>,
    public_probe: Option<TokenResult>,
    /// The token used on the API (the form-body one, else the Basic one).
    token: Option<Secret>,
    token_issued: Option<Instant>,
    /// Replies of the final round, by probe.
    replies: BTreeMap<ProbeKey, (ProbePlan, GqlResult)>,
    /// Every GraphQL exchange of the run, in order.
    all_probes: Vec<(String, String, Value, HeaderForm, GqlResult)>,
    bearer_reply: Option<GqlResult>,
    acceptance: Option<Acceptance>,
    refetched: Option<String>,
}

fn wants_api(sel: &Selection) -> bool {
    sel.any(&[
        "api.token-accepted",
        "perm.can-query-property",
        "perm.can-view-detailed-usage",
        "perm.exact",
        "data.measurements",
    ])
}

impl<'a> Ctx<'a> {
    fn new(target: &'a Target, http: &'a Http, sel: &'a Selection) -> Self {
        Ctx {
            target,
            http,
            sel,
            post: None,
            basic: None,
            no_secret: None,
            wrong_secret: None,
            public_probe: None,
            token: None,
            token_issued: None,
            replies: BTreeMap::new(),
            all_probes: Vec::new(),
            bearer_reply: None,
            acceptance: None,
            refetched: None,
        }
    }

    fn token_request(
        &self,
        auth: ClientAuth,
        secret: Option<&'a Secret>,
        label: &str,
    ) -> TokenRequest<'a> {
        TokenRequest {
            token_url: &self.target.token_url,
            client_id: &self.target.client_id,
            secret,
            auth,
            grant_type: "client_credentials",
            extra: vec![],
            label: label.to_string(),
        }
    }

    /// Round one: every token request at once.
    async fn round_one(&mut self) {
        let sel = self.sel;
        let need_token = sel.any(&[
            "auth.reachable",
            "auth.token",
            "auth.token-lifetime",
            "auth.confidential",
            "auth.methods",
        ]) || wants_api(sel);
        let need_basic = sel.has("auth.methods");
        let need_conf = sel.has("auth.confidential");
        let secret = &self.target.client_secret;
        let wrong = Secret::new(format!("kraken-doctor-wrong-{}", rand::random::<u64>()));
        self.http.redactor().add(&wrong);
        let http = self.http;
        let opt = |on: bool, req| maybe_token(http, on, req);
        let public_req = TokenRequest {
            token_url: &self.target.token_url,
            client_id: &self.target.client_id,
            secret: None,
            auth: ClientAuth::Body,
            grant_type: "authorization_code",
            extra: vec![("code", "kraken-doctor-probe-not-a-code")],
            label: "auth.confidential: public-client probe".into(),
        };
        let (post, basic, no_secret, wrong_secret, public_probe) = futures::join!(
            opt(
                need_token,
                self.token_request(ClientAuth::Body, Some(secret), "auth.token")
            ),
            opt(
                need_basic,
                self.token_request(ClientAuth::Basic, Some(secret), "auth.methods: HTTP Basic")
            ),
            opt(
                need_conf,
                self.token_request(ClientAuth::Body, None, "auth.confidential: no secret")
            ),
            opt(
                need_conf,
                self.token_request(
                    ClientAuth::Body,
                    Some(&wrong),
                    "auth.confidential: wrong secret"
                )
            ),
            opt(need_conf, public_req),
        );
        self.token = [&post, &basic].into_iter().find_map(|r| match r {
            Some(Ok(TokenReply {
                outcome: TokenOutcome::Issued(t),
                ..
            })) => Some(t.access_token.clone()),
            _ => None,
        });
        self.token_issued = self.token.as_ref().map(|_| Instant::now());
        self.post = post;
        self.basic = basic;
        self.no_secret = no_secret;
        self.wrong_secret = wrong_secret;
        self.public_probe = public_probe;
    }

    fn plans(&self) -> Vec<ProbePlan> {
        let sel = self.sel;
        let data = &self.target.data;
        let mut plans = Vec::new();
        let doc = |check: &str, kind: &str| -> Option<String> {
            let p = checks::get(check)?.probe.as_ref()?;
            match kind {
                "none" => p.none.clone(),
                "property" => p.property.clone(),
                _ => p.supply_point.clone(),
            }
        };
        let perm_any = sel.any(&[
            "perm.can-query-property",
            "perm.can-view-detailed-usage",
            "perm.exact",
        ]);
        if perm_any && let Some(d) = doc("perm.exact", "none") {
            plans.push(ProbePlan {
                key: ProbeKey::Viewer,
                label: "probe: thirdPartyViewer",
                document: d,
                variables: json!({}),
            });
        }
        let (kind, vars) = if let Some(id) = &data.property_id {
            ("property", json!({ "propertyId": id }))
        } else if let Some(sp) = &data.supply_point {
            // Found by a property search on the identifier (an MPAN is a search term Kraken
            // documents); the probes stay with the fields every Kraken serves.
            ("supply_point", json!({ "searchTerm": sp }))
        } else {
            ("none", json!({}))
        };
        if (perm_any || sel.has("api.token-accepted"))
            && let Some(d) = doc("perm.can-query-property", kind)
        {
            let v = vars.clone();
            plans.push(ProbePlan {
                key: ProbeKey::Prop,
                label: "probe: CAN_QUERY_PROPERTY",
                document: d,
                variables: v,
            });
        }
        if kind != "none"
            && sel.any(&[
                "perm.can-view-detailed-usage",
                "data.measurements",
                "perm.can-query-property",
            ])
            && let Some(d) = doc("data.measurements", kind)
        {
            plans.push(ProbePlan {
                key: ProbeKey::Usage,
                label: "probe: measurements",
                document: d,
                variables: vars,
            });
        }
        plans
    }

    async fn send(
        &mut self,
        plans: &[ProbePlan],
        form: HeaderForm,
        token: &Secret,
    ) -> Vec<GqlResult> {
        let http = self.http;
        let url = &self.target.graphql_url;
        let futs = plans.iter().map(|p| {
            graphql::query(
                http,
                url,
                token,
                form,
                &p.document,
                &p.variables,
                format!("{} ({})", p.label, form_name(form)),
            )
        });
        let results = join_all(futs).await;
        for (p, r) in plans.iter().zip(&results) {
            self.all_probes.push((
                p.label.to_string(),
                p.document.clone(),
                p.variables.clone(),
                form,
                r.clone(),
            ));
        }
        results
    }

    /// Round two: every GraphQL probe at once (plus the Bearer comparison); a third round
    /// only when the bare header is refused or the token expired mid-run.
    async fn round_two(&mut self) {
        if !wants_api(self.sel) {
            return;
        }
        let Some(mut token) = self.token.clone() else {
            return;
        };
        let plans = self.plans();
        if plans.is_empty() {
            return;
        }
        // The Bearer comparison travels beside the bare probes, in the same round.
        let bearer_plans: Vec<ProbePlan> = plans
            .iter()
            .filter(|p| p.key == ProbeKey::Prop && self.sel.has("api.token-accepted"))
            .cloned()
            .collect();
        let mut results = self.send_mixed(&plans, &bearer_plans, &token).await;

        // A token that expired mid-run (any probe says KT-CT-1124, even if others got in
        // before it expired) is fetched again, once, and every probe repeated.
        if !results.0.is_empty()
            && results
                .0
                .iter()
                .chain(results.1.iter())
                .any(|r| rejection_code(r) == Some("KT-CT-1124"))
        {
            let issued_ago = self.token_issued.map(|t| t.elapsed()).unwrap_or_default();
            let fresh = token::request_token(
                self.http,
                self.token_request(
                    ClientAuth::Body,
                    Some(&self.target.client_secret),
                    "api: token re-fetch after KT-CT-1124",
                ),
            )
            .await;
            if let Ok(TokenReply {
                outcome: TokenOutcome::Issued(t),
                ..
            }) = fresh
            {
                self.refetched = Some(format!(
                    "the token was refused as expired (KT-CT-1124) {} ms after it was issued; a new one was fetched and the probes repeated",
                    issued_ago.as_millis()
                ));
                token = t.access_token.clone();
                self.token = Some(token.clone());
                results = self.send_mixed(&plans, &bearer_plans, &token).await;
            }
        }
        let (bare, bearer) = results;
        self.bearer_reply = bearer.into_iter().next();

        // Accepted: an answer judged past the token (not refused, not rate limited).
        let accepted = |r: &GqlResult| matches!(r, Ok(Ok(g)) if g.token_accepted());
        let first_rejection = |rs: &[GqlResult]| {
            rs.iter().find_map(|r| match r {
                Ok(Ok(g)) => g.token_rejection().cloned().map(|e| (e, g.status)),
                _ => None,
            })
        };
        let mut final_results = bare;
        let acceptance = if final_results.iter().any(accepted) {
            Acceptance::Accepted(HeaderForm::Bare)
        } else if let Some((rejection, status)) = first_rejection(&final_results) {
            if rejection.code.as_deref() == Some("KT-CT-1124") {
                Acceptance::Expired(rejection)
            } else {
                // Try the other forms: Bearer was sent beside; JWT only now.
                let mut working = self
                    .bearer_reply
                    .as_ref()
                    .filter(|r| accepted(r))
                    .map(|_| HeaderForm::Bearer);
                if working.is_none()
                    && let Some(p) = plans.iter().find(|p| p.key == ProbeKey::Prop)
                {
                    let jwt = self
                        .send(std::slice::from_ref(p), HeaderForm::Jwt, &token)
                        .await;
                    if jwt.first().is_some_and(accepted) {
                        working = Some(HeaderForm::Jwt);
                    }
                }
                match working {
                    Some(form) => {
                        final_results = self.send(&plans, form, &token).await;
                        Acceptance::Accepted(form)
                    }
                    None => Acceptance::Rejected(rejection, status),
                }
            }
        } else {
            let reason = final_results
                .iter()
                .find_map(fault_reason)
                .unwrap_or_else(|| "the API answered no probe with HTTP 200".into());
            Acceptance::Unknown(reason)
        };
        self.acceptance = Some(acceptance);
        for (p, r) in plans.into_iter().zip(final_results) {
            self.replies.insert(p.key, (p, r));
        }
    }

    async fn send_mixed(
        &mut self,
        plans: &[ProbePlan],
        bearer: &[ProbePlan],
        token: &Secret,
    ) -> (Vec<GqlResult>, Vec<GqlResult>) {
        // One concurrent round: the bare-header probes and the Bearer comparison together.
        let http = self.http;
        let url = &self.target.graphql_url;
        let (a, b) = futures::join!(
            join_all(plans.iter().map(|p| {
                graphql::query(
                    http,
                    url,
                    token,
                    HeaderForm::Bare,
                    &p.document,
                    &p.variables,
                    format!("{} (bare header)", p.label),
                )
            })),
            join_all(bearer.iter().map(|p| {
                graphql::query(
                    http,
                    url,
                    token,
                    HeaderForm::Bearer,
                    &p.document,
                    &p.variables,
                    format!("{} (Bearer header)", p.label),
                )
            }))
        );
        for (p, r) in plans.iter().zip(&a) {
            self.all_probes.push((
                p.label.to_string(),
                p.document.clone(),
                p.variables.clone(),
                HeaderForm::Bare,
                r.clone(),
            ));
        }
        for (p, r) in bearer.iter().zip(&b) {
            self.all_probes.push((
                p.label.to_string(),
                p.document.clone(),
                p.variables.clone(),
                HeaderForm::Bearer,
                r.clone(),
            ));
        }
        (a, b)
    }

    fn probe_logs(&self) -> Vec<ProbeLog> {
        let red = self.http.redactor();
        self.all_probes
            .iter()
            .map(|(label, doc, vars, form, r)| {
                let (status, response) = match r {
                    Ok(Ok(g)) => (
                        Some(g.status),
                        String::from_utf8_lossy(&g.response.body).into_owned(),
                    ),
                    Ok(Err(e)) => (Some(e.status), e.reason.clone()),
                    Err(f) => (None, f.to_string()),
                };
                ProbeLog {
                    label: label.clone(),
                    document: doc.clone(),
                    variables: vars.clone(),
                    header_form: form.describe(),
                    http_status: status,
                    response: red.redact(&response),
                }
            })
            .collect()
    }

    // ---------------------------------------------------------------- verdicts

    fn verdicts(&self) -> Vec<CheckResult> {
        let mut out = Vec::new();
        let signals = self.perm_signals();
        for id in self.sel.ids() {
            let Some(spec) = checks::get(id) else {
                continue;
            };
            let r = match *id {
                "auth.reachable" => self.auth_reachable(spec),
                "auth.token" => self.auth_token(spec),
                "auth.confidential" => self.auth_confidential(spec),
                "auth.methods" => self.auth_methods(spec),
                "auth.token-lifetime" => self.auth_token_lifetime(spec),
                "api.token-accepted" => self.api_token_accepted(spec),
                "perm.can-query-property" => self.perm(spec, QP, &signals),
                "perm.can-view-detailed-usage" => self.perm(spec, DU, &signals),
                "perm.exact" => self.perm_exact(spec, &signals),
                "data.measurements" => self.data_measurements(spec, &signals),
                _ => spec.result("manual", &Vars::new(), Evidence::default(), 0),
            };
            out.push(r);
        }
        out
    }

    fn base_vars(&self) -> Vars {
        let mut v = Vars::new();
        v.insert("token_url", self.target.token_url.to_string());
        v.insert("graphql_url", self.target.graphql_url.to_string());
        v.insert("client_id", self.target.client_id.clone());
        v
    }

    /// The documented token request's answer, or the result `no_answer` names when there
    /// was none (a fault: the reason and any retries are the evidence).
    fn post_reply(
        &self,
        spec: &CheckSpec,
        no_answer: &str,
    ) -> Result<&TokenReply, Box<CheckResult>> {
        let v = self.base_vars();
        match &self.post {
            None => Err(Box::new(spec.result(
                no_answer,
                &with(v, "reason", "not asked"),
                Evidence::default(),
                0,
            ))),
            Some(Err(f)) => Err(Box::new(spec.result(
                no_answer,
                &with(v, "reason", &f.to_string()),
                failure_evidence(f),
                0,
            ))),
            Some(Ok(reply)) => Ok(reply),
        }
    }

    fn auth_reachable(&self, spec: &CheckSpec) -> CheckResult {
        let mut v = self.base_vars();
        match self.post_reply(spec, "unreachable") {
            Err(result) => *result,
            Ok(reply) => {
                let ev = token_evidence(reply);
                let ms = ms(reply.response.elapsed);
                v.insert("http_status", reply.response.status.to_string());
                match &reply.outcome {
                    TokenOutcome::Issued(_) | TokenOutcome::OAuthError { .. } => {
                        let note = if self.target.token_url.scheme() == "http" {
                            " (plain http: loopback only)"
                        } else {
                            " over HTTPS"
                        };
                        spec.result("pass", &with(v, "transport_note", note), ev, ms)
                    }
                    TokenOutcome::Unexpected { status, reason } => {
                        if matches!(status, 300..=399 | 404 | 405) {
                            spec.result("not-oauth", &v, ev, ms)
                        } else {
                            spec.result("unreachable", &with(v, "reason", reason), ev, ms)
                        }
                    }
                }
            }
        }
    }

    fn auth_token(&self, spec: &CheckSpec) -> CheckResult {
        let v = self.base_vars();
        match self.post_reply(spec, "no-answer") {
            Err(result) => *result,
            Ok(reply) => {
                let ev = token_evidence(reply);
                let ms = ms(reply.response.elapsed);
                match &reply.outcome {
                    TokenOutcome::Issued(t) => {
                        let mut v = with(
                            v,
                            "token_type",
                            t.token_type.as_deref().unwrap_or("(no token_type)"),
                        );
                        v.insert(
                            "expires_in",
                            t.expires_in
                                .map_or("(not given)".into(), |s| format!("{s} s")),
                        );
                        spec.result("pass", &v, ev, ms)
                    }
                    TokenOutcome::OAuthError {
                        error,
                        status,
                        description,
                        ..
                    } => match error.as_str() {
                        "invalid_client" => spec.result("invalid-client", &v, ev, ms),
                        "unauthorized_client" => spec.result("unauthorized-client", &v, ev, ms),
                        _ => {
                            let mut v = with(v, "http_status", &status.to_string());
                            v.insert("oauth_error", error.clone());
                            v.insert(
                                "oauth_description",
                                description
                                    .as_ref()
                                    .map_or(String::new(), |d| format!(": {d}")),
                            );
                            spec.result("oauth-error", &v, ev, ms)
                        }
                    },
                    TokenOutcome::Unexpected { reason, .. } => {
                        spec.result("unexpected", &with(v, "reason", reason), ev, ms)
                    }
                }
            }
        }
    }

    /// Whether the client proved it exists and holds this secret.
    fn authenticated(&self) -> bool {
        [&self.post, &self.basic].into_iter().any(|r| {
            matches!(r, Some(Ok(TokenReply { outcome: TokenOutcome::Issued(_), .. })))
                || matches!(r, Some(Ok(TokenReply { outcome: TokenOutcome::OAuthError { error, .. }, .. })) if error == "unauthorized_client")
        })
    }

    fn no_token(&self) -> NoToken {
        match &self.post {
            Some(Err(f)) => NoToken::Errored(format!("no token: {f}")),
            Some(Ok(TokenReply {
                outcome: TokenOutcome::Unexpected { reason, .. },
                ..
            })) => NoToken::Errored(format!("no token: {reason}")),
            Some(Ok(TokenReply {
                outcome: TokenOutcome::OAuthError { error, .. },
                ..
            })) if error != "invalid_client" && error != "unauthorized_client" => {
                NoToken::Errored(format!("no token: the auth server answered {error}"))
            }
            _ => NoToken::Failed,
        }
    }

    fn auth_confidential(&self, spec: &CheckSpec) -> CheckResult {
        let v = self.base_vars();
        let probes = [
            ("no secret", &self.no_secret),
            ("wrong secret", &self.wrong_secret),
            (
                "public-client probe (authorization_code, no secret)",
                &self.public_probe,
            ),
        ];
        let mut ev = Evidence::default();
        let mut issued = Vec::new();
        let mut public = None;
        let mut undecided = None;
        let mut elapsed = 0;
        for (name, r) in probes {
            match r {
                None => undecided = Some(format!("{name}: not sent")),
                Some(Err(f)) => {
                    ev.notes.push(format!("{name}: {f}"));
                    ev.notes.extend(f.retries.iter().cloned());
                    undecided = Some(format!("{name}: {f}"));
                }
                Some(Ok(reply)) => {
                    elapsed = elapsed.max(ms(reply.response.elapsed));
                    ev.notes.extend(reply.response.retries.iter().cloned());
                    match &reply.outcome {
                        TokenOutcome::Issued(_) => {
                            ev.notes.push(format!("{name} → HTTP 200 with a token"));
                            ev.http_status = Some(200);
                            issued.push(name);
                        }
                        TokenOutcome::OAuthError { status, error, .. } => {
                            ev.notes.push(format!("{name} → HTTP {status} {error}"));
                            if error == "invalid_client" && *status == 401 {
                                // refused, as it must be
                            } else if name.starts_with("public")
                                && *status == 400
                                && matches!(
                                    error.as_str(),
                                    "unauthorized_client" | "invalid_grant" | "invalid_request"
                                )
                            {
                                public = Some((*status, error.clone()));
                            } else if *status == 400 && error == "invalid_client" {
                                // refused too
                            } else {
                                undecided =
                                    Some(format!("{name}: unexpected HTTP {status} {error}"));
                            }
                        }
                        TokenOutcome::Unexpected { reason, .. } => {
                            ev.notes.push(format!("{name} → {reason}"));
                            undecided = Some(format!("{name}: {reason}"));
                        }
                    }
                }
            }
        }
        if !issued.is_empty() {
            let how = match issued.as_slice() {
                [one] => format!(
                    "to a request with {}",
                    if one.starts_with("public") {
                        "no secret (authorization_code)"
                    } else {
                        one
                    }
                ),
                _ => format!("to requests with {}", issued.join(" and ")),
            };
            return spec.result("token-without-secret", &with(v, "how", &how), ev, elapsed);
        }
        if let Some((status, error)) = public {
            ev.http_status = Some(status);
            ev.oauth_error = Some(error.clone());
            let mut v = with(v, "http_status", &status.to_string());
            v.insert("oauth_error", error);
            return spec.result("public-client", &v, ev, elapsed);
        }
        if let Some(reason) = undecided {
            return spec.result("error", &with(v, "reason", &reason), ev, elapsed);
        }
        if !self.authenticated() {
            return match self.no_token() {
                NoToken::Errored(reason) => {
                    spec.result("error", &with(v, "reason", &reason), ev, elapsed)
                }
                NoToken::Failed => spec.result("undecided", &v, ev, elapsed),
            };
        }
        ev.http_status = Some(401);
        ev.oauth_error = Some("invalid_client".into());
        spec.result("pass", &v, ev, elapsed)
    }

    fn auth_methods(&self, spec: &CheckSpec) -> CheckResult {
        let v = self.base_vars();
        let describe = |r: &Option<TokenResult>| -> (Option<bool>, String) {
            match r {
                None => (None, "not sent".into()),
                Some(Err(f)) => (None, f.to_string()),
                Some(Ok(reply)) => match &reply.outcome {
                    TokenOutcome::Issued(_) => (Some(true), "HTTP 200 token".into()),
                    TokenOutcome::OAuthError { status, error, .. } => {
                        (Some(false), format!("HTTP {status} {error}"))
                    }
                    TokenOutcome::Unexpected { reason, .. } => (None, reason.clone()),
                },
            }
        };
        let (body_ok, body_text) = describe(&self.post);
        let (basic_ok, basic_text) = describe(&self.basic);
        let mut ev = Evidence::default();
        ev.notes
            .push(format!("form body (client_secret_post) → {body_text}"));
        ev.notes
            .push(format!("HTTP Basic (client_secret_basic) → {basic_text}"));
        for r in [&self.post, &self.basic].into_iter().flatten() {
            match r {
                Ok(reply) => ev.notes.extend(reply.response.retries.iter().cloned()),
                Err(f) => ev.notes.extend(f.retries.iter().cloned()),
            }
        }
        let elapsed = [&self.post, &self.basic]
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_ref().ok().map(|x| ms(x.response.elapsed)))
            .max()
            .unwrap_or(0);
        let mut v = with(v, "body_result", &body_text);
        v.insert("basic_result", basic_text.clone());
        match (body_ok, basic_ok) {
            (Some(true), Some(true)) => spec.result("pass", &v, ev, elapsed),
            (Some(true), Some(false)) => spec.result("body-only", &v, ev, elapsed),
            (Some(false), Some(true)) => spec.result("basic-only", &v, ev, elapsed),
            (Some(false), Some(false)) => spec.result("neither", &v, ev, elapsed),
            _ => {
                let reason = if body_ok.is_none() {
                    body_text
                } else {
                    basic_text
                };
                spec.result("error", &with(v, "reason", &reason), ev, elapsed)
            }
        }
    }

    fn issued(&self) -> Option<(&TokenReply, &token::IssuedToken)> {
        match &self.post {
            Some(Ok(reply)) => match &reply.outcome {
                TokenOutcome::Issued(t) => Some((reply, t)),
                _ => None,
            },
            _ => None,
        }
    }

    fn dependency_not_met(&self, spec: &CheckSpec) -> Option<CheckResult> {
        // For checks that need a token: skip when the setup failed, error when unknown.
        if self.token.is_some() {
            return None;
        }
        let v = self.base_vars();
        Some(match self.no_token() {
            NoToken::Errored(reason) => {
                spec.result("error", &with(v, "reason", &reason), Evidence::default(), 0)
            }
            NoToken::Failed => {
                let outcome = if spec.outcome.contains_key("not-run") {
                    "not-run"
                } else {
                    "error"
                };
                spec.result(
                    outcome,
                    &with(v, "reason", "no token (see auth.token)"),
                    Evidence::default(),
                    0,
                )
            }
        })
    }

    fn auth_token_lifetime(&self, spec: &CheckSpec) -> CheckResult {
        let v = self.base_vars();
        let Some((reply, t)) = self.issued() else {
            return match self.no_token() {
                NoToken::Errored(reason) => {
                    let mut ev = Evidence::default();
                    ev.notes.push(reason.clone());
                    CheckResult {
                        status: Status::Error,
                        summary: format!("Could not decide: {reason}"),
                        remediation: Some(
                            "The token request did not get a clear answer; try again.".into(),
                        ),
                        ..spec.result("not-run", &v, ev, 0)
                    }
                }
                NoToken::Failed => spec.result("not-run", &v, Evidence::default(), 0),
            };
        };
        let mut ev = token_evidence(reply);
        let ms = ms(reply.response.elapsed);
        let Some(expires_in) = t.expires_in else {
            return spec.result("missing", &v, ev, ms);
        };
        let mut problems = Vec::new();
        if expires_in <= 0 {
            problems.push(format!(
                "expires_in is {expires_in}: the token is dead on arrival"
            ));
        } else if expires_in < 300 {
            problems.push(format!(
                "expires_in is only {expires_in} s: fetch a fresh token right before each job"
            ));
        } else if expires_in > 86_400 {
            problems.push(format!("expires_in is {expires_in} s: a token that lives over a day is a bigger risk if it leaks"));
        }
        let received = unix(t.received_at);
        let mut jwt_note = String::from(" (opaque token: no exp to compare)");
        if let Some(times) = token::jwt_times(t.access_token.expose()) {
            if let Some(exp) = times.exp {
                let expected = received + expires_in;
                let diff = exp - expected;
                ev.notes.push(format!(
                    "JWT exp {exp}, received at {received} + expires_in {expires_in} = {expected}"
                ));
                if diff.abs() > 120 {
                    problems.push(format!("JWT exp and expires_in disagree by {diff} s"));
                }
                jwt_note = format!("; JWT exp agrees within {} s", diff.abs());
            } else {
                jwt_note = "; JWT without exp".into();
            }
        }
        let mut skew_note = String::new();
        if let Some(server) = t.server_date {
            let skew = received - unix(server);
            ev.notes.push(format!("clock skew to the server: {skew} s"));
            if skew.abs() > 60 {
                problems.push(format!(
                    "this machine's clock is {skew} s off the auth server's (Date header)"
                ));
            }
            skew_note = format!("; clock skew {} s", skew.abs());
        }
        if let Some(note) = &self.refetched {
            problems.push(format!(
                "the token expired long before expires_in ({expires_in} s) said: {note}"
            ));
        }
        let mut v = with(v, "expires_in", &expires_in.to_string());
        if !problems.is_empty() {
            return spec.result("odd", &with(v, "problem", &problems.join("; ")), ev, ms);
        }
        v.insert("jwt_note", jwt_note);
        v.insert("skew_note", skew_note);
        spec.result("pass", &v, ev, ms)
    }

    fn api_token_accepted(&self, spec: &CheckSpec) -> CheckResult {
        if let Some(r) = self.dependency_not_met(spec) {
            return r;
        }
        let v = self.base_vars();
        let mut ev = Evidence::default();
        let mut elapsed = 0;
        for (_, r) in self.replies.values() {
            if let Ok(Ok(g)) = r {
                elapsed = elapsed.max(ms(g.response.elapsed));
            }
        }
        for (label, _, _, form, r) in &self.all_probes {
            let what = match r {
                Ok(Ok(g)) => match g.token_rejection() {
                    Some(e) => format!("HTTP {} {}", g.status, e.describe()),
                    None => format!("HTTP {} token accepted", g.status),
                },
                Ok(Err(e)) => e.reason.clone(),
                Err(f) => f.to_string(),
            };
            ev.notes
                .push(format!("{label} as `{}` → {what}", form.describe()));
            ev.notes.extend(retries_of(r));
        }
        if let Some(note) = &self.refetched {
            ev.notes.push(note.clone());
        }
        match &self.acceptance {
            None => spec.result(
                "error",
                &with(v, "reason", "no probe was sent"),
                ev,
                elapsed,
            ),
            Some(Acceptance::Accepted(HeaderForm::Bare)) => {
                ev.http_status = Some(200);
                let bearer = match &self.bearer_reply {
                    Some(Ok(Ok(g))) if g.token_accepted() => {
                        "; `Bearer <token>` works too".to_string()
                    }
                    Some(Ok(Ok(g))) => match g.token_rejection() {
                        Some(e) => format!(
                            "; `Bearer <token>` is refused ({}): send the token bare",
                            e.code.as_deref().unwrap_or("error")
                        ),
                        None => String::new(),
                    },
                    _ => String::new(),
                };
                let refetch = if self.refetched.is_some() {
                    " (after one re-fetch: the first token expired mid-run)"
                } else {
                    ""
                };
                spec.result(
                    "pass",
                    &with(v, "form_note", &format!("{bearer}{refetch}")),
                    ev,
                    elapsed,
                )
            }
            Some(Acceptance::Accepted(form)) => {
                ev.http_status = Some(200);
                let code = self
                    .all_probes
                    .iter()
                    .find_map(|(_, _, _, f, r)| match r {
                        Ok(Ok(g)) if *f == HeaderForm::Bare => {
                            g.token_rejection().and_then(|e| e.code.clone())
                        }
                        _ => None,
                    })
                    .unwrap_or_else(|| "refused".into());
                ev.kraken_error_code = Some(code.clone());
                ev.kraken_error_type = catalogue_type(&code);
                let mut v = with(v, "working_form", form.describe());
                v.insert("code", code);
                spec.result("other-header", &v, ev, elapsed)
            }
            Some(Acceptance::Rejected(e, status)) => {
                ev.http_status = Some(*status);
                ev.kraken_error_code = e.code.clone();
                ev.kraken_error_type = e.error_type.clone();
                spec.result(
                    "rejected",
                    &with(v, "rejection", &e.describe()),
                    ev,
                    elapsed,
                )
            }
            Some(Acceptance::Expired(e)) => {
                ev.http_status = Some(200);
                ev.kraken_error_code = e.code.clone();
                ev.kraken_error_type = e.error_type.clone();
                spec.result("expired", &v, ev, elapsed)
            }
            Some(Acceptance::Unknown(reason)) => {
                spec.result("error", &with(v, "reason", reason), ev, elapsed)
            }
        }
    }

    /// Checks that need the API: skip or error when the token never got there.
    fn api_gate(&self, spec: &CheckSpec) -> Option<CheckResult> {
        if let Some(r) = self.dependency_not_met(spec) {
            return Some(r);
        }
        let v = self.base_vars();
        match &self.acceptance {
            Some(Acceptance::Accepted(_)) => None,
            Some(Acceptance::Rejected(..)) | Some(Acceptance::Expired(_)) => Some(spec.result(
                "not-run",
                &with(
                    v,
                    "reason",
                    "the API refused the token (see api.token-accepted)",
                ),
                Evidence::default(),
                0,
            )),
            Some(Acceptance::Unknown(reason)) => {
                Some(spec.result("error", &with(v, "reason", reason), Evidence::default(), 0))
            }
            None => Some(spec.result(
                "error",
                &with(v, "reason", "no probe was sent"),
                Evidence::default(),
                0,
            )),
        }
    }

    fn perm_signals(&self) -> Signals {
        let viewer = self
            .replies
            .get(&ProbeKey::Viewer)
            .map(|(_, r)| viewer_signal(r));
        let qp = self
            .replies
            .get(&ProbeKey::Prop)
            .map(|(p, r)| prop_signal(p, r));
        let du = match self.replies.get(&ProbeKey::Usage) {
            Some((p, r)) => usage_signal(p, r),
            None => Probed::NoProbe("no data target: only a measurement read can prove it".into()),
        };
        Signals { viewer, qp, du }
    }

    fn perm(&self, spec: &CheckSpec, perm: &str, s: &Signals) -> CheckResult {
        if let Some(r) = self.api_gate(spec) {
            return r;
        }
        let v = self.base_vars();
        let (signal, elapsed) = match perm {
            QP => (
                s.qp.clone().unwrap_or(Probed::NoProbe("not probed".into())),
                self.elapsed_of(&[ProbeKey::Prop, ProbeKey::Viewer]),
            ),
            _ => (
                s.du.clone(),
                self.elapsed_of(&[ProbeKey::Usage, ProbeKey::Viewer]),
            ),
        };
        let mut ev = Evidence::default();
        self.probe_notes(&mut ev, perm);
        let listed = s.listed();
        let listed_text = |l: &[String]| {
            if l.is_empty() {
                "nothing".to_string()
            } else {
                l.join(", ")
            }
        };
        // Every probe denied (or the role lists neither): no usable role.
        let qp_denied = matches!(s.qp, Some(Probed::Denied(_)));
        // Only a real denial of both, or a role that lists neither, says "no role": a read
        // blocked one level up (the property) says nothing about CAN_VIEW_DETAILED_USAGE.
        let du_denied = matches!(s.du, Probed::Denied(_));
        let lists_neither = listed.is_some_and(|l| !l.iter().any(|p| p == QP || p == DU));
        if qp_denied && (du_denied || lists_neither) {
            let e = match &s.qp {
                Some(Probed::Denied(e)) => e.clone(),
                _ => unreachable!(),
            };
            set_error(&mut ev, &e);
            return spec.result("no-role", &with(v, "denial", &e.describe()), ev, elapsed);
        }
        match signal {
            Probed::Denied(e) => {
                set_error(&mut ev, &e);
                spec.result("denied", &with(v, "denial", &e.describe()), ev, elapsed)
            }
            Probed::Granted(proof) => {
                ev.http_status = Some(200);
                if let Some(l) = listed
                    && !l.iter().any(|p| p == perm)
                {
                    ev.notes.push(format!(
                        "thirdPartyViewer does not list {perm}, but the probe read data"
                    ));
                }
                spec.result("pass", &with(v, "proof", &proof), ev, elapsed)
            }
            Probed::Error(reason) => spec.result("error", &with(v, "reason", &reason), ev, elapsed),
            Probed::Blocked(_)
            | Probed::Nothing(_)
            | Probed::NoProbe(_)
            | Probed::NotFound(_)
            | Probed::NotConfigured(_) => {
                let why = signal.why();
                match listed {
                    Some(l) if l.iter().any(|p| p == perm) => {
                        ev.http_status = Some(200);
                        spec.result("pass", &with(v, "proof", &format!("The role carries {perm} (listed by thirdPartyViewer); not exercised: {why}")), ev, elapsed)
                    }
                    Some(l) => {
                        let mut v = with(v, "listed", &listed_text(l));
                        v.insert("probe_result", why);
                        spec.result("not-listed", &v, ev, elapsed)
                    }
                    None => {
                        let viewer_why = s.viewer.as_ref().map_or(
                            "thirdPartyViewer not asked".to_string(),
                            |vs| match vs {
                                Viewer::Listed(_) => String::new(),
                                Viewer::Unavailable(r) | Viewer::Error(r) => r.clone(),
                            },
                        );
                        if let Some(Viewer::Error(r)) = &s.viewer
                            && matches!(signal, Probed::Nothing(_) | Probed::NoProbe(_))
                        {
                            return spec.result("error", &with(v, "reason", r), ev, elapsed);
                        }
                        spec.result(
                            "not-proven",
                            &with(v, "reason", &format!("{why}; {viewer_why}")),
                            ev,
                            elapsed,
                        )
                    }
                }
            }
        }
    }

    fn perm_exact(&self, spec: &CheckSpec, s: &Signals) -> CheckResult {
        if let Some(r) = self.api_gate(spec) {
            return r;
        }
        let v = self.base_vars();
        let elapsed = self.elapsed_of(&[ProbeKey::Viewer]);
        let mut ev = Evidence::default();
        match &s.viewer {
            Some(Viewer::Listed(l)) => {
                ev.http_status = Some(200);
                ev.notes
                    .push(format!("thirdPartyViewer.permissions: [{}]", l.join(", ")));
                if let Some((_, r)) = self.replies.get(&ProbeKey::Viewer) {
                    ev.notes.extend(retries_of(r));
                }
                let extras: Vec<&String> = l
                    .iter()
                    .filter(|p| !REQUIRED_PERMISSIONS.contains(&p.as_str()))
                    .collect();
                let listed = if l.is_empty() {
                    "no permissions".to_string()
                } else {
                    l.join(", ")
                };
                if extras.is_empty() {
                    spec.result("pass", &with(v, "listed", &listed), ev, elapsed)
                } else {
                    let needed: Vec<&String> = l
                        .iter()
                        .filter(|p| REQUIRED_PERMISSIONS.contains(&p.as_str()))
                        .collect();
                    let mut v = with(
                        v,
                        "extras",
                        &extras
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    );
                    v.insert(
                        "listed_needed",
                        if needed.is_empty() {
                            "neither required permission".into()
                        } else {
                            needed
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        },
                    );
                    spec.result("extra", &v, ev, elapsed)
                }
            }
            Some(Viewer::Unavailable(reason)) => {
                self.viewer_evidence(&mut ev);
                spec.result("unlisted", &with(v, "reason", reason), ev, elapsed)
            }
            Some(Viewer::Error(reason)) => {
                spec.result("error", &with(v, "reason", reason), ev, elapsed)
            }
            None => spec.result(
                "error",
                &with(v, "reason", "thirdPartyViewer was not asked"),
                ev,
                elapsed,
            ),
        }
    }

    fn data_measurements(&self, spec: &CheckSpec, s: &Signals) -> CheckResult {
        let v = self.base_vars();
        if self.target.data.is_empty() {
            return spec.result("no-target", &v, Evidence::default(), 0);
        }
        if let Some(r) = self.api_gate(spec) {
            return r;
        }
        let target = match (
            &self.target.data.property_id,
            &self.target.data.supply_point,
        ) {
            (Some(p), _) => format!("property {p}"),
            (None, Some(sp)) => format!("supply point {sp} ({})", self.target.data.market()),
            _ => String::new(),
        };
        let v = with(v, "target", &target);
        let elapsed = self.elapsed_of(&[ProbeKey::Usage]);
        let mut ev = Evidence::default();
        self.probe_notes(&mut ev, DU);
        match &s.du {
            Probed::Granted(_) => {
                ev.http_status = Some(200);
                let node = self.first_measurement().unwrap_or(Value::Null);
                let text = |k: &str| {
                    node.get(k)
                        .map(|x| match x {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .unwrap_or_else(|| "?".into())
                };
                let mut v = with(v, "value", &text("value"));
                v.insert("unit", text("unit"));
                v.insert("read_at", text("readAt"));
                v.insert(
                    "interval",
                    match node.get("durationInSeconds").and_then(Value::as_i64) {
                        Some(d) => format!(" ({} min interval)", d / 60),
                        None => String::new(),
                    },
                );
                spec.result("pass", &v, ev, elapsed)
            }
            Probed::Nothing(what) => spec.result("empty", &with(v, "what", what), ev, elapsed),
            Probed::Denied(e) => {
                set_error(&mut ev, e);
                let mut v = with(v, "denial", &e.describe());
                v.insert("perm_check", "perm.can-view-detailed-usage".into());
                spec.result("denied", &v, ev, elapsed)
            }
            Probed::Blocked(e) => {
                set_error(&mut ev, e);
                let mut v = with(v, "denial", &e.describe());
                v.insert("perm_check", "perm.can-query-property".into());
                spec.result("denied", &v, ev, elapsed)
            }
            Probed::NotConfigured(e) => {
                set_error(&mut ev, e);
                spec.result("not-configured", &v, ev, elapsed)
            }
            Probed::NotFound(e) => {
                set_error(&mut ev, e);
                spec.result("not-found", &with(v, "detail", &e.describe()), ev, elapsed)
            }
            Probed::Error(reason) => spec.result("error", &with(v, "reason", reason), ev, elapsed),
            Probed::NoProbe(reason) => {
                spec.result("error", &with(v, "reason", reason), ev, elapsed)
            }
        }
    }

    fn first_measurement(&self) -> Option<Value> {
        let (_, r) = self.replies.get(&ProbeKey::Usage)?;
        let Ok(Ok(g)) = r else { return None };
        let data = g.data.as_ref()?;
        let conn = measurements_connection(data)?;
        conn.pointer("/edges/0/node").cloned()
    }

    fn elapsed_of(&self, keys: &[ProbeKey]) -> u64 {
        keys.iter()
            .filter_map(|k| match self.replies.get(k) {
                Some((_, Ok(Ok(g)))) => Some(ms(g.response.elapsed)),
                _ => None,
            })
            .max()
            .unwrap_or(0)
    }

    fn probe_notes(&self, ev: &mut Evidence, perm: &str) {
        let keys: &[ProbeKey] = if perm == QP {
            &[ProbeKey::Prop, ProbeKey::Viewer]
        } else {
            &[ProbeKey::Usage, ProbeKey::Viewer]
        };
        for k in keys {
            if let Some((p, r)) = self.replies.get(k) {
                let name = p
                    .document
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or("query")
                    .split('(')
                    .next()
                    .unwrap_or("query")
                    .to_string();
                let what = match r {
                    Ok(Ok(g)) => {
                        if let Some(e) = g.errors.first() {
                            format!("HTTP {} {}", g.status, e.describe())
                        } else {
                            format!("HTTP {} data", g.status)
                        }
                    }
                    Ok(Err(e)) => e.reason.clone(),
                    Err(f) => f.to_string(),
                };
                ev.notes.push(format!("{name} as `{}` → {what}", g_form(r)));
                match r {
                    Ok(Ok(g)) => ev.notes.extend(g.response.retries.iter().cloned()),
                    Err(f) => ev.notes.extend(f.retries.iter().cloned()),
                    _ => {}
                }
            }
        }
    }

    fn viewer_evidence(&self, ev: &mut Evidence) {
        if let Some((_, Ok(Ok(g)))) = self.replies.get(&ProbeKey::Viewer) {
            ev.http_status = Some(g.status);
            if let Some(e) = g.errors.first() {
                set_error(ev, e);
            }
        }
    }
}

async fn maybe_token(http: &Http, on: bool, req: TokenRequest<'_>) -> Option<TokenResult> {
    if on {
        Some(token::request_token(http, req).await)
    } else {
        None
    }
}

/// The retry lines of one exchange.
fn retries_of(r: &GqlResult) -> Vec<String> {
    match r {
        Ok(Ok(g)) => g.response.retries.clone(),
        Ok(Err(_)) => Vec::new(),
        Err(f) => f.retries.clone(),
    }
}

fn g_form(r: &GqlResult) -> &'static str {
    match r {
        Ok(Ok(g)) => g.form.describe(),
        _ => "Authorization",
    }
}

fn form_name(f: HeaderForm) -> &'static str {
    match f {
        HeaderForm::Bare => "bare header",
        HeaderForm::Bearer => "Bearer header",
        HeaderForm::Jwt => "JWT header",
    }
}

fn set_error(ev: &mut Evidence, e: &GqlError) {
    ev.http_status = Some(200);
    ev.kraken_error_code = e.code.clone();
    ev.kraken_error_type = e.error_type.clone();
}

fn catalogue_type(code: &str) -> Option<String> {
    crate::kraken::catalogue::lookup(code).map(|e| e.error_type)
}

fn with(mut v: Vars, k: &'static str, val: &str) -> Vars {
    v.insert(k, val.to_string());
    v
}

fn ms(d: Duration) -> u64 {
    d.as_millis() as u64
}

fn unix(t: SystemTime) -> i64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn rejection_code(r: &GqlResult) -> Option<&str> {
    match r {
        Ok(Ok(g)) => g.token_rejection().and_then(|e| e.code.as_deref()),
        _ => None,
    }
}

fn token_evidence(reply: &TokenReply) -> Evidence {
    let mut ev = Evidence {
        http_status: Some(reply.response.status),
        ..Evidence::default()
    };
    if let TokenOutcome::OAuthError {
        error,
        www_authenticate,
        ..
    } = &reply.outcome
    {
        ev.oauth_error = Some(error.clone());
        if let Some(w) = www_authenticate {
            ev.notes.push(format!("WWW-Authenticate: {w}"));
        }
    }
    ev.notes.extend(reply.response.retries.iter().cloned());
    ev
}

fn failure_evidence(f: &Failure) -> Evidence {
    Evidence {
        notes: f.retries.clone(),
        ..Evidence::default()
    }
}

// ------------------------------------------------------------------ signals

/// What one permission probe showed.
#[derive(Debug, Clone)]
enum Probed {
    /// Data came back: the permission works. The text says what was seen.
    Granted(String),
    /// Denied at this permission's field.
    Denied(GqlError),
    /// Denied one level up (the property itself), so this permission was not reached.
    Blocked(GqlError),
    /// No error and no data.
    Nothing(String),
    NotFound(GqlError),
    NotConfigured(GqlError),
    NoProbe(String),
    /// A fault or an answer that cannot be read.
    Error(String),
}

impl Probed {
    fn why(&self) -> String {
        match self {
            Probed::Blocked(e) => {
                format!("the read needs CAN_QUERY_PROPERTY first ({})", e.describe())
            }
            Probed::Nothing(w) | Probed::NoProbe(w) | Probed::Granted(w) | Probed::Error(w) => {
                w.clone()
            }
            Probed::NotFound(e) | Probed::NotConfigured(e) | Probed::Denied(e) => e.describe(),
        }
    }
}

#[derive(Debug, Clone)]
enum Viewer {
    Listed(Vec<String>),
    Unavailable(String),
    Error(String),
}

struct Signals {
    viewer: Option<Viewer>,
    qp: Option<Probed>,
    du: Probed,
}

impl Signals {
    fn listed(&self) -> Option<&[String]> {
        match &self.viewer {
            Some(Viewer::Listed(l)) => Some(l),
            _ => None,
        }
    }
}

fn fault_reason(r: &GqlResult) -> Option<String> {
    match r {
        Err(f) => Some(f.to_string()),
        Ok(Err(e)) => Some(e.reason.clone()),
        Ok(Ok(g)) => {
            if let Some(e) = g.errors.iter().find(|e| e.is_rate_limit()) {
                return Some(format!("rate limited: {}", e.describe()));
            }
            if let Some(e) = g.token_rejection() {
                return Some(format!("token refused: {}", e.describe()));
            }
            None
        }
    }
}

fn viewer_signal(r: &GqlResult) -> Viewer {
    if let Some(reason) = fault_reason(r) {
        return Viewer::Error(reason);
    }
    let Ok(Ok(g)) = r else {
        return Viewer::Error("no answer".into());
    };
    if g.status == 400 {
        let msg = g
            .errors
            .first()
            .map_or("validation error".to_string(), |e| e.message.clone());
        return Viewer::Unavailable(format!(
            "thirdPartyViewer is not in this Kraken's schema: {msg}"
        ));
    }
    if let Some(e) = g
        .errors_under(&["thirdPartyViewer"])
        .next()
        .or(g.errors.first())
    {
        if e.is_denial() {
            return Viewer::Unavailable(format!(
                "thirdPartyViewer is denied to this application: {}",
                e.describe()
            ));
        }
        return Viewer::Error(format!("unexpected error: {}", e.describe()));
    }
    let perms = g
        .data
        .as_ref()
        .and_then(|d| d.get("thirdPartyViewer"))
        .filter(|v| !v.is_null());
    match perms.and_then(|v| v.get("permissions")) {
        Some(Value::Array(list)) => Viewer::Listed(
            list.iter()
                .filter_map(|p| p.get("permission").and_then(Value::as_str))
                .map(normalize_permission)
                .collect(),
        ),
        Some(Value::Null) | None if perms.is_none() => {
            Viewer::Unavailable("thirdPartyViewer answered null".into())
        }
        _ => Viewer::Unavailable("thirdPartyViewer answered without a permissions list".into()),
    }
}

/// A probe's answer that can be read for a verdict, or the error that says why not: a fault,
/// a rate limit, a refused token, or a 400 that rejected the probe itself.
fn readable(r: &GqlResult) -> Result<&GqlReply, Probed> {
    if let Some(reason) = fault_reason(r) {
        return Err(Probed::Error(reason));
    }
    let Ok(Ok(g)) = r else {
        return Err(Probed::Error("no answer".into()));
    };
    if g.status == 400 {
        return Err(Probed::Error(format!(
            "the API rejected the probe as invalid: {}",
            g.errors
                .first()
                .map_or("HTTP 400".into(), |e| e.message.clone())
        )));
    }
    Ok(g)
}

fn prop_signal(plan: &ProbePlan, r: &GqlResult) -> Probed {
    let g = match readable(r) {
        Ok(g) => g,
        Err(p) => return p,
    };
    let root = if plan.document.contains("property(id:") {
        "property"
    } else {
        "propertiesSearch"
    };
    if let Some(e) = g.errors_under(&[root]).next().or(g.errors.first()) {
        if e.is_denial() {
            return Probed::Denied(e.clone());
        }
        if e.error_type.as_deref() == Some("NOT_FOUND") {
            return Probed::NotFound(e.clone());
        }
        return Probed::Error(format!("unexpected error: {}", e.describe()));
    }
    let value = g
        .data
        .as_ref()
        .and_then(|d| d.get(root))
        .cloned()
        .unwrap_or(Value::Null);
    match (root, &value) {
        ("property", Value::Object(o)) => Probed::Granted(format!(
            "property {} is visible to this token",
            o.get("id").and_then(Value::as_str).unwrap_or("?")
        )),
        ("property", _) => Probed::Nothing("property(id) answered null without an error".into()),
        (_, Value::Array(list)) if !list.is_empty() => {
            let id = list[0].pointer("/property/id").and_then(Value::as_str);
            match id {
                Some(id) => Probed::Granted(format!("propertiesSearch found property {id}")),
                None => Probed::Nothing(
                    "propertiesSearch ran without a denial; a made-up term matched no property"
                        .into(),
                ),
            }
        }
        (_, Value::Array(_)) => {
            if plan.variables.get("searchTerm").is_some() {
                Probed::Nothing("propertiesSearch found no property for the supply point".into())
            } else {
                Probed::Nothing(
                    "propertiesSearch ran without a denial, but only a real property proves it"
                        .into(),
                )
            }
        }
        _ => Probed::Nothing("propertiesSearch answered null".into()),
    }
}

/// The `measurements` connection inside a usage probe's data, whichever path it took.
fn measurements_connection(data: &Value) -> Option<&Value> {
    if let Some(p) = data.get("property").filter(|p| !p.is_null()) {
        return p.get("measurements").filter(|m| !m.is_null());
    }
    data.get("propertiesSearch")?
        .as_array()?
        .iter()
        .find_map(|r| r.pointer("/property/measurements").filter(|m| !m.is_null()))
}

fn usage_signal(plan: &ProbePlan, r: &GqlResult) -> Probed {
    let g = match readable(r) {
        Ok(g) => g,
        Err(p) => return p,
    };
    let by_property = plan.document.contains("property(id:");
    let root = if by_property {
        "property"
    } else {
        "propertiesSearch"
    };
    let at_measurements = |e: &&GqlError| e.path.iter().any(|p| p == "measurements");
    if let Some(e) = g.errors.iter().find(at_measurements) {
        if e.code.as_deref() == Some("KT-CT-4722") {
            return Probed::NotConfigured(e.clone());
        }
        if e.is_denial() {
            return Probed::Denied(e.clone());
        }
        if e.error_type.as_deref() == Some("NOT_FOUND") {
            return Probed::NotFound(e.clone());
        }
        return Probed::Error(format!("unexpected error: {}", e.describe()));
    }
    if let Some(e) = g.errors.first() {
        if e.code.as_deref() == Some("KT-CT-4722") {
            return Probed::NotConfigured(e.clone());
        }
        if e.is_denial() {
            return Probed::Blocked(e.clone());
        }
        if e.error_type.as_deref() == Some("NOT_FOUND") || e.code.as_deref() == Some("KT-CT-4719") {
            return Probed::NotFound(e.clone());
        }
        return Probed::Error(format!("unexpected error: {}", e.describe()));
    }
    let Some(data) = g.data.as_ref() else {
        return Probed::Nothing("no data and no error".into());
    };
    let root_value = data.get(root).cloned().unwrap_or(Value::Null);
    if root_value.is_null() || root_value.as_array().is_some_and(Vec::is_empty) {
        return Probed::Nothing(if by_property {
            "property(id) answered null without an error".into()
        } else {
            "propertiesSearch found no property for the supply point".into()
        });
    }
    match measurements_connection(data) {
        None => Probed::Nothing("measurements answered null without an error".into()),
        Some(conn) => match conn.pointer("/edges/0/node") {
            Some(node) if !node.is_null() => Probed::Granted(format!(
                "read a measurement ({} {} at {})",
                node.get("value")
                    .map(|v| v.to_string().trim_matches('"').to_string())
                    .unwrap_or_default(),
                node.get("unit").and_then(Value::as_str).unwrap_or(""),
                node.get("readAt").and_then(Value::as_str).unwrap_or("?")
            )),
            _ => Probed::Nothing("measurements answered an empty list".into()),
        },
    }
}
