//! Differential tests: the simulator's GraphQL API against a real graphene-django server.
//!
//! Kraken's API is graphene-django over graphql-core; the simulator is async-graphql made to
//! answer like it, and every other test trusts that. Here a real graphene-django serves the
//! same subset of Kraken's schema with the same data and the same Kraken error envelope
//! (`tests/interop/graphene_server/`), and both get the same requests: every probe document of
//! `checks/*.toml` (valid variables under every kind of token, a missing variable, a variable
//! of the wrong type), invalid documents, introspection, and HTTP-level mistakes — in both
//! validation modes (graphene-django's HTTP 400 for parse and validation errors, and Kraken's
//! published convention of HTTP 200). The status, the content type, the top-level keys, the
//! `data` (measurement values and a few counters normalised: they are each server's own) and
//! every error (`message`, `locations`, `path`, `extensions`) must agree; then the two
//! schemas must be the same subset of the production one. Beyond the probes, the cases hold
//! each rule of graphql-core's validation, its coercion of variables and its execution at the
//! edges (`interop_graphql_rules.rs`). Known differences would live in
//! [`KNOWN_GRAPHQL_DIVERGENCES`] (empty). See `tests/interop/README.md`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::time::Duration;

use apollo_compiler::ast;
use apollo_compiler::schema::ExtendedType;
use kraken_sim::{Scenario, Simulator};
use serde_json::{Value, json};

use crate::interop_support::{Known, RealServer, Verdict, python_or_skip};

#[path = "interop_graphql_cases.rs"]
mod cases;
use cases::{Body, Case, cases};

/// Where the simulator is known to answer unlike graphene-django, one entry per cause, with what
/// the simulator should change: `group` is the validation mode (`400`, `200`, `*` for both) or
/// `schema`; `cases` the names of the cases it shows in, as the test prints them (`*` stands
/// for any run of characters). A listed case that diverges is reported, not failed; an entry
/// that never diverges (or names no case) fails, so the list can only shrink. It is empty: the
/// simulator answers every case as graphene-django does; a new difference fails the test, and
/// belongs here only with the evidence that it cannot be closed.
const KNOWN_GRAPHQL_DIVERGENCES: &[Known] = &[];

/// The instant the simulator's measurements end (`DATA_END` in crates/kraken-sim/src/data.rs); the graphene
/// server is given the same, so both serve the same half-hourly slots.
const DATA_END: &str = "2026-07-01T00:00:00+00:00";
/// Per HTTP request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

#[test]
fn graphql_answers_like_graphene_django_with_400_for_validation_errors() {
    // Proves: with graphene-django's stock view (parse and validation errors → HTTP 400), the
    // simulator answers every probe document, invalid document and introspection query with
    // the status, data and errors graphene gives.
    differential(400);
}

#[test]
fn graphql_answers_like_graphene_django_with_200_for_validation_errors() {
    // Proves the same with Kraken's convention (every GraphQL answer is HTTP 200), the
    // simulator's default.
    differential(200);
}

#[test]
fn graphene_schema_is_the_simulators_subset_of_the_production_schema() {
    // Proves: the graphene server serves exactly the simulator's types, fields, arguments,
    // enum values and default values (as each one's introspection says, without a token),
    // and each of them is in the EDF GB production schema with the same type — so the
    // differential tests compare like with like.
    let Some(setup) = Setup::start_or_skip(400) else {
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let (sim, graphene) = runtime.block_on(async {
        tokio::join!(
            introspected_facts(&setup.sim_url),
            introspected_facts(&setup.real_url)
        )
    });
    let real_text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/schema-edf-gb-2026-07.graphql"),
    )
    .expect("the production schema");
    let real = schema_facts(&real_text, "schema-edf-gb-2026-07.graphql");
    let not_in_production: Vec<String> = graphene
        .iter()
        .filter(|(key, fact)| !fact.within(real.get(*key)))
        .map(|(key, fact)| {
            format!(
                "{key}: graphene {fact}, production {}",
                real.get(key)
                    .map_or("absent".to_string(), |f| f.to_string())
            )
        })
        .collect();
    assert!(
        not_in_production.is_empty(),
        "interop: the graphene server is not a faithful subset of the production schema \
         (fix tests/interop/graphene_server/kraken.py):\n{}",
        not_in_production.join("\n")
    );
    let mut verdict = Verdict::new(
        known_for("schema"),
        "graphene-django",
        "KNOWN_GRAPHQL_DIVERGENCES",
    );
    let keys: std::collections::BTreeSet<&String> = sim.keys().chain(graphene.keys()).collect();
    for key in keys {
        let shown = |f: Option<&Fact>| f.map_or("(absent)".to_string(), |f| f.to_string());
        verdict.compare(
            "schema",
            key,
            key,
            &shown(sim.get(key)),
            &shown(graphene.get(key)),
        );
    }
    verdict.finish(&setup.real.versions());
}

