"""The subset of Kraken's GraphQL schema that kraken-doctor's simulator serves, in graphene.

Type, field and argument names, types and default values are those of the EDF GB production
schema (tests/data/schema-edf-gb-2026-07.graphql); the interop test proves it. The resolvers
answer as the simulator does (crates/kraken-sim/src/): the same properties and half-hourly measurement slots,
the same Kraken error envelope (`extensions {errorType, errorCode, errorDescription}`, texts
from the published registry) for the same conditions. Everything GraphQL itself decides —
parsing, validation, variable and literal coercion, fragments, null propagation, error wording —
is graphene's and graphql-core's, which is the point: the simulator (async-graphql) must match.

`configure(fixture)` loads what a test hands over (see serve.py): the properties and their
meters, the viewers (token -> name and permissions), the denial codes and the end of the
measurement data.
"""

import datetime as dt
from decimal import Decimal as PyDecimal
from pathlib import Path

import graphene
from graphql import GraphQLError
from graphql_relay import connection_from_array

REPO = Path(__file__).resolve().parents[3]
REGISTRY = REPO / "crates/kraken-core/src/data/error-codes-edf-gb-2026-07.yml"

FIXTURE = {}
# The markets of the EDF GB Kraken, whose schema this is (others answer KT-CT-4723).
MARKETS = ("GBR_ELECTRICITY", "GBR_GAS")
SLOT = dt.timedelta(minutes=30)
UTC = dt.timezone.utc


def configure(fixture):
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    registry = yaml.load(REGISTRY.read_text(), Loader=loader)
    FIXTURE.clear()
    FIXTURE.update(fixture)
    FIXTURE["data_end"] = dt.datetime.fromisoformat(fixture["data_end"])
    FIXTURE["registry"] = {e["code"]: e for e in registry["codes"]}
    FIXTURE["properties"] = [with_meters(p) for p in fixture["properties"]]


def with_meters(prop):
    """A scenario's property with its meters as `supply_points` ({id, market_name, device_id,
    days}): the scenario's own, or, from a simulator that gives a property one `mpan`, that
    one meter. `customer` defaults to true."""
    prop = dict(prop)
    if "supply_points" not in prop:
        prop["supply_points"] = [{
            "id": prop["mpan"],
            "market_name": prop.get("market_name", "GBR_ELECTRICITY"),
            "days": prop.get("days", 3),
        }]
    for meter in prop["supply_points"]:
        meter.setdefault("market_name", "GBR_ELECTRICITY")
        meter.setdefault("device_id", None)
        meter.setdefault("days", 3)
    prop.setdefault("customer", True)
    return prop


def same_meter(meter, asked):
    """Whether an asked identifier names this meter: the same ignoring case; an Australian
    one also without its checksum digit (NMIs are often written as 10 characters)."""
    asked = asked.strip()
    return meter["id"].lower() == asked.lower() or (
        meter["market_name"].startswith("AUS_") and len(asked) == 10
        and meter["id"][:10].lower() == asked.lower())


def is_gas(meter):
    return meter["market_name"].endswith("_GAS")


# ---------------------------------------------------------------------------------------------
# Kraken's error envelope and the Authorization header


def kraken_error(code):
    """A resolver error as Kraken raises it: message and extensions from the registry."""
    entry = FIXTURE["registry"].get(code)
    if entry is None:
        return GraphQLError(code, extensions={
            "errorType": "APPLICATION", "errorCode": code, "errorDescription": code})
    return GraphQLError(entry["message"], extensions={
        "errorType": entry["type"],
        "errorCode": code,
        "errorDescription": entry.get("description") or "",
    })


def viewer(info):
    """The viewer of this request's token, or the Kraken error that refuses its header."""
    header = info.context.META.get("HTTP_AUTHORIZATION")
    if header is None or not header.strip():
        raise kraken_error("KT-CT-1112")
    value = header.strip()
    prefix, _, rest = value.partition(" ")
    if rest:
        if prefix.lower() not in ("bearer", "jwt"):
            raise kraken_error("KT-CT-1143")
        value = rest.strip()
    found = FIXTURE["viewers"].get(value)
    if found is None:
        raise kraken_error("KT-CT-1143")
    return found


def allowed(info, permission):
    """Raise the scenario's denial unless the viewer holds `permission`."""
    if permission not in viewer(info)["permissions"]:
        raise kraken_error(FIXTURE["denial_code"])


def owned(prop):
    """Raise the scenario's object denial for a property outside the application's customers."""
    if not prop["customer"]:
        raise kraken_error(FIXTURE["object_denial_code"])


