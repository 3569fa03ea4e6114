//! A fault never becomes a verdict. Every check runs under every simulator fault, on each
//! endpoint: no check may `fail`; the check where the fault happened is `error` with the
//! reason, the checks that needed its result `skip` naming it — or all `pass` after a retry
//! that the evidence shows. The run ends within
//! its time limit, and the exit code is 3 (or 0 when retries recovered).

use std::io::{Read, Write};
use std::net::TcpListener;

use kraken_sim::{Scenario, Simulator};
use serde_json::Value;

use crate::common::{check, run};

const AUTH: [&str; 5] = [
    "auth.reachable",
    "auth.token",
    "auth.confidential",
    "auth.methods",
    "auth.token-lifetime",
];

fn faulted(endpoint: &str, fault: &str) -> Simulator {
    let mut toml = Scenario::builtin("healthy").unwrap().to_toml();
    toml.push_str(&format!(
        "\n[[faults]]\nendpoint = \"{endpoint}\"\n{fault}\n"
    ));
    let scenario =
        Scenario::from_toml_str(&toml, "fault-matrix").expect("the fault scenario parses");
    Simulator::start(scenario).expect("the simulator starts")
}

fn matrix(endpoint: &str, fault: &str, recovers: bool) {
    let sim = faulted(endpoint, fault);
    let prop = sim.properties()[0].id.clone();
    let retries = if recovers { "2" } else { "1" };
    let r = check(
        &sim,
        &[
            "--format",
            "json",
            "--skip",
            "manual",
            "--property-id",
            &prop,
            "--timeout",
            "1.5",
            "--retries",
            retries,
            "--run-timeout",
            "12",
        ],
    );
    let report: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| {
        panic!(
            "{endpoint}/{fault}: JSON even under faults: {e}\n{}",
            r.stderr
        )
    });
    let what = format!("{endpoint} fault `{}`", fault.replace('\n', " "));
    assert!(
        report["duration_ms"].as_u64().unwrap() < 13_000,
        "{what}: the run ends within --run-timeout"
    );
    for c in report["checks"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        let status = c["status"].as_str().unwrap();
        let touched = endpoint == "token" || !AUTH.contains(&id);
        assert_ne!(
            status, "fail",
            "{what}: {id} failed because of a fault: {}",
            c["summary"]
        );
        if !touched {
            assert_eq!(
                status, "pass",
                "{what}: {id} does not use the faulted endpoint"
            );
        } else if recovers {
            assert_eq!(
                status, "pass",
                "{what}: {id} passes after retries: {}",
                c["summary"]
            );
        } else {
            // One fault, said once: the check where it happened is `error`; the checks that
            // needed its result are `skip`, naming that check.
            let summary = c["summary"].as_str().unwrap();
            match status {
                "error" => assert!(summary.len() > 20, "{what}: {id} says why"),
                "skip" => {
                    let blocker = summary
                        .strip_prefix("Not run: ")
                        .and_then(|s| s.strip_suffix(" could not be decided"))
                        .unwrap_or_else(|| panic!("{what}: {id} names what stopped it: {summary}"));
                    let blocked_by = report["checks"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|b| b["id"] == blocker)
                        .unwrap_or_else(|| panic!("{what}: {blocker} is in the report"));
                    assert!(
                        blocked_by["status"] == "error" || blocked_by["status"] == "skip",
                        "{what}: {id} waits on {blocker}, which is {}",
                        blocked_by["status"]
                    );
                }
                other => panic!("{what}: {id} is {other}: {summary}"),
            }
        }
    }
    if !recovers {
        let errors = report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == "error")
            .count();
        assert!(
            errors >= 1,
            "{what}: the fault is reported where it happened"
        );
    }
    if recovers {
        assert_eq!(r.code, 0, "{what}: recovered");
        let notes = r.stdout.matches("retried after").count();
        assert!(notes > 0, "{what}: the retries show in the evidence");
    } else {
        assert_eq!(r.code, 3, "{what}: exit 3 when checks could not be decided");
    }
}

macro_rules! faults {
    ($($test:ident: $endpoint:literal, $fault:literal, $recovers:literal;)*) => {
        $( #[test] fn $test() { matrix($endpoint, $fault, $recovers); } )*
    };
}

faults! {
    token_latency_past_timeout: "token", "kind = \"latency\"\nlatency_ms = 4000", false;
    token_server_error_html: "token", "kind = \"server-error\"\nstatus = 503", false;
    token_truncated_json: "token", "kind = \"truncated\"", false;
    token_non_json: "token", "kind = \"non-json\"", false;
    token_dropped_connection: "token", "kind = \"drop\"", false;
    token_rate_limited: "token", "kind = \"rate-limit\"\nretry_after = 1", false;
    token_first_n_then_recover: "token", "kind = \"server-error\"\nstatus = 502\nfirst_n = 3", true;
    graphql_latency_past_timeout: "graphql", "kind = \"latency\"\nlatency_ms = 4000", false;
    graphql_server_error_html: "graphql", "kind = \"server-error\"\nstatus = 500", false;
    graphql_truncated_json: "graphql", "kind = \"truncated\"", false;
    graphql_non_json: "graphql", "kind = \"non-json\"", false;
    graphql_dropped_connection: "graphql", "kind = \"drop\"", false;
    graphql_rate_limited: "graphql", "kind = \"rate-limit\"\nretry_after = 1", false;
    graphql_first_n_then_recover: "graphql", "kind = \"server-error\"\nstatus = 503\nfirst_n = 3", true;
}

/// A one-shot HTTP server that answers every connection with `response`.
fn raw_server(response: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(16) {
            let Ok(mut s) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = s.write_all(&response);
        }
    });
    format!("http://{addr}")
}

#[test]
fn an_oversized_body_is_an_error_not_a_memory_spike() {
    let body = vec![b'x'; 2 * 1024 * 1024];
    let mut resp = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    resp.extend(body);
    let url = raw_server(resp);
    let r = run(
        &[
            "check",
            "--auth-url",
            &url,
            "--api-url",
            &url,
            "--client-id",
            "x",
            "--only",
            "auth.token",
            "--format",
            "json",
            "--retries",
            "0",
        ],
        &[("KRAKEN_CLIENT_SECRET", "s3cret-value")],
        None,
    );
    assert_eq!(r.code, 3, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["checks"][0]["status"], "error");
    assert!(
        v["checks"][0]["summary"]
            .as_str()
            .unwrap()
            .contains("byte limit"),
        "{}",
        v["checks"][0]["summary"]
    );
}

#[test]
fn the_run_time_limit_ends_a_run_against_a_server_that_never_answers() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // Accept and hold connections without answering.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().take(32).flatten() {
            held.push(s);
        }
    });
    let started = std::time::Instant::now();
    let r = run(
        &[
            "check",
            "--auth-url",
            &url,
            "--api-url",
            &url,
            "--client-id",
            "x",
            "--format",
            "json",
            "--timeout",
            "30",
            "--run-timeout",
            "1",
        ],
        &[("KRAKEN_CLIENT_SECRET", "s3cret-value")],
        None,
    );
    assert!(
        started.elapsed().as_secs() < 10,
        "the run ended near its limit"
    );
    assert_eq!(r.code, 3);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] != "pass" && c["status"] != "fail"
                || c["id"].as_str().unwrap().starts_with("manual."))
    );
    assert!(
        r.stdout.contains("time limit"),
        "the reason names the run's time limit"
    );
}