/// The entries a test meets: its own group's, and the ones for both modes unless it is the
/// schema test.
fn known_for(group: &str) -> Vec<(usize, &'static Known)> {
    KNOWN_GRAPHQL_DIVERGENCES
        .iter()
        .enumerate()
        .filter(|(_, k)| k.group == group || (k.group == "*" && group != "schema"))
        .collect()
}

fn differential(mode: u16) {
    let Some(setup) = Setup::start_or_skip(mode) else {
        return;
    };
    let group = mode.to_string();
    let mut verdict = Verdict::new(
        known_for(&group),
        "graphene-django",
        "KNOWN_GRAPHQL_DIVERGENCES",
    );
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("HTTP client");
    for case in cases(&setup.target) {
        let (sim, real) = runtime.block_on(async {
            tokio::join!(
                send(&client, &setup.sim_url, &case, &setup.tokens),
                send(&client, &setup.real_url, &case, &setup.tokens),
            )
        });
        verdict.compare(&group, &case.name, &case.to_string(), &sim, &real);
    }
    verdict.finish(&setup.real.versions());
}

// ---------------------------------------------------------------------------------------------
// Both servers, with the same data and the same tokens

/// The data target the probes are sent for.
struct Target {
    property_id: String,
    mpan: String,
    market_name: String,
}

/// An `Authorization` header value per kind of caller (the same token string on both sides:
/// the graphene server is told which viewer each simulator token belongs to).
struct Tokens {
    full: String,
    no_permissions: String,
    query_only: String,
}

struct Setup {
    _sim: Simulator,
    sim_url: String,
    real: RealServer,
    real_url: String,
    tokens: Tokens,
    target: Target,
    _fixture: tempfile::TempDir,
}

/// The applications of the compared scenario: the healthy one, and two made from it.
const VIEWERS: [(&str, &[&str]); 3] = [
    ("full", &["CAN_VIEW_DETAILED_USAGE", "CAN_QUERY_PROPERTY"]),
    ("no-permissions", &[]),
    ("query-only", &["CAN_QUERY_PROPERTY"]),
];

