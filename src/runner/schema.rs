//! What the Kraken in front of us serves, as introspection tells it. The Krakens we know answer
//! `__type` without a token, so the question rides in round one beside the token requests and
//! round two sends only what exists. Where introspection is off or refused, nothing is known
//! and the planner falls back to probes that each stand alone.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::evidence::GqlExchange;

/// The fields (with their argument names) of one type.
pub type Fields = BTreeMap<String, BTreeSet<String>>;

/// What is known about the schema.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaKnowledge {
    /// Introspection was not asked (no API check selected).
    NotAsked,
    /// Asked, and no usable answer: why.
    Unknown(String),
    /// The types the probes use, by name; a type the schema lacks is absent from the map.
    Known(BTreeMap<String, Fields>),
}

/// The types the probes use, under the aliases of the introspection document.
const TYPES: &[(&str, &str)] = &[
    ("query", "Query"),
    ("viewer", "ThirdPartyOrganizationType"),
    ("property", "PropertyType"),
    ("measurement", "MeasurementInterface"),
];

impl SchemaKnowledge {
    /// Read the introspection answer. Anything but a readable `Query` type is `Unknown`.
    pub fn from_answer(answer: &GqlExchange) -> SchemaKnowledge {
        let reply = match answer {
            Err(f) => return SchemaKnowledge::Unknown(f.to_string()),
            Ok(Err(e)) => return SchemaKnowledge::Unknown(e.reason.clone()),
            Ok(Ok(r)) => r,
        };
        let Some(data) = reply.data.as_ref() else {
            let why = reply
                .errors
                .first()
                .map_or("no data".to_string(), |e| e.describe());
            return SchemaKnowledge::Unknown(format!("introspection refused: {why}"));
        };
        let mut types = BTreeMap::new();
        for (alias, name) in TYPES {
            if let Some(fields) = data.get(*alias).and_then(|t| t.get("fields")) {
                types.insert(name.to_string(), read_fields(fields));
            }
        }
        if !types.contains_key("Query") {
            return SchemaKnowledge::Unknown("introspection did not describe Query".into());
        }
        SchemaKnowledge::Known(types)
    }

    /// Whether a need such as `Query.propertiesSearch`, `Query.property(nmi)` or
    /// `MeasurementInterface.metaData` is met: `Some(true/false)` when known, `None` when not.
    pub fn meets(&self, need: &str) -> Option<bool> {
        let SchemaKnowledge::Known(types) = self else {
            return None;
        };
        let (ty, rest) = need.split_once('.')?;
        let (field, arg) = match rest.split_once('(') {
            Some((f, a)) => (f, Some(a.trim_end_matches(')'))),
            None => (rest, None),
        };
        let Some(fields) = types.get(ty) else {
            return Some(false);
        };
        Some(match (fields.get(field), arg) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(args), Some(a)) => args.contains(a),
        })
    }

    /// The first of these needs the schema is known to lack.
    pub fn first_unmet<'a>(&self, needs: &'a [String]) -> Option<&'a str> {
        needs
            .iter()
            .find(|n| self.meets(n) == Some(false))
            .map(String::as_str)
    }
}

fn read_fields(fields: &Value) -> Fields {
    fields
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|f| {
                    let name = f.get("name")?.as_str()?.to_string();
                    let args = f
                        .get("args")
                        .and_then(Value::as_array)
                        .map(|a| {
                            a.iter()
                                .filter_map(|x| x.get("name")?.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default();
                    Some((name, args))
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kraken::graphql::parse_envelope;
    use crate::kraken::http::Response;
    use crate::kraken::model::HeaderForm;

    fn knowledge(body: &str) -> SchemaKnowledge {
        SchemaKnowledge::from_answer(&Ok(parse_envelope(
            Response::from_body(200, body),
            HeaderForm::Bare,
        )))
    }

    #[test]
    fn needs_are_met_by_fields_and_arguments() {
        let k = knowledge(
            r#"{"data":{"query":{"fields":[{"name":"property","args":[{"name":"id"},{"name":"nmi"}]},{"name":"thirdPartyViewer","args":[]}]},
               "viewer":{"fields":[{"name":"name"}]},"property":null,"measurement":null}}"#,
        );
        assert_eq!(k.meets("Query.property(nmi)"), Some(true));
        assert_eq!(k.meets("Query.property(mirn)"), Some(false));
        assert_eq!(k.meets("Query.supplyPoint"), Some(false));
        assert_eq!(
            k.meets("ThirdPartyOrganizationType.permissions"),
            Some(false)
        );
        assert_eq!(k.meets("PropertyType.measurements"), Some(false));
        let needs = vec![
            "Query.thirdPartyViewer".to_string(),
            "ThirdPartyOrganizationType.permissions".to_string(),
        ];
        assert_eq!(
            k.first_unmet(&needs),
            Some("ThirdPartyOrganizationType.permissions")
        );
    }

    #[test]
    fn refusals_and_faults_leave_the_schema_unknown() {
        for body in [
            r#"{"errors":[{"message":"Cannot query field '__type' on type 'Query'.","locations":[{"line":1,"column":2}]}]}"#,
            r#"{"data":{"query":null}}"#,
            r#"{"data":null,"errors":[{"message":"Unauthorized.","extensions":{"errorCode":"KT-CT-1111"}}]}"#,
        ] {
            assert!(
                matches!(knowledge(body), SchemaKnowledge::Unknown(_)),
                "{body}"
            );
            assert_eq!(knowledge(body).meets("Query.property"), None);
        }
    }
}
