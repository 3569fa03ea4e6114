//! More requests for the GraphQL differential (see `interop_graphql.rs`): one or more per rule
//! of graphql-core's validation and of its handling of variables and execution, beyond the
//! probe documents — so that the simulator is held to graphql-core for each class of request,
//! not for a few examples.

use serde_json::{Value, json};

use super::{Case, Target, Who, case};

/// A query with a full token.
fn query(name: &str, q: &str) -> Case {
    case(name, Who::Full, json!({ "query": q }))
}

/// Documents each rule of graphql-core's validation refuses (with `{id}` the property).
pub(super) fn rules(target: &Target) -> Vec<Case> {
    let id = &target.property_id;
    let m = |args: &str, sel: &str| {
        format!(r#"{{ property(id: "{id}") {{ measurements({args}) {{ {sel} }} }} }}"#)
    };
    let table: Vec<(&str, String)> = vec![
        ("a field of an implementation asked on the interface", m("first: 1", "edges { node { startAt } }")),
        ("a field of the union's members asked on the union", m("first: 1", "edges { node { metaData { utilityFilters { marketSupplyPointId } } } }")),
        ("a field close to two names", "{ thirdPartyViewer { permission } }".into()),
        ("an unknown type close to a scalar", "query Q($s: Strin) { propertiesSearch(searchTerm: $s) { score } }".into()),
        ("an unknown directive", "{ thirdPartyViewer @cached { name } }".into()),
        ("a directive where it may not be", "query Q @skip(if: true) { thirdPartyViewer { name } }".into()),
        ("a directive without its argument", "{ thirdPartyViewer { name @include } }".into()),
        ("an unknown directive argument", "{ thirdPartyViewer { name @include(iff: true) } }".into()),
        ("a directive twice", "{ thirdPartyViewer { name @skip(if: false) @skip(if: false) } }".into()),
        ("an argument twice", format!(r#"{{ property(id: "{id}", id: "{id}") {{ id }} }}"#)),
        ("an input field twice", m("first: 1, utilityFilters: [{electricityFilters: {}, electricityFilters: {}}]", "totalCount")),
        ("an unknown input field, a close name", m("first: 1, utilityFilters: [{electricityFilter: {}}]", "totalCount")),
        ("an enum value close to one", m("first: 1, utilityFilters: [{electricityFilters: {readingDirection: CONSUMPTON}}]", "totalCount")),
        ("a string for an enum", m(r#"first: 1, utilityFilters: [{electricityFilters: {readingDirection: "CONSUMPTION"}}]"#, "totalCount")),
        ("null for a required argument", "{ property(id: null) { id } }".into()),
        ("an object for a string", "{ propertiesSearch(searchTerm: {a: 1}) { score } }".into()),
        ("a list for a string", r#"{ propertiesSearch(searchTerm: ["a", 1]) { score } }"#.into()),
        ("an Int out of range", m("first: 3000000000", "totalCount")),
        ("a float for an Int", m("first: 1.5", "totalCount")),
        ("a string for an input object", m(r#"first: 1, utilityFilters: ["x"]"#, "totalCount")),
        ("one filter for a list of them", m("first: 1, utilityFilters: {gasFilters: {}}", "totalCount")),
        ("a Date that does not exist", m(r#"first: 1, startOn: "2026-02-30""#, "totalCount")),
        ("a number for a DateTime", m("first: 1, startAt: 12", "totalCount")),
        ("a variable in a literal list", m("first: 1, utilityFilters: [$f]", "totalCount")),
        ("two fields under one name", format!(r#"{{ property(id: "{id}") {{ id: postcode id }} }}"#)),
        ("one field with two arguments", format!(r#"{{ property(id: "{id}") {{ id }} property(id: "1") {{ id }} }}"#)),
        ("subfields that conflict", "{ thirdPartyViewer { name } thirdPartyViewer { name: __typename } }".into()),
        ("fields that conflict through a fragment", "{ thirdPartyViewer { name } ...F } fragment F on Query { thirdPartyViewer { name: permissions { permission } } }".into()),
        ("an unknown fragment", "{ ...Nope }".into()),
        ("an unused fragment", "{ thirdPartyViewer { name } } fragment F on Query { rateLimitInfo { pointsAllowanceRateLimit { limit } } }".into()),
        ("fragments spread in a cycle", "{ ...A } fragment A on Query { ...B } fragment B on Query { thirdPartyViewer { name } ...A }".into()),
        ("two operations of one name", "query A { thirdPartyViewer { name } } query A { rateLimitInfo { pointsAllowanceRateLimit { limit } } }".into()),
        ("two fragments of one name", "{ ...F } fragment F on Query { thirdPartyViewer { name } } fragment F on Query { thirdPartyViewer { name } }".into()),
        ("a fragment on a scalar", "{ thirdPartyViewer { ... on String { x } } }".into()),
        ("a variable of an output type", "query Q($v: PropertyType) { thirdPartyViewer { name } }".into()),
        ("a variable twice", "query Q($a: ID!, $a: ID!) { property(id: $a) { id } }".into()),
        ("a type definition in a query", "type Foo { a: Int } { thirdPartyViewer { name } }".into()),
        ("introspection nested too deep", "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }".into()),
        ("a subscription", "subscription { thirdPartyViewer { name } }".into()),
        ("a nullable variable where one is required", "query Q($id: ID) { property(id: $id) { id } }".into()),
        ("a variable with a default where one is required", format!(r#"query Q($id: ID = "{id}") {{ property(id: $id) {{ id }} }}"#)),
        ("a default of the wrong type", "query Q($id: ID = true) { property(id: $id) { id } }".into()),
        ("a list variable for a single value", "query Q($s: [String]) { propertiesSearch(searchTerm: $s) { score } }".into()),
        ("a syntax error in a value", "{ property(id: \"1) { id } }".into()),
        ("a number with a leading zero", "{ property(id: 01) { id } }".into()),
        ("a string with a bad escape", r#"{ property(id: "\q") { id } }"#.into()),
        ("a single-quoted string", "{ property(id: '1') { id } }".into()),
        ("arguments without a name", "{ property( ) { id } }".into()),
        ("a closing brace too many", "{ thirdPartyViewer { name } }}".into()),
        ("a variable in a default", "query Q($a: ID = $b) { property(id: $a) { id } }".into()),
        ("a description on an operation", "\"\"\"Kraken doctor\"\"\" query Q { thirdPartyViewer { name } }".into()),
        ("a description on a shorthand query", "\"doc\" { thirdPartyViewer { name } }".into()),
        ("a document nested too deep", format!("{}{}", "{ thirdPartyViewer ".repeat(201), "}".repeat(201))),
        ("a document 40 fragments deep", format!("{{ {}thirdPartyViewer {{ name }}{} }}", "... on Query { ".repeat(40), " }".repeat(40))),
        ("a syntax error after a comment", "{ thirdPartyViewer { name } # the end\n }}".into()),
    ];
    table
        .into_iter()
        .map(|(name, q)| query(&format!("rules: {name}"), &q))
        .collect()
}

/// Variables graphql-core coerces, or refuses in its words (with `{id}` the property).
pub(super) fn variables(target: &Target) -> Vec<Case> {
    let id = &target.property_id;
    let filtered = format!(
        r#"query Q($f: [UtilityFiltersInput], $first: Int, $s: DateTime) {{ property(id: "{id}") {{ measurements(first: $first, startAt: $s, utilityFilters: $f) {{ totalCount edgeCount }} }} }}"#
    );
    let with = |name: &str, vars: Value| {
        case(
            &format!("variables: {name}"),
            Who::Full,
            json!({"query": filtered, "variables": vars}),
        )
    };
    let by_id = "query Q($id: ID!) { property(id: $id) { id } }";
    vec![
        with(
            "an enum value not in its enum",
            json!({"f": [{"electricityFilters": {"readingDirection": "SIDEWAYS"}}]}),
        ),
        with(
            "an enum value given as a number",
            json!({"f": [{"electricityFilters": {"readingDirection": 1}}]}),
        ),
        with(
            "an unknown input field",
            json!({"f": [{"electricityFilter": {}}]}),
        ),
        with(
            "a list item that is no object",
            json!({"f": [{"gasFilters": {}}, 3]}),
        ),
        with(
            "one object for a list of them",
            json!({"f": {"gasFilters": {}}}),
        ),
        with("an Int given as 2.0", json!({"first": 2.0})),
        with("an Int given as 2.5", json!({"first": 2.5})),
        with("an Int given as a string", json!({"first": "3"})),
        with("an Int out of range", json!({"first": 3_000_000_000_i64})),
        with(
            "a DateTime that is no date-time",
            json!({"s": "yesterday", "first": 1}),
        ),
        with("a DateTime given as a number", json!({"s": 12, "first": 1})),
        with(
            "a DateTime in another form",
            json!({"s": "20260630T0000", "first": 1}),
        ),
        with(
            "a nested value cut short in the message",
            json!({"f": [{"electricityFilters": {"deviceId": {"a": [1, 2, [3, [4]]], "b": "x".repeat(300)}}}]}),
        ),
        with(
            "one error after another",
            json!({"first": "one", "s": true, "f": [1]}),
        ),
        case(
            "variables: null for a non-null one",
            Who::Full,
            json!({"query": by_id, "variables": {"id": null}}),
        ),
        case(
            "variables: a list of them",
            Who::Full,
            json!({"query": by_id, "variables": [1]}),
        ),
        case(
            "variables: a string that is no JSON",
            Who::Full,
            json!({"query": by_id, "variables": "{nope"}),
        ),
        case(
            "variables: an empty string",
            Who::Full,
            json!({"query": by_id, "variables": ""}),
        ),
        case(
            "variables: the string null",
            Who::Full,
            json!({"query": by_id, "variables": "null"}),
        ),
        case(
            "variables: an ID given as 240811.0",
            Who::Full,
            json!({"query": by_id, "variables": {"id": 240_811.0}}),
        ),
        case(
            "variables: a Boolean given as a string",
            Who::Full,
            json!({"query": "query Q($b: Boolean!) { thirdPartyViewer { name @include(if: $b) } }", "variables": {"b": "yes"}}),
        ),
        case(
            "variables: the operation named null",
            Who::Full,
            json!({"query": by_id, "variables": {"id": id}, "operationName": "null"}),
        ),
    ]
}

/// What graphql-core answers where async-graphql would answer otherwise: objects whose every
/// field is skipped, and relay pagination at its edges.
pub(super) fn execution(target: &Target) -> Vec<Case> {
    let id = &target.property_id;
    let page = |args: &str| {
        format!(
            r#"{{ property(id: "{id}") {{ measurements({args}) {{ edges {{ cursor }} pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} }} }} }}"#
        )
    };
    let cursor = |n: u32| {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(format!("arrayconnection:{n}"))
    };
    let table: Vec<(&str, String)> = vec![
        (
            "every root field skipped",
            "{ thirdPartyViewer @skip(if: true) { name } }".into(),
        ),
        (
            "every field of list items skipped",
            format!(
                r#"{{ property(id: "{id}") {{ measurements(first: 2) {{ edges {{ cursor @include(if: false) }} }} }} }}"#
            ),
        ),
        (
            "a fragment for another type only",
            format!(
                r#"{{ property(id: "{id}") {{ measurements(first: 1) {{ edges {{ node {{ ... on IntervalMeasurementType @skip(if: true) {{ startAt }} }} }} }} }} }}"#
            ),
        ),
        (
            "last 2 after the 140th",
            page(&format!(r#"last: 2, after: "{}""#, cursor(140))),
        ),
        ("first 0", page("first: 0")),
        ("first 2 and last 1", page("first: 2, last: 1")),
        ("an empty cursor", page(r#"first: 1, after: """#)),
        (
            "a cursor past the end",
            page(&format!(r#"first: 1, after: "{}""#, cursor(500))),
        ),
        (
            "a malformed cursor before",
            page(r#"last: 1, before: "%%%""#),
        ),
        ("last -1", page("last: -1")),
    ];
    table
        .into_iter()
        .map(|(name, q)| query(&format!("execution: {name}"), &q))
        .collect()
}
