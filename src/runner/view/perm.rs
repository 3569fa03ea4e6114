//! The permission evidence: the list `thirdPartyViewer` gives, the role-level property search,
//! and the object read by its identifier.

use serde_json::Value;

use super::{Reading, Seen, error_at, missing_what, reading};
use crate::kraken::codes::{DenialScope, ErrorClass};
use crate::kraken::model::{Permission, normalize_permission};
use crate::runner::ReadTarget;
use crate::runner::classes::{ExactClass, FaultKind, ListSays, ObjectClass, SearchClass};
use crate::runner::evidence::{Evidence, ProbeKey};
use crate::runner::plan;

/// What the permission list came back as.
#[derive(Debug, Clone, PartialEq)]
pub enum ListFacts {
    /// Permission names the tool knows (normalised), and any others as given.
    Listed {
        recognized: Vec<String>,
        unrecognized: Vec<String>,
    },
    /// Only names the tool does not recognise as permissions.
    Unrecognized(Vec<String>),
    Empty,
    /// The schema lacks the field: what is missing.
    FieldMissing(String),
    /// Denied, disabled or null: why.
    Unavailable(String),
    NotAsked(String),
    Fault(String),
}

/// Read the permission list.
pub fn list(ev: &Evidence) -> Seen<ListFacts> {
    let reply = match reading(ev, ProbeKey::Viewer) {
        Reading::NotSent => {
            return match plan::unmet_need("viewer", &ev.schema) {
                Some(need) => Seen::new(
                    ListFacts::FieldMissing(format!("this Kraken's schema has no {need}")),
                    format!("not listed on this Kraken: no {need}"),
                ),
                None => Seen::new(ListFacts::NotAsked("not asked".into()), "not asked"),
            };
        }
        Reading::Fault(why, _, kind) => {
            return Seen::new(ListFacts::Fault(why.clone()), why).with_fault(kind);
        }
        Reading::Reply(r) => r,
    };
    if let Some(e) = error_at(reply, &["thirdPartyViewer"]) {
        let seen = |f: ListFacts, d: String| Seen::new(f, d).with_error(e, reply.status);
        return match e.class() {
            ErrorClass::SchemaMismatch => {
                let what = missing_what(e);
                seen(
                    ListFacts::FieldMissing(what.clone()),
                    format!("not listed on this Kraken: {what}"),
                )
            }
            ErrorClass::Denied(_) => {
                let d = format!(
                    "thirdPartyViewer is denied to this application: {}",
                    e.describe()
                );
                seen(ListFacts::Unavailable(d.clone()), d)
            }
            ErrorClass::Unavailable | ErrorClass::NotFound => {
                let d = format!("thirdPartyViewer is unavailable: {}", e.describe());
                seen(ListFacts::Unavailable(d.clone()), d)
            }
            _ => {
                let d = format!("unexpected error: {}", e.describe());
                seen(ListFacts::Fault(d.clone()), d)
            }
        };
    }
    let viewer = reply.data.as_ref().and_then(|d| d.get("thirdPartyViewer"));
    let Some(viewer) = viewer.filter(|v| !v.is_null()) else {
        let d = "thirdPartyViewer answered null".to_string();
        return Seen::new(ListFacts::Unavailable(d.clone()), d).with_status(reply.status);
    };
    let Some(list) = viewer.get("permissions").and_then(Value::as_array) else {
        let d = "thirdPartyViewer answered without a permissions list".to_string();
        return Seen::new(ListFacts::Unavailable(d.clone()), d).with_status(reply.status);
    };
    let names: Vec<String> = list
        .iter()
        .filter_map(|p| p.get("permission").and_then(Value::as_str))
        .filter(|n| !n.trim().is_empty())
        .map(str::to_string)
        .collect();
    let shown = format!("thirdPartyViewer.permissions: [{}]", names.join(", "));
    // Only names the tool knows are evidence; others may be these spelled another way.
    let known = |n: &String| Permission::from_name(&normalize_permission(n)).is_some();
    let recognized: Vec<String> = names
        .iter()
        .filter(|n| known(n))
        .map(|n| normalize_permission(n))
        .collect();
    // One entry per name as written once normalised: `can-x` and `CAN_X` are one name.
    let mut unrecognized: Vec<String> = Vec::new();
    for n in names.iter().filter(|n| !known(n)) {
        if !unrecognized
            .iter()
            .any(|u| normalize_permission(u) == normalize_permission(n))
        {
            unrecognized.push(n.clone());
        }
    }
    let facts = if names.is_empty() {
        ListFacts::Empty
    } else if recognized.is_empty() {
        ListFacts::Unrecognized(unrecognized)
    } else {
        ListFacts::Listed {
            recognized,
            unrecognized,
        }
    };
    Seen::new(facts, shown).with_status(reply.status)
}

