//! Gathering: the network rounds of one run, and nothing else. Round one sends every token
//! request at once, with the schema introspection beside them (it needs no token). Round two
//! sends every GraphQL probe at once with the bare header, and the Bearer comparison beside
//! them. Only when the answers ask for it: one fresh token and the probes again, or the probes
//! in the header form that works. What comes back is recorded as evidence; nothing is decided
//! here but the next step, and that by `view::accept::next`.

use std::time::Instant;

use futures::future::join_all;

use super::Target;
use super::classes::FormClass;
use super::evidence::ProbeKey;
use super::evidence::{Evidence, Exchange, ProbePlan, Refetch, TokenExchange};
use super::plan::{self, ReadTarget, TokenPlan};
use super::schema::SchemaKnowledge;
use super::view;
use super::view::accept::{self, Next};
use crate::checks::CheckId;
use crate::kraken::graphql;
use crate::kraken::http::Http;
use crate::kraken::model::HeaderForm;
use crate::kraken::token::{self, ClientAuth, TokenRequest};
use crate::secret::Secret;

/// A token request for this target.
fn token_request<'a>(
    target: &'a Target,
    auth: ClientAuth,
    secret: Option<&'a Secret>,
    label: &str,
) -> TokenRequest<'a> {
    TokenRequest {
        token_url: &target.token_url,
        client_id: &target.client_id,
        secret,
        auth,
        grant_type: "client_credentials",
        extra: vec![],
        label: label.to_string(),
    }
}

async fn maybe(http: &Http, on: bool, req: TokenRequest<'_>) -> Option<TokenExchange> {
    if on {
        Some(token::request_token(http, req).await)
    } else {
        None
    }
}

/// Send one document; `token` `None` sends no Authorization header (introspection).
async fn send(
    http: &Http,
    target: &Target,
    plan: &ProbePlan,
    form: HeaderForm,
    token: Option<&Secret>,
) -> graphql::GqlResult {
    let label = match token {
        Some(_) => format!("{} ({})", plan.name, form.short()),
        None => format!("{} (no token)", plan.name),
    };
    graphql::query(
        http,
        &target.graphql_url,
        token,
        form,
        &plan.document,
        &plan.variables,
        label,
    )
    .await
}

/// Every exchange of one round: `plans` in `form`, and `extra` (plan, form) pairs beside.
async fn round(
    http: &Http,
    target: &Target,
    token: &Secret,
    sends: &[(ProbePlan, HeaderForm)],
    attempt: u8,
    ev: &mut Evidence,
) {
    let answers = join_all(
        sends
            .iter()
            .map(|(p, f)| send(http, target, p, *f, Some(token))),
    )
    .await;
    for ((plan, form), result) in sends.iter().cloned().zip(answers) {
        ev.exchanges.push(Exchange {
            plan,
            form,
            attempt,
            result,
        });
    }
}

