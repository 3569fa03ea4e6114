//! The GitHub Action's script (`action/run.sh`, what `action.yml` runs) against the simulator
//! in a fake GitHub environment: `GITHUB_ACTIONS=true`, `GITHUB_STEP_SUMMARY`,
//! `GITHUB_OUTPUT` and `RUNNER_TEMP` pointing at temporary files. Each test checks the exit
//! code, the step outputs, the JUnit file and the job summary, and that the secret reached
//! kraken-doctor through its environment only. The install path is tested against release
//! archives made by `.ci/package` and served from 127.0.0.1: download, checksum, refusal of a
//! tampered archive, and the build from source when there is no archive (HTTP 404).

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use kraken_sim::Simulator;

use crate::common::{property_id, sim};
use crate::package::{package, tools_or_skip};

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The release target of the fake runner (`RUNNER_OS=Linux`, `RUNNER_ARCH=X64`).
const TARGET: &str = "x86_64-unknown-linux-musl";

/// The fake runner: a temporary directory with the files GitHub would provide.
struct Runner {
    dir: tempfile::TempDir,
}

/// What one run of the script left behind.
struct Step {
    code: i32,
    log: String,
    outputs: String,
    summary: String,
    /// The arguments kraken-doctor was started with, one per line.
    argv: String,
}

