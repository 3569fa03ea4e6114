//! The checklist data in `checks/` is sound: every GraphQL document kraken-doctor sends
//! validates against the real Kraken schema, stays tiny, and every error code a remediation
//! cites exists in Kraken's registry.

use std::sync::OnceLock;

use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use kraken_doctor::checks;

/// The production schema (EDF GB Kraken, July 2026), parsed once for all tests.
pub fn real_schema() -> &'static Valid<Schema> {
    static SCHEMA: OnceLock<Valid<Schema>> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let sdl = include_str!("../data/schema-edf-gb-2026-07.graphql");
        match Schema::parse_and_validate(sdl, "schema-edf-gb-2026-07.graphql") {
            Ok(s) => s,
            // The published schema has a few definitions apollo-compiler is stricter about
            // than graphql-core; it parses, and executable validation still applies in full.
            Err(with_errors) => Valid::assume_valid(with_errors.partial),
        }
    })
}

fn documents() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for c in checks::all() {
        if let Some(p) = &c.probe {
            for (kind, doc) in [
                ("none", &p.none),
                ("property", &p.property),
                ("supply_point", &p.supply_point),
            ] {
                if let Some(d) = doc {
                    out.push((format!("{}:{kind}", c.id), d.clone()));
                }
            }
        }
    }
    out
}

#[test]
fn every_probe_document_validates_against_the_real_schema() {
    let docs = documents();
    assert!(docs.len() >= 6, "the probes are found: {docs:?}");
    for (name, doc) in docs {
        if let Err(e) = ExecutableDocument::parse_and_validate(real_schema(), doc.as_str(), &name) {
            panic!(
                "{name} does not validate against the real schema:\n{}",
                e.errors
            );
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
    for (name, doc) in documents() {
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
