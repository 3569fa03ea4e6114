//! How a Kraken refuses: header forms (by code or by a gateway's HTTP status), tokens (stale
//! until fetched again, or all of them), fields (service conditions), permission lists that
//! prove nothing, and malformed or older error shapes. Raw HTTP, exact answers.

use serde_json::{Value, json};

use super::answers::with_api;
use super::{PROBE, code, gql, probe_raw, start, token};

/// `errors[0].path`.
fn path(v: &Value) -> &Value {
    &v["errors"][0]["path"]
}

#[tokio::test]
async fn a_refused_header_form_gets_its_code_or_a_gateways_status() {
    // Proves `refused_header_code` (KT-CT-1144 at the field, data null) and
    // `refused_header_status` with `refused_header_body` (an HTTP 401 JSON or 403 HTML answer
    // that is not GraphQL, for the refused form only); the accepted forms read data.
    let sim = start("bearer-only-1144");
    let t = token(&sim).await;
    let (status, v) = gql(&sim, Some(&t), PROBE).await;
    assert_eq!(
        (status, code(&v, 0), path(&v)),
        (200, "KT-CT-1144", &json!(["property"]))
    );
    assert_eq!(v["data"], json!({"property": null}));
    assert!(
        gql(&sim, Some(&format!("Bearer {t}")), PROBE)
            .await
            .1
            .get("errors")
            .is_none()
    );

    let gateway = start("gateway-refuses-bare");
    let forbidden = with_api(
        "gateway-refuses-bare",
        &[
            ("refused_header_status", "403"),
            ("refused_header_body", "\"html\""),
        ],
        "",
    );
    for (sim, status, kind, body) in [
        (
            &gateway,
            401,
            "application/json",
            "{\"detail\":\"Incorrect authentication credentials.\"}",
        ),
        (
            &forbidden,
            403,
            "text/html; charset=utf-8",
            "<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n<center><h1>403 Forbidden</h1></center>\r\n</body>\r\n</html>\r\n",
        ),
    ] {
        let t = token(sim).await;
        let r = probe_raw(sim, &t).await;
        assert_eq!(r.status().as_u16(), status);
        assert_eq!(r.headers()["content-type"], kind);
        assert_eq!(r.headers().contains_key("www-authenticate"), status == 401);
        assert_eq!(r.text().await.expect("body"), body);
        for form in ["Bearer", "JWT"] {
            let (status, v) = gql(sim, Some(&format!("{form} {t}")), PROBE).await;
            assert_eq!(status, 200);
            assert!(v.get("errors").is_none(), "{form}: {v}");
        }
        // No header at all is not a header form: introspection still answers.
        let (status, _) = gql(sim, None, "{ __schema { queryType { name } } }").await;
        assert_eq!(status, 200);
    }
}

#[tokio::test]
async fn stale_tokens_are_refused_until_a_fresh_one_is_fetched() {
    // Proves `stale_token_code`: every token issued before the API first sees one is refused
    // (KT-CT-1125 keys rotated), again on each use; a token fetched afterwards works. With
    // `stale_tokens = 2` the first two tokens issued are refused (KT-CT-1162) whenever used.
    let sim = start("keys-rotated");
    let (t1, t2) = (token(&sim).await, token(&sim).await);
    for t in [&t2, &t1, &t2] {
        let (_, v) = gql(&sim, Some(t), PROBE).await;
        assert_eq!(
            (code(&v, 0), path(&v)),
            ("KT-CT-1125", &json!(["property"]))
        );
        assert_eq!(v["errors"][0]["extensions"]["errorType"], "APPLICATION");
    }
    let fresh = token(&sim).await;
    assert!(
        gql(&sim, Some(&fresh), PROBE)
            .await
            .1
            .get("errors")
            .is_none()
    );

    let sim = with_api(
        "healthy",
        &[
            ("stale_token_code", "\"KT-CT-1162\""),
            ("stale_tokens", "2"),
        ],
        "",
    );
    let tokens = [token(&sim).await, token(&sim).await, token(&sim).await];
    for t in [&tokens[2], &tokens[0], &tokens[1], &tokens[2]] {
        let (_, v) = gql(&sim, Some(t), PROBE).await;
        let expected = if t == &tokens[2] { "" } else { "KT-CT-1162" };
        assert_eq!(code(&v, 0), expected);
    }
}