impl Setup {
    fn start_or_skip(mode: u16) -> Option<Setup> {
        let python = python_or_skip(&[
            ("django", "Django"),
            ("graphene", "graphene"),
            ("graphene_django", "graphene-django"),
            ("graphql", "graphql-core"),
            ("yaml", "PyYAML"),
        ])?;
        let scenario = scenario(mode);
        let table: toml::Table = scenario.to_toml().parse().expect("scenario TOML");
        let sim = Simulator::start(scenario).expect("the simulator starts");
        let sim_url = format!("{}/v1/graphql/", sim.url());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio runtime");
        let mut tokens = BTreeMap::new();
        let mut viewers = serde_json::Map::new();
        for app in table["applications"].as_array().expect("applications") {
            let text = |k: &str| app.get(k).and_then(|v| v.as_str()).unwrap_or_default();
            let token = runtime.block_on(fetch_token(
                &sim.url(),
                text("client_id"),
                text("client_secret"),
            ));
            let permissions: Vec<Value> = match app.get("role") {
                Some(_) => serde_json::to_value(&app["permissions"])
                    .ok()
                    .and_then(|v| v.as_array().cloned())
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            viewers.insert(
                token.clone(),
                json!({"name": text("description"), "permissions": permissions}),
            );
            tokens.insert(text("description").to_string(), token);
        }
        let properties = serde_json::to_value(&table["properties"]).expect("properties");
        let first = &properties[0];
        // The first meter of the first property (a scenario of an older simulator gives a
        // property one `mpan` instead of `supply_points`).
        let meter = first["supply_points"].get(0).unwrap_or(first);
        let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
        let target = Target {
            property_id: text(first, "id"),
            mpan: meter
                .get("mpan")
                .map_or_else(|| text(meter, "id"), |_| text(meter, "mpan")),
            market_name: text(meter, "market_name"),
        };
        let api = serde_json::to_value(&table["api"]).expect("[api]");
        let fixture = json!({
            "data_end": DATA_END,
            "denial_code": api["denial_code"],
            "object_denial_code": api.get("object_denial_code").cloned().unwrap_or(json!("KT-CT-4177")),
            "properties": properties,
            "viewers": viewers,
        });
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("fixture.json");
        std::fs::write(&path, fixture.to_string()).expect("fixture written");
        let real = RealServer::start(
            &python,
            "graphene_server/serve.py",
            &[
                OsString::from("--fixture"),
                path.into_os_string(),
                OsString::from("--validation-status"),
                OsString::from(mode.to_string()),
            ],
        );
        let real_url = real.field("url");
        let token = |name: &str| {
            tokens
                .get(&description(name))
                .cloned()
                .unwrap_or_else(|| panic!("interop: no token for {name}"))
        };
        Some(Setup {
            sim_url,
            real_url,
            tokens: Tokens {
                full: token("full"),
                no_permissions: token("no-permissions"),
                query_only: token("query-only"),
            },
            target,
            real,
            _sim: sim,
            _fixture: dir,
        })
    }
}

fn description(viewer: &str) -> String {
    format!("interop {viewer}")
}

/// The healthy scenario with one application per [`VIEWERS`] entry and parse and validation
/// errors answered with `mode`.
fn scenario(mode: u16) -> Scenario {
    let base = Scenario::builtin("healthy").expect("the healthy scenario");
    let mut table: toml::Table = base.to_toml().parse().expect("scenario TOML");
    let apps = table["applications"].as_array_mut().expect("applications");
    let first = apps[0].as_table().cloned().expect("an application");
    apps.clear();
    for (name, permissions) in VIEWERS {
        let mut app = first.clone();
        let id = first["client_id"].as_str().unwrap_or("interop");
        app.insert("client_id".into(), format!("{id}-{name}").into());
        app.insert("description".into(), description(name).into());
        let names: Vec<toml::Value> = permissions.iter().map(|p| (*p).into()).collect();
        app.insert("permissions".into(), names.into());
        if permissions.is_empty() {
            app.remove("role");
        }
        apps.push(app.into());
    }
    let api = table["api"].as_table_mut().expect("[api]");
    api.insert("validation_status".into(), i64::from(mode).into());
    let text = toml::to_string(&table).expect("scenario TOML");
    Scenario::from_toml_str(&text, "interop")
        .unwrap_or_else(|e| panic!("interop: the interop scenario does not load: {e}"))
}

async fn fetch_token(base: &str, client_id: &str, client_secret: &str) -> String {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", client_id),
        ("client_secret", client_secret),
    ];
    let answer: Value = reqwest::Client::new()
        .post(format!("{base}/token/"))
        .form(&form)
        .send()
        .await
        .expect("the simulator's token endpoint answers")
        .json()
        .await
        .expect("a JSON token response");
    answer["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("interop: no token for {client_id}: {answer}"))
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Answers

/// What a client can see of a GraphQL answer, with what legitimately differs normalised.
#[derive(Debug, PartialEq)]
struct Answer {
    /// The status, or why there was none.
    status: Result<u16, String>,
    /// The media type without parameters.
    content_type: Option<String>,
    /// The top-level keys of a JSON object body, sorted.
    keys: Vec<String>,
    data: Option<Value>,
    /// Each error as canonical JSON (keys sorted), in the order the server gives them.
    errors: Vec<String>,
    /// A body that is not a JSON object.
    other: Option<String>,
}

async fn send(client: &reqwest::Client, url: &str, case: &Case, tokens: &Tokens) -> Answer {
    let mut request = client.post(url).header("Content-Type", "application/json");
    if let Some(header) = case.who.header(tokens) {
        request = request.header("Authorization", header);
    }
    request = match &case.body {
        Body::Json(v) => request.body(v.to_string()),
        Body::Raw(text) => request.body(*text),
    };
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => return Answer::failed(format!("{e}")),
    };
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_string());
    let body = match response.bytes().await {
        Ok(b) => b,
        Err(e) => return Answer::failed(format!("body unreadable: {e}")),
    };
    let mut answer = Answer {
        status: Ok(status),
        content_type,
        ..Answer::failed(String::new())
    };
    match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => {
            answer.keys = map.keys().cloned().collect();
            answer.keys.sort();
            answer.data = map.get("data").map(|d| normalise(d, &mut Vec::new()));
            if let Some(Value::Array(errors)) = map.get("errors") {
                answer.errors = errors.iter().map(canonical).collect();
            }
        }
        _ => answer.other = Some(String::from_utf8_lossy(&body).into_owned()),
    }
    answer
}

