//! `cargo bench --bench checklist`: how long a check takes against the simulator with an added
//! latency L on every request, next to a deliberately sequential client sending the same
//! requests; the 50-application multi-target run; start-up time; peak memory; and the
//! simulator's own throughput and per-request time. Plain Rust (no harness), bounded in time
//! (well under two minutes), 127.0.0.1 only. The results and the machine they came from go
//! to BENCHMARKS.md.
//!
//! The release binary runs as a child process, as a user runs it, so its wall time includes
//! process start. Peak memory is `ru_maxrss` from `wait4`, which on Linux also counts the
//! memory of the process that forked the child (the high-water mark survives `exec`); so the
//! bench re-runs itself as a small spawner ([`SPAWNER`]) that starts kraken-doctor, times it
//! and reports its `wait4` figures: the spawner is small, so the number is kraken-doctor's.

// The crate denies unsafe code; this bench needs two calls for wait4's resource usage.
#![allow(unsafe_code)]

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use kraken_sim::{Scenario, SimOptions, Simulator};
use serde_json::{Value, json};

/// The latency the simulator adds to every answer.
const L_MS: u64 = 100;
/// Runs per single-target measurement.
const RUNS: usize = 11;
/// Runs of the 50-application measurement.
const FLEET_RUNS: usize = 5;
const FLEET: usize = 50;
/// Spawns per start-up measurement.
const STARTS: usize = 50;
/// Requests per endpoint in the throughput measurement, and concurrent clients.
const THROUGHPUT_REQUESTS: usize = 2000;
const CLIENTS: usize = 8;

const BIN: &str = env!("CARGO_BIN_EXE_kraken-doctor");
/// Set in the environment of the bench's own re-run as a spawner.
const SPAWNER: &str = "KRAKEN_DOCTOR_BENCH_SPAWNER";

fn main() {
    if std::env::var_os(SPAWNER).is_some() {
        spawner();
        return;
    }
    let started = Instant::now();
    machine();
    println!("\nL = {L_MS} ms added by the simulator to every answer; {RUNS} runs each.\n");
    println!(
        "| run | wall median | min | max | median ÷ L | requests | rounds | peak RSS |\n\
         |---|---|---|---|---|---|---|---|"
    );
    for (name, label) in [
        ("healthy", "check healthy, --property-id"),
        ("bearer-only", "check bearer-only (header fallback)"),
        ("short-lived-token", "check short-lived-token (re-fetch)"),
    ] {
        single(name, label);
    }
    sequential();
    fleet(FLEET, "--jobs 50");
    fleet(FLEET, "--jobs 8 (default)");
    println!();
    startup();
    println!();
    throughput();
    println!("\nbench total: {:.1} s", started.elapsed().as_secs_f64());
}

// ------------------------------------------------------------------ measuring

/// One child run: wall time, stdout, stderr, peak RSS in KiB, CPU time.
struct Child {
    wall: Duration,
    stdout: String,
    stderr: String,
    maxrss_kb: i64,
    cpu: Duration,
}

/// Spawner mode: run kraken-doctor with our arguments and stdio, reap it with `wait4`, and
/// append `wall_us maxrss_kb cpu_us` as the last line of stderr. The child is reaped by
/// `wait4` (std's `wait` cannot return its rusage), so it leaves no zombie.
#[allow(clippy::zombie_processes)]
fn spawner() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let start = Instant::now();
    let child = Command::new(BIN)
        .args(&args)
        .env_remove(SPAWNER)
        .spawn()
        .expect("the release binary starts");
    let pid = i32::try_from(child.id()).expect("a pid");
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our unreaped child; status and usage point to live locals.
    let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    assert_eq!(reaped, pid, "wait4 reaps the child");
    let tv = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    eprintln!(
        "\n{} {} {}",
        wall.as_micros(),
        usage.ru_maxrss,
        tv(usage.ru_utime) + tv(usage.ru_stime)
    );
}

