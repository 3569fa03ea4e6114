//! Planning: which token requests and which GraphQL documents a run sends, from the selected
//! checks, the data target and what introspection said about the schema. Pure: the same
//! inputs give the same plan, and no request leaves from here.

use serde_json::{Value, json};

use super::DataTarget;
use super::evidence::{ProbeKey, ProbePlan};
use super::schema::SchemaKnowledge;
use crate::checks::{self, CheckId};
use crate::kraken::identifiers::{SupplyPointId, Territory, Utility};

/// The search term of the role-level property search: it matches no property, and a search
/// that runs at all has passed the permission check.
pub const MADE_UP_TERM: &str = "kraken-doctor-probe";

/// What one check needs sent. Exhaustive over the checks: a new check says what it needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Needs {
    /// The documented token request (body credentials).
    token: bool,
    /// The token at the API: introspection in round one, probes in round two.
    api: bool,
    /// The token request with HTTP Basic credentials.
    basic: bool,
    /// The three requests that must be refused.
    confidentiality: bool,
    /// The permission list.
    viewer: bool,
    /// The role-level property search (not with a supply point target).
    search: bool,
    /// The data target's read.
    read: bool,
    /// The data target's read, only when the target is a supply point.
    read_supply_point: bool,
    /// The supply point lookup.
    locate: bool,
}

fn needs(id: CheckId) -> Needs {
    let api = Needs {
        token: true,
        api: true,
        ..Needs::default()
    };
    match id {
        CheckId::AuthReachable | CheckId::AuthToken | CheckId::AuthTokenLifetime => Needs {
            token: true,
            ..Needs::default()
        },
        CheckId::AuthConfidential => Needs {
            token: true,
            confidentiality: true,
            ..Needs::default()
        },
        CheckId::AuthMethods => Needs {
            token: true,
            basic: true,
            ..Needs::default()
        },
        CheckId::ApiTokenAccepted => Needs {
            search: true,
            read_supply_point: true,
            ..api
        },
        CheckId::PermCanQueryProperty => Needs {
            viewer: true,
            search: true,
            read: true,
            ..api
        },
        CheckId::PermCanViewDetailedUsage => Needs {
            viewer: true,
            read: true,
            ..api
        },
        CheckId::PermExact => Needs {
            viewer: true,
            ..api
        },
        CheckId::DataMeasurements => Needs {
            read: true,
            locate: true,
            ..api
        },
        CheckId::ManualOauthManager
        | CheckId::ManualAllowedUris
        | CheckId::ManualSkipAuthorization
        | CheckId::ManualSecretHandover => Needs::default(),
    }
}

/// Whether any selected check needs this.
fn any_needs(selected: &[CheckId], what: impl Fn(Needs) -> bool) -> bool {
    selected.iter().any(|id| what(needs(*id)))
}

/// The data target, resolved for reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadTarget {
    None,
    Property(String),
    SupplyPoint {
        id: SupplyPointId,
        /// The market sent with it: the one given, else the identifier's default.
        market: Option<String>,
        /// Whether `--market-name` gave it.
        market_given: bool,
    },
}

impl ReadTarget {
    /// Resolve a data target for the Kraken at `api_host`. An identifier that fails its
    /// check was refused at configuration; here it is taken as given.
    pub fn new(data: &DataTarget, api_host: &str) -> ReadTarget {
        if let Some(p) = &data.property_id {
            return ReadTarget::Property(p.clone());
        }
        let Some(raw) = &data.supply_point else {
            return ReadTarget::None;
        };
        let id = SupplyPointId::parse(raw, Territory::of_host(api_host)).unwrap_or(SupplyPointId {
            value: raw.trim().to_string(),
            kind: crate::kraken::identifiers::IdKind::Other,
        });
        let market = data
            .market_name
            .clone()
            .or_else(|| id.default_market().map(str::to_string));
        ReadTarget::SupplyPoint {
            market_given: data.market_name.is_some(),
            id,
            market,
        }
    }

    /// For people: `property 240811`, `MPAN 1200012345679 (GBR_ELECTRICITY)`.
    pub fn describe(&self) -> String {
        match self {
            ReadTarget::None => "no data target".into(),
            ReadTarget::Property(p) => format!("property {p}"),
            ReadTarget::SupplyPoint { id, market, .. } => match market {
                Some(m) => format!("{} ({m})", id.describe()),
                None => id.describe(),
            },
        }
    }

