//! The checklist data in `checks/` is sound: every GraphQL document kraken-doctor sends
//! validates against each production Kraken schema that has what it needs, stays tiny, and every error code a remediation
//! cites exists in Kraken's registry.

use std::sync::OnceLock;

use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use kraken_doctor::checks;

/// Parse a production schema. The published schemas have a few definitions apollo-compiler is
/// stricter about than graphql-core; they parse, and executable validation still applies in
/// full.
fn parse(sdl: &str, name: &str) -> Valid<Schema> {
    match Schema::parse_and_validate(sdl, name) {
        Ok(s) => s,
        Err(with_errors) => Valid::assume_valid(with_errors.partial),
    }
}

/// The production schema (EDF GB Kraken, July 2026), parsed once for all tests.
pub fn real_schema() -> &'static Valid<Schema> {
    static SCHEMA: OnceLock<Valid<Schema>> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        parse(
            include_str!("../data/schema-edf-gb-2026-07.graphql"),
            "schema-edf-gb-2026-07.graphql",
        )
    })
}

/// The second production schema (Origin, Australia, July 2026).
pub fn origin_schema() -> &'static Valid<Schema> {
    static SCHEMA: OnceLock<Valid<Schema>> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        parse(
            include_str!("../data/schema-origin-au-2026-07.graphql"),
            "schema-origin-au-2026-07.graphql",
        )
    })
}

/// Every probe document, named `check:document`, with its schema needs.
fn documents() -> Vec<(String, String, Vec<String>)> {
    let mut out = Vec::new();
    for c in checks::all() {
        for (name, p) in &c.probe {
            out.push((
                format!("{}:{name}", c.id),
                p.document.clone(),
                p.needs.clone(),
            ));
        }
    }
    out
}

/// Whether a schema has what a need such as `Query.property(nmi)` names.
fn meets(schema: &Schema, need: &str) -> bool {
    let Some((ty, rest)) = need.split_once('.') else {
        return false;
    };
    let (field, arg) = match rest.split_once('(') {
        Some((f, a)) => (f, Some(a.trim_end_matches(')'))),
        None => (rest, None),
    };
    let fields = match schema.types.get(ty) {
        Some(apollo_compiler::schema::ExtendedType::Object(o)) => &o.fields,
        Some(apollo_compiler::schema::ExtendedType::Interface(i)) => &i.fields,
        _ => return false,
    };
    fields
        .get(field)
        .is_some_and(|f| arg.is_none_or(|a| f.arguments.iter().any(|x| x.name.as_str() == a)))
}

#[test]
fn every_probe_document_validates_where_its_needs_are_met() {
    let docs = documents();
    assert!(docs.len() >= 8, "the probes are found: {docs:?}");
    let schemas = [("EDF GB", real_schema()), ("Origin AU", origin_schema())];
    for (name, doc, needs) in docs {
        let mut validated = 0;
        for (kraken, schema) in schemas {
            if !needs.iter().all(|n| meets(schema, n)) {
                continue;
            }
            if let Err(e) = ExecutableDocument::parse_and_validate(schema, doc.as_str(), &name) {
                panic!(
                    "{name} does not validate against the {kraken} schema:\n{}",
                    e.errors
                );
            }
            validated += 1;
        }
        assert!(
            validated > 0,
            "{name}: no production schema has what it needs: {needs:?}"
        );
    }
}

#[test]
fn documents_sent_blind_stand_on_every_known_kraken() {
    for c in checks::all() {
        for (name, p) in &c.probe {
            for need in &p.needs {
                assert!(
                    meets(real_schema(), need) || meets(origin_schema(), need),
                    "{}:{name}: need {need} is in neither production schema",
                    c.id
                );
                assert!(
                    !p.when_unknown || (meets(real_schema(), need) && meets(origin_schema(), need)),
                    "{}:{name} is sent when the schema is unknown, so it must stand on every \
                     Kraken we know; {need} is missing from one",
                    c.id
                );
            }
        }
    }
}

/// A rough upper bound of Kraken's query complexity: one point per field, a connection's
/// selection multiplied by its `first`.
fn complexity(doc: &str) -> usize {
    let fields = doc
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with("query") && !l.starts_with('}') && !l.starts_with("...")
        })
        .count();
    let first: usize = doc
        .split("first:")
        .skip(1)
        .filter_map(|s| {
            s.trim()
                .split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        })
        .max()
        .unwrap_or(1);
    fields * first
}

#[test]
fn probes_are_tiny_and_ask_for_one_item() {
    for (name, doc, _) in documents() {
        if doc.contains("measurements(") {
            assert!(doc.contains("first: 1"), "{name} pages with first: 1");
        }
        let c = complexity(&doc);
        assert!(
            c <= 25,
            "{name}: complexity estimate {c} is not far below Kraken's 200"
        );
    }
}

#[test]
fn remediation_texts_cite_only_codes_that_exist() {
    let mut cited = 0;
    for (id, text) in checks::files() {
        for (i, _) in text.match_indices("KT-CT-") {
            let code: String = text[i..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect();
            assert!(
                kraken_doctor::kraken::catalogue::exists(&code),
                "checks/{id}.toml cites {code}, which the registry lacks"
            );
            cited += 1;
        }
    }
    assert!(cited > 0);
}

#[test]
fn readme_checks_table_matches_the_registry() {
    let readme = include_str!("../../README.md");
    for c in checks::all() {
        let steps = c.steps_text();
        let row = format!("| `{}` | {} | {} |", c.id, c.title, steps);
        assert!(readme.contains(&row), "README lacks the row: {row}");
    }
}
