//! The Kraken facts that kraken-doctor (the checker) and kraken-sim (the simulator) share:
//! header forms, permissions and presets ([`model`]), identifier rules ([`identifiers`]), the
//! published error registry ([`catalogue`]) and what each error means ([`codes`]), the
//! [`secret::Secret`] wrapper, and civil-date arithmetic ([`time`]).
//!
//! This crate depends on neither of them: both depend on it.

pub mod catalogue;
pub mod codes;
pub mod identifiers;
pub mod model;
pub mod secret;
pub mod time;