impl Runner {
    fn new() -> Runner {
        Runner {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A stand-in `cargo` in `dir` that records its arguments in `cargo-calls`; when
    /// `installs`, it puts the real binary where `cargo install --root` would, else it fails.
    fn cargo(&self, dir: &Path, installs: bool) {
        let work = if installs {
            format!(
                "root=$(printf '%s\\n' \"$@\" | sed -n '/^--root$/{{n;p}}')\n\
                 mkdir -p \"$root/bin\" && ln -s '{}' \"$root/bin/kraken-doctor\"\n",
                env!("CARGO_BIN_EXE_kraken-doctor")
            )
        } else {
            "echo 'cargo: not here' >&2\nexit 3\n".to_string()
        };
        write_executable(
            &dir.join("cargo"),
            &format!(
                "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n{work}",
                self.path("cargo-calls").display()
            ),
        );
    }

    /// A `stubs` folder holding a stand-in `cargo` (see [`Runner::cargo`]).
    fn stubs(&self, cargo_installs: bool) -> PathBuf {
        let stubs = self.path("stubs");
        std::fs::create_dir(&stubs).unwrap();
        self.cargo(&stubs, cargo_installs);
        stubs
    }

    /// A `PATH` of `stubs` then the system's programs; for `wget`, all of them but curl.
    fn search_path_for(&self, downloader: &str, stubs: &Path) -> String {
        match downloader {
            "curl" => search_path(Some(stubs)),
            _ => format!(
                "{}:{}",
                stubs.display(),
                system_without_curl(self).display()
            ),
        }
    }

    /// The arguments the stand-in `cargo` was called with; `None` when it was not called.
    fn cargo_calls(&self) -> Option<String> {
        std::fs::read_to_string(self.path("cargo-calls")).ok()
    }

    fn assert_built_from_source(&self, step: &Step) {
        let calls = self.cargo_calls().expect("cargo was called");
        let calls: Vec<&str> = calls.lines().collect();
        let source = env!("CARGO_MANIFEST_DIR");
        assert_eq!(
            calls[..4],
            ["install", "--locked", "--quiet", "--path"],
            "{calls:?}"
        );
        assert_eq!(calls[4], source);
        assert!(
            step.log.contains(&format!(
                "building kraken-doctor {VERSION} from source: cargo install from {source}"
            )),
            "{}",
            step.log
        );
    }

    /// Where the action installs the binary for the rest of the job.
    fn installed(&self) -> PathBuf {
        self.path(&format!("kraken-doctor-{VERSION}/bin/kraken-doctor"))
    }

    /// A `kraken-doctor` that records its arguments, then runs the real one.
    fn recording_binary(&self) -> PathBuf {
        let path = self.path("kraken-doctor-recording");
        let script = format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\nexec '{}' \"$@\"\n",
            self.path("argv").display(),
            env!("CARGO_BIN_EXE_kraken-doctor")
        );
        write_executable(&path, &script);
        path
    }

    /// Runs `action/run.sh` with the fake GitHub variables, `env` and a `PATH` of `path`
    /// followed by the system's directories.
    fn run(&self, env: &[(&str, &str)], path: Option<&Path>) -> Step {
        self.run_with_path(env, &search_path(path))
    }

    fn run_with_path(&self, env: &[(&str, &str)], search_path: &str) -> Step {
        let mut cmd = Command::new("bash");
        cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("action/run.sh"))
            .env_clear()
            .env("PATH", search_path)
            .env("HOME", self.dir.path())
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_STEP_SUMMARY", self.path("summary.md"))
            .env("GITHUB_OUTPUT", self.path("output"))
            .env("RUNNER_TEMP", self.dir.path())
            .env("RUNNER_OS", "Linux")
            .env("RUNNER_ARCH", "X64")
            .current_dir(self.dir.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("bash runs");
        let read = |name| std::fs::read_to_string(self.path(name)).unwrap_or_default();
        Step {
            code: out.status.code().unwrap_or(-1),
            log: String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
            outputs: read("output"),
            summary: read("summary.md"),
            argv: read("argv"),
        }
    }
}

fn write_executable(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).unwrap();
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `extra` first, then the system's usual directories (bash, sed, grep), never the host's
/// own PATH (which may hold a kraken-doctor).
fn search_path(extra: Option<&Path>) -> String {
    let system = "/usr/local/bin:/usr/bin:/bin";
    match extra {
        Some(dir) => format!("{}:{system}", dir.display()),
        None => system.to_string(),
    }
}

/// The inputs of a check of `sim`'s first application, as action.yml passes them.
fn inputs(sim: &Simulator) -> Vec<(&'static str, String)> {
    let app = sim.applications().into_iter().next().unwrap();
    vec![
        ("KD_AUTH_URL", sim.url()),
        ("KD_API_URL", sim.url()),
        ("KD_CLIENT_ID", app.client_id),
        ("KD_CLIENT_SECRET", app.client_secret.expose().to_string()),
        ("KD_PROPERTY_ID", property_id(sim)),
    ]
}

fn env_of<'a>(inputs: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    inputs.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

fn output(step: &Step, key: &str) -> String {
    step.outputs
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{key}=")))
        .unwrap_or_else(|| panic!("no output {key}: {}", step.outputs))
        .to_string()
}

#[test]
fn a_healthy_application_passes_with_junit_summary_and_outputs() {
    let sim = sim("healthy");
    let runner = Runner::new();
    let inputs = inputs(&sim);
    let binary = runner.recording_binary();
    let mut env = env_of(&inputs);
    env.push(("KD_BIN", binary.to_str().unwrap()));
    env.push(("KD_STRICT", "true"));
    let step = runner.run(&env, None);

    assert_eq!(step.code, 0, "{}", step.log);
    assert_eq!(output(&step, "exit-code"), "0");
    assert_eq!(output(&step, "verdict"), "clean");
    let junit = runner.path("kraken-doctor-junit.xml");
    assert_eq!(output(&step, "junit-file"), junit.display().to_string());
    let xml = std::fs::read_to_string(&junit).expect("the JUnit file is written");
    assert!(xml.contains("<testsuites name=\"kraken-doctor\" tests=\"14\" failures=\"0\""));
    assert!(
        step.summary
            .starts_with("### kraken-doctor\n\n**exit 0**: nothing failed")
    );
    assert!(step.summary.contains("| `data.measurements` | ✓ pass |"));
    let argv: Vec<&str> = step.argv.lines().collect();
    for flag in ["check", "--format", "junit", "--strict", "--property-id"] {
        assert!(argv.contains(&flag), "{flag} in {argv:?}");
    }
    let secret = &inputs[3].1;
    for (what, text) in [
        ("argv", &step.argv),
        ("log", &step.log),
        ("summary", &step.summary),
        ("outputs", &step.outputs),
        ("junit", &xml),
    ] {
        assert!(
            !text.contains(secret.as_str()),
            "the secret is in the {what}"
        );
    }
}

#[test]
fn a_broken_application_fails_the_step_with_annotations_and_the_fix() {
    let sim = sim("missing-detailed-usage");
    let runner = Runner::new();
    let inputs = inputs(&sim);
    let mut env = env_of(&inputs);
    // A directory that does not exist yet: the script makes it.
    let junit = runner.path("reports/doctor.xml");
    env.extend([
        ("KD_BIN", env!("CARGO_BIN_EXE_kraken-doctor")),
        ("KD_SKIP", "manual,auth.methods"),
        ("KD_ARGS", "--timeout 20 --retries 1"),
        ("KD_JUNIT_FILE", junit.to_str().unwrap()),
    ]);
    let step = runner.run(&env, None);

    assert_eq!(step.code, 1, "{}", step.log);
    assert_eq!(output(&step, "verdict"), "failed");
    assert_eq!(output(&step, "junit-file"), junit.display().to_string());
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("tests=\"9\" failures=\"2\""), "{xml}");
    assert!(
        step.log
            .contains("::error title=kraken-doctor perm.can-view-detailed-usage::")
    );
    assert!(
        step.summary
            .contains("- `perm.can-view-detailed-usage` (fail): ")
    );
    assert!(
        !step.summary.contains("auth.methods"),
        "skipped by the input"
    );
}