#[tokio::test]
async fn every_token_refused_with_one_code() {
    // Proves `every_token_code`: KT-CT-1126 (another Kraken), KT-CT-1147 (keys unavailable),
    // KT-CT-1127 (another environment) for every token, fresh or not, in every header form.
    for (name, expected) in [
        ("wrong-kraken", "KT-CT-1126"),
        ("keys-unavailable", "KT-CT-1147"),
        ("wrong-environment", "KT-CT-1127"),
    ] {
        let sim = start(name);
        for _ in 0..2 {
            let t = token(&sim).await;
            for auth in [t.clone(), format!("Bearer {t}")] {
                let (status, v) = gql(&sim, Some(&auth), PROBE).await;
                assert_eq!((status, code(&v, 0)), (200, expected), "{name}");
                assert_eq!(v["data"], json!({"property": null}));
            }
        }
    }
}

#[tokio::test]
async fn service_conditions_answer_their_code_at_their_field() {
    // Proves `field_errors`: KT-CT-6624/6625 at propertiesSearch (non-null: data null, as
    // graphql-core propagates it), KT-CT-1113 at measurements (the property still reads),
    // KT-CT-4711 at measurements, KT-CT-1113 at thirdPartyViewer; a token is still needed.
    for (name, field_code) in [
        ("search-unavailable", "KT-CT-6624"),
        ("search-not-enabled", "KT-CT-6625"),
    ] {
        let sim = start(name);
        let t = token(&sim).await;
        let (status, v) = gql(&sim, Some(&t), "{ thirdPartyViewer { name } propertiesSearch(searchTerm: \"acacia\") { property { id } } }").await;
        assert_eq!(status, 200);
        assert_eq!(
            (code(&v, 0), path(&v)),
            (field_code, &json!(["propertiesSearch"]))
        );
        assert_eq!(
            v["errors"][0]["extensions"]["errorType"],
            "SERVICE_AVAILABILITY"
        );
        assert_eq!(v["data"], Value::Null, "{v}");
        let (_, v) = gql(
            &sim,
            None,
            "{ propertiesSearch(searchTerm: \"acacia\") { score } }",
        )
        .await;
        assert_eq!(code(&v, 0), "KT-CT-1112");
    }
    for (name, field_code) in [
        ("measurements-disabled", "KT-CT-1113"),
        ("no-readings", "KT-CT-4711"),
    ] {
        let sim = start(name);
        let t = token(&sim).await;
        let (_, v) = gql(&sim, Some(&t), PROBE).await;
        assert_eq!(
            (code(&v, 0), path(&v)),
            (field_code, &json!(["property", "measurements"]))
        );
        assert_eq!(
            v["data"],
            json!({"property": {"id": "240811", "measurements": null}})
        );
    }
    let sim = with_api(
        "healthy",
        &[],
        "\n[[api.field_errors]]\nfield = \"Query.thirdPartyViewer\"\ncode = \"KT-CT-1113\"\n",
    );
    let t = token(&sim).await;
    let (_, v) = gql(&sim, Some(&t), "{ thirdPartyViewer { name } }").await;
    assert_eq!(
        (code(&v, 0), path(&v)),
        ("KT-CT-1113", &json!(["thirdPartyViewer"]))
    );
    assert_eq!(v["data"], json!({"thirdPartyViewer": null}));
}

