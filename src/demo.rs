//! `kraken-doctor demo`: a newcomer's first run. Starts the simulator in-process and checks a
//! healthy application and several broken ones, each under a heading that says what was
//! broken, so the reader sees what every kind of verdict and remediation looks like.

use crate::checks::Selection;
use crate::cli::ReportFormat;
use crate::config::{DataTarget, NetOptions, RunPlan, Target};
use crate::redact::Redactor;
use crate::report;
use crate::runner::RunOptions;
use crate::sim::{Scenario, Simulator};

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
    })
}

/// Run one scenario and render its section (heading + report).
pub async fn run_scenario(name: &str, format: ReportFormat, color: bool) -> Result<String, String> {
    let scenario = Scenario::builtin(name).ok_or_else(|| format!("no built-in scenario {name}"))?;
    let description = scenario.description().to_string();
    let sim = Simulator::start(scenario).map_err(|e| format!("simulator: {e}"))?;
    let target = sim_target(&sim)?;
    let options = RunOptions {
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
        options,
        jobs: 1,
        wait_for_grant: None,
    };
    let redactor = Redactor::default();
    let outputs = crate::commands::check::run_targets(&plan, &redactor, false).await;
    let report = &outputs.first().ok_or("the scenario was not run")?.report;
    let body = report::render(report, format, color);
    let text = match format {
        ReportFormat::Human => {
            let title = format!("Scenario {name}: {description}");
            let rule = "─".repeat(title.chars().count().min(100));
            format!("{rule}\n{title}\n{rule}\n{body}")
        }
        _ => body,
    };
    Ok(redactor.redact(&text))
}
