//! A fault said once, in plain words, as a person reads it at 80 columns: a refused
//! connection, a name that does not resolve and an answer that does not come in time are each
//! one sentence naming the host and port and counting the tries; the checks they stop fold
//! into one line (JSON keeps one result per check, each with its reason); the fix names the
//! setting the user gave; the HTTP library's own error chain shows only under `-v`.

use std::net::TcpListener;

use serde_json::Value;

use crate::common::{Run, check, run, sim};
use crate::snap;

/// A loopback port nothing listens on (bound, then closed): connecting is refused.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// `check` of a made-up application against these URLs, at 80 columns, plus `extra`.
fn check_at(auth: &str, api: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "check",
        "--auth-url",
        auth,
        "--api-url",
        api,
        "--client-id",
        "kd-test-client",
    ];
    args.extend_from_slice(extra);
    run(
        &args,
        &[
            ("KRAKEN_CLIENT_SECRET", "not-a-real-secret"),
            ("COLUMNS", "80"),
        ],
        None,
    )
}

/// The text with every run of whitespace as one space: a sentence wrapped over two lines
/// reads as one.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// How often `needle` appears, whatever its case.
fn mentions(text: &str, needle: &str) -> usize {
    text.to_lowercase().matches(needle).count()
}

/// What every fault report shares: exit 3, at most 30 lines none wider than 80 (URLs aside),
/// the fault said at most twice, no library chain, the stopped checks on one line.
fn assert_said_once(r: &Run, needle: &str) {
    assert_eq!(r.code, 3, "{}", r.transcript());
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines.len() <= 30, "{} lines:\n{}", lines.len(), r.stdout);
    for line in lines.iter().filter(|l| !l.contains("://")) {
        assert!(line.chars().count() <= 80, "wider than 80: {line:?}");
    }
    let said = mentions(&r.stdout, needle);
    assert!(
        (1..=2).contains(&said),
        "{needle:?} said {said} times:\n{}",
        r.stdout
    );
    for chain in [
        "error sending request",
        "os error",
        "client error",
        "tcp connect",
    ] {
        assert!(
            !r.stdout.contains(chain),
            "the library's chain shows:\n{}",
            r.stdout
        );
    }
    assert!(
        flat(&r.stdout).contains("8 checks not run: the auth server gave no usable answer"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_refused_connection_is_one_sentence_with_the_host_port_and_tries() {
    let port = closed_port();
    let url = format!("http://127.0.0.1:{port}");
    let r = check_at(&url, &url, &["--retries", "2"]);
    assert_said_once(&r, "refused");
    assert!(
        flat(&r.stdout).contains(&format!("Connection refused by 127.0.0.1:{port} (3 tries)")),
        "{}",
        r.stdout
    );
    assert!(
        flat(&r.stdout).contains(&format!("--auth-url {url} is right")),
        "the fix names the flag given:\n{}",
        r.stdout
    );
    snap!("faults-said__refused-80", r.stdout);
}

#[test]
fn the_library_chain_shows_under_verbose_only() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let r = check_at(&url, &url, &["--retries", "0", "-v"]);
    assert!(r.stderr.contains("os error"), "{}", r.stderr);
    assert!(!r.stdout.contains("os error"), "{}", r.stdout);
}

#[test]
fn an_unresolvable_name_is_a_dns_failure_naming_it() {
    // `.invalid` never resolves (RFC 6761): answered without a lookup, so offline and fast.
    let r = check_at(
        "https://auth.kraken-doctor-test.invalid",
        "https://api.kraken-doctor-test.invalid",
        &["--retries", "1"],
    );
    assert_said_once(&r, "dns lookup failed");
    assert!(
        flat(&r.stdout)
            .contains("DNS lookup failed for auth.kraken-doctor-test.invalid:443 (2 tries)"),
        "{}",
        r.stdout
    );
    snap!("faults-said__dns-80", r.stdout);
}

#[test]
fn an_answer_later_than_the_timeout_is_said_once_and_not_retried() {
    // slow-auth answers the token endpoint after 2 s: past --timeout 0.5.
    let sim = sim("slow-auth");
    let r = check(&sim, &["--timeout", "0.5", "--color", "never"]);
    assert_eq!(r.code, 3, "{}", r.transcript());
    assert!(
        flat(&r.stdout).contains("No complete answer from 127.0.0.1:")
            && flat(&r.stdout).contains("within 0.5 s (--timeout)"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("tries)"), "a timeout is not retried");
    assert_eq!(mentions(&r.stdout, "no complete answer"), 1, "{}", r.stdout);
}

#[test]
fn json_keeps_one_result_per_stopped_check_with_its_reason() {
    let url = format!("http://127.0.0.1:{}", closed_port());
    let r = check_at(&url, &url, &["--retries", "0", "--format", "json"]);
    let report: Value = serde_json::from_str(&r.stdout).expect("JSON");
    let stopped: Vec<&Value> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "skip" && c["id"] != "data.measurements")
        .collect();
    assert_eq!(stopped.len(), 8, "{}", r.stdout);
    for c in stopped {
        assert_eq!(
            c["summary"], "Not run: the auth server gave no usable answer (auth.reachable)",
            "{c}"
        );
    }
}

#[test]
fn the_fix_names_the_preset_when_a_preset_was_given() {
    // A preset's hosts do not resolve here, or are not reached: either way the fix names
    // the preset, never --auth-url.
    let r = run(
        &[
            "check",
            "--kraken",
            "edf-gb",
            "--test-env",
            "--client-id",
            "kd-test-client",
            "--only",
            "auth.reachable",
            "--retries",
            "0",
            "--timeout",
            "3",
        ],
        &[
            ("KRAKEN_CLIENT_SECRET", "not-a-real-secret"),
            ("COLUMNS", "200"),
        ],
        None,
    );
    if r.code == 0 {
        eprintln!("skipped: this machine reaches the EDF test Kraken, so there is no fault");
        return;
    }
    assert!(
        flat(&r.stdout).contains("that --kraken edf-gb with --test-env is right"),
        "{}",
        r.transcript()
    );
    assert!(!r.stdout.contains("--auth-url"), "{}", r.stdout);
}
