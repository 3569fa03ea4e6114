//! Object-level refusals, other search results, service conditions, list shapes, missing
//! fields, malformed answers and not-found: what a permission is (not) blamed for.

use serde_json::json;

use super::*;

#[test]
fn a_property_outside_the_customers_is_not_blamed_on_a_role_that_lists_both() {
    let mut ev = evidence(property("240811"));
    bare(&mut ev, ProbeKey::Viewer, viewer(BOTH));
    bare(&mut ev, ProbeKey::Search, empty_search());
    let refused = error(
        &[json!("property")],
        "KT-CT-4177",
        "AUTHORIZATION",
        "Unauthorized.",
    );
    bare(
        &mut ev,
        ProbeKey::Read,
        json!({"data": {"property": null}, "errors": [refused]}),
    );
    let s = statuses(&ev);
    assert_eq!(s["perm.can-query-property"], "pass");
    assert_eq!(s["perm.can-view-detailed-usage"], "pass");
    assert_eq!(s["data.measurements"], "fail");
    let data = judge::verdicts(&ev)
        .into_iter()
        .find(|c| c.id == "data.measurements")
        .unwrap();
    let fix = data.remediation.unwrap();
    assert!(
        fix.contains("property 240811") && fix.contains("customers"),
        "{fix}"
    );
}

#[test]
fn a_refusal_at_another_search_result_is_about_that_result() {
    let mut ev = evidence(supply_point("1200023305967"));
    bare(&mut ev, ProbeKey::Viewer, viewer(&[]));
    let refused = error(
        &[
            json!("propertiesSearch"),
            json!(1),
            json!("property"),
            json!("measurements"),
        ],
        "KT-CT-4177",
        "AUTHORIZATION",
        "Unauthorized.",
    );
    bare(
        &mut ev,
        ProbeKey::Read,
        json!({"data": {"propertiesSearch": [
            {"property": {"id": "1", "measurements": measurement()}},
            {"property": {"id": "2", "measurements": null}}]}, "errors": [refused]}),
    );
    let s = statuses(&ev);
    assert_eq!(s["perm.can-query-property"], "pass");
    assert_eq!(s["perm.can-view-detailed-usage"], "pass");
    assert_eq!(s["data.measurements"], "pass");
}

#[test]
fn service_conditions_are_not_proven_never_try_again() {
    let mut ev = evidence(DataTarget::default());
    bare(&mut ev, ProbeKey::Viewer, viewer(&[]));
    let off = error(
        &[json!("propertiesSearch")],
        "KT-CT-6625",
        "SERVICE_AVAILABILITY",
        "The property search is not enabled in this environment.",
    );
    bare(
        &mut ev,
        ProbeKey::Search,
        json!({"data": null, "errors": [off]}),
    );
    let s = statuses(&ev);
    assert_eq!(s["perm.can-query-property"], "warn");
    let qp = judge::verdicts(&ev)
        .into_iter()
        .find(|c| c.id == "perm.can-query-property")
        .unwrap();
    assert!(qp.remediation.unwrap().contains("--property-id"));

    for (code, ty) in [
        ("KT-CT-1113", "SERVICE_AVAILABILITY"),
        ("KT-CT-4711", "APPLICATION"),
    ] {
        let mut ev = evidence(property("240811"));
        bare(&mut ev, ProbeKey::Viewer, viewer(BOTH));
        bare(&mut ev, ProbeKey::Search, empty_search());
        let e = error(&[json!("property"), json!("measurements")], code, ty, "…");
        bare(
            &mut ev,
            ProbeKey::Read,
            json!({"data": {"property": {"id": "240811", "measurements": null}}, "errors": [e]}),
        );
        let s = statuses(&ev);
        assert_eq!(s["perm.can-view-detailed-usage"], "pass", "{code}: listed");
        assert_eq!(
            s["data.measurements"], "error",
            "{code}: not read, never exit 0"
        );
        let data = judge::verdicts(&ev)
            .into_iter()
            .find(|c| c.id == "data.measurements")
            .unwrap();
        assert!(
            !data.remediation.unwrap().starts_with("Run again"),
            "{code}"
        );
    }
}