#[test]
fn a_usage_error_says_so_in_the_summary_and_writes_no_junit() {
    let runner = Runner::new();
    let step = runner.run(
        &[
            ("KD_BIN", env!("CARGO_BIN_EXE_kraken-doctor")),
            ("KD_KRAKEN", "oeg"),
        ],
        None,
    );
    assert_eq!(step.code, 2, "{}", step.log);
    assert_eq!(output(&step, "verdict"), "usage");
    assert_eq!(output(&step, "junit-file"), "");
    assert!(step.log.contains("no client id"), "{}", step.log);
    assert!(step.summary.contains("**exit 2** (usage): no report"));
}

#[test]
fn the_binary_on_path_is_reused_at_the_right_version_else_installed() {
    // Proves: without KD_BIN, a kraken-doctor on PATH at the action's version is used as it
    // is; one at another version is not, and the action installs its own with cargo from the
    // action's source (a stand-in `cargo` records the call and puts the real binary in place).
    let sim = sim("healthy");
    let runner = Runner::new();
    let inputs = inputs(&sim);
    let env = env_of(&inputs);
    let bin = runner.path("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(
        env!("CARGO_BIN_EXE_kraken-doctor"),
        bin.join("kraken-doctor"),
    )
    .unwrap();
    let step = runner.run(&env, Some(&bin));
    assert_eq!(step.code, 0, "{}", step.log);
    assert!(step.log.contains(&format!(
        "kraken-doctor {VERSION} found at {}",
        bin.display()
    )));

    let old = runner.path("old");
    std::fs::create_dir(&old).unwrap();
    write_executable(
        &old.join("kraken-doctor"),
        "#!/bin/sh\necho 'kraken-doctor 0.0.1'\nexit 7\n",
    );
    runner.cargo(&old, true);
    let step = runner.run(&env, Some(&old));
    assert_eq!(step.code, 0, "{}", step.log);
    // No release URL and no GitHub repository here: nothing to download, so it builds.
    assert!(step.log.contains("no release URL"), "{}", step.log);
    runner.assert_built_from_source(&step);
}

/// Release archives served on 127.0.0.1 as GitHub serves release downloads: a file under the
/// root answers 200, a path given a status (`*`: every path) answers with that status, any
/// other path 404. Records every path requested; stops when dropped.
struct ReleaseServer {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl ReleaseServer {
    fn start(root: &Path, statuses: &[(&str, u16)]) -> ReleaseServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (seen, stopped, root) = (requests.clone(), stop.clone(), root.to_path_buf());
        let statuses: BTreeMap<String, u16> =
            statuses.iter().map(|(p, s)| (p.to_string(), *s)).collect();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopped.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    head.push_str(&line);
                    line.clear();
                }
                let path = head.split(' ').nth(1).unwrap_or("/").to_string();
                seen.lock().unwrap().push(path.clone());
                let file = root.join(path.trim_start_matches('/'));
                let (status, body) = match statuses.get(&path).or(statuses.get("*")) {
                    Some(&status) => (status, b"refused\n".to_vec()),
                    None if !path.contains("..") && file.is_file() => {
                        (200, std::fs::read(file).unwrap())
                    }
                    None => (404, b"Not Found\n".to_vec()),
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status} {}\r\nContent-Type: application/octet-stream\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n",
                    if status == 200 { "OK" } else { "Not OK" },
                    body.len()
                );
                let _ = stream.write_all(&body);
            }
        });
        ReleaseServer {
            url,
            requests,
            stop,
        }
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for ReleaseServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::SeqCst);
        // Wakes the accept loop, which then sees the flag.
        let _ = std::net::TcpStream::connect(self.url.trim_start_matches("http://"));
    }
}

