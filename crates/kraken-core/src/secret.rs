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
}