#[test]
fn an_empty_or_unknown_permission_list_proves_nothing() {
    for list in [viewer(&[]), viewer(&["detailed usage", "query property"])] {
        let mut ev = evidence(DataTarget::default());
        bare(&mut ev, ProbeKey::Viewer, list);
        bare(&mut ev, ProbeKey::Search, empty_search());
        let s = statuses(&ev);
        assert_eq!(s["perm.can-query-property"], "warn");
        assert_eq!(s["perm.can-view-detailed-usage"], "warn");
        assert_eq!(s["perm.exact"], "warn");
    }
}

#[test]
fn a_kraken_without_the_permissions_field_costs_only_perm_exact() {
    let mut ev = evidence(property("240811"));
    let missing = json!({"errors": [{"message": "Cannot query field 'permissions' on type 'ThirdPartyOrganizationType'.",
                                     "locations": [{"line": 4, "column": 5}]}]});
    bare(&mut ev, ProbeKey::Viewer, missing);
    bare(&mut ev, ProbeKey::Search, empty_search());
    bare(
        &mut ev,
        ProbeKey::Read,
        json!({"data": {"property": {"id": "240811", "measurements": measurement()}}}),
    );
    let s = statuses(&ev);
    assert_eq!(s["api.token-accepted"], "pass");
    assert_eq!(s["perm.can-query-property"], "pass");
    assert_eq!(s["perm.can-view-detailed-usage"], "pass");
    assert_eq!(s["perm.exact"], "warn");
    assert_eq!(s["data.measurements"], "pass");
}

#[test]
fn a_malformed_answer_is_an_error_not_a_warning() {
    let mut ev = evidence(property("240811"));
    bare(&mut ev, ProbeKey::Viewer, json!({"data": null}));
    bare(&mut ev, ProbeKey::Search, json!({"data": null}));
    bare(&mut ev, ProbeKey::Read, json!({"data": null}));
    let s = statuses(&ev);
    assert_eq!(s["api.token-accepted"], "error");
    for id in ["perm.can-query-property", "perm.exact", "data.measurements"] {
        assert_eq!(s[id], "skip", "{id}: not run, naming api.token-accepted");
    }
}

#[test]
fn not_found_is_the_same_status_for_a_property_and_a_supply_point() {
    let mut by_property = evidence(property("999"));
    bare(&mut by_property, ProbeKey::Viewer, viewer(BOTH));
    bare(&mut by_property, ProbeKey::Search, empty_search());
    bare(
        &mut by_property,
        ProbeKey::Read,
        json!({"data": {"property": null}}),
    );
    let mut by_supply_point = evidence(supply_point("1200023305967"));
    bare(&mut by_supply_point, ProbeKey::Viewer, viewer(BOTH));
    bare(&mut by_supply_point, ProbeKey::Read, empty_search());
    assert_eq!(status_of(&by_property, "data.measurements"), "error");
    assert_eq!(status_of(&by_supply_point, "data.measurements"), "error");
}

