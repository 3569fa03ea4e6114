//! The commands: each turns resolved configuration into work and an exit code. `main_entry`
//! in lib.rs only dispatches here.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use futures::StreamExt;

use crate::checks::{self, Selection};
use crate::cli::{CheckArgs, DemoArgs, ReportFormat, TokenArgs, TokenFormat};
use crate::config::{self, ConfigError, DataTarget, StdinSecret, Target};
use crate::kraken::http::stderr_sink;
use crate::redact::Redactor;
use crate::report::{self, Report, Status};
use crate::runner::{self, RunOptions, RunOutput};

/// Exit code for usage and configuration errors.
pub const EXIT_USAGE: u8 = 2;

/// Print a usage or configuration error and return exit code 2.
pub fn usage_error(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("kraken-doctor: {msg}");
    ExitCode::from(EXIT_USAGE)
}

/// Write to stdout; a closed pipe (`| head`) ends the output quietly instead of panicking.
pub fn out(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("kraken-doctor: cannot write to stdout: {e}");
    }
}

/// The tokio runtime every command runs on.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
}

/// Everything `check` needs, resolved before any request.
pub struct CheckPlan {
    pub targets: Vec<Target>,
    pub options: RunOptions,
    pub format: ReportFormat,
    pub output: Option<std::path::PathBuf>,
    pub jobs: usize,
    pub wait_for_grant: Option<Duration>,
    pub support_report: Option<std::path::PathBuf>,
}

/// Resolve `check`'s arguments. Every usage or configuration error is found here.
pub fn plan_check(
    args: &CheckArgs,
    env: &config::Env,
    stdin: StdinSecret<'_>,
) -> Result<CheckPlan, ConfigError> {
    let net = config::resolve_net(&args.target)?;
    let selection = Selection::new(&args.only, &args.skip).map_err(ConfigError)?;
    if selection.ids().is_empty() {
        return Err(ConfigError("--only/--skip leave no check to run".into()));
    }
    let data = args.data.to_data_target();
    let targets = config::resolve_targets(&args.target, &data, env, stdin)?;
    if args.jobs == 0 || args.jobs > 256 {
        return Err(ConfigError("--jobs must be between 1 and 256".into()));
    }
    let wait_for_grant = args
        .wait_for_grant
        .as_deref()
        .map(parse_duration)
        .transpose()?;
    for p in [&args.output, &args.support_report].into_iter().flatten() {
        check_writable(p)?;
    }
    Ok(CheckPlan {
        targets,
        options: RunOptions {
            net,
            selection,
            strict: args.strict,
            log: stderr_sink(),
        },
        format: args.format,
        output: args.output.clone(),
        jobs: args.jobs,
        wait_for_grant,
        support_report: args.support_report.clone(),
    })
}

/// A usage error when `path`'s directory does not exist (found before any request).
pub fn check_writable(path: &Path) -> Result<(), ConfigError> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(ConfigError(format!(
            "cannot write {}: the directory {} does not exist",
            path.display(),
            parent.display()
        )));
    }
    Ok(())
}

/// `90`, `90s`, `5m`, `1h`, `1m30s`.
pub fn parse_duration(text: &str) -> Result<Duration, ConfigError> {
    let bad = || {
        ConfigError(format!(
            "'{text}' is not a duration; write e.g. 90s, 5m or 1h"
        ))
    };
    let t = text.trim();
    if t.is_empty() {
        return Err(bad());
    }
    if let Ok(secs) = t.parse::<u64>() {
        return Ok(Duration::from_secs(secs));
    }
    let mut total = 0u64;
    let mut num = String::new();
    for c in t.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let n: u64 = num.parse().map_err(|_| bad())?;
        num.clear();
        total += match c {
            's' => n,
            'm' => n * 60,
            'h' => n * 3600,
            _ => return Err(bad()),
        };
    }
    if !num.is_empty() || total > 24 * 3600 {
        return Err(bad());
    }
    Ok(Duration::from_secs(total))
}

/// Run a plan: every target, `jobs` at a time, results in target order.
pub async fn execute(plan: &CheckPlan, redactor: &Redactor) -> Vec<RunOutput> {
    // Progress only for a person watching a terminal; logs (-v) speak for themselves.
    let progress = std::io::stderr().is_terminal() && plan.options.net.verbose == 0;
    futures::stream::iter(plan.targets.iter())
        .map(|t| async move {
            if progress {
                eprintln!(
                    "checking {} ({})…",
                    t.profile.as_deref().unwrap_or(&t.client_id),
                    t.token_url
                );
            }
            match plan.wait_for_grant {
                Some(limit) => run_waiting(t, &plan.options, redactor, limit).await.0,
                None => runner::run(t, &plan.options, redactor.clone()).await,
            }
        })
        .buffered(plan.jobs)
        .collect()
        .await
}

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

/// `--wait-for-grant`: re-run with backoff until no permission check fails or time is up.
/// When it had to wait, the permission checks carry a note saying how long the change took
/// to show, and the wait is returned; `None` when the first run needed no wait. Shared by
/// `check` and `guide`.
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
            eprintln!(
                "waiting {} s for the permission change to take effect…",
                wait.as_secs()
            );
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

