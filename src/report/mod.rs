//! The report model: what a run found, independent of how it is shown. Renderers (human,
//! json, junit) read it; the exit code is computed from it, never inside a renderer.

use serde::{Deserialize, Serialize};

/// Version of the JSON report's shape. Bumped on any incompatible change.
pub const SCHEMA_VERSION: &str = "1";

/// How one check ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Proven right by the server's answers.
    Pass,
    /// Works, but something deserves attention (or could not be fully proven).
    Warn,
    /// The setup is wrong: the server answered, and the answer proves it.
    Fail,
    /// The tool could not decide (network, timeout, TLS, rate limit, unexpected answer).
    Error,
    /// Not applicable or not asked for, with the reason.
    Skip,
    /// A person must confirm it on the support site.
    Manual,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Warn,
        Status::Fail,
        Status::Error,
        Status::Skip,
        Status::Manual,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Skip => "skip",
            Status::Manual => "manual",
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a verdict rests on: the server's own words.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// HTTP status of the deciding response, if there was one.
    pub http_status: Option<u16>,
    /// OAuth `error` from the token endpoint (`invalid_client`, ...).
    pub oauth_error: Option<String>,
    /// Kraken `extensions.errorCode` (`KT-CT-1111`, ...).
    pub kraken_error_code: Option<String>,
    /// Kraken `extensions.errorType` (`AUTHORIZATION`, ...).
    pub kraken_error_type: Option<String>,
    /// Further observations, one line each (what was sent, what came back, retries).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Evidence {
    pub fn is_empty(&self) -> bool {
        self == &Evidence::default()
    }
}

/// The result of one check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    /// Stable check id (`auth.token`).
    pub id: String,
    /// One-line title of the check.
    pub title: String,
    /// How it ended.
    pub status: Status,
    /// Steps of the Kraken setup guide this check covers.
    pub step: Vec<u32>,
    /// Wall time spent on this check's own requests, in milliseconds.
    pub duration_ms: u64,
    /// One line: what was found.
    pub summary: String,
    /// What to do, in the words of the Kraken setup (page, field, step). `None` on pass.
    pub remediation: Option<String>,
    /// What the verdict rests on.
    pub evidence: Evidence,
}

/// Where the run pointed.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// Token endpoint URL.
    pub auth_url: String,
    /// GraphQL endpoint URL.
    pub api_url: String,
    /// The OAuth client id checked (not a secret).
    pub client_id: String,
    /// Profile name, when the target came from a profile.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
}

/// Counts per status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub pass: usize,
    pub warn: usize,
    pub fail: usize,
    pub error: usize,
    pub skip: usize,
    pub manual: usize,
}

impl Summary {
    pub fn of(checks: &[CheckResult]) -> Summary {
        let mut s = Summary::default();
        for c in checks {
            *s.slot(c.status) += 1;
        }
        s
    }

    fn slot(&mut self, status: Status) -> &mut usize {
        match status {
            Status::Pass => &mut self.pass,
            Status::Warn => &mut self.warn,
            Status::Fail => &mut self.fail,
            Status::Error => &mut self.error,
            Status::Skip => &mut self.skip,
            Status::Manual => &mut self.manual,
        }
    }

    pub fn count(&self, status: Status) -> usize {
        let mut copy = self.clone();
        *copy.slot(status)
    }
}

/// A whole run against one target.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Shape version of this document.
    pub schema_version: &'static str,
    /// kraken-doctor's version.
    pub tool_version: &'static str,
    pub target: Target,
    /// RFC 3339 UTC time the run started.
    pub started_at: String,
    /// Wall time of the whole run, in milliseconds.
    pub duration_ms: u64,
    /// HTTP requests sent in this run (retries included).
    pub requests: u32,
    pub summary: Summary,
    /// The process exit code this report implies (0, 1 or 3).
    pub exit_code: i32,
    /// Whether warnings counted as failures (`--strict`).
    pub strict: bool,
    pub checks: Vec<CheckResult>,
}

impl Report {
    pub fn new(
        target: Target,
        started_at: String,
        duration_ms: u64,
        requests: u32,
        strict: bool,
        checks: Vec<CheckResult>,
    ) -> Report {
        let summary = Summary::of(&checks);
        let exit_code = exit_code(&summary, strict);
        Report {
            schema_version: SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION"),
            target,
            started_at,
            duration_ms,
            requests,
            summary,
            exit_code,
            strict,
            checks,
        }
    }
}

/// 1 if anything failed (or warned, under `--strict`), else 3 if anything errored, else 0.
pub fn exit_code(summary: &Summary, strict: bool) -> i32 {
    if summary.fail > 0 || (strict && summary.warn > 0) {
        1
    } else if summary.error > 0 {
        3
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(fail: usize, error: usize, warn: usize) -> Summary {
        Summary {
            fail,
            error,
            warn,
            ..Summary::default()
        }
    }

    #[test]
    fn exit_code_puts_fail_before_error_and_strict_turns_warn_into_fail() {
        assert_eq!(exit_code(&summary(0, 0, 0), false), 0);
        assert_eq!(exit_code(&summary(0, 0, 2), false), 0);
        assert_eq!(exit_code(&summary(0, 0, 2), true), 1);
        assert_eq!(exit_code(&summary(1, 1, 0), false), 1);
        assert_eq!(exit_code(&summary(0, 1, 0), false), 3);
        assert_eq!(exit_code(&summary(0, 1, 1), true), 1);
    }
}
