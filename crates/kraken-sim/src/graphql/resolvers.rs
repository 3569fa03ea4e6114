//! The logic behind the simulated fields: property lookup and search, supply points,
//! measurements filtered by meter, readings, the third party's permission list. Every parent
//! is a plain GraphQL value; keys starting with `__` carry what a child field needs (which
//! property, which meter) and never reach an answer, as answers follow the selection set.

use async_graphql::dynamic::{FieldValue, ResolverContext};
use async_graphql::{Name, Value};

use super::access::{allowed, owned, viewer};
use super::connection::{int, object};
use super::errors::kraken_error;
use crate::scenario::{Permission, PermissionList, SupplyPointSpec, ViewerMode};
use crate::state::{Shared, now};

pub(super) type Answer<'a> = async_graphql::Result<Option<FieldValue<'a>>>;

pub(super) fn some(v: Value) -> Answer<'static> {
    Ok(Some(FieldValue::value(v)))
}

/// The parent's value: a resolver's answer, or a part of one its own parent lent it.
fn parent<'a>(ctx: &ResolverContext<'a>) -> Option<&'a Value> {
    let p: &'a FieldValue<'a> = ctx.parent_value;
    p.as_value().or_else(|| p.downcast_ref::<Value>())
}

/// A part of a parent value as a field's value: objects and lists lent, not copied (a page
/// of measurements is many nested objects); an object with a `__typename` key is a member of
/// an interface or union, and says which.
fn lend(v: &Value) -> Option<FieldValue<'_>> {
    match v {
        Value::Null => None,
        Value::Object(o) => {
            let lent = FieldValue::borrowed_any(v);
            Some(match o.get("__typename") {
                Some(Value::String(t)) => lent.with_type(t.clone()),
                _ => lent,
            })
        }
        Value::List(items) => Some(FieldValue::list(
            items.iter().map(|i| lend(i).unwrap_or(FieldValue::NULL)),
        )),
        scalar => Some(FieldValue::value(scalar.clone())),
    }
}

/// A field read from the parent value's key of the same name.
pub(super) fn plain<'a>(ctx: &ResolverContext<'a>) -> Answer<'a> {
    let key = ctx.ctx.item.node.name.node.as_str();
    Ok(match parent(ctx) {
        Some(Value::Object(map)) => map.get(key).and_then(lend),
        _ => None,
    })
}

/// A hidden number the parent carries for its children (0 if it has none).
pub(super) fn hidden(ctx: &ResolverContext<'_>, key: &str) -> i64 {
    match parent(ctx) {
        Some(Value::Object(map)) => match map.get(key) {
            Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
            _ => 0,
        },
        _ => 0,
    }
}

/// A hidden index (of a property, a supply point) the parent carries.
pub(super) fn index(ctx: &ResolverContext<'_>, key: &str) -> usize {
    usize::try_from(hidden(ctx, key)).unwrap_or(0)
}

