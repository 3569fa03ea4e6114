//! The proxy a request goes through, found as reqwest finds it: hyper-util's matcher (the one
//! reqwest itself uses) over the same variables (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`,
//! `NO_PROXY`, each in either case), so that a failure on the way names the proxy and the
//! variable that chose it rather than blaming the Kraken, in the sentences at the end of
//! this file. Read once per run; never routes anything itself.

use std::time::Duration;

use hyper_util::client::proxy::matcher::Matcher;
use url::Url;

use super::types::{Failure, FailureKind, at_host, chain_of, failure, host_port};

/// A proxy on the way to a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proxy {
    /// Where it listens, as a person writes it (`http://proxy.corp:3128`); never its user
    /// or password.
    pub address: String,
    /// The variable that names it (`HTTPS_PROXY`).
    pub variable: &'static str,
    /// Whether that variable gives a user (and password) for it.
    pub with_credentials: bool,
}

impl Proxy {
    /// How a sentence names it: `the proxy http://proxy.corp:3128 (HTTPS_PROXY)`.
    pub fn describe(&self) -> String {
        format!("the proxy {} ({})", self.address, self.variable)
    }
}

/// The proxy variables of one environment, in the order reqwest reads them.
#[derive(Debug, Clone, Default)]
pub struct Proxies {
    vars: Vec<(&'static str, String)>,
    /// Under CGI (`REQUEST_METHOD` set) reqwest uses no proxy from the environment.
    cgi: bool,
}

const ALL: [&str; 2] = ["ALL_PROXY", "all_proxy"];
const HTTPS: [&str; 2] = ["HTTPS_PROXY", "https_proxy"];
const HTTP: [&str; 2] = ["HTTP_PROXY", "http_proxy"];
const NO: [&str; 2] = ["NO_PROXY", "no_proxy"];

impl Proxies {
    /// The variables as `env` gives them.
    pub fn from_env(env: impl Fn(&str) -> Option<String>) -> Proxies {
        let vars = [ALL, HTTPS, HTTP, NO]
            .into_iter()
            .flatten()
            .filter_map(|name| env(name).map(|value| (name, value)))
            .collect();
        Proxies {
            vars,
            cgi: env("REQUEST_METHOD").is_some(),
        }
    }

    /// The process's variables.
    pub fn from_process() -> Proxies {
        Proxies::from_env(|name| std::env::var(name).ok())
    }

    /// The first of `names` that is set, as reqwest takes it (set but empty counts).
    fn first(&self, names: [&'static str; 2]) -> Option<(&'static str, &str)> {
        names.into_iter().find_map(|name| {
            self.vars
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(n, v)| (*n, v.as_str()))
        })
    }

    /// The proxy a request to `url` goes through, if any.
    pub fn route(&self, url: &Url) -> Option<Proxy> {
        if self.cgi {
            return None;
        }
        let own = match url.scheme() {
            "https" => HTTPS,
            "http" => HTTP,
            _ => return None,
        };
        let uri: http::Uri = url.as_str().parse().ok()?;
        let no = self.first(NO).map_or("", |(_, v)| v);
        // The scheme's own variable first, then ALL_PROXY: the first that gives a proxy
        // for this host (NO_PROXY considered) is the one reqwest connects through.
        [self.first(own), self.first(ALL)]
            .into_iter()
            .flatten()
            .find(|(_, value)| {
                let builder = Matcher::builder().no(no.to_string());
                let matcher = if url.scheme() == "https" {
                    builder.https(value.to_string())
                } else {
                    builder.http(value.to_string())
                }
                .build();
                matcher.intercept(&uri).is_some()
            })
            .map(|(variable, value)| {
                let parsed = proxy_url(value);
                let address = parsed.as_ref().map_or_else(
                    || value.to_string(),
                    |u| {
                        let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
                        format!("{}://{}{port}", u.scheme(), u.host_str().unwrap_or(""))
                    },
                );
                Proxy {
                    address,
                    variable,
                    with_credentials: parsed.is_some_and(|u| !u.username().is_empty()),
                }
            })
    }

