//! The GraphQL API, as a client: send a document with the token in the header form asked
//! for, and read Kraken's envelope (data, errors with path and extensions).

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use serde_json::Value;
use url::Url;

use super::http::{Failure, Http, Request, Response, RetryPolicy};
use crate::secret::Secret;

pub use super::model::HeaderForm;

/// Codes that mean the API did not accept the token itself (as opposed to a permission).
pub const TOKEN_REJECTION_CODES: &[&str] = &[
    "KT-CT-1112",
    "KT-CT-1124",
    "KT-CT-1125",
    "KT-CT-1126",
    "KT-CT-1127",
    "KT-CT-1143",
    "KT-CT-1162",
    "KT-CT-1163",
];

/// Codes that mean "not allowed" whatever their errorType says.
pub const DENIAL_CODES: &[&str] = &["KT-CT-1111", "KT-CT-4177", "KT-CT-4718"];

/// Codes the registry types AUTHORIZATION that say nothing about a permission: rate limits
/// and query size (KT-CT-1188, 1189, 1199). They are faults of the request, never verdicts.
pub const NOT_PERMISSION_CODES: &[&str] = &["KT-CT-1188", "KT-CT-1189", "KT-CT-1199"];

/// One entry of `errors[]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GqlError {
    pub message: String,
    /// The field path, as strings (list indexes too).
    pub path: Vec<String>,
    pub code: Option<String>,
    pub error_type: Option<String>,
}

impl GqlError {
    pub fn is_token_rejection(&self) -> bool {
        self.code
            .as_deref()
            .is_some_and(|c| TOKEN_REJECTION_CODES.contains(&c))
    }

    /// A permission denial: errorType AUTHORIZATION first, then the known codes.
    pub fn is_denial(&self) -> bool {
        !self.is_token_rejection()
            && !self
                .code
                .as_deref()
                .is_some_and(|c| NOT_PERMISSION_CODES.contains(&c))
            && (self.error_type.as_deref() == Some("AUTHORIZATION")
                || self
                    .code
                    .as_deref()
                    .is_some_and(|c| DENIAL_CODES.contains(&c)))
    }

    /// A rate limit or query-size refusal: the request was not judged on its permissions.
    pub fn is_rate_limit(&self) -> bool {
        self.code
            .as_deref()
            .is_some_and(|c| NOT_PERMISSION_CODES.contains(&c))
    }

    /// `KT-CT-1111 (AUTHORIZATION) at property.measurements: Unauthorized.`
    pub fn describe(&self) -> String {
        let mut s = String::new();
        if let Some(c) = &self.code {
            s.push_str(c);
            if let Some(t) = &self.error_type {
                s.push_str(&format!(" ({t})"));
            }
            s.push(' ');
        }
        if !self.path.is_empty() {
            s.push_str(&format!("at {}: ", self.path.join(".")));
        }
        s.push_str(&self.message);
        s
    }
}

/// What the API answered.
#[derive(Debug, Clone)]
pub struct GqlReply {
    pub status: u16,
    pub data: Option<Value>,
    pub errors: Vec<GqlError>,
    pub response: Response,
    pub form: HeaderForm,
}

impl GqlReply {
    /// The first error saying the token itself was refused.
    pub fn token_rejection(&self) -> Option<&GqlError> {
        self.errors.iter().find(|e| e.is_token_rejection())
    }

    /// The API judged this request past the token: HTTP 200, the token not refused, and not
    /// rate limited (a rate limit may come before the token is looked at).
    pub fn token_accepted(&self) -> bool {
        self.status == 200
            && self.token_rejection().is_none()
            && !self.errors.iter().any(GqlError::is_rate_limit)
    }

    /// Errors whose path starts with `prefix` (field names only; indexes are skipped).
    pub fn errors_under<'a>(&'a self, prefix: &'a [&str]) -> impl Iterator<Item = &'a GqlError> {
        self.errors.iter().filter(move |e| {
            let names: Vec<&str> = e
                .path
                .iter()
                .map(String::as_str)
                .filter(|p| p.parse::<usize>().is_err())
                .collect();
            names.len() >= prefix.len() && names[..prefix.len()] == *prefix
        })
    }

    /// Errors with no path: request-level (parse, validation, header) errors.
    pub fn request_errors(&self) -> impl Iterator<Item = &GqlError> {
        self.errors.iter().filter(|e| e.path.is_empty())
    }
}

/// Why an answer could not be read as a GraphQL envelope.
#[derive(Debug, Clone)]
pub struct EnvelopeError {
    pub status: u16,
    pub reason: String,
}

