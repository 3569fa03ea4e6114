//! The client side of Kraken: error catalogue, token endpoint, GraphQL transport.

pub mod catalogue;
pub mod http;
pub mod graphql;
pub mod token;
