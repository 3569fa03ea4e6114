//! The RFC 6749 conformance table of the token client, section by section: each row a request
//! kraken-doctor builds or an answer it reads, and what it must do. The rows where
//! django-oauth-toolkit departs from the letter of the RFC, or where its reading matters, are
//! proven against the real server in tests/integration/interop.rs (`rfc6749_rows_hold_...`).
//! Here the requests (§2.3.1, §3.2, §4.4.2); the answers (§5.1, §5.2) in [`answers`].

use base64::Engine as _;
use reqwest::header::HeaderValue;

use super::*;

fn url() -> Url {
    Url::parse("https://auth.example-kraken.energy/token/").unwrap()
}

fn build(id: &str, secret: Option<&str>, auth: ClientAuth) -> BuiltRequest {
    let secret = secret.map(Secret::new);
    let u = url();
    build_request(&TokenRequest {
        token_url: &u,
        client_id: id,
        secret: secret.as_ref(),
        auth,
        grant_type: "client_credentials",
        extra: vec![],
        label: "t".into(),
    })
}

fn header<'a>(b: &'a BuiltRequest, name: &str) -> Option<&'a str> {
    b.headers
        .iter()
        .find(|(k, _)| k.as_str() == name)
        .and_then(|(_, v)| v.to_str().ok())
}

/// The form body as pairs, decoded as a server decodes it.
fn form(b: &BuiltRequest) -> Vec<(String, String)> {
    url::form_urlencoded::parse(b.body.as_bytes())
        .into_owned()
        .collect()
}

/// What a server following §2.3.1 reads from the Basic header: base64, split at the first
/// ':', each half form-decoded (django-oauth-toolkit: `unquote_plus`).
fn basic_as_read(b: &BuiltRequest) -> (String, String) {
    let value = header(b, "authorization").expect("an Authorization header");
    let cred = value.strip_prefix("Basic ").expect("the Basic scheme");
    let raw = base64::engine::general_purpose::STANDARD
        .decode(cred)
        .expect("standard base64");
    let raw = String::from_utf8(raw).expect("ASCII after form-encoding");
    assert!(raw.is_ascii(), "form-encoded credentials are ASCII: {raw}");
    let (id, secret) = raw.split_once(':').expect("one ':' joins id and secret");
    let dec = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
            .unwrap()
    };
    (dec(id), dec(secret))
}

/// Secrets whose characters servers treat differently unless they are encoded as §2.3.1 says.
const SECRETS: &[&str] = &[
    "3TBFUV8DoLl9XL0MsCjviv7Qt7B6kdBL3FEnmll2F70vQt3Gp76PWkMIZSAlA6OLAIPUKEPD4WrIoroUhEm2dqaH",
    "with:colon",
    "per%41cent",
    "plus+sign",
    "a space",
    "ümlaut-é",
    "amp&eq=semi;",
    "slash/q?hash#",
];

#[test]
fn s2_3_1_client_secret_basic_form_encodes_id_and_secret_before_base64() {
    for secret in SECRETS {
        for id in [
            "GR9iU2674OF2lxyPPuPGLebG4H1bRM2ztVTd5bYf",
            "id with:odd+chars",
        ] {
            let b = build(id, Some(secret), ClientAuth::Basic);
            assert_eq!(
                basic_as_read(&b),
                (id.to_string(), secret.to_string()),
                "§2.3.1 Basic for {secret:?}"
            );
            // No credentials in the body beside the header (§2.3.1: MUST NOT use both).
            assert!(
                form(&b)
                    .iter()
                    .all(|(k, _)| k != "client_secret" && k != "client_id")
            );
            assert_eq!(
                form_encoding_changes(id, secret),
                id.contains(' ') || !secret.chars().all(|c| c.is_ascii_alphanumeric())
            );
        }
    }
}

#[test]
fn s2_3_1_client_secret_post_and_s4_4_2_grant_type_are_form_encoded() {
    for secret in SECRETS {
        let b = build(
            "GR9iU2674OF2lxyPPuPGLebG4H1bRM2ztVTd5bYf",
            Some(secret),
            ClientAuth::Body,
        );
        let pairs = form(&b);
        assert_eq!(
            pairs[0],
            ("grant_type".into(), "client_credentials".into()),
            "§4.4.2 first"
        );
        assert!(
            pairs.contains(&("client_secret".into(), secret.to_string())),
            "{secret:?}"
        );
        assert!(pairs.contains(&(
            "client_id".into(),
            "GR9iU2674OF2lxyPPuPGLebG4H1bRM2ztVTd5bYf".into()
        )));
        assert!(header(&b, "authorization").is_none());
        // Appendix B: space as '+', everything else outside the safe set as %XX.
        assert!(
            !b.body.contains(' ') && b.body.is_ascii(),
            "{}",
            b.body.as_str()
        );
    }
    // No secret: no client_secret field at all (not an empty one).
    let b = build("id", None, ClientAuth::Body);
    assert!(form(&b).iter().all(|(k, _)| k != "client_secret"));
}

mod answers;
