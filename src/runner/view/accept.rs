//! Whether the API took the token, per header form: the classes behind `api.token-accepted`,
//! the gathering's next step (fetch a new token, try another form), and the links that let
//! dependent checks run or say why not.

use super::{Seen, failure_kind, status_kind, token};
use crate::kraken::codes::{ErrorClass, TokenRemedy};
use crate::kraken::model::HeaderForm;
use crate::runner::classes::{FaultKind, FormClass, Link, RefetchClass, TokenClass};
use crate::runner::evidence::{Evidence, Exchange};

/// What one exchange says about the token.
pub fn exchange(ex: &Exchange) -> Seen<FormClass> {
    let reply = match &ex.result {
        Err(f) => {
            return Seen::new(FormClass::Undecided, f.to_string())
                .with_fault(failure_kind(&f.kind));
        }
        Ok(Err(e)) if matches!(e.status, 401 | 403) => {
            return Seen::new(
                FormClass::HeaderRefused,
                format!("refused before GraphQL: {}", e.reason),
            )
            .with_status(e.status);
        }
        Ok(Err(e)) => {
            return Seen::new(FormClass::Undecided, e.reason.clone())
                .with_status(e.status)
                .with_fault(status_kind(e.status));
        }
        Ok(Ok(r)) => r,
    };
    for e in &reply.errors {
        if let ErrorClass::TokenRefused(remedy) = e.class() {
            let class = match remedy {
                TokenRemedy::FetchNewToken => FormClass::StaleToken,
                TokenRemedy::TryOtherHeader => FormClass::HeaderRefused,
                TokenRemedy::WrongKraken => FormClass::WrongKraken,
                TokenRemedy::ServerSide => FormClass::ServerSide,
                TokenRemedy::Refused => FormClass::Refused,
            };
            return Seen::new(class, e.describe()).with_error(e, reply.status);
        }
    }
    if matches!(reply.status, 401 | 403) {
        let what = reply.errors.first().map_or(String::new(), |e| e.describe());
        return Seen::new(
            FormClass::HeaderRefused,
            format!("HTTP {}: {what}", reply.status),
        )
        .with_status(reply.status);
    }
    let answered = reply
        .data
        .as_ref()
        .and_then(|d| d.as_object())
        .is_some_and(|o| o.values().any(|v| !v.is_null()));
    let judged_past_token = reply.errors.iter().find(|e| {
        matches!(
            e.class(),
            ErrorClass::Denied(_)
                | ErrorClass::NotFound
                | ErrorClass::NotConfigured
                | ErrorClass::NoReadings
                | ErrorClass::InputRejected
        )
    });
    if answered || judged_past_token.is_some() {
        let what = judged_past_token.map_or("data".to_string(), |e| e.describe());
        return Seen::new(FormClass::Accepted, what).with_status(reply.status);
    }
    let (why, fault) = match reply.errors.first() {
        Some(e) if e.class() == ErrorClass::Throttled => (
            format!("rate limited: {}", e.describe()),
            FaultKind::Transient,
        ),
        // An internal error may pass; a document this Kraken refuses comes back refused.
        Some(e) if e.class() == ErrorClass::SchemaMismatch => (
            format!("no answer that needs the token: {}", e.describe()),
            FaultKind::Lasting,
        ),
        Some(e) => (
            format!("no answer that needs the token: {}", e.describe()),
            FaultKind::Transient,
        ),
        None => (
            "data null without an error (a malformed answer)".to_string(),
            FaultKind::Lasting,
        ),
    };
    Seen::new(FormClass::Undecided, why)
        .with_status(reply.status)
        .with_fault(fault)
}

/// What the exchanges of one form and attempt say together: accepted if any was; else the
/// first refusal; else undecided (with the first reason); `NotTried` when none was sent.
pub fn form(ev: &Evidence, form: HeaderForm, attempt: u8) -> Seen<FormClass> {
    let seen: Vec<Seen<FormClass>> = ev.exchanges_of(form, attempt).map(exchange).collect();
    if let Some(s) = seen.iter().find(|s| s.class == FormClass::Accepted) {
        return s.clone();
    }
    if let Some(s) = seen
        .iter()
        .find(|s| !matches!(s.class, FormClass::Undecided | FormClass::NotTried))
    {
        return s.clone();
    }
    seen.into_iter()
        .next()
        .unwrap_or_else(|| Seen::new(FormClass::NotTried, "not tried"))
}

/// The first stale-token refusal among the exchanges of one attempt (any form): a token that
/// expired mid-run is fetched again even when other probes got in before it expired.
pub fn stale(ev: &Evidence, attempt: u8) -> Option<Seen<FormClass>> {
    ev.exchanges
        .iter()
        .filter(|e| e.attempt == attempt)
        .map(exchange)
        .find(|s| s.class == FormClass::StaleToken)
}