/// Step 12 says exactly: with both required names listed, every other name is an extra,
/// known to the tool or not; an unknown name is offered as a possible spelling only of a
/// required permission the list does not name, and never more of them than are missing.
#[test]
fn exactly_means_exactly_whatever_the_tool_knows() {
    let exact = |names: &[&str]| {
        let mut ev = evidence(DataTarget::default());
        bare(&mut ev, ProbeKey::Viewer, viewer(names));
        bare(&mut ev, ProbeKey::Search, empty_search());
        judge::verdicts(&ev)
            .into_iter()
            .map(|c| (c.id.clone(), c))
            .collect::<BTreeMap<_, _>>()
    };
    let telemetry = "CAN_VIEW_SMART_METER_TELEMETRY";
    // Both required and anything else: fail, naming the extra.
    for names in [
        &[BOTH[0], BOTH[1], telemetry][..],
        &[telemetry, "can-query-property", "Can view detailed usage"],
        &[BOTH[0], BOTH[1], "CAN_VIEW_ACCOUNT_DETAILS", telemetry],
    ] {
        let r = exact(names);
        let e = &r["perm.exact"];
        assert_eq!(e.status.as_str(), "fail", "{names:?}: {}", e.summary);
        assert!(e.summary.contains(telemetry), "{}", e.summary);
        assert_eq!(r["perm.can-query-property"].status.as_str(), "pass");
    }
    // More unknown names than required ones missing: at least one is an extra.
    for names in [
        &[BOTH[0], "CAN_QUERY_PROPERTIES", telemetry][..],
        &["a", "b", "c"],
    ] {
        let e = &exact(names)["perm.exact"];
        assert_eq!(e.status.as_str(), "fail", "{names:?}: {}", e.summary);
        assert!(e.summary.contains("at most"), "{}", e.summary);
    }
    // One required name missing, one unknown name: it may be that one, and says which.
    let r = exact(&[BOTH[0], "CAN_QUERY_PROPERTIES"]);
    let e = &r["perm.exact"];
    assert_eq!(e.status.as_str(), "warn", "{}", e.summary);
    assert!(
        e.summary
            .contains("may be CAN_QUERY_PROPERTY spelled another way")
            && !e.summary.contains("CAN_VIEW_DETAILED_USAGE spelled"),
        "{}",
        e.summary
    );
    // ... and the list does not fail the permission that name may be.
    assert_eq!(r["perm.can-query-property"].status.as_str(), "warn");
    assert_eq!(r["perm.can-view-detailed-usage"].status.as_str(), "pass");
    // The same name written twice is one name.
    let e = &exact(&[BOTH[0], "can-query-properties", "CAN_QUERY_PROPERTIES"])["perm.exact"];
    assert_eq!(e.status.as_str(), "warn", "{}", e.summary);
    // Without an unknown name, a missing required permission is the perm checks' to fail.
    let r = exact(&[BOTH[0]]);
    assert_eq!(r["perm.exact"].status.as_str(), "pass");
    assert_eq!(r["perm.can-query-property"].status.as_str(), "fail");
}

/// A check a fault left open says "run again" only when another run can answer: a 503 or a
/// rate limit may pass; a web page where GraphQL should be, or null without an error, comes
/// back the same, and the fix names the URL to check instead.
#[test]
fn run_again_only_when_the_fault_is_transient() {
    let result = |search_status: u16, search: Value| {
        let mut ev = evidence(DataTarget::default());
        bare(&mut ev, ProbeKey::Viewer, viewer(&[]));
        answer(
            &mut ev,
            ProbeKey::Search,
            HeaderForm::Bare,
            0,
            search_status,
            search,
        );
        judge::verdicts(&ev)
            .into_iter()
            .find(|c| c.id == "perm.can-query-property")
            .unwrap()
    };
    let throttled = error(
        &[json!("propertiesSearch")],
        "KT-CT-1199",
        "RATE_LIMIT",
        "Too many requests.",
    );
    for (status, body, transient) in [
        (503, json!("Service Unavailable"), true),
        (200, json!({"data": null, "errors": [throttled]}), true),
        (404, json!("<html>Not Found</html>"), false),
        (200, json!({"data": {"propertiesSearch": null}}), false),
    ] {
        let r = result(status, body.clone());
        let fix = r.remediation.clone().unwrap_or_default();
        assert_eq!(r.status.as_str(), "error", "{body}: {}", r.summary);
        assert_eq!(
            crate::checks::says_run_again(&fix),
            transient,
            "{status} {body}: {fix}"
        );
        if !transient {
            assert!(fix.contains("--api-url"), "{fix}");
        }
    }
}
