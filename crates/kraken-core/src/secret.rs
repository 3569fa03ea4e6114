//! Secrets (the client secret, access tokens) in a type that cannot be printed by accident
//! and is wiped from memory on drop.

use std::fmt;

use zeroize::Zeroizing;

/// A secret string. `Debug` and `Display` print `(redacted)`; the bytes are zeroed on drop.
/// The only way to the text is [`Secret::expose`], which makes every use easy to audit.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The secret's text. Call only where it must go on the wire (or to `token`'s stdout).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(redacted)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("(redacted)")
    }
}

/// The shortest secret removed from free text as well as from the places secrets travel.
pub const FREE_TEXT_MIN_LEN: usize = 16;

/// Whether `secret` can be removed from free text without mangling ordinary words: at least
/// [`FREE_TEXT_MIN_LEN`] characters, mixing at least two of lower-case letters, capitals,
/// digits and other characters. A Kraken's secret (128 letters and digits) and its tokens
/// always are.
pub fn free_text_safe(secret: &str) -> bool {
    let kinds = [
        secret.chars().any(|c| c.is_lowercase()),
        secret.chars().any(|c| c.is_uppercase()),
        secret.chars().any(|c| c.is_ascii_digit()),
        secret.chars().any(|c| !c.is_alphanumeric()),
    ];
    secret.chars().count() >= FREE_TEXT_MIN_LEN && kinds.iter().filter(|k| **k).count() >= 2
}

/// The up-front warning for a client secret that the redactor (`crate::redact`) can remove only where requests
/// carry it (never the secret itself), or `None`.
pub fn weak_secret(secret: &Secret) -> Option<String> {
    let s = secret.expose();
    if s.is_empty() || free_text_safe(s) {
        return None;
    }
    let n = s.chars().count();
    Some(format!(
        "the client secret is only {n} character{}{}: kraken-doctor removes it wherever requests \
         carry it (headers, form bodies, URLs, quoted values), but cannot tell it from an \
         ordinary word in other text, so there it is left alone",
        if n == 1 { "" } else { "s" },
        if n >= FREE_TEXT_MIN_LEN {
            " of one kind (letters only, or digits only)"
        } else {
            ""
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints_its_value() {
        let s = Secret::new("hunter2-very-secret");
        assert_eq!(format!("{s}"), "(redacted)");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{:#?}", Some(&s)).contains("hunter2"));
        assert_eq!(s.expose(), "hunter2-very-secret");
    }

    #[test]
    fn weak_secrets_are_named_up_front_without_the_secret() {
        assert!(weak_secret(&Secret::new("A".repeat(64) + "9")).is_none());
        let w = weak_secret(&Secret::new("client")).unwrap();
        assert!(w.contains("only 6 characters") && !w.contains("client secret is client"));
        assert!(weak_secret(&Secret::new("correcthorsebatterystaple")).is_some());
        let one = weak_secret(&Secret::new("x")).unwrap();
        assert!(
            one.starts_with("the client secret is only 1 character:"),
            "{one}"
        );
    }
}