# ---------------------------------------------------------------------------------------------
# Enums and input types


class ReadingFrequencyType(graphene.Enum):
    RAW_INTERVAL = "RAW_INTERVAL"
    FIVE_MIN_INTERVAL = "FIVE_MIN_INTERVAL"
    FIFTEEN_MIN_INTERVAL = "FIFTEEN_MIN_INTERVAL"
    THIRTY_MIN_INTERVAL = "THIRTY_MIN_INTERVAL"
    HOUR_INTERVAL = "HOUR_INTERVAL"
    DAY_INTERVAL = "DAY_INTERVAL"
    WEEK_INTERVAL = "WEEK_INTERVAL"
    MONTH_INTERVAL = "MONTH_INTERVAL"
    QUARTER_INTERVAL = "QUARTER_INTERVAL"
    DAILY = "DAILY"
    POINT_IN_TIME = "POINT_IN_TIME"
    INTERVALIZED = "INTERVALIZED"


class ReadingDirectionType(graphene.Enum):
    CONSUMPTION = "CONSUMPTION"
    GENERATION = "GENERATION"


class ReadingQualityType(graphene.Enum):
    ACTUAL = "ACTUAL"
    ESTIMATE = "ESTIMATE"
    COMBINED = "COMBINED"


class ReadingTypes(graphene.Enum):
    INTERVAL = "INTERVAL"
    ACCUMULATION = "ACCUMULATION"
    PEAK = "PEAK"


class TimeGranularities(graphene.Enum):
    FIVE_MIN = "FIVE_MIN"
    FIFTEEN_MIN = "FIFTEEN_MIN"
    THIRTY_MIN = "THIRTY_MIN"
    HOUR = "HOUR"
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"
    QUARTER = "QUARTER"
    YEAR = "YEAR"


class Units(graphene.Enum):
    WATT = "WATT"
    WATT_HOURS = "WATT_HOURS"
    KILOWATT = "KILOWATT"
    KILOWATT_HOURS = "KILOWATT_HOURS"
    MEGAWATT_HOURS = "MEGAWATT_HOURS"
    METERS_CUBED = "METERS_CUBED"


def enum_name(value):
    """An enum argument's name, whether graphene hands over the member or its value."""
    return getattr(value, "name", value)


class ElectricityFiltersInput(graphene.InputObjectType):
    reading_frequency_type = ReadingFrequencyType(default_value=ReadingFrequencyType.RAW_INTERVAL)
    market_supply_point_id = graphene.String()
    device_id = graphene.String()
    reading_direction = ReadingDirectionType(default_value=ReadingDirectionType.CONSUMPTION)
    register_id = graphene.String()
    reading_quality = ReadingQualityType(default_value=ReadingQualityType.COMBINED)


class GasFiltersInput(graphene.InputObjectType):
    reading_frequency_type = ReadingFrequencyType(default_value=ReadingFrequencyType.RAW_INTERVAL)
    market_supply_point_id = graphene.String()
    device_id = graphene.String()
    register_id = graphene.String()


class UtilityFiltersInput(graphene.InputObjectType):
    electricity_filters = graphene.InputField(ElectricityFiltersInput, default_value=None)
    gas_filters = graphene.InputField(GasFiltersInput, default_value=None)


# ---------------------------------------------------------------------------------------------
# Measurements


class PageInfo(graphene.ObjectType):
    has_next_page = graphene.Boolean(required=True)
    has_previous_page = graphene.Boolean(required=True)
    start_cursor = graphene.String()
    end_cursor = graphene.String()


class ElectricityFiltersOutput(graphene.ObjectType):
    reading_direction = graphene.Field(ReadingDirectionType)
    register_id = graphene.String()
    reading_quality = graphene.Field(ReadingQualityType)
    reading_frequency_type = graphene.Field(ReadingFrequencyType)
    market_supply_point_id = graphene.String()
    device_id = graphene.String()


class EmbeddedElectricityFiltersOutput(ElectricityFiltersOutput):
    pass


class GasFiltersOutput(graphene.ObjectType):
    register_id = graphene.String()
    reading_frequency_type = graphene.Field(ReadingFrequencyType)
    market_supply_point_id = graphene.String()
    device_id = graphene.String()


class WaterFiltersOutput(graphene.ObjectType):
    market_supply_point_id = graphene.String()
    device_id = graphene.String()
    reading_frequency_type = graphene.Field(ReadingFrequencyType)


class UtilityFiltersOutput(graphene.Union):
    """All four members of the production union, as the simulator declares them."""

    class Meta:
        types = (ElectricityFiltersOutput, EmbeddedElectricityFiltersOutput, GasFiltersOutput,
                 WaterFiltersOutput)


