//! A supply point read by search: every result the search found read, and the one judged
//! that holds the meter (a refusal at another result is about that result, and said so).

use serde_json::Value;

use super::super::{Seen, error_at, error_below, missing_what};
use super::{UsageSeen, read_property, target_meter};
use crate::kraken::codes::{DenialScope, ErrorClass};
use crate::kraken::graphql::GqlReply;
use crate::runner::ReadTarget;
use crate::runner::classes::{FaultKind, UsageClass};

/// A supply point read by search: judge the result that matches the identifier.
pub(super) fn search_read(
    reply: &GqlReply,
    target: &ReadTarget,
    located: Option<&str>,
) -> UsageSeen {
    if let Some(e) = error_at(reply, &["propertiesSearch"]) {
        let class = match e.class() {
            ErrorClass::Denied(DenialScope::Object) => UsageClass::BlockedObject,
            ErrorClass::Denied(_) => UsageClass::BlockedRole,
            ErrorClass::Unavailable => UsageClass::Unavailable,
            ErrorClass::SchemaMismatch => UsageClass::Missing,
            ErrorClass::NotFound => UsageClass::ObjectAbsent,
            _ => UsageClass::Fault,
        };
        let detail = match class {
            UsageClass::Missing => missing_what(e),
            _ => e.describe(),
        };
        return UsageSeen::of(Seen::new(class, detail).with_error(e, reply.status));
    }
    let results = reply
        .data
        .as_ref()
        .and_then(|d| d.get("propertiesSearch"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    if results.is_empty() {
        return UsageSeen::of(
            Seen::new(
                UsageClass::ObjectAbsent,
                format!(
                    "propertiesSearch found no property for {}",
                    target.describe()
                ),
            )
            .with_status(reply.status),
        );
    }
    let identifier = target_meter(target);
    let per_result: Vec<UsageSeen> = results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let prop = r.get("property").cloned().unwrap_or(Value::Null);
            let above = reply.errors.iter().find(|e| {
                e.list_index() == Some(i)
                    && e.field_path().as_slice() == ["propertiesSearch", "property"]
            });
            match above {
                Some(e) => {
                    let class = match e.class() {
                        ErrorClass::Denied(DenialScope::Role) => UsageClass::BlockedRole,
                        ErrorClass::Denied(DenialScope::Object) => UsageClass::BlockedObject,
                        ErrorClass::Denied(DenialScope::Unknown) => UsageClass::BlockedUnknown,
                        other => at_measurements_class(other),
                    };
                    UsageSeen::of(Seen::new(class, e.describe()).with_error(e, reply.status))
                }
                None if prop.is_null() => UsageSeen::of(
                    Seen::new(
                        UsageClass::Fault,
                        format!("result {i} has no property and no error"),
                    )
                    .with_status(reply.status)
                    .with_fault(FaultKind::Lasting),
                ),
                None => {
                    let e = error_below(reply, &["propertiesSearch", "property"], Some(i));
                    read_property(&prop, e, reply.status, identifier)
                }
            }
        })
        .collect();
    let judged = judged_index(&per_result, located);
    let mut out = per_result[judged].clone();
    for (i, other) in per_result.iter().enumerate().filter(|(i, _)| *i != judged) {
        out.notes.push(format!(
            "search result {i}{}: {} — about that other property, not judged",
            other
                .property
                .as_ref()
                .map_or(String::new(), |p| format!(" (property {p})")),
            other.seen.detail
        ));
    }
    out
}

fn at_measurements_class(class: ErrorClass) -> UsageClass {
    match class {
        ErrorClass::Unavailable => UsageClass::Unavailable,
        ErrorClass::NotFound => UsageClass::ObjectAbsent,
        _ => UsageClass::Fault,
    }
}

/// Which search result to judge: one that read a measurement of that meter (the read works,
/// whichever property holds the meter now); else the one `supplyPoint` placed the meter in;
/// else the one that answered most plainly (a refusal at another result is about that result).
fn judged_index(results: &[UsageSeen], located: Option<&str>) -> usize {
    if let Some(i) = results
        .iter()
        .position(|r| r.seen.class == UsageClass::Read)
    {
        return i;
    }
    if let Some(p) = located
        && let Some(i) = results
            .iter()
            .position(|r| r.property.as_deref() == Some(p))
    {
        return i;
    }
    let rank = |c: UsageClass| match c {
        UsageClass::Read => 0,
        UsageClass::OtherMeter => 1,
        UsageClass::Empty | UsageClass::NoReadings => 2,
        UsageClass::NotConfigured | UsageClass::Unavailable | UsageClass::Missing => 3,
        UsageClass::InputRejected => 4,
        UsageClass::DeniedRole | UsageClass::DeniedObject | UsageClass::DeniedUnknown => 5,
        UsageClass::BlockedRole | UsageClass::BlockedObject | UsageClass::BlockedUnknown => 6,
        UsageClass::ObjectAbsent | UsageClass::Fault | UsageClass::NotSent => 7,
    };
    (0..results.len())
        .min_by_key(|i| (rank(results[*i].seen.class), *i))
        .unwrap_or(0)
}
