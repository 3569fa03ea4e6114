//! `kraken-doctor list-checks`: the registry of checks, one line each — id, doc steps, title.

use super::print_result;
use crate::checks;
use crate::exit::Exit;

/// `kraken-doctor list-checks`.
pub fn run() -> Exit {
    let mut text = String::new();
    let width = checks::all()
        .iter()
        .map(|c| c.id.as_str().len())
        .max()
        .unwrap_or(0);
    for c in checks::all() {
        let steps = c.steps_text();
        text.push_str(&format!(
            "{:<width$}  step {:<8} {}\n",
            c.id, steps, c.title
        ));
    }
    print_result(&text);
    Exit::Clean
}
