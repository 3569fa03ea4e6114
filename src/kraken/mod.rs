//! The client side of Kraken: error catalogue, token endpoint, GraphQL transport.

pub mod catalogue;
pub mod graphql;
pub mod http;
pub mod token;
