//! `kraken-doctor man [COMMAND]`: the manual page, rendered (roff) from the clap definitions
//! so it cannot drift from `--help` — the overview naming every command, or one command's
//! page with all its flags.

use super::{print_result, usage_error};
use crate::exit::Exit;

/// The man page of the program, or of `command`; `Err` names the commands when `command` is
/// not one of them.
pub fn page(command: Option<&str>) -> Result<String, String> {
    let mut cli = super::cli_command().disable_help_subcommand(true);
    // Built, the commands carry their full names (`kraken-doctor-check`) into the title.
    cli.build();
    let cmd = match command {
        None => cli,
        Some(name) => match cli.find_subcommand(name) {
            Some(sub) => sub.clone(),
            None => {
                let names: Vec<&str> = cli.get_subcommands().map(|s| s.get_name()).collect();
                return Err(format!(
                    "no command '{name}'; commands: {}",
                    names.join(", ")
                ));
            }
        },
    };
    let mut bytes = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut bytes)
        .map_err(|e| format!("cannot render the man page: {e}"))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `kraken-doctor man [COMMAND]`.
pub fn run(command: Option<&str>) -> Exit {
    match page(command) {
        Ok(page) => {
            print_result(&page);
            Exit::Clean
        }
        Err(e) => usage_error(e),
    }
}
