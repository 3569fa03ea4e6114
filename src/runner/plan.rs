//! Planning: which token requests and which GraphQL documents a run sends, from the selected
//! checks, the data target and what introspection said about the schema. Pure: the same
//! inputs give the same plan, and no request leaves from here. [`round_one`] (the token
//! requests and the introspection), [`round_two`] (the probes and the Bearer comparison),
//! [`refetch`] and [`fallback`] are everything `gather` sends.

use serde_json::{Value, json};

use super::ReadTarget;
use super::evidence::{ProbeKey, ProbePlan, TokenAsk};
use super::schema::SchemaKnowledge;
use crate::checks::{self, CheckId};
use crate::kraken::token::ClientAuth;

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

/// Which secret a token request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretUse {
    /// The application's own.
    Real,
    /// None at all.
    Missing,
    /// A random wrong one, made for the run.
    Wrong,
}

/// One token request to send: which slot of the evidence it fills, and its form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenPlan {
    pub ask: TokenAsk,
    pub auth: ClientAuth,
    pub secret: SecretUse,
    /// `client_credentials`, or `authorization_code` for the public-client probe.
    pub grant_type: &'static str,
    /// Extra form fields (the public-client probe's made-up `code`).
    pub extra: Vec<(&'static str, &'static str)>,
    /// What `-v` calls it.
    pub label: String,
}

impl TokenPlan {
    fn of(ask: TokenAsk) -> TokenPlan {
        let confidential = CheckId::AuthConfidential;
        let (auth, secret, label) = match ask {
            TokenAsk::Documented => (
                ClientAuth::Body,
                SecretUse::Real,
                CheckId::AuthToken.to_string(),
            ),
            TokenAsk::Basic => (
                ClientAuth::Basic,
                SecretUse::Real,
                format!("{}: HTTP Basic", CheckId::AuthMethods),
            ),
            TokenAsk::NoSecret => (
                ClientAuth::Body,
                SecretUse::Missing,
                format!("{confidential}: no secret"),
            ),
            TokenAsk::WrongSecret => (
                ClientAuth::Body,
                SecretUse::Wrong,
                format!("{confidential}: wrong secret"),
            ),
            TokenAsk::PublicProbe => (
                ClientAuth::Body,
                SecretUse::Missing,
                format!("{confidential}: public-client probe"),
            ),
        };
        let public = ask == TokenAsk::PublicProbe;
        TokenPlan {
            ask,
            auth,
            secret,
            grant_type: if public {
                "authorization_code"
            } else {
                "client_credentials"
            },
            extra: if public {
                vec![("code", "kraken-doctor-probe-not-a-code")]
            } else {
                vec![]
            },
            label,
        }
    }
}

/// What round one sends, all at once: the token requests the selected checks need, and the
/// schema introspection beside them (no token) when a check needs the API.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundOne {
    pub tokens: Vec<TokenPlan>,
    pub introspection: Option<ProbePlan>,
}

impl RoundOne {
    /// Whether any selected check needs the API (then round two follows).
    pub fn api(&self) -> bool {
        self.introspection.is_some()
    }
}

/// Round one for these checks.
pub fn round_one(selected: &[CheckId]) -> RoundOne {
    let any = |what: fn(Needs) -> bool| any_needs(selected, what);
    let tokens = TokenAsk::ALL
        .into_iter()
        .filter(|ask| match ask {
            TokenAsk::Documented => any(|n| n.token),
            TokenAsk::Basic => any(|n| n.basic),
            TokenAsk::NoSecret | TokenAsk::WrongSecret | TokenAsk::PublicProbe => {
                any(|n| n.confidentiality)
            }
        })
        .map(TokenPlan::of)
        .collect();
    let introspection = any(|n| n.api).then(|| ProbePlan {
        key: ProbeKey::Schema,
        name: "schema".into(),
        document: introspection().document.clone(),
        variables: json!({}),
    });
    RoundOne {
        tokens,
        introspection,
    }
}

/// The token request sent again when the API called the first token stale (`code`).
pub fn refetch(code: &str) -> TokenPlan {
    TokenPlan {
        label: format!("api: a new token after {code}"),
        ..TokenPlan::of(TokenAsk::Documented)
    }
}

/// What round two sends with the token: the probes, in the bare header form, and the
/// Bearer comparison beside them when `api.token-accepted` is selected.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundTwo {
    pub probes: Vec<ProbePlan>,
    pub comparison: Option<ProbePlan>,
}

/// Round two for these checks, this data target and this schema.
pub fn round_two(selected: &[CheckId], target: &ReadTarget, schema: &SchemaKnowledge) -> RoundTwo {
    let probes = probes(selected, target, schema);
    let comparison = comparison(&probes).filter(|_| selected.contains(&CheckId::ApiTokenAccepted));
    RoundTwo { probes, comparison }
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
mod tests;
