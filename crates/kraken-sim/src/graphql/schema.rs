//! The simulated schema, built for each scenario from its `[api]` choices: a faithful subset of
//! a production Kraken schema (same type, field and argument names and types; the tests hold
//! it to `tests/data/`). Built at run time (async-graphql's dynamic schema) so that a field a
//! Kraken release lacks is absent everywhere at once: validation, execution and introspection.
//! The types are SDL-like tables in [`super::types`]; the logic behind fields with arguments
//! lives in [`super::resolvers`] and [`super::measurements`].

use async_graphql::dynamic::{
    Enum, Field, FieldFuture, InputObject, InputValue, Interface, InterfaceField, Object,
    ResolverContext, Scalar, Schema, SchemaError, TypeRef, Union,
};

use async_graphql::{Name, ValidationMode, Value};

use super::access::viewer;
use super::errors::kraken_error;
use super::measurements as m;
use super::resolvers::{self as r, Answer};
use super::types::*;
use crate::scenario::{ApiChoices, SchemaFlavour, ViewerMode};

/// A field's logic: synchronous, as the simulator's data is in memory.
pub(super) type Resolve = for<'a> fn(&ResolverContext<'a>) -> Answer<'a>;

/// `String!`, `[MeasurementEdge]!`, … as a type reference.
fn ty(s: &str) -> TypeRef {
    if let Some(inner) = s.strip_suffix('!') {
        TypeRef::NonNull(Box::new(ty(inner)))
    } else if let Some(inner) = s.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
        TypeRef::List(Box::new(ty(inner)))
    } else {
        TypeRef::named(s)
    }
}

/// The schema builder for one scenario's choices.
struct Build<'a> {
    api: &'a ApiChoices,
}

