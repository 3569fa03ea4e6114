//! The requests the GraphQL differential tests send to both servers (see `interop_graphql.rs`):
//! every probe document of `checks/` under every kind of caller and with broken variables,
//! invalid documents, introspection, the Kraken fields beyond today's probes, HTTP mistakes.

use std::fmt;

use apollo_compiler::ast::{self, Definition};
use kraken_doctor::checks;
use serde_json::{Value, json};

use super::{DATA_END, Target, Tokens};

#[path = "interop_graphql_rules.rs"]
mod rules;

/// Who sends a request.
#[derive(Clone, Copy, Debug)]
pub(super) enum Who {
    /// A token whose role carries both permissions.
    Full,
    NoPermissions,
    /// CAN_QUERY_PROPERTY only.
    QueryOnly,
    /// No `Authorization` header.
    NoHeader,
    /// A header that is no token either server issued.
    UnknownToken,
}

impl Who {
    const ALL: [Who; 5] = [
        Who::Full,
        Who::NoPermissions,
        Who::QueryOnly,
        Who::NoHeader,
        Who::UnknownToken,
    ];

    /// How case names say it.
    fn label(self) -> &'static str {
        match self {
            Who::Full => "full token",
            Who::NoPermissions => "no permissions",
            Who::QueryOnly => "query-only token",
            Who::NoHeader => "no header",
            Who::UnknownToken => "unknown token",
        }
    }

    pub(super) fn header(self, tokens: &Tokens) -> Option<String> {
        match self {
            Who::Full => Some(tokens.full.clone()),
            Who::NoPermissions => Some(tokens.no_permissions.clone()),
            Who::QueryOnly => Some(tokens.query_only.clone()),
            Who::NoHeader => None,
            Who::UnknownToken => Some("interop-not-a-token".to_string()),
        }
    }
}

