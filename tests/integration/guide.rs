//! `guide` through a pseudo-terminal (expectrl) against the in-process simulator, at 80 and
//! 120 columns: a healthy walk-through ending with a short summary and the handover file, a
//! permission step fixed at run time and retried, a wrong secret explained to the OAuth
//! manager, quitting (exit 4, no handover with placeholders), an existing handover kept, the
//! refusal without a terminal, the unattended `--answers` run, and the secret typed at the
//! hidden prompt never showing anywhere. Last, every printer of a check's title and steps
//! (list-checks, explain, the guide's handover, the support report) agrees with its file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::{Eof, Expect};
use kraken_sim::Simulator;

use crate::common::{Run, command, credentials, property_id, run, sim};
use crate::snap;

/// How long one expect may wait: short, so a broken prompt fails fast instead of hanging.
const EXPECT_TIMEOUT: Duration = Duration::from_secs(8);

/// Rows of the pty: a tall one for the transcript tests, 24 for the screens a person sees.
const TALL: u16 = 40;

/// A `guide` session on a pseudo-terminal, keeping everything it printed, and the screen it
/// shows (the output fed through a terminal emulator of the pty's size).
pub(crate) struct Pty {
    session: OsSession,
    transcript: String,
    terminal: vt100::Parser,
}

impl Pty {
    /// Start `kraken-doctor guide ARGS` on a pty `cols` wide in `dir`, with a clean environment
    /// plus `env`. Echo is turned on, as on a real terminal, so anything not read with echo off
    /// shows.
    fn spawn(dir: &Path, cols: u16, args: &[&str], env: &[(&str, &str)]) -> Pty {
        Pty::sized(dir, cols, TALL, args, env)
    }

    /// [`Pty::spawn`] on a pty `cols` by `rows`.
    fn sized(dir: &Path, cols: u16, rows: u16, args: &[&str], env: &[(&str, &str)]) -> Pty {
        let mut cmd = command();
        cmd.arg("guide")
            .args(["--color", "never"])
            .args(args)
            .current_dir(dir);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut session = OsSession::spawn(cmd).expect("guide starts on a pty");
        session
            .get_process_mut()
            .set_window_size(cols, rows)
            .expect("window size");
        session
            .get_process_mut()
            .set_echo(true, None)
            .expect("echo on");
        session.set_expect_timeout(Some(EXPECT_TIMEOUT));
        Pty {
            session,
            transcript: String::new(),
            terminal: vt100::Parser::new(
                std::num::NonZeroU16::new(rows).expect("rows"),
                std::num::NonZeroU16::new(cols).expect("cols"),
                0,
            ),
        }
    }

    /// Keep what was read, and show it on the emulated terminal.
    fn keep(&mut self, bytes: &[u8]) {
        self.terminal.process(bytes);
        self.transcript.push_str(&String::from_utf8_lossy(bytes));
    }

    /// The screen as a person sees it now: every row, trailing blanks trimmed.
    fn screen(&self) -> String {
        let (_, cols) = self.terminal.screen().size();
        self.terminal
            .screen()
            .rows(0, cols.into())
            .map(|row| format!("{}\n", row.trim_end()))
            .collect()
    }

    /// `guide` against the simulator `sim` (URLs given, credentials asked for), `cols` wide,
    /// with `extra` flags.
    fn against(sim: &Simulator, dir: &Path, cols: u16, extra: &[&str]) -> Pty {
        let url = sim.url();
        let mut args = vec!["--auth-url", &url, "--api-url", &url];
        args.extend_from_slice(extra);
        Pty::spawn(dir, cols, &args, &[])
    }

    /// Wait for `needle`, keeping what came before it.
    fn expect(&mut self, needle: &str) {
        match self.session.expect(needle) {
            // `as_bytes` is what came before the match and the match itself.
            Ok(found) => self.keep(found.as_bytes()),
            Err(e) => panic!(
                "waiting for {needle:?}: {e}\n--- transcript so far ---\n{}",
                self.transcript
            ),
        }
    }

    /// Wait for `prompt`, then type `answer` and Enter.
    fn answer(&mut self, prompt: &str, answer: &str) {
        self.expect(prompt);
        self.session.send_line(answer).expect("typed");
    }

    /// Read to the end and return the exit code.
    fn finish(&mut self) -> i32 {
        match self.session.expect(Eof) {
            Ok(found) => self.keep(found.as_bytes()),
            Err(e) => panic!("waiting for the end: {e}\n{}", self.transcript),
        }
        match self.session.get_process().wait() {
            Ok(WaitStatus::Exited(_, code)) => code,
            other => panic!("guide did not exit normally: {other:?}"),
        }
    }
}

