//! `kraken-doctor demo`: the plumbing — each scenario of [`crate::demo::SCENARIOS`] in turn,
//! its section printed as it is ready. What a section says belongs to [`crate::demo`].

use super::{print_note, print_result};
use crate::cli::ReportFormat;
use crate::exit::Exit;

/// `kraken-doctor demo`.
pub fn run(format: ReportFormat, color: bool) -> Exit {
    let rt = super::runtime();
    let mut all_ran = true;
    for (i, name) in crate::demo::SCENARIOS.iter().enumerate() {
        match rt.block_on(crate::demo::run_scenario(name, format, color)) {
            Ok(section) => {
                if i > 0 && format == ReportFormat::Human {
                    print_result("\n");
                }
                print_result(&section);
            }
            Err(e) => {
                print_note(&format!("kraken-doctor demo: scenario {name}: {e}"));
                all_ran = false;
            }
        }
    }
    if format == ReportFormat::Human {
        print_result(
            "\nThat was the simulator. To check a real application:\n  \
             KRAKEN_CLIENT_SECRET=… kraken-doctor check --kraken edf-gb --client-id YOUR_ID --supply-point MPAN\n\
             To try your own integration offline: kraken-doctor sim --scenario healthy\n",
        );
    }
    // The demo's verdicts are the point of it; only a scenario that could not run is not clean.
    if all_ran {
        Exit::Clean
    } else {
        Exit::Undecided
    }
}
