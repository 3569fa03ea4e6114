use super::rows::DETAIL_INDENT;
use super::*;
use crate::report::fixtures;
use crate::report::text::columns;

const PLAIN: Look = Look {
    color: false,
    width: 100,
    quiet: false,
    verbose: false,
    brief: false,
};

fn at(width: usize) -> Look {
    Look::plain(width)
}

#[test]
fn healthy_report_snapshot() {
    fixtures::snapshot!(
        "report__human_healthy",
        &render(&fixtures::healthy(), &PLAIN)
    );
}

#[test]
fn broken_report_snapshot() {
    fixtures::snapshot!("report__human_broken", &render(&fixtures::broken(), &PLAIN));
}

#[test]
fn broken_report_at_80_columns_snapshot() {
    fixtures::snapshot!(
        "report__human_broken_80",
        &render(&fixtures::broken(), &at(80))
    );
}

#[test]
fn multi_report_snapshot() {
    let reports = [fixtures::broken(), fixtures::healthy()];
    fixtures::snapshot!("report__human_multi", &render_multi(&reports, &PLAIN));
}

/// No line wider than `width`, the endpoints' URLs aside (never cut).
fn assert_fits(text: &str, width: usize) {
    for line in text.lines().filter(|l| !l.contains("://")) {
        assert!(columns(line) <= width, "{width}: too wide: {line:?}");
    }
}

#[test]
fn every_row_fits_the_width_and_keeps_its_duration() {
    // Proves: at 80 and 120 columns no line is wider than the terminal (the endpoints' URLs
    // aside, which are never cut), and each row ends with its duration.
    for width in [80, 120] {
        for report in [fixtures::healthy(), fixtures::broken()] {
            let text = render(&report, &at(width));
            assert_fits(&text, width);
            for check in report.checks.iter().filter(|c| c.status != Status::Skip) {
                let Some(row) = text
                    .lines()
                    .find(|l| l.contains(&format!(" {} ", check.id)))
                else {
                    continue;
                };
                assert!(
                    row.ends_with(&text::duration(check.duration_ms)),
                    "{width}: {row:?}"
                );
            }
        }
    }
    let multi = render_multi(&[fixtures::broken(), fixtures::healthy()], &at(80));
    assert_fits(&multi, 80);
    assert!(multi.contains("\n  — 2 targets, 1 not clean\n"), "{multi}");
    let wide = render(&fixtures::healthy(), &at(120));
    for check in &fixtures::healthy().checks {
        if check.status == Status::Pass {
            assert!(
                wide.contains(&check.title),
                "120 columns show the whole title"
            );
        }
    }
}

#[test]
fn a_healthy_run_fits_one_80_by_24_screen() {
    let text = render(&fixtures::healthy(), &at(80));
    assert!(text.lines().count() <= 22, "{text}");
    assert!(!text.contains("\n\n\n"), "no blank-line waste");
    let block: Vec<_> = text
        .lines()
        .filter(|l| l.contains("confirm by hand"))
        .collect();
    assert_eq!(block.len(), 1, "{text}");
    assert!(text.contains("-v shows them in full"));
    assert!(!text.contains("manual.oauth-manager"), "folded: {text}");
}

#[test]
fn verbose_or_a_manual_only_report_shows_each_item_in_full() {
    let full = render(&fixtures::healthy(), &PLAIN.verbose(true));
    assert!(full.contains("manual.oauth-manager") && full.contains("confirm:"));
    assert!(!full.contains("confirm by hand"));
    let mut only = fixtures::healthy();
    only.checks.retain(|c| c.status == Status::Manual);
    assert!(render(&only, &PLAIN).contains("manual.secret-handover"));
}

#[test]
fn quiet_prints_only_what_is_not_pass_and_the_summary() {
    let report = fixtures::broken();
    let text = render(&report, &PLAIN.quiet(true));
    assert!(!text.contains("kraken-doctor 0.0.0-fixture"), "no header");
    for check in &report.checks {
        let shown = text.contains(&format!(" {} ", check.id));
        let expected = !matches!(check.status, Status::Pass | Status::Manual);
        assert_eq!(shown, expected, "{}: {text}", check.id);
    }
    assert!(
        text.contains("confirm by hand"),
        "manual items are not pass"
    );
    assert!(text.contains("exit 1:"));
    let healthy = render(&fixtures::healthy(), &PLAIN.quiet(true));
    assert_eq!(healthy.lines().count(), 5, "{healthy}");
}