class MeasurementsMetadataOutput(graphene.ObjectType):
    utility_filters = graphene.Field(UtilityFiltersOutput)


class MeasurementInterface(graphene.Interface):
    source = graphene.String(required=True)
    meta_data = graphene.Field(MeasurementsMetadataOutput)
    value = graphene.Decimal(required=True)
    unit = graphene.String(required=True)
    read_at = graphene.DateTime(required=True)


class IntervalMeasurementType(graphene.ObjectType):
    class Meta:
        interfaces = (MeasurementInterface,)

    start_at = graphene.DateTime(required=True)
    end_at = graphene.DateTime(required=True)
    duration_in_seconds = graphene.Int(required=True)


def connection(name, node):
    """Kraken's connection shape, `<name>Connection { pageInfo: PageInfo!, edges:
    [<name>Edge]!, totalCount: Int!, edgeCount: Int! }` with `<name>Edge { node, cursor:
    String! }`: the edge and connection types."""
    edge = type(f"{name}Edge", (graphene.ObjectType,), {
        "node": graphene.Field(node),
        "cursor": graphene.String(required=True),
    })
    connection_type = type(f"{name}Connection", (graphene.ObjectType,), {
        "page_info": graphene.Field(PageInfo, required=True),
        "edges": graphene.NonNull(graphene.List(edge)),
        "total_count": graphene.Int(required=True),
        "edge_count": graphene.Int(required=True),
    })
    return edge, connection_type


MeasurementEdge, MeasurementConnection = connection("Measurement", MeasurementInterface)


class Reading(graphene.ObjectType):
    value = graphene.Decimal()
    units = graphene.String()
    interval_start = graphene.DateTime()
    interval_end = graphene.DateTime()


ImportReadingsEdge, ImportReadingsConnection = connection("ImportReadings", Reading)


def intervals(meter, start=None, end=None):
    """The meter's half-hourly slots, oldest first, those starting in [start, end).

    The same slots as the simulator's (`days` of them ending at the data end); the values
    are this server's own (the test compares their form, not the numbers)."""
    count = meter["days"] * 48
    first = FIXTURE["data_end"] - count * SLOT
    out = []
    for i in range(count):
        begin = first + i * SLOT
        if (start is None or begin >= start) and (end is None or begin < end):
            out.append((begin, begin + SLOT, PyDecimal(100 + (i * 7) % 300) / 1000))
    return out


def paginate(items, node, edge_type, connection_type, **args):
    """A Relay connection over `items`, sliced by graphql-relay as graphene's own connections
    are (its cursors, its page info, its error for a negative `first` or `last`)."""
    connection = connection_from_array(
        items, args,
        connection_type=lambda edges, pageInfo: (edges, pageInfo),
        edge_type=lambda node, cursor: edge_type(node=node, cursor=cursor),
        page_info_type=lambda startCursor, endCursor, hasPreviousPage, hasNextPage: PageInfo(
            start_cursor=startCursor, end_cursor=endCursor,
            has_previous_page=hasPreviousPage, has_next_page=hasNextPage),
    )
    edges, page_info = connection
    for edge in edges:
        edge.node = node(edge.node)
    return connection_type(page_info=page_info, edges=edges,
                           total_count=len(items), edge_count=len(edges))


