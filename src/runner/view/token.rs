//! The token endpoint's answers, classified for the `auth.*` checks.

use std::time::SystemTime;

use super::Seen;
use crate::kraken::token::{self, ExpiresIn, TokenOutcome};
use crate::runner::classes::{
    Authenticated, ExpClass, LifetimeClass, MethodClass, RefusalClass, SkewClass, TokenClass,
};
use crate::runner::evidence::{Evidence, TokenExchange};
use crate::time::unix;

/// One token request's answer.
pub fn token(r: &Option<TokenExchange>) -> Seen<TokenClass> {
    match r {
        None => Seen::new(TokenClass::NotSent, "not sent"),
        Some(Err(f)) => Seen::new(TokenClass::Fault, f.to_string()),
        Some(Ok(reply)) => {
            let status = reply.response.status;
            let seen = |c, d: String| Seen::new(c, d).with_status(status);
            match &reply.outcome {
                TokenOutcome::Issued(_) => {
                    seen(TokenClass::Issued, format!("HTTP {status} with a token"))
                }
                TokenOutcome::OAuthError { error, .. } => {
                    let class = match error.as_str() {
                        "invalid_client" => TokenClass::InvalidClient,
                        "unauthorized_client" => TokenClass::UnauthorizedClient,
                        _ => TokenClass::OtherOAuth,
                    };
                    seen(class, format!("HTTP {status} {error}"))
                }
                TokenOutcome::Unexpected { status, reason } => {
                    let class = if matches!(status, 300..=399 | 404 | 405) {
                        TokenClass::NotOAuth
                    } else {
                        TokenClass::Unexpected
                    };
                    seen(class, reason.clone())
                }
            }
        }
    }
}

/// Whether the client proved it holds its secret, by the documented or the Basic request.
pub fn authenticated(ev: &Evidence) -> Authenticated {
    let answers = [token(&ev.tokens.documented), token(&ev.tokens.basic)];
    let classes = answers.map(|s| s.class);
    if classes
        .iter()
        .any(|c| matches!(c, TokenClass::Issued | TokenClass::UnauthorizedClient))
    {
        Authenticated::Yes
    } else if classes[0] == TokenClass::InvalidClient {
        Authenticated::No
    } else {
        Authenticated::Unknown
    }
}

/// A request of `auth.confidential`, which must be refused. `public_probe`: the
/// `authorization_code` request, whose 400 reveals a public client.
pub fn refusal(r: &Option<TokenExchange>, public_probe: bool) -> Seen<RefusalClass> {
    let t = token(r);
    let class = match (t.class, t.http_status) {
        (TokenClass::NotSent, _) => RefusalClass::NotSent,
        (TokenClass::Fault, _) => RefusalClass::Fault,
        (TokenClass::Issued, _) => RefusalClass::Issued,
        (TokenClass::InvalidClient, _) => RefusalClass::Refused,
        (TokenClass::UnauthorizedClient | TokenClass::OtherOAuth, Some(400)) if public_probe => {
            match r {
                Some(Ok(reply)) => match &reply.outcome {
                    TokenOutcome::OAuthError { error, .. }
                        if matches!(
                            error.as_str(),
                            "unauthorized_client" | "invalid_grant" | "invalid_request"
                        ) =>
                    {
                        RefusalClass::Processed
                    }
                    _ => RefusalClass::Unexpected,
                },
                _ => RefusalClass::Unexpected,
            }
        }
        _ => RefusalClass::Unexpected,
    };
    t.map(|_| class)
}

/// One client-authentication method of `auth.methods`.
pub fn method(r: &Option<TokenExchange>) -> Seen<MethodClass> {
    let t = token(r);
    let class = match t.class {
        TokenClass::Issued => MethodClass::Works,
        TokenClass::InvalidClient | TokenClass::UnauthorizedClient | TokenClass::OtherOAuth => {
            MethodClass::Refused
        }
        _ => MethodClass::Unknown,
    };
    t.map(|_| class)
}

/// What `auth.token-lifetime` reads off the issued token.
#[derive(Debug, Clone, PartialEq)]
pub struct LifetimeSeen {
    pub lifetime: LifetimeClass,
    pub exp: ExpClass,
    pub skew: SkewClass,
    /// A stale-token refusal of the API shortly after issue (KT-CT-1124 mid-run).
    pub expired_early: bool,
    pub expires_in: Option<i64>,
    /// `exp` minus (received + expires_in), for a JWT with `exp`.
    pub exp_diff: Option<i64>,
    /// This machine's clock minus the server's `Date`.
    pub skew_secs: Option<i64>,
    /// Lines for the report's evidence.
    pub notes: Vec<String>,
}

/// The issued token's lifetime facts; `None` when no token was issued.
pub fn lifetime(ev: &Evidence) -> Option<LifetimeSeen> {
    let t = ev.issued()?;
    let mut notes = Vec::new();
    let received = unix(t.received_at);
    let jwt = token::jwt_times(t.access_token.expose());
    // RFC 6749 §5.1: expires_in is RECOMMENDED; without it, a JWT's exp still tells.
    let expires_in = match (t.expires, jwt.as_ref().and_then(|j| j.exp)) {
        (ExpiresIn::Seconds(s), _) => Some(s),
        (ExpiresIn::Absent, Some(exp)) => {
            let left = exp.saturating_sub(received);
            notes.push(format!(
                "no expires_in; the JWT's exp says {left} s from receipt"
            ));
            Some(left)
        }
        (ExpiresIn::Absent | ExpiresIn::Unreadable, _) => None,
    };
    let class = match (t.expires, expires_in) {
        (ExpiresIn::Unreadable, _) => LifetimeClass::Unreadable,
        (_, None) => LifetimeClass::Missing,
        (_, Some(s)) if s <= 0 => LifetimeClass::Dead,
        (_, Some(s)) if s < 300 => LifetimeClass::Short,
        (_, Some(s)) if s > 86_400 => LifetimeClass::Long,
        (_, Some(_)) => LifetimeClass::Normal,
    };
    let (exp, exp_diff) = match jwt {
        None => (ExpClass::Opaque, None),
        Some(times) => match (times.exp, t.expires.seconds()) {
            (Some(exp), Some(expires_in)) => {
                let expected = received.saturating_add(expires_in);
                notes.push(format!(
                    "JWT exp {exp}, received at {received} + expires_in {expires_in} = {expected}"
                ));
                let diff = exp.saturating_sub(expected);
                let class = if diff.abs() > 120 {
                    ExpClass::Disagrees
                } else {
                    ExpClass::Agrees
                };
                (class, Some(diff))
            }
            (Some(_), None) => (ExpClass::Agrees, None),
            (None, _) => (ExpClass::NoExp, None),
        },
    };
    let skew_secs = t.server_date.map(|d: SystemTime| received - unix(d));
    let skew = match skew_secs {
        None => SkewClass::Unknown,
        Some(s) => {
            notes.push(format!("clock skew to the server: {s} s"));
            if s.abs() > 60 {
                SkewClass::Large
            } else {
                SkewClass::Small
            }
        }
    };
    let expired_early = ev.refetch.as_ref().is_some_and(|r| r.code == "KT-CT-1124");
    Some(LifetimeSeen {
        lifetime: class,
        exp,
        skew,
        expired_early,
        expires_in,
        exp_diff,
        skew_secs,
        notes,
    })
}
