//! `kraken-doctor completions SHELL`: a completion script generated from the clap
//! definitions, so it offers what they declare — presets for `--kraken`, check ids and groups
//! for `--only`/`--skip`, the formats, the simulator's scenarios — and file names only where a
//! path is expected.
//!
//! Bash needs one correction. clap_complete (4.6.12 and earlier, clap-rs/clap#6421) spells the
//! state of a hyphenated program name two ways: the loop that reads the words sets
//! `cmd="kraken__doctor__subcmd__check"`, the arms wait for `kraken__subcmd__doctor__subcmd__check`,
//! so nothing past the command completed. The script is therefore generated for a name without
//! a hyphen ([`BASH_NAME`]), whose two spellings agree, and registered for `kraken-doctor`: the
//! function reads the program's name from its own arguments, so it serves either name.

use super::print_result;
use crate::exit::Exit;

/// The program's name, as typed.
const BIN: &str = "kraken-doctor";

/// The name the bash script is generated for (see the module comment).
const BASH_NAME: &str = "kraken_doctor";

/// The script for `shell`.
pub fn script(shell: clap_complete::Shell) -> String {
    match shell {
        clap_complete::Shell::Bash => {
            let generated = generate(shell, BASH_NAME);
            register_bash(&generated, BASH_NAME, BIN).unwrap_or_else(|| {
                panic!("clap_complete's bash script no longer ends in `complete ... {BASH_NAME}`")
            })
        }
        _ => generate(shell, BIN),
    }
}

fn generate(shell: clap_complete::Shell, name: &str) -> String {
    let mut bytes = Vec::new();
    clap_complete::generate(shell, &mut super::cli_command(), name, &mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// The script with its `complete -F _<generated> ... <generated>` registrations naming
/// `bin` instead; `None` unless every registration line ends so (and there is one).
fn register_bash(script: &str, generated: &str, bin: &str) -> Option<String> {
    let head = format!("complete -F _{generated} ");
    let tail = format!(" {generated}");
    let mut registrations = 0;
    let mut out = String::with_capacity(script.len());
    for line in script.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        if body.trim_start().starts_with("complete ") {
            let rest = body.trim_start().strip_prefix(&head)?;
            let options = rest.strip_suffix(&tail)?;
            let indent = &body[..body.len() - body.trim_start().len()];
            out.push_str(&format!("{indent}{head}{options} {bin}\n"));
            registrations += 1;
        } else {
            out.push_str(line);
        }
    }
    (registrations > 0).then_some(out)
}

/// `kraken-doctor completions SHELL`.
pub fn run(shell: clap_complete::Shell) -> Exit {
    print_result(&script(shell));
    Exit::Clean
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bash_script_registers_the_program_and_its_states_agree() {
        let bash = script(clap_complete::Shell::Bash);
        let registrations: Vec<&str> = bash
            .lines()
            .filter(|l| l.trim_start().starts_with("complete "))
            .collect();
        assert_eq!(registrations.len(), 2, "{registrations:?}");
        for line in registrations {
            assert!(line.ends_with(" kraken-doctor"), "{line}");
        }
        // Every state the loop sets has an arm.
        for state in bash
            .lines()
            .filter_map(|l| l.trim().strip_prefix("cmd=\""))
            .filter_map(|s| s.strip_suffix('"'))
            .filter(|s| !s.is_empty())
        {
            assert!(
                bash.contains(&format!("\n        {state})\n")),
                "no arm for {state}"
            );
        }
    }

    #[test]
    fn a_changed_registration_is_refused_not_guessed() {
        assert_eq!(
            register_bash("complete -F _x -o default y\n", "x", "z"),
            None
        );
        assert_eq!(register_bash("no registration\n", "x", "z"), None);
    }
}