    /// The identifier a search or a supply point read looks for.
    pub fn identifier(&self) -> Option<&str> {
        match self {
            ReadTarget::None => None,
            ReadTarget::Property(p) => Some(p),
            ReadTarget::SupplyPoint { id, .. } => Some(&id.value),
        }
    }

    /// The utility filter that reads only this meter's measurements.
    fn filters(&self) -> Value {
        let ReadTarget::SupplyPoint { id, market, .. } = self else {
            return Value::Null;
        };
        let key = match id.utility(market.as_deref()) {
            Some(Utility::Electricity) => "electricityFilters",
            Some(Utility::Gas) => "gasFilters",
            None => return Value::Null,
        };
        json!([{ key: { "marketSupplyPointId": id.value } }])
    }
}

/// Which token requests round one sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenPlan {
    pub documented: bool,
    pub basic: bool,
    /// The three requests that must be refused.
    pub confidentiality: bool,
    /// API checks are selected: introspection rides in round one, probes in round two.
    pub api: bool,
}

impl TokenPlan {
    pub fn new(selected: &[CheckId]) -> TokenPlan {
        TokenPlan {
            documented: any_needs(selected, |n| n.token),
            basic: any_needs(selected, |n| n.basic),
            confidentiality: any_needs(selected, |n| n.confidentiality),
            api: any_needs(selected, |n| n.api),
        }
    }
}

/// The introspection document.
pub fn introspection() -> &'static checks::ProbeDoc {
    doc("schema")
}

/// A document of the registry and its needs.
fn doc(name: &str) -> &'static checks::ProbeDoc {
    checks::document(name).unwrap_or_else(|| panic!("no probe document '{name}' in checks/"))
}

/// Whether the schema allows a document: met needs, or unknown and the document stands alone.
fn allowed(name: &str, schema: &SchemaKnowledge) -> bool {
    let d = doc(name);
    match schema {
        SchemaKnowledge::Known(_) => schema.first_unmet(&d.needs).is_none(),
        _ => d.when_unknown,
    }
}

fn plan(key: ProbeKey, name: &str, variables: Value) -> ProbePlan {
    ProbePlan {
        key,
        name: name.to_string(),
        document: doc(name).document.clone(),
        variables,
    }
}

/// The documents of round two, in sending order.
pub fn probes(
    selected: &[CheckId],
    target: &ReadTarget,
    schema: &SchemaKnowledge,
) -> Vec<ProbePlan> {
    let any = |what: fn(Needs) -> bool| any_needs(selected, what);
    let mut out = Vec::new();
    if any(|n| n.viewer) && allowed("viewer", schema) {
        out.push(plan(ProbeKey::Viewer, "viewer", json!({})));
    }
    let is_supply_point = matches!(target, ReadTarget::SupplyPoint { .. });
    if !is_supply_point && any(|n| n.search) && allowed("search", schema) {
        out.push(plan(
            ProbeKey::Search,
            "search",
            json!({ "searchTerm": MADE_UP_TERM }),
        ));
    }
    let reads = any(|n| n.read) || (is_supply_point && any(|n| n.read_supply_point));
    if reads && let Some(read) = read_plan(target, schema) {
        out.push(read);
    }
    if any(|n| n.locate)
        && let ReadTarget::SupplyPoint {
            id,
            market: Some(market),
            ..
        } = target
        && matches!(schema, SchemaKnowledge::Known(_))
        && allowed("locate", schema)
    {
        out.push(plan(
            ProbeKey::Locate,
            "locate",
            json!({ "identifier": id.value, "marketName": market }),
        ));
    }
    out
}

/// The read of the data target that this Kraken's schema allows.
fn read_plan(target: &ReadTarget, schema: &SchemaKnowledge) -> Option<ProbePlan> {
    use crate::kraken::identifiers::IdKind;
    match target {
        ReadTarget::None => None,
        ReadTarget::Property(id) => allowed("read-property", schema)
            .then(|| plan(ProbeKey::Read, "read-property", json!({ "propertyId": id }))),
        ReadTarget::SupplyPoint { id, .. } => {
            let by_id = match id.kind {
                IdKind::Nmi => Some("read-nmi"),
                IdKind::Mirn => Some("read-mirn"),
                _ => None,
            };
            let filters = target.filters();
            if let Some(name) = by_id.filter(|n| allowed(n, schema)) {
                return Some(plan(
                    ProbeKey::Read,
                    name,
                    json!({ "identifier": id.value, "utilityFilters": filters }),
                ));
            }
            if allowed("read-supply-point", schema) {
                return Some(plan(
                    ProbeKey::Read,
                    "read-supply-point",
                    json!({ "searchTerm": id.value, "utilityFilters": filters }),
                ));
            }
            allowed("read-supply-point-plain", schema).then(|| {
                plan(
                    ProbeKey::Read,
                    "read-supply-point-plain",
                    json!({ "searchTerm": id.value }),
                )
            })
        }
    }
}