/// The archive's file name for `target`.
fn archive_name(target: &str) -> String {
    let ext = if target.contains("windows") {
        "zip"
    } else {
        "tar.gz"
    };
    format!("kraken-doctor-{VERSION}-{target}.{ext}")
}

/// The hex digest in a `.sha256` file written by `.ci/package`.
fn sha256_in(archive: &Path) -> String {
    let sum = std::fs::read_to_string(format!("{}.sha256", archive.display())).unwrap();
    sum.split_whitespace().next().unwrap().to_string()
}

/// A directory of links to every program in the system's directories but `curl`: a runner
/// with only wget.
fn system_without_curl(runner: &Runner) -> PathBuf {
    let dir = runner.path("system-without-curl");
    std::fs::create_dir(&dir).unwrap();
    for system in ["/usr/local/bin", "/usr/bin", "/bin"] {
        let Ok(entries) = std::fs::read_dir(system) else {
            continue;
        };
        for entry in entries.flatten() {
            let link = dir.join(entry.file_name());
            if entry.file_name() != "curl" && !link.exists() {
                let _ = std::os::unix::fs::symlink(entry.path(), link);
            }
        }
    }
    dir
}

/// Whether a file or folder called `name` is anywhere under `dir`.
fn anywhere_under(dir: &Path, name: &str) -> bool {
    std::fs::read_dir(dir).unwrap().flatten().any(|e| {
        e.file_name() == name
            || (e.file_type().is_ok_and(|t| t.is_dir()) && anywhere_under(&e.path(), name))
    })
}

/// How many download folders the action left in RUNNER_TEMP.
fn downloads_left(runner: &Runner) -> usize {
    std::fs::read_dir(runner.dir.path())
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("kraken-doctor-download.")
        })
        .count()
}

/// The tools the download path needs, or a printed skip (a failure under CI=true).
fn download_tools(downloader: &str) -> bool {
    tools_or_skip(&["tar", "sha256sum", downloader], "action")
}

#[test]
fn a_release_archive_is_downloaded_verified_unpacked_and_run() {
    // Proves: with no binary at hand, the action downloads the archive for its version and the
    // runner's platform, then its .sha256, checks it, unpacks it and runs the binary from it —
    // with curl, and with wget where curl is missing — and never builds; a later step of the
    // job reuses what it installed without downloading again.
    for downloader in ["curl", "wget"] {
        if !download_tools(downloader) {
            continue;
        }
        let sim = sim("healthy");
        let runner = Runner::new();
        let releases = runner.path("releases");
        let archive = package(
            &runner.recording_binary(),
            TARGET,
            &releases.join(format!("v{VERSION}")),
        );
        let server = ReleaseServer::start(&releases, &[]);
        let stubs = runner.stubs(false);
        let search_path = runner.search_path_for(downloader, &stubs);
        let inputs = inputs(&sim);
        let mut env = env_of(&inputs);
        env.push(("KD_RELEASE_URL", &server.url));
        let step = runner.run_with_path(&env, &search_path);

        assert_eq!(step.code, 0, "{downloader}: {}", step.log);
        assert_eq!(output(&step, "verdict"), "clean");
        let name = archive_name(TARGET);
        assert_eq!(
            server.requests(),
            [
                format!("/v{VERSION}/{name}"),
                format!("/v{VERSION}/{name}.sha256")
            ]
        );
        assert!(
            step.log.contains(&format!(
                "{name} from {}/v{VERSION}/{name}, sha256 {} verified",
                server.url,
                sha256_in(&archive)
            )),
            "{downloader}: {}",
            step.log
        );
        assert!(step.argv.starts_with("check\n"), "the archive's binary ran");
        assert_eq!(runner.cargo_calls(), None, "no build");
        assert!(runner.installed().is_file());
        assert_eq!(downloads_left(&runner), 0);
        assert!(!anywhere_under(
            runner.dir.path(),
            &format!("kraken-doctor-{VERSION}-{TARGET}")
        ));

        let again = runner.run_with_path(&env, &search_path);
        assert_eq!(again.code, 0, "{}", again.log);
        assert!(again.log.contains(&format!(
            "kraken-doctor {VERSION} already installed at {}",
            runner.installed().display()
        )));
        assert_eq!(server.requests().len(), 2, "no second download");
    }
}

