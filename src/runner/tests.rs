//! Verdicts from hand-built evidence, without a server: each test writes down answers a real
//! Kraken gives (the shapes of shared/kraken/README.md, "Krakens differ") and holds the
//! statuses the judges give them. The decision tables prove the decisions; these prove that
//! the classification of real answer shapes reaches the right row.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::evidence::{Evidence, Exchange, ProbeKey, ProbePlan, Refetch};
use super::judge;
use super::plan::{self, ReadTarget};
use super::schema::SchemaKnowledge;
use crate::config::DataTarget;
use crate::kraken::graphql::parse_envelope;
use crate::kraken::http::Response;
use crate::kraken::model::HeaderForm;
use crate::kraken::token::{TokenReply, parse_token_response};

const TOKEN_OK: &str =
    r#"{"access_token":"tok-abc-123","expires_in":3600,"token_type":"Bearer","scope":"read"}"#;

fn token(status: u16, body: &str) -> TokenReply {
    let response = Response::from_body(status, body);
    TokenReply {
        outcome: parse_token_response(&response),
        response,
    }
}

/// Evidence of a run whose token requests went as they should, every check selected.
fn evidence(data: DataTarget) -> Evidence {
    let url = |s: &str| url::Url::parse(s).unwrap();
    let mut ev = Evidence::new(
        url("https://auth.example-kraken.energy/token/"),
        url("https://api.example-kraken.energy/v1/graphql/"),
        "client".into(),
        data,
        crate::checks::ids()
            .into_iter()
            .filter(|id| !id.starts_with("manual."))
            .collect(),
    );
    let refused = r#"{"error": "invalid_client"}"#;
    ev.tokens.documented = Some(Ok(token(200, TOKEN_OK)));
    ev.tokens.basic = Some(Ok(token(200, TOKEN_OK)));
    ev.tokens.no_secret = Some(Ok(token(401, refused)));
    ev.tokens.wrong_secret = Some(Ok(token(401, refused)));
    ev.tokens.public_probe = Some(Ok(token(401, refused)));
    ev.schema = SchemaKnowledge::Unknown("not asked in this test".into());
    ev
}

fn property(id: &str) -> DataTarget {
    DataTarget {
        property_id: Some(id.into()),
        ..DataTarget::default()
    }
}

fn supply_point(sp: &str) -> DataTarget {
    DataTarget {
        supply_point: Some(sp.into()),
        ..DataTarget::default()
    }
}

/// Record the answer (`status`, `body`) to the planned probe `key`, in `form` and `attempt`.
fn answer(
    ev: &mut Evidence,
    key: ProbeKey,
    form: HeaderForm,
    attempt: u8,
    status: u16,
    body: Value,
) {
    let target = ReadTarget::new(&ev.data, ev.graphql_url.host_str().unwrap());
    let plan: ProbePlan = plan::probes(&ev.selected, &target, &ev.schema)
        .into_iter()
        .find(|p| p.key == key)
        .unwrap_or_else(|| panic!("{key:?} is planned"));
    let body = body.to_string();
    let result = Ok(parse_envelope(Response::from_body(status, body), form));
    ev.exchanges.push(Exchange {
        plan,
        form,
        attempt,
        result,
    });
}

fn bare(ev: &mut Evidence, key: ProbeKey, body: Value) {
    answer(ev, key, HeaderForm::Bare, 0, 200, body);
}

fn error(path: &[Value], code: &str, ty: &str, message: &str) -> Value {
    json!({"message": message, "locations": [{"line": 2, "column": 3}], "path": path,
           "extensions": {"errorType": ty, "errorCode": code, "errorDescription": "…"}})
}

fn viewer(perms: &[&str]) -> Value {
    let list: Vec<Value> = perms.iter().map(|p| json!({"permission": p})).collect();
    json!({"data": {"thirdPartyViewer": {"name": "Third party", "permissions": list}}})
}

const BOTH: &[&str] = &["CAN_VIEW_DETAILED_USAGE", "CAN_QUERY_PROPERTY"];

fn empty_search() -> Value {
    json!({"data": {"propertiesSearch": []}})
}

fn measurement() -> Value {
    json!({"edges": [{"node": {"value": "0.1", "unit": "kwh", "readAt": "2026-06-30T00:00:00+00:00"}}]})
}

/// Statuses by check id.
fn statuses(ev: &Evidence) -> BTreeMap<String, String> {
    judge::verdicts(ev)
        .into_iter()
        .map(|c| (c.id, c.status.as_str().to_string()))
        .collect()
}