def as_utc(value):
    """A DateTime argument as an aware instant: a naive one is read as UTC, as Kraken does."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def passes(filters, meter):
    """Whether a meter passes a `utilityFilters` list, as the simulator decides: an empty list
    passes every meter; else one entry must: `electricityFilters` an electricity meter,
    `gasFilters` a gas one, each with the identifier and device asked for (consumption only)."""
    def matches(f):
        wanted, device = f.get("market_supply_point_id"), f.get("device_id")
        return (wanted is None or same_meter(meter, wanted)) \
            and (device is None or device == meter["device_id"]) \
            and enum_name(f.get("reading_direction")) != "GENERATION"

    def entry_passes(entry):
        electricity, gas = entry.get("electricity_filters"), entry.get("gas_filters")
        if electricity is None and gas is None:
            return True
        return (electricity is not None and not is_gas(meter) and matches(electricity)) or \
            (gas is not None and is_gas(meter) and matches(gas))

    return not filters or any(entry is not None and entry_passes(entry) for entry in filters)


def measurement_node(slot):
    """A (meter, slot) as an IntervalMeasurementType, with the meter in its metadata."""
    meter, (begin, end, value) = slot
    if is_gas(meter):
        filters = GasFiltersOutput(
            reading_frequency_type=ReadingFrequencyType.THIRTY_MIN_INTERVAL,
            market_supply_point_id=meter["id"], device_id=meter["device_id"])
    else:
        filters = ElectricityFiltersOutput(
            reading_direction=ReadingDirectionType.CONSUMPTION,
            reading_quality=ReadingQualityType.ACTUAL,
            reading_frequency_type=ReadingFrequencyType.THIRTY_MIN_INTERVAL,
            market_supply_point_id=meter["id"], device_id=meter["device_id"])
    return IntervalMeasurementType(
        source="NEM12" if meter["market_name"].startswith("AUS_") else "DCC",
        value=value, unit="m3" if is_gas(meter) else "kwh", read_at=end,
        start_at=begin, end_at=end, duration_in_seconds=int((end - begin).total_seconds()),
        meta_data=MeasurementsMetadataOutput(utility_filters=filters),
    )


# Kraken's defaults (the production schema's, verbatim): a DateTime range that covers all time.
MEASUREMENTS_START = dt.datetime(1, 1, 3, tzinfo=dt.timezone(-dt.timedelta(minutes=1, seconds=15)))
MEASUREMENTS_END = dt.datetime(9999, 12, 29, 23, 59, 59, 999999, tzinfo=UTC)


class PropertyType(graphene.ObjectType):
    """A property of the fixture: a dict, whose keys graphene's default resolver reads."""

    id = graphene.String()
    postcode = graphene.String(required=True)
    address = graphene.String()
    measurements = graphene.Field(
        MeasurementConnection,
        start_at=graphene.DateTime(default_value=MEASUREMENTS_START),
        end_at=graphene.DateTime(default_value=MEASUREMENTS_END),
        start_on=graphene.Date(),
        end_on=graphene.Date(),
        timezone=graphene.String(default_value="Europe/London"),
        utility_filters=graphene.List(UtilityFiltersInput, default_value=[]),
        before=graphene.String(),
        after=graphene.String(),
        first=graphene.Int(),
        last=graphene.Int(),
    )

    @staticmethod
    def resolve_measurements(prop, info, start_at=None, end_at=None, start_on=None,
                             end_on=None, timezone=None, utility_filters=None, **page):
        allowed(info, "CAN_VIEW_DETAILED_USAGE")
        owned(prop)
        starts = [as_utc(start_at)] if start_at else []
        ends = [as_utc(end_at)] if end_at else []
        if start_on:
            starts.append(dt.datetime.combine(start_on, dt.time(), UTC))
        if end_on:
            ends.append(dt.datetime.combine(end_on + dt.timedelta(days=1), dt.time(), UTC))
        start, end = max(starts, default=None), min(ends, default=None)
        items = [(meter, slot) for meter in prop["supply_points"]
                 if passes(utility_filters, meter) for slot in intervals(meter, start, end)]
        # The meters' slots merged in time order (a stable sort: meters in their order).
        items.sort(key=lambda item: item[1][0])
        return paginate(items, measurement_node, MeasurementEdge, MeasurementConnection, **page)


# ---------------------------------------------------------------------------------------------
# Supply points, search, viewer, rate limits


class Readings(graphene.ObjectType):
    import_readings = graphene.Field(
        ImportReadingsConnection,
        before=graphene.String(), after=graphene.String(),
        first=graphene.Int(), last=graphene.Int(),
    )

    @staticmethod
    def resolve_import_readings(readings, info, **page):
        meter, items = readings
        units = "METERS_CUBED" if is_gas(meter) else "KILOWATT_HOURS"

        def node(slot):
            begin, end, value = slot
            return Reading(value=value, units=units, interval_start=begin, interval_end=end)
        return paginate(items, node, ImportReadingsEdge, ImportReadingsConnection, **page)


class SupplyPointType(graphene.ObjectType):
    """A (property, meter) pair of the fixture."""

    id = graphene.ID(required=True)
    market_name = graphene.String(required=True)
    external_identifier = graphene.String()
    property = graphene.Field(PropertyType)
    readings = graphene.Field(
        Readings,
        start_at=graphene.DateTime(required=True),
        end_at=graphene.DateTime(required=True),
        reading_type=ReadingTypes(required=True),
        time_granularity=TimeGranularities(),
        timezone=graphene.String(default_value="Europe/London"),
        units=graphene.List(Units),
    )

    @staticmethod
    def resolve_id(point, info):
        prop, meter = point
        return f"supply-point-{prop['id']}-{meter['id']}"

    @staticmethod
    def resolve_market_name(point, info):
        return point[1]["market_name"]

    @staticmethod
    def resolve_external_identifier(point, info):
        return point[1]["id"]

    @staticmethod
    def resolve_property(point, info):
        return point[0]

    @staticmethod
    def resolve_readings(point, info, start_at, end_at, reading_type, time_granularity=None,
                         timezone=None, units=None):
        prop, meter = point
        allowed(info, "CAN_VIEW_DETAILED_USAGE")
        owned(prop)
        names = [enum_name(u) for u in units or []]
        units_ok = not names or "KILOWATT_HOURS" in names or "METERS_CUBED" in names
        if enum_name(reading_type) == "INTERVAL" and units_ok:
            return meter, intervals(meter, as_utc(start_at), as_utc(end_at))
        return meter, []


