//! The GitHub Action's script (`action/run.sh`, what `action.yml` runs) against the simulator
//! in a fake GitHub environment: `GITHUB_ACTIONS=true`, `GITHUB_STEP_SUMMARY`,
//! `GITHUB_OUTPUT` and `RUNNER_TEMP` pointing at temporary files. Each test checks the exit
//! code, the step outputs, the JUnit file and the job summary, and that the secret reached
//! kraken-doctor through its environment only.

use std::path::{Path, PathBuf};
use std::process::Command;

use kraken_sim::Simulator;

use crate::common::{property_id, sim};

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
        let mut cmd = Command::new("bash");
        cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("action/run.sh"))
            .env_clear()
            .env("PATH", search_path(path))
            .env("HOME", self.dir.path())
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_STEP_SUMMARY", self.path("summary.md"))
            .env("GITHUB_OUTPUT", self.path("output"))
            .env("RUNNER_TEMP", self.dir.path())
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
    let version = env!("CARGO_PKG_VERSION");
    assert!(step.log.contains(&format!(
        "kraken-doctor {version} found at {}",
        bin.display()
    )));

    let old = runner.path("old");
    std::fs::create_dir(&old).unwrap();
    write_executable(
        &old.join("kraken-doctor"),
        "#!/bin/sh\necho 'kraken-doctor 0.0.1'\nexit 7\n",
    );
    write_executable(
        &old.join("cargo"),
        &format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{calls}'\nroot=$(printf '%s\\n' \"$@\" | sed -n '/^--root$/{{n;p}}')\n\
             mkdir -p \"$root/bin\" && ln -s '{real}' \"$root/bin/kraken-doctor\"\n",
            calls = runner.path("cargo-calls").display(),
            real = env!("CARGO_BIN_EXE_kraken-doctor"),
        ),
    );
    let step = runner.run(&env, Some(&old));
    assert_eq!(step.code, 0, "{}", step.log);
    let calls = std::fs::read_to_string(runner.path("cargo-calls")).unwrap();
    let calls: Vec<&str> = calls.lines().collect();
    let source = env!("CARGO_MANIFEST_DIR");
    assert_eq!(
        calls[..4],
        ["install", "--locked", "--quiet", "--path"],
        "{calls:?}"
    );
    assert_eq!(calls[4], source);
    assert!(
        step.log
            .contains(&format!("installing kraken-doctor {version} from {source}"))
    );
}
