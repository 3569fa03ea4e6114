//! Measurements and readings: a property's meters filtered as `utilityFilters` asks, merged
//! in time order, each node saying in `metaData` which meter it came from; a supply point's
//! readings for a period.

use async_graphql::Value;
use async_graphql::dynamic::ResolverContext;

use super::access::{allowed, owned, viewer};
use super::connection::{connection, int, object};
use super::resolvers::{Answer, arg, enum_name, enum_value, hidden, index, same_meter, some};
use crate::data::{self, Interval};
use crate::scenario::{Permission, SupplyPointSpec};

/// Whether a meter passes a `utilityFilters` list: an empty list passes every meter; else one
/// entry must: `electricityFilters` an electricity meter, `gasFilters` a gas one, each with
/// the identifier and device asked for (consumption only: no meter here exports).
fn passes(filters: &[Value], sp: &SupplyPointSpec) -> bool {
    let field = |o: &Value, k: &str| match o {
        Value::Object(m) => m.get(k).cloned().unwrap_or(Value::Null),
        _ => Value::Null,
    };
    let matches = |f: &Value| {
        let id_ok = match field(f, "marketSupplyPointId") {
            Value::String(s) => same_meter(sp, &s),
            _ => true,
        };
        let device_ok = match field(f, "deviceId") {
            Value::String(s) => sp.device_id.as_deref() == Some(s.as_str()),
            _ => true,
        };
        let consumption = enum_name(&field(f, "readingDirection")) != Some("GENERATION");
        id_ok && device_ok && consumption
    };
    filters.is_empty()
        || filters.iter().any(|entry| {
            match (
                field(entry, "electricityFilters"),
                field(entry, "gasFilters"),
            ) {
                (Value::Null, Value::Null) => true,
                (e, Value::Null) => !sp.is_gas() && matches(&e),
                (Value::Null, g) => sp.is_gas() && matches(&g),
                (e, g) => (!sp.is_gas() && matches(&e)) || (sp.is_gas() && matches(&g)),
            }
        })
}

/// One measurement node, with the meter it came from in `metaData`.
fn measurement_node(iv: &Interval, sp: &SupplyPointSpec) -> Value {
    let device = sp.device_id.as_deref().map_or(Value::Null, Value::from);
    let filters = if sp.is_gas() {
        object([
            ("__typename", Value::from("GasFiltersOutput")),
            ("readingFrequencyType", enum_value("THIRTY_MIN_INTERVAL")),
            ("marketSupplyPointId", Value::from(sp.id.as_str())),
            ("deviceId", device),
        ])
    } else {
        object([
            ("__typename", Value::from("ElectricityFiltersOutput")),
            ("readingDirection", enum_value("CONSUMPTION")),
            ("readingQuality", enum_value("ACTUAL")),
            ("readingFrequencyType", enum_value("THIRTY_MIN_INTERVAL")),
            ("marketSupplyPointId", Value::from(sp.id.as_str())),
            ("deviceId", device),
        ])
    };
    let source = if sp.market_name.starts_with("AUS_") {
        "NEM12"
    } else {
        "DCC"
    };
    object([
        ("__typename", Value::from("IntervalMeasurementType")),
        ("source", Value::from(source)),
        ("metaData", object([("utilityFilters", filters)])),
        ("value", Value::from(iv.value.as_str())),
        ("unit", Value::from(if sp.is_gas() { "m3" } else { "kwh" })),
        ("readAt", Value::from(data::format_datetime(iv.end))),
        ("startAt", Value::from(data::format_datetime(iv.start))),
        ("endAt", Value::from(data::format_datetime(iv.end))),
        (
            "durationInSeconds",
            int(usize::try_from(iv.end - iv.start).unwrap_or(0)),
        ),
    ])
}