impl Answer {
    fn failed(why: String) -> Answer {
        Answer {
            status: Err(why),
            content_type: None,
            keys: Vec::new(),
            data: None,
            errors: Vec::new(),
            other: None,
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.status {
            Ok(status) => write!(f, "{status}")?,
            Err(why) => return write!(f, "no answer ({why})"),
        }
        if let Some(ct) = &self.content_type {
            write!(f, " {ct}")?;
        }
        write!(f, " keys={:?}", self.keys)?;
        if let Some(data) = &self.data {
            write!(f, " data={}", canonical(data))?;
        }
        for e in &self.errors {
            write!(f, "\n        error {e}")?;
        }
        if let Some(other) = &self.other {
            write!(f, " body={other:?}")?;
        }
        Ok(())
    }
}

/// JSON with every object's keys sorted.
fn canonical(v: &Value) -> String {
    fn sorted(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                Value::Object(
                    keys.into_iter()
                        .map(|k| (k.clone(), sorted(&m[k])))
                        .collect(),
                )
            }
            Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(v).to_string()
}

/// Lists of named things in an introspection answer, whose order is each schema's own.
const INTROSPECTION_LISTS: &[&str] = &[
    "fields",
    "args",
    "inputFields",
    "enumValues",
    "possibleTypes",
    "interfaces",
    "types",
];

const BUILT_IN_SCALARS: &[&str] = &["Boolean", "Float", "ID", "Int", "String"];

/// `data` with what legitimately differs replaced by its kind: each server's own measurement
/// values (kept as "a decimal string"), supply point ids, and the rate-limit counters; the
/// order of introspection lists.
fn normalise(v: &Value, path: &mut Vec<String>) -> Value {
    let key = path.last().cloned().unwrap_or_default();
    let parent = path.iter().rev().nth(1).cloned().unwrap_or_default();
    let (key, parent) = (key.as_str(), parent.as_str());
    match v {
        Value::String(s) if key == "value" && parent == "node" => {
            let decimal = !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
                && s.parse::<f64>().is_ok();
            if decimal {
                json!("<decimal string>")
            } else {
                v.clone()
            }
        }
        Value::String(_) if key == "id" && parent == "supplyPoint" => json!("<id>"),
        Value::Number(_)
            if parent == "pointsAllowanceRateLimit"
                && matches!(key, "remainingPoints" | "usedPoints" | "ttl") =>
        {
            json!("<int>")
        }
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    path.push(k.clone());
                    let out = normalise(v, path);
                    path.pop();
                    (k.clone(), out)
                })
                .collect(),
        ),
        Value::Array(a) => {
            let mut items: Vec<Value> = a.iter().map(|x| normalise(x, path)).collect();
            let introspection = path.iter().any(|p| p.starts_with("__"));
            if introspection && INTROSPECTION_LISTS.contains(&key) {
                items.sort_by_key(|x| x["name"].as_str().unwrap_or_default().to_string());
            }
            if introspection && key == "types" {
                // Which built-in scalars a schema lists depends on what its fields reach:
                // graphql-core lists the ones used, async-graphql always adds Float. Kraken's
                // full schema uses them all; the subsets say nothing about it.
                items.retain(|x| !BUILT_IN_SCALARS.contains(&x["name"].as_str().unwrap_or("")));
            }
            Value::Array(items)
        }
        other => other.clone(),
    }
}

