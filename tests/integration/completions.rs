//! Completion in the shells themselves: the scripts `kraken-doctor completions SHELL` prints
//! are loaded into a real bash (its completion function called as Tab calls it), a real zsh
//! (interactive, under zsh/zpty, with compinit) and a real fish (`complete -C`), and must
//! complete commands, flags and the values of the closed sets: formats, presets, check ids
//! and groups, scenarios. A missing shell skips with the reason, except under CI=true, where
//! .ci/run installs them and a missing one fails.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::run;

#[derive(Debug, Clone, Copy)]
enum Shell {
    Bash,
    Zsh,
    Fish,
}

impl Shell {
    fn name(self) -> &'static str {
        match self {
            Shell::Bash => "bash",
            Shell::Zsh => "zsh",
            Shell::Fish => "fish",
        }
    }
}

/// The generated script for `shell`, in a scratch directory that lives as long as the test.
struct Loaded {
    shell: Shell,
    dir: tempfile::TempDir,
    script: PathBuf,
}

/// The shell's script, or `None` (with the reason on stderr) when the shell is not installed
/// and CI is not set.
fn load(shell: Shell) -> Option<Loaded> {
    let found = Command::new(shell.name())
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        let why = format!("{} is not installed", shell.name());
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("completions: {why}; CI=true needs it: .ci/run installs bash, zsh and fish");
        }
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "completions: SKIPPED {} — {why}",
            std::thread::current().name().unwrap_or("completions")
        );
        return None;
    }
    let r = run(&["completions", shell.name()], &[], None);
    assert_eq!(r.code, 0, "{}", r.transcript());
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join(format!("kraken-doctor.{}", shell.name()));
    std::fs::write(&script, &r.stdout).unwrap();
    Some(Loaded { shell, dir, script })
}

/// Run `program args` in `cwd` to its end, with a generous guard against a shell that waits
/// forever.
fn output(program: &str, args: &[&Path], line: &str, cwd: &Path) -> (String, String) {
    let mut cmd = Command::new(program);
    cmd.current_dir(cwd);
    for a in args {
        cmd.arg(a);
    }
    let mut child = cmd
        .arg(line)
        .env("TERM", "dumb")
        .env_remove("HISTFILE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} starts: {e}"));
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("{program} did not finish completing '{line}'");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

impl Loaded {
    /// What the shell offers on Tab at the end of `line`, sorted, without duplicates.
    fn complete(&self, line: &str) -> Vec<String> {
        let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/integration/shells");
        // An empty directory to complete in: file names stay out of the answers, and a script
        // that writes a file when loaded (an unescaped `>` in a help text did) is caught.
        let cwd = self.dir.path().join("cwd");
        std::fs::create_dir_all(&cwd).unwrap();
        let (stdout, stderr) = match self.shell {
            Shell::Bash => output(
                "bash",
                &[
                    Path::new("--norc"),
                    Path::new("--noprofile"),
                    &harness.join("complete.bash"),
                    &self.script,
                ],
                line,
                &cwd,
            ),
            Shell::Zsh => {
                let dump = self.dir.path().join("zcompdump");
                let (out, err) = output(
                    "zsh",
                    &[
                        Path::new("-f"),
                        &harness.join("complete.zsh"),
                        &self.script,
                        &dump,
                    ],
                    line,
                    &cwd,
                );
                assert!(
                    out.contains("KD-END"),
                    "zsh never completed '{line}': {out}"
                );
                let matches = out
                    .split(['\r', '\n'])
                    .filter_map(|l| l.split("KD-MATCH:").nth(1))
                    .map(|m| format!("{}\n", m.trim_end()))
                    .collect();
                (matches, err)
            }
            Shell::Fish => {
                // `complete -C` prints `match<TAB>description`.
                let script = self.script.display().to_string();
                let (out, err) = output(
                    "fish",
                    &[
                        Path::new("--no-config"),
                        Path::new("-c"),
                        Path::new("source $argv[1]; complete -C $argv[2]"),
                        Path::new(&script),
                    ],
                    line,
                    &cwd,
                );
                let words = out
                    .lines()
                    .map(|l| format!("{}\n", l.split('\t').next().unwrap_or("")))
                    .collect();
                (words, err)
            }
        };
        assert!(
            stderr.trim().is_empty(),
            "{} printed errors completing '{line}':\n{stderr}",
            self.shell.name()
        );
        let written: Vec<_> = std::fs::read_dir(&cwd).unwrap().flatten().collect();
        assert!(
            written.is_empty(),
            "{}: completing '{line}' wrote files: {written:?}",
            self.shell.name()
        );
        let mut words: Vec<String> = stdout
            .lines()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(String::from)
            .collect();
        words.sort();
        words.dedup();
        words
    }
}