    /// The passwords the variables carry, as written and percent-decoded, for the redactor.
    pub fn passwords(&self) -> Vec<String> {
        self.vars
            .iter()
            .filter_map(|(_, v)| proxy_url(v))
            .filter_map(|u| u.password().map(str::to_string))
            .flat_map(|written| [percent_decoded(&written), written])
            .collect()
    }
}

/// A proxy variable's value as a URL: as written, or with `http://` before it when it has no
/// scheme (`user:pass@proxy:3128`), as hyper-util reads it.
fn proxy_url(value: &str) -> Option<Url> {
    Url::parse(value)
        .ok()
        .filter(|u| u.has_host())
        .or_else(|| Url::parse(&format!("http://{value}")).ok())
}

/// `%XX` sequences decoded (a password in a URL's user part is written that way).
fn percent_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What a proxy said when asked to open a tunnel to the host (an HTTPS request through
/// `HTTPS_PROXY`). hyper-util's `TunnelError` is not exported, so its words are read: the one
/// place a library's text is, pinned by a test against a real proxy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tunnel {
    /// 407: the proxy wants credentials.
    AuthRequired,
    /// Any other answer than 200: the proxy will not go there.
    Refused,
    /// The proxy closed the connection without answering.
    Closed,
    /// The proxy itself could not be reached (the cause further down says how).
    Unreached,
    /// Anything else the tunnel reported.
    Other,
}

fn tunnel_of(e: &(dyn std::error::Error + 'static)) -> Option<Tunnel> {
    chain_of(e).iter().find_map(|c| {
        let text = c.to_string();
        let what = text.strip_prefix("tunnel error: ")?;
        Some(match what {
            "proxy authorization required" => Tunnel::AuthRequired,
            "unsuccessful" => Tunnel::Refused,
            "unexpected end of file" => Tunnel::Closed,
            "failed to create underlying connection" | "io error establishing tunnel" => {
                Tunnel::Unreached
            }
            _ => Tunnel::Other,
        })
    })
}

/// reqwest's error of a request that went through `p`, as a [`Failure`] (straight to the
/// host: [`super::types::classify`]).
pub(super) fn classify(
    e: &reqwest::Error,
    url: &Url,
    p: &Proxy,
    connect_limit: Duration,
) -> Failure {
    let (kind, detail) = through_proxy(e, &host_port(url), p, connect_limit);
    failure(e, kind, detail)
}

/// A failure on the way through a proxy: the proxy's own (it refused, it asked for
/// credentials, it could not be reached), or the host's, said with the proxy it went through.
fn through_proxy(
    e: &reqwest::Error,
    at: &str,
    p: &Proxy,
    connect_limit: Duration,
) -> (FailureKind, String) {
    let via = p.describe();
    if p.address.starts_with("socks") {
        // reqwest is built without SOCKS: the request never left.
        return (
            FailureKind::Proxy,
            format!(
                "{via} is a SOCKS proxy, which kraken-doctor does not speak: name an HTTP \
                 proxy in {}, or list {} in NO_PROXY",
                p.variable,
                at.rsplit_once(':').map_or(at, |(host, _)| host)
            ),
        );
    }
    let tunnel = tunnel_of(e);
    // The proxy itself could not be reached: for HTTPS the tunnel says so; a plain-HTTP
    // request through a proxy connects to the proxy, not the host.
    let plain = e.url().is_some_and(|u| u.scheme() == "http");
    let to_proxy =
        tunnel == Some(Tunnel::Unreached) || (tunnel.is_none() && plain && e.is_connect());
    match tunnel {
        Some(Tunnel::AuthRequired) => (FailureKind::Proxy, wants_credentials(Some(p))),
        Some(Tunnel::Refused) => (
            // hyper-util keeps the status to itself: a 403 (not allowed), a 502 or 503 (cannot
            // reach it now, which another try may not meet) read the same here.
            FailureKind::Connect,
            format!(
                "{via} would not open a connection to {at} (it does not allow that host, \
                 cannot reach it, or is no HTTP proxy)"
            ),
        ),
        Some(Tunnel::Closed) => (
            FailureKind::Broken,
            format!("{via} closed the connection instead of opening one to {at}"),
        ),
        Some(Tunnel::Other) => (
            FailureKind::Proxy,
            format!("{via} did not open a connection to {at}"),
        ),
        _ if to_proxy => at_host(e, &via, connect_limit),
        // reqwest's connect limit covers reaching the proxy and its tunnel: either may be
        // what did not answer.
        None if e.is_timeout() && e.is_connect() => (
            FailureKind::Timeout,
            format!(
                "No connection through {via} to {at} within {} s (the connect limit): the \
                 proxy did not answer, or could not reach the host",
                connect_limit.as_secs_f64()
            ),
        ),
        _ => {
            let (kind, detail) = at_host(e, at, connect_limit);
            (kind, format!("{detail} (through {via})"))
        }
    }
}

/// A proxy's 407: it wants a user and password, or refused those its variable gives.
fn wants_credentials(p: Option<&Proxy>) -> String {
    const STATUS: &str = "407 Proxy Authentication Required";
    match p {
        Some(p) if p.with_credentials => format!(
            "{} refused the user and password {} gives it ({STATUS})",
            p.describe(),
            p.variable
        ),
        Some(p) => format!(
            "{} asks for a user and password ({STATUS}): give them in {} as \
             http://USER:PASSWORD@host:port",
            p.describe(),
            p.variable
        ),
        None => format!(
            "A proxy no variable names (one the network puts in the way) asks for a user and \
             password ({STATUS}): set HTTPS_PROXY to it as http://USER:PASSWORD@host:port, or \
             ask your network team"
        ),
    }
}

/// A 407 answer (plain HTTP through a proxy, or a proxy no variable names), as a failure.
pub(super) fn proxy_asks_for_credentials(p: Option<&Proxy>) -> Failure {
    Failure::new(FailureKind::Proxy, wants_credentials(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(vars: &[(&str, &str)]) -> Proxies {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Proxies::from_env(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    fn route(p: &Proxies, url: &str) -> Option<(String, &'static str, bool)> {
        p.route(&Url::parse(url).unwrap())
            .map(|r| (r.address, r.variable, r.with_credentials))
    }

    #[test]
    fn the_proxy_is_the_one_reqwest_would_take() {
        let kraken = "https://auth.octopus.energy/token/";
        assert_eq!(route(&proxies(&[]), kraken), None);
        let https = proxies(&[("HTTPS_PROXY", "http://u:p@proxy.corp:3128")]);
        assert_eq!(
            route(&https, kraken),
            Some(("http://proxy.corp:3128".into(), "HTTPS_PROXY", true))
        );
        assert_eq!(route(&https, "http://127.0.0.1:8080/token/"), None);
        let lower = proxies(&[("https_proxy", "proxy.corp:8080")]);
        assert_eq!(
            route(&lower, kraken),
            Some(("http://proxy.corp:8080".into(), "https_proxy", false))
        );
        let all = proxies(&[("ALL_PROXY", "socks5://127.0.0.1:1080")]);
        assert_eq!(
            route(&all, "http://127.0.0.1:8080/"),
            Some(("socks5://127.0.0.1:1080".into(), "ALL_PROXY", false))
        );
        // An unusable HTTPS_PROXY falls back to ALL_PROXY, as reqwest does.
        let both = proxies(&[("HTTPS_PROXY", "ftp://x:21"), ("ALL_PROXY", "http://p:1")]);
        assert_eq!(route(&both, kraken).map(|r| r.1), Some("ALL_PROXY"));
        for no in [
            "octopus.energy",
            ".octopus.energy",
            "*",
            "auth.octopus.energy",
        ] {
            let skipped = proxies(&[("HTTPS_PROXY", "http://p:1"), ("NO_PROXY", no)]);
            assert_eq!(route(&skipped, kraken), None, "NO_PROXY={no}");
        }
        let cgi = proxies(&[("HTTPS_PROXY", "http://p:1"), ("REQUEST_METHOD", "GET")]);
        assert_eq!(route(&cgi, kraken), None);
    }

    #[test]
    fn credentials_are_known_for_redaction_and_never_in_the_address() {
        let p = proxies(&[("HTTPS_PROXY", "http://alice:s3cr3t%2Bpass@proxy.corp:3128")]);
        assert_eq!(p.passwords(), ["s3cr3t+pass", "s3cr3t%2Bpass"]);
        let bare = proxies(&[("https_proxy", "bob:hunter2-long@proxy.corp:3128")]);
        assert_eq!(bare.passwords(), ["hunter2-long", "hunter2-long"]);
        let r = p
            .route(&Url::parse("https://api.octopus.energy/").unwrap())
            .unwrap();
        assert!(!r.describe().contains("s3cr3t") && !r.describe().contains("alice"));
        assert_eq!(
            r.describe(),
            "the proxy http://proxy.corp:3128 (HTTPS_PROXY)"
        );
    }
}
