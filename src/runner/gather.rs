//! Gathering: the network rounds of one run, and nothing else. Round one sends every token
//! request at once, with the schema introspection beside them (it needs no token). Round two
//! sends every GraphQL probe at once with the bare header, and the Bearer comparison beside
//! them. Only when the answers ask for it: one fresh token and the probes again, or the probes
//! in the header form that works. What comes back is recorded as evidence; nothing is decided
//! here but the next step, and that by `view::accept::next`.

use std::time::Instant;

use futures::future::join_all;

use super::ReadTarget;
use super::Target;
use super::classes::FormClass;
use super::evidence::{Evidence, Exchange, ProbeKey, ProbePlan, Refetch};
use super::plan::{self, RoundOne, RoundTwo, SecretUse, TokenPlan};
use super::schema::SchemaKnowledge;
use super::view;
use super::view::accept::{self, Next};
use crate::checks::CheckId;
use crate::kraken::graphql;
use crate::kraken::http::Http;
use crate::kraken::model::HeaderForm;
use crate::kraken::token::{self, TokenOutcome, TokenReply, TokenRequest};
use crate::secret::Secret;

/// The token request `plan` describes, for this target.
fn token_request<'a>(
    target: &'a Target,
    plan: &'a TokenPlan,
    wrong: &'a Secret,
) -> TokenRequest<'a> {
    TokenRequest {
        token_url: &target.token_url,
        client_id: &target.client_id,
        secret: match plan.secret {
            SecretUse::Real => Some(&target.client_secret),
            SecretUse::Missing => None,
            SecretUse::Wrong => Some(wrong),
        },
        auth: plan.auth,
        grant_type: plan.grant_type,
        extra: plan.extra.clone(),
        label: plan.label.clone(),
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

/// Where round two stands: what the loop does next. It starts at `Decide` after the first
/// probes; every path ends at `Plainer`, then `Done`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Ask `view::accept::next` what the answers of the current attempt call for.
    Decide {
        refetched: bool,
    },
    /// The API called the token stale: fetch one fresh token (once) and send every probe
    /// again with it.
    Refetch,
    /// The bare form was refused: send the comparison in this form, to see whether the API
    /// takes it.
    Try {
        form: HeaderForm,
        refetched: bool,
    },
    /// This form works: send the probes again in it.
    Resend {
        form: HeaderForm,
        refetched: bool,
    },
    /// Send once more, in its plainer form, a document this Kraken's schema refused.
    Plainer,
    Done,
}

/// Run the rounds for `target` and return what came back: round one and round two as
/// `plan` decided them, then the steps the answers call for.
pub async fn gather(target: &Target, selected: Vec<CheckId>, http: &Http) -> Evidence {
    let mut ev = Evidence::new(
        target.token_url.clone(),
        target.graphql_url.clone(),
        target.client_id.clone(),
        target.data.clone(),
        selected,
    );
    ev.origin = target.origin.clone();
    ev.credential_notes = target.notes.clone();
    ev.basic_encoding_matters =
        token::form_encoding_changes(&target.client_id, target.client_secret.expose());
    let wrong = Secret::new(format!("kraken-doctor-wrong-{}", rand::random::<u64>()));
    http.redactor().add(&wrong);
    let one = plan::round_one(&ev.selected);
    round_one(http, target, &one, &wrong, &mut ev).await;
    let issued_at = Instant::now();
    if !one.api() {
        return ev;
    }
    let Some(token) = ev.issued().map(|t| t.access_token.clone()) else {
        ev.api_not_sent = Some("no token".into());
        return ev;
    };
    let read_target = ReadTarget::new(&target.data, target.graphql_url.host_str().unwrap_or(""));
    let two = plan::round_two(&ev.selected, &read_target, &ev.schema);
    if two.probes.is_empty() {
        ev.api_not_sent = Some("no probe fits this Kraken's schema".into());
        return ev;
    }
    let mut api = Api {
        http,
        target,
        token,
        wrong: &wrong,
        two: &two,
        issued_at,
    };
    api.send(&api.with_comparison(HeaderForm::Bare), 0, &mut ev)
        .await;
    let mut state = State::Decide { refetched: false };
    while state != State::Done {
        state = api.step(state, &mut ev).await;
    }
    ev
}

