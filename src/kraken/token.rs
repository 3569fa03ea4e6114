//! The token endpoint, as a client: send a grant, read the answer the way
//! django-oauth-toolkit gives it (200 with a token, or an OAuth error body).

use std::time::SystemTime;

use base64::Engine as _;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderName, HeaderValue};
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
    /// An OAuth error body (RFC 6749 §5.2: `{"error": ...}`), with its HTTP status.
    OAuthError {
        status: u16,
        error: String,
        description: Option<String>,
        /// `error_uri`: a page about the error, when the server gives one.
        uri: Option<String>,
        www_authenticate: Option<String>,
    },
    /// Anything else: not the answer of an OAuth token endpoint.
    Unexpected { status: u16, reason: String },
}

/// `expires_in` as the server sent it (RFC 6749 §5.1: RECOMMENDED, seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiresIn {
    /// Not in the answer (or `null`).
    Absent,
    /// A number of seconds, from a JSON number or a numeric string; a fraction is rounded
    /// down, a number beyond range saturates.
    Seconds(i64),
    /// Present, but neither a number nor a numeric string.
    Unreadable,
}

impl ExpiresIn {
    /// The seconds, when the server gave a readable number.
    pub fn seconds(self) -> Option<i64> {
        match self {
            ExpiresIn::Seconds(s) => Some(s),
            ExpiresIn::Absent | ExpiresIn::Unreadable => None,
        }
    }

    fn read(v: Option<&serde_json::Value>) -> ExpiresIn {
        use serde_json::Value;
        let from_f64 = |f: f64| {
            if f.is_finite() {
                // `as` saturates at i64's bounds.
                ExpiresIn::Seconds(f.floor() as i64)
            } else {
                ExpiresIn::Unreadable
            }
        };
        match v {
            None | Some(Value::Null) => ExpiresIn::Absent,
            Some(Value::Number(n)) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                (Some(i), _, _) => ExpiresIn::Seconds(i),
                (None, Some(_), _) => ExpiresIn::Seconds(i64::MAX),
                (None, None, Some(f)) => from_f64(f),
                _ => ExpiresIn::Unreadable,
            },
            Some(Value::String(s)) => {
                let s = s.trim();
                match (s.parse::<i64>(), s.parse::<f64>()) {
                    (Ok(i), _) => ExpiresIn::Seconds(i),
                    (Err(_), Ok(f)) if !s.is_empty() => from_f64(f),
                    _ => ExpiresIn::Unreadable,
                }
            }
            Some(_) => ExpiresIn::Unreadable,
        }
    }
}

/// A token as issued.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub access_token: Secret,
    /// `token_type` as sent (compare with [`IssuedToken::is_bearer`]: RFC 6749 §5.1 makes it
    /// case-insensitive).
    pub token_type: Option<String>,
    /// `expires_in` in seconds, when readable (see [`IssuedToken::expires`]).
    pub expires_in: Option<i64>,
    /// `expires_in` as sent: absent, seconds, or unreadable.
    pub expires: ExpiresIn,
    /// The granted scope, space-delimited (RFC 6749 §3.3).
    pub scope: Option<String>,
    /// Whether the answer carried a refresh token (never kept: the client-credentials grant
    /// should not issue one, RFC 6749 §4.4.3).
    pub refresh_token: bool,
    /// When the response arrived (local clock).
    pub received_at: SystemTime,
    /// The server's `Date` header, for clock skew.
    pub server_date: Option<SystemTime>,
    /// `Cache-Control` of the response.
    pub cache_control: Option<String>,
}

impl IssuedToken {
    /// `token_type` is `Bearer`, in any case (RFC 6749 §5.1, §7.1).
    pub fn is_bearer(&self) -> bool {
        self.token_type
            .as_deref()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("bearer"))
    }
}

/// The answer and the exchange it came from.
#[derive(Debug, Clone)]
pub struct TokenReply {
    pub outcome: TokenOutcome,
    pub response: Response,
}

/// The request's form fields and headers, built as RFC 6749 writes them: the form
/// `application/x-www-form-urlencoded` (Appendix B) with `grant_type` (§4.4.2), client
/// credentials in the body (§2.3.1) or as HTTP Basic over the form-encoded id and secret
/// (§2.3.1), and `Accept: application/json`. The body is zeroized when dropped.
pub struct BuiltRequest {
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: zeroize::Zeroizing<String>,
    /// The Basic credential sent, for the redactor.
    pub basic: Option<Secret>,
}

