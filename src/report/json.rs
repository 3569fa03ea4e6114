//! The JSON report: the model serialized as it is, for scripts. Its shape is a contract,
//! versioned by `schema_version` and described by `schemas/report-v1.schema.json` (one
//! target) and `schemas/report-multi-v1.schema.json` (several); the tests validate the output
//! against both so that the model cannot drift from them unnoticed.

use serde::Serialize;

use super::{Report, SCHEMA_VERSION, Summary, combined_exit_code};

/// The document of a multi-target run (several `--profile`s or `--all-profiles`):
///
/// ```json
/// {
///   "schema_version": "1",
///   "tool_version": "0.1.0",
///   "exit_code": 1,
///   "summary": {"pass": 20, "warn": 2, "fail": 2, "error": 1, "skip": 1, "manual": 8},
///   "reports": [ { ...one single-target report each... } ]
/// }
/// ```
///
/// `exit_code` is the run's: 1 if any report's is 1, else 3 if any is 3, else 0. `summary`
/// adds up the reports' counts. A reader tells the two documents apart by `reports` (multi)
/// versus `checks` (single); both share `schema_version`.
#[derive(Debug, Serialize)]
pub struct MultiReport<'a> {
    /// Shape version, the same as the single-target report's.
    pub schema_version: &'static str,
    /// kraken-doctor's version.
    pub tool_version: &'static str,
    /// The process exit code the whole run implies (0, 1 or 3).
    pub exit_code: i32,
    /// Counts per status over all reports.
    pub summary: Summary,
    /// One report per target, in the order they were given.
    pub reports: &'a [Report],
}

impl<'a> MultiReport<'a> {
    /// Wraps `reports`, computing the combined exit code and counts.
    pub fn new(reports: &'a [Report]) -> MultiReport<'a> {
        MultiReport {
            schema_version: SCHEMA_VERSION,
            tool_version: env!("CARGO_PKG_VERSION"),
            exit_code: combined_exit_code(reports),
            summary: Summary::combined(reports),
            reports,
        }
    }
}

fn pretty<T: Serialize>(value: &T) -> String {
    // The model holds only strings, numbers, booleans and sequences: serializing it cannot fail.
    let mut text = serde_json::to_string_pretty(value).expect("the report model is plain data");
    text.push('\n');
    text
}

/// The report as pretty-printed JSON, with a trailing newline.
pub fn render(report: &Report) -> String {
    pretty(report)
}

/// The reports of a multi-target run as one [`MultiReport`] JSON document.
pub fn render_multi(reports: &[Report]) -> String {
    pretty(&MultiReport::new(reports))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Status, fixtures};
    use serde_json::Value;

