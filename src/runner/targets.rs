//! Every target of a `check` run (and of `demo`), `--jobs` at a time, on one shared
//! transport; `--wait-for-grant` re-runs a target through [`super::grant_wait`].

use std::io::IsTerminal;
use std::time::Duration;

use futures::StreamExt;

use super::{RunOptions, RunOutput, Target, grant_wait};
use crate::kraken::http::Transport;
use crate::process::print_note;
use crate::redact::Redactor;

/// What `check` runs: the targets and how (the one input of [`run_targets`]); `config`
/// resolves it.
pub struct RunPlan {
    pub targets: Vec<Target>,
    pub options: RunOptions,
    /// Targets checked at once.
    pub jobs: usize,
    /// `--wait-for-grant`: re-run until no permission check fails, up to this long.
    pub wait_for_grant: Option<Duration>,
}

/// Run every target of `plan`, `jobs` at a time; results in target order. With `progress`,
/// a line on stderr says which target is being checked — only for a person watching a
/// terminal, and not under `-v`, whose logs speak for themselves.
pub async fn run_targets(plan: &RunPlan, redactor: &Redactor, progress: bool) -> Vec<RunOutput> {
    let progress = progress && std::io::stderr().is_terminal() && plan.options.net.verbose == 0;
    // One connection pool for every target: the system's trusted roots are read once.
    let transport = Transport::new(&plan.options.net).ok();
    let transport = transport.as_ref();
    futures::stream::iter(plan.targets.iter())
        .map(|t| async move {
            if progress {
                print_note(&format!(
                    "checking {} ({})…",
                    t.profile.as_deref().unwrap_or(&t.client_id),
                    t.token_url
                ));
            }
            match plan.wait_for_grant {
                Some(limit) => {
                    grant_wait::run_waiting(t, &plan.options, redactor, limit)
                        .await
                        .0
                }
                None => match transport {
                    Some(shared) => super::run_on(shared, t, &plan.options, redactor.clone()).await,
                    // A transport that cannot be built: each run says why in its report.
                    None => super::run(t, &plan.options, redactor.clone()).await,
                },
            }
        })
        .buffered(plan.jobs)
        .collect()
        .await
}