fn status_of(ev: &Evidence, id: &str) -> String {
    statuses(ev)
        .remove(id)
        .unwrap_or_else(|| panic!("{id} was judged"))
}

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
fn a_bare_header_refused_with_1144_is_never_accepted_and_bearer_is_used() {
    let mut ev = evidence(property("240811"));
    let refused = |field: &str| {
        json!({"data": null, "errors": [error(&[json!(field)], "KT-CT-1144", "AUTHORIZATION",
               "Value of 'Authorization' header is not a valid credential.")]})
    };
    bare(&mut ev, ProbeKey::Viewer, refused("thirdPartyViewer"));
    bare(&mut ev, ProbeKey::Search, refused("propertiesSearch"));
    bare(&mut ev, ProbeKey::Read, refused("property"));
    // Without the other forms tried, nothing says the token works: never a pass.
    assert_eq!(status_of(&ev, "api.token-accepted"), "error");
    assert_eq!(status_of(&ev, "perm.can-query-property"), "skip");
    answer(
        &mut ev,
        ProbeKey::Search,
        HeaderForm::Bearer,
        0,
        200,
        empty_search(),
    );
    answer(
        &mut ev,
        ProbeKey::Viewer,
        HeaderForm::Bearer,
        0,
        200,
        viewer(BOTH),
    );
    answer(
        &mut ev,
        ProbeKey::Read,
        HeaderForm::Bearer,
        0,
        200,
        json!({"data": {"property": {"id": "240811", "measurements": measurement()}}}),
    );
    ev.final_form = HeaderForm::Bearer;
    let s = statuses(&ev);
    assert_eq!(s["api.token-accepted"], "warn");
    assert_eq!(s["perm.can-query-property"], "pass");
    assert_eq!(s["data.measurements"], "pass");
}

#[test]
fn a_gateways_401_refuses_that_header_form_only() {
    let mut ev = evidence(DataTarget::default());
    for key in [ProbeKey::Viewer, ProbeKey::Search] {
        answer(
            &mut ev,
            key,
            HeaderForm::Bare,
            0,
            401,
            json!({"detail": "Unauthorized"}),
        );
    }
    let mut gateway = Response::from_body(401, "<html>401 Authorization Required</html>");
    gateway
        .headers
        .insert("content-type", "text/html".parse().unwrap());
    ev.exchanges[0].result = Ok(parse_envelope(gateway, HeaderForm::Bare));
    answer(
        &mut ev,
        ProbeKey::Search,
        HeaderForm::Bearer,
        0,
        200,
        empty_search(),
    );
    assert_eq!(
        super::view::accept::next(&ev, false),
        super::view::accept::Next::Resend(HeaderForm::Bearer),
        "the gathering repeats the probes with Bearer"
    );
    answer(
        &mut ev,
        ProbeKey::Viewer,
        HeaderForm::Bearer,
        0,
        200,
        viewer(BOTH),
    );
    ev.final_form = HeaderForm::Bearer;
    let s = statuses(&ev);
    assert_eq!(s["api.token-accepted"], "warn");
    assert_eq!(s["perm.can-query-property"], "pass");
}

#[test]
fn keys_rotated_fetches_a_new_token_once() {
    let mut ev = evidence(DataTarget::default());
    let rotated = |field: &str| {
        json!({"data": null, "errors": [error(&[json!(field)], "KT-CT-1125", "APPLICATION",
               "Token keys have rotated. Please obtain a new token and try again.")]})
    };
    bare(&mut ev, ProbeKey::Viewer, rotated("thirdPartyViewer"));
    bare(&mut ev, ProbeKey::Search, rotated("propertiesSearch"));
    assert_eq!(
        super::view::accept::next(&ev, false),
        super::view::accept::Next::Refetch
    );
    ev.refetch = Some(Refetch {
        after_ms: 40,
        code: "KT-CT-1125".into(),
        result: Ok(token(200, TOKEN_OK)),
    });
    ev.final_attempt = 1;
    answer(
        &mut ev,
        ProbeKey::Viewer,
        HeaderForm::Bare,
        1,
        200,
        viewer(BOTH),
    );
    answer(
        &mut ev,
        ProbeKey::Search,
        HeaderForm::Bare,
        1,
        200,
        empty_search(),
    );
    let s = statuses(&ev);
    assert_eq!(s["api.token-accepted"], "pass");
    assert_eq!(
        s["auth.token-lifetime"], "pass",
        "keys rotating says nothing of the lifetime"
    );
    assert_eq!(s["perm.can-query-property"], "pass");
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
