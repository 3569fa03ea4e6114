//! One HTTP layer for every request kraken-doctor sends: time limits, bounded retries with
//! backoff and jitter, a cap on response bodies, a request counter, and the `-v` / `-vv`
//! logs with every secret and token redacted before anything is printed.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use url::Url;

use crate::config::NetOptions;
pub use crate::redact::{Redactor, basic_credential};

/// Where `-v` / `-vv` lines go (stderr by default; a buffer in tests).
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

/// The stderr sink.
pub fn stderr_sink() -> LogSink {
    Arc::new(|line: &str| eprintln!("{line}"))
}

/// Which retry rules apply to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryPolicy {
    /// The token endpoint: retry connection failures and 5xx, never a 4xx (a wrong secret
    /// must not be tried three times).
    Token,
    /// GraphQL queries (idempotent): retry connection failures, 5xx, 429 and KT-CT-1199.
    Query,
}

/// A request to send.
pub struct Request {
    pub url: Url,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Vec<u8>,
    /// What the request is for, shown in `-v` lines (`auth.token`, `probe:viewer`).
    pub label: String,
    pub retry: RetryPolicy,
}

/// A response that arrived in full.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// Wall time across all attempts.
    pub elapsed: Duration,
    /// One line per retried attempt: what went wrong and how long we waited.
    pub retries: Vec<String>,
}

impl Response {
    /// A response with this status and body and nothing else (parsers' tests and fuzzing).
    pub fn from_body(status: u16, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: HeaderMap::new(),
            body: body.into(),
            elapsed: Duration::ZERO,
            retries: Vec::new(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// A short description of the body for evidence: its content type and first bytes.
    pub fn body_excerpt(&self) -> String {
        let ct = self.header("content-type").unwrap_or("no content type");
        let text = String::from_utf8_lossy(&self.body);
        let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let cut: String = flat.chars().take(80).collect();
        format!("{ct}, {} bytes: {cut}", self.body.len())
    }
}

/// Why no usable response arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    Timeout,
    Connect,
    Tls,
    /// The connection broke mid-exchange.
    Broken,
    BodyTooLarge,
    /// The run's overall time limit was reached.
    RunDeadline,
}

/// A request that produced no usable response, with the reason.
#[derive(Debug, Clone)]
pub struct Failure {
    pub kind: FailureKind,
    pub detail: String,
    pub retries: Vec<String>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)?;
        if !self.retries.is_empty() {
            write!(f, " (after {} retries)", self.retries.len())?;
        }
        Ok(())
    }
}

/// The HTTP client of one run.
pub struct Http {
    client: reqwest::Client,
    net: NetOptions,
    deadline: Instant,
    requests: AtomicU32,
    /// Attempts on the wire right now, and how many times that went from zero to one.
    in_flight: AtomicU32,
    rounds: AtomicU32,
    redactor: Redactor,
    log: LogSink,
    /// Each attempt's one-line record, for the support report.
    journal: Mutex<Vec<String>>,
}

impl Http {
    pub fn new(net: NetOptions, redactor: Redactor, log: LogSink) -> Result<Http, String> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .https_only(false)
            .connect_timeout(net.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("kraken-doctor/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(16);
        if let Some(pem) = &net.ca_cert {
            let cert = reqwest::Certificate::from_pem(pem).map_err(|e| e.to_string())?;
            builder = builder.add_root_certificate(cert);
        }
        let client = builder.build().map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Http {
            client,
            deadline: Instant::now() + net.run_timeout,
            net,
            requests: AtomicU32::new(0),
            in_flight: AtomicU32::new(0),
            rounds: AtomicU32::new(0),
            redactor,
            log,
            journal: Mutex::new(Vec::new()),
        })
    }

    pub fn redactor(&self) -> &Redactor {
        &self.redactor
    }

    /// HTTP requests sent so far (each retry counts).
    pub fn request_count(&self) -> u32 {
        self.requests.load(Ordering::Relaxed)
    }