/// Run the release binary through the spawner; see the module comment.
fn spawn(args: &[&str], env: &[(String, String)]) -> Child {
    let me = std::env::current_exe().expect("the bench's own path");
    let mut cmd = Command::new(me);
    cmd.args(args)
        .env_clear()
        .env(SPAWNER, "1")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("XDG_CONFIG_HOME", "/nonexistent-kraken-doctor-bench")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the spawner starts");
    let mut err_pipe = child.stderr.take().expect("stderr is piped");
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let mut stdout = String::new();
    let _ = child
        .stdout
        .take()
        .expect("stdout is piped")
        .read_to_string(&mut stdout);
    let _ = child.wait();
    let stderr = err_reader.join().unwrap_or_default();
    let figures: Vec<u64> = stderr
        .lines()
        .last()
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|n| n.parse().ok())
        .collect();
    assert_eq!(figures.len(), 3, "the spawner reports: {stderr}");
    Child {
        wall: Duration::from_micros(figures[0]),
        stdout,
        stderr,
        maxrss_kb: figures[1] as i64,
        cpu: Duration::from_micros(figures[2]),
    }
}

fn latency(ms: u64) -> SimOptions {
    SimOptions {
        latency_ms: Some(ms),
        ..SimOptions::default()
    }
}

fn median(v: &[Duration]) -> Duration {
    let mut s = v.to_vec();
    s.sort();
    s[s.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// The `-v` summary line's rounds (`N HTTP requests in R rounds, …`), summed over targets.
fn rounds(stderr: &str) -> Vec<u64> {
    stderr
        .lines()
        .filter_map(|l| {
            let rest = l.split_once(" HTTP requests in ")?.1;
            rest.split_once(" rounds")?.0.parse().ok()
        })
        .collect()
}

fn row(label: &str, walls: &[Duration], requests: &str, rounds: &str, rss_kb: i64) {
    let min = walls.iter().min().copied().unwrap_or_default();
    let max = walls.iter().max().copied().unwrap_or_default();
    let med = median(walls);
    println!(
        "| {label} | {} | {} | {} | {:.2} | {requests} | {rounds} | {:.1} MB |",
        ms(med),
        ms(min),
        ms(max),
        med.as_secs_f64() * 1000.0 / L_MS as f64,
        rss_kb as f64 / 1024.0
    );
}

fn machine() {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("machine: {cores} cores (nproc), CPU {cpu}, {rustc}");
    println!(
        "load average at start: {}",
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}

// ------------------------------------------------------------------ kraken-doctor check

/// `check --property-id` against a fresh simulator per run (a scenario that expires tokens
/// mid-run does so once per simulator).
fn single(scenario: &str, label: &str) {
    let mut walls = Vec::new();
    let mut requests = Vec::new();
    let mut rs = Vec::new();
    let mut rss = 0;
    for _ in 0..RUNS {
        let s = Scenario::builtin(scenario).expect("a built-in scenario");
        let sim = Simulator::start_with(s, latency(L_MS)).expect("the simulator starts");
        let app = sim.applications().remove(0);
        let pid = sim.properties().remove(0).id;
        let url = sim.url();
        let out = spawn(
            &[
                "check",
                "--auth-url",
                &url,
                "--api-url",
                &url,
                "--client-id",
                &app.client_id,
                "--property-id",
                &pid,
                "--format",
                "json",
                "-v",
            ],
            &[(
                "KRAKEN_CLIENT_SECRET".into(),
                app.client_secret.expose().into(),
            )],
        );
        let report: Value = serde_json::from_str(&out.stdout).expect("a JSON report");
        requests.push(report["requests"].as_u64().unwrap_or(0));
        rs.extend(rounds(&out.stderr));
        walls.push(out.wall);
        rss = rss.max(out.maxrss_kb);
    }
    row(label, &walls, &spread(&requests), &spread(&rs), rss);
}

fn spread(v: &[u64]) -> String {
    let (lo, hi) = (v.iter().min(), v.iter().max());
    match (lo, hi) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "–".into(),
    }
}

/// The same ten requests as a healthy check, one after another: the five token requests, the
/// schema introspection, then the three GraphQL probes from `checks/` with the bare header and
/// the Bearer comparison. One reqwest client, so connections are reused as in the tool.
fn sequential() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let doc = |name: &str| {
        kraken_doctor::checks::document(name)
            .expect("a probe document")
            .document
            .clone()
    };
    let schema = doc("schema");
    let viewer = doc("viewer");
    let search = doc("search");
    let usage = doc("read-property");
    let mut walls = Vec::new();
    for _ in 0..RUNS {
        let sim = Simulator::start_with(Scenario::builtin("healthy").expect("healthy"), {
            latency(L_MS)
        })
        .expect("the simulator starts");
        let app = sim.applications().remove(0);
        let id = app.client_id.clone();
        let secret = app.client_secret.expose().to_string();
        let pid = sim.properties().remove(0).id;
        let token_url = format!("{}/token/", sim.url());
        let gql_url = format!("{}/v1/graphql/", sim.url());
        let client = reqwest::Client::new();
        let start = Instant::now();
        let sent = rt.block_on(async {
            let form = |pairs: &[(&str, &str)]| {
                url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs)
                    .finish()
            };
            let post_form = |body: String, basic: Option<String>| {
                let mut r = client
                    .post(&token_url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(body);
                if let Some(b) = basic {
                    r = r.header("authorization", format!("Basic {b}"));
                }
                r.send()
            };
            let cc = "client_credentials";
            let first = post_form(
                form(&[
                    ("grant_type", cc),
                    ("client_id", &id),
                    ("client_secret", &secret),
                ]),
                None,
            )
            .await
            .expect("a token answer");
            let token: Value = first.json().await.expect("token JSON");
            let token = token["access_token"].as_str().expect("a token").to_string();
            let basic = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
            let others = [
                (form(&[("grant_type", cc)]), Some(basic)),
                (form(&[("grant_type", cc), ("client_id", &id)]), None),
                (
                    form(&[
                        ("grant_type", cc),
                        ("client_id", &id),
                        ("client_secret", "kraken-doctor-wrong-0"),
                    ]),
                    None,
                ),
                (
                    form(&[
                        ("grant_type", "authorization_code"),
                        ("client_id", &id),
                        ("code", "kraken-doctor-probe-not-a-code"),
                    ]),
                    None,
                ),
            ];
            let mut n = 1;
            for (body, basic) in others {
                let r = post_form(body, basic).await.expect("an answer");
                let _ = r.bytes().await;
                n += 1;
            }
            let vars = json!({ "propertyId": pid });
            let term = json!({ "searchTerm": "kraken-doctor-probe" });
            let probes = [
                (&schema, json!({}), String::new()),
                (&viewer, json!({}), token.clone()),
                (&search, term.clone(), token.clone()),
                (&usage, vars, token.clone()),
                (&search, term, format!("Bearer {token}")),
            ];
            for (document, variables, auth) in probes {
                let mut r = client.post(&gql_url);
                if !auth.is_empty() {
                    r = r.header("authorization", auth);
                }
                let r = r
                    .json(&json!({ "query": document, "variables": variables }))
                    .send()
                    .await
                    .expect("an answer");
                let body: Value = r.json().await.expect("GraphQL JSON");
                assert!(body.get("data").is_some(), "the probe answered: {body}");
                n += 1;
            }
            n
        });
        walls.push(start.elapsed());
        assert_eq!(
            sim.stats().token_requests + sim.stats().graphql_requests,
            10
        );
        assert_eq!(sent, 10);
    }
    row(
        "same 10 requests, sequential (in-process reqwest)",
        &walls,
        "10",
        "10",
        0,
    );
}

/// `check --all-profiles` over `n` applications on one simulator.
fn fleet(n: usize, jobs_label: &str) {
    let sim = Simulator::start_with(Scenario::fleet(n), latency(L_MS)).expect("sim starts");
    let pid = sim.properties().remove(0).id;
    let dir = tempfile::tempdir().expect("a temp dir");
    let (config, env) = sim.profiles_config(&pid, "FLEET_SECRET_");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, config).expect("the config is written");
    let path = path.to_str().expect("a UTF-8 path").to_string();
    let jobs = jobs_label.split_whitespace().nth(1).unwrap_or("8");
    let mut walls = Vec::new();
    let mut requests = Vec::new();
    let mut rs = Vec::new();
    let mut rss = 0;
    for _ in 0..FLEET_RUNS {
        let out = spawn(
            &[
                "check",
                "--config",
                &path,
                "--all-profiles",
                "--jobs",
                jobs,
                "--format",
                "json",
                "-v",
            ],
            &env,
        );
        let multi: Value = serde_json::from_str(&out.stdout).expect("a JSON document");
        let reports = multi["reports"].as_array().cloned().unwrap_or_default();
        assert_eq!(reports.len(), n, "{}", out.stderr);
        assert_eq!(multi["exit_code"], 0, "every application passes");
        requests.extend(reports.iter().filter_map(|r| r["requests"].as_u64()));
        rs.extend(rounds(&out.stderr));
        walls.push(out.wall);
        rss = rss.max(out.maxrss_kb);
    }
    row(
        &format!("{n} applications, --all-profiles {jobs_label}"),
        &walls,
        &format!("{} per app", spread(&requests)),
        &format!("{} per app", spread(&rs)),
        rss,
    );
}