/// Run the rounds for `target` and return what came back.
pub async fn gather(target: &Target, selected: Vec<CheckId>, http: &Http) -> Evidence {
    let mut ev = Evidence::new(
        target.token_url.clone(),
        target.graphql_url.clone(),
        target.client_id.clone(),
        target.data.clone(),
        selected,
    );
    let tp = TokenPlan::new(&ev.selected);
    let secret = &target.client_secret;
    let wrong = Secret::new(format!("kraken-doctor-wrong-{}", rand::random::<u64>()));
    http.redactor().add(&wrong);
    let public = TokenRequest {
        token_url: &target.token_url,
        client_id: &target.client_id,
        secret: None,
        auth: ClientAuth::Body,
        grant_type: "authorization_code",
        extra: vec![("code", "kraken-doctor-probe-not-a-code")],
        label: "auth.confidential: public-client probe".into(),
    };
    let schema_plan = ProbePlan {
        key: super::evidence::ProbeKey::Schema,
        name: "schema".into(),
        document: plan::introspection().document.clone(),
        variables: serde_json::json!({}),
    };
    let introspect = async {
        if tp.api {
            Some(send(http, target, &schema_plan, HeaderForm::Bare, None).await)
        } else {
            None
        }
    };
    let body = ClientAuth::Body;
    let requests = [
        (
            tp.documented,
            token_request(target, body, Some(secret), CheckId::AuthToken.as_str()),
        ),
        (
            tp.basic,
            token_request(
                target,
                ClientAuth::Basic,
                Some(secret),
                "auth.methods: HTTP Basic",
            ),
        ),
        (
            tp.confidentiality,
            token_request(target, body, None, "auth.confidential: no secret"),
        ),
        (
            tp.confidentiality,
            token_request(
                target,
                body,
                Some(&wrong),
                "auth.confidential: wrong secret",
            ),
        ),
        (tp.confidentiality, public),
    ];
    let (tokens, schema) = futures::join!(
        join_all(requests.map(|(on, req)| maybe(http, on, req))),
        introspect
    );
    let [documented, basic, no_secret, wrong_secret, public_probe]: [Option<TokenExchange>; 5] =
        tokens
            .try_into()
            .unwrap_or_else(|_| unreachable!("five requests, five answers"));
    let issued_at = Instant::now();
    ev.tokens = super::evidence::TokenEvidence {
        documented,
        basic,
        no_secret,
        wrong_secret,
        public_probe,
    };
    if let Some(answer) = schema {
        ev.schema = SchemaKnowledge::from_answer(&answer);
        ev.introspection = Some(Exchange {
            plan: schema_plan,
            form: HeaderForm::Bare,
            attempt: 0,
            result: answer,
        });
    }
    if !tp.api {
        return ev;
    }
    let Some(mut token) = ev.issued().map(|t| t.access_token.clone()) else {
        ev.api_not_sent = Some("no token".into());
        return ev;
    };
    let read_target = ReadTarget::new(&target.data, target.graphql_url.host_str().unwrap_or(""));
    let probes = plan::probes(&ev.selected, &read_target, &ev.schema);
    if probes.is_empty() {
        ev.api_not_sent = Some("no probe fits this Kraken's schema".into());
        return ev;
    }
    let comparison =
        plan::comparison(&probes).filter(|_| ev.is_selected(CheckId::ApiTokenAccepted));
    let with_comparison = |form: HeaderForm| -> Vec<(ProbePlan, HeaderForm)> {
        probes
            .iter()
            .map(|p| (p.clone(), form))
            .chain(comparison.iter().map(|c| (c.clone(), HeaderForm::Bearer)))
            .collect()
    };
    round(
        http,
        target,
        &token,
        &with_comparison(HeaderForm::Bare),
        0,
        &mut ev,
    )
    .await;
    let mut refetched = false;
    loop {
        match accept::next(&ev, refetched) {
            Next::Done => break,
            Next::Refetch => {
                refetched = true;
                let code = accept::stale(&ev, ev.final_attempt)
                    .and_then(|s| s.error.and_then(|e| e.code))
                    .unwrap_or_default();
                let result = token::request_token(
                    http,
                    token_request(
                        target,
                        ClientAuth::Body,
                        Some(secret),
                        &format!("api: a new token after {code}"),
                    ),
                )
                .await;
                let fresh = match &result {
                    Ok(crate::kraken::token::TokenReply {
                        outcome: crate::kraken::token::TokenOutcome::Issued(t),
                        ..
                    }) => Some(t.access_token.clone()),
                    _ => None,
                };
                ev.refetch = Some(Refetch {
                    after_ms: issued_at.elapsed().as_millis(),
                    code,
                    result,
                });
                let Some(fresh) = fresh else { break };
                token = fresh;
                ev.final_attempt += 1;
                round(
                    http,
                    target,
                    &token,
                    &with_comparison(HeaderForm::Bare),
                    ev.final_attempt,
                    &mut ev,
                )
                .await;
            }
            Next::Try(form) => {
                let Some(c) = comparison.clone().or_else(|| plan::comparison(&probes)) else {
                    break;
                };
                round(
                    http,
                    target,
                    &token,
                    &[(c, form)],
                    ev.final_attempt,
                    &mut ev,
                )
                .await;
            }
            Next::Resend(form) => {
                // A probe that already came back in this form (the comparison) is not repeated.
                let answered = |p: &ProbePlan| {
                    ev.exchanges_of(form, ev.final_attempt)
                        .any(|e| e.plan == *p && accept::exchange(e).class == FormClass::Accepted)
                };
                let sends: Vec<_> = probes
                    .iter()
                    .filter(|p| !answered(p))
                    .map(|p| (p.clone(), form))
                    .collect();
                round(http, target, &token, &sends, ev.final_attempt, &mut ev).await;
                ev.final_form = form;
            }
        }
    }
    // A document this Kraken's schema refused (its introspection being off) is sent once
    // more in its plainer form, where the registry names one.
    let plainer: Vec<(ProbePlan, HeaderForm)> = ProbeKey::ALL
        .iter()
        .filter_map(|k| ev.final_exchange(*k))
        .filter(|ex| view::asks_what_the_schema_lacks(ex))
        .filter_map(|ex| plan::fallback(&ex.plan))
        .map(|p| (p, ev.final_form))
        .collect();
    if !plainer.is_empty() {
        round(http, target, &token, &plainer, ev.final_attempt, &mut ev).await;
    }
    ev
}
