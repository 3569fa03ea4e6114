//! Verifying a step: run its checks now (through the same runner as `check`), show each result
//! in the OAuth manager's words — a failure with exactly the causes its outcome found and what
//! to do about each on the support site (`checks/steps.toml`) — and on a failure offer retry,
//! skip or quit. The technical detail (evidence, request notes) shows under `-v`; the
//! developers' fix lines go to the handover.

use crate::checks::steps::Step;
use crate::checks::{CheckGroup, CheckId, Selection};
use crate::guide::handover::Verified;
use crate::kraken::http::stderr_sink;
use crate::report::human::status_label;
use crate::report::{CheckResult, Status};
use crate::runner::{self, RunOptions};
use crate::text::wrap;

use super::Guide;
use super::walk::Flow;

/// Where a result's title starts, past the status label (`  ✗ fail    `).
const TITLE_INDENT: usize = 12;
/// Where the causes under a title start: indented a little, so that they get the width.
const CAUSE_INDENT: usize = 4;

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
            let shown = self.describe_all(&report.checks);
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
            match self.console.choose(
                "  Fix it (→ above), then [r]etry, [s]kip or [q]uit: ",
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
    /// the causes its outcome found and what to do about each, in the words of
    /// `checks/steps.toml` (pages, fields, steps); under `-v`, the summary and the evidence.
    fn describe(&self, r: &CheckResult) -> String {
        let width = self.console.width();
        let label = status_label(r.status, self.color);
        let first = format!("  {label}  ");
        let mut out = wrap(&r.title, width, &first, TITLE_INDENT, TITLE_INDENT);
        let line = |text: &str, prefix: &str, hang: usize| {
            let at = CAUSE_INDENT + prefix.chars().count();
            let prefix = format!("{}{prefix}", " ".repeat(CAUSE_INDENT));
            wrap(text, width, &prefix, at, CAUSE_INDENT + hang)
        };
        if r.status != Status::Pass {
            match r.causes.as_slice() {
                [] => {}
                [one] => {
                    out.push_str(&line(&one.cause, "", 0));
                    out.push_str(&line(&one.fix, "→ ", 2));
                }
                several => {
                    out.push_str(&line(
                        "The Kraken does not say which of these it is; most likely first:",
                        "",
                        0,
                    ));
                    for (n, case) in several.iter().enumerate() {
                        out.push_str(&line(&case.cause, &format!("{}. ", n + 1), 3));
                        out.push_str(&line(&case.fix, "   → ", 5));
                    }
                }
            }
        }
        if self.verbose {
            out.push_str(&line(&r.summary, "found: ", 2));
            let facts = r.evidence.facts();
            if !facts.is_empty() {
                out.push_str(&line(&facts.join(", "), "evidence: ", 2));
            }
            for note in &r.evidence.notes {
                out.push_str(&line(note, "note: ", 2));
            }
        }
        out
    }

    /// The results of one verification as shown: each check that stands on its own, then the
    /// checks that waited for another one (skipped, with no cause of their own) on one line.
    fn describe_all(&self, results: &[CheckResult]) -> String {
        let (waiting, shown): (Vec<&CheckResult>, Vec<&CheckResult>) = results
            .iter()
            .partition(|r| r.status == Status::Skip && r.causes.is_empty() && !self.verbose);
        let mut out: String = shown.iter().map(|r| self.describe(r)).collect();
        if !waiting.is_empty() {
            let titles: Vec<&str> = waiting.iter().map(|r| r.title.as_str()).collect();
            let text = format!(
                "{} {} for the checks above: {}",
                titles.len(),
                if titles.len() == 1 {
                    "check waits"
                } else {
                    "checks wait"
                },
                titles.join("; ")
            );
            let first = format!("  {}  ", status_label(Status::Skip, self.color));
            out.push_str(&wrap(
                &text,
                self.console.width(),
                &first,
                TITLE_INDENT,
                TITLE_INDENT,
            ));
        }
        out
    }
}