/// An argument as text (an `ID` may be written as a number).
pub(super) fn arg(ctx: &ResolverContext<'_>, name: &str) -> Option<String> {
    match ctx.args.get(name)?.as_value() {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// The name of an enum value, written literally or passed in variables (as a string).
pub(super) fn enum_name(v: &Value) -> Option<&str> {
    match v {
        Value::Enum(n) => Some(n.as_str()),
        Value::String(s) => Some(s.as_str()),
        _ => None,
    }
}

pub(super) fn enum_value(name: &str) -> Value {
    Value::Enum(Name::new(name))
}

/// Whether an asked identifier names this meter: the same, ignoring case; an Australian one
/// also without its checksum digit (NMIs are often written as 10 characters).
pub(super) fn same_meter(sp: &SupplyPointSpec, asked: &str) -> bool {
    let asked = asked.trim();
    sp.id.eq_ignore_ascii_case(asked)
        || (sp.market_name.starts_with("AUS_")
            && asked.len() == 10
            && sp
                .id
                .get(..10)
                .is_some_and(|n| n.eq_ignore_ascii_case(asked)))
}

fn property_value(shared: &Shared, index: usize) -> Value {
    let p = &shared.scenario.properties[index];
    object([
        ("__property", int(index)),
        ("id", Value::from(p.id.as_str())),
        ("postcode", Value::from(p.postcode.as_str())),
        ("address", Value::from(p.address.as_str())),
    ])
}

fn supply_point_value(shared: &Shared, property: usize, point: usize) -> Value {
    let sp = &shared.scenario.properties[property].supply_points[point];
    object([
        ("__property", int(property)),
        ("__point", int(point)),
        (
            "id",
            Value::from((7_100_000 + property * 100 + point).to_string()),
        ),
        ("marketName", Value::from(sp.market_name.as_str())),
        ("externalIdentifier", Value::from(sp.id.as_str())),
        ("property", property_value(shared, property)),
    ])
}

/// `Query.property(id:)`, and on an Origin-like Kraken `property(id:, mirn:, nmi:)`.
pub(super) fn property(ctx: &ResolverContext<'_>) -> Answer<'static> {
    if !allowed(ctx, Permission::CanQueryProperty)? {
        return Ok(None);
    }
    let (v, _) = viewer(ctx)?;
    let props = &v.shared.scenario.properties;
    let by_meter = |market: &str, asked: &str| {
        props.iter().position(|p| {
            p.supply_points
                .iter()
                .any(|sp| sp.market_name == market && same_meter(sp, asked))
        })
    };
    let index = if let Some(id) = arg(ctx, "id") {
        props.iter().position(|p| p.id == id)
    } else if let Some(nmi) = arg(ctx, "nmi") {
        by_meter("AUS_ELECTRICITY", &nmi)
    } else if let Some(mirn) = arg(ctx, "mirn") {
        by_meter("AUS_GAS", &mirn)
    } else {
        None
    };
    let index = index.ok_or_else(|| kraken_error("KT-CT-12612"))?;
    owned(ctx, index)?;
    some(property_value(&v.shared, index))
}

/// `Query.propertiesSearch(searchTerm:)`: by meter identifier (score 1.0) or by address and
/// postcode (0.8). A meter that sits on two properties matches both.
pub(super) fn properties_search(ctx: &ResolverContext<'_>) -> Answer<'static> {
    if !allowed(ctx, Permission::CanQueryProperty)? {
        return some(Value::List(Vec::new()));
    }
    let (v, _) = viewer(ctx)?;
    let term = arg(ctx, "searchTerm")
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    if term.is_empty() {
        return some(Value::List(Vec::new()));
    }
    let results = v
        .shared
        .scenario
        .properties
        .iter()
        .enumerate()
        .filter_map(|(index, p)| {
            let score = if p.supply_points.iter().any(|sp| same_meter(sp, &term)) {
                "1.0"
            } else if p.address.to_lowercase().contains(&term)
                || p.postcode.to_lowercase().contains(&term)
            {
                "0.8"
            } else {
                return None;
            };
            Some(object([
                ("score", Value::from(score)),
                ("property", property_value(&v.shared, index)),
            ]))
        })
        .collect();
    some(Value::List(results))
}

/// `Query.supplyPoint(externalIdentifier:, marketName:)`.
pub(super) fn supply_point(ctx: &ResolverContext<'_>) -> Answer<'static> {
    if !allowed(ctx, Permission::CanQueryProperty)? {
        return Ok(None);
    }
    let (v, _) = viewer(ctx)?;
    let market = arg(ctx, "marketName").unwrap_or_default();
    if !v
        .shared
        .scenario
        .api
        .schema
        .markets()
        .contains(&market.as_str())
    {
        return Err(kraken_error("KT-CT-4723"));
    }
    let asked = arg(ctx, "externalIdentifier").unwrap_or_default();
    v.shared
        .scenario
        .properties
        .iter()
        .enumerate()
        .find_map(|(pi, p)| {
            p.supply_points
                .iter()
                .position(|sp| sp.market_name == market && same_meter(sp, &asked))
                .map(|si| (pi, si))
        })
        .map_or_else(
            || Err(kraken_error("KT-CT-4719")),
            |(pi, si)| some(supply_point_value(&v.shared, pi, si)),
        )
}

/// `Query.rateLimitInfo`: the hourly points allowance of an OAuth application.
pub(super) fn rate_limit_info(ctx: &ResolverContext<'_>) -> Answer<'static> {
    let (v, _) = viewer(ctx)?;
    let used = usize::try_from(v.shared.graphql_request_count()).unwrap_or(usize::MAX);
    let ttl = usize::try_from((now() / 3600 + 1) * 3600).unwrap_or(0);
    some(object([(
        "pointsAllowanceRateLimit",
        object([
            ("limit", int(300_000)),
            ("remainingPoints", int(300_000 - used.min(300_000))),
            ("usedPoints", int(used)),
            ("ttl", int(ttl)),
            ("isBlocked", Value::from(false)),
        ]),
    )]))
}

/// `Query.account`: never readable by a third party.
pub(super) fn account(ctx: &ResolverContext<'_>) -> Answer<'static> {
    viewer(ctx)?;
    Err(kraken_error("KT-CT-4177"))
}

/// `Query.thirdPartyViewer`: the calling application and the permissions its role lists, as
/// this Kraken lists and spells them.
pub(super) fn third_party_viewer(ctx: &ResolverContext<'_>) -> Answer<'static> {
    let (v, id) = viewer(ctx)?;
    let api = &v.shared.scenario.api;
    if api.third_party_viewer == ViewerMode::Denied {
        return Err(kraken_error(api.denial_code.code()));
    }
    let name = v
        .shared
        .with_app(id, |a| a.spec.description.clone())
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| "Simulated third party".to_string());
    let role = match api.permission_list {
        PermissionList::Role => v.shared.permissions(id),
        PermissionList::Empty => Vec::new(),
        PermissionList::Stale => Permission::REQUIRED.to_vec(),
    };
    let names = role
        .iter()
        .map(|p| p.name())
        .chain(api.extra_permission_names.iter().map(String::as_str))
        .enumerate()
        .map(|(i, n)| {
            object([(
                "permission",
                Value::from(api.permission_spelling.spell(n, i)),
            )])
        })
        .collect();
    some(object([
        ("name", Value::from(name)),
        ("permissions", Value::List(names)),
    ]))
}
