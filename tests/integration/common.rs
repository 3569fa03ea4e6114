//! Shared helpers: run the binary, start the simulator, snapshot with one filter list.

use std::io::Write;
use std::process::{Command, Stdio};

use kraken_sim::{Scenario, Simulator};

/// What a run of the binary produced.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr, as one text for snapshots.
    pub fn transcript(&self) -> String {
        format!(
            "exit code: {}\n----- stdout -----\n{}\n----- stderr -----\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// The binary, with the KRAKEN_* and CI variables of the host removed and no config file.
pub fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kraken-doctor"));
    cmd.env_remove("KRAKEN_CLIENT_ID")
        .env_remove("KRAKEN_CLIENT_SECRET")
        .env_remove("KRAKEN_AUTH_URL")
        .env_remove("KRAKEN_API_URL")
        .env_remove("KRAKEN_PRESET")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        // A proxy of the machine running the tests is not the one a test means.
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env_remove("REQUEST_METHOD")
        .env("XDG_CONFIG_HOME", "/nonexistent-kraken-doctor-test");
    cmd
}

/// `kraken-doctor ARGS` on a pseudo-terminal `cols` columns wide: its exit code and every
/// byte the terminal got.
pub fn on_pty(args: &[&str], env: &[(&str, &str)], cols: u16) -> (i32, Vec<u8>) {
    use expectrl::process::unix::WaitStatus;
    use expectrl::{Eof, Expect};
    let mut cmd = command();
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut session = expectrl::session::OsSession::spawn(cmd).expect("the binary starts on a pty");
    session
        .get_process_mut()
        .set_window_size(cols, 24)
        .expect("the window size is set");
    session.set_expect_timeout(Some(std::time::Duration::from_secs(60)));
    let bytes = match session.expect(Eof) {
        Ok(found) => found.as_bytes().to_vec(),
        Err(e) => panic!("waiting for the end: {e}"),
    };
    match session.get_process().wait() {
        Ok(WaitStatus::Exited(_, code)) => (code, bytes),
        other => panic!(
            "did not exit normally: {other:?}\n{}",
            String::from_utf8_lossy(&bytes)
        ),
    }
}

/// Run `kraken-doctor` with these arguments and environment (the process environment is
/// cleared of KRAKEN_* and CI variables so the host cannot leak in).
pub fn run(args: &[&str], env: &[(&str, &str)], stdin: Option<&str>) -> Run {
    let mut cmd = command();
    cmd.args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("the binary starts");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(text.as_bytes()).expect("stdin is written");
    }
    let out = child.wait_with_output().expect("the binary ends");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Start a built-in scenario.
pub fn sim(name: &str) -> Simulator {
    let scenario = Scenario::builtin(name).unwrap_or_else(|| panic!("no built-in scenario {name}"));
    Simulator::start(scenario).expect("the simulator starts")
}

/// `check` against the simulator's first application, secret in the environment.
pub fn check(sim: &Simulator, extra: &[&str]) -> Run {
    let (args, secret) = check_args(sim, extra);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args, &[("KRAKEN_CLIENT_SECRET", &secret)], None)
}

/// The simulator's first application: (client id, secret).
pub fn credentials(sim: &Simulator) -> (String, String) {
    let app = sim
        .applications()
        .into_iter()
        .next()
        .expect("an application");
    (app.client_id, app.client_secret.expose().to_string())
}

/// A config file in `dir` with one profile per `(name, simulator)`: its URLs, its first
/// application's client id, and its secret in a file beside (`NAME.secret`).
pub fn profiles_config(
    dir: &std::path::Path,
    profiles: &[(&str, &Simulator)],
) -> std::path::PathBuf {
    let mut cfg = String::new();
    for (name, s) in profiles {
        let (id, secret) = credentials(s);
        let secret_path = dir.join(format!("{name}.secret"));
        std::fs::write(&secret_path, secret).expect("the secret file is written");
        cfg.push_str(&format!(
            "[profiles.{name}]\nauth_url = \"{url}\"\napi_url = \"{url}\"\nclient_id = \"{id}\"\n\
             client_secret_file = \"{}\"\n\n",
            secret_path.display(),
            url = s.url(),
        ));
    }
    let path = dir.join("config.toml");
    std::fs::write(&path, cfg).expect("the config file is written");
    path
}

/// `check` arguments against `sim`'s first application, then `extra`; and the secret, for
/// `KRAKEN_CLIENT_SECRET`.
pub fn check_args(sim: &Simulator, extra: &[&str]) -> (Vec<String>, String) {
    let (id, secret) = credentials(sim);
    let (auth, api) = (sim.auth_url(), sim.api_url());
    let mut args: Vec<String> = [
        "check",
        "--auth-url",
        &auth,
        "--api-url",
        &api,
        "--client-id",
        &id,
    ]
    .map(str::to_string)
    .to_vec();
    args.extend(extra.iter().map(|s| s.to_string()));
    (args, secret)
}

/// The first property of the simulator (a data target).
pub fn property_id(sim: &Simulator) -> String {
    sim.properties().into_iter().next().expect("a property").id
}

/// Insta filters for everything that varies between runs: ports, times, dates, versions.
pub fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        (r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]"),
        (r"[ ]*\b\d+ ms\b", " [TIME]"),
        (r"checks in \d+(\.\d+)? s\b", "checks in [TIME]"),
        (r#""duration_ms": \d+"#, r#""duration_ms": "[TIME]""#),
        (r#"time="[0-9.]+""#, r#"time="[TIME]""#),
        (r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "[DATE]"),
        (r"\b1[0-9]{9}\b", "[UNIX]"),
        (r"(/[^\s/]+)*/\.tmp[A-Za-z0-9]+", "[TMPDIR]"),
        (r"within \d+ s", "within [N] s"),
        (r"clock skew \d+ s", "clock skew [N] s"),
        (
            r"clock skew to the server: -?\d+ s",
            "clock skew to the server: [N] s",
        ),
        (
            r"kraken-doctor/?\s?\d+\.\d+\.\d+",
            "kraken-doctor [VERSION]",
        ),
        (
            r#""tool_version": "[^"]+""#,
            r#""tool_version": "[VERSION]""#,
        ),
    ]
}

/// Snapshot text under `snapshots/` with the shared filters.
#[macro_export]
macro_rules! snap {
    ($name:expr, $text:expr) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path("../../snapshots");
        settings.set_prepend_module_to_snapshot(false);
        for (re, with) in $crate::common::filters() {
            settings.add_filter(re, with);
        }
        settings.bind(|| insta::assert_snapshot!($name, $text));
    }};
}
