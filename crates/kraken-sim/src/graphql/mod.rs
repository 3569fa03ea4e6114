//! The simulated Kraken GraphQL API at `/v1/graphql/`: a real GraphQL engine (async-graphql)
//! over a faithful subset of a production Kraken's schema, built per scenario, answering as a
//! Kraken on graphene-django does: resolver errors with HTTP 200 in Kraken's envelope; what
//! graphql-core refuses before execution (syntax, validation, variables) in its words and at
//! its locations, with HTTP 200 (Kraken's conventions) or 400 (graphene-django's default).
//!
//! - [`types`] and [`schema`]: the types, built per scenario (schema release, fields present
//!   or not);
//! - [`resolvers`] and [`measurements`]: what each field answers; [`access`]: who may read it;
//! - [`handler`]: the HTTP side; [`request`]: what graphql-core does before execution
//!   (parse, validation, the operation, variables), in its words;
//! - [`errors`]: Kraken's error envelope and its shapes; [`nulls`]: null propagation;
//!   [`connection`]: relay pagination.

mod access;
mod connection;
mod errors;
mod handler;
mod measurements;
mod nulls;
mod request;
mod resolvers;
mod schema;
mod types;

pub(crate) use errors::rate_limited;
pub(crate) use handler::handler;

use crate::scenario::{ApiChoices, FieldError};

/// The executable schema of one simulator.
pub(crate) struct Api {
    schema: async_graphql::dynamic::Schema,
}

impl Api {
    pub(crate) fn new(choices: &ApiChoices) -> Api {
        Api {
            schema: schema::build(choices),
        }
    }
}

/// The schema the simulator serves with these `[api]` choices, as SDL: for the proof that it
/// is a faithful subset of the production schema it follows.
pub fn sdl(choices: &ApiChoices) -> String {
    schema::build(choices).sdl()
}

/// Whether the API served with these choices has the field a `field_errors` entry names.
pub(crate) fn serves_field(choices: &ApiChoices, entry: &FieldError) -> bool {
    let schema = schema::build(choices);
    schema.registry().types.iter().any(|(owner, ty)| {
        !owner.starts_with("__")
            && ty.fields().is_some_and(|fields| {
                fields
                    .keys()
                    .any(|field| !field.starts_with("__") && entry.names(owner, field))
            })
    })
}

/// What each stage of a GraphQL request costs, by hand (`cargo test -p kraken-sim --release
/// stages -- --ignored --nocapture`): the best of many runs of each, so that a busy machine
/// matters less. No assertion on time.
#[cfg(test)]
mod stages {
    use std::time::{Duration, Instant};

    use super::*;

    const QUERY: &str = "query KrakenDoctorMeasurements($propertyId: ID!) { property(id: \
                         $propertyId) { id measurements(first: 1) { edges { node { value unit \
                         readAt ... on IntervalMeasurementType { startAt endAt \
                         durationInSeconds } } } } } }";

    fn best(mut f: impl FnMut()) -> Duration {
        (0..300)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .min()
            .unwrap_or_default()
    }

    #[test]
    #[ignore = "a measurement, run by hand"]
    fn stages() {
        let schema = schema::build(&ApiChoices::default());
        let registry = schema.registry();
        let vars = serde_json::json!({"propertyId": "1"});
        let grammar = best(|| assert!(std::hint::black_box(request::grammar_only(QUERY))));
        let parse = best(|| drop(request::parse(QUERY).unwrap()));
        let parsed = request::parse(QUERY).unwrap();
        let prepare = best(|| drop(parsed.prepare(registry, None, Some(&vars)).unwrap()));
        let ready = parsed.prepare(registry, None, Some(&vars)).unwrap();
        let lower = best(|| drop(parsed.executed(&ready).unwrap()));
        let engine_parse = best(|| drop(async_graphql::parser::parse_query(QUERY).unwrap()));
        let doc = parsed.executed(&ready).unwrap().document;
        let clone = best(|| drop(doc.clone()));
        eprintln!(
            "port grammar {grammar:?} (of port parse {parse:?}), port validate+coerce \
             {prepare:?}, lowering to the engine's tree {lower:?} (an engine parse would be \
             {engine_parse:?}), document clone {clone:?}"
        );
    }
}