/// Send one query.
pub async fn query(
    http: &Http,
    url: &Url,
    token: &Secret,
    form: HeaderForm,
    document: &str,
    variables: &Value,
    label: String,
) -> Result<Result<GqlReply, EnvelopeError>, Failure> {
    let header = format!("{}{}", form.prefix(), token.expose());
    let header = zeroize::Zeroizing::new(header);
    let mut value = HeaderValue::from_str(&header).unwrap_or_else(|_| HeaderValue::from_static(""));
    value.set_sensitive(true);
    let headers: Vec<(HeaderName, HeaderValue)> = vec![
        (CONTENT_TYPE, HeaderValue::from_static("application/json")),
        (AUTHORIZATION, value),
    ];
    let body = serde_json::json!({ "query": document, "variables": variables });
    let response = http
        .post(&Request {
            url: url.clone(),
            headers,
            body: body.to_string().into_bytes(),
            label,
            retry: RetryPolicy::Query,
        })
        .await?;
    Ok(parse_envelope(response, form))
}

/// Read Kraken's envelope. HTTP 200 and 400 may carry it; anything else, or a body that is
/// not a JSON object with `data` or `errors`, is an [`EnvelopeError`]. Never panics.
pub fn parse_envelope(response: Response, form: HeaderForm) -> Result<GqlReply, EnvelopeError> {
    let status = response.status;
    let fail = |reason: String| EnvelopeError { status, reason };
    if status != 200 && status != 400 {
        return Err(fail(format!("HTTP {status} ({})", response.body_excerpt())));
    }
    let value: Value = serde_json::from_slice(&response.body).map_err(|e| {
        fail(format!(
            "not a JSON answer: {e} ({})",
            response.body_excerpt()
        ))
    })?;
    let Some(obj) = value.as_object() else {
        return Err(fail("the JSON answer is not an object".into()));
    };
    if !obj.contains_key("data") && !obj.contains_key("errors") {
        return Err(fail("the JSON answer has neither data nor errors".into()));
    }
    let data = obj.get("data").filter(|d| !d.is_null()).cloned();
    let errors = match obj.get("errors") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list.iter().map(parse_error).collect(),
        Some(_) => return Err(fail("`errors` is not a list".into())),
    };
    Ok(GqlReply {
        status,
        data,
        errors,
        response,
        form,
    })
}

fn parse_error(e: &Value) -> GqlError {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    GqlError {
        message: text(e.get("message")).unwrap_or_default(),
        path: e
            .get("path")
            .and_then(Value::as_array)
            .map(|p| {
                p.iter()
                    .map(|s| match s {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        code: text(e.pointer("/extensions/errorCode")),
        error_type: text(e.pointer("/extensions/errorType")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> Result<GqlReply, EnvelopeError> {
        parse_envelope(Response::from_body(status, body), HeaderForm::Bare)
    }

    #[test]
    fn envelope_errors_keep_path_and_extensions() {
        let r = reply(
            200,
            r#"{"data":{"property":{"id":"1","measurements":null}},"errors":[{"message":"Unauthorized.","path":["property","measurements"],"extensions":{"errorType":"AUTHORIZATION","errorCode":"KT-CT-1111"}}]}"#,
        )
        .unwrap();
        assert_eq!(r.errors_under(&["property", "measurements"]).count(), 1);
        assert_eq!(r.errors_under(&["property"]).count(), 1);
        assert!(r.errors[0].is_denial());
        assert!(r.token_rejection().is_none());
        let limited = reply(
            200,
            r#"{"data":null,"errors":[{"message":"Too many requests.","path":["property"],"extensions":{"errorType":"AUTHORIZATION","errorCode":"KT-CT-1199"}}]}"#,
        )
        .unwrap();
        assert!(
            !limited.errors[0].is_denial(),
            "a rate limit is not a permission verdict"
        );
        assert!(limited.errors[0].is_rate_limit());
    }

    #[test]
    fn non_envelopes_are_errors_not_answers() {
        assert!(reply(503, "<html>").is_err());
        assert!(reply(200, "<html>").is_err());
        assert!(reply(200, r#"{"data":"#).is_err());
        assert!(reply(200, "[]").is_err());
        assert!(reply(200, "{}").is_err());
        assert!(
            reply(
                400,
                r#"{"errors":[{"message":"Cannot query field 'x' on type 'Query'."}]}"#
            )
            .is_ok()
        );
    }
}
