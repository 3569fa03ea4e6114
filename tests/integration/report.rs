//! The report as a person and a CI job get it, through the binary and the simulator: the human
//! report fitted to a terminal of 80 and 120 columns (a pseudo-terminal) or to `COLUMNS`,
//! `--quiet`, `--format markdown`, and under GitHub Actions the job summary and annotations
//! that name their target.

use kraken_sim::Simulator;

use crate::common::{Run, check, check_args, credentials, profiles_config, property_id, run, sim};

/// `kraken-doctor ARGS` on a pseudo-terminal `cols` columns wide: its exit code and all it
/// printed, as the terminal got it.
fn on_terminal(args: &[&str], env: &[(&str, &str)], cols: u16) -> (i32, String) {
    let (code, bytes) = crate::common::on_pty(args, env, cols);
    (code, String::from_utf8_lossy(&bytes).into_owned())
}

/// `check` of `sim`'s first application with its first property, on a terminal.
fn check_on_terminal(sim: &Simulator, cols: u16, extra: &[&str]) -> (i32, String) {
    let (code, text) = check_raw(sim, cols, extra);
    (code, text.replace('\r', ""))
}

/// [`check_on_terminal`] as the terminal got it.
fn check_raw(sim: &Simulator, cols: u16, extra: &[&str]) -> (i32, String) {
    let prop = property_id(sim);
    let mut all = vec!["--color", "never", "--property-id", &prop];
    all.extend_from_slice(extra);
    let (args, secret) = check_args(sim, &all);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    on_terminal(&args, &[("KRAKEN_CLIENT_SECRET", &secret)], cols)
}

/// Every line no wider than `width`, URLs aside (never cut).
fn assert_fits(text: &str, width: usize) {
    for line in text.lines().filter(|l| !l.contains("://")) {
        assert!(
            line.chars().count() <= width,
            "wider than {width}: {line:?}\n{text}"
        );
    }
}

#[test]
fn on_an_80_column_terminal_a_healthy_run_fits_one_screen() {
    // Proves: at 80 columns every row fits with its duration on its line, the manual items
    // are one short block saying how to see them in full, and the whole run fits 80×24.
    let sim = sim("healthy");
    let (code, text) = check_on_terminal(&sim, 80, &[]);
    assert_eq!(code, 0, "{text}");
    assert_fits(&text, 80);
    let rows: Vec<_> = text.lines().filter(|l| l.contains("✓ pass")).collect();
    assert_eq!(rows.len(), 10, "{text}");
    assert!(
        rows.iter().all(|r| r.ends_with(" ms") || r.ends_with(" s")),
        "{text}"
    );
    assert!(text.contains("4 to confirm by hand") && text.contains("-v shows them in full"));
    assert!(
        text.lines().count() <= 24,
        "{} lines:\n{text}",
        text.lines().count()
    );
}

#[test]
fn on_a_120_column_terminal_titles_are_whole() {
    let sim = sim("missing-detailed-usage");
    let (code, text) = check_on_terminal(&sim, 120, &[]);
    assert_eq!(code, 1, "{text}");
    assert_fits(&text, 120);
    for spec in kraken_doctor::checks::all() {
        if !spec.id.as_str().starts_with("manual.") {
            assert!(text.contains(&spec.title), "{}: {text}", spec.title);
        }
    }
    // The fix lines use the width: some line is wider than an 80-column layout allows.
    assert!(text.lines().any(|l| l.chars().count() > 80), "{text}");
}

#[test]
fn verbose_shows_the_manual_items_in_full() {
    let sim = sim("healthy");
    let (code, text) = check_on_terminal(&sim, 80, &["-v"]);
    assert_eq!(code, 0, "{text}");
    for spec in kraken_doctor::checks::all() {
        if spec.id.as_str().starts_with("manual.") {
            assert!(text.contains(spec.id.as_str()), "{}: {text}", spec.id);
        }
    }
}

