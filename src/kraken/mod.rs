//! The client side of Kraken: error catalogue, token endpoint, GraphQL transport, and the
//! model the client and the simulator share.

pub mod catalogue;
pub mod codes;
pub mod graphql;
pub mod http;
pub mod identifiers;
pub mod model;
pub mod token;