// ------------------------------------------------------------------ start-up

fn startup() {
    println!(
        "| start-up ({STARTS} spawns) | wall median | min | max | CPU median | peak RSS |\n\
         |---|---|---|---|---|---|"
    );
    for args in [&["--version"][..], &["explain", "KT-CT-1111"][..]] {
        let mut walls = Vec::new();
        let mut cpus = Vec::new();
        let mut rss = 0;
        for _ in 0..STARTS {
            let out = spawn(args, &[]);
            walls.push(out.wall);
            cpus.push(out.cpu);
            rss = rss.max(out.maxrss_kb);
        }
        println!(
            "| `kraken-doctor {}` | {} | {} | {} | {} | {:.1} MB |",
            args.join(" "),
            ms(median(&walls)),
            ms(*walls.iter().min().expect("runs")),
            ms(*walls.iter().max().expect("runs")),
            ms(median(&cpus)),
            rss as f64 / 1024.0
        );
    }
}

// ------------------------------------------------------------------ the simulator itself

/// Token and GraphQL requests per second at latency 0 with `CLIENTS` concurrent clients, and
/// the simulator's own time per request (from its service-time record).
fn throughput() {
    // One client thread, so the simulator's two workers keep the other core's share.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let sim = Simulator::start_with(Scenario::builtin("healthy").expect("healthy"), latency(0))
        .expect("the simulator starts");
    let app = sim.applications().remove(0);
    let pid = sim.properties().remove(0).id;
    let token_url = format!("{}/token/", sim.url());
    let gql_url = format!("{}/v1/graphql/", sim.url());
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("grant_type", "client_credentials"),
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.expose()),
        ])
        .finish();
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(30);
    let prop = kraken_doctor::checks::document("read-property")
        .expect("a probe document")
        .document
        .clone();
    println!(
        "| simulator, latency 0, {CLIENTS} clients | requests | req/s | own time p50 | p99 | max | over 1 ms |\n\
         |---|---|---|---|---|---|---|"
    );
    let token = rt.block_on(async {
        let r = client
            .post(&token_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.clone())
            .send()
            .await
            .expect("a token");
        let v: Value = r.json().await.expect("token JSON");
        v["access_token"].as_str().expect("a token").to_string()
    });
    let gql = json!({ "query": prop, "variables": { "propertyId": pid } }).to_string();
    for endpoint in ["/token/", "/v1/graphql/"] {
        let before = sim.service_times_us().len();
        let per_client = THROUGHPUT_REQUESTS / CLIENTS;
        let start = Instant::now();
        let done: usize = rt.block_on(async {
            let tasks = (0..CLIENTS).map(|_| {
                let client = client.clone();
                let (url, body, auth, ct) = if endpoint == "/token/" {
                    (
                        token_url.clone(),
                        body.clone(),
                        None,
                        "application/x-www-form-urlencoded",
                    )
                } else {
                    (
                        gql_url.clone(),
                        gql.clone(),
                        Some(token.clone()),
                        "application/json",
                    )
                };
                tokio::spawn(async move {
                    let mut ok = 0;
                    for _ in 0..per_client {
                        if Instant::now() > deadline {
                            break;
                        }
                        let mut r = client
                            .post(&url)
                            .header("content-type", ct)
                            .body(body.clone());
                        if let Some(a) = &auth {
                            r = r.header("authorization", a);
                        }
                        if let Ok(resp) = r.send().await
                            && resp.status().is_success()
                            && resp.bytes().await.is_ok()
                        {
                            ok += 1;
                        }
                    }
                    ok
                })
            });
            futures::future::join_all(tasks)
                .await
                .into_iter()
                .map(|r| r.unwrap_or(0))
                .sum()
        });
        let elapsed = start.elapsed();
        let mut own: Vec<u32> = sim.service_times_us()[before..].to_vec();
        own.sort_unstable();
        let pct = |p: f64| own[((own.len() - 1) as f64 * p) as usize];
        let over = own.iter().filter(|&&us| us > 1000).count();
        println!(
            "| {endpoint} | {done} ok | {:.0} | {} µs | {} µs | {} µs | {over} |",
            done as f64 / elapsed.as_secs_f64(),
            pct(0.5),
            pct(0.99),
            own.last().copied().unwrap_or(0),
        );
    }
}
