//! `check --support-report`: the Markdown report for Kraken's "Get measurements help" page,
//! snapshotted for a broken application, and free of the secret and every token.

use base64::Engine as _;

use crate::common::{check, property_id, sim};
use crate::snap;

#[test]
fn support_report_for_a_missing_permission() {
    // Proves: the report carries the problem, environment, queries and responses for a broken
    // application (snapshotted, ports and times filtered) and no secret, token or Basic
    // credential.
    let sim = sim("missing-detailed-usage");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("support.md");
    let pid = property_id(&sim);
    let r = check(
        &sim,
        &[
            "--property-id",
            &pid,
            "--support-report",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 1, "{}", r.transcript());
    let md = std::fs::read_to_string(&path).expect("the support report is written");
    assert!(md.contains("perm.can-view-detailed-usage"));

    let app = sim.applications().into_iter().next().unwrap();
    let secret = app.client_secret.expose();
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{}:{secret}", app.client_id));
    assert!(!md.contains(secret), "the secret is in the support report");
    assert!(
        !md.contains(&basic),
        "the Basic credential is in the support report"
    );
    let tokens = sim.issued_tokens();
    assert!(!tokens.is_empty());
    for t in &tokens {
        assert!(!md.contains(t.as_str()), "a token is in the support report");
    }
    snap!("support__missing-detailed-usage", stable_request_order(&md));
}

/// The requests list is in completion order, which varies between runs (the probes of a
/// round go out at once): sort it so the snapshot is stable.
fn stable_request_order(md: &str) -> String {
    let Some((head, requests)) = md.split_once("## Requests\n") else {
        return md.to_string();
    };
    let mut lines: Vec<&str> = requests.lines().collect();
    // Sort on the line without its duration `(12 ms)`, which varies too.
    let key = |l: &str| match (l.find(" ("), l.find(") ")) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &l[..a], &l[b + 1..]),
        _ => l.to_string(),
    };
    lines.sort_by_key(|l| key(l));
    format!("{head}## Requests\n{}\n", lines.join("\n"))
}
