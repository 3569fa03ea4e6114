//! Verifying a step: run its checks now (through the same runner as `check`), show each result
//! in the OAuth manager's words — a failure with its likely causes and what to do on the
//! support site (`explain`'s causes, narrowed by the server's error) — and on a failure offer
//! retry, skip or quit. The technical detail (evidence, request notes) shows under `-v`; the
//! developers' fix lines go to the handover.

use crate::checks::steps::Step;
use crate::checks::{CheckGroup, CheckId, Selection};
use crate::kraken::http::stderr_sink;
use crate::report::handover::Verified;
use crate::report::human::status_label;
use crate::report::{CheckResult, Status};
use crate::runner::{self, RunOptions};
use crate::text::wrap;

use super::Guide;
use super::walk::Flow;

/// Where a result's details start: under the title, past the status label.
const DETAIL_INDENT: usize = 12;

impl Guide {
    fn options(&self, ids: &[CheckId]) -> RunOptions {
        RunOptions {
            net: self.net.clone(),
            selection: Selection::of(ids),
            strict: false,
            log: stderr_sink(),
        }
    }

    /// Run `ids` now, show the results, and on a failure offer retry / skip / quit.
    pub(super) fn verify(&mut self, step: &'static Step, ids: &[CheckId]) -> Flow {
        loop {
            self.say("  verifying…\n");
            let opts = self.options(ids);
            let waiting = self
                .wait_for_grant
                .filter(|_| ids.iter().any(|id| id.group() == CheckGroup::Perm));
            let (output, wait) = match waiting {
                Some(limit) => self.rt.block_on(crate::runner::grant_wait::run_waiting(
                    &self.target,
                    &opts,
                    &self.redactor,
                    limit,
                )),
                None => (
                    self.rt
                        .block_on(runner::run(&self.target, &opts, self.redactor.clone())),
                    None,
                ),
            };
            let report = output.report;
            let shown: String = report.checks.iter().map(|r| self.describe(r)).collect();
            self.say(&shown);
            if let Some(w) = wait {
                let note = w.note();
                self.say(&format!("  {note}\n"));
                self.record
                    .notes
                    .push(format!("Step {}: {note}", step.number));
            }
            let failed = report
                .checks
                .iter()
                .any(|c| matches!(c.status, Status::Fail | Status::Error));
            self.record
                .verified
                .retain(|v| !ids.iter().any(|id| *id == v.result.id.as_str()));
            self.record
                .verified
                .extend(report.checks.into_iter().map(|result| Verified {
                    result,
                    at: report.started_at.clone(),
                }));
            let order = crate::checks::ids();
            self.record
                .verified
                .sort_by_key(|v| order.iter().position(|id| *id == v.result.id));
            if !failed {
                self.say("  ✓ verified\n");
                return Flow::Next;
            }
            if !self.interactive() {
                return Flow::Next;
            }
            self.say("  Fix it on the support site (What to do, above), then retry.\n");
            match self.console.choose(
                "  [r]etry / [s]kip / [q]uit: ",
                &["retry", "skip", "quit"],
                "  please answer r, s or q\n",
            ) {
                Some("retry") => {
                    if ids.contains(&CheckId::AuthToken) && self.retry_credentials() == Flow::Quit {
                        return Flow::Quit;
                    }
                }
                Some("skip") => {
                    self.record.skipped.push(step);
                    self.record.notes.push(format!(
                        "Step {} ({}) was skipped while it still failed.",
                        step.number, step.title
                    ));
                    return Flow::Next;
                }
                _ => return Flow::Quit,
            }
        }
    }

    /// Before retrying the credential step: let the person re-enter what they typed.
    fn retry_credentials(&mut self) -> Flow {
        if self.ask_client_id
            && self.prompt_client_id(Some(self.target.client_id.clone())) == Flow::Quit
        {
            return Flow::Quit;
        }
        if self.ask_secret {
            return self.prompt_secret(true);
        }
        Flow::Next
    }

    /// One result as the OAuth manager reads it: status and title; for anything but a pass,
    /// what was found and what to do; under `-v`, the evidence behind it.
    fn describe(&self, r: &CheckResult) -> String {
        let width = self.console.width();
        let label = status_label(r.status, self.color);
        let first = format!("  {label}  ");
        let mut out = wrap(&r.title, width, &first, DETAIL_INDENT, DETAIL_INDENT);
        let detail = |text: &str, label: &str| {
            let prefix = format!("{}{label}", " ".repeat(DETAIL_INDENT));
            let at = DETAIL_INDENT + label.chars().count();
            let hang = if label.is_empty() { 0 } else { 2 };
            wrap(text, width, &prefix, at, DETAIL_INDENT + hang)
        };
        if r.status != Status::Pass || self.verbose {
            out.push_str(&detail(&r.summary, ""));
        }
        match r.status {
            Status::Fail => {
                let causes = crate::explain::causes_of(&r.id, &r.evidence);
                // One cause is the reason; several are possibilities the server does not tell
                // apart.
                let why = if causes.len() > 1 {
                    "Perhaps: "
                } else {
                    "Why: "
                };
                for case in causes {
                    out.push_str(&detail(&case.cause, why));
                    out.push_str(&detail(&case.fix, "What to do: "));
                }
            }
            Status::Warn | Status::Error => {
                if let Some(fix) = &r.remediation {
                    out.push_str(&detail(fix, "What to do: "));
                }
            }
            Status::Pass | Status::Skip | Status::Manual => {}
        }
        if self.verbose {
            let facts = r.evidence.facts();
            if !facts.is_empty() {
                out.push_str(&detail(&facts.join(", "), "evidence: "));
            }
            for note in &r.evidence.notes {
                out.push_str(&detail(note, "note: "));
            }
        }
        out
    }
}
