//! Reports for the renderers' tests, built through the check registry (`checks/*.toml`) so
//! that every title, summary and remediation is one the tool really prints. Only the values a
//! run would measure are fixed here (times, versions, URLs, what the server said), so that
//! snapshots are stable; between them the reports cover every status and evidence shape.

use super::{CheckResult, Evidence, Report, Status, Target};
use crate::checks::{self, Vars};

/// `assert_snapshot!` into the crate's top-level `snapshots/` directory, named without the
/// module path (`report__human_healthy.snap`). A macro, so that insta records the calling
/// renderer's file as the snapshot's source.
macro_rules! snapshot {
    ($name:expr, $text:expr $(,)?) => {
        insta::with_settings!({
            snapshot_path => concat!(env!("CARGO_MANIFEST_DIR"), "/snapshots"),
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!($name, $text);
        })
    };
}
pub(crate) use snapshot;

/// The registry's result for check `id` and `outcome`, with these placeholder values.
fn result(id: &str, outcome: &str, vars: &[(&'static str, &str)], ms: u64) -> CheckResult {
    let spec = checks::get(id).unwrap_or_else(|| panic!("no check {id} in the registry"));
    let vars: Vars = vars.iter().map(|&(k, v)| (k, v.to_string())).collect();
    spec.result(outcome, &vars, Evidence::default(), ms)
}

/// A passing result.
fn pass(id: &str, vars: &[(&'static str, &str)], ms: u64) -> CheckResult {
    result(id, "pass", vars, ms)
}

/// `check` with `evidence`.
fn with(mut check: CheckResult, evidence: Evidence) -> CheckResult {
    check.evidence = evidence;
    check
}

fn notes(lines: &[&str]) -> Vec<String> {
    lines.iter().map(|s| s.to_string()).collect()
}

fn target(client_id: &str, profile: Option<&str>) -> Target {
    Target {
        auth_url: "https://auth.oeg-kraken.energy/token/".to_string(),
        api_url: "https://api.oeg-kraken.energy/v1/graphql/".to_string(),
        client_id: client_id.to_string(),
        profile: profile.map(str::to_string),
    }
}

/// A report with fixed, version-independent metadata.
fn report(target: Target, duration_ms: u64, strict: bool, checks: Vec<CheckResult>) -> Report {
    let mut report = Report::new(
        target,
        "2026-07-27T09:30:00Z".to_string(),
        duration_ms,
        14,
        strict,
        checks,
    );
    report.tool_version = "0.0.0-fixture";
    report
}

/// The items no probe can see, as every run shows them.
fn manual_items() -> Vec<CheckResult> {
    checks::all()
        .iter()
        .filter(|c| c.id.group() == checks::CheckGroup::Manual)
        .map(|c| result(c.id.as_str(), "manual", &[], 0))
        .collect()
}

/// The passing results shared by the fixtures, `auth.reachable` and `auth.token`.
fn auth_passes(client_id: &str) -> Vec<CheckResult> {
    vec![
        pass(
            "auth.reachable",
            &[
                ("token_url", "https://auth.oeg-kraken.energy/token/"),
                ("http_status", "401"),
                ("transport_note", ""),
            ],
            84,
        ),
        pass(
            "auth.token",
            &[
                ("client_id", client_id),
                ("token_type", "Bearer"),
                ("expires_in", "3600 s"),
            ],
            112,
        ),
    ]
}

/// Everything proven right: exit code 0.
pub(crate) fn healthy() -> Report {
    let mut checks = auth_passes("kd-healthy-0001");
    checks.extend([
        pass("auth.confidential", &[], 97),
        pass("auth.methods", &[], 140),
        pass(
            "auth.token-lifetime",
            &[
                ("expires_in", "3600"),
                ("jwt_note", "; JWT exp agrees within 1 s"),
                ("skew_note", ""),
            ],
            0,
        ),
        pass("api.token-accepted", &[("form_note", "")], 65),
        pass(
            "perm.can-query-property",
            &[("proof", "property 12345 is visible to this token")],
            71,
        ),
        pass(
            "perm.can-view-detailed-usage",
            &[(
                "proof",
                "read a measurement (0.060 kWh at 2026-06-28T00:30:00+00:00)",
            )],
            88,
        ),
        pass(
            "perm.exact",
            &[("listed", "CAN_VIEW_DETAILED_USAGE, CAN_QUERY_PROPERTY")],
            133,
        ),
        pass(
            "data.measurements",
            &[
                ("target", "supply point 1900000000001"),
                ("value", "0.060"),
                ("unit", "kWh"),
                ("read_at", "2026-06-28T00:30:00+00:00"),
                ("interval", " (30 min interval)"),
            ],
            1204,
        ),
    ]);
    checks.extend(manual_items());
    report(target("kd-healthy-0001", None), 1532, false, checks)
}

/// Something wrong in every way a report can say it: every status, every evidence shape, and
/// two checks that share their fix and notes (a rate limit). Exit code 1.
pub(crate) fn broken() -> Report {
    let denial = "KT-CT-1111 (AUTHORIZATION) at property.measurements: Unauthorized.";
    let denied_note = "KrakenDoctorMeasurements as `Authorization: <token>` → HTTP 200 \
                       KT-CT-1111 (AUTHORIZATION) at property.measurements: Unauthorized.";
    let rate_limit = || Evidence {
        http_status: Some(429),
        kraken_error_code: Some("KT-CT-1199".to_string()),
        notes: notes(&["Retry-After: 30", "3 attempts over 30.0 s"]),
        ..Evidence::default()
    };
    let rate_limited = "rate limited: KT-CT-1199 (TOO_MANY_REQUESTS) after 2 retries";
    let mut checks = auth_passes("kd-broken-0002");
    checks.extend([
        with(
            result(
                "auth.confidential",
                "token-without-secret",
                &[("how", "to a request with a wrong secret")],
                102,
            ),
            Evidence {
                http_status: Some(200),
                notes: notes(&["wrong secret → HTTP 200 token issued"]),
                ..Evidence::default()
            },
        ),
        with(
            result(
                "auth.methods",
                "basic-only",
                &[("body_result", "HTTP 401 invalid_client")],
                150,
            ),
            Evidence {
                http_status: Some(401),
                oauth_error: Some("invalid_client".to_string()),
                ..Evidence::default()
            },
        ),
        with(
            result(
                "auth.token-lifetime",
                "odd",
                &[(
                    "problem",
                    "Tokens live 10 hours; Kraken's default is 1 hour",
                )],
                0,
            ),
            Evidence {
                notes: notes(&["expires_in 36000", "JWT exp agrees within 1 s"]),
                ..Evidence::default()
            },
        ),
        with(
            pass("api.token-accepted", &[("form_note", "")], 60),
            Evidence {
                notes: notes(&["attempt 1: HTTP 503; retried after 100 ms"]),
                ..Evidence::default()
            },
        ),
        with(
            result(
                "perm.can-query-property",
                "error",
                &[("reason", rate_limited)],
                30018,
            ),
            rate_limit(),
        ),
        with(
            result(
                "perm.can-view-detailed-usage",
                "denied",
                &[("denial", denial)],
                81,
            ),
            Evidence {
                http_status: Some(200),
                kraken_error_code: Some("KT-CT-1111".to_string()),
                kraken_error_type: Some("AUTHORIZATION".to_string()),
                notes: notes(&[denied_note]),
                ..Evidence::default()
            },
        ),
        with(
            result("perm.exact", "error", &[("reason", rate_limited)], 30011),
            rate_limit(),
        ),
        result("data.measurements", "no-target", &[], 0),
    ]);
    checks.extend(manual_items());
    report(
        target("kd-broken-0002", Some("staging")),
        31960,
        false,
        checks,
    )
}

/// A report whose strings try to break every output format: markup, quotes, control
/// characters, GitHub workflow-command syntax. The checks are real; what a hostile server
/// could put in them is not.
pub(crate) fn hostile() -> Report {
    let nasty = "<b>&amp;\"quoted\" 'single'</b> 100% a:b,c | `x` *y* [z](u)\r\nline2\u{0}\
                 \u{1b}[31m\u{7}\ttab\u{fffe}";
    let statuses = [
        ("auth.token", Status::Fail),
        ("auth.methods", Status::Error),
        ("auth.token-lifetime", Status::Warn),
        ("data.measurements", Status::Skip),
        ("manual.allowed-uris", Status::Manual),
    ];
    let checks = statuses
        .iter()
        .map(|&(id, status)| CheckResult {
            id: id.to_string(),
            title: nasty.to_string(),
            status,
            outcome: status.as_str().to_string(),
            step: vec![],
            duration_ms: 7,
            summary: nasty.to_string(),
            remediation: Some(nasty.to_string()),
            evidence: Evidence {
                http_status: Some(500),
                oauth_error: Some(nasty.to_string()),
                kraken_error_code: Some(nasty.to_string()),
                kraken_error_type: Some(nasty.to_string()),
                notes: vec![nasty.to_string()],
            },
            causes: vec![],
        })
        .collect();
    let mut t = target(nasty, Some(nasty));
    t.auth_url = nasty.to_string();
    report(t, 35, false, checks)
}

/// Every evidence shape once: empty, HTTP only, HTTP + OAuth, Kraken code only, Kraken type
/// only, everything with notes, notes only. Statuses cycle so all six appear.
pub(crate) fn every_evidence_shape() -> Report {
    let shapes = vec![
        Evidence::default(),
        Evidence {
            http_status: Some(503),
            ..Evidence::default()
        },
        Evidence {
            http_status: Some(401),
            oauth_error: Some("invalid_client".to_string()),
            ..Evidence::default()
        },
        Evidence {
            kraken_error_code: Some("KT-CT-1111".to_string()),
            ..Evidence::default()
        },
        Evidence {
            kraken_error_type: Some("AUTHORIZATION".to_string()),
            ..Evidence::default()
        },
        Evidence {
            http_status: Some(400),
            oauth_error: Some("unauthorized_client".to_string()),
            kraken_error_code: Some("KT-CT-1199".to_string()),
            kraken_error_type: Some("TOO_MANY_REQUESTS".to_string()),
            notes: notes(&["one", "two"]),
        },
        Evidence {
            notes: notes(&["only a note"]),
            ..Evidence::default()
        },
    ];
    // One outcome per status, in Status::ALL order, then pass again.
    let outcomes = [
        ("auth.confidential", "pass"),
        ("auth.token-lifetime", "missing"),
        ("auth.token", "invalid-client"),
        ("perm.exact", "error"),
        ("api.token-accepted", "not-run"),
        ("manual.oauth-manager", "manual"),
        ("auth.methods", "pass"),
    ];
    let checks = shapes
        .into_iter()
        .zip(outcomes)
        .enumerate()
        .map(|(i, (evidence, (id, outcome)))| {
            with(
                result(id, outcome, &[("reason", "no answer")], i as u64),
                evidence,
            )
        })
        .collect();
    report(target("kd-shapes", None), 10, true, checks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixture_text_comes_from_the_registry() {
        for report in [healthy(), broken(), every_evidence_shape()] {
            for check in &report.checks {
                let spec = checks::get(&check.id).expect("a registered check");
                assert_eq!(check.title, spec.title, "{}", check.id);
                assert_eq!(check.step, spec.steps, "{}", check.id);
            }
        }
        let statuses: Vec<_> = every_evidence_shape()
            .checks
            .iter()
            .map(|c| c.status)
            .collect();
        assert_eq!(statuses[..6], Status::ALL);
    }
}