#[tokio::test]
async fn permission_lists_can_be_empty_spelled_otherwise_or_longer() {
    // Proves `permission_list = "empty"`, `permission_spelling = "mixed"` (and kebab / words),
    // and `extra_permission_names`, while the role still carries both permissions.
    let list = |v: &Value| v["data"]["thirdPartyViewer"]["permissions"].clone();
    let q = "{ thirdPartyViewer { permissions { permission } } }";
    let cases: Vec<(kraken_sim::Simulator, Value)> = vec![
        (start("empty-permission-list"), json!([])),
        (
            start("permission-spelling"),
            json!([{"permission": "can-view-detailed-usage"}, {"permission": "Can query property"}]),
        ),
        (
            with_api("healthy", &[("permission_spelling", "\"words\"")], ""),
            json!([{"permission": "Can view detailed usage"}, {"permission": "Can query property"}]),
        ),
        (
            start("unknown-permission-names"),
            json!([{"permission": "CAN_VIEW_DETAILED_USAGE"}, {"permission": "CAN_QUERY_PROPERTY"},
                   {"permission": "CAN_VIEW_SMART_METER_TELEMETRY"}]),
        ),
    ];
    for (sim, expected) in cases {
        let t = token(&sim).await;
        let (_, v) = gql(&sim, Some(&t), q).await;
        assert_eq!(list(&v), expected, "{}", sim.scenario().name());
        assert!(
            gql(&sim, Some(&t), PROBE).await.1.get("errors").is_none(),
            "the role reads"
        );
    }
}

#[tokio::test]
async fn malformed_and_older_error_shapes() {
    // Proves the fault `null-data` (HTTP 200 `{"data": null}`, nothing else), the fault
    // `internal-error` (each root field null with a message-only error at its path),
    // `error_shape = "error-class"` (extensions {errorClass} only) and "message-only".
    let sim = start("null-data");
    let t = token(&sim).await;
    for _ in 0..2 {
        let r = probe_raw(&sim, &t).await;
        assert_eq!(r.status().as_u16(), 200);
        assert_eq!(r.headers()["content-type"], "application/json");
        assert_eq!(r.text().await.expect("body"), "{\"data\":null}");
    }

    let sim = start("internal-error");
    let t = token(&sim).await;
    let (status, v) = gql(
        &sim,
        Some(&t),
        "{ viewer: thirdPartyViewer { name } property(id: \"240811\") { id } }",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        v,
        json!({
            "errors": [
                {"message": "An internal error occurred", "path": ["viewer"]},
                {"message": "An internal error occurred", "path": ["property"]},
            ],
            "data": {"viewer": null, "property": null},
        })
    );

    let sim = start("older-error-shape");
    let t = token(&sim).await;
    let (_, v) = gql(&sim, Some(&t), PROBE).await;
    assert_eq!(
        v["errors"][0]["extensions"],
        json!({"errorClass": "AUTHORIZATION"})
    );
    assert_eq!(v["errors"][0]["message"], "Unauthorized.");
    assert_eq!(path(&v), &json!(["property", "measurements"]));

    let sim = with_api(
        "missing-detailed-usage",
        &[("error_shape", "\"message-only\"")],
        "",
    );
    let t = token(&sim).await;
    let (_, v) = gql(&sim, Some(&t), PROBE).await;
    let e = v["errors"][0].as_object().expect("error");
    assert_eq!(
        e.keys().collect::<Vec<_>>(),
        ["message", "locations", "path"],
        "no extensions: {v}"
    );
}

#[tokio::test]
async fn a_denied_non_null_field_nulls_its_parent_as_graphql_core_does() {
    // Proves null propagation: propertiesSearch is [PropertySearchResult!]!, so its denial
    // makes `data` null even beside a readable field; a nullable field's denial nulls only
    // itself. One error each, at the field's path.
    let sim = start("missing-query-property");
    let t = token(&sim).await;
    let (_, v) = gql(
        &sim,
        Some(&t),
        "{ thirdPartyViewer { name } s: propertiesSearch(searchTerm: \"acacia\") { score } }",
    )
    .await;
    assert_eq!(v["data"], Value::Null, "{v}");
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(path(&v), &json!(["s"]));
    let (_, v) = gql(
        &sim,
        Some(&t),
        "{ thirdPartyViewer { name } property(id: \"240811\") { id } }",
    )
    .await;
    assert_eq!(v["data"]["property"], Value::Null);
    assert_eq!(
        v["data"]["thirdPartyViewer"]["name"],
        "Measurements reader (client credentials)"
    );
}
