//! The simulated schema's types as SDL-like tables (names and types as in the production
//! schemas; `tests/integration/sim.rs` holds them to `tests/data/`). [`super::schema`] turns
//! them into an executable schema for each scenario.

use async_graphql::Value;

use crate::data;
use crate::scenario::SchemaFlavour;

/// Object types whose fields are read from the parent value by name.
pub(super) const PLAIN: &[(&str, &[(&str, &str)])] = &[
    ("ThirdPartyPermission", &[("permission", "String")]),
    (
        "PropertySearchResult",
        &[("score", "Decimal!"), ("property", "PropertyType!")],
    ),
    ("AccountType", &[("number", "String")]),
    (
        "CombinedRateLimitInformation",
        &[(
            "pointsAllowanceRateLimit",
            "PointsAllowanceRateLimitInformation",
        )],
    ),
    (
        "PointsAllowanceRateLimitInformation",
        &[
            ("limit", "Int"),
            ("remainingPoints", "Int"),
            ("usedPoints", "Int"),
            ("ttl", "Int"),
            ("isBlocked", "Boolean"),
        ],
    ),
    (
        "PageInfo",
        &[
            ("hasNextPage", "Boolean!"),
            ("hasPreviousPage", "Boolean!"),
            ("startCursor", "String"),
            ("endCursor", "String"),
        ],
    ),
    (
        "MeasurementConnection",
        &[
            ("pageInfo", "PageInfo!"),
            ("edges", "[MeasurementEdge]!"),
            ("totalCount", "Int!"),
            ("edgeCount", "Int!"),
        ],
    ),
    (
        "MeasurementEdge",
        &[("node", "MeasurementInterface"), ("cursor", "String!")],
    ),
    (
        "MeasurementsMetadataOutput",
        &[("utilityFilters", "UtilityFiltersOutput")],
    ),
    ("ElectricityFiltersOutput", ELECTRICITY_OUTPUT),
    ("EmbeddedElectricityFiltersOutput", ELECTRICITY_OUTPUT),
    (
        "GasFiltersOutput",
        &[
            ("registerId", "String"),
            ("readingFrequencyType", "ReadingFrequencyType"),
            ("marketSupplyPointId", "String"),
            ("deviceId", "String"),
        ],
    ),
    (
        "WaterFiltersOutput",
        &[
            ("marketSupplyPointId", "String"),
            ("deviceId", "String"),
            ("readingFrequencyType", "ReadingFrequencyType"),
        ],
    ),
    (
        "ImportReadingsConnection",
        &[
            ("pageInfo", "PageInfo!"),
            ("edges", "[ImportReadingsEdge]!"),
            ("totalCount", "Int!"),
            ("edgeCount", "Int!"),
        ],
    ),
    (
        "ImportReadingsEdge",
        &[("node", "Reading"), ("cursor", "String!")],
    ),
    (
        "Reading",
        &[
            ("value", "Decimal"),
            ("units", "String"),
            ("intervalStart", "DateTime"),
            ("intervalEnd", "DateTime"),
        ],
    ),
];

pub(super) const ELECTRICITY_OUTPUT: &[(&str, &str)] = &[
    ("readingDirection", "ReadingDirectionType"),
    ("registerId", "String"),
    ("readingQuality", "ReadingQualityType"),
    ("readingFrequencyType", "ReadingFrequencyType"),
    ("marketSupplyPointId", "String"),
    ("deviceId", "String"),
];

/// `MeasurementInterface`'s fields; `IntervalMeasurementType` adds its own.
pub(super) const MEASUREMENT: &[(&str, &str)] = &[
    ("source", "String!"),
    ("metaData", "MeasurementsMetadataOutput"),
    ("value", "Decimal!"),
    ("unit", "String!"),
    ("readAt", "DateTime!"),
];

pub(super) const INTERVAL: &[(&str, &str)] = &[
    ("startAt", "DateTime!"),
    ("endAt", "DateTime!"),
    ("durationInSeconds", "Int!"),
];

pub(super) const ENUMS: &[(&str, &[&str])] = &[
    (
        "ReadingFrequencyType",
        &[
            "RAW_INTERVAL",
            "FIVE_MIN_INTERVAL",
            "FIFTEEN_MIN_INTERVAL",
            "THIRTY_MIN_INTERVAL",
            "HOUR_INTERVAL",
            "DAY_INTERVAL",
            "WEEK_INTERVAL",
            "MONTH_INTERVAL",
            "QUARTER_INTERVAL",
            "DAILY",
            "POINT_IN_TIME",
            "INTERVALIZED",
        ],
    ),
    ("ReadingDirectionType", &["CONSUMPTION", "GENERATION"]),
    ("ReadingQualityType", &["ACTUAL", "ESTIMATE", "COMBINED"]),
    ("ReadingTypes", &["INTERVAL", "ACCUMULATION", "PEAK"]),
    (
        "TimeGranularities",
        &[
            "FIVE_MIN",
            "FIFTEEN_MIN",
            "THIRTY_MIN",
            "HOUR",
            "DAY",
            "WEEK",
            "MONTH",
            "QUARTER",
            "YEAR",
        ],
    ),
    (
        "Units",
        &[
            "WATT",
            "WATT_HOURS",
            "KILOWATT",
            "KILOWATT_HOURS",
            "MEGAWATT_HOURS",
            "METERS_CUBED",
        ],
    ),
];

