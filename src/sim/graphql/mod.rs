//! The simulated Kraken GraphQL API at `/v1/graphql/`: a real GraphQL engine (async-graphql)
//! over a faithful subset of a production Kraken's schema, built per scenario, answering as a
//! Kraken on graphene-django does: resolver errors with HTTP 200 in Kraken's envelope, parse
//! and validation errors in graphql-core's words with HTTP 200 (Kraken's conventions) or 400
//! (graphene-django's default).
//!
//! - [`types`] and [`schema`]: the types, built per scenario (schema release, fields present
//!   or not);
//! - [`resolvers`] and [`measurements`]: what each field answers; [`access`]: who may read it;
//! - [`handler`]: the HTTP side; [`wording`]: graphql-core's messages;
//! - [`errors`]: Kraken's error envelope and its shapes; [`nulls`]: null propagation;
//!   [`connection`]: relay pagination.

mod access;
mod connection;
mod errors;
mod handler;
mod measurements;
mod nulls;
mod resolvers;
mod schema;
mod types;
mod wording;

pub(crate) use errors::rate_limited;
pub(crate) use handler::handler;

use crate::sim::scenario::{ApiChoices, FieldError};

/// The executable schema of one simulator, and its SDL (read for graphql-core's wording).
pub(crate) struct Api {
    schema: async_graphql::dynamic::Schema,
    sdl: String,
}

impl Api {
    pub(crate) fn new(choices: &ApiChoices) -> Api {
        let schema = schema::build(choices);
        let sdl = schema.sdl();
        Api { schema, sdl }
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
