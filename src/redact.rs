//! Every printer's last line of defence: removes each known secret (the client secret, its
//! encodings, the Basic credential, every token issued) from text about to be shown. Logs,
//! traces, reports, the support report and the handover all pass through one [`Redactor`].
//!
//! Secrets are removed by structure, not by blind substring replacement. A secret is removed
//! wherever it stands as a value: after `=` (form bodies, URLs, `NAME=value`), between quotes
//! (JSON strings, echoed values), after an HTTP authentication scheme (`Basic`, `Bearer`,
//! `JWT`) or `Authorization:`, before `@` in a URL's user part, or alone on a line. Only a
//! secret that cannot be mistaken for ordinary text ([`free_text_safe`]: 16 characters or
//! more, mixing at least two kinds of character) is also removed wherever it appears. So with
//! a secret `client`, `client_secret=client` becomes `client_secret=[REDACTED]` while
//! `invalid_client` stays as it is; [`crate::secret::weak_secret`] says so up front.

use std::sync::{Arc, RwLock};

use base64::Engine as _;

use crate::secret::Secret;
use crate::secret::free_text_safe;

/// What replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

/// One text to remove, and whether it may be removed wherever it appears.
#[derive(Clone, PartialEq, Eq)]
struct Known {
    text: Secret,
    anywhere: bool,
}

/// Removes every known secret (client secret, its encodings, each token issued) from text
/// that is about to be shown. Shared by everything that prints.
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Arc<RwLock<Vec<Known>>>,
}

impl Redactor {
    /// Remember a secret and the encodings in which it travels (form-encoded,
    /// percent-encoded, JSON-escaped).
    pub fn add(&self, secret: &Secret) {
        let text = secret.expose();
        if text.is_empty() {
            return;
        }
        let anywhere = free_text_safe(text);
        let mut variants = vec![text.to_string()];
        let form: String = url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
        // The same, with a space as `%20` (a URL's query) rather than `+` (a form body).
        variants.push(form.replace('+', "%20"));
        variants.push(form);
        if let Ok(json) = serde_json::to_string(text) {
            variants.push(json.trim_matches('"').to_string());
        }
        let mut list = self.secrets.write().unwrap_or_else(|e| e.into_inner());
        for v in variants {
            let known = Known {
                text: Secret::new(v),
                anywhere,
            };
            if !list.contains(&known) {
                list.push(known);
            }
        }
        // Longest first, so a secret that contains another is replaced whole.
        list.sort_by_key(|k| std::cmp::Reverse(k.text.expose().len()));
    }

    /// Remember the HTTP Basic credential for this client id and secret.
    pub fn add_basic(&self, client_id: &str, secret: &Secret) {
        let encoded = basic_credential(client_id, secret);
        self.add(&encoded);
    }

    /// The text with every known secret replaced by `[REDACTED]`: anywhere for a secret that
    /// cannot be mistaken for ordinary text, only where it stands as a value otherwise.
    pub fn redact(&self, text: &str) -> String {
        let list = self.secrets.read().unwrap_or_else(|e| e.into_inner());
        let mut out = text.to_string();
        for k in list.iter() {
            let s = k.text.expose();
            if !out.contains(s) {
                continue;
            }
            out = if k.anywhere {
                out.replace(s, REDACTED)
            } else {
                replace_values(&out, s)
            };
        }
        out
    }
}

/// Characters that open a value: an assignment, a quote.
const OPENERS: &[char] = &['=', '"', '\'', '`', '“', '‘', '«'];
/// Characters that may end a value.
const CLOSERS: &[char] = &[
    '&', '"', '\'', '`', '”', '’', '»', ';', ',', ')', ']', '}', '>', '@', '#',
];
/// Words after which a value follows: HTTP authentication schemes and the header name.
const SCHEMES: &[&str] = &[
    "basic ",
    "bearer ",
    "jwt ",
    "authorization: ",
    "authorization:",
];

/// `text` with each occurrence of `secret` that stands as a value replaced.
fn replace_values(text: &str, secret: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    for (at, _) in text.match_indices(secret) {
        if at < rest {
            continue;
        }
        let end = at + secret.len();
        if stands_as_value(&text[..at], &text[end..]) {
            out.push_str(&text[rest..at]);
            out.push_str(REDACTED);
            rest = end;
        }
    }
    out.push_str(&text[rest..]);
    out
}

/// Whether a text between `before` and `after` is a value: opened by an assignment, a quote,
/// an authentication scheme or a line start, and closed by the end of the value.
fn stands_as_value(before: &str, after: &str) -> bool {
    let next = after.chars().next();
    let closed = next.is_none_or(|c| c.is_whitespace() || CLOSERS.contains(&c));
    if !closed {
        return false;
    }
    let prev = before.chars().next_back();
    let lower_tail: String = before
        .chars()
        .rev()
        .take(16)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect::<String>()
        .to_lowercase();
    let line_start = prev.is_none_or(|c| c == '\n' || c == '\r');
    let line_end = next.is_none_or(|c| c == '\n' || c == '\r');
    prev.is_some_and(|c| OPENERS.contains(&c))
        || (prev == Some(':') && next == Some('@'))
        || SCHEMES.iter().any(|s| lower_tail.ends_with(s))
        || (line_start && line_end)
}

