//! The exit codes, their meaning, and how a run's statuses map to one. Every command exits
//! through [`Exit`]; `--help`, the human report and the README table read [`Exit::ALL`].
//! A leaf: it knows counts and codes, not the report model (`report::summary` calls it).

use std::process::ExitCode;

/// How a kraken-doctor process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Exit {
    /// Nothing failed or errored (warnings allowed unless `--strict`).
    Clean = 0,
    /// At least one check failed: the setup needs a fix.
    Failed = 1,
    /// Usage or configuration error: nothing was sent.
    Usage = 2,
    /// No failure, but at least one check could not be decided.
    Undecided = 3,
    /// `guide` was quit or could not finish its walk: not every step was verified.
    Unfinished = 4,
    /// `check` was interrupted (Ctrl-C, SIGTERM): the reports hold what was decided.
    Interrupted = 130,
}

impl Exit {
    /// Every code, in numeric order.
    pub const ALL: [Exit; 6] = [
        Exit::Clean,
        Exit::Failed,
        Exit::Usage,
        Exit::Undecided,
        Exit::Unfinished,
        Exit::Interrupted,
    ];

    /// The codes `token` can end with.
    pub const TOKEN: [Exit; 4] = [Exit::Clean, Exit::Failed, Exit::Usage, Exit::Undecided];

    /// The codes `guide` can end with: every one ([`Exit::Unfinished`] is its own).
    pub const GUIDE: [Exit; 6] = Exit::ALL;

    /// The codes `check` can end with (`token` has all but [`Exit::Interrupted`], `guide`
    /// adds [`Exit::Unfinished`]).
    pub const CHECK: [Exit; 5] = [
        Exit::Clean,
        Exit::Failed,
        Exit::Usage,
        Exit::Undecided,
        Exit::Interrupted,
    ];

    /// The codes `demo`, `sim` and `explain` can end with: done, a usage error (an unknown
    /// scenario, code or address), or what could not be done (a scenario that could not run,
    /// stdout that could not be written, a certificate that could not be written).
    pub const SERVE: [Exit; 3] = [Exit::Clean, Exit::Usage, Exit::Undecided];

    /// The codes of the commands that only print (`list-checks`, `completions`, `man`):
    /// printed, or a usage error.
    pub const PRINT: [Exit; 2] = [Exit::Clean, Exit::Usage];

