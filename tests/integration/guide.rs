//! `guide` through a pseudo-terminal (expectrl) against the in-process simulator: a healthy
//! walk-through ending with the handover file, a permission step fixed at run time and
//! retried, the refusal without a terminal, the unattended `--answers` run, and the secret
//! typed at the hidden prompt never showing anywhere.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use expectrl::process::unix::WaitStatus;
use expectrl::session::OsSession;
use expectrl::{Eof, Expect};
use kraken_doctor::sim::Simulator;

use crate::common::{property_id, run, sim};
use crate::snap;

/// How long one expect may wait: short, so a broken prompt fails fast instead of hanging.
const EXPECT_TIMEOUT: Duration = Duration::from_secs(8);

/// A `guide` session on a pseudo-terminal, keeping everything it printed.
struct Pty {
    session: OsSession,
    transcript: String,
}

impl Pty {
    /// Start `kraken-doctor guide ARGS` on a pty in `dir`, with a clean environment plus `env`.
    /// Echo is turned on, as on a real terminal, so anything not read with echo off shows.
    fn spawn(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Pty {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kraken-doctor"));
        cmd.arg("guide")
            .args(["--color", "never"])
            .args(args)
            .current_dir(dir)
            .env_remove("KRAKEN_CLIENT_ID")
            .env_remove("KRAKEN_CLIENT_SECRET")
            .env_remove("KRAKEN_AUTH_URL")
            .env_remove("KRAKEN_API_URL")
            .env_remove("KRAKEN_PRESET")
            .env_remove("GITHUB_ACTIONS")
            .env("XDG_CONFIG_HOME", "/nonexistent-kraken-doctor-test");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut session = OsSession::spawn(cmd).expect("guide starts on a pty");
        session
            .get_process_mut()
            .set_echo(true, None)
            .expect("echo on");
        session.set_expect_timeout(Some(EXPECT_TIMEOUT));
        Pty {
            session,
            transcript: String::new(),
        }
    }

    /// Wait for `needle`, keeping what came before it.
    fn expect(&mut self, needle: &str) {
        match self.session.expect(needle) {
            Ok(found) => {
                self.transcript
                    .push_str(&String::from_utf8_lossy(found.before()));
                self.transcript
                    .push_str(&String::from_utf8_lossy(found.as_bytes()));
            }
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
            Ok(found) => self
                .transcript
                .push_str(&String::from_utf8_lossy(found.as_bytes())),
            Err(e) => panic!("waiting for the end: {e}\n{}", self.transcript),
        }
        match self.session.get_process().wait() {
            Ok(WaitStatus::Exited(_, code)) => code,
            other => panic!("guide did not exit normally: {other:?}"),
        }
    }
}

/// The simulator's first application: (client id, secret).
fn credentials(sim: &Simulator) -> (String, String) {
    let app = sim
        .applications()
        .into_iter()
        .next()
        .expect("an application");
    (app.client_id, app.client_secret.expose().to_string())
}

/// Answer steps 0 to 5 on the terminal: the OAuth manager, the client id, the secret.
fn enter_credentials(pty: &mut Pty, client_id: &str, secret: &str) {
    pty.answer("Done as described? [y/n]", "y");
    pty.answer("Client id (shown on the application's page):", client_id);
    pty.answer("Client secret (hidden", secret);
    pty.expect("Step 5");
    pty.expect("✓ verified");
}

/// Answer the manual steps 6, 8 and 10–11 with yes.
fn confirm_manual_steps(pty: &mut Pty) {
    for step in ["Step 6", "Step 8", "Step 10–11"] {
        pty.expect(step);
        pty.answer("Done as described? [y/n]", "y");
    }
}

#[test]
fn healthy_walk_through_ends_with_the_handover_file() {
    // Proves: every prompt answered on a terminal walks all steps, verifies them, exits 0 and
    // writes the handover (snapshotted).
    let sim = sim("healthy");
    let (client_id, secret) = credentials(&sim);
    let dir = tempfile::tempdir().unwrap();
    let url = sim.url();
    let mut pty = Pty::spawn(dir.path(), &["--auth-url", &url, "--api-url", &url], &[]);
    enter_credentials(&mut pty, &client_id, &secret);
    confirm_manual_steps(&mut pty);
    pty.expect("Step 12");
    pty.expect("✓ verified");
    pty.answer("Property id or MPAN", &property_id(&sim));
    pty.expect("data.measurements");
    pty.expect("✓ verified");
    let code = pty.finish();
    assert_eq!(code, 0, "{}", pty.transcript);
    assert!(
        pty.transcript
            .contains("# Kraken OAuth application handover")
    );
    let handover = std::fs::read_to_string(dir.path().join("kraken-doctor-handover.md"))
        .expect("the handover is written in the current directory by default");
    assert!(!handover.contains(&secret));
    snap!("guide__handover_healthy", handover);
}

#[test]
fn a_missing_permission_is_granted_and_the_step_retried() {
    // Proves: the permission step fails without CAN_VIEW_DETAILED_USAGE, and after the grant
    // a retry passes without starting over.
    let sim = sim("missing-detailed-usage");
    let (client_id, secret) = credentials(&sim);
    let dir = tempfile::tempdir().unwrap();
    let url = sim.url();
    let handover = dir.path().join("h.md");
    let mut pty = Pty::spawn(
        dir.path(),
        &[
            "--auth-url",
            &url,
            "--api-url",
            &url,
            "--handover",
            handover.to_str().unwrap(),
        ],
        &[],
    );
    enter_credentials(&mut pty, &client_id, &secret);
    confirm_manual_steps(&mut pty);
    pty.expect("Step 12");
    pty.expect("✗ fail");
    pty.expect("perm.can-view-detailed-usage");
    pty.expect("[r]etry / [s]kip / [q]uit:");
    sim.set_permissions(
        &client_id,
        &["CAN_VIEW_DETAILED_USAGE", "CAN_QUERY_PROPERTY"],
    )
    .unwrap();
    pty.session.send_line("r").unwrap();
    pty.expect("verifying…");
    pty.expect("✓ verified");
    pty.answer("Property id or MPAN", "");
    let code = pty.finish();
    assert_eq!(code, 0, "{}", pty.transcript);
    let md = std::fs::read_to_string(&handover).unwrap();
    assert!(
        md.contains("| 12 | `perm.can-view-detailed-usage` | pass |"),
        "{md}"
    );
    assert!(md.contains("no measurement was read"), "{md}");
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

#[test]
fn answers_file_runs_straight_through() {
    // Proves: --answers runs every step unattended, prints the steps and the summary
    // (snapshotted), exits like `check`, and writes the handover.
    let sim = sim("healthy");
    let (client_id, secret) = credentials(&sim);
    let dir = tempfile::tempdir().unwrap();
    let answers = dir.path().join("answers.toml");
    std::fs::write(
        &answers,
        format!(
            "oauth_manager = true\nallowed_uris_blank = true\n\
             skip_authorization_unchecked = false\nproperty_id = \"{}\"\n",
            property_id(&sim)
        ),
    )
    .unwrap();
    let handover = dir.path().join("handover.md");
    let url = sim.url();
    let r = run(
        &[
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
        ],
        &[("KRAKEN_CLIENT_SECRET", &secret)],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.transcript());
    assert!(r.stderr.contains("handover written to"), "{}", r.stderr);
    let md = std::fs::read_to_string(&handover).unwrap();
    assert!(
        r.stdout.ends_with(&md),
        "stdout ends with the handover text"
    );
    assert!(md.contains("| 8 | \"Skip authorization\" left unchecked | **not confirmed** |"));
    snap!("guide__answers_healthy", r.stdout);

    // A broken application: same run, exit 1 as `check` would.
    let broken = crate::common::sim("missing-detailed-usage");
    let (client_id, secret) = credentials(&broken);
    let url = broken.url();
    let r = run(
        &[
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
        ],
        &[("KRAKEN_CLIENT_SECRET", &secret)],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.transcript());
    assert!(r.stdout.contains("Fix for `perm.can-view-detailed-usage`"));
}

#[test]
fn the_typed_secret_never_shows() {
    // Proves: the secret typed at the hidden prompt is not echoed and appears neither in the
    // pty transcript (stdout and stderr) nor in the handover; nor does any token.
    let sim = sim("healthy");
    let (client_id, secret) = credentials(&sim);
    let dir = tempfile::tempdir().unwrap();
    let url = sim.url();
    let mut pty = Pty::spawn(
        dir.path(),
        &["--auth-url", &url, "--api-url", &url, "-vv"],
        &[],
    );
    enter_credentials(&mut pty, &client_id, &secret);
    pty.answer("Done as described? [y/n]", "q");
    let code = pty.finish();
    assert_eq!(code, 0, "{}", pty.transcript);
    let handover = std::fs::read_to_string(dir.path().join("kraken-doctor-handover.md")).unwrap();
    assert!(handover.contains("stopped at step 6"), "{handover}");
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
