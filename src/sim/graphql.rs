//! The simulated Kraken GraphQL API at `/v1/graphql/`: a real GraphQL engine (async-graphql)
//! over a faithful subset of Kraken's schema (same type, field and argument names and types),
//! answering as graphene-django does — HTTP 400 with graphql-core wording for parse and
//! validation errors, HTTP 200 with Kraken's error envelope for resolver errors.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use async_graphql::{
    Context, EmptyMutation, EmptySubscription, Enum, ErrorExtensions, ID, InputObject,
    InputValueError, InputValueResult, Interface, MergedObject, Object, Scalar, ScalarType, Schema,
    SimpleObject, Value,
};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use super::auth::{TokenCheck, check_token};
use super::data::{self, Interval};
use super::scenario::{HeaderForm, Permission, PropertySpec, ViewerMode};
use super::{ClientLabel, Shared, now};
use crate::kraken::catalogue;

// ---------------------------------------------------------------------------------------------
// Scalars (Kraken's names; values as graphene serialises them)

/// `DateTime`: ISO-8601 with an offset.
#[derive(Clone, Debug)]
pub struct DateTime(i64);

#[Scalar(name = "DateTime")]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => data::parse_datetime(s)
                .map(DateTime)
                .ok_or_else(|| InputValueError::custom(format!("Invalid datetime: {s}"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(data::format_datetime(self.0))
    }
}

/// `Date`: `YYYY-MM-DD`.
#[derive(Clone, Debug)]
pub struct Date(i64);

#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => data::parse_date(s)
                .map(Date)
                .ok_or_else(|| InputValueError::custom(format!("Invalid date: {s}"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(data::format_datetime(self.0 * 86_400)[..10].to_string())
    }
}

/// `Decimal`: serialised as a string, as graphene does.
#[derive(Clone, Debug)]
pub struct Decimal(String);

#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => Ok(Decimal(s.clone())),
            Value::Number(n) => Ok(Decimal(n.to_string())),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

// ---------------------------------------------------------------------------------------------
// Request context and errors

/// What a request is allowed to do, decided before execution.
struct Viewer {
    shared: Arc<Shared>,
    /// The client_id of a valid token, or the Kraken code that refused the token.
    auth: Result<String, &'static str>,
}

/// A Kraken error envelope for `code`, with the registry's texts.
fn kraken_error(code: &str) -> async_graphql::Error {
    let entry = catalogue::lookup(code);
    let (message, error_type, description) = match entry {
        Some(e) => (e.message, e.error_type, e.description),
        None => (
            code.to_string(),
            "APPLICATION".to_string(),
            code.to_string(),
        ),
    };
    let code = code.to_string();
    async_graphql::Error::new(message).extend_with(move |_, ext| {
        ext.set("errorType", error_type.clone());
        ext.set("errorCode", code.clone());
        ext.set("errorDescription", description.clone());
    })
}

fn viewer<'a>(ctx: &Context<'a>) -> async_graphql::Result<(&'a Viewer, &'a str)> {
    let v = ctx.data::<Viewer>()?;
    match &v.auth {
        Ok(id) => Ok((v, id.as_str())),
        Err(code) => Err(kraken_error(code)),
    }
}

/// Whether the viewer holds `permission`: `Ok(true)`, `Ok(false)` for a silent denial, or the
/// scenario's denial error.
fn allowed(ctx: &Context<'_>, permission: Permission) -> async_graphql::Result<bool> {
    let (v, id) = viewer(ctx)?;
    if v.shared.permissions(id).contains(&permission) {
        Ok(true)
    } else if v.shared.scenario.api.silent_denial {
        Ok(false)
    } else {
        Err(kraken_error(v.shared.scenario.api.denial_code.code()))
    }
}

// ---------------------------------------------------------------------------------------------
// Schema: object types

#[derive(Default)]
pub(crate) struct BaseQuery;

#[Object(name = "BaseQuery")]
impl BaseQuery {
    /// A property with the given ID.
    async fn property(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<PropertyType>> {
        if !allowed(ctx, Permission::CanQueryProperty)? {
            return Ok(None);
        }
        let (v, _) = viewer(ctx)?;
        v.shared
            .scenario
            .properties
            .iter()
            .position(|p| p.id == id.as_str())
            .map(|index| Some(PropertyType::new(&v.shared, index)))
            .ok_or_else(|| kraken_error("KT-CT-12612"))
    }

    /// Search for properties that are already in Kraken and match the search term.
    async fn properties_search(
        &self,
        ctx: &Context<'_>,
        search_term: String,
    ) -> async_graphql::Result<Vec<PropertySearchResult>> {
        if !allowed(ctx, Permission::CanQueryProperty)? {
            return Ok(Vec::new());
        }
        let (v, _) = viewer(ctx)?;
        let term = search_term.trim().to_lowercase();
        if term.is_empty() {
            return Ok(Vec::new());
        }
        Ok(v.shared
            .scenario
            .properties
            .iter()
            .enumerate()
            .filter_map(|(index, p)| {
                let score = if p.mpan == term {
                    "1.0"
                } else if p.address.to_lowercase().contains(&term)
                    || p.postcode.to_lowercase().contains(&term)
                {
                    "0.8"
                } else {
                    return None;
                };
                Some(PropertySearchResult {
                    score: Decimal(score.to_string()),
                    property: PropertyType::new(&v.shared, index),
                })
            })
            .collect())
    }

    /// Get a supply point by its market specific id.
    async fn supply_point(
        &self,
        ctx: &Context<'_>,
        external_identifier: String,
        market_name: String,
    ) -> async_graphql::Result<Option<SupplyPointType>> {
        if !allowed(ctx, Permission::CanQueryProperty)? {
            return Ok(None);
        }
        let (v, _) = viewer(ctx)?;
        if !matches!(market_name.as_str(), "GBR_ELECTRICITY" | "GBR_GAS") {
            return Err(kraken_error("KT-CT-4723"));
        }
        v.shared
            .scenario
            .properties
            .iter()
            .position(|p| p.mpan == external_identifier && p.market_name == market_name)
            .map(|index| {
                Some(SupplyPointType {
                    property: PropertyType::new(&v.shared, index),
                })
            })
            .ok_or_else(|| kraken_error("KT-CT-4719"))
    }

    /// Information about the current state of the rate limiting.
    async fn rate_limit_info(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<CombinedRateLimitInformation>> {
        let (v, _) = viewer(ctx)?;
        let used = i32::try_from(v.shared.graphql_requests.load(Ordering::Relaxed)).unwrap_or(0);
        let ttl = i32::try_from((now() / 3600 + 1) * 3600).unwrap_or(i32::MAX);
        Ok(Some(CombinedRateLimitInformation {
            points_allowance_rate_limit: Some(PointsAllowanceRateLimitInformation {
                limit: Some(300_000),
                remaining_points: Some(300_000 - used.min(300_000)),
                used_points: Some(used),
                ttl: Some(ttl),
                is_blocked: Some(false),
            }),
        }))
    }

    /// An account: never readable by a third party.
    async fn account(
        &self,
        ctx: &Context<'_>,
        account_number: String,
    ) -> async_graphql::Result<Option<AccountType>> {
        viewer(ctx)?;
        let _ = account_number;
        Err(kraken_error("KT-CT-4177"))
    }
}

#[derive(Default)]
pub(crate) struct ViewerQuery;

#[Object(name = "ViewerQuery")]
impl ViewerQuery {
    /// The third party calling the API.
    async fn third_party_viewer(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<ThirdPartyOrganizationType>> {
        let (v, id) = viewer(ctx)?;
        if v.shared.scenario.api.third_party_viewer == ViewerMode::Denied {
            return Err(kraken_error(v.shared.scenario.api.denial_code.code()));
        }
        let name = v
            .shared
            .with_app(id, |a| a.spec.description.clone())
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| "Simulated third party".to_string());
        Ok(Some(ThirdPartyOrganizationType {
            name,
            permissions: Some(
                v.shared
                    .permissions(id)
                    .into_iter()
                    .map(|p| {
                        Some(ThirdPartyPermission {
                            permission: Some(p.name().to_string()),
                        })
                    })
                    .collect(),
            ),
        }))
    }
}

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub(crate) struct QueryWithViewer(BaseQuery, ViewerQuery);

#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub(crate) struct QueryWithoutViewer(BaseQuery);

#[derive(SimpleObject)]
struct ThirdPartyOrganizationType {
    name: String,
    permissions: Option<Vec<Option<ThirdPartyPermission>>>,
}

#[derive(SimpleObject)]
struct ThirdPartyPermission {
    permission: Option<String>,
}

#[derive(SimpleObject)]
struct PropertySearchResult {
    score: Decimal,
    property: PropertyType,
}

#[derive(SimpleObject)]
struct AccountType {
    number: Option<String>,
}

#[derive(SimpleObject)]
struct CombinedRateLimitInformation {
    points_allowance_rate_limit: Option<PointsAllowanceRateLimitInformation>,
}

#[derive(SimpleObject)]
struct PointsAllowanceRateLimitInformation {
    limit: Option<i32>,
    remaining_points: Option<i32>,
    used_points: Option<i32>,
    ttl: Option<i32>,
    is_blocked: Option<bool>,
}

struct PropertyType {
    index: usize,
    spec: PropertySpec,
}

impl PropertyType {
    fn new(shared: &Shared, index: usize) -> Self {
        PropertyType {
            index,
            spec: shared.scenario.properties[index].clone(),
        }
    }

    fn intervals(&self, from: i64, to: i64) -> Vec<Interval> {
        data::intervals(self.index, self.spec.days, from, to)
    }
}

#[derive(InputObject)]
struct UtilityFiltersInput {
    electricity_filters: Option<ElectricityFiltersInput>,
    gas_filters: Option<GasFiltersInput>,
}

#[derive(InputObject)]
struct ElectricityFiltersInput {
    reading_frequency_type: Option<ReadingFrequencyType>,
    market_supply_point_id: Option<String>,
    device_id: Option<String>,
    reading_direction: Option<ReadingDirectionType>,
    register_id: Option<String>,
    reading_quality: Option<ReadingQualityType>,
}

#[derive(InputObject)]
struct GasFiltersInput {
    reading_frequency_type: Option<ReadingFrequencyType>,
    market_supply_point_id: Option<String>,
    device_id: Option<String>,
    register_id: Option<String>,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
enum ReadingFrequencyType {
    RawInterval,
    FiveMinInterval,
    FifteenMinInterval,
    ThirtyMinInterval,
    HourInterval,
    DayInterval,
    WeekInterval,
    MonthInterval,
    QuarterInterval,
    Daily,
    PointInTime,
    Intervalized,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
enum ReadingDirectionType {
    Consumption,
    Generation,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
enum ReadingQualityType {
    Actual,
    Estimate,
    Combined,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
enum ReadingTypes {
    Interval,
    Accumulation,
    Peak,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
enum TimeGranularities {
    FiveMin,
    FifteenMin,
    ThirtyMin,
    Hour,
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

#[derive(Enum, Clone, Copy, PartialEq, Eq)]
enum Units {
    Watt,
    WattHours,
    Kilowatt,
    KilowattHours,
    MegawattHours,
    MetersCubed,
}

/// A relay cursor as graphene writes it.
fn cursor(offset: usize) -> String {
    STANDARD.encode(format!("arrayconnection:{offset}"))
}

fn cursor_offset(c: &str) -> async_graphql::Result<usize> {
    STANDARD
        .decode(c)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix("arrayconnection:")?.parse().ok())
        .ok_or_else(|| async_graphql::Error::new(format!("Invalid cursor: {c}")))
}

/// Relay pagination over `len` items: the `[start, end)` slice.
fn paginate(
    len: usize,
    first: Option<i32>,
    after: Option<String>,
    last: Option<i32>,
    before: Option<String>,
) -> async_graphql::Result<(usize, usize)> {
    let mut start = 0;
    let mut end = len;
    if let Some(a) = after {
        start = (cursor_offset(&a)? + 1).min(len);
    }
    if let Some(b) = before {
        end = cursor_offset(&b)?.min(len);
    }
    end = end.max(start);
    for n in [first, last].into_iter().flatten() {
        if n < 0 {
            return Err(async_graphql::Error::new(
                "Argument 'first' or 'last' must be a non-negative integer.",
            ));
        }
    }
    if let Some(n) = first {
        end = end.min(start + usize::try_from(n).unwrap_or(0));
    }
    if let Some(n) = last {
        start = start.max(end.saturating_sub(usize::try_from(n).unwrap_or(0)));
    }
    Ok((start, end))
}

fn page_info(start: usize, end: usize, len: usize) -> PageInfo {
    PageInfo {
        has_next_page: end < len,
        has_previous_page: start > 0,
        start_cursor: (end > start).then(|| cursor(start)),
        end_cursor: (end > start).then(|| cursor(end - 1)),
    }
}

#[Object]
impl PropertyType {
    async fn id(&self) -> Option<String> {
        Some(self.spec.id.clone())
    }

    async fn postcode(&self) -> String {
        self.spec.postcode.clone()
    }

    async fn address(&self) -> Option<String> {
        Some(self.spec.address.clone())
    }

    /// Measurements at the property's supply points.
    #[allow(clippy::too_many_arguments)]
    async fn measurements(
        &self,
        ctx: &Context<'_>,
        start_at: Option<DateTime>,
        end_at: Option<DateTime>,
        start_on: Option<Date>,
        end_on: Option<Date>,
        timezone: Option<String>,
        utility_filters: Option<Vec<Option<UtilityFiltersInput>>>,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Option<MeasurementConnection>> {
        let _ = timezone;
        let permitted = allowed(ctx, Permission::CanViewDetailedUsage)?;
        let (v, _) = viewer(ctx)?;
        if v.shared.scenario.api.readings_not_configured {
            return Err(kraken_error("KT-CT-4722"));
        }
        let from = start_at
            .map(|d| d.0)
            .into_iter()
            .chain(start_on.map(|d| d.0 * 86_400))
            .max()
            .unwrap_or(i64::MIN);
        let to = end_at
            .map(|d| d.0)
            .into_iter()
            .chain(end_on.map(|d| (d.0 + 1) * 86_400))
            .min()
            .unwrap_or(i64::MAX);
        let mut items = if permitted {
            self.intervals(from, to)
        } else {
            Vec::new()
        };
        for f in utility_filters.into_iter().flatten().flatten() {
            let excluded = match (&f.electricity_filters, &f.gas_filters) {
                (Some(e), _) => {
                    e.market_supply_point_id
                        .as_ref()
                        .is_some_and(|m| *m != self.spec.mpan)
                        || e.reading_direction == Some(ReadingDirectionType::Generation)
                }
                (None, Some(_)) => true,
                (None, None) => false,
            };
            if excluded {
                items.clear();
            }
        }
        let (start, end) = paginate(items.len(), first, after, last, before)?;
        let edges = items[start..end]
            .iter()
            .enumerate()
            .map(|(i, iv)| {
                Some(MeasurementEdge {
                    node: Some(MeasurementInterface::IntervalMeasurementType(
                        IntervalMeasurementType(iv.clone()),
                    )),
                    cursor: cursor(start + i),
                })
            })
            .collect::<Vec<_>>();
        Ok(Some(MeasurementConnection {
            page_info: page_info(start, end, items.len()),
            edge_count: i32::try_from(edges.len()).unwrap_or(i32::MAX),
            total_count: i32::try_from(items.len()).unwrap_or(i32::MAX),
            edges,
        }))
    }
}

#[derive(SimpleObject)]
struct PageInfo {
    has_next_page: bool,
    has_previous_page: bool,
    start_cursor: Option<String>,
    end_cursor: Option<String>,
}

#[derive(SimpleObject)]
struct MeasurementConnection {
    page_info: PageInfo,
    edges: Vec<Option<MeasurementEdge>>,
    total_count: i32,
    edge_count: i32,
}

#[derive(SimpleObject)]
struct MeasurementEdge {
    node: Option<MeasurementInterface>,
    cursor: String,
}

// clippy reads the repeated `ty = "String"` of two fields as a duplicated attribute.
#[allow(clippy::duplicated_attributes)]
#[derive(Interface)]
#[graphql(
    name = "MeasurementInterface",
    field(name = "source", ty = "String"),
    field(name = "value", ty = "Decimal"),
    field(name = "unit", ty = "String"),
    field(name = "read_at", ty = "DateTime")
)]
enum MeasurementInterface {
    IntervalMeasurementType(IntervalMeasurementType),
}

struct IntervalMeasurementType(Interval);

#[Object]
impl IntervalMeasurementType {
    async fn source(&self) -> String {
        "DCC".to_string()
    }

    async fn value(&self) -> Decimal {
        Decimal(self.0.value.clone())
    }

    async fn unit(&self) -> String {
        "kwh".to_string()
    }

    async fn read_at(&self) -> DateTime {
        DateTime(self.0.end)
    }

    async fn start_at(&self) -> DateTime {
        DateTime(self.0.start)
    }

    async fn end_at(&self) -> DateTime {
        DateTime(self.0.end)
    }

    async fn duration_in_seconds(&self) -> i32 {
        i32::try_from(self.0.end - self.0.start).unwrap_or(0)
    }
}

struct SupplyPointType {
    property: PropertyType,
}

#[Object]
impl SupplyPointType {
    async fn id(&self) -> ID {
        ID(format!("sp-{}", self.property.spec.id))
    }

    async fn market_name(&self) -> String {
        self.property.spec.market_name.clone()
    }

    async fn external_identifier(&self) -> Option<String> {
        Some(self.property.spec.mpan.clone())
    }

    async fn property(&self) -> Option<PropertyType> {
        Some(PropertyType {
            index: self.property.index,
            spec: self.property.spec.clone(),
        })
    }

    /// Readings from the supply point.
    #[allow(clippy::too_many_arguments)]
    async fn readings(
        &self,
        ctx: &Context<'_>,
        start_at: DateTime,
        end_at: DateTime,
        reading_type: ReadingTypes,
        time_granularity: Option<TimeGranularities>,
        timezone: Option<String>,
        units: Option<Vec<Option<Units>>>,
    ) -> async_graphql::Result<Option<Readings>> {
        let _ = (time_granularity, timezone);
        let permitted = allowed(ctx, Permission::CanViewDetailedUsage)?;
        let (v, _) = viewer(ctx)?;
        if v.shared.scenario.api.readings_not_configured {
            return Err(kraken_error("KT-CT-4722"));
        }
        let wants_kwh =
            units.is_none_or(|u| u.is_empty() || u.contains(&Some(Units::KilowattHours)));
        let items = if permitted && reading_type == ReadingTypes::Interval && wants_kwh {
            self.property.intervals(start_at.0, end_at.0)
        } else {
            Vec::new()
        };
        Ok(Some(Readings { items }))
    }
}

struct Readings {
    items: Vec<Interval>,
}

#[Object]
impl Readings {
    /// Readings representing incoming utility flow e.g., usage or consumption.
    async fn import_readings(
        &self,
        before: Option<String>,
        after: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Option<ImportReadingsConnection>> {
        let len = self.items.len();
        let (start, end) = paginate(len, first, after, last, before)?;
        let edges = self.items[start..end]
            .iter()
            .enumerate()
            .map(|(i, iv)| {
                Some(ImportReadingsEdge {
                    node: Some(Reading {
                        value: Some(Decimal(iv.value.clone())),
                        units: Some("KILOWATT_HOURS".to_string()),
                        interval_start: Some(DateTime(iv.start)),
                        interval_end: Some(DateTime(iv.end)),
                    }),
                    cursor: cursor(start + i),
                })
            })
            .collect::<Vec<_>>();
        Ok(Some(ImportReadingsConnection {
            page_info: page_info(start, end, len),
            edge_count: i32::try_from(edges.len()).unwrap_or(i32::MAX),
            total_count: i32::try_from(len).unwrap_or(i32::MAX),
            edges,
        }))
    }
}

#[derive(SimpleObject)]
struct ImportReadingsConnection {
    page_info: PageInfo,
    edges: Vec<Option<ImportReadingsEdge>>,
    total_count: i32,
    edge_count: i32,
}

#[derive(SimpleObject)]
struct ImportReadingsEdge {
    node: Option<Reading>,
    cursor: String,
}

#[derive(SimpleObject)]
struct Reading {
    value: Option<Decimal>,
    units: Option<String>,
    interval_start: Option<DateTime>,
    interval_end: Option<DateTime>,
}

// ---------------------------------------------------------------------------------------------
// Schemas and the HTTP handler

type WithViewer = Schema<QueryWithViewer, EmptyMutation, EmptySubscription>;
type WithoutViewer = Schema<QueryWithoutViewer, EmptyMutation, EmptySubscription>;

/// The executable schema for a scenario (`thirdPartyViewer` present or absent).
pub(crate) enum Api {
    WithViewer(WithViewer),
    WithoutViewer(WithoutViewer),
}

impl Api {
    pub(crate) fn new(mode: ViewerMode) -> Self {
        if mode == ViewerMode::Absent {
            Api::WithoutViewer(
                Schema::build(
                    QueryWithoutViewer::default(),
                    EmptyMutation,
                    EmptySubscription,
                )
                .disable_suggestions()
                .limit_depth(30)
                .finish(),
            )
        } else {
            Api::WithViewer(
                Schema::build(QueryWithViewer::default(), EmptyMutation, EmptySubscription)
                    .disable_suggestions()
                    .limit_depth(30)
                    .finish(),
            )
        }
    }

    async fn execute(&self, request: async_graphql::Request) -> async_graphql::Response {
        match self {
            Api::WithViewer(s) => s.execute(request).await,
            Api::WithoutViewer(s) => s.execute(request).await,
        }
    }
}

/// The simulator's schema as SDL (with `thirdPartyViewer`), for the faithful-subset proof.
pub fn sdl() -> String {
    match Api::new(ViewerMode::Answers) {
        Api::WithViewer(s) => s.sdl(),
        Api::WithoutViewer(s) => s.sdl(),
    }
}

fn json_response(status: StatusCode, body: serde_json::Value) -> Response {
    let mut r = Response::new(Body::from(body.to_string()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

fn request_error(message: &str) -> Response {
    json_response(
        StatusCode::BAD_REQUEST,
        json!({"errors": [{"message": message}]}),
    )
}

/// The KT-CT-1199 envelope a rate-limited request gets (HTTP 200).
pub(crate) fn rate_limited() -> Response {
    let e = kraken_error("KT-CT-1199");
    let extensions = e
        .extensions
        .as_ref()
        .and_then(|x| serde_json::to_value(x).ok())
        .unwrap_or(serde_json::Value::Null);
    json_response(
        StatusCode::OK,
        json!({"data": null, "errors": [{"message": e.message, "extensions": extensions}]}),
    )
}

/// Decide what the Authorization header is worth.
fn authenticate(shared: &Shared, headers: &HeaderMap) -> Result<String, &'static str> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Err("KT-CT-1112");
    };
    let value = value.to_str().map_err(|_| "KT-CT-1143")?.trim();
    if value.is_empty() {
        return Err("KT-CT-1112");
    }
    let (form, token) = match value.split_once(' ') {
        Some((p, t)) if p.eq_ignore_ascii_case("bearer") => (HeaderForm::Bearer, t.trim()),
        Some((p, t)) if p.eq_ignore_ascii_case("jwt") => (HeaderForm::Jwt, t.trim()),
        Some(_) => return Err("KT-CT-1143"),
        None => (HeaderForm::Bare, value),
    };
    if !shared.scenario.api.header_forms.contains(&form) {
        return Err("KT-CT-1143");
    }
    match check_token(shared, token) {
        TokenCheck::Valid(id) => Ok(id),
        TokenCheck::Refused(code) => Err(code),
    }
}

/// `/v1/graphql/`.
pub(crate) async fn handler(
    State(shared): State<Arc<Shared>>,
    method: Method,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if method != Method::POST {
        let mut r = request_error("Must provide query string.");
        if method != Method::GET {
            *r.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
            r.headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
        }
        return r;
    }
    let Ok(payload) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return request_error("POST body sent invalid JSON.");
    };
    let Some(query) = payload.get("query").and_then(|q| q.as_str()) else {
        return request_error("Must provide query string.");
    };
    if let Err(e) = async_graphql::parser::parse_query(query) {
        let locations: Vec<_> = e
            .positions()
            .take(1)
            .map(|p| json!({"line": p.line, "column": p.column}))
            .collect();
        return json_response(
            StatusCode::BAD_REQUEST,
            json!({"errors": [{"message": syntax_message(query, &e), "locations": locations}]}),
        );
    }
    let variables = match payload.get("variables") {
        Some(serde_json::Value::String(s)) => serde_json::from_str(s).unwrap_or_default(),
        Some(v @ serde_json::Value::Object(_)) => v.clone(),
        _ => serde_json::Value::Null,
    };
    let auth = authenticate(&shared, &headers);
    let label = auth.as_ref().ok().cloned();
    let mut request = async_graphql::Request::new(query)
        .variables(async_graphql::Variables::from_json(variables))
        .data(Viewer {
            shared: shared.clone(),
            auth,
        });
    if let Some(op) = payload.get("operationName").and_then(|o| o.as_str()) {
        request = request.operation_name(op);
    }
    let result = shared.api.execute(request).await;
    let mut response = if result.errors.iter().any(|e| e.path.is_empty()) {
        // graphene-django: an error without a path (parse, validation) answers 400, errors only.
        let errors: Vec<_> = result
            .errors
            .iter()
            .map(|e| {
                json!({
                    "message": graphene_wording(&e.message),
                    "locations": e.locations.iter().map(|p| json!({"line": p.line, "column": p.column})).collect::<Vec<_>>(),
                })
            })
            .collect();
        json_response(StatusCode::BAD_REQUEST, json!({ "errors": errors }))
    } else {
        let body = serde_json::to_value(&result).unwrap_or_default();
        let mut out = serde_json::Map::new();
        if let Some(errors) = body.get("errors") {
            out.insert("errors".to_string(), errors.clone());
        }
        out.insert(
            "data".to_string(),
            body.get("data").cloned().unwrap_or_default(),
        );
        json_response(StatusCode::OK, serde_json::Value::Object(out))
    };
    if let Some(id) = label {
        response.extensions_mut().insert(ClientLabel(id));
    }
    response
}

/// The double-quoted pieces of an async-graphql message.
fn quoted(message: &str) -> Vec<&str> {
    message.split('"').skip(1).step_by(2).collect()
}

/// async-graphql's validation messages in graphql-core 3's words.
pub(crate) fn graphene_wording(message: &str) -> String {
    let q = quoted(message);
    let dollar = |v: &str| {
        if v.starts_with('$') {
            v.to_string()
        } else {
            format!("${v}")
        }
    };
    match q.as_slice() {
        [f, t] if message.starts_with("Unknown field") => {
            format!("Cannot query field '{f}' on type '{t}'.")
        }
        [a, f, t] if message.starts_with("Unknown argument") => {
            format!("Unknown argument '{a}' on field '{t}.{f}'.")
        }
        [f, a, parent] if message.contains("is required but not provided") => {
            let t = argument_type(parent, f, a).unwrap_or_else(|| parent.to_string());
            format!(
                "Field '{f}' argument '{a}' of type '{t}' is required, but it was not provided."
            )
        }
        [t] if message.starts_with("Unknown type") => format!("Unknown type '{t}'."),
        [v, t, u] if message.starts_with("Variable") && message.contains("used in position") => {
            format!(
                "Variable '{}' of type '{t}' used in position expecting type '{u}'.",
                dollar(v)
            )
        }
        [f, t] if message.contains("must have a selection of subfields") => format!(
            "Field '{f}' of type '{t}' must have a selection of subfields. Did you mean '{f} {{ ... }}'?"
        ),
        [f, t] if message.contains("must not have a selection") => {
            format!("Field '{f}' must not have a selection since type '{t}' has no subfields.")
        }
        _ => {
            let m = message.replace('"', "'");
            if m.ends_with('.') { m } else { format!("{m}.") }
        }
    }
}

/// The declared type of argument `arg` of `parent.field`, read from the simulator's SDL
/// (async-graphql names the parent type where graphql-core names the argument's type).
fn argument_type(parent: &str, field: &str, arg: &str) -> Option<String> {
    static SDL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let text = SDL.get_or_init(sdl);
    let block = text
        .split(&format!("type {parent} {{"))
        .nth(1)?
        .split("\n}")
        .next()?;
    let line = block
        .lines()
        .find(|l| l.trim_start().starts_with(&format!("{field}(")))?;
    let args = line.split_once('(')?.1.rsplit_once(')')?.0;
    args.split(", ").find_map(|a| {
        let (name, ty) = a.split_once(": ")?;
        (name == arg).then(|| ty.split(" = ").next().unwrap_or(ty).to_string())
    })
}

/// A syntax error in graphql-core's words: what was found where the parser stopped.
fn syntax_message(query: &str, error: &async_graphql::parser::Error) -> String {
    let Some(pos) = error.positions().next() else {
        return format!("Syntax Error: {error}");
    };
    let rest: String = query
        .lines()
        .nth(pos.line.saturating_sub(1))
        .map(|l| l.chars().skip(pos.column.saturating_sub(1)).collect())
        .unwrap_or_default();
    let after: String = query.lines().skip(pos.line).collect::<Vec<_>>().join("\n");
    let rest = if rest.trim().is_empty() { after } else { rest };
    let rest = rest.trim_start();
    match rest.chars().next() {
        None => "Syntax Error: Expected Name, found <EOF>.".to_string(),
        Some(c) if c.is_alphabetic() || c == '_' => {
            let word: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            format!("Syntax Error: Unexpected Name '{word}'.")
        }
        Some(c) => format!("Syntax Error: Unexpected '{c}'."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_messages_read_as_graphql_core() {
        assert_eq!(
            graphene_wording(r#"Unknown field "x" on type "Query"."#),
            "Cannot query field 'x' on type 'Query'."
        );
        assert_eq!(
            graphene_wording(r#"Unknown argument "a" on field "property" of type "Query"."#),
            "Unknown argument 'a' on field 'Query.property'."
        );
        assert_eq!(
            graphene_wording(
                r#"Field "property" argument "id" of type "ID!" is required but not provided"#
            ),
            "Field 'property' argument 'id' of type 'ID!' is required, but it was not provided."
        );
    }

    #[test]
    fn pagination_follows_relay() {
        assert_eq!(paginate(10, Some(3), None, None, None).ok(), Some((0, 3)));
        assert_eq!(
            paginate(10, Some(3), Some(cursor(2)), None, None).ok(),
            Some((3, 6))
        );
        assert_eq!(paginate(10, None, None, Some(2), None).ok(), Some((8, 10)));
        assert!(paginate(10, Some(-1), None, None, None).is_err());
        assert!(paginate(10, None, Some("junk".into()), None, None).is_err());
    }
}