    /// Sequential network rounds so far: a round starts whenever a request goes out while
    /// none is on the wire. Requests sent together (one `join`) share a round; a request
    /// that waits for another's answer starts a new one. Exact whenever an answer takes
    /// longer than sending the round's requests (any real network, or the simulator with
    /// `--latency`); against a zero-latency loopback server an answer can complete before
    /// its siblings leave, and the count runs high.
    pub fn rounds(&self) -> u32 {
        self.rounds.load(Ordering::Relaxed)
    }

    /// When the run must be over.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Send a POST, retrying as the policy allows, within the per-request and run limits.
    pub async fn post(&self, req: &Request) -> Result<Response, Failure> {
        let started = Instant::now();
        let mut retries = Vec::new();
        let mut attempt = 0u32;
        loop {
            let outcome = self.attempt(req).await;
            let retry_reason = match &outcome {
                Ok(resp) => self.retry_reason(req.retry, resp),
                Err(f) if f.kind == FailureKind::Connect || f.kind == FailureKind::Broken => {
                    Some((f.detail.clone(), None))
                }
                Err(_) => None,
            };
            let Some((reason, hint)) = retry_reason.filter(|_| attempt < self.net.retries) else {
                return match outcome {
                    Ok(mut resp) => {
                        resp.elapsed = started.elapsed();
                        resp.retries = retries;
                        Ok(resp)
                    }
                    Err(mut f) => {
                        f.retries = retries;
                        Err(f)
                    }
                };
            };
            let wait = self.backoff(attempt, hint);
            if Instant::now() + wait >= self.deadline {
                return match outcome {
                    Ok(mut resp) => {
                        resp.retries = retries;
                        Ok(resp)
                    }
                    Err(mut f) => {
                        f.retries = retries;
                        Err(f)
                    }
                };
            }
            retries.push(format!(
                "attempt {}: {reason}; retried after {} ms",
                attempt + 1,
                wait.as_millis()
            ));
            let what = format!("after {reason}, then trying {} again", req.label);
            crate::progress::sleep(&what, wait, self.net.verbose == 0).await;
            attempt += 1;
        }
    }

    /// Why a complete response deserves another try, and the server's retry hint.
    fn retry_reason(
        &self,
        policy: RetryPolicy,
        resp: &Response,
    ) -> Option<(String, Option<Duration>)> {
        let hint = resp
            .header("retry-after")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(Duration::from_secs_f64);
        if resp.status >= 500 {
            return Some((format!("HTTP {}", resp.status), hint));
        }
        if policy == RetryPolicy::Token {
            return None;
        }
        if resp.status == 429 {
            return Some(("HTTP 429 Too Many Requests".into(), hint));
        }
        if resp.status == 200 && rate_limited(&resp.body) {
            return Some(("KT-CT-1199 Too many requests".into(), hint));
        }
        None
    }

    fn backoff(&self, attempt: u32, hint: Option<Duration>) -> Duration {
        if let Some(h) = hint {
            return h.min(self.net.retry_after_cap);
        }
        let base = Duration::from_millis(100) * 2u32.pow(attempt.min(6));
        let jitter = rand::random::<f64>() * 0.5 + 0.75; // 75%..125%
        base.mul_f64(jitter)
    }

