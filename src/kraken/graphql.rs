//! The GraphQL API, as a client: send a document with the token in the header form asked
//! for, and read Kraken's envelope (data, errors with path and extensions).

use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use serde_json::Value;
use url::Url;

pub use super::codes::GqlError;
use super::http::{Failure, Http, Request, Response, RetryPolicy};
use crate::secret::Secret;

pub use super::model::HeaderForm;

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
    /// Errors whose field path (indexes skipped) starts with `prefix`.
    pub fn errors_under<'a>(&'a self, prefix: &'a [&str]) -> impl Iterator<Item = &'a GqlError> {
        self.errors
            .iter()
            .filter(move |e| e.field_path().starts_with(prefix))
    }
}

/// Why an answer could not be read as a GraphQL envelope.
#[derive(Debug, Clone)]
pub struct EnvelopeError {
    pub status: u16,
    pub reason: String,
    /// The retries it took to get this answer.
    pub retries: Vec<String>,
}

/// One GraphQL request's result: an envelope, an answer that is not one, or no answer.
pub type GqlResult = Result<Result<GqlReply, EnvelopeError>, Failure>;

/// Send one query; with `token` `None`, no Authorization header at all (introspection).
pub async fn query(
    http: &Http,
    url: &Url,
    token: Option<&Secret>,
    form: HeaderForm,
    document: &str,
    variables: &Value,
    label: String,
) -> GqlResult {
    let mut headers: Vec<(HeaderName, HeaderValue)> =
        vec![(CONTENT_TYPE, HeaderValue::from_static("application/json"))];
    if let Some(token) = token {
        let header = zeroize::Zeroizing::new(format!("{}{}", form.prefix(), token.expose()));
        let mut value =
            HeaderValue::from_str(&header).unwrap_or_else(|_| HeaderValue::from_static(""));
        value.set_sensitive(true);
        headers.push((AUTHORIZATION, value));
    }
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

/// Read Kraken's envelope. HTTP 200 and 400 may carry it, and so may a 401 or 403 (a refused
/// header); any other status, or a body that is not a JSON object with `data` or `errors`, is
/// an [`EnvelopeError`]. Never panics.
pub fn parse_envelope(response: Response, form: HeaderForm) -> Result<GqlReply, EnvelopeError> {
    let status = response.status;
    let retries = response.retries.clone();
    let fail = |reason: String| EnvelopeError {
        status,
        reason,
        retries: retries.clone(),
    };
    if !matches!(status, 200 | 400 | 401 | 403) {
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
        error_class: text(e.pointer("/extensions/errorClass")),
        has_extensions: e.get("extensions").is_some_and(Value::is_object),
        has_locations: e.get("locations").is_some_and(|l| !l.is_null()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kraken::codes::{self, ErrorClass};

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
        assert_eq!(
            r.errors[0].class(),
            ErrorClass::Denied(codes::DenialScope::Role)
        );
        let limited = reply(
            200,
            r#"{"data":null,"errors":[{"message":"Too many requests.","path":["property"],"extensions":{"errorType":"AUTHORIZATION","errorCode":"KT-CT-1199"}}]}"#,
        )
        .unwrap();
        assert_eq!(
            limited.errors[0].class(),
            ErrorClass::Throttled,
            "a rate limit is not a permission verdict"
        );
        let search = reply(
            200,
            r#"{"data":{"propertiesSearch":[{"property":{"id":"1","measurements":null}}]},"errors":[{"message":"Unauthorized.","path":["propertiesSearch",1,"property","measurements"],"extensions":{"errorType":"AUTHORIZATION","errorCode":"KT-CT-4177"}}]}"#,
        )
        .unwrap();
        assert_eq!(search.errors[0].list_index(), Some(1));
        assert_eq!(
            search.errors[0].field_path(),
            ["propertiesSearch", "property", "measurements"]
        );
    }

    #[test]
    fn non_envelopes_are_errors_not_answers() {
        assert!(reply(503, "<html>").is_err());
        assert!(reply(401, "<html>").is_err());
        assert!(reply(403, r#"{"errors":[{"message":"x"}]}"#).is_ok());
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
