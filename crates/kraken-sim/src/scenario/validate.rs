//! The checks serde cannot make on a scenario: unique names, identifiers with valid check
//! digits for their market, options that only take some values. Each error points at the
//! offending text, so a bad file is refused with its line and column.

use super::{FaultKind, Scenario};
use crate::{data, graphql};
use kraken_core::catalogue;

/// A problem: the byte offset in the text it concerns, and what is wrong.
type Problem = (usize, String);

/// Check a parsed scenario against the text it came from.
pub(super) fn validate(s: &Scenario, text: &str) -> Result<(), Problem> {
    let find = |needle: &str, nth: usize| -> usize {
        text.match_indices(needle).nth(nth).map_or(0, |(i, _)| i)
    };
    let quoted = |v: &str| format!("\"{v}\"");
    applications(s, &find, &quoted)?;
    properties(s, &find, &quoted)?;
    api(s, &find, &quoted)?;
    for (i, f) in s.faults.iter().enumerate() {
        let at = find("[[faults]]", i);
        if let Some(status) = f.status
            && !(500..=599).contains(&status)
        {
            return Err((at, format!("fault status {status} is not a 5xx status")));
        }
        if f.kind == FaultKind::Latency && f.latency_ms.is_none() {
            return Err((at, "a latency fault needs latency_ms".into()));
        }
        if f.kind.graphql_only() && f.endpoint == super::FaultEndpoint::Token {
            return Err((
                at,
                "this fault kind applies to the graphql endpoint only".into(),
            ));
        }
    }
    Ok(())
}

type Find<'a> = dyn Fn(&str, usize) -> usize + 'a;
type Quote<'a> = dyn Fn(&str) -> String + 'a;

fn applications(s: &Scenario, find: &Find, quoted: &Quote) -> Result<(), Problem> {
    if s.applications.is_empty() {
        return Err((
            0,
            "a scenario needs at least one [[applications]] entry".into(),
        ));
    }
    for (i, app) in s.applications.iter().enumerate() {
        if app.client_id.trim().is_empty() {
            return Err((find("client_id", i), "client_id must not be empty".into()));
        }
        if s.applications[..i]
            .iter()
            .any(|a| a.client_id == app.client_id)
        {
            let q = quoted(&app.client_id);
            return Err((find(&q, 1), format!("duplicate client_id {q}")));
        }
    }
    Ok(())
}

fn properties(s: &Scenario, find: &Find, quoted: &Quote) -> Result<(), Problem> {
    let markets = s.api.schema.markets();
    for (i, p) in s.properties.iter().enumerate() {
        if s.properties[..i].iter().any(|q| q.id == p.id) {
            let q = quoted(&p.id);
            return Err((find(&q, 1), format!("duplicate property id {q}")));
        }
        if p.supply_points.is_empty() {
            return Err((
                find(&quoted(&p.id), 0),
                format!("property \"{}\" needs at least one supply point", p.id),
            ));
        }
        for (j, sp) in p.supply_points.iter().enumerate() {
            let at = find(&quoted(&sp.id), 0);
            if !markets.contains(&sp.market_name.as_str()) {
                return Err((
                    find(&quoted(&sp.market_name), 0),
                    format!(
                        "market_name \"{}\" is not one of this schema's markets ({})",
                        sp.market_name,
                        markets.join(", ")
                    ),
                ));
            }
            data::check_supply_point_id(&sp.market_name, &sp.id).map_err(|why| (at, why))?;
            if p.supply_points[..j].iter().any(|o| o.id == sp.id) {
                return Err((at, format!("supply point \"{}\" is listed twice", sp.id)));
            }
            if sp.days > 366 {
                return Err((
                    at,
                    format!("supply point \"{}\": days must be at most 366", sp.id),
                ));
            }
        }
    }
    Ok(())
}

fn api(s: &Scenario, find: &Find, quoted: &Quote) -> Result<(), Problem> {
    let a = &s.api;
    if ![200, 400].contains(&a.validation_status) {
        return Err((
            find("validation_status", 0),
            "validation_status must be 200 (Kraken) or 400 (graphene-django)".into(),
        ));
    }
    if let Some(status) = a.refused_header_status
        && ![401, 403].contains(&status)
    {
        return Err((
            find("refused_header_status", 0),
            "refused_header_status must be 401 or 403".into(),
        ));
    }
    if a.stale_tokens.is_some() && a.stale_token_code.is_none() {
        return Err((
            find("stale_tokens", 0),
            "stale_tokens needs stale_token_code (the code the stale tokens get)".into(),
        ));
    }
    if a.header_forms.is_empty() {
        return Err((
            find("header_forms", 0),
            "header_forms needs at least one form".into(),
        ));
    }
    if let Some(name) = a
        .extra_permission_names
        .iter()
        .find(|n| n.trim().is_empty())
    {
        return Err((
            find("extra_permission_names", 0),
            format!("extra_permission_names has an empty name {}", quoted(name)),
        ));
    }
    for e in &a.field_errors {
        if !catalogue::exists(&e.code) {
            let q = quoted(&e.code);
            return Err((find(&q, 0), format!("{q} is not a code of the registry")));
        }
        if !graphql::serves_field(a, e) {
            let q = quoted(&e.field);
            return Err((
                find(&q, 0),
                format!("the simulated API has no field {q} with these [api] choices"),
            ));
        }
    }
    Ok(())
}
