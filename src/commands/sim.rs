//! `kraken-doctor sim`: serve the simulator for users' own tests and demos. The first stdout
//! line is a JSON banner scripts read; everything else (one line per request) goes to stderr.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use kraken_sim::{Scenario, SimOptions, Simulator};

use crate::cli::SimArgs;
use crate::exit::Exit;
use crate::process::print_result;

/// The refusal of a scenario name that is not built in, with the nearest ones.
fn no_such_scenario(name: &str) -> String {
    format!(
        "no built-in scenario named '{name}'{}; see --list-scenarios",
        crate::suggest::did_you_mean(name, super::scenario_names())
    )
}

/// The width of `--list-scenarios`: the terminal's (or `COLUMNS`), else 80.
fn list_width() -> usize {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() || std::env::var_os("COLUMNS").is_some() {
        crate::report::text::stdout_width()
    } else {
        80
    }
}

/// Every built-in scenario, its name and then its description wrapped to `width` under the
/// descriptions' column (under the name, indented, when the names leave too little room).
pub fn scenario_list(width: usize) -> String {
    let catalogue = Scenario::catalogue();
    let names = catalogue.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    let mut out = String::new();
    for (name, description) in catalogue {
        if names + 2 + 40 <= width {
            let prefix = format!("{name:names$}  ");
            out.push_str(&crate::text::wrap(
                description,
                width,
                &prefix,
                names + 2,
                names + 2,
            ));
        } else {
            out.push_str(&format!("{name}\n"));
            out.push_str(&crate::text::wrap(description, width, "    ", 4, 4));
        }
    }
    out
}

/// `kraken-doctor sim`.
pub fn command(args: &SimArgs) -> ExitCode {
    if args.list_scenarios {
        print_result(&scenario_list(list_width()));
        return ExitCode::SUCCESS;
    }
    if let Some(name) = &args.print_scenario {
        return match Scenario::builtin(name) {
            Some(s) => {
                print_result(&s.to_toml());
                ExitCode::SUCCESS
            }
            None => usage(&no_such_scenario(name)),
        };
    }
    let scenario = match (&args.scenario, &args.scenario_file) {
        (_, Some(path)) => match Scenario::from_file(path) {
            Ok(s) => s,
            Err(e) => return usage(&e.to_string()),
        },
        (Some(name), None) => match Scenario::builtin(name) {
            Some(s) => s,
            None => return usage(&no_such_scenario(name)),
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
        tls: args.tls,
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("kraken-doctor sim: cannot start: {e}");
            return Exit::Undecided.into();
        }
    };
    let sim = match Simulator::start_with(scenario, options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "kraken-doctor sim: cannot listen on {}:{}: {e}",
                args.bind, args.port
            );
            return Exit::Usage.into();
        }
    };
    let mut banner = sim.banner();
    let ca_file = match sim.ca_cert_pem().map(write_ca) {
        None => None,
        Some(Ok(path)) => {
            banner["ca_cert"] = path.display().to_string().into();
            Some(path)
        }
        Some(Err(e)) => {
            eprintln!("kraken-doctor sim: cannot write the CA certificate: {e}");
            return Exit::Undecided.into();
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{banner}");
        let _ = out.flush();
    }
    if let Some(warning) = exposure_warning(ip) {
        eprintln!("kraken-doctor sim: {warning}");
    }
    if let Some(path) = &ca_file {
        eprintln!(
            "kraken-doctor sim: CA certificate at {} (check --ca-cert {})",
            path.display(),
            path.display()
        );
    }
    eprintln!(
        "kraken-doctor sim: scenario '{}' at {} (Ctrl-C to stop)",
        sim.scenario().name(),
        sim.url()
    );
    runtime.block_on(shutdown_signal());
    eprintln!("kraken-doctor sim: stopping");
    drop(sim);
    if let Some(dir) = ca_file.as_deref().and_then(Path::parent) {
        let _ = std::fs::remove_dir_all(dir);
    }
    ExitCode::SUCCESS
}

fn usage(message: &str) -> ExitCode {
    eprintln!("kraken-doctor sim: {message}");
    Exit::Usage.into()
}

/// The warning `sim` gives when bound where the network can reach it.
fn exposure_warning(ip: IpAddr) -> Option<String> {
    (!ip.is_loopback()).then(|| {
        format!(
            "warning: listening on {ip}, which is not a loopback address: anyone on the \
             network can reach this simulator, get tokens with the applications' secrets in \
             the banner and read its data. Use --bind 127.0.0.1 unless you mean it."
        )
    })
}

/// Write the CA certificate to `ca.pem` in a new private directory under the temporary
/// directory (removed when `sim` stops); its path.
fn write_ca(pem: &str) -> std::io::Result<PathBuf> {
    let mut suffix = [0u8; 6];
    rand::fill(&mut suffix);
    let name: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
    let dir = std::env::temp_dir().join(format!("kraken-doctor-sim-{}-{name}", std::process::id()));
    std::fs::create_dir(&dir)?;
    let path = dir.join("ca.pem");
    std::fs::write(&path, pem)?;
    Ok(path)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_binds_go_without_a_warning() {
        for quiet in ["127.0.0.1", "127.0.0.2", "::1"] {
            assert_eq!(exposure_warning(quiet.parse().unwrap()), None, "{quiet}");
        }
        for loud in ["0.0.0.0", "::", "192.0.2.10", "2001:db8::1"] {
            let w = exposure_warning(loud.parse().unwrap()).expect(loud);
            assert!(w.contains(loud) && w.contains("secrets"), "{w}");
        }
    }
}