/// Whether a token was fetched again.
pub fn refetch(ev: &Evidence) -> Seen<RefetchClass> {
    match &ev.refetch {
        None => Seen::new(RefetchClass::NotNeeded, "not needed"),
        Some(r) => {
            let t = token::token(&Some(r.result.clone()));
            if t.class == TokenClass::Issued {
                Seen::new(
                    RefetchClass::Fetched,
                    format!(
                        "the token was refused as stale ({}) {} ms after it was issued; a new one was fetched and the probes repeated",
                        r.code, r.after_ms
                    ),
                )
            } else {
                Seen::new(
                    RefetchClass::Failed,
                    format!("fetching a new token after {}: {}", r.code, t.detail),
                )
            }
        }
    }
}

/// What the gathering does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The evidence is complete.
    Done,
    /// Fetch a new token and repeat every probe.
    Refetch,
    /// Send one probe in this form, to see whether the API takes it.
    Try(HeaderForm),
    /// Repeat every probe in this form.
    Resend(HeaderForm),
}

/// The next step of the header-form fallback and the token re-fetch, from what the current
/// attempt's answers say. At most one re-fetch; each form is tried once, Bearer before JWT.
pub fn next(ev: &Evidence, refetched: bool) -> Next {
    if ev.final_form != HeaderForm::Bare {
        return Next::Done;
    }
    let attempt = ev.final_attempt;
    if !refetched && stale(ev, attempt).is_some() {
        return Next::Refetch;
    }
    let bare = form(ev, HeaderForm::Bare, attempt).class;
    if !matches!(bare, FormClass::HeaderRefused | FormClass::Refused) {
        return Next::Done;
    }
    for f in [HeaderForm::Bearer, HeaderForm::Jwt] {
        match form(ev, f, attempt).class {
            FormClass::Accepted => return Next::Resend(f),
            FormClass::NotTried => return Next::Try(f),
            _ => {}
        }
    }
    Next::Done
}

/// The classes `api.token-accepted` is decided on.
#[derive(Debug, Clone)]
pub struct AcceptanceSeen {
    pub bare: Seen<FormClass>,
    /// The best of the other forms: accepted if either was, else Bearer's answer if it was
    /// tried, else JWT's.
    pub other: Seen<FormClass>,
    /// The form the other answer came in.
    pub other_form: HeaderForm,
    pub refetch: Seen<RefetchClass>,
}

pub fn acceptance(ev: &Evidence) -> AcceptanceSeen {
    let attempt = ev.final_attempt;
    let bearer = form(ev, HeaderForm::Bearer, attempt);
    let jwt = form(ev, HeaderForm::Jwt, attempt);
    let (other, other_form) = if jwt.class == FormClass::Accepted
        || (bearer.class == FormClass::NotTried && jwt.class != FormClass::NotTried)
    {
        (jwt, HeaderForm::Jwt)
    } else {
        (bearer, HeaderForm::Bearer)
    };
    AcceptanceSeen {
        bare: form(ev, HeaderForm::Bare, attempt),
        other,
        other_form,
        refetch: refetch(ev),
    }
}

/// How `auth.reachable` stands, for the checks after it.
pub fn reachable_link(ev: &Evidence) -> Seen<Link> {
    let t = token::token(&ev.tokens.documented);
    let link = match t.class {
        TokenClass::Issued
        | TokenClass::InvalidClient
        | TokenClass::UnauthorizedClient
        | TokenClass::OtherOAuth => Link::Usable,
        TokenClass::NotOAuth => Link::Failed,
        TokenClass::Unexpected | TokenClass::Fault | TokenClass::NotSent => Link::Undecided,
    };
    t.map(|_| link)
}

/// How `auth.token` stands for the checks that need a token: usable when either client
/// authentication method got one.
pub fn token_link(ev: &Evidence) -> Seen<Link> {
    if ev.issued().is_some() {
        return Seen::new(Link::Usable, "a token was issued");
    }
    let t = token::token(&ev.tokens.documented);
    let link = match t.class {
        TokenClass::InvalidClient | TokenClass::UnauthorizedClient | TokenClass::NotOAuth => {
            Link::Failed
        }
        _ => Link::Undecided,
    };
    let detail = format!("no token: {}", t.detail);
    t.map(|_| link).with_detail(detail)
}

impl<C> Seen<C> {
    fn with_detail(mut self, detail: String) -> Seen<C> {
        self.detail = detail;
        self
    }
}
