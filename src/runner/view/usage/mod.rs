//! The measurement read of the data target, judged on the result that matches it: for a
//! property read, the property; for a supply point search, the result the supply point lives
//! in (by `supplyPoint`'s answer, or the meter a measurement came from). A refusal at another
//! search result is about that other property, and said so.

use serde_json::Value;

use super::perm::{id_text, object_in};
use super::{Reading, Seen, error_at, error_below, missing_what, reading};
use crate::kraken::codes::{DenialScope, ErrorClass};
use crate::kraken::graphql::GqlError;
use crate::runner::ReadTarget;
use crate::runner::classes::{ObjectClass, UsageClass};
use crate::runner::evidence::{Evidence, ProbeKey};
use crate::runner::plan;

mod search;
use search::search_read;

/// The read, with the measurement that came back.
#[derive(Debug, Clone, PartialEq)]
pub struct UsageSeen {
    pub seen: Seen<UsageClass>,
    /// The measurement node, when one came back.
    pub node: Option<Value>,
    /// The property it came from.
    pub property: Option<String>,
    /// The meter it came from, when the answer says.
    pub meter: Option<String>,
    /// Lines about other search results and the supply point lookup.
    pub notes: Vec<String>,
}

impl UsageSeen {
    pub(super) fn of(seen: Seen<UsageClass>) -> UsageSeen {
        UsageSeen {
            seen,
            node: None,
            property: None,
            meter: None,
            notes: Vec::new(),
        }
    }
}

/// The class of an error at or below `measurements`.
fn at_measurements(e: &GqlError) -> UsageClass {
    match e.class() {
        ErrorClass::Denied(DenialScope::Role) => UsageClass::DeniedRole,
        ErrorClass::Denied(DenialScope::Object) => UsageClass::DeniedObject,
        ErrorClass::Denied(DenialScope::Unknown) => UsageClass::DeniedUnknown,
        ErrorClass::NoReadings => UsageClass::NoReadings,
        ErrorClass::NotConfigured => UsageClass::NotConfigured,
        ErrorClass::Unavailable => UsageClass::Unavailable,
        ErrorClass::SchemaMismatch => UsageClass::Missing,
        ErrorClass::InputRejected => UsageClass::InputRejected,
        ErrorClass::NotFound => UsageClass::Empty,
        _ => UsageClass::Fault,
    }
}

/// The class of a refusal of the object above `measurements`.
fn blocked(class: ObjectClass) -> UsageClass {
    match class {
        ObjectClass::DeniedRole => UsageClass::BlockedRole,
        ObjectClass::DeniedObject => UsageClass::BlockedObject,
        ObjectClass::DeniedUnknown => UsageClass::BlockedUnknown,
        ObjectClass::Absent => UsageClass::ObjectAbsent,
        ObjectClass::Unavailable => UsageClass::Unavailable,
        ObjectClass::Missing => UsageClass::Missing,
        ObjectClass::Fault | ObjectClass::Visible | ObjectClass::NotSent => UsageClass::Fault,
    }
}

/// One property's measurements: `prop` is the property object, `errors_at` finds the first
/// error below `measurements` for it.
pub(super) fn read_property(
    prop: &Value,
    error: Option<&GqlError>,
    status: u16,
    identifier: Option<&str>,
) -> UsageSeen {
    let property = prop.get("id").and_then(id_text);
    if let Some(e) = error {
        let class = at_measurements(e);
        let detail = match class {
            UsageClass::Missing => missing_what(e),
            _ => e.describe(),
        };
        let mut u = UsageSeen::of(Seen::new(class, detail).with_error(e, status));
        u.property = property;
        return u;
    }
    let node = prop
        .pointer("/measurements/edges/0/node")
        .filter(|n| !n.is_null())
        .cloned();
    let meter = node.as_ref().and_then(|n| {
        n.pointer("/metaData/utilityFilters/marketSupplyPointId")
            .and_then(Value::as_str)
            .map(str::to_string)
    });
    let class = match (&node, &meter, identifier) {
        (None, _, _) => UsageClass::Empty,
        (Some(_), Some(m), Some(id)) if !m.eq_ignore_ascii_case(id) => UsageClass::OtherMeter,
        (Some(_), _, _) => UsageClass::Read,
    };
    let detail = match (&node, &meter) {
        (None, _) if prop.get("measurements").is_none_or(Value::is_null) => {
            "measurements answered null without an error".to_string()
        }
        (None, _) => "measurements answered an empty list".to_string(),
        (Some(_), Some(m)) if class == UsageClass::OtherMeter => {
            format!("the measurement came from meter {m}, not the one asked for")
        }
        (Some(n), _) => format!(
            "read a measurement ({} {} at {})",
            text(n, "value"),
            unit(n),
            text(n, "readAt")
        ),
    };
    UsageSeen {
        seen: Seen::new(class, detail).with_status(status),
        node,
        property,
        meter,
        notes: Vec::new(),
    }
}

/// A node field as text.
pub fn text(node: &Value, key: &str) -> String {
    match node.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => "?".into(),
        Some(other) => other.to_string(),
    }
}

/// A measurement's unit as people write it: a Kraken answers `kwh`, the report says `kWh`.
/// The spellings are those of the production schema's `ConsumptionUnit`; a unit it does not
/// list is shown as the Kraken gave it.
pub fn unit(node: &Value) -> String {
    const UNITS: [&str; 7] = ["kWh", "MWh", "Wh", "MJ", "L", "Smc", "m³"];
    let given = text(node, "unit");
    let key = match given.to_ascii_lowercase().as_str() {
        "cubicmetres" | "m3" => "m³".to_string(),
        other => other.to_string(),
    };
    UNITS
        .iter()
        .find(|u| u.to_lowercase() == key)
        .map_or(given, |u| (*u).to_string())
}

