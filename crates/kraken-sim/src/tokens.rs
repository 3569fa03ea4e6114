//! Access tokens: issued by the auth server (HS256 JWTs or opaque strings), checked by the API
//! as a Kraken does (issuer, signature, expiry), and refused the ways a scenario asks for —
//! every token with one code (another Kraken, keys unavailable), or the stale ones (keys
//! rotated, expired, invalidated) until the client fetches a fresh token.

use std::sync::atomic::Ordering;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{KeyInit, Mac};
use serde_json::json;
use sha2::Sha256;

use super::scenario::TokenFormat;
use super::state::{Shared, TokenRecord, now};

type HmacSha256 = hmac::Hmac<Sha256>;

fn random_string(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut bytes = vec![0u8; len];
    rand::fill(&mut bytes[..]);
    bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// Sign `header.payload` with HS256.
fn sign(key: &[u8], signing_input: &str) -> String {
    let mut mac = match HmacSha256::new_from_slice(key) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(signing_input.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// A new access token for `client_id` with this lifetime and format, recorded so the API
/// knows it. Returns the token.
pub(crate) fn issue(
    shared: &Shared,
    client_id: &str,
    lifetime: u64,
    format: TokenFormat,
) -> String {
    let iat = now();
    let exp = iat.saturating_add(i64::try_from(lifetime).unwrap_or(i64::MAX));
    let jti = random_string(32);
    let token = match format {
        TokenFormat::Opaque => random_string(30),
        TokenFormat::Jwt => {
            let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
            let claims = json!({
                "iss": shared.token_url(),
                "sub": client_id,
                "iat": iat,
                "exp": exp,
                "jti": jti,
            });
            let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
            let input = format!("{header}.{payload}");
            let sig = sign(&shared.jwt_key, &input);
            format!("{input}.{sig}")
        }
    };
    let key = if format == TokenFormat::Opaque {
        token.clone()
    } else {
        jti
    };
    // The first N tokens are stale from birth when the scenario counts them.
    let api = &shared.scenario.api;
    let serial = shared.next_token_serial();
    let refused = match (api.stale_token_code, api.stale_tokens) {
        (Some(code), Some(n)) if serial < n => Some(code.code()),
        _ => None,
    };
    shared.record_token(
        key,
        TokenRecord {
            client_id: client_id.to_string(),
            expires_at: exp,
            refused,
        },
        token.clone(),
    );
    token
}

/// What the API makes of a presented token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenCheck {
    /// A live token of this client.
    Valid(String),
    /// Refused with this Kraken error code.
    Refused(&'static str),
}

/// The token's lookup key and subject: a JWT checked for issuer, signature and expiry; any
/// other string is an opaque token, its own key.
fn verify(shared: &Shared, token: &str) -> Result<(String, Option<String>), &'static str> {
    let parts: Vec<&str> = token.split('.').collect();
    let [h, p, s] = parts[..] else {
        return Ok((token.to_string(), None));
    };
    let decode = |x: &str| {
        URL_SAFE_NO_PAD
            .decode(x)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
    };
    let (Some(_header), Some(claims)) = (decode(h), decode(p)) else {
        return Err("KT-CT-1143");
    };
    let claim = |k: &str| {
        claims
            .get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string()
    };
    if claim("iss") != shared.token_url() {
        return Err("KT-CT-1127");
    }
    let expected = sign(&shared.jwt_key, &format!("{h}.{p}"));
    let same = expected.len() == s.len()
        && expected
            .bytes()
            .zip(s.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err("KT-CT-1126");
    }
    if claims.get("exp").and_then(|v| v.as_i64()).unwrap_or(0) <= now() {
        return Err("KT-CT-1124");
    }
    Ok((claim("jti"), Some(claim("sub"))))
}

/// Check a token as the API does: the scenario's refusals, then issuer, signature and expiry.
pub(crate) fn check_token(shared: &Shared, token: &str) -> TokenCheck {
    let api = &shared.scenario.api;
    if let Some(code) = api.every_token_code {
        return TokenCheck::Refused(code.code());
    }
    let (key, sub) = match verify(shared, token) {
        Ok(found) => found,
        Err(code) => return TokenCheck::Refused(code),
    };
    let Some(rec) = shared.token_state(&key) else {
        return TokenCheck::Refused("KT-CT-1143");
    };
    if sub.is_some_and(|s| s != rec.client_id) {
        return TokenCheck::Refused("KT-CT-1143");
    }
    // The first token the API sees makes every token issued so far stale (unless the scenario
    // counts the stale tokens instead).
    if let (Some(code), None) = (api.stale_token_code, api.stale_tokens)
        && !shared.first_use_seen.swap(true, Ordering::SeqCst)
    {
        shared.refuse_issued_tokens(code.code());
        return TokenCheck::Refused(code.code());
    }
    match rec.refused {
        Some(code) => TokenCheck::Refused(code),
        None if rec.expires_at <= now() => TokenCheck::Refused("KT-CT-1124"),
        None => TokenCheck::Valid(rec.client_id),
    }
}
