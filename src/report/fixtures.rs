//! Hand-built reports for the renderers' tests: fixed values (times, versions, URLs) so that
//! snapshots are stable, and between them every status and every evidence shape.

use super::{CheckResult, Evidence, Report, Status, Target};

/// `assert_snapshot!` into the crate's top-level `snapshots/` directory, named without the
/// module path (`report__human_healthy.snap`). A macro, so that insta records the calling
/// renderer's file as the snapshot's source.
macro_rules! snapshot {
    ($name:expr, $text:expr $(,)?) => {
        insta::with_settings!({
            snapshot_path => "../../snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!($name, $text);
        })
    };
}
pub(crate) use snapshot;

/// A result with no evidence; `remediation` is set for every status but pass.
fn check(
    id: &str,
    title: &str,
    status: Status,
    step: &[u32],
    ms: u64,
    summary: &str,
) -> CheckResult {
    CheckResult {
        id: id.to_string(),
        title: title.to_string(),
        status,
        step: step.to_vec(),
        duration_ms: ms,
        summary: summary.to_string(),
        remediation: None,
        evidence: Evidence::default(),
    }
}

fn with(mut c: CheckResult, remediation: &str, evidence: Evidence) -> CheckResult {
    c.remediation = Some(remediation.to_string());
    c.evidence = evidence;
    c
}

