//! One HTTP layer for every request kraken-doctor sends: time limits, bounded retries with
//! backoff and jitter, a cap on response bodies, a request counter, and the `-v` / `-vv`
//! logs with every secret and token redacted before anything is printed. One [`Transport`]
//! (the connection pool and trusted roots) serves every target of a run; each target's
//! [`Http`] counts its own requests and rounds.

mod dns;
mod options;
mod proxy;
mod trace;
mod types;

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use crate::redact::{Redactor, basic_credential};
pub use dns::never_resolves;
pub use options::NetOptions;
pub use proxy::{Proxies, Proxy};
pub use types::{Failure, FailureKind, Request, Response, RetryPolicy};
use types::{ReadError, classify, host_port, read_capped};

/// Where `-v` / `-vv` lines go (stderr by default; a buffer in tests).
pub type LogSink = Arc<dyn Fn(&str) + Send + Sync>;

/// The stderr sink.
pub fn stderr_sink() -> LogSink {
    Arc::new(|line: &str| eprintln!("{line}"))
}

/// At most this many requests are on the wire at once, across every target of a run: each
/// HTTP/1.1 request holds a connection and its buffers (fifty targets sending their five
/// token requests at once would open 250), and one Kraken need not see more at once. A
/// request waiting for a slot counts as sent (its round has begun); its time limit starts
/// when it leaves.
pub const MAX_ON_THE_WIRE: usize = 64;

/// The connection pool, trusted roots and request slots: built once (reading the system's
/// roots is the expensive part) and shared by every target of a run.
#[derive(Clone)]
pub struct Transport {
    client: reqwest::Client,
    slots: Arc<tokio::sync::Semaphore>,
    /// The proxy variables the client read, to name a proxy when a request fails on it.
    proxies: Arc<Proxies>,
}

impl Transport {
    pub fn new(net: &NetOptions) -> Result<Transport, String> {
        Transport::with_proxies(net, Proxies::from_process())
    }

    /// A transport whose requests go through the proxies `proxies` name (reqwest reads the
    /// same variables from the process; tests give them here).
    pub fn with_proxies(net: &NetOptions, proxies: Proxies) -> Result<Transport, String> {
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .https_only(false)
            .connect_timeout(net.connect_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .dns_resolver(Arc::new(dns::SystemResolver))
            .user_agent(concat!("kraken-doctor/", env!("CARGO_PKG_VERSION")))
            .pool_max_idle_per_host(16);
        if let Some(pem) = &net.ca_cert {
            let cert = reqwest::Certificate::from_pem(pem).map_err(|e| e.to_string())?;
            builder = builder.add_root_certificate(cert);
        }
        let client = builder.build().map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Transport {
            client,
            slots: Arc::new(tokio::sync::Semaphore::new(MAX_ON_THE_WIRE)),
            proxies: Arc::new(proxies),
        })
    }
}

/// The HTTP client of one run.
pub struct Http {
    client: reqwest::Client,
    slots: Arc<tokio::sync::Semaphore>,
    proxies: Arc<Proxies>,
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
    /// A client of its own (one target, one run: `token`, `guide`).
    pub fn new(net: NetOptions, redactor: Redactor, log: LogSink) -> Result<Http, String> {
        Ok(Http::on(&Transport::new(&net)?, net, redactor, log))
    }

