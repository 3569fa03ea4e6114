//! The integration tests: one binary, one module per area (style.md #13).

mod explain;