    async fn attempt(&self, req: &Request) -> Result<Response, Failure> {
        let now = Instant::now();
        let Some(left) = self
            .deadline
            .checked_duration_since(now)
            .filter(|d| !d.is_zero())
        else {
            return Err(Failure {
                kind: FailureKind::RunDeadline,
                detail: format!(
                    "the run's time limit ({} s) was reached before this request",
                    self.net.run_timeout.as_secs_f64()
                ),
                retries: Vec::new(),
            });
        };
        let limit = self.net.timeout.min(left);
        let n = self.requests.fetch_add(1, Ordering::Relaxed) + 1;
        let _on_wire = InFlight::enter(self);
        let mut builder = self.client.post(req.url.clone()).body(req.body.clone());
        for (k, v) in &req.headers {
            builder = builder.header(k.clone(), v.clone());
        }
        if self.net.verbose >= 2 {
            self.trace_request(n, req);
        }
        let result = tokio::time::timeout(limit, async {
            let resp = builder.send().await?;
            let status = resp.status().as_u16();
            let headers = resp.headers().clone();
            let body = read_capped(resp, self.net.body_limit).await?;
            Ok::<_, ReadError>(Response {
                status,
                headers,
                body,
                elapsed: Duration::ZERO,
                retries: Vec::new(),
            })
        })
        .await;
        let elapsed = now.elapsed();
        let outcome = match result {
            Err(_) if limit < self.net.timeout => Err(Failure {
                kind: FailureKind::RunDeadline,
                detail: format!(
                    "the run's time limit (--run-timeout {} s) was reached while waiting for an answer",
                    self.net.run_timeout.as_secs_f64()
                ),
                retries: Vec::new(),
            }),
            Err(_) => Err(Failure {
                kind: FailureKind::Timeout,
                detail: format!(
                    "no complete answer within {} ms (--timeout {} s)",
                    limit.as_millis(),
                    self.net.timeout.as_secs_f64()
                ),
                retries: Vec::new(),
            }),
            Ok(Err(ReadError::TooLarge(n))) => Err(Failure {
                kind: FailureKind::BodyTooLarge,
                detail: format!(
                    "response body larger than the {} byte limit (at least {n} bytes)",
                    self.net.body_limit
                ),
                retries: Vec::new(),
            }),
            Ok(Err(ReadError::Http(e))) => Err(classify(&e)),
            Ok(Ok(mut r)) => {
                r.elapsed = elapsed;
                Ok(r)
            }
        };
        self.log_attempt(n, req, &outcome, elapsed);
        outcome
    }

    fn log_attempt(
        &self,
        n: u32,
        req: &Request,
        outcome: &Result<Response, Failure>,
        elapsed: Duration,
    ) {
        let what = match outcome {
            Ok(r) => format!("{}", r.status),
            Err(f) => format!("failed: {}", f.detail),
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

    fn trace_request(&self, n: u32, req: &Request) {
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

    /// Every attempt so far, one redacted line each.
    pub fn journal(&self) -> Vec<String> {
        self.journal.lock().map(|j| j.clone()).unwrap_or_default()
    }
}

/// One attempt on the wire; leaving (even by cancellation) takes it off.
struct InFlight<'a>(&'a AtomicU32);

impl<'a> InFlight<'a> {
    fn enter(http: &'a Http) -> Self {
        if http.in_flight.fetch_add(1, Ordering::AcqRel) == 0 {
            http.rounds.fetch_add(1, Ordering::Relaxed);
        }
        InFlight(&http.in_flight)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Whether a GraphQL body says KT-CT-1199 (too many requests).
pub fn rate_limited(body: &[u8]) -> bool {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return false;
    };
    v.get("errors")
        .and_then(|e| e.as_array())
        .is_some_and(|errs| {
            errs.iter().any(|e| {
                e.pointer("/extensions/errorCode").and_then(|c| c.as_str()) == Some("KT-CT-1199")
            })
        })
}

/// A form body with `client_secret` and `code` values replaced.
fn redact_form_body(body: &str) -> String {
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
fn redact_json_body(body: &[u8]) -> String {
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

enum ReadError {
    Http(reqwest::Error),
    TooLarge(usize),
}

impl From<reqwest::Error> for ReadError {
    fn from(e: reqwest::Error) -> Self {
        ReadError::Http(e)
    }
}

async fn read_capped(mut resp: reqwest::Response, limit: usize) -> Result<Vec<u8>, ReadError> {
    if let Some(len) = resp.content_length()
        && len as usize > limit
    {
        return Err(ReadError::TooLarge(len as usize));
    }
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() > limit {
            return Err(ReadError::TooLarge(body.len()));
        }
    }
    Ok(body)
}

fn classify(e: &reqwest::Error) -> Failure {
    let mut chain = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let _ = write!(chain, ": {s}");
        source = s.source();
    }
    let lower = chain.to_ascii_lowercase();
    let kind =
        if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
            FailureKind::Tls
        } else if e.is_timeout() {
            FailureKind::Timeout
        } else if e.is_connect() {
            FailureKind::Connect
        } else {
            FailureKind::Broken
        };
    let what = match kind {
        FailureKind::Tls => "TLS failure",
        FailureKind::Connect => "could not connect",
        FailureKind::Timeout => "timed out",
        _ => "connection broke before a complete answer",
    };
    Failure {
        kind,
        detail: format!("{what}: {chain}"),
        retries: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
