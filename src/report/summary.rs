//! Counting a run's results and what they mean: the counts per status, the exit code a
//! report implies (and a multi-target run's), and that exit code in words. Every renderer
//! says the same thing because they all ask here.

use serde::Serialize;

use super::text::plural;
use super::{CheckResult, Report, Status};

/// Counts per status.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Checks that passed.
    pub pass: usize,
    /// Checks that passed with a warning.
    pub warn: usize,
    /// Checks that proved the setup wrong.
    pub fail: usize,
    /// Checks the tool could not decide.
    pub error: usize,
    /// Checks not run, with the reason.
    pub skip: usize,
    /// Items a person must confirm.
    pub manual: usize,
}

impl Summary {
    /// Counts the statuses of `checks`.
    pub fn of(checks: &[CheckResult]) -> Summary {
        let mut s = Summary::default();
        for c in checks {
            *s.slot(c.status) += 1;
        }
        s
    }

    fn slot(&mut self, status: Status) -> &mut usize {
        match status {
            Status::Pass => &mut self.pass,
            Status::Warn => &mut self.warn,
            Status::Fail => &mut self.fail,
            Status::Error => &mut self.error,
            Status::Skip => &mut self.skip,
            Status::Manual => &mut self.manual,
        }
    }

    /// How many checks ended in `status`.
    pub fn count(&self, status: Status) -> usize {
        let mut copy = self.clone();
        *copy.slot(status)
    }

    /// How many checks in all.
    pub fn total(&self) -> usize {
        Status::ALL.iter().map(|&s| self.count(s)).sum()
    }

    /// The counts of several reports added together (for a multi-target run).
    pub fn combined(reports: &[Report]) -> Summary {
        let mut sum = Summary::default();
        for report in reports {
            for status in Status::ALL {
                *sum.slot(status) += report.summary.count(status);
            }
        }
        sum
    }
}

/// The exit code of a multi-target run: 1 if any report implies 1, else 3 if any implies 3,
/// else 0. Each report's own code already accounts for `--strict`.
pub fn combined_exit_code(reports: &[Report]) -> i32 {
    i32::from(combined_exit(reports).code())
}

/// How a multi-target run ends (see [`combined_exit_code`]).
pub fn combined_exit(reports: &[Report]) -> crate::exit::Exit {
    crate::exit::Exit::of_codes(reports.iter().map(|r| r.exit_code))
}

/// 1 if anything failed (or warned, under `--strict`), else 3 if anything errored, else 0.
pub fn exit_code(summary: &Summary, strict: bool) -> i32 {
    let exit = crate::exit::Exit::of_counts(summary.fail, summary.warn, summary.error, strict);
    i32::from(exit.code())
}

/// What an exit code means for this summary, in words (no closing full stop): the human
/// report's last line and the Markdown report's heading. `fixes` says where that report gives
/// the fixes (`the fix: lines`, `What to fix, below`).
pub fn exit_words(code: i32, summary: &Summary, fixes: &str) -> String {
    match code {
        0 if summary.warn > 0 => format!(
            "nothing failed or errored; {} {} a look",
            plural(summary.warn, "warning"),
            if summary.warn == 1 {
                "deserves"
            } else {
                "deserve"
            }
        ),
        0 => "nothing failed or errored".to_string(),
        1 if summary.fail == 0 => {
            "no check failed, but warnings count as failures under --strict".to_string()
        }
        1 => format!("at least one check failed — the setup needs a fix (see {fixes})"),
        3 => "nothing failed, but at least one check could not be decided (error)".to_string(),
        other => format!("unexpected exit code {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures;

    fn summary(fail: usize, error: usize, warn: usize) -> Summary {
        Summary {
            fail,
            error,
            warn,
            ..Summary::default()
        }
    }

    #[test]
    fn exit_code_puts_fail_before_error_and_strict_turns_warn_into_fail() {
        assert_eq!(exit_code(&summary(0, 0, 0), false), 0);
        assert_eq!(exit_code(&summary(0, 0, 2), false), 0);
        assert_eq!(exit_code(&summary(0, 0, 2), true), 1);
        assert_eq!(exit_code(&summary(1, 1, 0), false), 1);
        assert_eq!(exit_code(&summary(0, 1, 0), false), 3);
        assert_eq!(exit_code(&summary(0, 1, 1), true), 1);
    }

    #[test]
    fn a_multi_run_exits_with_its_worst_report() {
        let (healthy, broken) = (fixtures::healthy(), fixtures::broken());
        let mut errored = fixtures::healthy();
        errored.exit_code = 3;
        assert_eq!(combined_exit_code(&[]), 0);
        assert_eq!(combined_exit_code(std::slice::from_ref(&healthy)), 0);
        assert_eq!(combined_exit_code(&[healthy.clone(), errored.clone()]), 3);
        assert_eq!(
            combined_exit_code(&[errored, broken.clone(), healthy.clone()]),
            1
        );

        let both = Summary::combined(&[healthy.clone(), broken.clone()]);
        assert_eq!(both.total(), healthy.checks.len() + broken.checks.len());
        assert_eq!(both.manual, healthy.summary.manual + broken.summary.manual);
    }

    #[test]
    fn exit_words_say_what_the_code_means() {
        assert_eq!(
            exit_words(0, &summary(0, 0, 0), ""),
            "nothing failed or errored"
        );
        assert!(exit_words(0, &summary(0, 0, 1), "").ends_with("1 warning deserves a look"));
        assert!(exit_words(1, &summary(0, 0, 1), "").contains("under --strict"));
        assert!(exit_words(3, &summary(0, 1, 0), "").contains("could not be decided"));
        assert!(
            exit_words(1, &summary(1, 0, 0), "What to fix, below")
                .ends_with("(see What to fix, below)"),
            "each report points where it gives the fixes"
        );
    }
}