/// What the list says about one required permission. A name the tool does not know may be
/// this one spelled another way, so a list that does not name it but holds unknown names says
/// nothing about it.
pub fn says(list: &ListFacts, perm: Permission) -> ListSays {
    match list {
        ListFacts::Listed {
            recognized,
            unrecognized,
        } => {
            let has = |p: Permission| recognized.iter().any(|n| n == p.name());
            if has(perm) {
                ListSays::Has
            } else if !unrecognized.is_empty() {
                ListSays::Silent
            } else if Permission::REQUIRED.iter().any(|p| has(*p)) {
                ListSays::Lacks
            } else {
                ListSays::Neither
            }
        }
        ListFacts::Fault(_) => ListSays::Fault,
        _ => ListSays::Silent,
    }
}

/// The list sorted for `perm.exact`: the required permissions it names, the known ones
/// beyond them, the names it does not know, and the required ones it does not name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExactFacts {
    pub needed: Vec<String>,
    pub known_extras: Vec<String>,
    pub unknown: Vec<String>,
    pub missing: Vec<&'static str>,
}

impl ExactFacts {
    pub fn of(list: &ListFacts) -> ExactFacts {
        let (recognized, unknown) = match list {
            ListFacts::Listed {
                recognized,
                unrecognized,
            } => (recognized.as_slice(), unrecognized.clone()),
            ListFacts::Unrecognized(names) => (&[][..], names.clone()),
            _ => return ExactFacts::default(),
        };
        let required = |n: &str| Permission::REQUIRED.iter().any(|p| p.name() == n);
        let (needed, known_extras): (Vec<String>, Vec<String>) =
            recognized.iter().cloned().partition(|n| required(n));
        let missing = Permission::REQUIRED
            .iter()
            .map(|p| p.name())
            .filter(|p| !needed.iter().any(|n| n == p))
            .collect();
        ExactFacts {
            needed,
            known_extras,
            unknown,
            missing,
        }
    }

    /// The class: an extra is certain when a known permission beyond the two is listed, or
    /// when there are more unknown names than required permissions left to spell (both
    /// listed: every other name is an extra). Only an unknown name that may be a missing
    /// required permission spelled another way leaves it open.
    pub fn class(&self) -> ExactClass {
        if !self.known_extras.is_empty() || self.unknown.len() > self.missing.len() {
            ExactClass::Extra
        } else if !self.unknown.is_empty() {
            ExactClass::Unrecognized
        } else {
            ExactClass::Exact
        }
    }
}

/// The list as `perm.exact` judges it.
pub fn exact(list: &ListFacts) -> ExactClass {
    match list {
        ListFacts::Listed { .. } | ListFacts::Unrecognized(_) => ExactFacts::of(list).class(),
        ListFacts::Empty => ExactClass::Empty,
        ListFacts::FieldMissing(_) => ExactClass::FieldMissing,
        ListFacts::Unavailable(_) => ExactClass::Unavailable,
        ListFacts::NotAsked(_) => ExactClass::NotAsked,
        ListFacts::Fault(_) => ExactClass::Fault,
    }
}

