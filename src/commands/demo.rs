//! `kraken-doctor demo`: the plumbing — run [`crate::demo`] and print what it renders. What
//! the demo says belongs to [`crate::demo`].

use super::{print_note, print_result};
use crate::exit::Exit;
use crate::report::{Look, ReportFormat};

/// `kraken-doctor demo`.
pub fn run(format: ReportFormat, color: bool) -> Exit {
    let demo = super::runtime().block_on(crate::demo::run(format, &Look::stdout(color)));
    print_result(&demo.text);
    for e in &demo.errors {
        print_note(&format!("kraken-doctor demo: {e}"));
    }
    // The demo's verdicts are the point of it; only a scenario that could not run is not clean.
    if demo.errors.is_empty() {
        Exit::Clean
    } else {
        Exit::Undecided
    }
}
