//! The report model: what a run found, independent of how it is shown. Renderers (human,
//! json, junit, markdown, openmetrics) read it; the exit code is computed from it
//! (`summary`), never inside a renderer.

use serde::{Deserialize, Serialize};

mod format;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod openmetrics;
mod summary;
pub mod text;

pub use format::ReportFormat;
pub use human::Look;
pub use summary::{Summary, ci_line, combined_exit, combined_exit_code, exit_code, exit_words};

#[cfg(test)]
pub(crate) mod fixtures;

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
    /// Every status, in report order (also the order of [`Summary`]'s fields).
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Warn,
        Status::Fail,
        Status::Error,
        Status::Skip,
        Status::Manual,
    ];

    /// The status as it appears in JSON and JUnit (`pass`, `warn`, ...).
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

    /// The one-column mark shown before the status word (`✓ pass`, `✗ fail`), so that a
    /// status reads at a glance in the terminal and on GitHub alike.
    pub fn mark(self) -> &'static str {
        match self {
            Status::Pass => "✓",
            Status::Warn => "!",
            Status::Fail => "✗",
            Status::Error => "?",
            Status::Skip => "-",
            Status::Manual => "☐",
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
    /// True when there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self == &Evidence::default()
    }

    /// The structured facts as short plain-text phrases (`HTTP 401`,
    /// `OAuth error invalid_client`, `Kraken KT-CT-1111 (AUTHORIZATION)`), notes excluded.
    /// Shared by the text renderers so that evidence reads the same everywhere.
    pub fn facts(&self) -> Vec<String> {
        let mut facts = Vec::new();
        if let Some(status) = self.http_status {
            facts.push(format!("HTTP {status}"));
        }
        if let Some(error) = &self.oauth_error {
            facts.push(format!("OAuth error {error}"));
        }
        match (&self.kraken_error_code, &self.kraken_error_type) {
            (Some(code), Some(kind)) => facts.push(format!("Kraken {code} ({kind})")),
            (Some(code), None) => facts.push(format!("Kraken {code}")),
            (None, Some(kind)) => facts.push(format!("Kraken error type {kind}")),
            (None, None) => {}
        }
        facts
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
    /// The outcome that fired: its key in the check's `checks/<id>.toml` (`pass`, `extra`,
    /// `invalid-client`). What the guide, the handover and the support report tell the OAuth
    /// manager is that outcome's own words, so they give exactly the cause the check found.
    pub outcome: String,
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
    /// Why it was not run, in words, when a check it depends on did not come through ("the
    /// auth server gave no usable answer"): the human report folds the checks it stopped
    /// into one line. The summary says it too, so JSON and JUnit keep it per check.
    #[serde(skip)]
    pub blocked: Option<String>,
    /// The causes of this outcome in the OAuth manager's words, most likely first: its
    /// `causes` in `checks/<id>.toml`, written in `checks/steps.toml`, placeholders filled.
    /// Not in the JSON, where `outcome` names them.
    #[serde(skip)]
    pub causes: Vec<Case>,
}

/// One likely cause of a result that did not pass, and what to do about it. Written in the
/// check registry (`checks/*.toml`), read here by every renderer that names causes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// Why it happens, in terms of the setup.
    pub cause: String,
    /// What to do: which page, which field, which step.
    pub fix: String,
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

/// A whole run against one target.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Shape version of this document.
    pub schema_version: &'static str,
    /// kraken-doctor's version.
    pub tool_version: &'static str,
    /// Where the run pointed.
    pub target: Target,
    /// RFC 3339 UTC time the run started.
    pub started_at: String,
    /// Wall time of the whole run, in milliseconds.
    pub duration_ms: u64,
    /// HTTP requests sent in this run (retries included).
    pub requests: u32,
    /// Counts per status.
    pub summary: Summary,
    /// The process exit code this report implies (0, 1 or 3).
    pub exit_code: i32,
    /// Whether warnings counted as failures (`--strict`).
    pub strict: bool,
    /// Present (true) only when the run was interrupted (Ctrl-C, SIGTERM) before this target
    /// was decided: its checks are `skip` with the summary "interrupted", its exit code 130.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
    /// One result per check, in registry order.
    pub checks: Vec<CheckResult>,
    /// The issued token's lifetime in seconds (`expires_in`, else the JWT's `exp`), when a
    /// token was issued and it told; for the OpenMetrics gauge. Not in the JSON.
    #[serde(skip)]
    pub token_lifetime_s: Option<i64>,
}