    /// The codes the command named `name` can end with (its `man` page lists them).
    pub fn of_command(name: &str) -> &'static [Exit] {
        match name {
            "check" => &Exit::CHECK,
            "guide" => &Exit::GUIDE,
            "token" => &Exit::TOKEN,
            "demo" | "sim" | "explain" => &Exit::SERVE,
            _ => &Exit::PRINT,
        }
    }

    /// The number the process exits with.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The code with this number, if it is one of ours.
    pub fn from_code(code: i32) -> Option<Exit> {
        Exit::ALL.into_iter().find(|e| i32::from(e.code()) == code)
    }

    /// One line: what the code means.
    pub fn meaning(self) -> &'static str {
        match self {
            Exit::Clean => "nothing failed or errored (warnings allowed unless --strict)",
            Exit::Failed => "at least one check failed",
            Exit::Usage => "usage or configuration error: nothing was sent",
            Exit::Undecided => "no failure, but at least one check could not be decided (error)",
            Exit::Unfinished => {
                "guide was quit or a step was not done (a manual step not confirmed); the summary says which"
            }
            Exit::Interrupted => "interrupted (Ctrl-C, SIGTERM): the reports hold what was decided",
        }
    }

    /// What the code means when the command named `command` ends with it: [`Exit::meaning`]
    /// is `check`'s (and the program's as a whole); `guide` has no `--strict`, and the
    /// commands that decide no check say what their codes mean for them.
    pub fn meaning_for(self, command: &str) -> &'static str {
        match (command, self) {
            ("guide", Exit::Clean) => "nothing failed or errored (warnings allowed)",
            ("guide", Exit::Interrupted) => {
                "interrupted (Ctrl-C, SIGTERM): the walk stopped, nothing written"
            }
            ("demo", Exit::Clean) => "every scenario ran: their verdicts are the demo's output",
            ("demo", Exit::Undecided) => "a scenario could not run (the line on stderr says why)",
            ("sim", Exit::Clean) => "stopped by Ctrl-C or SIGTERM, or scenarios listed or printed",
            ("sim", Exit::Usage) => {
                "usage error (scenario, scenario file, --bind), or cannot listen there"
            }
            ("sim", Exit::Undecided) => {
                "the simulator could not start (its runtime, or its CA certificate file)"
            }
            ("explain", Exit::Clean) => "explained",
            ("explain", Exit::Usage) => {
                "not a known error code, OAuth error or check id (the nearest are named)"
            }
            ("explain", Exit::Undecided) => "the explanation could not be written to stdout",
            ("list-checks" | "completions" | "man", Exit::Clean) => "printed",
            _ => self.meaning(),
        }
    }

    /// The `--help` paragraph listing `codes` and their meaning, one per line.
    pub fn help(codes: &[Exit]) -> String {
        Exit::paragraph(codes.iter().map(|e| (*e, e.meaning())))
    }

    /// The `--help` paragraph of the command named `command`: its codes, in its words.
    pub fn help_for(command: &str) -> String {
        Exit::paragraph(
            Exit::of_command(command)
                .iter()
                .map(|e| (*e, e.meaning_for(command))),
        )
    }

    /// "Exit codes:", then a line per code, the codes right-aligned so that the meanings
    /// start in one column (`  0`, `130`).
    fn paragraph(lines: impl Iterator<Item = (Exit, &'static str)>) -> String {
        let lines: Vec<(Exit, &str)> = lines.collect();
        let width = lines
            .iter()
            .map(|(e, _)| e.code().to_string().len())
            .max()
            .unwrap_or(1);
        let mut text = String::from("Exit codes:");
        for (e, meaning) in lines {
            text.push_str(&format!("\n  {:>width$}  {meaning}", e.code()));
        }
        text
    }

    /// How one run ends, from its counts of failed, warned and undecided checks: a failure
    /// (or, under `--strict`, a warning) beats an undecided check, which beats a clean run.
    pub fn of_counts(fail: usize, warn: usize, error: usize, strict: bool) -> Exit {
        if fail > 0 || (strict && warn > 0) {
            Exit::Failed
        } else if error > 0 {
            Exit::Undecided
        } else {
            Exit::Clean
        }
    }

    /// How a run over several targets ends: the most serious of their codes (each already
    /// accounts for `--strict`); a number that is not one of ours counts as undecided.
    pub fn of_codes(codes: impl IntoIterator<Item = i32>) -> Exit {
        codes
            .into_iter()
            .map(|c| Exit::from_code(c).unwrap_or(Exit::Undecided))
            .fold(Exit::Clean, Exit::worst)
    }

    /// The more serious of two outcomes of one run, for combining targets: a failure beats an
    /// undecided check, which beats a clean run.
    pub fn worst(self, other: Exit) -> Exit {
        let rank = |e: Exit| match e {
            Exit::Clean => 0,
            Exit::Undecided => 1,
            Exit::Failed => 2,
            Exit::Unfinished => 3,
            Exit::Usage => 4,
            Exit::Interrupted => 5,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> ExitCode {
        ExitCode::from(e.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_combine() {
        for e in Exit::ALL {
            assert_eq!(Exit::from_code(i32::from(e.code())), Some(e));
            assert!(!e.meaning().is_empty());
        }
        assert_eq!(Exit::Clean.worst(Exit::Undecided), Exit::Undecided);
        assert_eq!(Exit::Undecided.worst(Exit::Failed), Exit::Failed);
        assert_eq!(Exit::Failed.worst(Exit::Clean), Exit::Failed);
        assert_eq!(Exit::from_code(7), None);
        assert_eq!(Exit::of_counts(0, 1, 0, false), Exit::Clean);
        assert_eq!(Exit::of_counts(0, 1, 0, true), Exit::Failed);
        assert_eq!(Exit::of_counts(0, 0, 1, false), Exit::Undecided);
        assert_eq!(Exit::of_codes([0, 3, 1]), Exit::Failed);
        assert_eq!(Exit::of_codes([0, 9]), Exit::Undecided);
        assert_eq!(Exit::of_codes([]), Exit::Clean);
    }

    #[test]
    fn help_lists_each_code_with_its_meaning() {
        let help = Exit::help(&Exit::ALL);
        for e in Exit::ALL {
            assert!(
                help.contains(&format!("  {}  {}", e.code(), e.meaning())),
                "{help}"
            );
        }
        assert!(!Exit::help(&Exit::CHECK).contains("  4  "));
        assert!(Exit::help(&Exit::CHECK).contains("  130  interrupted"));
    }
}