/// Combined exit code of several reports: 1 if any failed, else 3 if any errored, else 0.
pub fn combined_exit(reports: &[Report]) -> i32 {
    if reports.iter().any(|r| r.exit_code == 1) {
        1
    } else if reports.iter().any(|r| r.exit_code == 3) {
        3
    } else {
        0
    }
}

/// `kraken-doctor check`.
pub fn check(args: &CheckArgs, color: bool) -> ExitCode {
    let env = config::process_env();
    let plan = match plan_check(args, &env, StdinSecret::Process) {
        Ok(p) => p,
        Err(e) => return usage_error(e),
    };
    let redactor = Redactor::default();
    let outputs = runtime().block_on(execute(&plan, &redactor));
    let reports: Vec<Report> = outputs.iter().map(|o| o.report.clone()).collect();
    let look = report::Look::stdout(color && plan.output.is_none())
        .quiet(args.quiet)
        .verbose(plan.options.net.verbose > 0);
    let text = if reports.len() == 1 {
        report::render(&reports[0], plan.format, &look)
    } else {
        report::render_multi(&reports, plan.format, &look)
    };
    let text = redactor.redact(&text);
    match &plan.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &text) {
                eprintln!("kraken-doctor: cannot write {}: {e}", path.display());
                return ExitCode::from(3);
            }
            eprintln!("report written to {}", path.display());
        }
        None => out(&text),
    }
    report::github::publish(&reports, &redactor);
    if let Some(path) = &plan.support_report {
        let md = redactor.redact(&crate::support::render(&plan.targets, &outputs));
        if let Err(e) = std::fs::write(path, md) {
            eprintln!("kraken-doctor: cannot write {}: {e}", path.display());
            return ExitCode::from(3);
        }
        eprintln!("support report written to {}", path.display());
    }
    ExitCode::from(combined_exit(&reports) as u8)
}

/// `kraken-doctor token`.
pub fn token(args: &TokenArgs, color: bool) -> ExitCode {
    let env = config::process_env();
    let mut target_args = args.target.clone();
    if target_args.profile.len() > 1 || target_args.all_profiles {
        return usage_error("token takes one target: give at most one --profile");
    }
    target_args.all_profiles = false;
    let net = match config::resolve_net(&target_args) {
        Ok(n) => n,
        Err(e) => return usage_error(e),
    };
    let target = match config::resolve_targets(
        &target_args,
        &DataTarget::default(),
        &env,
        StdinSecret::Process,
    ) {
        Ok(mut t) => t.remove(0),
        Err(e) => return usage_error(e),
    };
    let opts = RunOptions {
        net,
        selection: Selection::new(&["auth.token".into()], &[]).expect("auth.token exists"),
        strict: false,
        log: stderr_sink(),
    };
    let redactor = Redactor::default();
    let rt = runtime();
    let issued = rt.block_on(runner::fetch_token(&target, &opts, redactor.clone()));
    match issued {
        Ok(t) => {
            let token = t.access_token.expose();
            let line = match args.format {
                TokenFormat::Raw => token.to_string(),
                TokenFormat::Header => serde_json::json!({ "Authorization": token }).to_string(),
                TokenFormat::Json => {
                    let expires_at = t.expires_in.map(|s| {
                        runner::rfc3339(t.received_at + Duration::from_secs(s.max(0) as u64))
                    });
                    serde_json::to_string_pretty(&serde_json::json!({
                        "access_token": token,
                        "token_type": t.token_type,
                        "expires_in": t.expires_in,
                        "expires_at": expires_at,
                        "scope": t.scope,
                    }))
                    .unwrap_or_default()
                }
            };
            out(&format!("{line}\n"));
            ExitCode::SUCCESS
        }
        Err(report) => {
            let text = report::human::render(&report, &report::Look::stdout(color));
            eprint!("{}", redactor.redact(&text));
            ExitCode::from(report.exit_code.max(1) as u8)
        }
    }
}

/// `kraken-doctor list-checks`.
pub fn list_checks() -> ExitCode {
    let mut text = String::new();
    let width = checks::all().iter().map(|c| c.id.len()).max().unwrap_or(0);
    for c in checks::all() {
        let steps = c.steps_text();
        text.push_str(&format!(
            "{:<width$}  step {:<8} {}\n",
            c.id, steps, c.title
        ));
    }
    out(&text);
    ExitCode::SUCCESS
}

/// `kraken-doctor completions SHELL`.
pub fn completions(shell: clap_complete::Shell) -> ExitCode {
    use clap::CommandFactory;
    let mut cmd = crate::cli::Cli::command();
    clap_complete::generate(shell, &mut cmd, "kraken-doctor", &mut std::io::stdout());
    ExitCode::SUCCESS
}

/// `kraken-doctor demo`: the simulator in-process, a healthy and several broken applications.
pub fn demo(args: &DemoArgs, color: bool) -> ExitCode {
    let demo = runtime().block_on(crate::demo::run(args.format, &report::Look::stdout(color)));
    out(&demo.text);
    for e in &demo.errors {
        eprintln!("kraken-doctor demo: {e}");
    }
    if demo.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(3)
    }
}