/// Round one: every token request at once, the introspection beside them.
async fn round_one(
    http: &Http,
    target: &Target,
    one: &RoundOne,
    wrong: &Secret,
    ev: &mut Evidence,
) {
    let introspect = async {
        match &one.introspection {
            Some(p) => Some(send(http, target, p, HeaderForm::Bare, None).await),
            None => None,
        }
    };
    let requests = one
        .tokens
        .iter()
        .map(|t| token::request_token(http, token_request(target, t, wrong)));
    let (answers, schema) = futures::join!(join_all(requests), introspect);
    for (t, answer) in one.tokens.iter().zip(answers) {
        *ev.tokens.slot(t.ask) = Some(answer);
    }
    if let (Some(plan), Some(answer)) = (&one.introspection, schema) {
        ev.schema = SchemaKnowledge::from_answer(&answer);
        ev.introspection = Some(Exchange {
            plan: plan.clone(),
            form: HeaderForm::Bare,
            attempt: 0,
            result: answer,
        });
    }
}

/// Round two and what follows it, with the token of the moment.
struct Api<'a> {
    http: &'a Http,
    target: &'a Target,
    token: Secret,
    wrong: &'a Secret,
    two: &'a RoundTwo,
    issued_at: Instant,
}

impl Api<'_> {
    /// The probes in `form`, and the comparison beside them in the Bearer form.
    fn with_comparison(&self, form: HeaderForm) -> Vec<(ProbePlan, HeaderForm)> {
        let comparison = self.two.comparison.iter();
        self.two
            .probes
            .iter()
            .map(|p| (p.clone(), form))
            .chain(comparison.map(|c| (c.clone(), HeaderForm::Bearer)))
            .collect()
    }

    async fn send(&self, sends: &[(ProbePlan, HeaderForm)], attempt: u8, ev: &mut Evidence) {
        round(self.http, self.target, &self.token, sends, attempt, ev).await;
    }

    /// Do what `state` says and return the next one.
    async fn step(&mut self, state: State, ev: &mut Evidence) -> State {
        match state {
            State::Decide { refetched } => match accept::next(ev, refetched) {
                Next::Done => State::Plainer,
                Next::Refetch => State::Refetch,
                Next::Try(form) => State::Try { form, refetched },
                Next::Resend(form) => State::Resend { form, refetched },
            },
            State::Refetch => self.refetch(ev).await,
            State::Try { form, refetched } => {
                let comparison = self.two.comparison.clone();
                let Some(c) = comparison.or_else(|| plan::comparison(&self.two.probes)) else {
                    return State::Plainer;
                };
                self.send(&[(c, form)], ev.final_attempt, ev).await;
                State::Decide { refetched }
            }
            State::Resend { form, refetched } => {
                // A probe that already came back in this form (the comparison) is not repeated.
                let answered = |p: &ProbePlan| {
                    ev.exchanges_of(form, ev.final_attempt)
                        .any(|e| e.plan == *p && accept::exchange(e).class == FormClass::Accepted)
                };
                let sends: Vec<_> = self
                    .two
                    .probes
                    .iter()
                    .filter(|p| !answered(p))
                    .map(|p| (p.clone(), form))
                    .collect();
                self.send(&sends, ev.final_attempt, ev).await;
                ev.final_form = form;
                State::Decide { refetched }
            }
            State::Plainer => {
                // A document this Kraken's schema refused (its introspection being off) is
                // sent once more in its plainer form, where the registry names one.
                let plainer: Vec<(ProbePlan, HeaderForm)> = ProbeKey::ALL
                    .iter()
                    .filter_map(|k| ev.final_exchange(*k))
                    .filter(|ex| view::asks_what_the_schema_lacks(ex))
                    .filter_map(|ex| plan::fallback(&ex.plan))
                    .map(|p| (p, ev.final_form))
                    .collect();
                if !plainer.is_empty() {
                    self.send(&plainer, ev.final_attempt, ev).await;
                }
                State::Done
            }
            State::Done => State::Done,
        }
    }

    /// One fresh token, and every probe again with it; without one, on to the plainer forms.
    async fn refetch(&mut self, ev: &mut Evidence) -> State {
        let code = accept::stale(ev, ev.final_attempt)
            .and_then(|s| s.error.and_then(|e| e.code))
            .unwrap_or_default();
        let again = plan::refetch(&code);
        let request = token_request(self.target, &again, self.wrong);
        let result = token::request_token(self.http, request).await;
        let fresh = match &result {
            Ok(TokenReply {
                outcome: TokenOutcome::Issued(t),
                ..
            }) => Some(t.access_token.clone()),
            _ => None,
        };
        ev.refetch = Some(Refetch {
            after_ms: self.issued_at.elapsed().as_millis(),
            code,
            result,
        });
        let Some(fresh) = fresh else {
            return State::Plainer;
        };
        self.token = fresh;
        ev.final_attempt += 1;
        let sends = self.with_comparison(HeaderForm::Bare);
        self.send(&sends, ev.final_attempt, ev).await;
        State::Decide { refetched: true }
    }
}