/// The role-level property search: the `search` probe, or the supply point read, which is a
/// search for the identifier.
pub fn search(ev: &Evidence, target: &ReadTarget) -> Seen<SearchClass> {
    let (key, name) = match target {
        ReadTarget::SupplyPoint { .. } => (ProbeKey::Read, "read-supply-point"),
        _ => (ProbeKey::Search, "search"),
    };
    let by_search = ev
        .final_exchange(key)
        .is_some_and(|e| e.plan.key == ProbeKey::Search || e.plan.reads_by_search());
    let reply = match reading(ev, key) {
        Reading::Reply(r) if by_search => r,
        Reading::Fault(why, e, kind) if by_search => {
            let s = Seen::new(SearchClass::Fault, why).with_fault(kind);
            return match e {
                Some(e) => s.with_error(&e, 200),
                None => s,
            };
        }
        _ => {
            return match plan::unmet_need(name, &ev.schema) {
                Some(need) => Seen::new(
                    SearchClass::Missing,
                    format!("this Kraken's schema has no {need}"),
                ),
                None => Seen::new(SearchClass::NotSent, "no property search was sent"),
            };
        }
    };
    let real_term = matches!(target, ReadTarget::SupplyPoint { .. });
    if let Some(e) = error_at(reply, &["propertiesSearch"]) {
        let class = match e.class() {
            ErrorClass::Denied(DenialScope::Object) if real_term => SearchClass::DeniedObject,
            ErrorClass::Denied(_) => SearchClass::DeniedRole,
            ErrorClass::Unavailable => SearchClass::Unavailable,
            ErrorClass::SchemaMismatch => SearchClass::Missing,
            ErrorClass::NotFound => SearchClass::Empty,
            _ => SearchClass::Fault,
        };
        let detail = match class {
            SearchClass::Missing => missing_what(e),
            _ => e.describe(),
        };
        return Seen::new(class, detail).with_error(e, reply.status);
    }
    let results = reply.data.as_ref().and_then(|d| d.get("propertiesSearch"));
    let Some(results) = results.and_then(Value::as_array) else {
        return Seen::new(
            SearchClass::Fault,
            "propertiesSearch answered null without an error",
        )
        .with_status(reply.status)
        .with_fault(FaultKind::Lasting);
    };
    let found = results
        .iter()
        .find_map(|r| r.pointer("/property/id").and_then(id_text));
    if let Some(id) = found {
        return Seen::new(
            SearchClass::Found,
            format!("propertiesSearch found property {id}"),
        )
        .with_status(reply.status);
    }
    let denied = reply.errors.iter().find(|e| {
        matches!(e.class(), ErrorClass::Denied(_))
            && e.field_path().as_slice() == ["propertiesSearch", "property"]
    });
    if let Some(e) = denied.filter(|_| !results.is_empty()) {
        return Seen::new(
            SearchClass::DeniedObject,
            format!("every property found was refused: {}", e.describe()),
        )
        .with_error(e, reply.status);
    }
    let detail = if real_term {
        format!(
            "propertiesSearch found no property for {}",
            target.describe()
        )
    } else {
        "propertiesSearch ran without a refusal, but a made-up term matches no property".to_string()
    };
    Seen::new(SearchClass::Empty, detail).with_status(reply.status)
}

/// The object read by its identifier (`property(id:)`, `property(nmi:)`): evidence tied to it.
pub fn object(ev: &Evidence, target: &ReadTarget) -> Seen<ObjectClass> {
    let by_id = ev
        .final_exchange(ProbeKey::Read)
        .is_some_and(|e| !e.plan.reads_by_search());
    let reply = match reading(ev, ProbeKey::Read) {
        Reading::Reply(r) if by_id => r,
        Reading::Fault(why, _, kind) if by_id => {
            return Seen::new(ObjectClass::Fault, why).with_fault(kind);
        }
        _ => {
            let why = match (target, plan::unmet_need("read-property", &ev.schema)) {
                (ReadTarget::Property(_), Some(need)) => {
                    return Seen::new(
                        ObjectClass::Missing,
                        format!("this Kraken's schema has no {need}"),
                    );
                }
                (ReadTarget::None, _) => "no data target".to_string(),
                _ => "no property read by its identifier".to_string(),
            };
            return Seen::new(ObjectClass::NotSent, why);
        }
    };
    object_in(reply, target)
}

/// The `property` of a read by identifier, in one reply.
pub fn object_in(
    reply: &crate::kraken::graphql::GqlReply,
    target: &ReadTarget,
) -> Seen<ObjectClass> {
    if let Some(e) = error_at(reply, &["property"]) {
        let class = match e.class() {
            ErrorClass::Denied(DenialScope::Role) => ObjectClass::DeniedRole,
            ErrorClass::Denied(DenialScope::Object) => ObjectClass::DeniedObject,
            ErrorClass::Denied(DenialScope::Unknown) => ObjectClass::DeniedUnknown,
            ErrorClass::NotFound => ObjectClass::Absent,
            ErrorClass::Unavailable => ObjectClass::Unavailable,
            ErrorClass::SchemaMismatch => ObjectClass::Missing,
            _ => ObjectClass::Fault,
        };
        let detail = match class {
            ObjectClass::Missing => missing_what(e),
            _ => e.describe(),
        };
        return Seen::new(class, detail).with_error(e, reply.status);
    }
    match reply.data.as_ref().and_then(|d| d.get("property")) {
        Some(Value::Object(o)) => Seen::new(
            ObjectClass::Visible,
            format!(
                "property {} is visible to this token",
                o.get("id").and_then(id_text).unwrap_or_else(|| "?".into())
            ),
        )
        .with_status(reply.status),
        _ => Seen::new(
            ObjectClass::Absent,
            format!("{} answered null without an error", target.describe()),
        )
        .with_status(reply.status),
    }
}

/// An id as text, whether the API sent a string or a number.
pub fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