/// The lines of a transcript (the pty ends lines with CR LF).
fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(|l| l.trim_end_matches('\r'))
}

/// The text with every run of white space as one space, to find a phrase wherever the
/// wrapping broke its lines.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every line fits `cols` columns: nothing is left for the terminal to break mid-word.
fn assert_fits(text: &str, cols: usize) {
    for line in lines(text) {
        assert!(
            line.chars().count() <= cols,
            "a line wider than {cols} columns: {line:?}\n{text}"
        );
    }
}

/// The question after a step that failed.
const RETRY: &str = "[r]etry, [s]kip or [q]uit: ";

/// The y/n question of a manual step.
const CONFIRM: &str = "Done as described? [y/n, q quits]";

/// Answer steps 0 to 4 on the terminal: the OAuth manager, the client id, the secret.
fn enter_credentials(pty: &mut Pty, client_id: &str, secret: &str) {
    pty.answer(CONFIRM, "y");
    pty.answer("Client id: ", client_id);
    pty.answer("Client secret: ", secret);
    pty.expect("Step 5");
}

/// Answer the manual steps 6, 8 and 10–11 with yes.
fn confirm_manual_steps(pty: &mut Pty) {
    for step in ["Step 6", "Step 8", "Step 10–11"] {
        pty.expect(step);
        pty.answer(CONFIRM, "y");
    }
}

#[test]
fn ctrl_c_gives_the_terminal_back_and_ends_the_guide_with_130() {
    // Proves, as a person meets it: Ctrl-C while the secret is typed (echo off, raw mode) ends
    // the guide with 130 and "interrupted", and the terminal has its echo back — killed in
    // raw mode, it used to leave the shell with no echo and no Ctrl-C; a SIGTERM there does
    // the same, and at a y/n question a Ctrl-C ends it the same way. Nothing is written.
    let sim = sim("healthy");
    let (client_id, _) = credentials(&sim);
    for (at, sigterm) in [
        ("Client secret: ", false),
        ("Client secret: ", true),
        (CONFIRM, false),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let mut pty = Pty::against(&sim, dir.path(), 80, &[]);
        if at != CONFIRM {
            pty.answer(CONFIRM, "y");
            pty.answer("Client id: ", &client_id);
        }
        pty.expect(at);
        // At the secret, once the prompt reads (echo off), as a person's key would come.
        while at != CONFIRM && pty.session.get_process().get_echo().unwrap_or(false) {
            std::thread::sleep(Duration::from_millis(10));
        }
        if sigterm {
            pty.session
                .get_process_mut()
                .signal(expectrl::process::unix::Signal::SIGTERM)
                .expect("SIGTERM sent");
        } else {
            pty.session.send("\x03").expect("Ctrl-C typed");
        }
        assert_eq!(pty.finish(), 130, "at {at:?}:\n{}", pty.transcript);
        assert!(
            pty.transcript.contains("kraken-doctor guide: interrupted"),
            "{}",
            pty.transcript
        );
        assert_eq!(
            pty.session.get_process().get_echo().ok(),
            Some(true),
            "at {at:?}, the terminal's echo is back"
        );
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "nothing written"
        );
    }
}

#[test]
fn healthy_walk_at_80_columns_ends_with_a_summary_and_the_handover() {
    // Proves: every prompt answered on an 80-column terminal walks all steps, verifies them,
    // exits 0, ends with a short summary (no Markdown on the terminal), wraps every line to 80
    // columns, and writes the handover (snapshotted) with the data target in its command.
    let sim = sim("healthy");
    let (client_id, secret) = credentials(&sim);
    let dir = tempfile::tempdir().unwrap();
    let pid = property_id(&sim);
    let mut pty = Pty::against(&sim, dir.path(), 80, &[]);
    enter_credentials(&mut pty, &client_id, &secret);
    pty.expect("✓ verified");
    confirm_manual_steps(&mut pty);
    pty.expect("Step 12");
    pty.expect("✓ verified");
    pty.answer("Property id or MPAN: ", &pid);
    pty.expect("One measurement read end to end");
    pty.expect("✓ verified");
    let code = pty.finish();
    assert_eq!(code, 0, "{}", pty.transcript);
    let t = &pty.transcript;
    assert_fits(t, 80);
    assert!(t.contains("(API_ENGINEER is not enough)"), "{t}");
    assert!(
        t.contains("── Summary ──\nVerified by kraken-doctor: 10 pass.")
            || t.contains("── Summary ──\r\nVerified by kraken-doctor: 10 pass."),
        "{t}"
    );
    assert!(t.contains("Confirmed by hand: 4 of 4."), "{t}");
    assert!(
        t.contains("Handover for your developers: kraken-doctor-handover.md"),
        "{t}"
    );
    assert!(
        !t.contains("# Kraken OAuth") && !t.contains("|---|"),
        "Markdown on the terminal:\n{t}"
    );
    let summary = t.split("── Summary ──").nth(1).unwrap();
    assert!(lines(summary).count() <= 8, "a short summary:\n{summary}");
    let handover = std::fs::read_to_string(dir.path().join("kraken-doctor-handover.md"))
        .expect("the handover is written in the current directory by default");
    assert!(!handover.contains(&secret));
    assert!(
        handover.contains(&format!("--property-id {pid}`")),
        "{handover}"
    );
    snap!("guide__handover_healthy", handover);
}

