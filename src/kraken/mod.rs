//! The client side of Kraken: error catalogue, token endpoint, GraphQL transport.

pub mod catalogue;
