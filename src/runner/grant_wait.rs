//! `--wait-for-grant` (for `check` and `guide`): a permission change on the support site can
//! take a while to show, so re-run with backoff until no permission check fails, and say how
//! long it took.

use std::time::{Duration, Instant};

use super::{RunOptions, RunOutput, Target};
use crate::process::print_note;
use crate::redact::Redactor;
use crate::report::{Report, Status};
use crate::runner;

/// Whether any permission check of `r` failed (what `--wait-for-grant` waits out).
pub fn permission_failed(r: &Report) -> bool {
    r.checks
        .iter()
        .any(|c| c.id.starts_with("perm.") && c.status == Status::Fail)
}

/// How a `--wait-for-grant` wait ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrantWait {
    /// Runs in all, the first included.
    pub runs: u32,
    /// Seconds from the first run to the last.
    pub seconds: u64,
    /// Whether the permission checks stopped failing.
    pub granted: bool,
}

impl GrantWait {
    /// One line for the report and the guide.
    pub fn note(&self) -> String {
        if self.granted {
            format!(
                "--wait-for-grant: the permission change took effect after about {} s ({} runs)",
                self.seconds, self.runs
            )
        } else {
            format!(
                "--wait-for-grant: still failing after {} s of re-probing ({} runs)",
                self.seconds, self.runs
            )
        }
    }
}

/// Re-run with backoff until no permission check fails or time is up. When it had to wait,
/// the permission checks carry a note saying how long the change took to show, and the wait
/// is returned; `None` when the first run needed no wait.
pub async fn run_waiting(
    t: &Target,
    opts: &RunOptions,
    redactor: &Redactor,
    limit: Duration,
) -> (RunOutput, Option<GrantWait>) {
    let started = Instant::now();
    let mut attempt = 0u32;
    let mut out = runner::run(t, opts, redactor.clone()).await;
    let mut waited = false;
    while permission_failed(&out.report) && started.elapsed() < limit {
        waited = true;
        let wait = Duration::from_secs(2u64.saturating_pow(attempt + 1).min(30));
        let wait = wait.min(limit.saturating_sub(started.elapsed()));
        if opts.net.verbose > 0 {
            print_note(&format!(
                "waiting {} s for the permission change to take effect…",
                wait.as_secs()
            ));
        }
        let what = "for the permission change to show (--wait-for-grant), then checking again";
        crate::progress::sleep(what, wait, opts.net.verbose == 0).await;
        attempt += 1;
        out = runner::run(t, opts, redactor.clone()).await;
    }
    if !waited {
        return (out, None);
    }
    let wait = GrantWait {
        runs: attempt + 1,
        seconds: started.elapsed().as_secs(),
        granted: !permission_failed(&out.report),
    };
    let note = wait.note();
    for c in out
        .report
        .checks
        .iter_mut()
        .filter(|c| c.id.starts_with("perm."))
    {
        c.evidence.notes.push(note.clone());
    }
    (out, Some(wait))
}
