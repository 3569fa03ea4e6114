//! What `-v` and `-vv` print, and the journal the support report reads: one line per attempt,
//! the full exchange under `-vv`, with form secrets, tokens and the Authorization header
//! replaced before anything leaves.

use std::fmt::Write as _;
use std::time::Duration;

use super::{Failure, Http, Request, Response};

impl Http {
    pub(super) fn log_attempt(
        &self,
        n: u32,
        req: &Request,
        outcome: &Result<Response, Failure>,
        elapsed: Duration,
    ) {
        let what = match outcome {
            Ok(r) => format!("{}", r.status),
            Err(f) => match &f.chain {
                // The library's own words, for whoever asked for each request.
                Some(chain) => format!("failed: {} ({chain})", f.detail),
                None => format!("failed: {}", f.detail),
            },
        };
        let line = format!(
            "POST {} → {what} ({} ms) [{}]",
            req.url,
            elapsed.as_millis(),
            req.label
        );
        let line = self.redactor.redact(&line);
        if let Ok(mut j) = self.journal.lock() {
            j.push(line.clone());
        }
        if self.net.verbose >= 1 {
            (self.log)(&format!("#{n} {line}"));
        }
        if self.net.verbose >= 2
            && let Ok(r) = outcome
        {
            let mut t = String::new();
            let _ = writeln!(t, "< #{n} HTTP {}", r.status);
            for (k, v) in &r.headers {
                let _ = writeln!(t, "< {k}: {}", v.to_str().unwrap_or("(binary)"));
            }
            let _ = write!(t, "<\n< {}", redact_json_body(&r.body));
            (self.log)(&self.redactor.redact(&t));
        }
    }

    pub(super) fn trace_request(&self, n: u32, req: &Request) {
        let mut t = String::new();
        let _ = writeln!(t, "> #{n} POST {}", req.url);
        for (k, v) in &req.headers {
            let shown = if k == reqwest::header::AUTHORIZATION {
                let v = v.to_str().unwrap_or("");
                match v.split_once(' ') {
                    Some((scheme, _)) => format!("{scheme} [REDACTED]"),
                    None => "[REDACTED]".to_string(),
                }
            } else {
                v.to_str().unwrap_or("(binary)").to_string()
            };
            let _ = writeln!(t, "> {k}: {shown}");
        }
        let body = String::from_utf8_lossy(&req.body);
        let _ = write!(t, ">\n> {}", redact_form_body(&body));
        (self.log)(&self.redactor.redact(&t));
    }
}

/// A form body with `client_secret` and `code` values replaced.
pub(super) fn redact_form_body(body: &str) -> String {
    if body.starts_with('{') {
        return body.to_string();
    }
    body.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if k == "client_secret" || k == "code" => format!("{k}=[REDACTED]"),
            _ => pair.to_string(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// A response body with any `access_token`/`refresh_token`/`id_token` value replaced.
pub(super) fn redact_json_body(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&text) else {
        return text.into_owned();
    };
    if let Some(obj) = v.as_object_mut() {
        for key in ["access_token", "refresh_token", "id_token", "token"] {
            if let Some(val) = obj.get_mut(key) {
                *val = serde_json::Value::String("[REDACTED]".into());
            }
        }
    }
    v.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kraken::http::rate_limited;

    #[test]
    fn form_and_json_bodies_are_redacted_by_key() {
        assert_eq!(
            redact_form_body("grant_type=client_credentials&client_id=a&client_secret=zz"),
            "grant_type=client_credentials&client_id=a&client_secret=[REDACTED]"
        );
        let out = redact_json_body(br#"{"access_token":"abc.def","expires_in":3600}"#);
        assert!(!out.contains("abc.def") && out.contains("3600"));
    }

    #[test]
    fn rate_limit_is_read_from_the_envelope() {
        assert!(rate_limited(
            br#"{"errors":[{"message":"x","extensions":{"errorCode":"KT-CT-1199"}}]}"#
        ));
        assert!(!rate_limited(br#"{"data":{}}"#));
        assert!(!rate_limited(b"<html>"));
    }
}
