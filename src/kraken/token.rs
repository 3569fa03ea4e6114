//! The token endpoint, as a client: send a grant, read the answer the way
//! django-oauth-toolkit gives it (200 with a token, or an OAuth error body).

use std::time::SystemTime;

use base64::Engine as _;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
use serde::Deserialize;
use url::Url;

use super::http::{Failure, Http, Request, Response, RetryPolicy};
use crate::redact::basic_credential;
use crate::secret::Secret;

/// How the client authenticates on the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientAuth {
    /// `client_id` and `client_secret` in the form body (`client_secret_post`, as documented).
    Body,
    /// HTTP Basic (`client_secret_basic`).
    Basic,
}

/// One token request.
pub struct TokenRequest<'a> {
    pub token_url: &'a Url,
    pub client_id: &'a str,
    /// `None`: send no secret at all.
    pub secret: Option<&'a Secret>,
    pub auth: ClientAuth,
    /// `client_credentials`, or `authorization_code` for the public-client probe.
    pub grant_type: &'a str,
    /// Extra form fields (e.g. `code`).
    pub extra: Vec<(&'a str, &'a str)>,
    pub label: String,
}

/// What the token endpoint said.
#[derive(Debug, Clone)]
pub enum TokenOutcome {
    /// 200 with an access token.
    Issued(IssuedToken),
    /// An OAuth error body (`{"error": ...}`), with its HTTP status.
    OAuthError {
        status: u16,
        error: String,
        description: Option<String>,
        www_authenticate: Option<String>,
    },
    /// Anything else: not the answer of an OAuth token endpoint.
    Unexpected { status: u16, reason: String },
}

/// A token as issued.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub access_token: Secret,
    pub token_type: Option<String>,
    pub expires_in: Option<i64>,
    pub scope: Option<String>,
    /// When the response arrived (local clock).
    pub received_at: SystemTime,
    /// The server's `Date` header, for clock skew.
    pub server_date: Option<SystemTime>,
    /// `Cache-Control` of the response.
    pub cache_control: Option<String>,
}

/// The answer and the exchange it came from.
#[derive(Debug, Clone)]
pub struct TokenReply {
    pub outcome: TokenOutcome,
    pub response: Response,
}

#[derive(Deserialize)]
struct RawToken {
    access_token: Option<serde_json::Value>,
    token_type: Option<String>,
    expires_in: Option<serde_json::Value>,
    scope: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

/// Send a token request. Every token received is registered with the run's redactor before
/// anything can print it.
pub async fn request_token(http: &Http, req: TokenRequest<'_>) -> Result<TokenReply, Failure> {
    let mut form: Vec<(&str, &str)> = vec![("grant_type", req.grant_type)];
    let mut headers: Vec<(HeaderName, HeaderValue)> = vec![(
        CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    )];
    match req.auth {
        ClientAuth::Body => {
            form.push(("client_id", req.client_id));
            if let Some(s) = req.secret {
                form.push(("client_secret", s.expose()));
            }
        }
        ClientAuth::Basic => {
            let secret = req.secret.cloned().unwrap_or_else(|| Secret::new(""));
            let cred = basic_credential(req.client_id, &secret);
            http.redactor().add(&cred);
            let mut value = HeaderValue::from_str(&format!("Basic {}", cred.expose()))
                .unwrap_or_else(|_| HeaderValue::from_static("Basic"));
            value.set_sensitive(true);
            headers.push((AUTHORIZATION, value));
        }
    }
    form.extend(req.extra.iter().copied());
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    let body = zeroize::Zeroizing::new(body);
    let response = http
        .post(&Request {
            url: req.token_url.clone(),
            headers,
            body: body.as_bytes().to_vec(),
            label: req.label,
            retry: RetryPolicy::Token,
        })
        .await?;
    let outcome = parse_token_response(&response);
    if let TokenOutcome::Issued(t) = &outcome {
        http.redactor().add(&t.access_token);
    }
    Ok(TokenReply { outcome, response })
}

/// Classify a token endpoint response. Never panics, whatever the body.
pub fn parse_token_response(resp: &Response) -> TokenOutcome {
    let status = resp.status;
    let raw: Option<RawToken> = serde_json::from_slice(&resp.body).ok();
    let Some(raw) = raw else {
        return TokenOutcome::Unexpected {
            status,
            reason: format!("not an OAuth JSON answer ({})", resp.body_excerpt()),
        };
    };
    if status == 200 {
        let token = match raw.access_token {
            Some(serde_json::Value::String(s)) if !s.is_empty() => s,
            _ => {
                return TokenOutcome::Unexpected {
                    status,
                    reason: "HTTP 200 without an access_token".into(),
                };
            }
        };
        let expires_in = raw.expires_in.and_then(|v| match v {
            serde_json::Value::Number(n) => n.as_i64(),
            serde_json::Value::String(s) => s.parse().ok(),
            _ => None,
        });
        return TokenOutcome::Issued(IssuedToken {
            access_token: Secret::new(token),
            token_type: raw.token_type,
            expires_in,
            scope: raw.scope,
            received_at: SystemTime::now(),
            server_date: resp
                .header("date")
                .and_then(|d| httpdate::parse_http_date(d).ok()),
            cache_control: resp.header("cache-control").map(str::to_string),
        });
    }
    match raw.error {
        Some(error) if (400..500).contains(&status) => TokenOutcome::OAuthError {
            status,
            error,
            description: raw.error_description,
            www_authenticate: resp.header("www-authenticate").map(str::to_string),
        },
        _ => TokenOutcome::Unexpected {
            status,
            reason: format!("HTTP {status} ({})", resp.body_excerpt()),
        },
    }
}

/// The claims kraken-doctor reads from a JWT access token (no signature check: the token is
/// the server's business; only the times are compared).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct JwtTimes {
    pub exp: Option<i64>,
    pub iat: Option<i64>,
    pub iss: Option<String>,
}