    /// A client on a shared transport: its own counters, time limit and journal.
    pub fn on(transport: &Transport, net: NetOptions, redactor: Redactor, log: LogSink) -> Http {
        // A proxy's password (in HTTPS_PROXY) is a secret too.
        for password in transport.proxies.passwords() {
            redactor.add(&crate::secret::Secret::new(password));
        }
        Http {
            client: transport.client.clone(),
            slots: transport.slots.clone(),
            proxies: transport.proxies.clone(),
            deadline: Instant::now() + net.run_timeout,
            net,
            requests: AtomicU32::new(0),
            in_flight: AtomicU32::new(0),
            rounds: AtomicU32::new(0),
            redactor,
            log,
            journal: Mutex::new(Vec::new()),
        }
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
        // Each retried attempt: why, and its line for the evidence.
        let mut retries: Vec<(String, String)> = Vec::new();
        let mut attempt = 0u32;
        loop {
            let outcome = self.attempt(req).await;
            let retry_reason = match &outcome {
                Ok(resp) => self.retry_reason(req.retry, resp),
                Err(f) if f.kind.retried() => Some((f.detail.clone(), None)),
                Err(_) => None,
            };
            let done = |outcome: Result<Response, Failure>, retries: Vec<(String, String)>| {
                match outcome {
                    Ok(mut resp) => {
                        resp.elapsed = started.elapsed();
                        resp.retries = retries.into_iter().map(|(_, line)| line).collect();
                        Ok(resp)
                    }
                    Err(mut f) => {
                        // Tries that failed as the last one did are counted, not repeated.
                        f.tries = attempt + 1;
                        f.retries = retries
                            .into_iter()
                            .filter(|(reason, _)| *reason != f.detail)
                            .map(|(_, line)| line)
                            .collect();
                        Err(f)
                    }
                }
            };
            let Some((reason, hint)) = retry_reason.filter(|_| attempt < self.net.retries) else {
                return done(outcome, retries);
            };
            let wait = self.backoff(attempt, hint);
            if Instant::now() + wait >= self.deadline {
                return done(outcome, retries);
            }
            let line = format!(
                "attempt {}: {reason}; retried after {} ms",
                attempt + 1,
                wait.as_millis()
            );
            retries.push((reason.clone(), line));
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
            return Err(Failure::new(
                FailureKind::RunDeadline,
                format!(
                    "The run's time limit (--run-timeout {} s) was reached before this request",
                    self.net.run_timeout.as_secs_f64()
                ),
            ));
        };
        let _on_wire = InFlight::enter(self);
        let slot = tokio::time::timeout(left, self.slots.acquire()).await;
        let Ok(Ok(_slot)) = slot else {
            return Err(Failure::new(
                FailureKind::RunDeadline,
                format!(
                    "The run's time limit (--run-timeout {} s) was reached while this request waited to be sent",
                    self.net.run_timeout.as_secs_f64()
                ),
            ));
        };
        let left = self.deadline.saturating_duration_since(Instant::now());
        let limit = self.net.timeout.min(left);
        let n = self.requests.fetch_add(1, Ordering::Relaxed) + 1;
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
        let route = self.proxies.route(&req.url);
        // A time limit reached through a proxy: either may be what kept the answer.
        let through = |detail: String| match &route {
            Some(p) => format!("{detail} (through {})", p.describe()),
            None => detail,
        };
        let outcome = match result {
            Err(_) if limit < self.net.timeout => Err(Failure::new(
                FailureKind::RunDeadline,
                through(format!(
                    "The run's time limit (--run-timeout {} s) was reached while waiting for {}",
                    self.net.run_timeout.as_secs_f64(),
                    host_port(&req.url)
                )),
            )),
            Err(_) => Err(Failure::new(
                FailureKind::Timeout,
                through(format!(
                    "No complete answer from {} within {} s (--timeout)",
                    host_port(&req.url),
                    self.net.timeout.as_secs_f64()
                )),
            )),
            Ok(Err(ReadError::TooLarge(n))) => Err(Failure::new(
                FailureKind::BodyTooLarge,
                format!(
                    "The answer from {} is larger than the {} byte limit (at least {n} bytes)",
                    host_port(&req.url),
                    self.net.body_limit
                ),
            )),
            Ok(Err(ReadError::Http(e))) => Err(match &route {
                Some(p) => proxy::classify(&e, &req.url, p, self.net.connect_timeout),
                None => classify(&e, &req.url, self.net.connect_timeout),
            }),
            // 407 is a proxy's status by definition (RFC 9110 §15.5.8): the proxy that plain
            // HTTP goes through answered, not the host.
            Ok(Ok(r)) if r.status == 407 => Err(proxy::proxy_asks_for_credentials(route.as_ref())),
            Ok(Ok(mut r)) => {
                r.elapsed = elapsed;
                Ok(r)
            }
        };
        self.log_attempt(n, req, &outcome, elapsed);
        outcome
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proxy_password_is_redacted_by_every_http_client_of_the_transport() {
        let proxies = Proxies::from_env(|name| {
            (name == "HTTPS_PROXY")
                .then(|| "http://ci:pr0xy-Passw0rd-2026%21@proxy.corp:3128".into())
        });
        let transport = Transport::with_proxies(&NetOptions::default(), proxies).unwrap();
        let http = Http::on(
            &transport,
            NetOptions::default(),
            Redactor::default(),
            stderr_sink(),
        );
        let line = "Proxy-Authorization for pr0xy-Passw0rd-2026! (pr0xy-Passw0rd-2026%21)";
        let shown = http.redactor().redact(line);
        assert!(!shown.contains("pr0xy-Passw0rd"), "{shown}");
    }
}
