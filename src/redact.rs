//! Every printer's last line of defence: replaces each known secret (the client secret, its
//! encodings, the Basic credential, every token issued) in text about to be shown. Logs,
//! traces, reports, the support report and the handover all pass through one [`Redactor`].

use std::sync::{Arc, RwLock};

use base64::Engine as _;

use crate::secret::Secret;

/// Replaces every known secret (client secret, its encodings, each token issued) in text
/// that is about to be shown. Shared by everything that prints.
#[derive(Clone, Default)]
pub struct Redactor {
    secrets: Arc<RwLock<Vec<Secret>>>,
}

impl Redactor {
    /// Remember a secret and the encodings in which it travels (form-encoded, JSON-escaped).
    pub fn add(&self, secret: &Secret) {
        let text = secret.expose();
        if text.len() < 4 {
            return; // too short to redact without mangling ordinary text
        }
        let mut variants = vec![text.to_string()];
        let form: String = url::form_urlencoded::byte_serialize(text.as_bytes()).collect();
        variants.push(form);
        if let Ok(json) = serde_json::to_string(text) {
            variants.push(json.trim_matches('"').to_string());
        }
        let mut list = self.secrets.write().unwrap_or_else(|e| e.into_inner());
        for v in variants {
            let s = Secret::new(v);
            if !list.contains(&s) {
                list.push(s);
            }
        }
        // Longest first, so a secret that contains another is replaced whole.
        list.sort_by_key(|s| std::cmp::Reverse(s.expose().len()));
    }

    /// Remember the HTTP Basic credential for this client id and secret.
    pub fn add_basic(&self, client_id: &str, secret: &Secret) {
        let encoded = basic_credential(client_id, secret);
        self.add(&encoded);
    }

    /// The text with every known secret replaced by `[REDACTED]`.
    pub fn redact(&self, text: &str) -> String {
        let list = self.secrets.read().unwrap_or_else(|e| e.into_inner());
        let mut out = text.to_string();
        for s in list.iter() {
            if out.contains(s.expose()) {
                out = out.replace(s.expose(), "[REDACTED]");
            }
        }
        out
    }
}

/// `base64(client_id:secret)`, as HTTP Basic sends it.
pub fn basic_credential(client_id: &str, secret: &Secret) -> Secret {
    let raw = zeroize::Zeroizing::new(format!("{client_id}:{}", secret.expose()));
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
}