// ---------------------------------------------------------------------------------------------
// Schemas

/// One fact of a schema: a type's kind (with the interfaces it implements or its union
/// members), a field's type, an argument's or input field's type and default, an enum value.
#[derive(Debug, Clone, PartialEq)]
enum Fact {
    Type {
        kind: &'static str,
        /// Interfaces or union members, sorted.
        related: Vec<String>,
    },
    /// A field's type (no default), or an argument's or input field's type and default.
    Typed {
        ty: String,
        default: Option<String>,
    },
    EnumValue,
}

impl Fact {
    /// Whether a graphene fact is true of the production schema: the same kind with a subset
    /// of its interfaces or members, the same type and default, the value exists.
    fn within(&self, production: Option<&Fact>) -> bool {
        match (self, production) {
            (
                Fact::Type { kind, related },
                Some(Fact::Type {
                    kind: k,
                    related: r,
                }),
            ) => kind == k && related.iter().all(|x| r.contains(x)),
            (a, Some(b)) => a == b,
            (_, None) => false,
        }
    }
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fact::Type { kind, related } if related.is_empty() => write!(f, "{kind}"),
            Fact::Type { kind, related } => write!(f, "{kind} ({})", related.join(", ")),
            Fact::Typed { ty, default: None } => write!(f, "{ty}"),
            Fact::Typed {
                ty,
                default: Some(d),
            } => write!(f, "{ty} = {d}"),
            Fact::EnumValue => write!(f, "enum value"),
        }
    }
}

/// The standard introspection, as much of it as [`Fact`] needs.
const INTROSPECTION: &str = "{ __schema { types { kind name
    fields(includeDeprecated: true) { name type { ...T } args { name defaultValue type { ...T } } }
    inputFields { name defaultValue type { ...T } }
    enumValues(includeDeprecated: true) { name }
    interfaces { name } possibleTypes { name } } } }
  fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }";

/// Every fact of the schema a server serves, from its introspection without a token, keyed as
/// [`schema_facts`] keys them (built-in types left out).
async fn introspected_facts(url: &str) -> BTreeMap<String, Fact> {
    let answer: Value = reqwest::Client::new()
        .post(url)
        .json(&json!({ "query": INTROSPECTION }))
        .timeout(REQUEST_TIMEOUT)
        .send()
        .await
        .unwrap_or_else(|e| panic!("interop: introspection of {url}: {e}"))
        .json()
        .await
        .unwrap_or_else(|e| panic!("interop: introspection of {url} is not JSON: {e}"));
    let types = answer["data"]["__schema"]["types"]
        .as_array()
        .unwrap_or_else(|| panic!("interop: introspection of {url} answered {answer}"));
    fn type_ref(t: &Value) -> String {
        match t["kind"].as_str() {
            Some("NON_NULL") => format!("{}!", type_ref(&t["ofType"])),
            Some("LIST") => format!("[{}]", type_ref(&t["ofType"])),
            _ => t["name"].as_str().unwrap_or("?").to_string(),
        }
    }
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let names = |v: &Value| {
        let mut names: Vec<String> = list(v)
            .iter()
            .filter_map(|x| x["name"].as_str().map(String::from))
            .collect();
        names.sort();
        names
    };
    let typed = |v: &Value| Fact::Typed {
        ty: type_ref(&v["type"]),
        default: v["defaultValue"].as_str().map(String::from),
    };
    let mut out = BTreeMap::new();
    for t in types {
        let name = t["name"].as_str().unwrap_or_default();
        if name.starts_with("__") || BUILT_IN_SCALARS.contains(&name) {
            continue;
        }
        let (kind, related) = match t["kind"].as_str().unwrap_or_default() {
            "OBJECT" => ("object", names(&t["interfaces"])),
            "INTERFACE" => ("interface", names(&t["interfaces"])),
            "UNION" => ("union", names(&t["possibleTypes"])),
            "ENUM" => ("enum", vec![]),
            "INPUT_OBJECT" => ("input", vec![]),
            _ => ("scalar", vec![]),
        };
        out.insert(name.to_string(), Fact::Type { kind, related });
        for field in list(&t["fields"]) {
            let field_name = field["name"].as_str().unwrap_or_default();
            out.insert(format!("{name}.{field_name}"), typed(&field));
            for arg in list(&field["args"]) {
                let arg_name = arg["name"].as_str().unwrap_or_default();
                out.insert(format!("{name}.{field_name}({arg_name})"), typed(&arg));
            }
        }
        for field in list(&t["inputFields"]) {
            let field_name = field["name"].as_str().unwrap_or_default();
            out.insert(format!("{name}.{field_name}"), typed(&field));
        }
        for value in names(&t["enumValues"]) {
            out.insert(format!("{name}.{value}"), Fact::EnumValue);
        }
    }
    out
}