/// The document sent beside the bare probes in the `Bearer` form, to compare: the cheapest
/// one that needs a token.
pub fn comparison(probes: &[ProbePlan]) -> Option<ProbePlan> {
    [ProbeKey::Search, ProbeKey::Read, ProbeKey::Viewer]
        .iter()
        .find_map(|k| probes.iter().find(|p| p.key == *k).cloned())
}

/// The plainer document to send when `probe` was refused as asking for something the schema
/// lacks, with the variables it declares.
pub fn fallback(probe: &ProbePlan) -> Option<ProbePlan> {
    let name = doc(&probe.name).fallback.as_deref()?;
    let document = doc(name).document.clone();
    let variables = match &probe.variables {
        Value::Object(vars) => Value::Object(
            vars.iter()
                .filter(|(k, _)| document.contains(&format!("${k}:")))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        ),
        other => other.clone(),
    };
    Some(ProbePlan {
        key: probe.key,
        name: name.to_string(),
        document,
        variables,
    })
}

/// Why a document was not sent, when the schema says so.
pub fn unmet_need(name: &str, schema: &SchemaKnowledge) -> Option<String> {
    schema.first_unmet(&doc(name).needs).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &[ProbePlan]) -> Vec<&str> {
        p.iter().map(|p| p.name.as_str()).collect()
    }

    #[test]
    fn a_healthy_run_sends_one_document_per_question() {
        let all = CheckId::ALL;
        let unknown = SchemaKnowledge::Unknown("off".into());
        assert_eq!(
            names(&probes(&all, &ReadTarget::None, &unknown)),
            ["viewer", "search"]
        );
        let prop = ReadTarget::Property("240811".into());
        assert_eq!(
            names(&probes(&all, &prop, &unknown)),
            ["viewer", "search", "read-property"]
        );
        let data = DataTarget {
            supply_point: Some("1200023305967".into()),
            ..DataTarget::default()
        };
        let sp = ReadTarget::new(&data, "api.edfgb-kraken.energy");
        let p = probes(&all, &sp, &unknown);
        assert_eq!(
            names(&p),
            ["viewer", "read-supply-point"],
            "no locate while unknown"
        );
        assert_eq!(
            p[1].variables["utilityFilters"][0]["electricityFilters"]["marketSupplyPointId"],
            "1200023305967"
        );
        assert_eq!(sp.describe(), "MPAN 1200023305967 (GBR_ELECTRICITY)");
    }

    #[test]
    fn a_refused_document_falls_back_to_its_plainer_form() {
        let data = DataTarget {
            supply_point: Some("1200023305967".into()),
            ..DataTarget::default()
        };
        let sp = ReadTarget::new(&data, "api.example-kraken.energy");
        let unknown = SchemaKnowledge::Unknown("off".into());
        let read = probes(&CheckId::ALL, &sp, &unknown)
            .into_iter()
            .find(|p| p.key == ProbeKey::Read)
            .unwrap();
        let plain = fallback(&read).expect("the filtered read has a plainer form");
        assert_eq!(plain.name, "read-supply-point-plain");
        assert_eq!(plain.variables, json!({ "searchTerm": "1200023305967" }));
        assert!(fallback(&plain).is_none(), "no fallback of a fallback");
    }

    #[test]
    fn only_the_selected_checks_are_probed() {
        let unknown = SchemaKnowledge::Unknown("off".into());
        assert_eq!(
            names(&probes(&[CheckId::PermExact], &ReadTarget::None, &unknown)),
            ["viewer"]
        );
        assert_eq!(
            names(&probes(
                &[CheckId::ApiTokenAccepted],
                &ReadTarget::None,
                &unknown
            )),
            ["search"]
        );
        assert!(probes(&[CheckId::AuthToken], &ReadTarget::None, &unknown).is_empty());
        let t = TokenPlan::new(&[CheckId::AuthReachable]);
        assert!(t.documented && !t.basic && !t.confidentiality && !t.api);
    }
}