fn http(status: u16) -> Evidence {
    Evidence {
        http_status: Some(status),
        ..Evidence::default()
    }
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

/// The four items no probe can see, as every run shows them.
fn manual_items() -> Vec<CheckResult> {
    let item = |id, title, step, summary, what| {
        with(
            check(id, title, Status::Manual, &[step], 0, summary),
            what,
            Evidence::default(),
        )
    };
    vec![
        item(
            "manual.oauth-manager",
            "Whoever sets up the app has OAUTH_MANAGER",
            0,
            "Not visible from outside Kraken.",
            "Confirm on the support site that the person creating the application holds the \
             OAUTH_MANAGER permission (API_ENGINEER is not enough).",
        ),
        item(
            "manual.allowed-uris",
            "Allowed URIs left blank",
            6,
            "Not visible from outside Kraken.",
            "On the OAuth application page, leave \"Allowed URIs\" blank: the client-credentials \
             grant never redirects.",
        ),
        item(
            "manual.skip-authorization",
            "\"Skip authorization\" left unchecked",
            8,
            "Not visible from outside Kraken.",
            "On the OAuth application page, make sure \"Skip authorization\" is unchecked.",
        ),
        item(
            "manual.secret-handover",
            "Secret shared securely",
            10,
            "Not visible from outside Kraken.",
            "Confirm the secret key reached the developers through a secure channel (a password \
             manager or a one-time link), never by e-mail or chat.",
        ),
    ]
}

/// Everything proven right: exit code 0.
pub(crate) fn healthy() -> Report {
    let mut checks = vec![
        check(
            "auth.reachable",
            "Auth server answers at /token/",
            Status::Pass,
            &[],
            84,
            "401 invalid_client with an OAuth JSON body, over HTTPS.",
        ),
        check(
            "auth.token",
            "Client-credentials grant issues a token",
            Status::Pass,
            &[4, 5, 13],
            112,
            "Token issued (Bearer, expires in 3600 s).",
        ),
        check(
            "auth.confidential",
            "Client is confidential",
            Status::Pass,
            &[3],
            97,
            "No secret and a wrong secret were both refused with invalid_client.",
        ),
        check(
            "auth.methods",
            "Client authentication methods",
            Status::Pass,
            &[],
            140,
            "Form body and HTTP Basic both work.",
        ),
        check(
            "auth.token-lifetime",
            "Token lifetime is sane",
            Status::Pass,
            &[],
            0,
            "expires_in 3600 s; JWT exp agrees within 1 s.",
        ),
        check(
            "api.token-accepted",
            "API accepts the token",
            Status::Pass,
            &[13],
            65,
            "The bare Authorization header was accepted.",
        ),
        check(
            "perm.can-query-property",
            "Token can query properties",
            Status::Pass,
            &[7, 12],
            71,
            "Property 12345 was returned.",
        ),
        check(
            "perm.can-view-detailed-usage",
            "Token can read measurements",
            Status::Pass,
            &[7, 12],
            88,
            "Measurements of property 12345 were returned.",
        ),
        check(
            "perm.exact",
            "Role carries exactly the two permissions",
            Status::Pass,
            &[12],
            133,
            "No permission beyond CAN_QUERY_PROPERTY and CAN_VIEW_DETAILED_USAGE.",
        ),
        check(
            "data.measurements",
            "One measurement read end to end",
            Status::Pass,
            &[13],
            1204,
            "48 half-hourly readings for supply point 1900000000001.",
        ),
    ];
    checks.extend(manual_items());
    report(target("kd-healthy-0001", None), 1532, false, checks)
}

/// Something wrong in every way a report can say it: every status, every evidence shape.
/// Exit code 1.
pub(crate) fn broken() -> Report {
    let mut checks = vec![
        check(
            "auth.reachable",
            "Auth server answers at /token/",
            Status::Pass,
            &[],
            91,
            "401 invalid_client with an OAuth JSON body, over HTTPS.",
        ),
        check(
            "auth.token",
            "Client-credentials grant issues a token",
            Status::Pass,
            &[4, 5, 13],
            120,
            "Token issued (Bearer, expires in 36000 s).",
        ),
        with(
            check(
                "auth.confidential",
                "Client is confidential",
                Status::Fail,
                &[3],
                102,
                "A token request with a wrong secret was granted a token.",
            ),
            "On the OAuth application page, set \"Client type\" to Confidential (step 3), \
             then issue a new secret key and hand it over again (steps 4 and 10).",
            Evidence {
                http_status: Some(200),
                notes: vec!["sent client_secret=(wrong, 32 random bytes)".to_string()],
                ..Evidence::default()
            },
        ),
        with(
            check(
                "auth.methods",
                "Client authentication methods",
                Status::Warn,
                &[],
                150,
                "HTTP Basic works; the form body, as the Kraken guide shows it, is refused.",
            ),
            "Send client_id and client_secret in the form body as the guide documents, or keep \
             HTTP Basic and note it in your integration's README.",
            Evidence {
                http_status: Some(401),
                oauth_error: Some("invalid_client".to_string()),
                ..Evidence::default()
            },
        ),
        with(
            check(
                "auth.token-lifetime",
                "Token lifetime is sane",
                Status::Warn,
                &[],
                0,
                "Tokens live 10 hours; Kraken's default is 1 hour.",
            ),
            "Nothing to change on your side; if the long lifetime is not intended, ask the \
             Kraken team to reset the application's token lifetime.",
            Evidence {
                notes: vec![
                    "expires_in 36000".to_string(),
                    "JWT exp agrees within 1 s; clock skew 0 s".to_string(),
                ],
                ..Evidence::default()
            },
        ),
        check(
            "api.token-accepted",
            "API accepts the token",
            Status::Pass,
            &[13],
            60,
            "The bare Authorization header was accepted.",
        ),
        check(
            "perm.can-query-property",
            "Token can query properties",
            Status::Pass,
            &[7, 12],
            74,
            "Property 12345 was returned.",
        ),
        with(
            check(
                "perm.can-view-detailed-usage",
                "Token can read measurements",
                Status::Fail,
                &[7, 12],
                81,
                "Reading measurements was denied.",
            ),
            "Give the application the API role THIRD_PARTY_UTILITY_USAGE_DATA_VIEWER (step 7), \
             and make sure that role carries CAN_VIEW_DETAILED_USAGE (step 12). If the role is \
             already set, your Kraken may not have attached the permission to it yet: ask the \
             Kraken team through the \"Get measurements help\" page.",
            Evidence {
                http_status: Some(200),
                kraken_error_code: Some("KT-CT-1111".to_string()),
                kraken_error_type: Some("AUTHORIZATION".to_string()),
                notes: vec!["query: measurements(propertyId: \"12345\", first: 1)".to_string()],
                ..Evidence::default()
            },
        ),
        with(
            check(
                "perm.exact",
                "Role carries exactly the two permissions",
                Status::Error,
                &[12],
                30018,
                "Rate limited: the API kept answering 429 after 2 retries.",
            ),
            "Run the check again in a minute. If it keeps happening, lower --jobs or raise \
             --retries.",
            Evidence {
                http_status: Some(429),
                kraken_error_code: Some("KT-CT-1199".to_string()),
                notes: vec![
                    "Retry-After: 30".to_string(),
                    "3 attempts over 30.0 s".to_string(),
                ],
                ..Evidence::default()
            },
        ),
        with(
            check(
                "data.measurements",
                "One measurement read end to end",
                Status::Skip,
                &[13],
                0,
                "No data target given.",
            ),
            "Pass --property-id ID or --supply-point MPAN to read one measurement end to end.",
            Evidence::default(),
        ),
    ];
    checks.extend(manual_items());
    report(
        target("kd-broken-0002", Some("staging")),
        31960,
        false,
        checks,
    )
}

/// A report whose strings try to break every output format: markup, quotes, control
/// characters, GitHub workflow-command syntax.
pub(crate) fn hostile() -> Report {
    let nasty =
        "<b>&amp;\"quoted\" 'single'</b> 100% a:b,c\r\nline2\u{0}\u{1b}[31m\u{7}\ttab\u{fffe}";
    let statuses = [
        Status::Fail,
        Status::Error,
        Status::Warn,
        Status::Skip,
        Status::Manual,
    ];
    let checks = statuses
        .iter()
        .map(|&status| CheckResult {
            id: format!("hostile.{status}"),
            title: nasty.to_string(),
            status,
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
        http(503),
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
            notes: vec!["one".to_string(), "two".to_string()],
        },
        Evidence {
            notes: vec!["only a note".to_string()],
            ..Evidence::default()
        },
    ];
    let checks = shapes
        .into_iter()
        .enumerate()
        .map(|(i, evidence)| {
            let status = Status::ALL[i % Status::ALL.len()];
            let mut c = check(
                &format!("shape.e{i}"),
                "Evidence shape",
                status,
                &[i as u32],
                i as u64,
                "summary",
            );
            if status != Status::Pass {
                c.remediation = Some("remediation".to_string());
            }
            c.evidence = evidence;
            c
        })
        .collect();
    report(target("kd-shapes", None), 10, true, checks)
}