impl Build<'_> {
    /// A field of `owner`. One that `[api] field_errors` names answers its code instead,
    /// once the token is accepted.
    fn field(&self, owner: &str, name: &str, ty_: &str, resolve: Resolve) -> Field {
        let error = self
            .api
            .field_errors
            .iter()
            .find(|e| e.names(owner, name))
            .map(|e| e.code.clone());
        Field::new(name, ty(ty_), move |ctx| {
            let error = error.clone();
            FieldFuture::new(async move {
                let answer = match error {
                    Some(code) => viewer(&ctx).and_then(|_| Err(kraken_error(&code))),
                    None => resolve(&ctx),
                };
                // An error lands at this field's path, the field `null` (the dynamic engine
                // would drop the path); a non-null field's null is propagated by `nulls`.
                answer.or_else(|e| {
                    ctx.add_error(ctx.set_error_path(e.into_server_error(ctx.item.pos)));
                    Ok(None)
                })
            })
        })
    }

    /// An argument (`coordinate` is `Type.field(argument)`) or input field (`Input.field`),
    /// with the default the production schema declares for it.
    fn input(&self, coordinate: &str, name: &str, ty_: &str) -> InputValue {
        let value = InputValue::new(name, ty(ty_));
        match default_value(self.api.schema, coordinate) {
            // A GraphQL default is JSON but for an enum value's bare name.
            Some(d) => value.default_value(match serde_json::from_str(d) {
                Ok(json) => Value::from_json(json).unwrap_or(Value::Null),
                Err(_) => Value::Enum(Name::new(d)),
            }),
            None => value,
        }
    }

    /// A field with arguments.
    fn with_args(
        &self,
        owner: &str,
        name: &str,
        ty_: &str,
        args: &[(&str, &str)],
        resolve: Resolve,
    ) -> Field {
        args.iter()
            .fold(self.field(owner, name, ty_, resolve), |f, (a, t)| {
                f.argument(self.input(&format!("{owner}.{name}({a})"), a, t))
            })
    }

    /// An object type whose fields are all read from the parent value.
    fn plain(&self, name: &str, fields: &[(&str, &str)]) -> Object {
        fields.iter().fold(Object::new(name), |o, (f, t)| {
            o.field(self.field(name, f, t, r::plain))
        })
    }

    fn query(&self) -> Object {
        let property_args: &[(&str, &str)] = match self.api.schema {
            SchemaFlavour::EdfGb => &[("id", "ID!")],
            SchemaFlavour::OriginAu => &[("id", "ID"), ("mirn", "ID"), ("nmi", "ID")],
        };
        let mut q = Object::new("Query")
            .field(self.with_args(
                "Query",
                "property",
                "PropertyType",
                property_args,
                r::property,
            ))
            .field(self.with_args(
                "Query",
                "propertiesSearch",
                "[PropertySearchResult!]!",
                &[("searchTerm", "String!")],
                r::properties_search,
            ));
        if self.api.supply_point_field {
            q = q.field(self.with_args(
                "Query",
                "supplyPoint",
                "SupplyPointType",
                &[("externalIdentifier", "String!"), ("marketName", "String!")],
                r::supply_point,
            ));
        }
        q = q
            .field(self.field(
                "Query",
                "rateLimitInfo",
                "CombinedRateLimitInformation",
                r::rate_limit_info,
            ))
            .field(self.with_args(
                "Query",
                "account",
                "AccountType",
                &[("accountNumber", "String!")],
                r::account,
            ));
        if self.api.third_party_viewer != ViewerMode::Absent {
            q = q.field(self.field(
                "Query",
                "thirdPartyViewer",
                "ThirdPartyOrganizationType",
                r::third_party_viewer,
            ));
        }
        q
    }

    fn objects(&self) -> Vec<Object> {
        let mut viewer_fields = vec![("name", "String!")];
        if self.api.viewer_permissions_field {
            viewer_fields.push(("permissions", "[ThirdPartyPermission]"));
        }
        let interval = MEASUREMENT
            .iter()
            .chain(INTERVAL)
            .copied()
            .collect::<Vec<_>>();
        let mut objects: Vec<Object> = PLAIN.iter().map(|(n, f)| self.plain(n, f)).collect();
        objects.extend([
            self.query(),
            self.plain("ThirdPartyOrganizationType", &viewer_fields),
            self.plain("IntervalMeasurementType", &interval)
                .implement("MeasurementInterface"),
            self.plain(
                "PropertyType",
                &[
                    ("id", "String"),
                    ("postcode", "String!"),
                    ("address", "String"),
                ],
            )
            .field(self.with_args(
                "PropertyType",
                "measurements",
                "MeasurementConnection",
                MEASUREMENTS_ARGS,
                m::measurements,
            )),
            self.plain(
                "SupplyPointType",
                &[
                    ("id", "ID!"),
                    ("marketName", "String!"),
                    ("externalIdentifier", "String"),
                ],
            )
            .field(self.with_args(
                "SupplyPointType",
                "readings",
                "Readings",
                READINGS_ARGS,
                m::readings,
            ))
            .field(self.field("SupplyPointType", "property", "PropertyType", r::plain)),
            Object::new("Readings").field(self.with_args(
                "Readings",
                "importReadings",
                "ImportReadingsConnection",
                PAGE_ARGS,
                m::import_readings,
            )),
        ]);
        objects
    }

    fn inputs(&self) -> Vec<InputObject> {
        let input = |name: &str, fields: &[(&str, &str)]| {
            fields.iter().fold(InputObject::new(name), |o, (f, t)| {
                o.field(self.input(&format!("{name}.{f}"), f, t))
            })
        };
        let mut filters = vec![("electricityFilters", "ElectricityFiltersInput")];
        let mut inputs = vec![input("ElectricityFiltersInput", ELECTRICITY_INPUT)];
        if self.api.schema == SchemaFlavour::EdfGb {
            filters.push(("gasFilters", "GasFiltersInput"));
            inputs.push(input("GasFiltersInput", GAS_INPUT));
        }
        inputs.push(input("UtilityFiltersInput", &filters));
        inputs
    }

    fn finish(self) -> Result<Schema, SchemaError> {
        // graphql-core's validation runs in front (`super::request`); the engine's own would
        // only disagree with it. graphql-core executes what its parser lets through (selection
        // sets nested up to its bound); the engine's default depth limit (32) would refuse a
        // document graphene answers.
        let mut b = Schema::build("Query", None, None)
            .validation_mode(ValidationMode::Fast)
            .limit_recursive_depth(super::request::MAX_NESTING);
        for (name, valid) in SCALARS {
            b = b.register(Scalar::new(*name).validator(*valid));
        }
        for (name, items) in ENUMS {
            b = b.register(Enum::new(*name).items(items.iter().copied()));
        }
        let interface = MEASUREMENT
            .iter()
            .fold(Interface::new("MeasurementInterface"), |i, (f, t)| {
                i.field(InterfaceField::new(*f, ty(t)))
            });
        let union = [
            "ElectricityFiltersOutput",
            "EmbeddedElectricityFiltersOutput",
            "GasFiltersOutput",
            "WaterFiltersOutput",
        ]
        .into_iter()
        .fold(Union::new("UtilityFiltersOutput"), |u, t| {
            u.possible_type(t)
        });
        b = b.register(interface).register(union);
        for input in self.inputs() {
            b = b.register(input);
        }
        for object in self.objects() {
            b = b.register(object);
        }
        b.finish()
    }
}

/// The executable schema for these choices.
pub(super) fn build(api: &ApiChoices) -> Schema {
    match (Build { api }).finish() {
        Ok(schema) => schema,
        // The tables above are fixed: a test builds every variant, so this cannot reach users.
        Err(e) => panic!("the simulator's schema does not build: {e:?}"),
    }
}
