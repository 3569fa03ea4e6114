//! The answer shapes real Krakens give (docs/krakens.md), each
//! served by a scenario option and checked here as raw HTTP: status, headers and the exact
//! JSON a client reads.

use kraken_sim::{Scenario, Simulator};
use serde_json::{Value, json};

use super::{code, gql, start, token};

/// A built-in scenario with `[api]` keys set (or added), written as TOML and read back: the
/// option names are the ones users write.
pub(super) fn with_api(name: &str, settings: &[(&str, &str)], tables: &str) -> Simulator {
    let mut text = Scenario::builtin(name).expect("builtin").to_toml();
    for (key, value) in settings {
        let line = format!("{key} = {value}");
        let prefix = format!("\n{key} = ");
        text = match text.find(&prefix) {
            Some(at) => {
                let end = text[at + 1..].find('\n').map_or(text.len(), |e| at + 1 + e);
                format!("{}\n{line}{}", &text[..at], &text[end..])
            }
            None => text.replacen("[api]\n", &format!("[api]\n{line}\n"), 1),
        };
    }
    text.push_str(tables);
    let scenario = Scenario::from_toml_str(&text, "t.toml").unwrap_or_else(|e| panic!("{e}"));
    Simulator::start(scenario).expect("start")
}

/// `errors[i].path`.
fn path(v: &Value, i: usize) -> &Value {
    &v["errors"][i]["path"]
}

async fn introspect(sim: &Simulator, type_name: &str) -> (u16, Value) {
    let q = format!(
        "{{ __type(name: \"{type_name}\") {{ name fields {{ name args {{ name type {{ name kind ofType {{ name }} }} }} }} inputFields {{ name }} }} }}"
    );
    gql(sim, None, &q).await
}