/// Every fact of an SDL schema, by `Type`, `Type.field`, `Type.field(arg)` or `Enum.VALUE`
/// (built-in types and directives left out).
fn schema_facts(sdl: &str, name: &str) -> BTreeMap<String, Fact> {
    let schema = match apollo_compiler::Schema::parse(sdl, name) {
        Ok(s) => s,
        // The production schema has a few definitions apollo-compiler is stricter about than
        // graphql-core; what it parses is all this needs.
        Err(e) => e.partial,
    };
    let mut out = BTreeMap::new();
    let typed = |ty: &ast::Type, default: Option<&ast::Value>| Fact::Typed {
        ty: ty.to_string(),
        default: default.map(|d| d.to_string()),
    };
    let names =
        |set: &apollo_compiler::collections::IndexSet<apollo_compiler::schema::ComponentName>| {
            let mut names: Vec<String> = set.iter().map(|n| n.to_string()).collect();
            names.sort();
            names
        };
    for (type_name, ty) in &schema.types {
        if ty.is_built_in() {
            continue;
        }
        let (kind, related) = match ty {
            ExtendedType::Scalar(_) => ("scalar", vec![]),
            ExtendedType::Object(o) => ("object", names(&o.implements_interfaces)),
            ExtendedType::Interface(i) => ("interface", names(&i.implements_interfaces)),
            ExtendedType::Union(u) => ("union", names(&u.members)),
            ExtendedType::Enum(_) => ("enum", vec![]),
            ExtendedType::InputObject(_) => ("input", vec![]),
        };
        out.insert(type_name.to_string(), Fact::Type { kind, related });
        let fields = match ty {
            ExtendedType::Object(o) => o.fields.values().map(|f| &***f).collect(),
            ExtendedType::Interface(i) => i.fields.values().map(|f| &***f).collect(),
            _ => Vec::new(),
        };
        for field in fields {
            out.insert(
                format!("{type_name}.{}", field.name),
                typed(&field.ty, None),
            );
            for arg in &field.arguments {
                out.insert(
                    format!("{type_name}.{}({})", field.name, arg.name),
                    typed(&arg.ty, arg.default_value.as_deref()),
                );
            }
        }
        match ty {
            ExtendedType::InputObject(io) => {
                for (field_name, field) in &io.fields {
                    out.insert(
                        format!("{type_name}.{field_name}"),
                        typed(&field.ty, field.default_value.as_deref()),
                    );
                }
            }
            ExtendedType::Enum(e) => {
                for value in e.values.keys() {
                    out.insert(format!("{type_name}.{value}"), Fact::EnumValue);
                }
            }
            _ => {}
        }
    }
    out
}
