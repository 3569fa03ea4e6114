//! The `auth.*` checks: the token endpoint's answers to the documented request, HTTP Basic,
//! and the three requests a confidential client must see refused.

use super::{Gate, Prerequisite, Verdict, base_vars, gate, gated, millis};
use crate::kraken::token::TokenOutcome;
use crate::report::Evidence as ReportEvidence;
use crate::runner::classes::{
    Authenticated, ExpClass, LifetimeClass, MethodClass, RefusalClass, SkewClass, TokenClass,
};
use crate::runner::evidence::{Evidence, TokenExchange};
use crate::runner::view::Seen;
use crate::runner::view::token::{self as tv, LifetimeSeen};

pub fn decide_reachable(t: TokenClass) -> &'static str {
    match t {
        TokenClass::Issued
        | TokenClass::InvalidClient
        | TokenClass::UnauthorizedClient
        | TokenClass::OtherOAuth => "pass",
        TokenClass::NotOAuth => "not-oauth",
        TokenClass::Unexpected | TokenClass::Fault | TokenClass::NotSent => "unreachable",
    }
}

pub fn decide_token(t: TokenClass) -> &'static str {
    match t {
        TokenClass::Issued => "pass",
        TokenClass::InvalidClient => "invalid-client",
        TokenClass::UnauthorizedClient => "unauthorized-client",
        TokenClass::OtherOAuth => "oauth-error",
        TokenClass::NotOAuth | TokenClass::Unexpected => "unexpected",
        TokenClass::Fault | TokenClass::NotSent => "no-answer",
    }
}

pub fn decide_confidential(
    no_secret: RefusalClass,
    wrong_secret: RefusalClass,
    public: RefusalClass,
    authenticated: Authenticated,
) -> &'static str {
    let all = [no_secret, wrong_secret, public];
    if all.contains(&RefusalClass::Issued) {
        "token-without-secret"
    } else if public == RefusalClass::Processed {
        "public-client"
    } else if all.iter().any(|c| *c != RefusalClass::Refused) {
        "error"
    } else {
        match authenticated {
            Authenticated::Yes => "pass",
            Authenticated::No => "undecided",
            Authenticated::Unknown => "error",
        }
    }
}

/// `encoded`: form-encoding changes the client id or secret, so HTTP Basic carries them
/// encoded (RFC 6749 §2.3.1) and a server that does not decode them sees other values.
pub fn decide_methods(body: MethodClass, basic: MethodClass, encoded: bool) -> &'static str {
    match (body, basic) {
        (MethodClass::Works, MethodClass::Works) => "pass",
        (MethodClass::Works, MethodClass::Refused) if encoded => "basic-encoding",
        (MethodClass::Works, MethodClass::Refused) => "body-only",
        (MethodClass::Refused, MethodClass::Works) => "basic-only",
        (MethodClass::Refused, MethodClass::Refused) => "neither",
        _ => "error",
    }
}

pub fn decide_lifetime(
    lifetime: LifetimeClass,
    exp: ExpClass,
    skew: SkewClass,
    expired_early: bool,
) -> &'static str {
    if lifetime == LifetimeClass::Missing {
        "missing"
    } else if lifetime != LifetimeClass::Normal
        || exp == ExpClass::Disagrees
        || skew == SkewClass::Large
        || expired_early
    {
        "odd"
    } else {
        "pass"
    }
}

/// The evidence of one token exchange: status, OAuth error, WWW-Authenticate, retries.
fn token_evidence(r: &Option<TokenExchange>) -> (ReportEvidence, u64) {
    let mut ev = ReportEvidence::default();
    match r {
        Some(Ok(reply)) => {
            ev.http_status = Some(reply.response.status);
            if let TokenOutcome::OAuthError {
                error,
                description,
                uri,
                www_authenticate,
                ..
            } = &reply.outcome
            {
                ev.oauth_error = Some(error.clone());
                if let Some(d) = description {
                    ev.notes.push(format!("error_description: {d}"));
                }
                if let Some(u) = uri {
                    ev.notes.push(format!("error_uri: {u}"));
                }
                if let Some(w) = www_authenticate {
                    ev.notes.push(format!("WWW-Authenticate: {w}"));
                }
            }
            ev.notes.extend(reply.response.retries.iter().cloned());
            (ev, millis(reply.response.elapsed))
        }
        Some(Err(f)) => {
            ev.notes.extend(f.retries.iter().cloned());
            (ev, 0)
        }
        None => (ev, 0),
    }
}

