//! The values of the HTTP layer: a request, a complete response, a failure and its kind, the
//! retry rules, and how reqwest's errors and oversized bodies map onto them.

use std::fmt::Write as _;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use url::Url;

use super::dns::DnsFailure;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// No complete answer within the per-request limit (`--timeout`), or connecting took
    /// longer than the connect limit.
    Timeout,
    /// The host refused the connection: nothing listens on that port.
    Refused,
    /// The host name did not resolve.
    Dns,
    /// Any other failure to connect: no route to the host or its network.
    Connect,
    /// The TLS handshake failed (an untrusted or wrong certificate, or no TLS at all).
    Tls,
    /// The connection broke mid-exchange.
    Broken,
    BodyTooLarge,
    /// The run's overall time limit was reached.
    RunDeadline,
    /// A proxy on the way (`HTTPS_PROXY`) answered instead of the host: it asked for
    /// credentials or would not open a connection to the host.
    Proxy,
}

impl FailureKind {
    /// Whether another try may go differently: a connection that could not be made or
    /// broke. A timeout, a TLS failure or an oversized body would only repeat.
    pub fn retried(self) -> bool {
        matches!(
            self,
            FailureKind::Refused | FailureKind::Dns | FailureKind::Connect | FailureKind::Broken
        )
    }
}

/// A request that produced no usable response, with the reason.
#[derive(Debug, Clone)]
pub struct Failure {
    pub kind: FailureKind,
    /// One plain sentence naming the host and port ("Connection refused by 127.0.0.1:9").
    pub detail: String,
    /// How many times the request went out (1 + retries).
    pub tries: u32,
    /// The HTTP library's own error chain, for `-v` and the support report only.
    pub chain: Option<String>,
    /// Earlier attempts that went wrong some other way (an HTTP 503, then a refusal), one
    /// line each; attempts like the last one are counted in `tries`, not repeated here.
    pub retries: Vec<String>,
}

impl Failure {
    /// A failure of one try.
    pub fn new(kind: FailureKind, detail: String) -> Failure {
        Failure {
            kind,
            detail,
            tries: 1,
            chain: None,
            retries: Vec::new(),
        }
    }
}

impl std::fmt::Display for Failure {
    /// The sentence, and the count of tries when there was more than one:
    /// `Connection refused by 127.0.0.1:9 (3 tries)`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)?;
        if self.tries > 1 {
            write!(f, " ({} tries)", self.tries)?;
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

/// `host:port` of a URL, as a person would type it.
pub(super) fn host_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or("?");
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// What the error chain says happened, found by the errors' types and kinds: the first
/// cause that tells wins, the deepest cause being the most precise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Cause {
    Dns,
    Tls(String),
    Refused,
    Unreachable,
    Reset,
    TimedOut,
}

/// Every error in `e`'s chain, the errors an `io::Error` wraps included (its `source()`
/// skips the wrapped error itself).
pub(super) fn chain_of<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> Vec<&'a (dyn std::error::Error + 'static)> {
    let mut out = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        out.push(err);
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
        {
            out.push(inner as &(dyn std::error::Error + 'static));
        }
        next = err.source();
    }
    out
}

/// The cause an error chain shows, if any cause in it is one we know.
pub(super) fn cause_of(e: &(dyn std::error::Error + 'static)) -> Option<Cause> {
    use std::io::ErrorKind;
    let chain = chain_of(e);
    if chain
        .iter()
        .any(|c| c.downcast_ref::<DnsFailure>().is_some())
    {
        return Some(Cause::Dns);
    }
    if let Some(tls) = chain.iter().find_map(|c| c.downcast_ref::<rustls::Error>()) {
        return Some(Cause::Tls(tls_words(tls)));
    }
    chain.iter().rev().find_map(|c| {
        let io = c.downcast_ref::<std::io::Error>()?;
        match io.kind() {
            ErrorKind::ConnectionRefused => Some(Cause::Refused),
            ErrorKind::HostUnreachable
            | ErrorKind::NetworkUnreachable
            | ErrorKind::AddrNotAvailable => Some(Cause::Unreachable),
            ErrorKind::ConnectionReset
            | ErrorKind::ConnectionAborted
            | ErrorKind::BrokenPipe
            | ErrorKind::UnexpectedEof => Some(Cause::Reset),
            ErrorKind::TimedOut => Some(Cause::TimedOut),
            _ => None,
        }
    })
}

/// What a TLS error means, in a few words.
fn tls_words(e: &rustls::Error) -> String {
    use rustls::{CertificateError, Error};
    match e {
        Error::InvalidCertificate(c) => match c {
            CertificateError::UnknownIssuer => {
                "its certificate is not signed by a trusted root".into()
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "its certificate is for another name".into()
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "its certificate has expired".into()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "its certificate is not valid yet".into()
            }
            CertificateError::Revoked => "its certificate was revoked".into(),
            _ => "its certificate was not accepted".into(),
        },
        Error::InvalidMessage(_)
        | Error::InappropriateMessage { .. }
        | Error::InappropriateHandshakeMessage { .. } => "it did not answer in TLS".into(),
        Error::AlertReceived(alert) => format!("it ended the handshake ({alert:?})"),
        Error::PeerIncompatible(_) => "it offers no TLS version or cipher in common".into(),
        _ => "the handshake failed".into(),
    }
}

/// reqwest's error as a [`Failure`] of a request that went straight to the host (through a
/// proxy: [`super::proxy::classify`]): its kind from the error's types (`cause_of`, then
/// reqwest's own `is_timeout` / `is_connect`), one sentence naming `url`'s host and port, and
/// the library's chain kept apart for `-v`.
pub(super) fn classify(e: &reqwest::Error, url: &Url, connect_limit: Duration) -> Failure {
    let (kind, detail) = at_host(e, &host_port(url), connect_limit);
    failure(e, kind, detail)
}

/// A failure of `kind` said in `detail`, with `e`'s whole chain for `-v`.
pub(super) fn failure(e: &reqwest::Error, kind: FailureKind, detail: String) -> Failure {
    let mut chain = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let _ = write!(chain, ": {s}");
        source = s.source();
    }
    Failure {
        chain: Some(chain),
        ..Failure::new(kind, detail)
    }
}

/// A failure between us and the host itself: one sentence naming `at`.
pub(super) fn at_host(
    e: &reqwest::Error,
    at: &str,
    connect_limit: Duration,
) -> (FailureKind, String) {
    match cause_of(e) {
        Some(Cause::Dns) => (FailureKind::Dns, format!("DNS lookup failed for {at}")),
        Some(Cause::Tls(why)) => (FailureKind::Tls, format!("TLS with {at} failed: {why}")),
        Some(Cause::Refused) => (FailureKind::Refused, format!("Connection refused by {at}")),
        Some(Cause::Unreachable) => (FailureKind::Connect, format!("No route to {at}")),
        _ if e.is_timeout() && e.is_connect() => (
            FailureKind::Timeout,
            format!(
                "No connection to {at} within {} s (the connect limit)",
                connect_limit.as_secs_f64()
            ),
        ),
        Some(Cause::TimedOut) => (FailureKind::Timeout, format!("{at} did not answer in time")),
        _ if e.is_timeout() => (FailureKind::Timeout, format!("{at} did not answer in time")),
        _ if e.is_connect() => (FailureKind::Connect, format!("Could not connect to {at}")),
        Some(Cause::Reset) => (
            FailureKind::Broken,
            format!("The connection to {at} broke before a complete answer"),
        ),
        None => (
            FailureKind::Broken,
            format!("The connection to {at} broke before a complete answer"),
        ),
    }
}
