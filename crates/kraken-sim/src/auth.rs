//! The simulated auth server: `/token/` answering as django-oauth-toolkit 3.x over oauthlib
//! does (statuses, bodies and headers byte for byte where they were observed). The tokens it
//! hands out are made in [`super::tokens`].

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::scenario::{ClientType, GrantType};
use super::state::{ClientLabel, Shared};
use super::tokens;

/// A secret as the server keeps it: a random salt and SHA-256(salt || secret).
#[derive(Clone)]
pub(crate) struct SecretHash {
    salt: [u8; 16],
    digest: [u8; 32],
}

impl SecretHash {
    pub(crate) fn new(secret: &str) -> Self {
        let mut salt = [0u8; 16];
        rand::fill(&mut salt);
        SecretHash {
            salt,
            digest: Self::digest(&salt, secret),
        }
    }

    fn digest(salt: &[u8; 16], secret: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(salt);
        h.update(secret.as_bytes());
        h.finalize().into()
    }

    /// Constant-time comparison of the candidate's digest with the stored one.
    pub(crate) fn matches(&self, candidate: &str) -> bool {
        let d = Self::digest(&self.salt, candidate);
        d.iter()
            .zip(self.digest.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

fn oauth_json(status: StatusCode, body: serde_json::Value) -> Response {
    let mut r = Response::new(Body::from(body.to_string()));
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    r
}

fn oauth_error(status: StatusCode, error: &str) -> Response {
    // json! writes `{"error":"x"}`; Django's json.dumps writes `{"error": "x"}`.
    let mut r = oauth_json(status, json!({}));
    *r.body_mut() = Body::from(format!("{{\"error\": \"{error}\"}}"));
    r
}

fn invalid_client() -> Response {
    let mut r = oauth_error(StatusCode::UNAUTHORIZED, "invalid_client");
    r.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_client\""),
    );
    r
}

/// `/token` without the slash: Django's APPEND_SLASH redirect.
pub(crate) async fn token_no_slash() -> Response {
    let mut r = Response::new(Body::empty());
    *r.status_mut() = StatusCode::MOVED_PERMANENTLY;
    r.headers_mut()
        .insert(header::LOCATION, HeaderValue::from_static("/token/"));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    r
}

/// Every method on `/token/`.
pub(crate) async fn token(
    axum::extract::State(shared): axum::extract::State<std::sync::Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method == Method::OPTIONS || method != Method::POST {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = if method == Method::OPTIONS {
            StatusCode::OK
        } else {
            StatusCode::METHOD_NOT_ALLOWED
        };
        let h = r.headers_mut();
        h.insert(header::ALLOW, HeaderValue::from_static("POST, OPTIONS"));
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        return r;
    }
    token_post(&shared, &uri, &headers, &body)
}

/// Last value wins for each key, as Django's QueryDict.get does.
fn form_value<'a>(form: &'a [(String, String)], key: &str) -> Option<&'a str> {
    form.iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// `(client_id, client_secret)` from an HTTP Basic header, if well formed.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD.decode(encoded.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    // Each half is form-decoded as django-oauth-toolkit does (`unquote_plus`: `+` is a
    // space, `%XX` a byte), so a client that sends them unencoded is refused as there.
    let unquote = |s: &str| {
        url::form_urlencoded::parse(format!("x={}", s.replace('&', "%26")).as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((unquote(id)?, unquote(secret)?))
}

fn token_post(shared: &Shared, uri: &Uri, headers: &HeaderMap, body: &[u8]) -> Response {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let basic = basic_credentials(headers);
    let label = basic
        .as_ref()
        .map(|(id, _)| id.clone())
        .or_else(|| form_value(&form, "client_id").map(str::to_string));
    let mut response = token_outcome(shared, uri, headers, &form, basic);
    if let Some(id) = label {
        response.extensions_mut().insert(ClientLabel(id));
    }
    response
}

fn token_outcome(
    shared: &Shared,
    uri: &Uri,
    headers: &HeaderMap,
    form: &[(String, String)],
    basic: Option<(String, String)>,
) -> Response {
    if uri.query().is_some_and(|q| !q.is_empty()) {
        let mut r = oauth_json(StatusCode::BAD_REQUEST, json!({}));
        *r.body_mut() = Body::from(
            "{\"error\": \"invalid_request\", \"error_description\": \"URL query parameters are not allowed\"}",
        );
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        // DOT's error here carries no cache headers (seen against the real server).
        h.remove(header::CACHE_CONTROL);
        h.remove(header::PRAGMA);
        return r;
    }
    let grant = form_value(form, "grant_type").unwrap_or("");
    let requested = match grant {
        "client_credentials" => GrantType::ClientCredentials,
        "authorization_code" => GrantType::AuthorizationCode,
        "password" | "refresh_token" => GrantType::Password,
        _ => return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type"),
    };
    let body_id = form_value(form, "client_id");
    let body_secret = form_value(form, "client_secret");
    let has_basic_header = headers.contains_key(header::AUTHORIZATION);

    let authenticated = |id: &str, secret: Option<&str>| -> bool {
        shared.with_app(id, |app| {
            app.spec.registered
                && app.spec.enabled
                && if app.spec.secret_checked {
                    secret.is_some_and(|s| app.secret.matches(s))
                } else {
                    // A blanked secret is hashed like any other (DOT's make_password("")):
                    // only an empty or absent secret matches, never the one the user holds.
                    secret.is_none_or(str::is_empty)
                }
        }) == Some(true)
    };
    // django-oauth-toolkit tries HTTP Basic first, then the form body.
    let authenticate = || -> Option<String> {
        if let Some((id, secret)) = &basic
            && authenticated(id, Some(secret))
        {
            return Some(id.clone());
        }
        let id = body_id?;
        authenticated(id, body_secret).then(|| id.to_string())
    };

    let client_id = if requested == GrantType::AuthorizationCode {
        // A public client may redeem a code without authenticating; the client type shows here.
        let public = body_id.and_then(|id| {
            shared.with_app(id, |a| {
                a.spec.registered && a.spec.enabled && a.spec.client_type == ClientType::Public
            })
        }) == Some(true);
        let needs_auth = has_basic_header || body_secret.is_some() || !public;
        if needs_auth {
            match authenticate() {
                Some(id) => id,
                None => return invalid_client(),
            }
        } else {
            body_id.unwrap_or_default().to_string()
        }
    } else {
        match authenticate() {
            Some(id) => id,
            None => return invalid_client(),
        }
    };
    let Some(app_grant) = shared.with_app(&client_id, |a| a.spec.grant_type) else {
        return invalid_client();
    };
    if app_grant != requested {
        return oauth_error(StatusCode::BAD_REQUEST, "unauthorized_client");
    }
    match requested {
        GrantType::ClientCredentials => issue(shared, &client_id),
        GrantType::AuthorizationCode if form_value(form, "code").is_none() => {
            let mut r = oauth_error(StatusCode::BAD_REQUEST, "invalid_request");
            *r.body_mut() = Body::from(
                "{\"error\": \"invalid_request\", \"error_description\": \"Missing code parameter.\"}",
            );
            r
        }
        _ => oauth_error(StatusCode::BAD_REQUEST, "invalid_grant"),
    }
}

fn issue(shared: &Shared, client_id: &str) -> Response {
    let Some((lifetime, format)) =
        shared.with_app(client_id, |a| (a.spec.token_lifetime, a.spec.token_format))
    else {
        return invalid_client();
    };
    let token = tokens::issue(shared, client_id, lifetime, format);
    oauth_json(
        StatusCode::OK,
        json!({
            "access_token": token,
            "expires_in": lifetime,
            "token_type": "Bearer",
            "scope": "read write",
        }),
    )
}
