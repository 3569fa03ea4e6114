//! Name resolution for the HTTP client: the system's resolver, behind an error type of our
//! own, so that a failed lookup is recognised by its type in the error chain (never by the
//! words of a message). Names under `.invalid` are answered "no such name" without a lookup,
//! as RFC 6761 (section 6.4) asks of resolver APIs: such a name can never resolve.

use std::net::SocketAddr;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// A name that did not resolve.
#[derive(Debug)]
pub struct DnsFailure {
    pub host: String,
    /// The system resolver's own error, if it was asked.
    pub cause: Option<std::io::Error>,
}

impl std::fmt::Display for DnsFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.cause {
            Some(e) => write!(f, "DNS lookup of {} failed: {e}", self.host),
            None => write!(f, "DNS lookup of {}: no address", self.host),
        }
    }
}

impl std::error::Error for DnsFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.cause
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Whether a name is under the `.invalid` top-level domain (RFC 6761 §6.4).
pub fn never_resolves(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    host == "invalid" || host.ends_with(".invalid")
}

/// The system resolver (getaddrinfo, through tokio), with typed failures.
pub struct SystemResolver;

impl Resolve for SystemResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            if never_resolves(&host) {
                return Err(Box::new(DnsFailure { host, cause: None }) as _);
            }
            let found: std::io::Result<Vec<SocketAddr>> =
                tokio::net::lookup_host((host.as_str(), 0))
                    .await
                    .map(Iterator::collect);
            match found {
                Ok(addrs) => {
                    if addrs.is_empty() {
                        return Err(Box::new(DnsFailure { host, cause: None }) as _);
                    }
                    Ok(Box::new(addrs.into_iter()) as Addrs)
                }
                Err(e) => Err(Box::new(DnsFailure {
                    host,
                    cause: Some(e),
                }) as _),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_invalid_domain_never_resolves() {
        assert!(never_resolves("nonexistent.invalid"));
        assert!(never_resolves("auth.example.INVALID."));
        assert!(never_resolves("invalid"));
        assert!(!never_resolves("invalid.example.com"));
        assert!(!never_resolves("auth.edfgb-kraken.energy"));
    }
}