#[test]
fn a_tampered_archive_is_refused_with_both_checksums_and_never_run() {
    // Proves: an archive whose sha256 is not the one its .sha256 states is neither unpacked nor
    // run, and the error names both checksums; so is an archive with no checksum or a
    // checksum file that is not one. None of them falls back to a build.
    if !download_tools("curl") {
        return;
    }
    let sim = sim("healthy");
    let runner = Runner::new();
    let releases = runner.path("releases");
    let published = releases.join(format!("v{VERSION}"));
    let honest = package(&runner.recording_binary(), TARGET, &published);
    let expected = sha256_in(&honest);
    // The attacker's binary would leave a mark if it ever ran.
    let mark = runner.path("tampered-binary-ran");
    let evil = runner.path("evil");
    std::fs::create_dir(&evil).unwrap();
    write_executable(
        &evil.join("kraken-doctor"),
        &format!("#!/bin/sh\ntouch '{}'\n", mark.display()),
    );
    let tampered = package(&evil.join("kraken-doctor"), TARGET, &evil);
    let actual = sha256_in(&tampered);
    assert_ne!(expected, actual);
    std::fs::copy(&tampered, &honest).unwrap();

    let server = ReleaseServer::start(&releases, &[]);
    let stubs = runner.stubs(false);
    let inputs = inputs(&sim);
    let mut env = env_of(&inputs);
    env.push(("KD_RELEASE_URL", &server.url));
    let name = archive_name(TARGET);
    let sum = published.join(format!("{name}.sha256"));

    let not_a_sum = format!("{}  {name}\n", "0".repeat(40));
    let other_archive = format!("{expected}  kraken-doctor-{VERSION}-other.tar.gz\n");
    for (case, sum_file, says) in [
        (
            "tampered",
            Some(format!("{expected}  {name}\n")),
            format!(
                "checksum mismatch for {name} from {}/v{VERSION}/{name}: expected sha256 {expected} \
                 (from {name}.sha256), got sha256 {actual}; refusing to unpack or run it",
                server.url
            ),
        ),
        (
            "no checksum",
            None,
            format!(
                "could not download the checksum {}/v{VERSION}/{name}.sha256",
                server.url
            ),
        ),
        (
            "not a checksum",
            Some(not_a_sum),
            format!(
                "{}/v{VERSION}/{name}.sha256 is not a sha256 checksum of {name}",
                server.url
            ),
        ),
        (
            "another archive's checksum",
            Some(other_archive),
            format!(
                "{}/v{VERSION}/{name}.sha256 is not a sha256 checksum of {name}",
                server.url
            ),
        ),
    ] {
        match &sum_file {
            Some(text) => std::fs::write(&sum, text).unwrap(),
            None => {
                let _ = std::fs::remove_file(&sum);
            }
        }
        let step = runner.run(&env, Some(&stubs));
        assert_eq!(step.code, 1, "{case}: {}", step.log);
        assert!(
            step.log
                .contains(&format!("::error title=kraken-doctor action::{}", says)),
            "{case}: {}",
            step.log
        );
        assert!(step.summary.contains(&says), "{case}: {}", step.summary);
        assert!(step.outputs.is_empty(), "{case}: kraken-doctor never ran");
        assert!(!mark.exists(), "{case}: the tampered binary ran");
        assert!(!runner.installed().exists(), "{case}: installed");
        assert!(
            !anywhere_under(
                runner.dir.path(),
                &format!("kraken-doctor-{VERSION}-{TARGET}")
            ),
            "{case}: unpacked"
        );
        assert_eq!(runner.cargo_calls(), None, "{case}: built from source");
        assert_eq!(
            downloads_left(&runner),
            0,
            "{case}: the download is left behind"
        );
        std::fs::remove_file(runner.path("summary.md")).unwrap();
    }
}

