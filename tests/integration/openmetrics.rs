//! `check --format openmetrics` against the simulator, as a scheduled check feeding Prometheus
//! would run it: snapshotted (times filtered), and read by the reference parser of the format,
//! Python's `prometheus_client.openmetrics.parser` (from the interop venv; skipped with the
//! reason when it is missing, a failure under CI=true).

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{Run, check, credentials, profiles_config, run, sim};
use crate::interop_support::python_or_skip;

/// The run's wall time and the simulator's client id change from run to run; everything else
/// is a fact of the scenario.
fn filtered(text: &str, client_id: &str) -> String {
    text.replace(client_id, "[CLIENT_ID]")
        .lines()
        .map(|line| match line.rsplit_once(' ') {
            Some((head, _)) if head.starts_with("kraken_doctor_run_duration_seconds{") => {
                format!("{head} [SECONDS]")
            }
            _ => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Parses `text` with the reference parser (strict: `# EOF`, metadata, escaping), and with the
/// Prometheus text parser to the same samples; returns one line per sample
/// (`type unit name{labels sorted} value`), or `None` when the parser is missing.
fn parsed_by_reference(text: &str) -> Option<String> {
    let python = python_or_skip(&[("prometheus_client", "prometheus-client")])?;
    // node_exporter's textfile collector reads the Prometheus text format: the same text must
    // give the same samples to that parser too (`# UNIT` and `# EOF` are comments to it).
    let script = r#"
import sys
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics
from prometheus_client.parser import text_string_to_metric_families as prometheus
text = sys.stdin.read()
def samples(families):
    return [(s.name, sorted(s.labels.items()), float(s.value)) for f in families for s in f.samples]
assert samples(prometheus(text)) == samples(openmetrics(text)), "the Prometheus parser differs"
for f in openmetrics(text):
    for s in f.samples:
        labels = ','.join(f'{k}={v!r}' for k, v in sorted(s.labels.items()))
        print(f'{f.type} {f.unit or "-"} {s.name}{{{labels}}} {s.value}')
"#;
    let mut child = Command::new(python)
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "the OpenMetrics parser refused the output: {}\n{text}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

/// What every exposition must hold, whatever the scenario.
fn assert_well_formed(run: &Run, client_id: &str) {
    let text = &run.stdout;
    assert!(text.ends_with("\n# EOF\n"), "{text}");
    assert!(text.contains(&format!(
        "kraken_doctor_exit_code{{target=\"{client_id}@127.0.0.1:"
    )));
    assert!(text.contains(&format!(" {}\n", run.code)));
    if let Some(samples) = parsed_by_reference(text) {
        let ones = samples
            .lines()
            .filter(|l| l.contains(" kraken_doctor_check_status{"))
            .filter(|l| l.rsplit_once(' ').and_then(|(_, v)| v.parse::<f64>().ok()) == Some(1.0))
            .count();
        let all = samples
            .lines()
            .filter(|l| l.contains(" kraken_doctor_check_status{"))
            .count();
        assert!(ones > 0 && all == ones * 6, "{samples}");
        assert!(samples.contains(&format!(
            "gauge - kraken_doctor_exit_code{{target='{client_id}@"
        )));
        assert!(samples.contains("gauge seconds kraken_doctor_last_run_timestamp_seconds{"));
    }
}

#[test]
fn openmetrics_of_a_healthy_and_a_broken_application() {
    for (scenario, exit) in [("healthy", 0), ("missing-detailed-usage", 1)] {
        let s = sim(scenario);
        let r = check(&s, &["--format", "openmetrics", "--skip", "manual"]);
        assert_eq!(r.code, exit, "{scenario}: {}", r.stderr);
        let (client_id, _) = credentials(&s);
        assert_well_formed(&r, &client_id);
        assert!(
            r.stdout
                .contains("# UNIT kraken_doctor_token_lifetime_seconds seconds\n"),
            "{scenario}: the issued token's lifetime is known"
        );
        crate::snap!(
            format!("openmetrics__{scenario}"),
            filtered(&r.stdout, &client_id)
        );
    }
}

#[test]
fn openmetrics_of_several_profiles_is_one_exposition() {
    let (healthy, broken) = (sim("healthy"), sim("missing-detailed-usage"));
    let dir = tempfile::tempdir().unwrap();
    let cfg_path = profiles_config(dir.path(), &[("good", &healthy), ("bad", &broken)]);
    let ids: Vec<String> = [&healthy, &broken]
        .into_iter()
        .map(|s| credentials(s).0)
        .collect();
    let out = dir.path().join("kraken.prom");
    let r = run(
        &[
            "check",
            "--config",
            cfg_path.to_str().unwrap(),
            "--all-profiles",
            "--skip",
            "manual",
            "--format",
            "openmetrics",
            "--output",
            out.to_str().unwrap(),
        ],
        &[],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let text = std::fs::read_to_string(&out).unwrap();
    // One family each, with a sample per target.
    assert_eq!(
        text.matches("# TYPE kraken_doctor_exit_code gauge").count(),
        1
    );
    for id in &ids {
        assert!(text.contains(&format!(
            "kraken_doctor_exit_code{{target=\"{id}@127.0.0.1:"
        )));
    }
    let multi = Run {
        code: r.code,
        stdout: text,
        stderr: r.stderr,
    };
    assert_well_formed(&multi, &ids[1]);
}