#[test]
fn a_missing_permission_is_granted_and_the_step_retried_at_120_columns() {
    // Proves: at 120 columns the text uses the width (and no line is wider); the permission
    // step fails without CAN_VIEW_DETAILED_USAGE, says why and what to do on the support site,
    // shows the evidence under -v, and after the grant a retry passes without starting over.
    let sim = sim("missing-detailed-usage");
    let (client_id, secret) = credentials(&sim);
    let dir = tempfile::tempdir().unwrap();
    let handover = dir.path().join("h.md");
    let mut pty = Pty::against(
        &sim,
        dir.path(),
        120,
        &["--handover", handover.to_str().unwrap(), "-v"],
    );
    enter_credentials(&mut pty, &client_id, &secret);
    pty.expect("✓ verified");
    confirm_manual_steps(&mut pty);
    pty.expect("Step 12");
    pty.expect("✗ fail");
    pty.expect("Token can read measurements");
    pty.expect("→ On the API Roles/Permissions page");
    pty.expect("evidence: ");
    pty.expect(RETRY);
    sim.set_permissions(
        &client_id,
        &["CAN_VIEW_DETAILED_USAGE", "CAN_QUERY_PROPERTY"],
    )
    .unwrap();
    pty.session.send_line("r").unwrap();
    pty.expect("verifying…");
    pty.expect("✓ verified");
    pty.answer("Property id or MPAN: ", "");
    let code = pty.finish();
    assert_eq!(code, 0, "{}", pty.transcript);
    // -v logs each request on stderr, which shares the pty: judge the guide's own text.
    let guide_text: String = lines(&pty.transcript)
        .filter(|l| !l.starts_with("kraken-doctor: ") && !l.contains(" HTTP "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_fits(&guide_text, 100);
    assert!(
        lines(&guide_text).any(|l| l.chars().count() > 80),
        "120 columns are used:\n{guide_text}"
    );
    let md = std::fs::read_to_string(&handover).unwrap();
    assert!(
        md.contains(
            "| `perm.can-view-detailed-usage` | Token can read measurements | 7, 12 | pass |"
        ),
        "{md}"
    );
    assert!(md.contains("no measurement was read"), "{md}");
}

#[test]
fn a_wrong_secret_is_explained_to_the_oauth_manager_in_their_words() {
    // Proves: on a wrong secret the guide does not send the OAuth manager to themselves; it
    // says where to get a new secret on the support site, without developer jargon unless -v;
    // quitting there exits 4 and the summary says what was not done.
    let sim = sim("healthy");
    let (client_id, _) = credentials(&sim);
    let dir = tempfile::tempdir().unwrap();
    let mut pty = Pty::against(&sim, dir.path(), 80, &[]);
    enter_credentials(&mut pty, &client_id, "not-the-secret-at-all");
    pty.expect("✗ fail");
    pty.answer(RETRY, "q");
    let code = pty.finish();
    assert_eq!(code, 4, "{}", pty.transcript);
    assert_fits(&pty.transcript, 80);
    let t = flat(&pty.transcript);
    assert!(
        t.contains("generate a new one on the application's page (step 4)"),
        "{t}"
    );
    assert!(!t.contains("from the OAuth manager"), "{t}");
    assert!(
        !t.contains("evidence:") && !t.contains("KrakenDoctor"),
        "{t}"
    );
    assert!(
        t.contains("Not done: steps 5, 6, 7, 8, 10–11, 12, 13 (the guide was stopped at step 5)."),
        "{t}"
    );
    assert!(t.contains("Exit 4: "), "{t}");
}

#[test]
fn quitting_at_step_0_exits_4_and_writes_no_handover() {
    // Proves: q at the first question ends with exit 4, a summary of what was not done, and
    // no handover (nothing with a placeholder client id is written or shown).
    let dir = tempfile::tempdir().unwrap();
    let mut pty = Pty::spawn(dir.path(), 80, &["--kraken", "edf-gb"], &[]);
    pty.answer(CONFIRM, "q");
    let code = pty.finish();
    let t = &pty.transcript;
    assert_eq!(code, 4, "{t}");
    assert!(
        t.contains("Not done: steps 0, 1–2, 3, 4, 5, 6, 7, 8, 10–11, 12, 13"),
        "{t}"
    );
    assert!(t.contains("No handover was written"), "{t}");
    assert!(!t.contains("pending"), "{t}");
    assert!(!dir.path().join("kraken-doctor-handover.md").exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn without_a_terminal_guide_refuses_with_exit_2() {
    // Proves: stdin not a TTY and no --answers: exit 2 with a message saying what to do.
    let r = run(&["guide", "--kraken", "edf-gb"], &[], None);
    assert_eq!(r.code, 2, "{}", r.transcript());
    assert!(r.stdout.is_empty());
    assert!(r.stderr.contains("not a terminal"), "{}", r.stderr);
    assert!(r.stderr.contains("--answers FILE"), "{}", r.stderr);

    // A secret in the answers file is refused with the reason, and not echoed.
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.toml");
    std::fs::write(
        &answers,
        "oauth_manager = true\nclient_secret = \"hunter2-xyz\"\n",
    )
    .unwrap();
    let r = run(
        &[
            "guide",
            "--kraken",
            "edf-gb",
            "--answers",
            answers.to_str().unwrap(),
        ],
        &[
            ("KRAKEN_CLIENT_ID", "id"),
            ("KRAKEN_CLIENT_SECRET", "s3cret"),
        ],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.transcript());
    assert!(
        r.stderr.contains("client_secret is refused"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("hunter2"));
}

/// Every manual step confirmed, and `extra` lines.
fn all_confirmed(extra: &str) -> String {
    format!(
        "oauth_manager = true\nallowed_uris_blank = true\nskip_authorization_unchecked = true\n\
         secret_handed_over = true\n{extra}"
    )
}

/// `guide --answers` in `dir` with every manual step confirmed and the simulator's first
/// property to read: the run, the answers file and the handover path.
fn unattended_healthy_walk(sim: &Simulator, dir: &Path) -> (Run, PathBuf, PathBuf) {
    let answers = dir.join("answers.toml");
    let pid = property_id(sim);
    std::fs::write(
        &answers,
        all_confirmed(&format!("property_id = \"{pid}\"\n")),
    )
    .unwrap();
    let handover = dir.join("handover.md");
    let r = run_answers(sim, &answers, &handover);
    (r, answers, handover)
}

#[test]
fn answers_file_runs_straight_through() {
    // Proves: --answers runs every step unattended, prints the steps and a short summary
    // (snapshotted; the Markdown goes to the file only), exits like `check` when every step is
    // done, and 4 when a manual step is not confirmed.
    let sim = sim("healthy");
    let dir = tempfile::tempdir().unwrap();
    let (r, answers, handover) = unattended_healthy_walk(&sim, dir.path());
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert!(!r.stdout.contains("|---|"), "{}", r.stdout);
    assert_fits(&r.stdout, 80);
    snap!("guide__answers_healthy", r.stdout);

    // A manual step not done: exit 4, and the summary and the handover say which.
    std::fs::write(
        &answers,
        "oauth_manager = true\nallowed_uris_blank = true\nskip_authorization_unchecked = false\n",
    )
    .unwrap();
    let r = run_answers_with(&sim, &answers, &handover, &["--force"]);
    assert_eq!(r.code, 4, "{}", r.transcript());
    assert!(
        flat(&r.stdout).contains(
            "Not confirmed: \"Skip authorization\" left unchecked (step 8); Secret handed over \
             securely (step 10–11)."
        ),
        "{}",
        r.stdout
    );
    let md = std::fs::read_to_string(&handover).unwrap();
    assert!(md.contains("**Unfinished.** Not confirmed:"), "{md}");
    assert!(
        md.contains("| `manual.skip-authorization` | \"Skip authorization\" left unchecked | 8 | **not confirmed** |"),
        "{md}"
    );

    // A broken application, every step done: exit 1 as `check` would.
    let broken = crate::common::sim("missing-detailed-usage");
    let dir = tempfile::tempdir().unwrap();
    let (r, _, handover) = unattended_healthy_walk(&broken, dir.path());
    assert_eq!(r.code, 1, "{}", r.transcript());
    assert!(
        r.stdout
            .contains("fail: Token can read measurements (steps 7, 12)"),
        "{}",
        r.stdout
    );
    let md = std::fs::read_to_string(&handover).unwrap();
    assert!(
        md.contains("Fix for `perm.can-view-detailed-usage`"),
        "{md}"
    );
}

#[test]
fn an_existing_handover_is_kept_and_the_data_target_is_carried() {
    // Proves: an earlier handover is never overwritten without --force (the new one goes beside
    // it, and the summary says so); --force replaces it; the handover's command carries the
    // supply point and market that were used.
    let sim = sim("healthy");
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, all_confirmed("")).unwrap();
    let handover = dir.path().join("handover.md");
    std::fs::write(&handover, "an earlier handover\n").unwrap();
    let mpan = sim.properties()[0].supply_points[0].id.clone();
    let target = ["--supply-point", &mpan, "--market-name", "GBR_ELECTRICITY"];
    let r = run_answers_with(&sim, &answers, &handover, &target);
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert_eq!(
        std::fs::read_to_string(&handover).unwrap(),
        "an earlier handover\n"
    );
    let beside = dir.path().join("handover-2.md");
    let said = flat(&r.stdout);
    assert!(
        said.contains("handover-2.md") && said.contains("was kept; --force replaces it"),
        "{said}"
    );
    let md = std::fs::read_to_string(&beside).unwrap();
    assert!(
        md.contains(&format!(
            "--supply-point {mpan} --market-name GBR_ELECTRICITY`"
        )),
        "{md}"
    );
    assert!(md.contains(&format!("- Data target: MPAN {mpan} (GBR_ELECTRICITY)")));

    let mut forced = target.to_vec();
    forced.push("--force");
    let r = run_answers_with(&sim, &answers, &handover, &forced);
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert!(
        flat(&r.stdout).contains("replaced the earlier one"),
        "{}",
        r.stdout
    );
    assert!(
        std::fs::read_to_string(&handover)
            .unwrap()
            .contains("# Kraken OAuth application handover")
    );
    assert!(!dir.path().join("handover-3.md").exists());
}

/// `guide --answers` against the simulator's first application, secret in the environment.
fn run_answers(sim: &Simulator, answers: &Path, handover: &Path) -> Run {
    run_answers_with(sim, answers, handover, &[])
}

/// [`run_answers`] with more flags.
fn run_answers_with(sim: &Simulator, answers: &Path, handover: &Path, extra: &[&str]) -> Run {
    let (client_id, secret) = credentials(sim);
    let url = sim.url();
    let mut args = vec![
        "guide",
        "--auth-url",
        &url,
        "--api-url",
        &url,
        "--client-id",
        &client_id,
        "--answers",
        answers.to_str().unwrap(),
        "--handover",
        handover.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    run(&args, &[("KRAKEN_CLIENT_SECRET", &secret)], None)
}

#[test]
fn the_typed_secret_never_shows() {
    // Proves: the secret typed at the hidden prompt is not echoed and appears neither in the
    // pty transcript (stdout and stderr) nor in the handover; nor does any token. Quitting
    // after the credentials were verified exits 4 with a handover that says it is unfinished,
    // written beside the handover of an earlier run, which is kept.
    let sim = sim("healthy");
    let (client_id, secret) = credentials(&sim);
    let dir = tempfile::tempdir().unwrap();
    let earlier = dir.path().join("kraken-doctor-handover.md");
    std::fs::write(&earlier, "an earlier handover\n").unwrap();
    let mut pty = Pty::against(&sim, dir.path(), 80, &["-vv"]);
    enter_credentials(&mut pty, &client_id, &secret);
    pty.expect("✓ verified");
    pty.answer(CONFIRM, "q");
    let code = pty.finish();
    assert_eq!(code, 4, "{}", pty.transcript);
    assert_eq!(
        std::fs::read_to_string(&earlier).unwrap(),
        "an earlier handover\n"
    );
    assert!(
        flat(&pty.transcript).contains(
            "Handover for your developers: kraken-doctor-handover-2.md (kraken-doctor-handover.md \
             is from an earlier run and was kept; --force replaces it)"
        ),
        "{}",
        pty.transcript
    );
    let handover = std::fs::read_to_string(dir.path().join("kraken-doctor-handover-2.md")).unwrap();
    assert!(
        handover.contains("**Unfinished.** Not done: steps 6, 7, 8, 10–11, 12, 13 (the guide was stopped at step 6)."),
        "{handover}"
    );
    assert!(
        pty.transcript.matches(&client_id).count() >= 2,
        "echo is on: the typed client id shows\n{}",
        pty.transcript
    );
    let tokens = sim.issued_tokens();
    assert!(!tokens.is_empty(), "tokens were issued");
    for (what, text) in [("transcript", &pty.transcript), ("handover", &handover)] {
        assert!(!text.contains(&secret), "the secret is in the {what}");
        for t in &tokens {
            assert!(!text.contains(t.as_str()), "a token is in the {what}");
        }
    }
}

#[test]
fn wait_for_grant_re_probes_the_permission_step_until_it_shows() {
    // Proves: with --wait-for-grant, the permission step re-probes with backoff until a
    // permission granted meanwhile shows, and says how long it took.
    let sim = sim("missing-detailed-usage");
    let (client_id, _) = credentials(&sim);
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, all_confirmed("")).unwrap();
    let handover = dir.path().join("handover.md");
    let r = std::thread::scope(|s| {
        s.spawn(|| {
            // Grant once the guide has been refused for the missing permission (so it is
            // waiting), not after a fixed time a loaded machine may overrun. Bounded: if no
            // refusal ever comes, grant anyway and let the assertions below say what happened.
            let start = std::time::Instant::now();
            while sim.stats().role_denials == 0 && start.elapsed() < Duration::from_secs(15) {
                std::thread::sleep(Duration::from_millis(20));
            }
            sim.set_permissions(
                &client_id,
                &["CAN_VIEW_DETAILED_USAGE", "CAN_QUERY_PROPERTY"],
            )
            .unwrap();
        });
        run_answers_with(&sim, &answers, &handover, &["--wait-for-grant", "20s"])
    });
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert!(
        r.stdout
            .contains("the permission change took effect after about"),
        "{}",
        r.stdout
    );
    let md = std::fs::read_to_string(&handover).unwrap();
    assert!(md.contains("Step 12: --wait-for-grant: the permission change took effect"));
}

#[test]
fn every_printer_shows_the_same_title_and_steps_for_every_check() {
    // Proves: list-checks, `explain <id>`, the guide's handover and the support report print,
    // for every check, the title and the documented steps of its file (checks/<id>.toml, with
    // the step numbers as checks/steps.toml writes them).
    use kraken_doctor::checks;
    let list = run(&["list-checks"], &[], None).stdout;

    let sim = sim("healthy");
    let dir = tempfile::tempdir().unwrap();
    let pid = property_id(&sim);
    let (r, _, handover) = unattended_healthy_walk(&sim, dir.path());
    assert_eq!(r.code, 0, "{}", r.transcript());
    let handover = std::fs::read_to_string(&handover).unwrap();
    let support = dir.path().join("support.md");
    let r = crate::common::check(
        &sim,
        &[
            "--property-id",
            &pid,
            "--support-report",
            support.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.transcript());
    let support = std::fs::read_to_string(&support).unwrap();

    for spec in checks::all() {
        let (id, title, steps) = (&spec.id, &spec.title, spec.steps_text());
        let listed = lines(&list)
            .find(|l| l.split_whitespace().next() == Some(id.as_str()))
            .unwrap_or_else(|| panic!("{id} not in list-checks:\n{list}"));
        assert!(
            listed.ends_with(&format!(" {title}")) && listed.contains(&format!(" step {steps} ")),
            "list-checks: {listed:?} vs {title:?} step {steps}"
        );

        let explained = run(&["explain", id.as_str()], &[], None).stdout;
        assert!(
            explained.starts_with(&format!("{id}: {title}\n")),
            "{explained}"
        );
        let explained_steps: Vec<&str> = explained
            .split("Setup steps\n")
            .nth(1)
            .map(|section| {
                lines(section)
                    .take_while(|l| l.starts_with("  "))
                    // A step's first line has its number at column 2; continuations are
                    // indented further.
                    .filter(|l| l.chars().nth(2).is_some_and(|c| !c.is_whitespace()))
                    .filter_map(|l| l.split_whitespace().next())
                    .collect()
            })
            .unwrap_or_default();
        let explained_steps = if explained_steps.is_empty() {
            "–".to_string()
        } else {
            explained_steps.join(", ")
        };
        assert_eq!(explained_steps, steps, "explain {id}");

        let row = format!("| `{id}` | {title} | {steps} |");
        assert!(
            handover.contains(&row),
            "the handover lacks {row}\n{handover}"
        );
        // As a sentence cites them: `step 12`, `steps 7, 12`, nothing for no step.
        let cited = match steps.as_str() {
            "–" => String::new(),
            s if s.contains(", ") => format!(" (steps {s})"),
            s => format!(" (step {s})"),
        };
        let row = format!("| `{id}` | {title}{cited} |");
        assert!(
            support.contains(&row),
            "the support report lacks {row}\n{support}"
        );
    }
}

/// The guide at 80×24, as a person sees it: at each prompt, the screen the terminal shows
/// (the pty's output through a terminal emulator), checked for its key lines and kept for a
/// snapshot.
struct Screens {
    pty: Pty,
    shots: Vec<String>,
}

impl Screens {
    const COLS: u16 = 80;
    const ROWS: u16 = 24;

    fn against(sim: &Simulator, dir: &Path, extra: &[&str]) -> Screens {
        let url = sim.url();
        let mut args = vec!["--auth-url", &url, "--api-url", &url];
        args.extend_from_slice(extra);
        Screens {
            pty: Pty::sized(dir, Screens::COLS, Screens::ROWS, &args, &[]),
            shots: Vec::new(),
        }
    }

    /// Wait for `prompt`; the screen must show every one of `keys` (found wherever the wrap
    /// broke them), else a key line has scrolled off.
    fn at(&mut self, prompt: &str, keys: &[&str]) -> String {
        self.pty.expect(prompt);
        self.shot(&format!("at {prompt:?}"), keys)
    }

    fn shot(&mut self, label: &str, keys: &[&str]) -> String {
        let screen = self.pty.screen();
        assert_eq!(screen.lines().count(), usize::from(Screens::ROWS));
        let seen = flat(&screen);
        for key in keys {
            assert!(
                seen.contains(&flat(key)),
                "{label}: {key:?} is not on the 80×24 screen (scrolled off?):\n{screen}"
            );
        }
        // What the OAuth manager reads names no check id and no flag.
        for id in kraken_doctor::checks::ids() {
            assert!(
                !seen.contains(id),
                "{label}: check id {id} on screen:\n{screen}"
            );
        }
        assert!(
            !seen.contains(" --"),
            "{label}: a flag on screen:\n{screen}"
        );
        self.shots
            .push(format!("──────── {label} ────────\n{screen}"));
        screen
    }

    fn answer(&mut self, prompt: &str, keys: &[&str], answer: &str) -> String {
        let screen = self.at(prompt, keys);
        self.pty.session.send_line(answer).expect("typed");
        screen
    }

    /// Read to the end, keep the last screen, and return the exit code.
    fn finish(&mut self, keys: &[&str]) -> i32 {
        let code = self.pty.finish();
        self.shot("at the end", keys);
        assert_fits(&self.pty.transcript, usize::from(Screens::COLS));
        code
    }

    fn snapshot(&self) -> String {
        self.shots.join("")
    }
}

#[test]
fn screens_of_a_healthy_walk_fit_80_by_24() {
    // Proves: at every prompt of a healthy walk on an 80×24 terminal, the step being asked
    // about is on screen with its heading; step 9 is said, not skipped in silence; step 13
    // shows this application's own token URL, not a placeholder; the end says the exit code
    // without a flag the guide does not have.
    let sim = sim("healthy");
    let (client_id, secret) = credentials(&sim);
    let dir = tempfile::tempdir().unwrap();
    let pid = property_id(&sim);
    let mut s = Screens::against(&sim, dir.path(), &[]);
    s.answer(
        CONFIRM,
        &[
            "Step 0 · OAuth manager permission",
            "API_ENGINEER is not enough",
        ],
        "y",
    );
    s.answer(
        "Client id: ",
        &["Step 1–2 · Create the application"],
        &client_id,
    );
    s.answer("Client secret: ", &["Step 4 · Save the secret"], &secret);
    s.answer(
        CONFIRM,
        &["Step 5 · Grant type", "✓ verified", "Step 6 · Allowed URIs"],
        "y",
    );
    s.answer(CONFIRM, &["Step 8 · Skip authorization"], "y");
    s.answer(
        CONFIRM,
        &[
            "── Step 9 ──",
            "has no step 9",
            "Step 10–11 · Hand over",
            &client_id,
        ],
        "y",
    );
    let url = sim.url();
    let screen = s.answer(
        "Property id or MPAN: ",
        &[
            "Step 12 · Role permissions",
            "✓ verified",
            "Step 13 · First token",
            &format!("{url}/token/"),
        ],
        &pid,
    );
    assert!(!screen.contains("<kraken>"), "{screen}");
    let code = s.finish(&[
        "One measurement read end to end",
        "── Summary ──",
        "Verified by kraken-doctor: 10 pass.",
        "Exit 0: nothing failed or errored (warnings allowed).",
    ]);
    assert_eq!(code, 0, "{}", s.pty.transcript);
    assert!(
        !s.pty.transcript.contains("--strict"),
        "{}",
        s.pty.transcript
    );
    snap!("guide__screens_healthy", s.snapshot());
}

#[test]
fn screens_of_a_rotated_secret_give_the_three_causes_mis_pasted_first() {
    // Proves: the old (rotated) secret at step 4 shows, on one 80×24 screen with the retry
    // question, the failed check and exactly the causes of invalid_client in the OAuth
    // manager's words — mis-pasted first, another application's client id, a newer secret
    // last with its warning — and no check id or flag.
    let sim = sim("rotated-secret");
    let (client_id, old_secret) = credentials(&sim);
    let dir = tempfile::tempdir().unwrap();
    let mut s = Screens::against(&sim, dir.path(), &[]);
    s.answer(CONFIRM, &[], "y");
    s.answer("Client id: ", &[], &client_id);
    s.answer("Client secret: ", &[], &old_secret);
    let screen = s.answer(
        RETRY,
        &[
            "✗ fail    Client-credentials grant issues a token",
            "1. The secret was pasted with something missing or extra",
            "2. The client id is not that of an application on this Kraken",
            "3. A newer secret was generated",
            "every system still using the old secret stops working",
        ],
        "q",
    );
    assert!(screen.contains("Step 5 · Grant type"), "{screen}");
    let code = s.finish(&["Not done: steps 5, 6, 7, 8, 10–11, 12, 13", "Exit 4: "]);
    assert_eq!(code, 4);
    snap!("guide__screens_rotated_secret", s.snapshot());
}

#[test]
fn screens_of_a_missing_permission_with_a_property_say_only_what_this_run_found() {
    // Proves: without CAN_VIEW_DETAILED_USAGE, with a property given, steps 12 and 13 each
    // fit one 80×24 screen and say the one cause the checks found — the role lacks the
    // permission, and what to do on the API Roles/Permissions page — never that no property
    // was given, nor that the application has no API role (the property search passed).
    let sim = sim("missing-detailed-usage");
    let (client_id, secret) = credentials(&sim);
    let pid = property_id(&sim);
    let dir = tempfile::tempdir().unwrap();
    let mut s = Screens::against(&sim, dir.path(), &["--property-id", &pid]);
    s.answer(CONFIRM, &[], "y");
    s.answer("Client id: ", &[], &client_id);
    s.answer("Client secret: ", &[], &secret);
    for _ in ["Step 6", "Step 8", "Step 10–11"] {
        s.answer(CONFIRM, &[], "y");
    }
    let lacks = [
        "✗ fail    Token can read measurements",
        "The application's API role lacks CAN_VIEW_DETAILED_USAGE",
        "→ On the API Roles/Permissions page, give THIRD_PARTY_UTILITY_USAGE_DATA_VIEWER the permission CAN_VIEW_DETAILED_USAGE (step 12)",
    ];
    let step12 = s.answer(
        RETRY,
        &[
            &[
                "Step 12 · Role permissions",
                "✓ pass    Token can query properties",
            ][..],
            &lacks,
        ]
        .concat(),
        "s",
    );
    let step13 = s.answer(
        RETRY,
        &[
            &["Step 13 · First token", "One measurement read end to end"][..],
            &lacks,
        ]
        .concat(),
        "q",
    );
    for screen in [&step12, &step13] {
        let seen = flat(screen);
        assert!(
            !seen.contains("No property id or MPAN was given"),
            "{screen}"
        );
        assert!(!seen.contains("no usable API role"), "{screen}");
    }
    assert_eq!(s.finish(&["Exit"]), 4);
    snap!("guide__screens_missing_detailed_usage", s.snapshot());
}

#[test]
fn screens_of_a_mis_pasted_secret_let_it_be_pasted_again() {
    // Proves: a secret pasted with its last character cut off fails at step 5 with
    // "mis-pasted" as the first cause on the screen; retry asks for the client id (Enter
    // keeps it) and the secret again, and the whole secret passes without starting over.
    let sim = sim("healthy");
    let (client_id, secret) = credentials(&sim);
    let cut = &secret[..secret.len() - 1];
    let dir = tempfile::tempdir().unwrap();
    let mut s = Screens::against(&sim, dir.path(), &[]);
    s.answer(CONFIRM, &[], "y");
    s.answer("Client id: ", &[], &client_id);
    s.answer("Client secret: ", &[], cut);
    s.answer(
        RETRY,
        &[
            "✗ fail    Client-credentials grant issues a token",
            "1. The secret was pasted with something missing or extra",
            "Copy the secret again, whole",
        ],
        "r",
    );
    s.answer(
        &format!("Client id [{client_id}]: "),
        &["press Enter to keep it"],
        "",
    );
    s.answer("Client secret: ", &["Type the secret again"], &secret);
    s.at(CONFIRM, &["✓ verified", "Step 6 · Allowed URIs"]);
    s.pty.session.send_line("q").unwrap();
    assert_eq!(s.finish(&["Exit 4: "]), 4);
    for shot in &s.shots {
        assert!(!shot.contains(&secret[..12]), "the secret shows:\n{shot}");
    }
    snap!("guide__screens_mispasted_secret", s.snapshot());
}