fn with_token_evidence(v: Verdict, r: &Option<TokenExchange>) -> Verdict {
    let (e, ms) = token_evidence(r);
    Verdict { evidence: e, ..v }.took(ms)
}

pub fn reachable(ev: &Evidence) -> Verdict {
    let t = tv::token(&ev.tokens.documented);
    let mut v = Verdict::new(decide_reachable(t.class), base_vars(ev))
        .var("reason", t.detail.clone())
        .var(
            "transport_note",
            if ev.token_url.scheme() == "http" {
                " (plain http: loopback only)"
            } else {
                " over HTTPS"
            },
        );
    if let Some(s) = t.http_status {
        v = v.var("http_status", s.to_string());
    }
    with_token_evidence(v, &ev.tokens.documented)
}

pub fn token(ev: &Evidence) -> Verdict {
    if let g @ Gate::NotRun { .. } = gate(ev, &[Prerequisite::Reachable])
        && let Some(v) = gated(ev, g)
    {
        return v;
    }
    let r = &ev.tokens.documented;
    let t = tv::token(r);
    let mut v = Verdict::new(decide_token(t.class), base_vars(ev)).var("reason", t.detail.clone());
    if let Some(Ok(reply)) = r {
        match &reply.outcome {
            TokenOutcome::Issued(tok) => {
                v = v
                    .var(
                        "token_type",
                        tok.token_type.as_deref().unwrap_or("(no token_type)"),
                    )
                    .var(
                        "expires_in",
                        tok.expires_in
                            .map_or("(not given)".into(), |s| format!("{s} s")),
                    );
            }
            TokenOutcome::OAuthError {
                error,
                status,
                description,
                ..
            } => {
                v = v
                    .var("http_status", status.to_string())
                    .var("oauth_error", error.clone())
                    .var(
                        "oauth_description",
                        description
                            .as_ref()
                            .map_or(String::new(), |d| format!(": {d}")),
                    );
            }
            TokenOutcome::Unexpected { .. } => {}
        }
    }
    let v = with_token_evidence(v, r);
    v.notes(ev.credential_notes.iter().cloned())
}

pub fn confidential(ev: &Evidence) -> Verdict {
    if let g @ Gate::NotRun { .. } = gate(ev, &[Prerequisite::Reachable])
        && let Some(v) = gated(ev, g)
    {
        return v;
    }
    let t = &ev.tokens;
    let probes: [(&str, &Option<TokenExchange>, Seen<RefusalClass>); 3] = [
        ("no secret", &t.no_secret, tv::refusal(&t.no_secret, false)),
        (
            "wrong secret",
            &t.wrong_secret,
            tv::refusal(&t.wrong_secret, false),
        ),
        (
            "public-client probe (authorization_code, no secret)",
            &t.public_probe,
            tv::refusal(&t.public_probe, true),
        ),
    ];
    let authenticated = tv::authenticated(ev);
    let outcome = decide_confidential(
        probes[0].2.class,
        probes[1].2.class,
        probes[2].2.class,
        authenticated,
    );
    let mut v = Verdict::new(outcome, base_vars(ev));
    let mut ms = 0;
    for (name, r, seen) in &probes {
        let (e, took) = token_evidence(r);
        ms = ms.max(took);
        v = v
            .notes([format!("{name} → {}", seen.detail)])
            .notes(e.notes);
    }
    let issued: Vec<&str> = probes
        .iter()
        .filter(|p| p.2.class == RefusalClass::Issued)
        .map(|p| p.0)
        .collect();
    let how = match issued.as_slice() {
        [one] if one.starts_with("public") => {
            "to a request with no secret (authorization_code)".to_string()
        }
        [one] => format!("to a request with {one}"),
        many => format!("to requests with {}", many.join(" and ")),
    };
    v = v.var("how", how);
    let undecided = probes
        .iter()
        .find(|p| p.2.class != RefusalClass::Refused)
        .map(|p| format!("{}: {}", p.0, p.2.detail));
    let reason = match (outcome, undecided) {
        ("error", Some(u)) => u,
        _ => "the client's own secret got no clear answer (see auth.token)".to_string(),
    };
    v = v.var("reason", reason);
    match outcome {
        "public-client" => {
            let (e, _) = token_evidence(&t.public_probe);
            v.evidence.http_status = e.http_status;
            v.evidence.oauth_error = e.oauth_error.clone();
            v = v
                .var("http_status", e.http_status.unwrap_or(400).to_string())
                .var("oauth_error", e.oauth_error.unwrap_or_default());
        }
        "token-without-secret" => v.evidence.http_status = Some(200),
        "pass" => {
            v.evidence.http_status = Some(401);
            v.evidence.oauth_error = Some("invalid_client".into());
        }
        _ => {}
    }
    v.took(ms)
}

