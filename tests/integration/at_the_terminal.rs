//! `check` as a person sees it: in a pseudo-terminal 80 columns wide, its bytes played into a
//! terminal emulator (vt100), the final screen holds the report and nothing of the progress
//! line, and no row is wider than the terminal. And as a CI log sees it: with the report in a
//! file, one summary line on stderr with the counts and the ids that failed.

use serde_json::Value;

use crate::common::{check, check_args, on_pty, property_id, sim};

/// The final screen of `kraken-doctor ARGS` run in a pseudo-terminal `cols` wide: the exit
/// code and the emulator's screen (tall enough that nothing scrolls away).
fn final_screen(args: &[String], env: &[(&str, &str)], cols: u16) -> (i32, vt100::Parser) {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, bytes) = on_pty(&args, env, cols);
    let mut screen = vt100::Parser::new(
        std::num::NonZeroU16::new(200).unwrap(),
        std::num::NonZeroU16::new(cols).expect("some columns"),
        0,
    );
    screen.process(&bytes);
    (code, screen)
}

#[test]
fn the_progress_line_is_gone_and_nothing_is_wider_than_80_columns() {
    let sim = sim("healthy");
    let prop = property_id(&sim);
    // The client id (40 characters) and the URL make the progress line wider than 80.
    let (args, secret) = check_args(&sim, &["--property-id", &prop, "--color", "never"]);
    let (code, parser) = final_screen(&args, &[("KRAKEN_CLIENT_SECRET", &secret)], 80);
    let screen = parser.screen();
    let contents = screen.contents();
    assert_eq!(code, 0, "{contents}");
    assert!(
        contents.contains("exit 0:"),
        "the report is on screen:\n{contents}"
    );
    assert!(
        !contents.contains("checking "),
        "the progress line stayed:\n{contents}"
    );
    let (rows, _) = screen.size();
    for row in 0..rows.get() {
        assert!(
            !screen.row_wrapped(row),
            "row {row} ran past 80 columns:\n{contents}"
        );
    }
}

#[test]
fn with_the_report_in_a_file_stderr_says_the_counts_and_what_failed() {
    // older-error-shape fails two checks; the line names them, most serious first.
    let sim = sim("older-error-shape");
    let prop = property_id(&sim);
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let r = check(
        &sim,
        &[
            "--property-id",
            &prop,
            "--format",
            "json",
            "--output",
            json.to_str().unwrap(),
        ],
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let ids = |status: &str| -> Vec<String> {
        report["checks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == status)
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    let failed = ids("fail");
    assert!(!failed.is_empty(), "the scenario fails a check");
    let line = r
        .stderr
        .lines()
        .find(|l| l.starts_with("kraken-doctor: "))
        .unwrap_or_else(|| panic!("a summary line:\n{}", r.stderr));
    assert!(
        line.starts_with(&format!("kraken-doctor: {} fail, ", failed.len())),
        "{line}"
    );
    assert!(
        line.contains(&format!("{} pass", ids("pass").len())),
        "{line}"
    );
    assert!(
        line.ends_with(&format!("failed: {}", failed.join(", "))),
        "{line}"
    );
    assert!(
        r.stdout.is_empty(),
        "the report went to the file: {}",
        r.stdout
    );

    // The same line for JUnit, whatever the CI.
    let xml = dir.path().join("report.xml");
    let junit = check(
        &sim,
        &[
            "--property-id",
            &prop,
            "--format",
            "junit",
            "--output",
            xml.to_str().unwrap(),
        ],
    );
    assert!(junit.stderr.contains(line), "{}", junit.stderr);
}