/// Read `exp`/`iat`/`iss` from a JWT's payload. `None` for an opaque token or any malformed
/// input.
pub fn jwt_times(token: &str) -> Option<JwtTimes> {
    let mut parts = token.split('.');
    let (_h, payload, _s) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || payload.len() > 16 * 1024 {
        return None;
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let num = |k: &str| {
        value.get(k).and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
        })
    };
    Some(JwtTimes {
        exp: num("exp"),
        iat: num("iat"),
        iss: value
            .get("iss")
            .and_then(|v| v.as_str())
            .map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, body: &str) -> Response {
        Response::from_body(status, body)
    }

    #[test]
    fn token_answers_are_classified() {
        match parse_token_response(&resp(
            200,
            r#"{"access_token":"t0k3n","expires_in":3600,"token_type":"Bearer","scope":"read"}"#,
        )) {
            TokenOutcome::Issued(t) => {
                assert_eq!(t.expires_in, Some(3600));
                assert_eq!(t.access_token.expose(), "t0k3n");
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            parse_token_response(&resp(401, r#"{"error": "invalid_client"}"#)),
            TokenOutcome::OAuthError { status: 401, ref error, .. } if error == "invalid_client"
        ));
        assert!(matches!(
            parse_token_response(&resp(503, "<html>down</html>")),
            TokenOutcome::Unexpected { status: 503, .. }
        ));
        assert!(matches!(
            parse_token_response(&resp(200, r#"{"access_token":"#)),
            TokenOutcome::Unexpected { .. }
        ));
        assert!(matches!(
            parse_token_response(&resp(500, r#"{"error":"server_error"}"#)),
            TokenOutcome::Unexpected { .. }
        ));
        assert!(matches!(
            parse_token_response(&resp(200, r#"{"expires_in":3600}"#)),
            TokenOutcome::Unexpected { .. }
        ));
    }

    #[test]
    fn jwt_times_read_payload_or_nothing() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"exp":1700003600,"iat":1700000000,"iss":"x"}"#);
        let t = jwt_times(&format!("aGVhZA.{payload}.c2ln")).unwrap();
        assert_eq!(t.exp, Some(1700003600));
        assert_eq!(t.iss.as_deref(), Some("x"));
        assert_eq!(jwt_times("opaque-token"), None);
        assert_eq!(jwt_times("a.b.c.d"), None);
        assert_eq!(jwt_times("a.!!!.c"), None);
    }
}