/// Build the bytes of one token request (no I/O).
pub fn build_request(req: &TokenRequest<'_>) -> BuiltRequest {
    let mut form: Vec<(&str, &str)> = vec![("grant_type", req.grant_type)];
    let mut headers: Vec<(HeaderName, HeaderValue)> = vec![
        (
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        ),
        (ACCEPT, HeaderValue::from_static("application/json")),
    ];
    let mut basic = None;
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
            // Base64 and the scheme are ASCII: the value is always a valid header.
            let mut value = HeaderValue::from_str(&format!("Basic {}", cred.expose()))
                .unwrap_or_else(|_| HeaderValue::from_static("Basic"));
            value.set_sensitive(true);
            headers.push((AUTHORIZATION, value));
            basic = Some(cred);
        }
    }
    form.extend(req.extra.iter().copied());
    let body: String = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(form)
        .finish();
    BuiltRequest {
        headers,
        body: zeroize::Zeroizing::new(body),
        basic,
    }
}

/// Whether `application/x-www-form-urlencoded` changes either value: then HTTP Basic carries
/// them encoded (RFC 6749 §2.3.1), and a server that skips the decoding sees other values.
pub fn form_encoding_changes(client_id: &str, secret: &str) -> bool {
    [client_id, secret].iter().any(|v| {
        v.bytes()
            .any(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_')))
    })
}

/// Send a token request. Every token received is registered with the run's redactor before
/// anything can print it.
pub async fn request_token(http: &Http, req: TokenRequest<'_>) -> Result<TokenReply, Failure> {
    let built = build_request(&req);
    if let Some(cred) = &built.basic {
        http.redactor().add(cred);
    }
    let response = http
        .post(&Request {
            url: req.token_url.clone(),
            headers: built.headers,
            body: built.body.as_bytes().to_vec(),
            label: req.label,
            retry: RetryPolicy::Token,
        })
        .await?;
    // Register every token the answer carries, whatever the outcome says about it.
    if let Some(obj) = json_object(&response.body) {
        for key in ["access_token", "refresh_token", "id_token"] {
            if let Some(serde_json::Value::String(t)) = obj.get(key) {
                http.redactor().add(&Secret::new(t.clone()));
            }
        }
    }
    let outcome = parse_token_response(&response);
    Ok(TokenReply { outcome, response })
}

/// The body as a JSON object: a UTF-8 byte-order mark and surrounding whitespace are
/// ignored (RFC 8259 §8.1 lets a parser ignore the mark); anything but an object is `None`.
fn json_object(body: &[u8]) -> Option<serde_json::Map<String, serde_json::Value>> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    match serde_json::from_slice(body).ok()? {
        serde_json::Value::Object(map) => Some(map),
        _ => None,
    }
}

/// Classify a token endpoint response (RFC 6749 §5.1, §5.2). Unknown fields are ignored;
/// a field in an unexpected form is read as leniently as its meaning allows. Never panics,
/// whatever the body.
pub fn parse_token_response(resp: &Response) -> TokenOutcome {
    let status = resp.status;
    let Some(obj) = json_object(&resp.body) else {
        return TokenOutcome::Unexpected {
            status,
            reason: format!("not an OAuth JSON answer ({})", resp.body_excerpt()),
        };
    };
    let text = |k: &str| match obj.get(k) {
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let access_token = text("access_token").filter(|t| !t.is_empty());
    let error = text("error").filter(|e| !e.trim().is_empty());
    if status == 200
        && let Some(token) = access_token
    {
        let expires = ExpiresIn::read(obj.get("expires_in"));
        // §3.3 says a space-delimited string; a list of strings is read as the same scopes.
        let scope = match obj.get("scope") {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Array(items)) => Some(
                items
                    .iter()
                    .filter_map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => None,
        };
        return TokenOutcome::Issued(IssuedToken {
            access_token: Secret::new(token),
            token_type: text("token_type"),
            expires_in: expires.seconds(),
            expires,
            scope,
            refresh_token: obj.get("refresh_token").is_some_and(|v| !v.is_null()),
            received_at: SystemTime::now(),
            server_date: resp
                .header("date")
                .and_then(|d| httpdate::parse_http_date(d).ok()),
            cache_control: resp.header("cache-control").map(str::to_string),
        });
    }
    // §5.2: 400 (or 401 for client authentication) with `error`; a 200 that carries an
    // error and no token is read as that error too. A 5xx is a fault, whatever its body.
    match error {
        Some(error) if (400..500).contains(&status) || status == 200 => TokenOutcome::OAuthError {
            status,
            error,
            description: text("error_description"),
            uri: text("error_uri"),
            www_authenticate: resp.header("www-authenticate").map(str::to_string),
        },
        _ if status == 200 => TokenOutcome::Unexpected {
            status,
            reason: "HTTP 200 without an access_token".into(),
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
mod tests;
