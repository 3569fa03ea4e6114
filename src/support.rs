//! `check --support-report`: a Markdown report in the shape Kraken's "Get measurements help"
//! page asks for — problem statement (expected, got), environment (which Kraken, production
//! or test, tool version), every GraphQL query with its variables and every response with
//! its error codes. What each check expects comes from its file (`checks/<id>.toml`), like
//! its title and steps. Secrets and tokens are never in it: the caller redacts the whole text
//! too, as a second guard.

use std::fmt::Write as _;

use crate::checks;
use crate::config::Target;
use crate::kraken::model::{Environment, kraken_name};
use crate::report::{CheckResult, Status};
use crate::runner::RunOutput;

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
            let _ = writeln!(md, "- **{}** ({}): {}", c.id, c.status, about(c));
            if let Some(spec) = checks::get(&c.id) {
                let _ = writeln!(md, "  - Expected: {}", spec.expected);
            }
            let _ = writeln!(md, "  - Returned: {}", c.summary);
            // The causes this outcome found, in the OAuth manager's words.
            for case in &c.causes {
                let _ = writeln!(md, "  - Likely cause: {} {}", case.cause, case.fix);
            }
            let facts = c.evidence.facts();
            if !facts.is_empty() {
                let _ = writeln!(md, "  - Evidence: {}", facts.join(", "));
            }
        }
        let _ = writeln!(md, "\n## Checks\n");
        let _ = writeln!(md, "| check | what | status |\n|---|---|---|");
        for c in &r.checks {
            let _ = writeln!(md, "| `{}` | {} | {} |", c.id, about(c), c.status);
        }
        let _ = writeln!(md, "\n## Environment\n");
        md.push_str(&which_kraken(target));
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

/// A check's title and documented steps, as every printer shows them: `Title (step 12)`.
fn about(c: &CheckResult) -> String {
    checks::get(&c.id).map_or_else(|| c.title.clone(), |spec| spec.titled(&c.title))
}

/// The Markdown list items saying which Kraken and environment `t` is (shared with the
/// guide's handover).
pub fn which_kraken(t: &Target) -> String {
    format!(
        "- Kraken: {}\n- Environment: {}\n",
        kraken_name(&t.graphql_url),
        Environment::of(&t.graphql_url).describe()
    )
}
