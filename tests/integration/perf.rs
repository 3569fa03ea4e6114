//! Performance regression guard without a stopwatch: the number of HTTP requests a run sends
//! (JSON `requests`) and the number of sequential network rounds (the `-v` summary line,
//! counted by the HTTP layer from requests on the wire). No wall time is asserted. The
//! simulator holds every answer for [`HOLD_MS`], so a round's requests are all on the wire
//! before any answer returns; a stall longer than that while sending a handful of requests
//! is the only way to miscount, which a loaded CI machine does not come near. A change that
//! makes two probes wait for each other adds a round and fails here. Wall-time numbers live
//! in `benches/checklist.rs` and BENCHMARKS.md.

use serde_json::Value;

use crate::common::{property_id, run};
use kraken_sim::{Scenario, SimOptions, Simulator};

/// How long the simulator holds each answer: far longer than sending a round takes.
const HOLD_MS: u64 = 250;

fn held(scenario: Scenario) -> Simulator {
    let options = SimOptions {
        latency_ms: Some(HOLD_MS),
        ..SimOptions::default()
    };
    Simulator::start_with(scenario, options).expect("the simulator starts")
}

/// What one run cost: requests (from the JSON) and rounds (from `-v`), per target.
#[derive(Debug, PartialEq, Eq)]
struct Cost {
    requests: u64,
    rounds: u64,
}

/// The `-v` summary lines, `N HTTP requests in R rounds, D ms [client_id]`, in order.
fn rounds_lines(stderr: &str) -> Vec<(u64, u64, String)> {
    stderr
        .lines()
        .filter_map(|l| {
            let (n, rest) = l.split_once(" HTTP requests in ")?;
            let (r, rest) = rest.split_once(" rounds, ")?;
            let client = rest.split_once('[')?.1.trim_end_matches(']');
            Some((n.parse().ok()?, r.parse().ok()?, client.to_string()))
        })
        .collect()
}

/// `check -v --format json` with a data target against the scenario's first application.
fn cost_of(scenario: &str) -> Cost {
    let sim = held(Scenario::builtin(scenario).expect("a built-in scenario"));
    let pid = property_id(&sim);
    cost_with(&sim, &["--property-id", &pid])
}

/// `check -v --format json` with these flags against the simulator's first application.
fn cost_with(sim: &Simulator, flags: &[&str]) -> Cost {
    let mut args = vec!["-v", "--format", "json"];
    args.extend_from_slice(flags);
    let run = crate::common::check(sim, &args);
    let report: Value = serde_json::from_str(&run.stdout).expect("one JSON report");
    let requests = report["requests"].as_u64().expect("requests is a number");
    let lines = rounds_lines(&run.stderr);
    assert_eq!(lines.len(), 1, "one summary line:\n{}", run.stderr);
    assert_eq!(lines[0].0, requests, "-v and JSON agree on requests");
    Cost {
        requests,
        rounds: lines[0].1,
    }
}

#[test]
fn healthy_run_takes_two_rounds_and_at_most_ten_requests() {
    // Round one: every token request at once; round two: every GraphQL probe at once.
    let c = cost_of("healthy");
    assert!(c.requests <= 10, "{c:?}");
    assert_eq!(c.rounds, 2, "{c:?}");
}

#[test]
fn a_supply_point_read_is_two_rounds_and_at_most_ten_requests_too() {
    // The read by supply point is a search (so it is the role-level search too) and the
    // supplyPoint lookup travels beside it: still two rounds.
    let sim = held(Scenario::builtin("healthy").expect("healthy"));
    let c = cost_with(&sim, &["--supply-point", "1200012345679"]);
    assert!(c.requests <= 10, "{c:?}");
    assert_eq!(c.rounds, 2, "{c:?}");
}

#[test]
fn bearer_only_adds_exactly_one_round() {
    // The Bearer comparison travels beside the bare probes, so the fallback costs one round,
    // and the probe it answered is not sent again.
    let c = cost_of("bearer-only");
    assert!(c.requests <= 12, "{c:?}");
    assert_eq!(c.rounds, 3, "{c:?}");
}

#[test]
fn short_lived_token_is_fetched_once_more_and_no_further() {
    // Expired mid-run: one new token (a round), the probes once more (a round); never a loop.
    let c = cost_of("short-lived-token");
    assert!(c.requests <= 15, "{c:?}");
    assert_eq!(c.rounds, 4, "{c:?}");
}

#[test]
fn one_simulator_serves_fifty_profiles_each_in_two_rounds() {
    // 50 applications, one per profile, checked concurrently: every target passes with the
    // same per-target cost as a single run.
    const N: usize = 50;
    let sim = held(Scenario::fleet(N));
    let pid = property_id(&sim);
    let dir = tempfile::tempdir().expect("a temp dir");
    let (config, env) = sim.profiles_config(&pid, "FLEET_SECRET_");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, config).expect("the config is written");
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let out = run(
        &[
            "check",
            "--config",
            path.to_str().expect("a UTF-8 path"),
            "--all-profiles",
            "--jobs",
            "50",
            "--format",
            "json",
            "-v",
        ],
        &env,
        None,
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let multi: Value = serde_json::from_str(&out.stdout).expect("one JSON document");
    let reports = multi["reports"].as_array().expect("reports");
    assert_eq!(reports.len(), N);
    for r in reports {
        assert_eq!(r["exit_code"], 0, "{}", r["target"]);
        assert!(r["requests"].as_u64().is_some_and(|n| n <= 10));
    }
    let lines = rounds_lines(&out.stderr);
    assert_eq!(lines.len(), N);
    assert!(lines.iter().all(|(_, rounds, _)| *rounds == 2), "{lines:?}");
    assert_eq!(
        sim.stats().token_requests,
        5 * N as u64,
        "one token per target"
    );
}
