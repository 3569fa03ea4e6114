//! The simulator's deterministic data: GB properties with valid MPANs and half-hourly
//! measurements, plus the few date-time helpers the GraphQL scalars need (no chrono: the
//! simulator only ever deals in UTC instants and ISO-8601 strings, read in `isotime`).

use super::scenario::{PropertySpec, SupplyPointSpec};
use kraken_core::time::civil_from_days;

pub use super::isotime::{parse_date, parse_datetime};

use kraken_core::identifiers::IdKind;
pub use kraken_core::identifiers::{mpan_check_digit, mpan_is_valid};

fn with_check_digit(first12: &str) -> String {
    format!("{first12}{}", mpan_check_digit(first12).unwrap_or(0))
}

/// The AEMO checksum of a 10-character NMI or MIRN (one rule for client and simulator).
pub use kraken_core::identifiers::aemo_checksum as nmi_checksum;

/// Whether `id` is an NMI (10 characters, no I or O) and its checksum digit: kraken-core's
/// rule for a whole NMI.
pub fn nmi_is_valid(id: &str) -> bool {
    IdKind::Nmi.is_whole(id)
}

/// Why `id` cannot be a supply point of `market`, in kraken-core's words: each market takes
/// one kind of identifier, whole (checksum included), as the checker reads it.
pub fn check_supply_point_id(market: &str, id: &str) -> Result<(), String> {
    match IdKind::of_market(market) {
        Some(kind) if kind.is_whole(id) => Ok(()),
        Some(kind) => Err(format!(
            "supply point \"{id}\" of {market} is not {}",
            kind.whole_form()
        )),
        None => Err(format!(
            "supply point \"{id}\" of {market} is not an identifier of a known market"
        )),
    }
}

/// A GB electricity supply point with a smart meter.
fn meter(first12: &str, device_id: &str) -> SupplyPointSpec {
    SupplyPointSpec {
        id: with_check_digit(first12),
        market_name: "GBR_ELECTRICITY".to_string(),
        device_id: Some(device_id.to_string()),
        days: 3,
    }
}

/// The properties a scenario serves unless it declares its own.
pub fn default_properties() -> Vec<PropertySpec> {
    vec![
        PropertySpec {
            id: "240811".to_string(),
            address: "12 Acacia Avenue, Reading".to_string(),
            postcode: "RG1 2AB".to_string(),
            customer: true,
            supply_points: vec![meter("120001234567", "00-1A-2B-FF-FE-3C-4D-5E")],
        },
        PropertySpec {
            id: "240812".to_string(),
            address: "Flat 3, 48 Harbour Street, Whitstable".to_string(),
            postcode: "CT5 1AJ".to_string(),
            customer: true,
            supply_points: vec![meter("190009876543", "00-1A-2B-FF-FE-77-01-9C")],
        },
    ]
}

/// Which values the `point`-th meter of the `property`-th property reads (the first meter of
/// each property keeps the values it had when properties had one meter).
pub fn meter_seed(property: usize, point: usize) -> usize {
    property + 7 * point
}

/// The instant the simulated measurements end at: 2026-07-01T00:00:00Z.
pub const DATA_END: i64 = 1_782_864_000;

/// Half an hour in seconds.
pub const SLOT: i64 = 1800;

/// One half-hourly measurement.
#[derive(Clone, Debug, PartialEq)]
pub struct Interval {
    pub start: i64,
    pub end: i64,
    /// kWh, as a decimal string (`"0.347"`).
    pub value: String,
}

/// The measurements of one supply point, oldest first, restricted to `[from, to)` start
/// times. `meter` (see [`meter_seed`]) varies the values from meter to meter.
pub fn intervals(meter: usize, days: u32, from: i64, to: i64) -> Vec<Interval> {
    let seed = i64::try_from(meter).unwrap_or(0);
    let count = i64::from(days) * 48;
    let first = DATA_END - count * SLOT;
    (0..count)
        .map(|i| {
            let start = first + i * SLOT;
            let slot = i % 48;
            // A daily shape (low at night, an evening peak) plus deterministic jitter.
            let shape = if (34..42).contains(&slot) {
                350
            } else {
                60 + slot * 3
            };
            let jitter = (i * 37 + seed * 101 + slot * slot * 7) % 120;
            let milli = shape + jitter;
            Interval {
                start,
                end: start + SLOT,
                value: format!("{}.{:03}", milli / 1000, milli % 1000),
            }
        })
        .filter(|iv| iv.start >= from && iv.start < to)
        .collect()
}

/// `2026-07-01T00:00:00+00:00` (Python's `isoformat()` of an aware UTC datetime).
pub fn format_datetime(t: i64) -> String {
    let (y, m, d) = civil_from_days(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+00:00",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_supply_point_has_a_valid_mpan() {
        for sp in default_properties().iter().flat_map(|p| &p.supply_points) {
            assert!(mpan_is_valid(&sp.id), "{}", sp.id);
        }
    }

    #[test]
    fn scenario_supply_points_are_checked_by_the_core_rule() {
        assert!(nmi_is_valid("QAAAVZZZZZ3"));
        assert!(check_supply_point_id("GBR_GAS", "3458709102").is_ok());
        assert_eq!(
            check_supply_point_id("AUS_GAS", "QAAAVZZZZZ3"),
            Err(
                "supply point \"QAAAVZZZZZ3\" of AUS_GAS is not a MIRN: 10 digits starting with 5 \
                 and their checksum digit"
                    .to_string()
            )
        );
        assert!(check_supply_point_id("JPN_ELECTRICITY", "1").is_err());
    }

    #[test]
    fn datetimes_round_trip() {
        assert_eq!(format_datetime(DATA_END), "2026-07-01T00:00:00+00:00");
        assert_eq!(parse_datetime("2026-07-01T00:00:00+00:00"), Some(DATA_END));
        assert_eq!(parse_datetime("2026-07-01T01:00:00+01:00"), Some(DATA_END));
        assert_eq!(parse_datetime("2026-07-01T00:00:00.123Z"), Some(DATA_END));
        assert_eq!(parse_date("2026-07-01"), Some(DATA_END / 86_400));
        assert_eq!(parse_datetime("nonsense"), None);
    }

    #[test]
    fn intervals_are_half_hourly_and_deterministic() {
        let a = intervals(meter_seed(0, 0), 3, i64::MIN, i64::MAX);
        assert_eq!(a.len(), 144);
        assert_eq!(a, intervals(0, 3, i64::MIN, i64::MAX));
        assert_ne!(a, intervals(meter_seed(0, 1), 3, i64::MIN, i64::MAX));
        assert_eq!(a[143].end, DATA_END);
    }
}
