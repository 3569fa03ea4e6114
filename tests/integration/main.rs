//! One integration-test binary, a module per area (faster to build than one binary per file).

mod action;
mod architecture;
mod at_the_terminal;
mod checklist;
mod cli;
mod common;
mod completions;
mod credentials;
mod explain;
mod faults;
mod faults_said;
mod fuzz;
mod guide;
mod interop;
mod interop_graphql;
mod interop_support;
mod interrupt;
mod man;
mod openmetrics;
mod package;
mod perf;
mod repo;
mod report;
mod scenarios;
mod sim;
mod support;
