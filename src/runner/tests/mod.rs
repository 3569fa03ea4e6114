//! Verdicts from hand-built evidence, without a server: each test writes down answers a real
//! Kraken gives (the shapes of docs/krakens.md) and holds the
//! statuses the judges give them. The decision tables prove the decisions; these prove that
//! the classification of real answer shapes reaches the right row.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::ReadTarget;
use super::evidence::{Evidence, Exchange, ProbeKey, ProbePlan, Refetch};
use super::judge;
use super::plan;
use super::schema::SchemaKnowledge;
use crate::kraken::graphql::parse_envelope;
use crate::kraken::http::Response;
use crate::kraken::model::HeaderForm;
use crate::kraken::token::{TokenReply, parse_token_response};
use crate::runner::DataTarget;

pub(super) const TOKEN_OK: &str =
    r#"{"access_token":"tok-abc-123","expires_in":3600,"token_type":"Bearer","scope":"read"}"#;

pub(super) fn token(status: u16, body: &str) -> TokenReply {
    let response = Response::from_body(status, body);
    TokenReply {
        outcome: parse_token_response(&response),
        response,
    }
}

/// Evidence of a run whose token requests went as they should, every check selected.
pub(super) fn evidence(data: DataTarget) -> Evidence {
    let url = |s: &str| url::Url::parse(s).unwrap();
    let mut ev = Evidence::new(
        url("https://auth.example-kraken.energy/token/"),
        url("https://api.example-kraken.energy/v1/graphql/"),
        "client".into(),
        data,
        crate::checks::CheckId::ALL
            .into_iter()
            .filter(|id| id.group() != crate::checks::CheckGroup::Manual)
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

pub(super) fn property(id: &str) -> DataTarget {
    DataTarget {
        property_id: Some(id.into()),
        ..DataTarget::default()
    }
}

pub(super) fn supply_point(sp: &str) -> DataTarget {
    DataTarget {
        supply_point: Some(sp.into()),
        ..DataTarget::default()
    }
}

/// Record the answer (`status`, `body`) to the planned probe `key`, in `form` and `attempt`.
pub(super) fn answer(
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

pub(super) fn bare(ev: &mut Evidence, key: ProbeKey, body: Value) {
    answer(ev, key, HeaderForm::Bare, 0, 200, body);
}

pub(super) fn error(path: &[Value], code: &str, ty: &str, message: &str) -> Value {
    json!({"message": message, "locations": [{"line": 2, "column": 3}], "path": path,
           "extensions": {"errorType": ty, "errorCode": code, "errorDescription": "…"}})
}

pub(super) fn viewer(perms: &[&str]) -> Value {
    let list: Vec<Value> = perms.iter().map(|p| json!({"permission": p})).collect();
    json!({"data": {"thirdPartyViewer": {"name": "Third party", "permissions": list}}})
}

pub(super) const BOTH: &[&str] = &["CAN_VIEW_DETAILED_USAGE", "CAN_QUERY_PROPERTY"];

pub(super) fn empty_search() -> Value {
    json!({"data": {"propertiesSearch": []}})
}

pub(super) fn measurement() -> Value {
    json!({"edges": [{"node": {"value": "0.1", "unit": "kwh", "readAt": "2026-06-30T00:00:00+00:00"}}]})
}

/// Statuses by check id.
pub(super) fn statuses(ev: &Evidence) -> BTreeMap<String, String> {
    judge::verdicts(ev)
        .into_iter()
        .map(|c| (c.id, c.status.as_str().to_string()))
        .collect()
}

pub(super) fn status_of(ev: &Evidence, id: &str) -> String {
    statuses(ev)
        .remove(id)
        .unwrap_or_else(|| panic!("{id} was judged"))
}

mod headers;
mod objects;

#[test]
fn the_run_level_outcomes_are_no_checks_own() {
    // `interrupted` and `no-http-client` say why a run decided nothing; a check whose TOML
    // used one of the names would make a report's `outcome` ambiguous.
    for spec in crate::checks::all() {
        for key in [super::INTERRUPTED, super::NO_HTTP_CLIENT] {
            assert!(!spec.outcome.contains_key(key), "{}: {key}", spec.id);
        }
    }
}
