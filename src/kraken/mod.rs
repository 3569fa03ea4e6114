//! The client side of Kraken: token endpoint and GraphQL transport. The facts the client and
//! the simulator share (error registry and its classification, identifiers, header forms,
//! permissions, presets) live in the `kraken-core` crate and are re-exported here.

pub mod graphql;
pub mod http;
pub mod token;

pub use kraken_core::{catalogue, codes, identifiers, model};