#[test]
fn brief_leaves_out_the_notes_only() {
    let report = fixtures::broken();
    let (full, brief) = (render(&report, &PLAIN), render(&report, &PLAIN.brief(true)));
    assert!(full.contains("note:") && !brief.contains("note:"));
    assert_eq!(
        full.lines()
            .filter(|l| !l.contains("note:") && !l.starts_with("                     "))
            .count(),
        brief
            .lines()
            .filter(|l| !l.starts_with("                     "))
            .count(),
    );
}

#[test]
fn a_skip_is_one_row_and_one_fault_is_said_once() {
    let report = fixtures::broken();
    let text = render(&report, &PLAIN);
    let skip = report
        .checks
        .iter()
        .find(|c| c.status == Status::Skip)
        .unwrap();
    let row = text.lines().position(|l| l.contains(&skip.id)).unwrap();
    let next = text.lines().nth(row + 1).unwrap();
    assert!(!next.trim_start().starts_with("fix:"), "{text}");
    assert!(!text.contains(skip.remediation.as_deref().unwrap()));
    assert_eq!(text.matches("Retry-After: 30").count(), 1, "{text}");
    assert_eq!(
        text.matches("Only a transient fault stood in the way")
            .count(),
        1
    );
    assert!(
        text.contains("as for perm.can-query-property above"),
        "{text}"
    );
}

#[test]
fn colour_is_the_argument_and_nothing_else() {
    let report = fixtures::broken();
    let plain = render(&report, &PLAIN);
    let coloured = render(&report, &PLAIN.colored(true));
    assert!(!plain.contains('\x1b'), "no colour, no ANSI escapes");
    assert!(coloured.contains("\x1b["), "colour, ANSI escapes");
    let multi = [fixtures::healthy(), fixtures::broken()];
    assert!(!render_multi(&multi, &PLAIN).contains('\x1b'));
    assert!(render_multi(&multi, &PLAIN.colored(true)).contains("\x1b["));
}

#[test]
fn stripping_the_colour_gives_the_plain_text() {
    for report in [fixtures::broken(), fixtures::healthy()] {
        let coloured = render(&report, &at(80).colored(true));
        let mut stripped = String::new();
        let mut rest = coloured.as_str();
        while let Some(start) = rest.find("\x1b[") {
            stripped.push_str(&rest[..start]);
            let end = rest[start..].find('m').expect("unterminated SGR") + start;
            rest = &rest[end + 1..];
        }
        stripped.push_str(rest);
        assert_eq!(stripped, render(&report, &at(80)));
    }
}

#[test]
fn server_text_cannot_inject_terminal_escapes() {
    let text = render(&fixtures::hostile(), &PLAIN);
    assert!(!text.contains('\x1b'));
    assert!(!text.contains('\u{7}'));
    assert!(!text.contains('\u{0}'));
    assert!(!text.contains('\r'));
}

#[test]
fn details_stay_within_the_width_unless_a_word_is_longer() {
    for line in render(&fixtures::broken(), &PLAIN).lines() {
        if line.starts_with(&" ".repeat(DETAIL_INDENT)) {
            assert!(columns(line) <= PLAIN.width, "too wide: {line:?}");
        }
    }
}

#[test]
fn exit_code_is_explained_in_words() {
    assert!(render(&fixtures::healthy(), &PLAIN).contains("exit 0: nothing failed or errored"));
    assert!(render(&fixtures::broken(), &PLAIN).contains("exit 1: at least one check failed"));
    let mut strict = fixtures::every_evidence_shape();
    strict.checks.retain(|c| c.status == Status::Warn);
    strict.summary = Summary::of(&strict.checks);
    strict.exit_code = crate::report::exit_code(&strict.summary, true);
    assert!(render(&strict, &PLAIN).contains("exit 1: no check failed, but warnings count"));
    let mut errored = fixtures::broken();
    errored.checks.retain(|c| c.status != Status::Fail);
    errored.summary = Summary::of(&errored.checks);
    errored.exit_code = crate::report::exit_code(&errored.summary, false);
    assert!(render(&errored, &PLAIN).contains("exit 3: nothing failed, but at least one"));
}