/// The values the clap definition declares for `command`'s `--flag` (what each shell must
/// offer), sorted.
fn declared(command: &str, flag: &str) -> Vec<String> {
    let cli = kraken_doctor::commands::cli_command();
    let sub = cli
        .find_subcommand(command)
        .unwrap_or_else(|| panic!("no command {command}"));
    let arg = sub
        .get_arguments()
        .find(|a| a.get_long() == Some(flag) || a.get_id() == flag)
        .unwrap_or_else(|| panic!("{command} has no --{flag}"));
    let mut values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    assert!(!values.is_empty(), "{command} --{flag} declares its values");
    values.sort();
    values
}

fn sorted(names: impl IntoIterator<Item = impl Into<String>>) -> Vec<String> {
    let mut v: Vec<String> = names.into_iter().map(Into::into).collect();
    v.sort();
    v
}

/// The cases every shell must complete.
fn completes_everything_in(shell: Shell) {
    let Some(sh) = load(shell) else { return };
    let name = shell.name();

    // Commands, then the flags of one.
    assert_eq!(sh.complete("kraken-doctor ch"), ["check"], "{name}");
    assert!(
        sh.complete("kraken-doctor ")
            .contains(&"list-checks".to_string()),
        "{name}"
    );
    let flags = sh.complete("kraken-doctor token --c");
    for f in [
        "--client-id",
        "--client-secret-file",
        "--client-secret-stdin",
        "--ca-cert",
    ] {
        assert!(flags.contains(&f.to_string()), "{name}: {f} in {flags:?}");
    }
    // The secret is never offered as a flag.
    assert!(
        !flags.contains(&"--client-secret".to_string()),
        "{name}: {flags:?}"
    );

    // Values: formats, presets, check ids and groups, scenarios — all of each, then filtered.
    assert_eq!(
        sh.complete("kraken-doctor check --format "),
        declared("check", "format"),
        "{name}"
    );
    assert_eq!(
        sh.complete("kraken-doctor token --format "),
        declared("token", "format"),
        "{name}"
    );
    assert_eq!(
        sh.complete("kraken-doctor check --kraken "),
        sorted(kraken_doctor::names::preset_names()),
        "{name}"
    );
    assert_eq!(
        sh.complete("kraken-doctor guide --kraken oe"),
        sorted(
            kraken_doctor::names::preset_names()
                .into_iter()
                .filter(|p| p.starts_with("oe"))
        ),
        "{name}"
    );
    for flag in ["only", "skip"] {
        assert_eq!(
            sh.complete(&format!("kraken-doctor check --{flag} ")),
            sorted(kraken_doctor::names::check_ids_and_groups()),
            "{name} --{flag}"
        );
    }
    assert_eq!(
        sh.complete("kraken-doctor check --only perm"),
        sorted(
            kraken_doctor::names::check_ids_and_groups()
                .into_iter()
                .filter(|id| id.starts_with("perm"))
        ),
        "{name}"
    );
    assert_eq!(
        sh.complete("kraken-doctor sim --scenario "),
        sorted(kraken_doctor::commands::scenario_names()),
        "{name}"
    );
    assert_eq!(
        sh.complete("kraken-doctor sim --scenario rot"),
        ["rotated-secret"],
        "{name}"
    );
    // clap_complete's fish script completes no positional argument (the shell's name).
    if !matches!(shell, Shell::Fish) {
        let shells = sh.complete("kraken-doctor completions ");
        for shell in declared("completions", "shell") {
            assert!(shells.contains(&shell), "{name}: {shell} in {shells:?}");
        }
    }
}

#[test]
fn bash_completes_commands_flags_and_values() {
    completes_everything_in(Shell::Bash);
}

#[test]
fn zsh_completes_commands_flags_and_values() {
    completes_everything_in(Shell::Zsh);
}

#[test]
fn fish_completes_commands_flags_and_values() {
    completes_everything_in(Shell::Fish);
}
