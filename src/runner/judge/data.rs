//! `data.measurements`: one measurement of the data target read end to end. A target that was
//! asked for and not read is never a pass or a warning: it fails when the answer proves the
//! read cannot work, and errors when the tool cannot tell.

use serde_json::Value;

use super::{API_CHAIN, Verdict, base_vars, by_fault, gate, gated, probe_notes};
use crate::checks::CheckId;
use crate::runner::ReadTarget;
use crate::runner::classes::UsageClass;
use crate::runner::evidence::{Evidence, ProbeKey};
use crate::runner::view::usage::{self, text};

pub fn decide(has_target: bool, usage: UsageClass) -> &'static str {
    if !has_target {
        return "no-target";
    }
    match usage {
        UsageClass::Read => "pass",
        UsageClass::DeniedRole
        | UsageClass::BlockedRole
        | UsageClass::DeniedUnknown
        | UsageClass::BlockedUnknown => "denied",
        UsageClass::DeniedObject | UsageClass::BlockedObject => "denied-object",
        UsageClass::NotConfigured => "not-configured",
        UsageClass::ObjectAbsent => "not-found",
        UsageClass::InputRejected => "bad-input",
        UsageClass::Empty | UsageClass::NoReadings | UsageClass::OtherMeter => "empty",
        UsageClass::Unavailable => "unavailable",
        UsageClass::Missing => "unsupported",
        UsageClass::Fault | UsageClass::NotSent => "error",
    }
}

pub fn measurements(ev: &Evidence) -> Verdict {
    let target = ReadTarget::new(&ev.data, ev.graphql_url.host_str().unwrap_or(""));
    if target == ReadTarget::None {
        return Verdict::new(decide(false, UsageClass::NotSent), base_vars(ev));
    }
    if let Some(v) = gated(ev, gate(ev, API_CHAIN)) {
        return v;
    }
    let read = usage::usage(ev, &target);
    let outcome = by_fault(decide(true, read.seen.class), read.seen.fault);
    let node = read.node.clone().unwrap_or(Value::Null);
    let where_read = match (&read.meter, &read.property, &target) {
        (Some(m), Some(p), _) => format!(" (meter {m}, property {p})"),
        (None, Some(p), ReadTarget::SupplyPoint { .. }) => format!(" (property {p})"),
        _ => String::new(),
    };
    let interval = match node.get("durationInSeconds").and_then(Value::as_i64) {
        Some(d) => format!(" ({} min interval)", d / 60),
        None => String::new(),
    };
    let (notes, ms) = probe_notes(
        ev,
        &[ProbeKey::Read, ProbeKey::Locate],
        &[(ProbeKey::Read, read.seen.detail.clone())],
    );
    let perm_check = match read.seen.class {
        UsageClass::BlockedRole | UsageClass::BlockedUnknown => CheckId::PermCanQueryProperty,
        _ => CheckId::PermCanViewDetailedUsage,
    };
    let mut v = Verdict::new(outcome, base_vars(ev))
        .var("target", format!("{}{where_read}", target.describe()))
        .var("value", text(&node, "value"))
        .var("unit", usage::unit(&node))
        .var("read_at", text(&node, "readAt"))
        .var("interval", interval)
        .var("denial", read.seen.denial())
        .var("perm_check", perm_check.as_str())
        .var("code", read.seen.code())
        .var("detail", read.seen.detail.clone())
        .var("what", read.seen.detail.clone())
        .var("why", read.seen.detail.clone())
        .var("reason", read.seen.detail.clone())
        .notes(notes)
        .notes(read.notes.clone())
        .took(ms);
    v = v.deciding(&read.seen);
    if outcome == "pass" {
        v.evidence.http_status = Some(200);
    }
    v
}