#[test]
fn without_a_terminal_columns_sets_the_width_else_100() {
    let sim = sim("missing-detailed-usage");
    let prop = property_id(&sim);
    let (args, secret) = check_args(&sim, &["--property-id", &prop]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let narrow = run(
        &args,
        &[("KRAKEN_CLIENT_SECRET", &secret), ("COLUMNS", "80")],
        None,
    );
    assert_eq!(narrow.code, 1);
    assert_fits(&narrow.stdout, 80);
    let default = check(&sim, &["--property-id", &prop]);
    assert_fits(&default.stdout, 100);
    assert!(default.stdout.lines().any(|l| l.chars().count() > 80));
}

#[test]
fn quiet_prints_only_what_is_not_pass_and_the_summary() {
    let healthy = sim("healthy");
    let r = check(&healthy, &["-q", "--property-id", &property_id(&healthy)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("✓ pass") && !r.stdout.contains("kraken-doctor"));
    assert!(r.stdout.contains("confirm by hand") && r.stdout.contains("exit 0:"));
    assert!(r.stdout.lines().count() <= 6, "{}", r.stdout);
    let broken = sim("missing-detailed-usage");
    let r = check(&broken, &["--quiet", "--skip", "manual"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("✗ fail   perm.can-view-detailed-usage"));
    assert!(!r.stdout.contains("✓ pass"), "{}", r.stdout);
}

/// `check` of `sim` under a fake GitHub Actions environment with a job summary file.
fn under_github(sim: &Simulator, summary: &std::path::Path, extra: &[&str]) -> Run {
    let (args, secret) = check_args(sim, extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(
        &args,
        &[
            ("KRAKEN_CLIENT_SECRET", &secret),
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ],
        None,
    )
}

#[test]
fn markdown_format_and_the_job_summary_say_the_same() {
    // Proves: `--format markdown` prints the verdict, a row per check and the fixes; under
    // GitHub Actions the same Markdown is appended to the job summary whatever the format,
    // and neither holds the secret.
    let sim = sim("missing-detailed-usage");
    let (_, secret) = credentials(&sim);
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "## an earlier step\n").unwrap();
    let md = under_github(
        &sim,
        &summary,
        &["--format", "markdown", "--skip", "manual"],
    );
    assert_eq!(md.code, 1, "{}", md.stderr);
    assert!(
        md.stdout
            .starts_with("### kraken-doctor\n\n**exit 1**: at least one check failed")
    );
    for spec in kraken_doctor::checks::all() {
        if !spec.id.as_str().starts_with("manual.") {
            assert!(
                md.stdout.contains(&format!("| `{}` |", spec.id)),
                "{}",
                spec.id
            );
        }
    }
    assert!(
        md.stdout
            .contains("- `perm.can-view-detailed-usage` (fail): ")
    );
    let junit = under_github(&sim, &summary, &["--format", "junit", "--skip", "manual"]);
    assert!(junit.stdout.starts_with("<?xml"), "stdout keeps its format");
    let written = std::fs::read_to_string(&summary).unwrap();
    let tables = written.matches("| check | status | summary |").count();
    assert_eq!(
        tables, 2,
        "appended once per run, after the earlier step:\n{written}"
    );
    assert!(written.starts_with("## an earlier step\n### kraken-doctor"));
    for text in [&md.stdout, &md.stderr, &written, &junit.stderr] {
        assert!(!text.contains(&secret));
    }
    assert!(
        md.stderr
            .contains("::error title=kraken-doctor perm.can-view-detailed-usage::")
    );
}

#[test]
fn annotations_of_a_multi_target_run_name_the_target() {
    let (healthy, broken) = (sim("healthy"), sim("missing-detailed-usage"));
    let dir = tempfile::tempdir().unwrap();
    let cfg_path = profiles_config(dir.path(), &[("good", &healthy), ("bad", &broken)]);
    let summary = dir.path().join("summary.md");
    let r = run(
        &[
            "check",
            "--config",
            cfg_path.to_str().unwrap(),
            "--all-profiles",
            "--skip",
            "manual",
        ],
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap()),
        ],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("::error title=kraken-doctor bad perm.can-view-detailed-usage::"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("title=kraken-doctor good "));
    let written = std::fs::read_to_string(&summary).unwrap();
    assert!(written.contains("#### bad — exit 1") && written.contains("#### good — exit 0"));
}

/// The live line's erase sequence: back to the line's start, clear to its end.
const ERASE: &str = "\r\x1b[K";

/// The last live line drawn in `raw`, and whether it was erased before anything else printed.
fn last_live_line(raw: &str) -> (String, bool) {
    let start = raw.rfind(ERASE).expect("a live line was drawn and erased");
    let before = &raw[..start];
    let drawn = before.rsplit(ERASE).next().unwrap_or_default().to_string();
    (drawn, !raw[start + ERASE.len()..].starts_with(ERASE))
}

#[test]
fn a_rate_limit_back_off_counts_down_on_a_terminal_and_is_erased() {
    // Proves: while the API's Retry-After is waited out, stderr on a terminal says what is
    // awaited and how long is left, the line is erased before the report, and without a
    // terminal nothing new is printed.
    let mut scenario = kraken_sim::Scenario::builtin("healthy").unwrap();
    scenario.faults.push(kraken_sim::FaultSpec {
        endpoint: kraken_sim::FaultEndpoint::Graphql,
        kind: kraken_sim::FaultKind::RateLimit,
        latency_ms: None,
        status: None,
        retry_after: Some(2),
        first_n: Some(3),
    });
    let sim = Simulator::start(scenario).unwrap();
    let (code, raw) = check_raw(&sim, 80, &["--retries", "1", "--skip", "manual"]);
    assert_eq!(code, 0, "{raw}");
    assert!(raw.contains("waiting 2 s"), "{raw:?}");
    assert!(
        raw.contains("after KT-CT-1199 Too many requests, then trying "),
        "{raw:?}"
    );
    let last_wait = raw.split(ERASE).filter(|f| f.starts_with("waiting")).last();
    assert!(
        last_wait.is_some_and(|w| w.starts_with("waiting 1 s")),
        "{last_wait:?}"
    );
    // After the waits, the line says what is being checked again, until the report.
    let (line, erased) = last_live_line(&raw);
    assert!(line.starts_with("checking "), "{line:?}");
    assert!(erased, "{raw:?}");
    let report = raw.rsplit(ERASE).next().unwrap().replace('\r', "");
    assert!(report.trim_start().starts_with("kraken-doctor"), "{report}");

    let piped = check(&sim, &["--retries", "1", "--skip", "manual"]);
    assert_eq!(piped.code, 0);
    assert!(!piped.stderr.contains("waiting") && !piped.stderr.contains('\x1b'));
}

#[test]
fn wait_for_grant_counts_down_on_a_terminal() {
    let sim = sim("missing-detailed-usage");
    let (code, raw) = check_raw(&sim, 100, &["--wait-for-grant", "3s", "--skip", "manual"]);
    assert_eq!(code, 1, "the permission never shows: {raw}");
    assert!(
        raw.contains("waiting 2 s for the permission change to show (--wait-for-grant)"),
        "{raw:?}"
    );
    let (_, erased) = last_live_line(&raw);
    assert!(erased, "{raw:?}");
}

#[test]
fn the_demo_fits_a_few_screens_and_ends_with_a_table_of_verdicts() {
    // Proves: at 80 columns the demo's lines fit, it is a few screens long, and it ends with
    // one row per scenario giving its exit code and what failed.
    let r = run(&["demo", "--color", "never"], &[("COLUMNS", "80")], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_fits(&r.stdout, 80);
    let lines = r.stdout.lines().count();
    assert!(lines <= 200, "{lines} lines");
    let table = r
        .stdout
        .split("What each application got:\n")
        .nth(1)
        .expect("a closing table");
    assert!(table.starts_with("  scenario "), "{table}");
    for name in kraken_doctor::demo::SCENARIOS {
        let row = table
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no row for {name}: {table}"));
        let expected = if *name == "healthy" { " 0 " } else { " 1 " };
        assert!(row.contains(expected), "{row}");
    }
    assert!(table.contains("missing-detailed-usage  1     fail: perm.can-view-detailed-usage"));
}