pub(super) enum Body {
    Json(Value),
    Raw(&'static str),
}

pub(super) struct Case {
    pub(super) name: String,
    pub(super) who: Who,
    pub(super) body: Body,
}

impl fmt::Display for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}`: POST ", self.name)?;
        match &self.body {
            Body::Json(v) => {
                let mut v = v.clone();
                if let Some(q) = v.get("query").and_then(|q| q.as_str()) {
                    let one_line = q.split_whitespace().collect::<Vec<_>>().join(" ");
                    v["query"] = one_line.into();
                }
                write!(f, "{v}")
            }
            Body::Raw(text) => write!(f, "{text:?}"),
        }
    }
}

/// A case named `name, <who>`.
fn case(name: &str, who: Who, body: Value) -> Case {
    Case {
        name: format!("{name}, {}", who.label()),
        who,
        body: Body::Json(body),
    }
}

/// Every probe document kraken-doctor sends, by `check-id:name`: every document of each
/// check's `[probe]` table, so that a new probe is covered without a change here.
fn probe_documents() -> Vec<(String, String)> {
    let out: Vec<(String, String)> = checks::all()
        .iter()
        .flat_map(|spec| {
            spec.probe
                .iter()
                .map(move |(name, p)| (format!("{}:{name}", spec.id), p.document.clone()))
        })
        .collect();
    assert!(!out.is_empty(), "interop: no probe document in checks/");
    out
}

/// The variables an operation declares.
fn variables(document: &str) -> Vec<ast::VariableDefinition> {
    let parsed = ast::Document::parse(document, "probe.graphql")
        .unwrap_or_else(|e| panic!("interop: a probe document does not parse: {e}"));
    parsed
        .definitions
        .iter()
        .filter_map(|d| match d {
            Definition::OperationDefinition(op) => Some(op),
            _ => None,
        })
        .flat_map(|op| op.variables.iter().map(|v| (**v).clone()))
        .collect()
}

/// A value both servers accept for a variable, chosen by its type and name (the data target's
/// identifiers). A new probe variable with no rule here fails the test with what to add.
fn valid_value(var: &ast::VariableDefinition, target: &Target) -> Value {
    let name = var.name.as_str();
    let named = var.ty.inner_named_type().as_str();
    let one = match (named, name) {
        ("ID", _) => json!(target.property_id),
        (
            "String",
            "searchTerm"
            | "externalIdentifier"
            | "identifier"
            | "marketSupplyPointId"
            | "mpan"
            | "supplyPoint",
        ) => json!(target.mpan),
        ("String", "marketName") => json!(target.market_name),
        ("String", "timezone") => json!("Europe/London"),
        ("Int", _) => json!(1),
        ("Boolean", _) => json!(true),
        ("DateTime", n) if n.to_ascii_lowercase().contains("end") => json!(DATA_END),
        ("DateTime", _) => json!("2026-06-30T00:00:00+00:00"),
        ("Date", n) if n.to_ascii_lowercase().contains("end") => json!("2026-06-30"),
        ("Date", _) => json!("2026-06-29"),
        ("UtilityFiltersInput", _) => {
            json!({"electricityFilters": {"marketSupplyPointId": target.mpan}})
        }
        _ => panic!(
            "interop: probe variable ${name}: {} has no valid value; add a rule to \
             valid_value() in tests/integration/interop_graphql.rs",
            var.ty
        ),
    };
    if var.ty.is_list() { json!([one]) } else { one }
}

/// A value of the wrong type for a variable (a list variable gets one wrong item, which
/// GraphQL's input coercion wraps in a list).
fn wrong_value(var: &ast::VariableDefinition) -> Value {
    match var.ty.inner_named_type().as_str() {
        "ID" => json!(true),
        "String" => json!(12),
        "Int" => json!("one"),
        "Boolean" => json!("yes"),
        "DateTime" => json!("yesterday"),
        "Date" => json!("2026-02-30"),
        _ => json!("not-an-object"),
    }
}

/// Every case, in the order they are sent.
pub(super) fn cases(target: &Target) -> Vec<Case> {
    let mut out = Vec::new();
    for (name, document) in probe_documents() {
        let vars = variables(&document);
        let valid: serde_json::Map<String, Value> = vars
            .iter()
            .map(|v| (v.name.to_string(), valid_value(v, target)))
            .collect();
        for who in Who::ALL {
            out.push(case(
                &format!("probe {name}"),
                who,
                json!({"query": document, "variables": valid}),
            ));
        }
        for var in &vars {
            let var_name = var.name.as_str();
            if var.ty.is_non_null() && var.default_value.is_none() {
                let mut missing = valid.clone();
                missing.remove(var_name);
                out.push(case(
                    &format!("probe {name} without ${var_name}"),
                    Who::Full,
                    json!({"query": document, "variables": missing}),
                ));
            }
            let mut wrong = valid.clone();
            wrong.insert(var_name.to_string(), wrong_value(var));
            out.push(case(
                &format!("probe {name} with ${var_name} of the wrong type"),
                Who::Full,
                json!({"query": document, "variables": wrong}),
            ));
        }
    }
    out.extend(invalid_documents(target));
    out.extend(rules::rules(target));
    out.extend(rules::variables(target));
    out.extend(introspection());
    out.extend(kraken_fields(target));
    out.extend(rules::execution(target));
    out.extend(http_mistakes());
    out
}

/// Documents graphql-core refuses, each for one rule, with a token that could read everything.
fn invalid_documents(target: &Target) -> Vec<Case> {
    let id = &target.property_id;
    let query = |name: &str, q: String| case(name, Who::Full, json!({ "query": q }));
    vec![
        query(
            "invalid: unknown field, a close name",
            "{ thirdPartyViewer { nam } }".into(),
        ),
        query("invalid: unknown field on Query", "{ x }".into()),
        query(
            "invalid: unknown field, a close name on PropertyType",
            format!(r#"{{ property(id: "{id}") {{ id measurement(first: 1) {{ totalCount }} }} }}"#),
        ),
        query(
            "invalid: unknown argument",
            format!(r#"{{ property(id: "{id}", nmi: "1") {{ id }} }}"#),
        ),
        query(
            "invalid: unknown argument, a close name",
            format!(r#"{{ property(id: "{id}") {{ measurements(firts: 1) {{ totalCount }} }} }}"#),
        ),
        query(
            "invalid: syntax error at the end",
            "{ thirdPartyViewer { name }".into(),
        ),
        query(
            "invalid: syntax error, unexpected character",
            "query { property(id: ) { id } }".into(),
        ),
        query(
            "invalid: missing required argument",
            "{ property { id } }".into(),
        ),
        query(
            "invalid: fragment on the wrong type",
            "{ thirdPartyViewer { ... on PropertyType { id } } }".into(),
        ),
        query(
            "invalid: named fragment on the wrong type",
            "query { thirdPartyViewer { ...P } } fragment P on PropertyType { id }".into(),
        ),
        query(
            "invalid: unknown fragment type",
            "{ thirdPartyViewer { ... on NoSuchType { name } } }".into(),
        ),
        query(
            "invalid: string argument given a number",
            "{ propertiesSearch(searchTerm: 12) { score } }".into(),
        ),
        query(
            "invalid: ID argument given a boolean",
            "{ property(id: true) { id } }".into(),
        ),
        query(
            "invalid: DateTime argument that is no date-time",
            format!(
                r#"{{ property(id: "{id}") {{ measurements(startAt: "yesterday") {{ totalCount }} }} }}"#
            ),
        ),
        query(
            "invalid: unknown enum value",
            format!(
                r#"{{ property(id: "{id}") {{ measurements(utilityFilters: [{{electricityFilters: {{readingDirection: SIDEWAYS}}}}]) {{ totalCount }} }} }}"#
            ),
        ),
        query(
            "invalid: variable of another type than the argument",
            "query Q($id: String!) { property(id: $id) { id } }".into(),
        ),
        query(
            "invalid: variable of an unknown type",
            "query Q($id: PropertyId!) { property(id: $id) { id } }".into(),
        ),
        query(
            "invalid: undefined variable",
            "query Q { property(id: $id) { id } }".into(),
        ),
        query(
            "invalid: unused variable",
            format!(r#"query Q($unused: Int) {{ property(id: "{id}") {{ id }} }}"#),
        ),
        query(
            "invalid: object without a selection",
            "{ thirdPartyViewer }".into(),
        ),
        query(
            "invalid: leaf with a selection",
            "{ thirdPartyViewer { name { x } } }".into(),
        ),
        query(
            "invalid: two anonymous operations",
            "{ thirdPartyViewer { name } } { rateLimitInfo { pointsAllowanceRateLimit { limit } } }"
                .into(),
        ),
        query(
            "invalid: mutation on a schema without mutations",
            "mutation { thirdPartyViewer { name } }".into(),
        ),
        query(
            "invalid: several errors in one document",
            "{ x thirdPartyViewer { nam } property { id } }".into(),
        ),
        case(
            "invalid: operation name that is not in the document",
            Who::Full,
            json!({"query": "query A { thirdPartyViewer { name } }", "operationName": "B"}),
        ),
        case(
            "invalid: two operations and no operation name",
            Who::Full,
            json!({"query": "query A { thirdPartyViewer { name } } query B { thirdPartyViewer { name } }"}),
        ),
        case(
            "valid: two operations and an operation name",
            Who::Full,
            json!({"query": "query A { thirdPartyViewer { name } } query B { rateLimitInfo { pointsAllowanceRateLimit { limit } } }", "operationName": "A"}),
        ),
    ]
}

/// Introspection, which Kraken answers without a token.
fn introspection() -> Vec<Case> {
    let query = |name: &str, q: &str| case(name, Who::NoHeader, json!({ "query": q }));
    vec![
        query(
            "introspection: Query fields and arguments",
            r#"{ __type(name: "Query") { name kind fields { name args { name } } } }"#,
        ),
        query(
            "introspection: ThirdPartyOrganizationType fields",
            r#"{ __type(name: "ThirdPartyOrganizationType") { fields { name } } }"#,
        ),
        query(
            "introspection: PropertyType fields, argument types and defaults",
            r#"{ __type(name: "PropertyType") { fields { name type { kind name ofType { kind name } } args { name defaultValue type { kind name ofType { kind name ofType { kind name } } } } } } }"#,
        ),
        query(
            "introspection: MeasurementInterface implementations",
            r#"{ __type(name: "MeasurementInterface") { kind fields { name } possibleTypes { name } } }"#,
        ),
        query(
            "introspection: an input type",
            r#"{ __type(name: "ElectricityFiltersInput") { kind inputFields { name defaultValue type { name kind } } } }"#,
        ),
        query(
            "introspection: an enum",
            r#"{ __type(name: "ReadingFrequencyType") { kind enumValues { name isDeprecated } } }"#,
        ),
        query(
            "introspection: a type that does not exist",
            r#"{ __type(name: "NoSuchType") { name } }"#,
        ),
        query(
            "introspection: every type",
            "{ __schema { queryType { name } mutationType { name } types { name kind } } }",
        ),
        query("introspection: __typename", "{ __typename }"),
        query(
            "introspection: a field that does not exist on __Type",
            r#"{ __type(name: "Query") { nam } }"#,
        ),
    ]
}

/// The fields kraken-doctor reads, beyond what today's probes ask: the supply point, the
/// measurement metadata, filters, pagination, rate limits, and an account (always refused).
fn kraken_fields(target: &Target) -> Vec<Case> {
    let Target {
        property_id: id,
        mpan,
        market_name: market,
    } = target;
    let measurements = r#"measurements(first: 2, utilityFilters: [{electricityFilters: {marketSupplyPointId: $mpan}}]) {
        edges { cursor node { __typename value unit readAt source
          metaData { utilityFilters { __typename
            ... on ElectricityFiltersOutput { marketSupplyPointId deviceId readingDirection }
            ... on GasFiltersOutput { marketSupplyPointId deviceId } } }
          ... on IntervalMeasurementType { startAt endAt durationInSeconds } } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount edgeCount }"#;
    let supply_point = format!(
        "query SupplyPoint($mpan: String!, $market: String!) {{
          supplyPoint(externalIdentifier: $mpan, marketName: $market) {{
            id marketName externalIdentifier property {{ id {measurements} }} }} }}"
    );
    let plain = "query SupplyPoint($mpan: String!, $market: String!) {
          supplyPoint(externalIdentifier: $mpan, marketName: $market) {
            id marketName externalIdentifier property { id measurements(first: 1) { totalCount } } } }";
    let vars = |mpan: &str, market: &str| json!({"mpan": mpan, "market": market});
    let mut out = Vec::new();
    for who in [Who::Full, Who::QueryOnly, Who::NoPermissions, Who::NoHeader] {
        out.push(case(
            "kraken: supplyPoint",
            who,
            json!({"query": plain, "variables": vars(mpan, market)}),
        ));
        out.push(case(
            "kraken: supplyPoint with measurements and metaData",
            who,
            json!({"query": supply_point, "variables": vars(mpan, market)}),
        ));
    }
    out.push(case(
        "kraken: supplyPoint of an unknown market",
        Who::Full,
        json!({"query": plain, "variables": vars(mpan, "ATLANTIS_ELECTRICITY")}),
    ));
    out.push(case(
        "kraken: supplyPoint of an unknown MPAN",
        Who::Full,
        json!({"query": plain, "variables": vars("1000000000009", market)}),
    ));
    let page = |args: &str| {
        format!(
            r#"{{ property(id: "{id}") {{ id measurements({args}) {{ edges {{ cursor node {{ readAt }} }} pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }} totalCount edgeCount }} }} }}"#
        )
    };
    let cursor_of_2 = "YXJyYXljb25uZWN0aW9uOjI="; // graphql-relay's cursor for offset 2
    for (name, args) in [
        ("first 3 after the third", format!(r#"first: 3, after: "{cursor_of_2}""#)),
        ("last 2", "last: 2".to_string()),
        ("last 1 before the third", format!(r#"last: 1, before: "{cursor_of_2}""#)),
        ("first -1", "first: -1".to_string()),
        ("a malformed cursor", r#"first: 1, after: "not-a-cursor""#.to_string()),
        (
            "one day by startOn/endOn",
            r#"first: 1, startOn: "2026-06-29", endOn: "2026-06-29""#.to_string(),
        ),
        (
            "a DateTime range with an offset",
            r#"first: 1, startAt: "2026-06-30T12:00:00+01:00", endAt: "2026-06-30T13:00:00Z""#
                .to_string(),
        ),
        (
            "a naive DateTime",
            r#"first: 1, startAt: "2026-06-30T12:00:00""#.to_string(),
        ),
        (
            "another meter's filter",
            r#"first: 1, utilityFilters: [{electricityFilters: {marketSupplyPointId: "1000000000009"}}]"#
                .to_string(),
        ),
        (
            "a gas filter",
            "first: 1, utilityFilters: [{gasFilters: {}}]".to_string(),
        ),
    ] {
        out.push(case(
            &format!("kraken: measurements, {name}"),
            Who::Full,
            json!({ "query": page(&args) }),
        ));
    }
    let search = |term: &str| json!({"query": format!(r#"{{ propertiesSearch(searchTerm: "{term}") {{ score property {{ id address postcode }} }} }}"#)});
    out.push(case(
        "kraken: propertiesSearch by address",
        Who::Full,
        search("acacia"),
    ));
    out.push(case(
        "kraken: propertiesSearch, no match",
        Who::Full,
        search("nowhere"),
    ));
    out.push(case(
        "kraken: propertiesSearch, blank",
        Who::Full,
        search("  "),
    ));
    out.push(case(
        "kraken: property that does not exist",
        Who::Full,
        json!({"query": r#"{ property(id: "999999") { id } }"#}),
    ));
    let readings = format!(
        r#"{{ supplyPoint(externalIdentifier: "{mpan}", marketName: "{market}") {{ readings(startAt: "2026-06-30T00:00:00Z", endAt: "{DATA_END}", readingType: INTERVAL) {{ importReadings(first: 2) {{ edges {{ node {{ value units intervalStart intervalEnd }} }} totalCount edgeCount }} }} }} }}"#
    );
    out.push(case(
        "kraken: readings of a supply point",
        Who::Full,
        json!({ "query": readings }),
    ));
    let rate = "{ rateLimitInfo { pointsAllowanceRateLimit { limit remainingPoints usedPoints ttl isBlocked } } }";
    for who in [Who::Full, Who::NoHeader] {
        out.push(case("kraken: rateLimitInfo", who, json!({ "query": rate })));
    }
    out.push(case(
        "kraken: account, never readable",
        Who::Full,
        json!({"query": r#"{ account(accountNumber: "A-1234") { number } }"#}),
    ));
    out.push(case(
        "kraken: two fields, one refused",
        Who::QueryOnly,
        json!({"query": format!(r#"{{ thirdPartyViewer {{ name }} property(id: "{id}") {{ id measurements(first: 1) {{ totalCount }} }} }}"#)}),
    ));
    out.push(case(
        "kraken: a named fragment on the interface",
        Who::Full,
        json!({"query": format!(r#"query {{ property(id: "{id}") {{ measurements(first: 1) {{ edges {{ node {{ __typename ...M }} }} }} }} }} fragment M on IntervalMeasurementType {{ startAt durationInSeconds }}"#)}),
    ));
    out.push(case(
        "kraken: @skip and @include",
        Who::Full,
        json!({"query": "query Q($no: Boolean!) { thirdPartyViewer { name @skip(if: true) permissions @include(if: $no) { permission } } }", "variables": {"no": false}}),
    ));
    out.push(case(
        "kraken: variables as a JSON string",
        Who::Full,
        json!({"query": "query Q($id: ID!) { property(id: $id) { id } }", "variables": format!(r#"{{"id": "{id}"}}"#)}),
    ));
    out.push(case(
        "kraken: an integer for an ID variable",
        Who::Full,
        json!({"query": "query Q($id: ID!) { property(id: $id) { id } }", "variables": {"id": id.parse::<i64>().unwrap_or(1)}}),
    ));
    out
}

/// Requests that are not GraphQL at all.
fn http_mistakes() -> Vec<Case> {
    vec![
        Case {
            name: "http: a body that is not JSON, full token".into(),
            who: Who::Full,
            body: Body::Raw("{not json"),
        },
        case("http: no query", Who::Full, json!({"variables": {}})),
        case("http: an empty query", Who::Full, json!({"query": ""})),
    ]
}
