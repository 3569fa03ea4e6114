//! `kraken-doctor demo`: a newcomer's first run. Starts the simulator in-process and checks a
//! healthy application and several broken ones, each under a heading that says what was
//! broken, so the reader sees what every kind of verdict and remediation looks like; it ends
//! with a table of what each application got, short enough to read in a few screens.

use crate::checks::Selection;
use crate::config::{DataTarget, NetOptions, RunPlan, Target};
use crate::redact::Redactor;
use crate::report::{self, Look, Report, ReportFormat, Status, human, text};
use crate::runner::RunOptions;
use kraken_sim::{Scenario, Simulator};

/// The scenarios the demo walks, in order: healthy first, then the common mistakes.
pub const SCENARIOS: &[&str] = &[
    "healthy",
    "rotated-secret",
    "public-client",
    "wrong-grant",
    "missing-detailed-usage",
    "extra-permission",
    "wrong-environment",
];

/// The target that checks a simulator's first application, with its first property as the
/// data target.
pub fn sim_target(sim: &Simulator) -> Result<Target, String> {
    let app = sim
        .applications()
        .into_iter()
        .next()
        .ok_or("the scenario has no application")?;
    let property = sim.properties().into_iter().next();
    let url = |base: String, path: &str| {
        crate::config::endpoint_url(&base, path, "simulator").map_err(|e| e.0)
    };
    Ok(Target {
        profile: None,
        token_url: url(sim.auth_url(), "/token/")?,
        graphql_url: url(sim.api_url(), "/v1/graphql/")?,
        client_id: app.client_id,
        client_secret: app.client_secret,
        data: DataTarget {
            property_id: property.map(|p| p.id),
            ..DataTarget::default()
        },
        notes: Vec::new(),
    })
}

/// What the demo printed, and the scenarios that could not run.
pub struct Demo {
    /// Everything for stdout.
    pub text: String,
    /// One line per scenario that could not run (for stderr).
    pub errors: Vec<String>,
}

/// One scenario's run: its name, what is broken in it, and the report.
struct Ran {
    name: &'static str,
    description: String,
    report: Report,
}

/// Run one scenario against its simulator, secrets redacted from nothing: the report holds
/// none (the renderers' output is redacted again by the caller of [`run`]).
async fn run_scenario(name: &'static str) -> Result<Ran, String> {
    let scenario = Scenario::builtin(name).ok_or_else(|| format!("no built-in scenario {name}"))?;
    let description = scenario.description().to_string();
    let sim = Simulator::start(scenario).map_err(|e| format!("simulator: {e}"))?;
    let target = sim_target(&sim)?;
    let opts = RunOptions {
        net: NetOptions::default(),
        // The manual items read the same for every application: shown once, with the healthy one.
        selection: if name == "healthy" {
            Selection::everything()
        } else {
            Selection::new(&[], &["manual".into()]).map_err(|e| e.to_string())?
        },
        strict: false,
        log: std::sync::Arc::new(|_: &str| {}),
    };
    let plan = RunPlan {
        targets: vec![target],
        options: opts,
        jobs: 1,
        wait_for_grant: None,
    };
    let outputs = crate::runner::run_targets(&plan, &Redactor::default(), false).await;
    let out = outputs
        .into_iter()
        .next()
        .ok_or("the scenario was not run")?;
    Ok(Ran {
        name,
        description,
        report: out.report,
    })
}

/// A scenario's section for a person: a heading that says what is broken, then its report —
/// in full for the healthy application; for the broken ones only what is not `pass`, without
/// the evidence notes (`check` shows them).
fn section(ran: &Ran, look: &Look) -> String {
    let heading = format!("Scenario {}: {}", ran.name, ran.description);
    let mut lines = text::hang("━━ ", "   ", &heading, look.width.max(text::MIN_WIDTH));
    lines.push(String::new());
    let broken = ran.name != "healthy";
    let look = look.quiet(broken).brief(broken);
    format!(
        "{}\n{}",
        lines.join("\n"),
        human::render(&ran.report, &look)
    )
}

/// What a report found, in a few words: `clean`, or the checks that did not pass, by status.
fn verdict(report: &Report) -> String {
    let named: Vec<String> = [Status::Fail, Status::Error, Status::Warn]
        .into_iter()
        .filter_map(|status| {
            let ids: Vec<_> = report
                .checks
                .iter()
                .filter(|c| c.status == status)
                .map(|c| c.id.as_str())
                .collect();
            (!ids.is_empty()).then(|| format!("{status}: {}", ids.join(", ")))
        })
        .collect();
    if named.is_empty() {
        "clean".to_string()
    } else {
        named.join("; ")
    }
}

/// The closing table: scenario, exit code, verdict.
fn table(ran: &[Ran], look: &Look) -> Vec<String> {
    let width = ran.iter().map(|r| r.name.len()).max().unwrap_or(0).max(8);
    let mut lines = vec![format!("  {:<width$}  exit  verdict", "scenario")];
    for r in ran {
        let lead = format!("  {:<width$}  {:<4}  ", r.name, r.report.exit_code);
        let rest = " ".repeat(lead.len());
        lines.extend(text::hang(
            &lead,
            &rest,
            &verdict(&r.report),
            look.width.max(text::MIN_WIDTH),
        ));
    }
    lines
}

/// Runs every scenario and renders the demo in `format`: for a person, a section per
/// scenario and a closing table of scenario → exit code and verdict; in the other formats,
/// each scenario's document in turn.
pub async fn run(format: ReportFormat, look: &Look) -> Demo {
    let mut ran = Vec::new();
    let mut errors = Vec::new();
    for &name in SCENARIOS {
        match run_scenario(name).await {
            Ok(r) => ran.push(r),
            Err(e) => errors.push(format!("scenario {name}: {e}")),
        }
    }
    let text = if format == ReportFormat::Human {
        let mut parts: Vec<String> = ran.iter().map(|r| section(r, look)).collect();
        parts.push(
            [
                vec!["What each application got:".to_string()],
                table(&ran, look),
                vec![
                    String::new(),
                    "That was the simulator. To check a real application, with its secret in"
                        .to_string(),
                    "KRAKEN_CLIENT_SECRET:".to_string(),
                    "  kraken-doctor check --kraken edf-gb --client-id ID --supply-point MPAN"
                        .to_string(),
                    "To try your own integration offline: kraken-doctor sim --scenario healthy"
                        .to_string(),
                ],
            ]
            .concat()
            .join("\n")
                + "\n",
        );
        parts.join("\n")
    } else {
        ran.iter()
            .map(|r| report::render(&r.report, format, look))
            .collect()
    };
    Demo {
        text: Redactor::default().redact(&text),
        errors,
    }
}
