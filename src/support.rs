//! `check --support-report`: a Markdown report in the shape Kraken's "Get measurements help"
//! page asks for — problem statement (expected, got), environment (which Kraken, production
//! or test, tool version), every GraphQL query with its variables and every response with
//! its error codes. Secrets and tokens are never in it: the caller redacts the whole text
//! too, as a second guard.

use std::fmt::Write as _;

use crate::config::Target;
use crate::report::Status;
use crate::runner::RunOutput;

/// Environment of a target: production, test, or a local simulator.
pub fn environment(target: &Target) -> &'static str {
    crate::kraken::model::Environment::of(&target.graphql_url).describe()
}

/// Render the support report for every target of a run.
pub fn render(targets: &[Target], outputs: &[RunOutput]) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Kraken measurements help request\n");
    let _ = writeln!(
        md,
        "Written by kraken-doctor {} at {}. Client secrets and access tokens are removed.\n",
        env!("CARGO_PKG_VERSION"),
        outputs
            .first()
            .map_or_else(crate::runner::now_rfc3339, |o| o.report.started_at.clone())
    );
    for (target, out) in targets.iter().zip(outputs) {
        let r = &out.report;
        if targets.len() > 1 {
            let _ = writeln!(
                md,
                "## Application {}\n",
                target.profile.as_deref().unwrap_or(&target.client_id)
            );
        }
        let _ = writeln!(md, "## Problem statement\n");
        let problems: Vec<_> = r
            .checks
            .iter()
            .filter(|c| matches!(c.status, Status::Fail | Status::Error | Status::Warn))
            .collect();
        if problems.is_empty() {
            let _ = writeln!(md, "No problem found: every check passed or was skipped.\n");
        }
        for c in problems {
            let _ = writeln!(md, "- **{}** ({}): {}", c.id, c.status, c.title);
            let _ = writeln!(md, "  - Expected: {}", expected(&c.id));
            let _ = writeln!(md, "  - Returned: {}", c.summary);
            let mut codes = Vec::new();
            if let Some(s) = c.evidence.http_status {
                codes.push(format!("HTTP {s}"));
            }
            if let Some(e) = &c.evidence.oauth_error {
                codes.push(format!("OAuth error {e}"));
            }
            if let Some(k) = &c.evidence.kraken_error_code {
                codes.push(format!("Kraken error {k}"));
            }
            if !codes.is_empty() {
                let _ = writeln!(md, "  - Evidence: {}", codes.join(", "));
            }
        }
        let _ = writeln!(md, "\n## Environment\n");
        let _ = writeln!(md, "- Environment: {}", environment(target));
        let _ = writeln!(md, "- Auth server: {}", target.token_url);
        let _ = writeln!(md, "- GraphQL API: {}", target.graphql_url);
        let _ = writeln!(md, "- OAuth client id: {}", target.client_id);
        let _ = writeln!(
            md,
            "- Grant: client credentials; header `Authorization: <token>`"
        );
        let _ = writeln!(md, "- Tool: kraken-doctor {}", env!("CARGO_PKG_VERSION"));
        let _ = writeln!(md, "\n## Queries and responses\n");
        if out.probes.is_empty() {
            let _ = writeln!(md, "No GraphQL query was sent (no token was obtained).\n");
        }
        for (i, p) in out.probes.iter().enumerate() {
            let _ = writeln!(md, "### {}. {} (`{}`)\n", i + 1, p.label, p.header_form);
            let _ = writeln!(md, "```graphql\n{}\n```\n", p.document.trim());
            let _ = writeln!(
                md,
                "Variables:\n\n```json\n{}\n```\n",
                serde_json::to_string_pretty(&p.variables).unwrap_or_default()
            );
            let status = p
                .http_status
                .map_or("no HTTP answer".to_string(), |s| format!("HTTP {s}"));
            let body = match serde_json::from_str::<serde_json::Value>(&p.response) {
                Ok(v) => serde_json::to_string_pretty(&v).unwrap_or_default(),
                Err(_) => p.response.clone(),
            };
            let _ = writeln!(md, "Response ({status}):\n\n```json\n{body}\n```\n");
        }
        let _ = writeln!(md, "## Requests\n");
        for line in &out.journal {
            let _ = writeln!(md, "- {line}");
        }
        md.push('\n');
    }
    md
}

fn expected(id: &str) -> &'static str {
    match id {
        "auth.reachable" => "the auth server answers POST /token/ with OAuth JSON",
        "auth.token" => "HTTP 200 with an access token for the client-credentials grant",
        "auth.confidential" => "HTTP 401 invalid_client for requests without the right secret",
        "auth.methods" => "a token with the secret in the form body and with HTTP Basic",
        "auth.token-lifetime" => "a sane expires_in that agrees with the token's exp",
        "api.token-accepted" => "the API accepts `Authorization: <token>`",
        "perm.can-query-property" => "property queries answer with data (CAN_QUERY_PROPERTY)",
        "perm.can-view-detailed-usage" => "measurements answer with data (CAN_VIEW_DETAILED_USAGE)",
        "perm.exact" => "the role carries exactly CAN_VIEW_DETAILED_USAGE and CAN_QUERY_PROPERTY",
        "data.measurements" => "one measurement of the given property or supply point",
        _ => "confirmation by a person",
    }
}
