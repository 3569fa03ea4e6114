//! What the HTTP layer is told about the network: time limits, retries, the body cap, an
//! extra trusted root and how much to log. `config` builds it from the flags; the HTTP layer
//! owns the type, so the imports run config → runner → kraken/http.

use std::time::Duration;

/// Network behaviour.
#[derive(Debug, Clone)]
pub struct NetOptions {
    /// Total time limit per request attempt.
    pub timeout: Duration,
    /// Connect time limit per attempt.
    pub connect_timeout: Duration,
    /// Retries for connection failures, 5xx and rate limiting.
    pub retries: u32,
    /// Time limit for the whole run.
    pub run_timeout: Duration,
    /// Largest response body read, in bytes.
    pub body_limit: usize,
    /// Extra trusted root certificate (PEM bytes).
    pub ca_cert: Option<Vec<u8>>,
    /// 0 quiet, 1 one line per request, 2 redacted trace.
    pub verbose: u8,
    /// Longest wait honoured from a server's retry hint.
    pub retry_after_cap: Duration,
}

impl Default for NetOptions {
    fn default() -> Self {
        NetOptions {
            timeout: Duration::from_secs(10),
            connect_timeout: Duration::from_secs(5),
            retries: 2,
            run_timeout: Duration::from_secs(60),
            body_limit: 1024 * 1024,
            ca_cert: None,
            verbose: 0,
            retry_after_cap: Duration::from_secs(5),
        }
    }
}