impl Report {
    /// Builds a report; the summary and exit code are computed from `checks`.
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
            interrupted: false,
            checks,
            token_lifetime_s: None,
        }
    }

    /// This report, marked as cut short by an interrupt: exit code 130.
    pub fn interrupted(self) -> Report {
        Report {
            interrupted: true,
            exit_code: i32::from(crate::exit::Exit::Interrupted.code()),
            ..self
        }
    }
}

impl Report {
    /// A short name for this target in a multi-target run: the profile, else the client id.
    pub fn label(&self) -> &str {
        self.target
            .profile
            .as_deref()
            .unwrap_or(&self.target.client_id)
    }
}

/// Renders one report in `format`. `look` matters only to the human format.
pub fn render(report: &Report, format: ReportFormat, look: &Look) -> String {
    match format {
        ReportFormat::Human => human::render(report, look),
        ReportFormat::Json => json::render(report),
        ReportFormat::Junit => junit::render(report),
        ReportFormat::Markdown => markdown::render(report),
        ReportFormat::Openmetrics => openmetrics::render(report),
    }
}

/// Renders the reports of a multi-target run as one document in `format`.
pub fn render_multi(reports: &[Report], format: ReportFormat, look: &Look) -> String {
    match format {
        ReportFormat::Human => human::render_multi(reports, look),
        ReportFormat::Json => json::render_multi(reports),
        ReportFormat::Junit => junit::render_multi(reports),
        ReportFormat::Markdown => markdown::render_multi(reports),
        ReportFormat::Openmetrics => openmetrics::render_multi(reports),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_facts_read_the_same_for_every_shape() {
        let report = fixtures::every_evidence_shape();
        let facts: Vec<_> = report.checks.iter().map(|c| c.evidence.facts()).collect();
        assert_eq!(
            facts,
            [
                vec![],
                vec!["HTTP 503".to_string()],
                vec![
                    "HTTP 401".to_string(),
                    "OAuth error invalid_client".to_string()
                ],
                vec!["Kraken KT-CT-1111".to_string()],
                vec!["Kraken error type AUTHORIZATION".to_string()],
                vec![
                    "HTTP 400".to_string(),
                    "OAuth error unauthorized_client".to_string(),
                    "Kraken KT-CT-1199 (TOO_MANY_REQUESTS)".to_string(),
                ],
                vec![],
            ]
        );
    }

    #[test]
    fn render_dispatches_on_the_format() {
        let report = fixtures::broken();
        let reports = [fixtures::broken(), fixtures::healthy()];
        let look = Look::plain(90).colored(true);
        let single: [(ReportFormat, String); 5] = [
            (ReportFormat::Human, human::render(&report, &look)),
            (ReportFormat::Json, json::render(&report)),
            (ReportFormat::Junit, junit::render(&report)),
            (ReportFormat::Markdown, markdown::render(&report)),
            (ReportFormat::Openmetrics, openmetrics::render(&report)),
        ];
        for (format, text) in single {
            assert_eq!(render(&report, format, &look), text, "{format:?}");
        }
        let multi: [(ReportFormat, String); 5] = [
            (ReportFormat::Human, human::render_multi(&reports, &look)),
            (ReportFormat::Json, json::render_multi(&reports)),
            (ReportFormat::Junit, junit::render_multi(&reports)),
            (ReportFormat::Markdown, markdown::render_multi(&reports)),
            (
                ReportFormat::Openmetrics,
                openmetrics::render_multi(&reports),
            ),
        ];
        for (format, text) in multi {
            assert_eq!(render_multi(&reports, format, &look), text, "{format:?}");
        }
    }

    #[test]
    fn a_report_is_labelled_by_profile_else_client_id() {
        assert_eq!(fixtures::broken().label(), "staging");
        assert_eq!(fixtures::healthy().label(), "kd-healthy-0001");
    }
}