pub(super) const ELECTRICITY_INPUT: &[(&str, &str)] = &[
    ("readingFrequencyType", "ReadingFrequencyType"),
    ("marketSupplyPointId", "String"),
    ("deviceId", "String"),
    ("readingDirection", "ReadingDirectionType"),
    ("registerId", "String"),
    ("readingQuality", "ReadingQualityType"),
];

pub(super) const GAS_INPUT: &[(&str, &str)] = &[
    ("readingFrequencyType", "ReadingFrequencyType"),
    ("marketSupplyPointId", "String"),
    ("deviceId", "String"),
    ("registerId", "String"),
];

pub(super) const MEASUREMENTS_ARGS: &[(&str, &str)] = &[
    ("startAt", "DateTime"),
    ("endAt", "DateTime"),
    ("startOn", "Date"),
    ("endOn", "Date"),
    ("timezone", "String"),
    ("utilityFilters", "[UtilityFiltersInput]"),
    ("before", "String"),
    ("after", "String"),
    ("first", "Int"),
    ("last", "Int"),
];

pub(super) const READINGS_ARGS: &[(&str, &str)] = &[
    ("startAt", "DateTime!"),
    ("endAt", "DateTime!"),
    ("readingType", "ReadingTypes!"),
    ("timeGranularity", "TimeGranularities"),
    ("timezone", "String"),
    ("units", "[Units]"),
];

pub(super) const PAGE_ARGS: &[(&str, &str)] = &[
    ("before", "String"),
    ("after", "String"),
    ("first", "Int"),
    ("last", "Int"),
];

/// The default values the production schemas declare, by `Type.field(argument)` or
/// `Input.field`, written as GraphQL: the same on both, except the region's time zones and
/// the instants graphene prints Kraken's all-time range with (in the region's local offset).
pub(super) fn default_value(flavour: SchemaFlavour, coordinate: &str) -> Option<&'static str> {
    let regional: [(&str, &str); 4] = match flavour {
        SchemaFlavour::EdfGb => [
            (
                "PropertyType.measurements(startAt)",
                "\"0001-01-03T00:00:00-00:01:15\"",
            ),
            (
                "PropertyType.measurements(endAt)",
                "\"9999-12-29T23:59:59.999999+00:00\"",
            ),
            ("PropertyType.measurements(timezone)", "\"Europe/London\""),
            ("SupplyPointType.readings(timezone)", "\"Europe/London\""),
        ],
        SchemaFlavour::OriginAu => [
            (
                "PropertyType.measurements(startAt)",
                "\"0001-01-03T00:00:00+10:04:52\"",
            ),
            (
                "PropertyType.measurements(endAt)",
                "\"9999-12-29T23:59:59.999999+11:00\"",
            ),
            (
                "PropertyType.measurements(timezone)",
                "\"Australia/Sydney\"",
            ),
            ("SupplyPointType.readings(timezone)", "\"Etc/GMT-10\""),
        ],
    };
    const COMMON: &[(&str, &str)] = &[
        ("PropertyType.measurements(utilityFilters)", "[]"),
        (
            "ElectricityFiltersInput.readingFrequencyType",
            "RAW_INTERVAL",
        ),
        ("ElectricityFiltersInput.readingDirection", "CONSUMPTION"),
        ("ElectricityFiltersInput.readingQuality", "COMBINED"),
        ("GasFiltersInput.readingFrequencyType", "RAW_INTERVAL"),
        ("UtilityFiltersInput.electricityFilters", "null"),
        ("UtilityFiltersInput.gasFilters", "null"),
    ];
    regional
        .iter()
        .chain(COMMON)
        .find(|(c, _)| *c == coordinate)
        .map(|(_, v)| *v)
}

/// Whether a value is one a scalar accepts.
pub(super) type Accepts = fn(&Value) -> bool;

/// Kraken's scalars and what each accepts (as graphene serialises them: strings).
pub(super) const SCALARS: &[(&str, Accepts)] = &[
    (
        "DateTime",
        |v| matches!(v, Value::String(s) if data::parse_datetime(s).is_some()),
    ),
    (
        "Date",
        |v| matches!(v, Value::String(s) if data::parse_date(s).is_some()),
    ),
    ("Decimal", |v| {
        matches!(v, Value::String(_) | Value::Number(_))
    }),
];
