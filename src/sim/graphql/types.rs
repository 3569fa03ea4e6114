//! The simulated schema's types as SDL-like tables (names and types as in the production
//! schemas; `tests/integration/sim.rs` holds them to `tests/data/`). [`super::schema`] turns
//! them into an executable schema for each scenario.

use async_graphql::Value;

use crate::sim::data;

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
