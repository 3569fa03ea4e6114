//! Interrupts as a person and a CI runner send them: a real SIGINT (Ctrl-C) or SIGTERM (a
//! cancelled job) to the binary while its requests wait on a slow simulator. The run stops,
//! says "interrupted" on stderr, exits 130, and the report file asked for holds what was
//! decided with the rest marked not run: JUnit read by a real XML parser, JSON validated
//! against the published schema. A second Ctrl-C ends a run stuck writing its report.

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use kraken_sim::{Scenario, Simulator};
use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::Value;

use crate::common::{check_args, command};

/// A healthy application whose token endpoint answers after a minute: any run is mid-way
/// for as long as the test needs.
fn slow_sim() -> Simulator {
    let mut toml = Scenario::builtin("healthy").unwrap().to_toml();
    toml.push_str("\n[[faults]]\nendpoint = \"token\"\nkind = \"latency\"\nlatency_ms = 60000\n");
    let scenario = Scenario::from_toml_str(&toml, "slow").expect("the scenario parses");
    Simulator::start(scenario).expect("the simulator starts")
}

/// `check` against `sim` writing `format` to `out`, started in the background.
fn start(sim: &Simulator, format: &str, out: &Path) -> Child {
    let out = out.to_str().unwrap();
    let (args, secret) = check_args(
        sim,
        &["--format", format, "--output", out, "--timeout", "120"],
    );
    let mut cmd: Command = command();
    cmd.args(&args)
        .env("KRAKEN_CLIENT_SECRET", secret)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd.spawn().expect("the binary starts")
}

/// Waits until the simulator has a token request in hand (the run is mid-way: its answer
/// is a minute off), then sends `signal` to `child` with kill(1).
fn interrupt_mid_run(sim: &Simulator, child: &Child, signal: &str) {
    while sim.stats().token_requests == 0 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let status = Command::new("sh")
        .args(["-c", &format!("kill -{signal} {}", child.id())])
        .status()
        .expect("kill runs");
    assert!(status.success(), "the signal was sent");
}

/// Exit code and stderr of the interrupted child.
fn finish(mut child: Child) -> (Option<i32>, String) {
    let status = child.wait().expect("the binary ends");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (status.code(), stderr)
}

/// Each `<testcase>`'s name and the element inside it (`skipped`, `failure`, ...) with its
/// `message`, and the suite's `exit_code` property.
fn junit_cases(xml: &str) -> (Vec<(String, String, String)>, Option<String>) {
    let mut reader = Reader::from_str(xml);
    let mut cases = Vec::new();
    let mut exit_code = None;
    let mut current = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => {
                let attr = |name: &str| {
                    e.attributes()
                        .filter_map(Result::ok)
                        .find(|a| a.key.as_ref() == name)
                        .and_then(|a| {
                            a.normalized_value(quick_xml::XmlVersion::Explicit1_0)
                                .ok()
                                .map(|v| v.into_owned())
                        })
                };
                let tag = e.name().as_ref().to_string();
                match tag.as_str() {
                    "testcase" => current = attr("name"),
                    "property" if attr("name").as_deref() == Some("exit_code") => {
                        exit_code = attr("value");
                    }
                    "skipped" | "failure" | "error" => {
                        let name = current.clone().expect("inside a testcase");
                        cases.push((name, tag, attr("message").unwrap_or_default()));
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    (cases, exit_code)
}

/// `check --format FORMAT --output FILE` against a slow simulator, sent `signal` mid-run:
/// asserts the exit (130) and "interrupted" on stderr, and returns the report file's text.
fn interrupted_report(format: &str, file: &str, signal: &str) -> String {
    let sim = slow_sim();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(file);
    let child = start(&sim, format, &out);
    interrupt_mid_run(&sim, &child, signal);
    let (code, stderr) = finish(child);
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    std::fs::read_to_string(&out).expect("the partial report was written")
}

#[test]
fn ctrl_c_mid_run_writes_the_junit_marks_the_rest_not_run_and_exits_130() {
    let xml = interrupted_report("junit", "report.xml", "INT");
    let (cases, exit_code) = junit_cases(&xml);
    assert_eq!(exit_code.as_deref(), Some("130"), "{xml}");
    let ids = kraken_doctor::checks::ids();
    assert_eq!(cases.len(), ids.len(), "one testcase per check:\n{xml}");
    for (name, tag, message) in &cases {
        assert_eq!(tag, "skipped", "{name}: {xml}");
        if name.starts_with("manual.") {
            assert!(
                message.starts_with("manual:"),
                "decided without a request: {name}"
            );
        } else {
            assert_eq!(message, "interrupted", "{name}");
        }
    }
}

#[test]
fn sigterm_mid_run_writes_json_that_the_schema_accepts() {
    let text = interrupted_report("json", "report.json", "TERM");
    let report: Value = serde_json::from_str(&text).expect("JSON");
    let schema: Value = serde_json::from_str(include_str!("../../schemas/report-v1.schema.json"))
        .expect("the schema is JSON");
    let validator = jsonschema::draft202012::new(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{text}");
    assert_eq!(report["interrupted"], true);
    assert_eq!(report["exit_code"], 130);
    for c in report["checks"].as_array().unwrap() {
        if c["status"] != "manual" {
            assert_eq!(c["status"], "skip", "{c}");
            assert_eq!(c["summary"], "interrupted", "{c}");
            assert_eq!(c["outcome"], "interrupted", "{c}");
        }
    }
}

#[test]
fn a_second_ctrl_c_exits_at_once_while_the_report_cannot_be_written() {
    // Proves: after the first Ctrl-C the run writes its report; when that write hangs (the
    // `--output` is a named pipe nobody reads, as a stuck network share would), a second
    // Ctrl-C ends the process at once with 130 instead of leaving the person waiting.
    use std::io::BufRead;
    let sim = slow_sim();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.xml");
    let made = Command::new("mkfifo")
        .arg(&out)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "a named pipe for the report");
    let mut child = start(&sim, "junit", &out);
    interrupt_mid_run(&sim, &child, "INT");
    // The first signal is taken: "interrupted" is said before the report is written.
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    while !said.contains("interrupted") {
        let mut line = String::new();
        let n = stderr.read_line(&mut line).expect("stderr reads");
        assert!(n > 0, "stderr ended before \"interrupted\": {said}");
        said.push_str(&line);
    }
    let status = Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .expect("kill runs");
    assert!(status.success(), "the second signal was sent");
    // A hang here would be the bug; the deadline only keeps the suite from hanging with it.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let code = loop {
        if let Some(status) = child.try_wait().expect("the child is there") {
            break status.code();
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("a second Ctrl-C did not end the run blocked on its report: {said}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, Some(130), "{said}");
}