/// `base64(urlencode(client_id):urlencode(secret))`, as HTTP Basic sends client credentials
/// (RFC 6749 §2.3.1: each is `application/x-www-form-urlencoded`, Appendix B, before they are
/// joined and encoded; django-oauth-toolkit decodes them with `unquote_plus`).
pub fn basic_credential(client_id: &str, secret: &Secret) -> Secret {
    let id: String = url::form_urlencoded::byte_serialize(client_id.as_bytes()).collect();
    let secret: zeroize::Zeroizing<String> = zeroize::Zeroizing::new(
        url::form_urlencoded::byte_serialize(secret.expose().as_bytes()).collect(),
    );
    let raw = zeroize::Zeroizing::new(format!("{id}:{}", secret.as_str()));
    Secret::new(base64::engine::general_purpose::STANDARD.encode(raw.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redactor_replaces_secret_and_its_encodings() {
        let r = Redactor::default();
        let s = Secret::new("s3cr+t/with=chars");
        r.add(&s);
        r.add_basic("client", &s);
        let basic = basic_credential("client", &s);
        let text = format!(
            "body client_secret=s3cr%2Bt%2Fwith%3Dchars raw s3cr+t/with=chars basic {}",
            basic.expose()
        );
        let out = r.redact(&text);
        assert!(!out.contains("s3cr"), "{out}");
        assert!(!out.contains(basic.expose()), "{out}");
        assert_eq!(out.matches("[REDACTED]").count(), 3);
    }

    /// One row: a secret, a text, what must come out.
    const ROWS: &[(&str, &str, &str)] = &[
        // Ordinary words equal to a short secret stay.
        (
            "client",
            "HTTP 401 invalid_client",
            "HTTP 401 invalid_client",
        ),
        ("client", "the client id", "the client id"),
        ("wrong", "The secret is wrong", "The secret is wrong"),
        (
            "wrong",
            "wrong secret → HTTP 401",
            "wrong secret → HTTP 401",
        ),
        (
            "secret",
            "client_secret=[REDACTED]",
            "client_secret=[REDACTED]",
        ),
        // Where a short secret travels, it goes.
        (
            "client",
            "grant_type=client_credentials&client_id=abc&client_secret=client",
            "grant_type=client_credentials&client_id=abc&client_secret=[REDACTED]",
        ),
        (
            "wrong",
            "client_secret=wrong&x=1",
            "client_secret=[REDACTED]&x=1",
        ),
        (
            "wrong",
            r#"{"client_secret": "wrong"}"#,
            r#"{"client_secret": "[REDACTED]"}"#,
        ),
        (
            "wrong",
            "the secret 'wrong' is bad",
            "the secret '[REDACTED]' is bad",
        ),
        (
            "wrong",
            "> authorization: Bearer wrong",
            "> authorization: Bearer [REDACTED]",
        ),
        ("wrong", "Authorization: wrong", "Authorization: [REDACTED]"),
        (
            "wrong",
            "https://id:wrong@host/",
            "https://id:[REDACTED]@host/",
        ),
        (
            "wrong",
            "KRAKEN_CLIENT_SECRET=wrong",
            "KRAKEN_CLIENT_SECRET=[REDACTED]",
        ),
        ("wrong", "line\nwrong\nline", "line\n[REDACTED]\nline"),
        // Its encodings too.
        ("a b+c", "client_secret=a+b%2Bc", "client_secret=[REDACTED]"),
        // A secret safe in free text goes everywhere.
        (
            "Zx9kQ2mN7pL4vR8t",
            "oops Zx9kQ2mN7pL4vR8tail",
            "oops [REDACTED]ail",
        ),
        // A long secret of one kind is a word: values only.
        (
            "authorizationxyz",
            "the authorizationxyz header; secret=authorizationxyz",
            "the authorizationxyz header; secret=[REDACTED]",
        ),
    ];

    #[test]
    fn secrets_go_where_they_travel_and_words_stay() {
        for (secret, text, want) in ROWS {
            let r = Redactor::default();
            r.add(&Secret::new(*secret));
            assert_eq!(&r.redact(text), want, "secret {secret:?} in {text:?}");
        }
    }

    #[test]
    fn basic_credential_form_encodes_before_joining() {
        let decode = |s: &Secret| {
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(s.expose())
                    .unwrap(),
            )
            .unwrap()
        };
        assert_eq!(
            decode(&basic_credential("id:1", &Secret::new("a b+c%d:é"))),
            "id%3A1:a+b%2Bc%25d%3A%C3%A9"
        );
        assert_eq!(
            decode(&basic_credential("abc", &Secret::new("XyZ09"))),
            "abc:XyZ09"
        );
    }
}