/// The read of the data target.
pub fn usage(ev: &Evidence, target: &ReadTarget) -> UsageSeen {
    if *target == ReadTarget::None {
        return UsageSeen::of(Seen::new(
            UsageClass::NotSent,
            "no data target: only a measurement read proves it (--property-id or --supply-point)",
        ));
    }
    let reply = match reading(ev, ProbeKey::Read) {
        Reading::NotSent => {
            let missing = ["read-property", "read-supply-point-plain"]
                .iter()
                .find_map(|n| plan::unmet_need(n, &ev.schema));
            return UsageSeen::of(match missing {
                Some(need) => Seen::new(
                    UsageClass::Missing,
                    format!("this Kraken's schema has no {need}"),
                ),
                None => Seen::new(UsageClass::NotSent, "the read was not sent"),
            });
        }
        Reading::Fault(why, _, kind) => {
            return UsageSeen::of(Seen::new(UsageClass::Fault, why).with_fault(kind));
        }
        Reading::Reply(r) => r,
    };
    let by_search = ev
        .final_exchange(ProbeKey::Read)
        .is_some_and(|e| e.plan.reads_by_search());
    let mut read = if by_search {
        search_read(reply, target, locate_property(ev).as_deref())
    } else {
        let obj = object_in(reply, target);
        if obj.class != ObjectClass::Visible {
            let mut seen = obj.map(blocked);
            if matches!(
                seen.class,
                UsageClass::BlockedRole | UsageClass::BlockedObject | UsageClass::BlockedUnknown
            ) {
                seen.detail = format!(
                    "the property itself was refused, so its measurements were not reached ({})",
                    seen.detail
                );
            }
            UsageSeen::of(seen)
        } else {
            let prop = reply
                .data
                .as_ref()
                .and_then(|d| d.get("property"))
                .cloned()
                .unwrap_or(Value::Null);
            let e = error_below(reply, &["property"], None);
            read_property(&prop, e, reply.status, target_meter(target))
        }
    };
    fold_locate(ev, target, &mut read);
    read
}

pub(super) fn target_meter(target: &ReadTarget) -> Option<&str> {
    match target {
        ReadTarget::SupplyPoint { id, .. } => Some(&id.value),
        _ => None,
    }
}

/// The property `supplyPoint` says the meter is in.
fn locate_property(ev: &Evidence) -> Option<String> {
    let Reading::Reply(r) = reading(ev, ProbeKey::Locate) else {
        return None;
    };
    r.data
        .as_ref()?
        .pointer("/supplyPoint/property/id")
        .and_then(id_text)
}

/// What `supplyPoint` adds when the read itself did not come through: an unknown identifier
/// (KT-CT-4719), a refused market name (KT-CT-4723), readings not configured (KT-CT-4722).
fn fold_locate(ev: &Evidence, target: &ReadTarget, read: &mut UsageSeen) {
    let ReadTarget::SupplyPoint { market_given, .. } = target else {
        return;
    };
    let reply = match reading(ev, ProbeKey::Locate) {
        Reading::Reply(r) => r,
        Reading::Fault(why, _, _) => {
            read.notes.push(format!("supplyPoint lookup: {why}"));
            return;
        }
        Reading::NotSent => return,
    };
    let Some(e) = error_at(reply, &["supplyPoint"]) else {
        if let Some(sp) = reply
            .data
            .as_ref()
            .and_then(|d| d.get("supplyPoint"))
            .filter(|v| !v.is_null())
        {
            read.notes.push(format!(
                "supplyPoint found {} in market {}{}",
                sp.get("externalIdentifier")
                    .and_then(Value::as_str)
                    .unwrap_or("?"),
                sp.get("marketName").and_then(Value::as_str).unwrap_or("?"),
                sp.pointer("/property/id")
                    .and_then(id_text)
                    .map_or(String::new(), |p| format!(", property {p}"))
            ));
        }
        return;
    };
    read.notes
        .push(format!("supplyPoint lookup: {}", e.describe()));
    if matches!(read.seen.class, UsageClass::Read | UsageClass::OtherMeter) {
        return;
    }
    let plain = matches!(
        read.seen.class,
        UsageClass::Empty | UsageClass::ObjectAbsent | UsageClass::NoReadings
    );
    let new = match e.class() {
        ErrorClass::NotFound if plain => Some(UsageClass::ObjectAbsent),
        ErrorClass::InputRejected if *market_given => Some(UsageClass::InputRejected),
        ErrorClass::NotConfigured if plain => Some(UsageClass::NotConfigured),
        _ => None,
    };
    if let Some(class) = new {
        read.seen = Seen::new(class, e.describe()).with_error(e, reply.status);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn units_read_as_people_write_them() {
        let unit = |u: &str| super::unit(&json!({ "unit": u }));
        assert_eq!(unit("kwh"), "kWh");
        assert_eq!(unit("KWH"), "kWh");
        assert_eq!(unit("kWh"), "kWh");
        assert_eq!(unit("mj"), "MJ");
        assert_eq!(unit("cubicMetres"), "m³");
        assert_eq!(
            unit("furlongs"),
            "furlongs",
            "an unknown unit is shown as given"
        );
        assert_eq!(super::unit(&json!({})), "?");
    }
}
