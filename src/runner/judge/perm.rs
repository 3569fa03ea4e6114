//! The `perm.*` checks. A permission fails only on evidence about the role: the permission
//! list, a refusal of the property search, or a roles/permissions refusal of `measurements`
//! on a property that answered. A refusal about one property or supply point alone proves
//! nothing about the role; an empty or unrecognised list proves nothing either way.

use super::{API_CHAIN, Verdict, base_vars, by_fault, gate, gated, probe_notes};
use crate::kraken::model::Permission;
use crate::runner::ReadTarget;
use crate::runner::classes::{
    ExactClass, FaultKind, ListSays, ObjectClass, SearchClass, UsageClass,
};
use crate::runner::evidence::{Evidence, ProbeKey};
use crate::runner::view::perm::{self as pv, ListFacts};
use crate::runner::view::usage;

pub fn decide_query_property(
    list: ListSays,
    search: SearchClass,
    object: ObjectClass,
) -> &'static str {
    if search == SearchClass::Found || object == ObjectClass::Visible {
        return "pass";
    }
    if list == ListSays::Neither {
        return "no-role";
    }
    if search == SearchClass::DeniedRole {
        return if list == ListSays::Has {
            "conflict"
        } else {
            "denied"
        };
    }
    match list {
        ListSays::Lacks => return "not-listed",
        ListSays::Has => return "listed",
        _ => {}
    }
    if list == ListSays::Fault || search == SearchClass::Fault || object == ObjectClass::Fault {
        "error"
    } else if search == SearchClass::Unavailable || object == ObjectClass::Unavailable {
        "unavailable"
    } else if search == SearchClass::Missing
        && matches!(object, ObjectClass::Missing | ObjectClass::NotSent)
    {
        "unsupported"
    } else {
        "not-proven"
    }
}

pub fn decide_detailed_usage(list: ListSays, usage: UsageClass) -> &'static str {
    if matches!(usage, UsageClass::Read | UsageClass::OtherMeter) {
        return "pass";
    }
    if list == ListSays::Neither {
        return "no-role";
    }
    if usage == UsageClass::DeniedRole {
        return if list == ListSays::Has {
            "conflict"
        } else {
            "denied"
        };
    }
    match list {
        ListSays::Lacks => "not-listed",
        ListSays::Has => "listed",
        ListSays::Fault => "error",
        _ => match usage {
            UsageClass::Fault => "error",
            UsageClass::Unavailable => "unavailable",
            UsageClass::Missing => "unsupported",
            _ => "not-proven",
        },
    }
}

pub fn decide_exact(exact: ExactClass) -> &'static str {
    match exact {
        ExactClass::Exact => "pass",
        ExactClass::Extra => "extra",
        ExactClass::Unrecognized => "unrecognized",
        ExactClass::Empty | ExactClass::FieldMissing | ExactClass::Unavailable => "unlisted",
        ExactClass::NotAsked | ExactClass::Fault => "error",
    }
}

fn listed_text(list: &ListFacts) -> String {
    match list {
        ListFacts::Listed {
            recognized,
            unrecognized,
        } => recognized
            .iter()
            .chain(unrecognized)
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
        ListFacts::Unrecognized(names) => names.join(", "),
        _ => "nothing".into(),
    }
}

pub fn can_query_property(ev: &Evidence) -> Verdict {
    if let Some(v) = gated(ev, gate(ev, API_CHAIN)) {
        return v;
    }
    let target = ReadTarget::new(&ev.data, ev.graphql_url.host_str().unwrap_or(""));
    let list = pv::list(ev);
    let search = pv::search(ev, &target);
    let object = pv::object(ev, &target);
    let says = pv::says(&list.class, Permission::CanQueryProperty);
    let outcome = by_fault(
        decide_query_property(says, search.class, object.class),
        FaultKind::of([list.fault, search.fault, object.fault]),
    );
    // What the probes that were sent showed (a probe not sent has nothing to say).
    let why = [
        (search.class != SearchClass::NotSent).then_some(&search.detail),
        (object.class != ObjectClass::NotSent).then_some(&object.detail),
    ]
    .into_iter()
    .flatten()
    .cloned()
    .collect::<Vec<_>>()
    .join("; ");
    let proof = if search.class == SearchClass::Found {
        search.detail.clone()
    } else {
        object.detail.clone()
    };
    let deciding = match outcome {
        "denied" | "conflict" | "unavailable" => Some(&search),
        "unsupported" => Some(&search),
        _ => None,
    };
    let (notes, ms) = probe_notes(
        ev,
        &[ProbeKey::Viewer, ProbeKey::Search, ProbeKey::Read],
        &[
            (ProbeKey::Viewer, list.detail.clone()),
            (ProbeKey::Search, search.detail.clone()),
            (ProbeKey::Read, object.detail.clone()),
        ],
    );
    let mut v = Verdict::new(outcome, base_vars(ev))
        .var("proof", proof)
        .var(
            "why",
            if why.is_empty() {
                "no probe proved it".into()
            } else {
                why.clone()
            },
        )
        .var(
            "denial",
            search
                .error
                .as_ref()
                .map_or(search.detail.clone(), |e| e.describe()),
        )
        .var("listed", listed_text(&list.class))
        .var("what", search.detail.clone())
        .var(
            "code",
            if search.class == SearchClass::Unavailable {
                search.code()
            } else {
                object.code()
            },
        )
        .var("reason", [list.detail.as_str(), why.as_str()].join("; "))
        .notes(notes)
        .took(ms);
    if let Some(d) = deciding {
        v = v.deciding(d);
    } else if outcome == "pass" {
        v.evidence.http_status = Some(200);
    } else if outcome == "error" && object.class == ObjectClass::Fault {
        v = v.deciding(&object);
    }
    v
}

