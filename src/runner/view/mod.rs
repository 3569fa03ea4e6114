//! Classifying the evidence, once: each function reads answers of the run and returns one
//! class of `classes` with what was seen (a line for people, the deciding error and status
//! for the report's evidence). Pure: no I/O, and every function can be fed a hand-built
//! [`Evidence`](super::evidence::Evidence). Verdicts match on these classes only.

pub mod accept;
pub mod perm;
pub mod token;
pub mod usage;

use crate::kraken::codes::ErrorClass;
use crate::kraken::graphql::{GqlError, GqlReply};
use crate::kraken::http::FailureKind;
use crate::runner::classes::FaultKind;

use super::evidence::{Evidence, Exchange, ProbeKey};

/// A class and what was seen.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen<C> {
    pub class: C,
    /// One line for people: what the answer said.
    pub detail: String,
    /// The deciding error, for the report's evidence.
    pub error: Option<GqlError>,
    /// The deciding HTTP status.
    pub http_status: Option<u16>,
    /// For a class that means "no readable answer": whether another run could give one.
    pub fault: FaultKind,
}

impl<C> Seen<C> {
    pub fn new(class: C, detail: impl Into<String>) -> Seen<C> {
        Seen {
            class,
            detail: detail.into(),
            error: None,
            http_status: None,
            fault: FaultKind::Transient,
        }
    }

    /// The same seen, with the kind of fault behind it.
    pub fn with_fault(mut self, fault: FaultKind) -> Seen<C> {
        self.fault = fault;
        self
    }

    /// The same seen, with the deciding error (and HTTP 200, as errors come).
    pub fn with_error(mut self, e: &GqlError, status: u16) -> Seen<C> {
        self.error = Some(e.clone());
        self.http_status = Some(status);
        self
    }

    pub fn with_status(mut self, status: u16) -> Seen<C> {
        self.http_status = Some(status);
        self
    }

    /// The deciding error in words, else the detail: `{denial}` in the outcome texts.
    pub fn denial(&self) -> String {
        self.error
            .as_ref()
            .map_or_else(|| self.detail.clone(), GqlError::describe)
    }

    /// The deciding error's code: `{code}` in the outcome texts.
    pub fn code(&self) -> String {
        self.error
            .as_ref()
            .and_then(|e| e.code.clone())
            .unwrap_or_else(|| "no code".into())
    }

    /// The same detail and error under another class.
    pub fn map<D>(self, f: impl FnOnce(C) -> D) -> Seen<D> {
        Seen {
            class: f(self.class),
            detail: self.detail,
            error: self.error,
            http_status: self.http_status,
            fault: self.fault,
        }
    }
}

/// A probe's final answer, as far as it can be read for a verdict.
pub enum Reading<'a> {
    /// Not sent in the final set.
    NotSent,
    /// No readable answer: a fault, a body that is not an envelope, a refused token, a rate
    /// limit, or an envelope with neither data nor errors. The text says which, and the kind
    /// whether another run could read it.
    Fault(String, Option<GqlError>, FaultKind),
    /// An envelope to read.
    Reply(&'a GqlReply),
}

/// The final answer of a probe.
pub fn reading(ev: &Evidence, key: ProbeKey) -> Reading<'_> {
    match ev.final_exchange(key) {
        None => Reading::NotSent,
        Some(ex) => read_exchange(ex),
    }
}

/// One exchange, as [`Reading`].
pub fn read_exchange(ex: &Exchange) -> Reading<'_> {
    let reply = match &ex.result {
        Err(f) => return Reading::Fault(f.to_string(), None, failure_kind(&f.kind)),
        Ok(Err(e)) => return Reading::Fault(e.reason.clone(), None, status_kind(e.status)),
        Ok(Ok(r)) => r,
    };
    if reply.data.is_none() && reply.errors.is_empty() {
        return Reading::Fault(
            format!(
                "HTTP {}: data null without an error (a malformed answer)",
                reply.status
            ),
            None,
            FaultKind::Lasting,
        );
    }
    for e in &reply.errors {
        match e.class() {
            ErrorClass::TokenRefused(_) => {
                return Reading::Fault(
                    format!("the token was refused on this probe: {}", e.describe()),
                    Some(e.clone()),
                    FaultKind::Transient,
                );
            }
            ErrorClass::Throttled => {
                return Reading::Fault(
                    format!("rate limited: {}", e.describe()),
                    Some(e.clone()),
                    FaultKind::Transient,
                );
            }
            _ => {}
        }
    }
    Reading::Reply(reply)
}

/// Whether a request that got no answer could get one on another run: a timeout or a broken
/// connection may pass; a TLS failure, an answer over the size limit or a proxy's refusal
/// comes back the same.
pub fn failure_kind(kind: &FailureKind) -> FaultKind {
    match kind {
        FailureKind::Timeout
        | FailureKind::Refused
        | FailureKind::Dns
        | FailureKind::Connect
        | FailureKind::Broken
        | FailureKind::RunDeadline => FaultKind::Transient,
        FailureKind::Tls | FailureKind::BodyTooLarge | FailureKind::Proxy => FaultKind::Lasting,
    }
}

/// Whether an answer that is not a GraphQL envelope could be one on another run: a 5xx, a
/// 429 or a 408 may pass; a web page at another status (a 404, a login page) comes back.
pub fn status_kind(status: u16) -> FaultKind {
    if status >= 500 || matches!(status, 408 | 429) {
        FaultKind::Transient
    } else {
        FaultKind::Lasting
    }
}

/// Whether the answer refused the document itself as asking for something this Kraken's
/// schema lacks (a GraphQL validation error, with no data).
pub fn asks_what_the_schema_lacks(ex: &Exchange) -> bool {
    match read_exchange(ex) {
        Reading::Reply(r) => {
            r.data.is_none()
                && r.errors
                    .iter()
                    .any(|e| e.class() == ErrorClass::SchemaMismatch)
        }
        _ => false,
    }
}

/// The first error about `field` (its path starts there, list indexes skipped) or about the
/// whole request (no path).
pub fn error_at<'a>(reply: &'a GqlReply, field: &[&str]) -> Option<&'a GqlError> {
    reply
        .errors
        .iter()
        .find(|e| e.field_path().as_slice() == field)
        .or_else(|| reply.errors.iter().find(|e| e.path.is_empty()))
}

/// The first error strictly below `field` whose path passes through list index `index`
/// (when given).
pub fn error_below<'a>(
    reply: &'a GqlReply,
    field: &[&str],
    index: Option<usize>,
) -> Option<&'a GqlError> {
    reply.errors.iter().find(|e| {
        let names = e.field_path();
        names.len() > field.len()
            && names.starts_with(field)
            && index.is_none_or(|i| e.list_index() == Some(i))
    })
}

/// What a schema-mismatch error says is missing: `field 'permissions' on type
/// 'ThirdPartyOrganizationType'` from graphql-core's "Cannot query field ...", else the message.
pub fn missing_what(e: &GqlError) -> String {
    let m = &e.message;
    if let Some(rest) = m.strip_prefix("Cannot query field ") {
        return format!("the field {}", rest.trim_end_matches('.'));
    }
    m.clone()
}