pub fn methods(ev: &Evidence) -> Verdict {
    if let g @ Gate::NotRun { .. } = gate(ev, &[Prerequisite::Reachable])
        && let Some(v) = gated(ev, g)
    {
        return v;
    }
    let body = tv::method(&ev.tokens.documented);
    let basic = tv::method(&ev.tokens.basic);
    let outcome = decide_methods(body.class, basic.class, ev.basic_encoding_matters);
    let reason = if body.class == MethodClass::Unknown {
        body.detail.clone()
    } else {
        basic.detail.clone()
    };
    let (eb, mb) = token_evidence(&ev.tokens.documented);
    let (ea, ma) = token_evidence(&ev.tokens.basic);
    let mut v = Verdict::new(outcome, base_vars(ev));
    v.evidence.http_status = eb.http_status;
    v.var("body_result", body.detail.clone())
        .var("basic_result", basic.detail.clone())
        .var("reason", reason)
        .notes([
            format!("form body (client_secret_post) → {}", body.detail),
            format!("HTTP Basic (client_secret_basic) → {}", basic.detail),
        ])
        .notes(eb.notes)
        .notes(ea.notes)
        .took(mb.max(ma))
}

/// The problems a lifetime shows, in words.
fn problems(l: &LifetimeSeen, refetch_note: Option<String>) -> Vec<String> {
    let mut out = Vec::new();
    let s = l.expires_in.unwrap_or(0);
    match l.lifetime {
        LifetimeClass::Dead => out.push(format!("expires_in is {s}: the token is dead on arrival")),
        LifetimeClass::Short => out.push(format!(
            "expires_in is only {s} s: fetch a fresh token right before each job"
        )),
        LifetimeClass::Long => out.push(format!(
            "expires_in is {s} s: a token that lives over a day is a bigger risk if it leaks"
        )),
        LifetimeClass::Unreadable => {
            out.push("expires_in is present but is not a number of seconds".to_string())
        }
        LifetimeClass::Missing | LifetimeClass::Normal => {}
    }
    if l.exp == ExpClass::Disagrees {
        out.push(format!(
            "JWT exp and expires_in disagree by {} s",
            l.exp_diff.unwrap_or(0)
        ));
    }
    if l.skew == SkewClass::Large {
        out.push(format!(
            "this machine's clock is {} s off the auth server's (Date header)",
            l.skew_secs.unwrap_or(0)
        ));
    }
    if let Some(note) = refetch_note.filter(|_| l.expired_early) {
        out.push(format!(
            "the token expired long before expires_in ({s} s) said: {note}"
        ));
    }
    out
}

pub fn lifetime(ev: &Evidence) -> Verdict {
    if let Some(v) = gated(
        ev,
        gate(ev, &[Prerequisite::Reachable, Prerequisite::Token]),
    ) {
        return v;
    }
    let Some(l) = tv::lifetime(ev) else {
        return Verdict::new("error", base_vars(ev))
            .var("reason", "no token was issued to inspect");
    };
    let outcome = decide_lifetime(l.lifetime, l.exp, l.skew, l.expired_early);
    let refetch = crate::runner::view::accept::refetch(ev).detail;
    let jwt_note = match (l.exp, l.exp_diff) {
        (ExpClass::Opaque, _) => " (opaque token: no exp to compare)".to_string(),
        (ExpClass::NoExp, _) => "; JWT without exp".to_string(),
        (_, Some(d)) => format!("; JWT exp agrees within {} s", d.abs()),
        (_, None) => "; JWT with exp".to_string(),
    };
    let skew_note = l
        .skew_secs
        .map_or(String::new(), |s| format!("; clock skew {} s", s.abs()));
    let (e, ms) = token_evidence(&ev.tokens.documented);
    Verdict::new(outcome, base_vars(ev))
        .var(
            "expires_in",
            l.expires_in.map_or("?".to_string(), |s| s.to_string()),
        )
        .var("problem", problems(&l, Some(refetch)).join("; "))
        .var("jwt_note", jwt_note)
        .var("skew_note", skew_note)
        .notes(e.notes)
        .notes(l.notes.clone())
        .took(ms)
}
