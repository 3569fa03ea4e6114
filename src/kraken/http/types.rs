//! The values of the HTTP layer: a request, a complete response, a failure and its kind, the
//! retry rules, and how reqwest's errors and oversized bodies map onto them.

use std::fmt::Write as _;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use url::Url;

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

pub(super) enum ReadError {
    Http(reqwest::Error),
    TooLarge(usize),
}

impl From<reqwest::Error> for ReadError {
    fn from(e: reqwest::Error) -> Self {
        ReadError::Http(e)
    }
}

pub(super) async fn read_capped(
    mut resp: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, ReadError> {
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

pub(super) fn classify(e: &reqwest::Error) -> Failure {
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