/// `PropertyType.measurements(...)`: the property's meters that pass the filters, merged in
/// time order.
pub(super) fn measurements(ctx: &ResolverContext<'_>) -> Answer<'static> {
    let property = index(ctx, "__property");
    let permitted = allowed(ctx, Permission::CanViewDetailedUsage)?;
    if permitted {
        owned(ctx, property)?;
    }
    let (v, _) = viewer(ctx)?;
    let time = |name: &str, parse: fn(&str) -> Option<i64>| arg(ctx, name).and_then(|s| parse(&s));
    let from = time("startAt", data::parse_datetime)
        .into_iter()
        .chain(time("startOn", data::parse_date).map(|d| d * 86_400))
        .max()
        .unwrap_or(i64::MIN);
    let to = time("endAt", data::parse_datetime)
        .into_iter()
        .chain(time("endOn", data::parse_date).map(|d| (d + 1) * 86_400))
        .min()
        .unwrap_or(i64::MAX);
    let filters = match ctx.args.get("utilityFilters").map(|a| a.as_value().clone()) {
        Some(Value::List(list)) => list,
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one],
    };
    let mut items: Vec<(Interval, &SupplyPointSpec)> = if permitted {
        v.shared.scenario.properties[property]
            .supply_points
            .iter()
            .enumerate()
            .filter(|(_, sp)| passes(&filters, sp))
            .flat_map(|(point, sp)| {
                data::intervals(data::meter_seed(property, point), sp.days, from, to)
                    .into_iter()
                    .map(move |iv| (iv, sp))
            })
            .collect()
    } else {
        Vec::new()
    };
    items.sort_by_key(|(iv, _)| iv.start);
    some(connection(ctx, &items, |(iv, sp)| {
        measurement_node(iv, sp)
    })?)
}

/// `SupplyPointType.readings(...)`: the readings are computed by `importReadings`; this
/// checks access and remembers the period.
pub(super) fn readings(ctx: &ResolverContext<'_>) -> Answer<'static> {
    let (property, point) = (index(ctx, "__property"), index(ctx, "__point"));
    let permitted = allowed(ctx, Permission::CanViewDetailedUsage)?;
    if permitted {
        owned(ctx, property)?;
    }
    let at = |name: &str| {
        arg(ctx, name)
            .and_then(|s| data::parse_datetime(&s))
            .unwrap_or(0)
    };
    let interval = ctx
        .args
        .get("readingType")
        .is_some_and(|t| t.enum_name().ok() == Some("INTERVAL"));
    let units_ok = match ctx.args.get("units").map(|u| u.as_value().clone()) {
        Some(Value::List(units)) => {
            units.is_empty()
                || units
                    .iter()
                    .filter_map(enum_name)
                    .any(|u| ["KILOWATT_HOURS", "METERS_CUBED"].contains(&u))
        }
        _ => true,
    };
    some(object([
        ("__property", int(property)),
        ("__point", int(point)),
        ("__from", Value::from(at("startAt"))),
        ("__to", Value::from(at("endAt"))),
        (
            "__empty",
            int(usize::from(!(permitted && interval && units_ok))),
        ),
    ]))
}

/// `Readings.importReadings(...)`.
pub(super) fn import_readings(ctx: &ResolverContext<'_>) -> Answer<'static> {
    let (v, _) = viewer(ctx)?;
    let (property, point) = (index(ctx, "__property"), index(ctx, "__point"));
    let sp = &v.shared.scenario.properties[property].supply_points[point];
    let (from, to) = (hidden(ctx, "__from"), hidden(ctx, "__to"));
    let empty = hidden(ctx, "__empty") != 0;
    let items = if empty {
        Vec::new()
    } else {
        data::intervals(data::meter_seed(property, point), sp.days, from, to)
    };
    let units = if sp.is_gas() {
        "METERS_CUBED"
    } else {
        "KILOWATT_HOURS"
    };
    some(connection(ctx, &items, |iv| {
        object([
            ("value", Value::from(iv.value.as_str())),
            ("units", Value::from(units)),
            (
                "intervalStart",
                Value::from(data::format_datetime(iv.start)),
            ),
            ("intervalEnd", Value::from(data::format_datetime(iv.end))),
        ])
    })?)
}
