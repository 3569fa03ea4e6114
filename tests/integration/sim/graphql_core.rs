//! The simulator's GraphQL answers where graphql-core and async-graphql would differ, checked
//! as the exact JSON graphql-core 3.2 gives (the interop suite holds them to a real
//! graphene-django; these need no Python): its suggestions, its refusal of variables, its
//! syntax errors, an object whose every field is skipped, relay pagination.

use serde_json::{Value, json};

use super::{gql, gql_vars, start, token};

/// The one error of an answer refused before execution, as `(message, [[line, column]])`.
fn refusal(v: &Value) -> (String, Vec<[u64; 2]>) {
    assert!(v.get("data").is_none(), "{v}");
    let errors = v["errors"].as_array().cloned().unwrap_or_default();
    assert_eq!(errors.len(), 1, "{v}");
    let e = &errors[0];
    let at = e["locations"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|p| {
                    [
                        p["line"].as_u64().unwrap_or(0),
                        p["column"].as_u64().unwrap_or(0),
                    ]
                })
                .collect()
        })
        .unwrap_or_default();
    (e["message"].as_str().unwrap_or_default().to_string(), at)
}

#[tokio::test]
async fn validation_speaks_graphql_cores_words_at_its_locations() {
    // Proves graphql-core's suggestions (fields, arguments, types, and the types to spread on
    // for an interface), its words for literals of the wrong type at the value however deep,
    // a DateTime refused without a location, variables in the wrong position, unused
    // variables, lone anonymous operations and conflicting fields.
    let sim = start("healthy");
    let t = token(&sim).await;
    let m = |args: &str, sel: &str| {
        format!(r#"{{ property(id: "240811") {{ measurements({args}) {{ {sel} }} }} }}"#)
    };
    let cases: Vec<(String, &str, Vec<[u64; 2]>)> = vec![
        (
            "{ thirdPartyViewer { nam } }".into(),
            "Cannot query field 'nam' on type 'ThirdPartyOrganizationType'. Did you mean 'name'?",
            vec![[1, 22]],
        ),
        (
            m("firts: 1", "totalCount"),
            "Unknown argument 'firts' on field 'PropertyType.measurements'. Did you mean 'first'?",
            vec![[1, 41]],
        ),
        (
            m("first: 1", "edges { node { startAt } }"),
            "Cannot query field 'startAt' on type 'MeasurementInterface'. Did you mean to use an inline fragment on 'IntervalMeasurementType'?",
            vec![[1, 68]],
        ),
        (
            "query Q($id: PropertyId!) { property(id: $id) { id } }".into(),
            "Unknown type 'PropertyId'. Did you mean 'PropertyType'?",
            vec![[1, 14]],
        ),
        (
            m(
                "first: 1, utilityFilters: [{electricityFilters: {readingDirection: SIDEWAYS}}]",
                "totalCount",
            ),
            "Value 'SIDEWAYS' does not exist in 'ReadingDirectionType' enum.",
            vec![[1, 108]],
        ),
        (
            "{ property(id: true) { id } }".into(),
            "ID cannot represent a non-string and non-integer value: true",
            vec![[1, 16]],
        ),
        (
            m(r#"startAt: "yesterday""#, "totalCount"),
            "DateTime cannot represent value: 'yesterday'",
            vec![],
        ),
        (
            "query Q($id: String!) { property(id: $id) { id } }".into(),
            "Variable '$id' of type 'String!' used in position expecting type 'ID!'.",
            vec![[1, 9], [1, 38]],
        ),
        (
            r#"query Q($unused: Int) { property(id: "1") { id } }"#.into(),
            "Variable '$unused' is never used in operation 'Q'.",
            vec![[1, 9]],
        ),
        (
            "{ thirdPartyViewer { name { x } } }".into(),
            "Field 'name' must not have a selection since type 'String!' has no subfields.",
            vec![[1, 27]],
        ),
        (
            r#"{ property(id: "1") { id: postcode id } }"#.into(),
            "Fields 'id' conflict because 'postcode' and 'id' are different fields. Use different aliases on the fields to fetch both if this was intentional.",
            vec![[1, 23], [1, 36]],
        ),
        (
            "{ property(id: \"1) { id } }".into(),
            "Syntax Error: Unterminated string.",
            vec![[1, 28]],
        ),
        (
            "{ property( ) { id } }".into(),
            "Syntax Error: Expected Name, found ')'.",
            vec![[1, 13]],
        ),
    ];
    for (q, message, at) in cases {
        let (status, v) = gql(&sim, Some(&t), &q).await;
        assert_eq!(status, 200, "{q}: {v}");
        assert_eq!(refusal(&v), (message.to_string(), at), "{q}");
    }
    let (_, v) = gql(
        &sim,
        Some(&t),
        "{ thirdPartyViewer { name } } { rateLimitInfo { pointsAllowanceRateLimit { limit } } }",
    )
    .await;
    assert_eq!(v["errors"].as_array().map(Vec::len), Some(2), "{v}");
    assert_eq!(
        v["errors"][1]["message"],
        "This anonymous operation must be the only defined operation."
    );
    let (_, v) = gql(&sim, Some(&t), "mutation { thirdPartyViewer { name } }").await;
    assert_eq!(
        refusal(&v),
        (
            "Schema is not configured to execute mutation operation.".into(),
            vec![[1, 1]]
        )
    );
}

#[tokio::test]
async fn syntax_errors_read_as_graphql_cores() {
    // Proves graphql-core's lexer and parser errors, each as graphql-core 3.2.14 words and
    // locates it (the table is its answers): strings, escapes, numbers, characters, what the
    // parser expected, descriptions; and a description it accepts.
    let sim = start("healthy");
    let t = token(&sim).await;
    let table: [(&str, u64, u64, &str); 20] = [
        (
            "{ a(x: \"\"\" \n  hi\n  \"\"\" ",
            3,
            7,
            "Expected Name, found <EOF>.",
        ),
        (
            "{ a(x: \"\"\"\n  hi\n \"\"\") } \"\"\"x\"\"\"",
            3,
            16,
            "Unexpected <EOF>.",
        ),
        (
            "{ a(x: -) }",
            1,
            9,
            "Invalid number, expected digit but got: ')'.",
        ),
        (
            "{ a(x: 1.) }",
            1,
            10,
            "Invalid number, expected digit but got: ')'.",
        ),
        (
            "{ a(x: 01) }",
            1,
            9,
            "Invalid number, unexpected digit after 0: '1'.",
        ),
        (
            "{ a(x: 1x) }",
            1,
            9,
            "Invalid number, expected digit but got: 'x'.",
        ),
        (
            r#"{ a(x: "\q") }"#,
            1,
            9,
            r"Invalid character escape sequence: '\q'.",
        ),
        (
            r#"{ a(x: "\u{zz}") }"#,
            1,
            9,
            r"Invalid Unicode escape sequence: '\u{z'.",
        ),
        (
            r#"{ a(x: "\u{110000}") }"#,
            1,
            9,
            r"Invalid Unicode escape sequence: '\u{110000}'.",
        ),
        (
            r#"{ a(x: "\ud800") }"#,
            1,
            9,
            r"Invalid Unicode escape sequence: '\ud800'.",
        ),
        (
            r#"{ a(x: "\ud83d\ude00") } x"#,
            1,
            26,
            "Unexpected Name 'x'.",
        ),
        (
            "{ a(x: 'y') }",
            1,
            8,
            "Unexpected single quote character ('), did you mean to use a double quote (\")?",
        ),
        ("{ a ? }", 1, 5, "Unexpected character: '?'."),
        ("{ .. }", 1, 3, "Unexpected character: '.'."),
        ("{ a }}", 1, 6, "Unexpected '}'."),
        ("query Q($a: [Int) { a }", 1, 17, "Expected ']', found ')'."),
        ("{ a(b: {c: 1, d}) }", 1, 16, "Expected ':', found '}'."),
        ("# only a comment", 1, 17, "Unexpected <EOF>."),
        (
            "{ a } \"\"\" doc \"\"\" { b }",
            1,
            7,
            "Unexpected description, descriptions are not supported on shorthand queries.",
        ),
        (
            "\"d\" extend type T @x",
            1,
            1,
            "Unexpected description, only GraphQL definitions support descriptions.",
        ),
    ];
    for (q, line, column, description) in table {
        let (_, v) = gql(&sim, Some(&t), q).await;
        let expected = (format!("Syntax Error: {description}"), vec![[line, column]]);
        assert_eq!(refusal(&v), expected, "{q:?}");
    }
    let described = "\"\"\"Kraken doctor\"\"\" query Q { thirdPartyViewer { name } }";
    let (_, v) = gql(&sim, Some(&t), described).await;
    assert!(v["data"]["thirdPartyViewer"]["name"].is_string(), "{v}");
}

#[tokio::test]
async fn variables_are_refused_as_graphql_core_refuses_them() {
    // Proves graphql-core's coercion of variables before execution: a required one missing, a
    // value of the wrong type (shown as Python shows it), deep in an input object, at the
    // variable's definition; and what it accepts (an ID as a number, an Int as 2.0) executes.
    let sim = start("healthy");
    let t = token(&sim).await;
    let by_id = "query Q($id: ID!) { property(id: $id) { id } }";
    let filtered = r#"query Q($f: [UtilityFiltersInput], $first: Int) { property(id: "240811") { measurements(first: $first, utilityFilters: $f) { edgeCount } } }"#;
    let cases = [
        (
            by_id,
            json!({}),
            "Variable '$id' of required type 'ID!' was not provided.",
            [1, 9],
        ),
        (
            by_id,
            json!({"id": true}),
            "Variable '$id' got invalid value True; ID cannot represent value: True",
            [1, 9],
        ),
        (
            by_id,
            json!({"id": null}),
            "Variable '$id' of non-null type 'ID!' must not be null.",
            [1, 9],
        ),
        (
            filtered,
            json!({"f": [{"electricityFilters": {"readingDirection": "SIDEWAYS"}}]}),
            "Variable '$f' got invalid value 'SIDEWAYS' at 'f[0].electricityFilters.readingDirection'; Value 'SIDEWAYS' does not exist in 'ReadingDirectionType' enum.",
            [1, 9],
        ),
        (
            filtered,
            json!({"f": [{"electricityFilter": {}}]}),
            "Variable '$f' got invalid value {'electricityFilter': {}} at 'f[0]'; Field 'electricityFilter' is not defined by type 'UtilityFiltersInput'. Did you mean 'electricityFilters'?",
            [1, 9],
        ),
        (
            filtered,
            json!({"first": 2.5}),
            "Variable '$first' got invalid value 2.5; Int cannot represent non-integer value: 2.5",
            [1, 36],
        ),
    ];
    for (q, vars, message, at) in cases {
        let (_, v) = gql_vars(&sim, Some(&t), q, vars.clone()).await;
        assert_eq!(refusal(&v), (message.to_string(), vec![at]), "{vars}");
    }
    let (_, v) = gql_vars(&sim, Some(&t), by_id, json!({"id": 240_811})).await;
    assert_eq!(v, json!({"data": {"property": {"id": "240811"}}}));
    let (_, v) = gql_vars(&sim, Some(&t), filtered, json!({"first": 2.0})).await;
    assert_eq!(v["data"]["property"]["measurements"]["edgeCount"], 2, "{v}");
}

#[tokio::test]
async fn a_document_as_deep_as_graphql_core_parses_is_executed() {
    // Proves the engine executes what graphql-core's parser lets through (200 selection sets
    // deep), where async-graphql's own default (32) refused it; one set deeper is graphql-core's
    // syntax error.
    let sim = start("healthy");
    let t = token(&sim).await;
    let nested = |n: usize| {
        format!(
            "{{ {}thirdPartyViewer {{ name }}{} }}",
            "... on Query { ".repeat(n),
            " }".repeat(n)
        )
    };
    let (_, v) = gql(&sim, Some(&t), &nested(40)).await;
    assert!(v["data"]["thirdPartyViewer"]["name"].is_string(), "{v}");
    // 198 fragments: 200 selection sets, graphql-core's bound exactly.
    let (_, v) = gql(&sim, Some(&t), &nested(198)).await;
    assert!(v["data"]["thirdPartyViewer"]["name"].is_string(), "{v}");
    let (_, v) = gql(&sim, Some(&t), &nested(199)).await;
    assert!(v.get("data").is_none(), "{v}");
    assert!(
        v["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("Syntax Error")),
        "{v}"
    );
}

#[tokio::test]
async fn skipped_fields_and_pages_answer_as_graphql_core_and_graphql_relay() {
    // Proves an object whose every field is skipped is `{}` (async-graphql would say null),
    // at the root and in list items, and relay's page info: hasPreviousPage only paging
    // backwards, hasNextPage only forwards, a cursor it cannot read ignored, and its words for
    // a negative `first`.
    let sim = start("healthy");
    let t = token(&sim).await;
    let (_, v) = gql(
        &sim,
        Some(&t),
        "{ thirdPartyViewer @skip(if: true) { name } }",
    )
    .await;
    assert_eq!(v, json!({"data": {}}));
    let q = r#"{ property(id: "240811") { measurements(first: 2) { edges { cursor @include(if: false) } } } }"#;
    let (_, v) = gql(&sim, Some(&t), q).await;
    assert_eq!(
        v["data"]["property"]["measurements"]["edges"],
        json!([{}, {}])
    );
    let page = |args: &str| {
        format!(
            r#"{{ property(id: "240811") {{ measurements({args}) {{ pageInfo {{ hasNextPage hasPreviousPage }} }} }} }}"#
        )
    };
    for (args, next, previous) in [
        (
            r#"first: 3, after: "YXJyYXljb25uZWN0aW9uOjI=""#,
            true,
            false,
        ),
        (
            r#"last: 1, before: "YXJyYXljb25uZWN0aW9uOjI=""#,
            false,
            true,
        ),
        (r#"first: 1, after: "not-a-cursor""#, true, false),
    ] {
        let (_, v) = gql(&sim, Some(&t), &page(args)).await;
        let info = &v["data"]["property"]["measurements"]["pageInfo"];
        assert_eq!(
            info,
            &json!({"hasNextPage": next, "hasPreviousPage": previous}),
            "{args}"
        );
    }
    let (_, v) = gql(&sim, Some(&t), &page("first: -1")).await;
    assert_eq!(
        v["errors"][0]["message"],
        "Argument 'first' must be a non-negative integer."
    );
    assert_eq!(v["data"]["property"]["measurements"], Value::Null);
}
