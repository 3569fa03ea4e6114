//! `kraken-doctor sim`: serve the simulator for users' own tests and demos. The first stdout
//! line is a JSON banner scripts read; everything else (one line per request) goes to stderr.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

use super::{Scenario, SimOptions, Simulator};
use crate::cli::SimArgs;

/// `kraken-doctor sim`.
pub fn command(args: &SimArgs) -> ExitCode {
    if args.list_scenarios {
        let catalogue = Scenario::catalogue();
        let width = catalogue.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        let mut out = std::io::stdout().lock();
        for (name, description) in catalogue {
            let _ = writeln!(out, "{name:width$}  {description}");
        }
        return ExitCode::SUCCESS;
    }
    if let Some(name) = &args.print_scenario {
        return match Scenario::builtin(name) {
            Some(s) => {
                crate::commands::print_result(&s.to_toml());
                ExitCode::SUCCESS
            }
            None => usage(&format!(
                "no built-in scenario named '{name}' (see --list-scenarios)"
            )),
        };
    }
    let scenario = match (&args.scenario, &args.scenario_file) {
        (_, Some(path)) => match Scenario::from_file(path) {
            Ok(s) => s,
            Err(e) => return usage(&e.to_string()),
        },
        (Some(name), None) => match Scenario::builtin(name) {
            Some(s) => s,
            None => {
                return usage(&format!(
                    "no built-in scenario named '{name}' (see --list-scenarios)"
                ));
            }
        },
        (None, None) => match Scenario::builtin("healthy") {
            Some(s) => s,
            None => return usage("the healthy scenario is missing"),
        },
    };
    let ip: IpAddr = match args.bind.parse() {
        Ok(ip) => ip,
        Err(_) => return usage(&format!("--bind '{}' is not an IP address", args.bind)),
    };
    let options = SimOptions {
        addr: Some(SocketAddr::new(ip, args.port)),
        log_requests: true,
        latency_ms: args.latency,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kraken-doctor sim: cannot start: {e}");
            return crate::exit::Exit::Undecided.into();
        }
    };
    let sim = match Simulator::start_with(scenario, options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "kraken-doctor sim: cannot listen on {}:{}: {e}",
                args.bind, args.port
            );
            return crate::exit::Exit::Usage.into();
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{}", sim.banner());
        let _ = out.flush();
    }
    eprintln!(
        "kraken-doctor sim: scenario '{}' at {} (Ctrl-C to stop)",
        sim.scenario().name(),
        sim.url()
    );
    runtime.block_on(shutdown_signal());
    eprintln!("kraken-doctor sim: stopping");
    drop(sim);
    ExitCode::SUCCESS
}

fn usage(message: &str) -> ExitCode {
    eprintln!("kraken-doctor sim: {message}");
    crate::exit::Exit::Usage.into()
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