class PropertySearchResult(graphene.ObjectType):
    score = graphene.Decimal(required=True)
    property = graphene.Field(PropertyType, required=True)


class ThirdPartyPermission(graphene.ObjectType):
    permission = graphene.String()


class ThirdPartyOrganizationType(graphene.ObjectType):
    name = graphene.String(required=True)
    permissions = graphene.List(ThirdPartyPermission)


class PointsAllowanceRateLimitInformation(graphene.ObjectType):
    limit = graphene.Int()
    remaining_points = graphene.Int()
    used_points = graphene.Int()
    ttl = graphene.Int()
    is_blocked = graphene.Boolean()


class CombinedRateLimitInformation(graphene.ObjectType):
    points_allowance_rate_limit = graphene.Field(PointsAllowanceRateLimitInformation)


class AccountType(graphene.ObjectType):
    number = graphene.String()


class Query(graphene.ObjectType):
    property = graphene.Field(PropertyType, id=graphene.ID(required=True))
    properties_search = graphene.NonNull(
        graphene.List(graphene.NonNull(PropertySearchResult)),
        search_term=graphene.String(required=True),
    )
    supply_point = graphene.Field(
        SupplyPointType,
        external_identifier=graphene.String(required=True),
        market_name=graphene.String(required=True),
    )
    rate_limit_info = graphene.Field(CombinedRateLimitInformation)
    account = graphene.Field(AccountType, account_number=graphene.String(required=True))
    third_party_viewer = graphene.Field(ThirdPartyOrganizationType)

    @staticmethod
    def resolve_property(root, info, id):
        allowed(info, "CAN_QUERY_PROPERTY")
        for prop in FIXTURE["properties"]:
            if prop["id"] == id:
                owned(prop)
                return prop
        raise kraken_error("KT-CT-12612")

    @staticmethod
    def resolve_properties_search(root, info, search_term):
        allowed(info, "CAN_QUERY_PROPERTY")
        term = search_term.strip().lower()
        if not term:
            return []
        results = []
        for prop in FIXTURE["properties"]:
            if any(same_meter(meter, term) for meter in prop["supply_points"]):
                score = "1.0"
            elif term in prop["address"].lower() or term in prop["postcode"].lower():
                score = "0.8"
            else:
                continue
            results.append(PropertySearchResult(score=PyDecimal(score), property=prop))
        return results

    @staticmethod
    def resolve_supply_point(root, info, external_identifier, market_name):
        allowed(info, "CAN_QUERY_PROPERTY")
        if market_name not in MARKETS:
            raise kraken_error("KT-CT-4723")
        for prop in FIXTURE["properties"]:
            for meter in prop["supply_points"]:
                if meter["market_name"] == market_name and same_meter(meter, external_identifier):
                    return prop, meter
        raise kraken_error("KT-CT-4719")

    @staticmethod
    def resolve_rate_limit_info(root, info):
        viewer(info)
        FIXTURE["requests"] = FIXTURE.get("requests", 0) + 1
        used = FIXTURE["requests"]
        next_hour = (int(dt.datetime.now(UTC).timestamp()) // 3600 + 1) * 3600
        return CombinedRateLimitInformation(
            points_allowance_rate_limit=PointsAllowanceRateLimitInformation(
                limit=300_000, remaining_points=300_000 - used, used_points=used,
                ttl=next_hour, is_blocked=False))

    @staticmethod
    def resolve_account(root, info, account_number):
        viewer(info)
        raise kraken_error("KT-CT-4177")

    @staticmethod
    def resolve_third_party_viewer(root, info):
        found = viewer(info)
        return ThirdPartyOrganizationType(
            name=found["name"],
            permissions=[ThirdPartyPermission(permission=p) for p in found["permissions"]],
        )


# IntervalMeasurementType is reached only through its interface: name it, or graphene leaves it out.
schema = graphene.Schema(query=Query, types=[IntervalMeasurementType])