#[test]
fn only_a_missing_archive_builds_from_source() {
    // Proves: HTTP 404 for the archive (no release for this version) builds from the action's
    // source, with curl and with wget; any other answer, or no server at all, stops the action
    // with the reason and builds nothing.
    for downloader in ["curl", "wget"] {
        if !download_tools(downloader) {
            continue;
        }
        let sim = sim("healthy");
        let runner = Runner::new();
        let releases = runner.path("releases");
        std::fs::create_dir(&releases).unwrap();
        let server = ReleaseServer::start(&releases, &[]);
        let stubs = runner.stubs(true);
        let search_path = runner.search_path_for(downloader, &stubs);
        let inputs = inputs(&sim);
        let mut env = env_of(&inputs);
        // A trailing slash on the base URL is tolerated.
        let base = format!("{}/", server.url);
        env.push(("KD_RELEASE_URL", &base));
        let step = runner.run_with_path(&env, &search_path);
        assert_eq!(step.code, 0, "{downloader}: {}", step.log);
        let name = archive_name(TARGET);
        assert!(
            step.log.contains(&format!(
                "no release archive at {}/v{VERSION}/{name} (HTTP 404)",
                server.url
            )),
            "{downloader}: {}",
            step.log
        );
        assert_eq!(server.requests(), [format!("/v{VERSION}/{name}")]);
        runner.assert_built_from_source(&step);
    }

    if !download_tools("curl") {
        return;
    }
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    for (case, status) in [
        ("forbidden", Some(403)),
        ("gone", Some(410)),
        ("no server", None),
    ] {
        let runner = Runner::new();
        let releases = runner.path("releases");
        std::fs::create_dir(&releases).unwrap();
        let server = status.map(|s| ReleaseServer::start(&releases, &[("*", s)]));
        let url = server
            .as_ref()
            .map_or(closed_url.clone(), |s| s.url.clone());
        let stubs = runner.stubs(true);
        let step = runner.run(&[("KD_RELEASE_URL", url.as_str())], Some(&stubs));
        assert_eq!(step.code, 1, "{case}: {}", step.log);
        assert!(
            step.log.contains(&format!(
                "::error title=kraken-doctor action::could not download {url}/v{VERSION}/{}",
                archive_name(TARGET)
            )),
            "{case}: {}",
            step.log
        );
        if let Some(status) = status {
            assert!(
                step.log.contains(&format!("HTTP {status} from")),
                "{}",
                step.log
            );
        }
        assert_eq!(runner.cargo_calls(), None, "{case}: built from source");
    }
}

#[test]
fn the_runner_platform_picks_the_archive() {
    // Proves: each platform the release workflow builds for asks for its own archive (a zip on
    // Windows); a platform with none builds from source without asking.
    if !download_tools("curl") {
        return;
    }
    for (os, arch, target) in [
        ("Linux", "X64", Some("x86_64-unknown-linux-musl")),
        ("Linux", "ARM64", Some("aarch64-unknown-linux-musl")),
        ("macOS", "X64", Some("x86_64-apple-darwin")),
        ("macOS", "ARM64", Some("aarch64-apple-darwin")),
        ("Windows", "X64", Some("x86_64-pc-windows-msvc")),
        ("Windows", "ARM64", None),
        ("Linux", "ARM", None),
    ] {
        let runner = Runner::new();
        let releases = runner.path("releases");
        std::fs::create_dir(&releases).unwrap();
        let server = ReleaseServer::start(&releases, &[]);
        let stubs = runner.stubs(false);
        let step = runner.run(
            &[
                ("KD_RELEASE_URL", server.url.as_str()),
                ("RUNNER_OS", os),
                ("RUNNER_ARCH", arch),
            ],
            Some(&stubs),
        );
        let asked: Vec<String> = target
            .map(|t| format!("/v{VERSION}/{}", archive_name(t)))
            .into_iter()
            .collect();
        assert_eq!(server.requests(), asked, "{os} {arch}");
        if target.is_none() {
            assert!(
                step.log.contains(&format!(
                    "no release archive for this platform ({os} {arch})"
                )),
                "{}",
                step.log
            );
        }
        assert!(
            runner.cargo_calls().is_some(),
            "{os} {arch}: 404, so a build"
        );
    }
}