pub fn can_view_detailed_usage(ev: &Evidence) -> Verdict {
    if let Some(v) = gated(ev, gate(ev, API_CHAIN)) {
        return v;
    }
    let target = ReadTarget::new(&ev.data, ev.graphql_url.host_str().unwrap_or(""));
    let list = pv::list(ev);
    let read = usage::usage(ev, &target);
    let says = pv::says(&list.class, Permission::CanViewDetailedUsage);
    let outcome = by_fault(
        decide_detailed_usage(says, read.seen.class),
        FaultKind::of([list.fault, read.seen.fault]),
    );
    let (notes, ms) = probe_notes(
        ev,
        &[ProbeKey::Viewer, ProbeKey::Read],
        &[
            (ProbeKey::Viewer, list.detail.clone()),
            (ProbeKey::Read, read.seen.detail.clone()),
        ],
    );
    let mut v = Verdict::new(outcome, base_vars(ev))
        .var("proof", read.seen.detail.clone())
        .var("why", read.seen.detail.clone())
        .var("denial", read.seen.denial())
        .var("listed", listed_text(&list.class))
        .var("what", read.seen.detail.clone())
        .var("code", read.seen.code())
        .var("reason", format!("{}; {}", list.detail, read.seen.detail))
        .notes(notes)
        .notes(read.notes.clone())
        .took(ms);
    match outcome {
        "pass" => v.evidence.http_status = Some(200),
        "listed" | "not-listed" | "no-role" => v = v.deciding(&list),
        _ => v = v.deciding(&read.seen),
    }
    v
}

pub fn exact(ev: &Evidence) -> Verdict {
    if let Some(v) = gated(ev, gate(ev, API_CHAIN)) {
        return v;
    }
    let list = pv::list(ev);
    let class = pv::exact(&list.class);
    let outcome = by_fault(decide_exact(class), list.fault);
    let facts = pv::ExactFacts::of(&list.class);
    let join = |l: &[String]| l.join(", ");
    let extras = join(&[facts.known_extras.clone(), facts.unknown.clone()].concat());
    let missing = facts.missing.join(" and ");
    // Unknown names beside a missing required permission: at most that many may be it.
    let spelling_note = if facts.unknown.is_empty() || facts.missing.is_empty() {
        String::new()
    } else {
        format!(
            "; of the names the tool does not know, at most {} may be {missing} spelled another way",
            facts.missing.len()
        )
    };
    let reason = match &list.class {
        ListFacts::Empty => {
            "thirdPartyViewer lists no permission at all, which proves nothing".to_string()
        }
        ListFacts::FieldMissing(w)
        | ListFacts::Unavailable(w)
        | ListFacts::NotAsked(w)
        | ListFacts::Fault(w) => w.clone(),
        _ => list.detail.clone(),
    };
    let (notes, ms) = probe_notes(
        ev,
        &[ProbeKey::Viewer],
        &[(ProbeKey::Viewer, list.detail.clone())],
    );
    let v = Verdict::new(outcome, base_vars(ev))
        .var("listed", listed_text(&list.class))
        .var("extras", extras)
        .var(
            "listed_needed",
            if facts.needed.is_empty() {
                "neither required permission".into()
            } else {
                join(&facts.needed)
            },
        )
        .var("unrecognized", join(&facts.unknown))
        .var("missing_required", missing)
        .var("spelling_note", spelling_note)
        .var("reason", reason)
        .notes(notes)
        .took(ms);
    v.deciding(&list)
}