    const SINGLE_SCHEMA: &str = include_str!("../../schemas/report-v1.schema.json");
    const MULTI_SCHEMA: &str = include_str!("../../schemas/report-multi-v1.schema.json");

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).expect("the output is valid JSON")
    }

    fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
        validator
            .iter_errors(instance)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect()
    }

    fn single_validator() -> jsonschema::Validator {
        let schema = parse(SINGLE_SCHEMA);
        jsonschema::draft202012::meta::validate(&schema).expect("a valid 2020-12 schema");
        jsonschema::draft202012::new(&schema).expect("the schema compiles")
    }

    #[test]
    fn healthy_report_snapshot() {
        fixtures::snapshot!("report__json_healthy", &render(&fixtures::healthy()));
    }

    #[test]
    fn broken_report_snapshot() {
        fixtures::snapshot!("report__json_broken", &render(&fixtures::broken()));
    }

    #[test]
    fn every_fixture_matches_the_schema() {
        let validator = single_validator();
        let fixtures = [
            fixtures::healthy(),
            fixtures::broken(),
            fixtures::hostile(),
            fixtures::every_evidence_shape(),
        ];
        let mut seen = std::collections::HashSet::new();
        for report in &fixtures {
            seen.extend(report.checks.iter().map(|c| c.status));
            let text = render(report);
            assert!(text.ends_with("}\n"));
            let errors = errors(&validator, &parse(&text));
            assert!(
                errors.is_empty(),
                "{}: {errors:#?}",
                report.target.client_id
            );
        }
        assert_eq!(
            seen.len(),
            Status::ALL.len(),
            "the fixtures cover every status"
        );
    }

    #[test]
    fn the_schema_catches_drift() {
        let validator = single_validator();
        let good = parse(&render(&fixtures::broken()));
        type Mutation = (&'static str, fn(&mut Value));
        let mutations: [Mutation; 6] = [
            ("unknown top-level field", |v| {
                v["colour"] = Value::from("red");
            }),
            ("unknown status", |v| {
                v["checks"][0]["status"] = Value::from("passed");
            }),
            ("missing evidence field", |v| {
                v["checks"][0]["evidence"]
                    .as_object_mut()
                    .unwrap()
                    .remove("oauth_error");
            }),
            ("outcome not a key", |v| {
                v["checks"][0]["outcome"] = Value::from("invalid client");
            }),
            ("unknown evidence field", |v| {
                v["checks"][0]["evidence"]["secret"] = Value::from("x");
            }),
            ("non-pass result without remediation", |v| {
                let failing = v["checks"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|c| c["status"] == "fail")
                    .unwrap();
                failing["remediation"] = Value::Null;
            }),
        ];
        for (what, mutate) in mutations {
            let mut bad = good.clone();
            mutate(&mut bad);
            assert!(!validator.is_valid(&bad), "the schema let through: {what}");
        }
    }

    /// The multi-target schema is self-contained: a validator given that one file, and no
    /// registry, checks every report in it.
    fn multi_validator() -> jsonschema::Validator {
        let multi = parse(MULTI_SCHEMA);
        jsonschema::draft202012::meta::validate(&multi).expect("a valid 2020-12 schema");
        jsonschema::draft202012::new(&multi).expect("the multi schema compiles on its own")
    }

    #[test]
    fn the_multi_schema_embeds_the_single_one_as_it_is() {
        let single = parse(SINGLE_SCHEMA);
        let mut multi = parse(MULTI_SCHEMA);
        if multi["$defs"]["report-v1"] == single {
            return;
        }
        // The single-target schema is the one place its shape is written; the copy embedded
        // in the multi schema follows it. `UPDATE_SCHEMAS=1 cargo test --lib report::json`
        // writes the copy after a change to report-v1.schema.json.
        if std::env::var_os("UPDATE_SCHEMAS").is_some() {
            multi["$defs"]["report-v1"] = single;
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/schemas/report-multi-v1.schema.json"
            );
            std::fs::write(path, pretty(&multi)).expect("write the multi schema");
            return;
        }
        panic!(
            "schemas/report-multi-v1.schema.json embeds an old copy of report-v1.schema.json; \
             run UPDATE_SCHEMAS=1 cargo test --lib report::json"
        );
    }

    #[test]
    fn multi_report_matches_its_schema() {
        let validator = multi_validator();
        let reports = [fixtures::broken(), fixtures::healthy(), fixtures::hostile()];
        let document = parse(&render_multi(&reports));
        let errors = errors(&validator, &document);
        assert!(errors.is_empty(), "{errors:#?}");
        assert_eq!(document["exit_code"], 1);
        assert_eq!(document["reports"].as_array().unwrap().len(), 3);
        assert_eq!(
            document["summary"]["manual"],
            (reports.iter().map(|r| r.summary.manual).sum::<usize>())
        );

        let mut bad = document.clone();
        bad["reports"][1]["checks"][0]["status"] = Value::from("ok");
        assert!(
            !validator.is_valid(&bad),
            "the multi schema checks each report"
        );
        let mut bad = document.clone();
        bad["reports"][0]["checks"][0]["outcome"] = Value::from("Not A Key");
        assert!(!validator.is_valid(&bad), "and each check's outcome key");
    }

    #[test]
    fn hostile_strings_stay_valid_json() {
        let text = render(&fixtures::hostile());
        let value = parse(&text);
        assert_eq!(
            value["checks"][0]["summary"].as_str(),
            Some(fixtures::hostile().checks[0].summary.as_str())
        );
    }
}
