//! One integration-test binary, a module per area (faster to build than one binary per file).

mod checklist;
mod common;
mod explain;
mod fuzz;
mod perf;
mod scenarios;
mod sim;