fn field_names(v: &Value, key: &str) -> Vec<String> {
    v["data"]["__type"][key]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| f["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn introspection_answers_without_a_token_and_follows_the_schema_variant() {
    // Proves `__type` and `__schema` answer with no Authorization header, and that what they
    // list is the scenario's schema: no `permissions`, no `thirdPartyViewer`, no
    // `supplyPoint`, Origin's `property(id, mirn, nmi)` and its UtilityFiltersInput.
    let sim = start("healthy");
    let (status, v) = gql(&sim, None, "{ __schema { queryType { name } } }").await;
    assert_eq!(
        (status, &v),
        (
            200,
            &json!({"data": {"__schema": {"queryType": {"name": "Query"}}}})
        )
    );
    let (_, v) = introspect(&sim, "ThirdPartyOrganizationType").await;
    assert_eq!(field_names(&v, "fields"), ["name", "permissions"]);
    let (_, v) = introspect(&sim, "Query").await;
    let query = field_names(&v, "fields");
    assert!(query.contains(&"supplyPoint".into()) && query.contains(&"thirdPartyViewer".into()));
    assert_eq!(sim.stats().token_requests, 0);

    let (_, v) = introspect(
        &start("viewer-without-permissions"),
        "ThirdPartyOrganizationType",
    )
    .await;
    assert_eq!(field_names(&v, "fields"), ["name"]);
    let (_, v) = introspect(&start("viewer-absent"), "Query").await;
    assert!(
        !field_names(&v, "fields").contains(&"thirdPartyViewer".into()),
        "{v}"
    );
    let (_, v) = introspect(&start("viewer-absent"), "ThirdPartyOrganizationType").await;
    assert_eq!(
        v["data"]["__type"],
        Value::Null,
        "an unreachable type is not listed"
    );
    let (_, v) = introspect(&start("no-supply-point-field"), "Query").await;
    assert!(
        !field_names(&v, "fields").contains(&"supplyPoint".into()),
        "{v}"
    );

    let origin = start("origin-au");
    let (_, v) = introspect(&origin, "Query").await;
    let property = &v["data"]["__type"]["fields"][0];
    assert_eq!(property["name"], "property");
    assert_eq!(
        property["args"],
        json!([
            {"name": "id", "type": {"name": "ID", "kind": "SCALAR", "ofType": null}},
            {"name": "mirn", "type": {"name": "ID", "kind": "SCALAR", "ofType": null}},
            {"name": "nmi", "type": {"name": "ID", "kind": "SCALAR", "ofType": null}},
        ])
    );
    let (_, v) = introspect(&origin, "UtilityFiltersInput").await;
    assert_eq!(field_names(&v, "inputFields"), ["electricityFilters"]);
}

#[tokio::test]
async fn introspection_off_is_refused_as_graphenes_disable_introspection() {
    // Proves `introspection = false`: any `__` field is a validation error in graphene's
    // words (HTTP 200 by default, errors only), and ordinary queries still work.
    let sim = start("introspection-off");
    for (q, field, column) in [
        ("{ __type(name: \"Query\") { name } }", "__type", 3),
        ("{ __schema { types { name } } }", "__schema", 3),
        (
            "{ property(id: \"240811\") { __typename } }",
            "__typename",
            28,
        ),
    ] {
        let (status, v) = gql(&sim, None, q).await;
        assert_eq!(status, 200);
        assert_eq!(
            v,
            json!({"errors": [{
                "message": format!("Cannot query '{field}': introspection is disabled."),
                "locations": [{"line": 1, "column": column}],
            }]}),
            "{q}"
        );
    }
    let t = token(&sim).await;
    let (_, v) = gql(&sim, Some(&t), "{ property(id: \"240811\") { id } }").await;
    assert_eq!(v, json!({"data": {"property": {"id": "240811"}}}));
}

#[tokio::test]
async fn missing_fields_are_validation_errors_with_status_200() {
    // Proves the older-Kraken variants: asking for a field the release lacks is a validation
    // error (HTTP 200, graphql-core's words, no data), while the rest answers.
    for (name, q, message) in [
        (
            "viewer-without-permissions",
            "{ thirdPartyViewer { name permissions { permission } } }",
            "Cannot query field 'permissions' on type 'ThirdPartyOrganizationType'.",
        ),
        (
            "no-supply-point-field",
            "{ supplyPoint(externalIdentifier: \"1200012345679\", marketName: \"GBR_ELECTRICITY\") { id } }",
            "Cannot query field 'supplyPoint' on type 'Query'.",
        ),
        (
            "viewer-absent",
            "{ thirdPartyViewer { name } }",
            "Cannot query field 'thirdPartyViewer' on type 'Query'.",
        ),
        (
            "origin-au",
            "{ property(nmi: \"4102012345\") { measurements(utilityFilters: [{gasFilters: {}}]) { totalCount } } }",
            "Field 'gasFilters' is not defined by type 'UtilityFiltersInput'.",
        ),
    ] {
        let sim = start(name);
        let t = token(&sim).await;
        let (status, v) = gql(&sim, Some(&t), q).await;
        assert_eq!(status, 200, "{name}");
        assert_eq!(v["errors"][0]["message"], message, "{name}: {v}");
        assert_eq!(v["errors"].as_array().map(Vec::len), Some(1));
        assert!(v.get("data").is_none() && v["errors"][0].get("path").is_none());
    }
    let sim = start("viewer-without-permissions");
    let t = token(&sim).await;
    let (_, v) = gql(&sim, Some(&t), "{ thirdPartyViewer { name } }").await;
    assert_eq!(
        v["data"]["thirdPartyViewer"]["name"],
        "Measurements reader (client credentials)"
    );
}

#[tokio::test]
async fn origin_serves_properties_by_nmi_mirn_and_id() {
    // Proves the Origin-like variant: `property(nmi:)` with or without the checksum digit,
    // `property(mirn:)`, `property(id:)`, a GB id unknown (KT-CT-12612), AU market names.
    let sim = start("origin-au");
    let t = token(&sim).await;
    for (arg, id) in [
        ("nmi: \"41020123452\"", "881203"),
        ("nmi: \"4102012345\"", "881203"),
        ("mirn: \"52401234567\"", "881203"),
        ("nmi: \"63051234567\"", "881204"),
        ("id: \"881204\"", "881204"),
    ] {
        let (_, v) = gql(
            &sim,
            Some(&t),
            &format!("{{ property({arg}) {{ id postcode }} }}"),
        )
        .await;
        assert_eq!(v["data"]["property"]["id"], id, "{arg}: {v}");
    }
    let (_, v) = gql(&sim, Some(&t), "{ property(id: \"240811\") { id } }").await;
    assert_eq!(
        (code(&v, 0), path(&v, 0)),
        ("KT-CT-12612", &json!(["property"]))
    );
    let (_, v) = gql(
        &sim,
        Some(&t),
        "{ supplyPoint(externalIdentifier: \"52401234567\", marketName: \"AUS_GAS\") { marketName property { id } } }",
    )
    .await;
    assert_eq!(
        v,
        json!({"data": {"supplyPoint": {"marketName": "AUS_GAS", "property": {"id": "881203"}}}})
    );
    let (_, v) = gql(
        &sim,
        Some(&t),
        "{ supplyPoint(externalIdentifier: \"1200012345679\", marketName: \"GBR_ELECTRICITY\") { id } }",
    )
    .await;
    assert_eq!(code(&v, 0), "KT-CT-4723");
}

const METERED: &str = "query($f: [UtilityFiltersInput]) { property(id: \"240811\") { measurements(first: 3, utilityFilters: $f) { totalCount edges { node { unit metaData { utilityFilters { __typename ... on ElectricityFiltersOutput { marketSupplyPointId deviceId } ... on GasFiltersOutput { marketSupplyPointId deviceId } } } } } } } }";

#[tokio::test]
async fn measurements_filter_by_meter_and_say_which_meter_in_metadata() {
    // Proves several meters on one property: no filter merges both in time order; an
    // electricityFilters / gasFilters entry with a marketSupplyPointId answers only that
    // meter; each node's metaData.utilityFilters names the meter and its device.
    let sim = start("several-meters");
    let t = token(&sim).await;
    let filters = |v: &Value| -> Vec<Value> {
        v["data"]["property"]["measurements"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["metaData"]["utilityFilters"].clone())
            .collect()
    };
    let electricity = json!({"__typename": "ElectricityFiltersOutput",
        "marketSupplyPointId": "1200012345679", "deviceId": "00-1A-2B-FF-FE-3C-4D-5E"});
    let gas = json!({"__typename": "GasFiltersOutput",
        "marketSupplyPointId": "3458709102", "deviceId": "00-1A-2B-FF-FE-3C-4D-6F"});
    let (_, v) = super::gql_vars(&sim, Some(&t), METERED, json!({})).await;
    assert_eq!(v["data"]["property"]["measurements"]["totalCount"], 288);
    assert_eq!(
        filters(&v),
        [electricity.clone(), gas.clone(), electricity.clone()]
    );
    for (f, meter, unit) in [
        (
            json!([{"electricityFilters": {"marketSupplyPointId": "1200012345679"}}]),
            &electricity,
            "kwh",
        ),
        (
            json!([{"gasFilters": {"marketSupplyPointId": "3458709102"}}]),
            &gas,
            "m3",
        ),
        (json!([{"gasFilters": {}}]), &gas, "m3"),
    ] {
        let (_, v) = super::gql_vars(&sim, Some(&t), METERED, json!({ "f": f })).await;
        let m = &v["data"]["property"]["measurements"];
        assert_eq!(m["totalCount"], 144, "{f}");
        assert!(filters(&v).iter().all(|x| x == meter), "{f}: {v}");
        assert_eq!(m["edges"][0]["node"]["unit"], unit);
    }
    for none in [
        json!([{"electricityFilters": {"marketSupplyPointId": "1900098765435"}}]),
        json!([{"electricityFilters": {"readingDirection": "GENERATION"}}]),
    ] {
        let (_, v) = super::gql_vars(&sim, Some(&t), METERED, json!({ "f": none })).await;
        assert_eq!(
            v["data"]["property"]["measurements"]["totalCount"], 0,
            "{none}"
        );
    }
}

#[tokio::test]
async fn supply_point_answers_its_property_or_4719_4723_and_4722() {
    // Proves supplyPoint(externalIdentifier, marketName): {id marketName externalIdentifier
    // property}, KT-CT-4719 for an unknown identifier and KT-CT-4723 for an invalid market
    // (both at ["supplyPoint"], data null), KT-CT-4722 at readings when not configured.
    let sim = start("several-meters");
    let t = token(&sim).await;
    let q = |id: &str, market: &str| {
        format!(
            "{{ supplyPoint(externalIdentifier: \"{id}\", marketName: \"{market}\") {{ id marketName externalIdentifier property {{ id }} }} }}"
        )
    };
    let (_, v) = gql(&sim, Some(&t), &q("3458709102", "GBR_GAS")).await;
    assert_eq!(
        v,
        json!({"data": {"supplyPoint": {"id": "7100001", "marketName": "GBR_GAS",
            "externalIdentifier": "3458709102", "property": {"id": "240811"}}}})
    );
    for (id, market, expected) in [
        ("1200012345670", "GBR_ELECTRICITY", "KT-CT-4719"),
        ("3458709102", "GBR_ELECTRICITY", "KT-CT-4719"),
        ("1200012345679", "GBRELECTRICITY", "KT-CT-4723"),
    ] {
        let (status, v) = gql(&sim, Some(&t), &q(id, market)).await;
        assert_eq!(status, 200);
        assert_eq!(
            (code(&v, 0), path(&v, 0)),
            (expected, &json!(["supplyPoint"])),
            "{v}"
        );
        assert_eq!(v["data"], json!({"supplyPoint": null}));
    }
    let sim = start("readings-not-configured");
    let t = token(&sim).await;
    let (_, v) = gql(
        &sim,
        Some(&t),
        "{ supplyPoint(externalIdentifier: \"1200012345679\", marketName: \"GBR_ELECTRICITY\") { id readings(startAt: \"2026-06-30T00:00:00Z\", endAt: \"2026-07-01T00:00:00Z\", readingType: INTERVAL) { importReadings(first: 1) { totalCount } } } }",
    )
    .await;
    assert_eq!(
        (code(&v, 0), path(&v, 0)),
        ("KT-CT-4722", &json!(["supplyPoint", "readings"]))
    );
    assert_eq!(
        v["data"],
        json!({"supplyPoint": {"id": "7100000", "readings": null}})
    );
}

const SEARCH: &str = "query($s: String!) { propertiesSearch(searchTerm: $s) { score property { id measurements(first: 1) { totalCount } } } }";

#[tokio::test]
async fn a_property_outside_the_customers_is_refused_where_its_data_is_read() {
    // Proves `customer = false`: KT-CT-4177 (or `object_denial_code`'s KT-CT-4718) at
    // `property`, at `propertiesSearch.0.property.measurements` and at
    // `supplyPoint.property.measurements`, while thirdPartyViewer lists both permissions.
    for (sim, expected) in [
        (start("not-a-customer"), "KT-CT-4177"),
        (
            with_api(
                "not-a-customer",
                &[("object_denial_code", "\"KT-CT-4718\"")],
                "",
            ),
            "KT-CT-4718",
        ),
    ] {
        let t = token(&sim).await;
        let (_, v) = gql(
            &sim,
            Some(&t),
            "{ property(id: \"240811\") { id } thirdPartyViewer { permissions { permission } } }",
        )
        .await;
        assert_eq!((code(&v, 0), path(&v, 0)), (expected, &json!(["property"])));
        assert_eq!(v["errors"][0]["extensions"]["errorType"], "AUTHORIZATION");
        assert_eq!(v["data"]["property"], Value::Null);
        assert_eq!(
            v["data"]["thirdPartyViewer"]["permissions"],
            json!([{"permission": "CAN_VIEW_DETAILED_USAGE"}, {"permission": "CAN_QUERY_PROPERTY"}])
        );
        let (_, v) = super::gql_vars(&sim, Some(&t), SEARCH, json!({"s": "1200012345679"})).await;
        assert_eq!(
            (code(&v, 0), path(&v, 0)),
            (
                expected,
                &json!(["propertiesSearch", 0, "property", "measurements"])
            )
        );
        assert_eq!(
            v["data"],
            json!({"propertiesSearch": [{"score": "1.0", "property": {"id": "240811", "measurements": null}}]})
        );
        let (_, v) = gql(&sim, Some(&t), "{ supplyPoint(externalIdentifier: \"1200012345679\", marketName: \"GBR_ELECTRICITY\") { property { id measurements(first: 1) { totalCount } } } }").await;
        assert_eq!(
            (code(&v, 0), path(&v, 0)),
            (
                expected,
                &json!(["supplyPoint", "property", "measurements"])
            )
        );
        let (_, v) = gql(
            &sim,
            Some(&t),
            "{ property(id: \"240812\") { measurements(first: 1) { totalCount } } }",
        )
        .await;
        assert!(v.get("errors").is_none(), "the other property reads: {v}");
    }
}

#[tokio::test]
async fn a_meter_on_two_properties_matches_both_and_only_the_old_one_is_refused() {
    // Proves the moved meter: the search for its MPAN matches two properties; the error sits
    // at the refused one's index (1, or 0 when the order is reversed), the other reads.
    for (name, refused, readable) in [("meter-moved", 1, 0), ("meter-moved-first-refused", 0, 1)] {
        let sim = start(name);
        let t = token(&sim).await;
        let (status, v) =
            super::gql_vars(&sim, Some(&t), SEARCH, json!({"s": "1200012345679"})).await;
        assert_eq!(status, 200);
        let results = v["data"]["propertiesSearch"].as_array().expect("list");
        assert_eq!(results.len(), 2, "{v}");
        assert_eq!(v["errors"].as_array().map(Vec::len), Some(1), "{v}");
        assert_eq!(
            (code(&v, 0), path(&v, 0)),
            (
                "KT-CT-4177",
                &json!(["propertiesSearch", refused, "property", "measurements"])
            )
        );
        assert_eq!(results[refused]["property"]["id"], "198204");
        assert_eq!(results[refused]["property"]["measurements"], Value::Null);
        assert_eq!(results[readable]["property"]["id"], "240811");
        assert_eq!(
            results[readable]["property"]["measurements"]["totalCount"],
            144
        );
    }
}
