//! The packaging script (`.ci/package`, what the release workflow runs for each target) on a
//! binary already built: the archive's name, its one folder with the binary, README and
//! licences, and the `.sha256` beside it in `sha256sum` format (`sha256sum -c` holds, and fails
//! once the archive changes). A stand-in binary keeps the test fast (a release build takes
//! minutes, and the script copies whatever it is given); the release workflow packages the
//! real one with the same script.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Whether every tool is on PATH; if not, says which one is missing and why the test skips
/// (a failure under `CI=true`, where .ci/run has installed them).
pub fn tools_or_skip(tools: &[&str], what: &str) -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let missing: Vec<&str> = tools
        .iter()
        .copied()
        .filter(|tool| !std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()))
        .collect();
    if missing.is_empty() {
        return true;
    }
    let why = format!("{} not installed", missing.join(", "));
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{what}: {why}; CI=true needs them (.ci/run installs them)");
    }
    let test = std::thread::current()
        .name()
        .unwrap_or("package")
        .to_string();
    // Past the harness's capture: a skip must be seen.
    let _ = writeln!(std::io::stderr(), "{what}: SKIPPED {test} — {why}");
    false
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `.ci/package` with `args`.
pub fn run_package(args: &[&str]) -> Output {
    Command::new("bash")
        .arg(root().join(".ci/package"))
        .args(args)
        .env_remove("CARGO_TARGET_DIR")
        .output()
        .expect("bash runs")
}

/// Packages `binary` for `target` into `out`; returns the archive's path.
pub fn package(binary: &Path, target: &str, out: &Path) -> PathBuf {
    let run = run_package(&[
        "--binary",
        binary.to_str().unwrap(),
        "--target",
        target,
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8(run.stdout).unwrap();
    PathBuf::from(stdout.lines().last().expect("the archive's path"))
}

/// A small executable standing in for kraken-doctor: prints `text`.
pub fn stand_in(dir: &Path, name: &str, text: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\necho '{text}'\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

/// The licence files at the top of the repository.
fn licences() -> BTreeSet<String> {
    std::fs::read_dir(root())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|name| name.starts_with("LICENSE"))
        .collect()
}

/// What the archive of `target` must hold, given the binary's file name.
fn expected_entries(folder: &str, exe: &str) -> BTreeSet<String> {
    let mut entries: BTreeSet<String> = ["README.md", exe]
        .into_iter()
        .map(str::to_string)
        .chain(licences())
        .map(|f| format!("{folder}/{f}"))
        .collect();
    entries.insert(format!("{folder}/"));
    entries
}

fn sh(dir: &Path, program: &str, args: &[&str]) -> Output {
    Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{program} runs: {e}"))
}

/// The lines `program` prints (an archive's listing), as a set.
fn listed(dir: &Path, program: &str, args: &[&str]) -> BTreeSet<String> {
    let run = sh(dir, program, args);
    assert!(run.status.success(), "{program} {args:?}: {run:?}");
    String::from_utf8(run.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect()
}

#[test]
fn a_unix_archive_is_one_folder_with_the_binary_readme_and_licences_and_a_checksum() {
    if !tools_or_skip(&["tar", "sha256sum"], "package") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let text = format!("kraken-doctor {} (stand-in)", version());
    let binary = stand_in(dir.path(), "built", &text);
    let out = dir.path().join("dist");
    let target = "aarch64-unknown-linux-musl";
    let archive = package(&binary, target, &out);

    let folder = format!("kraken-doctor-{}-{target}", version());
    let name = format!("{folder}.tar.gz");
    assert_eq!(archive, out.join(&name));
    assert_eq!(
        files_in(&out),
        BTreeSet::from([name.clone(), format!("{name}.sha256")])
    );

    assert_eq!(
        listed(&out, "tar", &["-tzf", &name]),
        expected_entries(&folder, "kraken-doctor")
    );

    // sha256sum's own format, and it checks out; one changed byte and it no longer does.
    let line = std::fs::read_to_string(out.join(format!("{name}.sha256"))).unwrap();
    let (hex, file) = line.trim_end().split_once("  ").expect("two-space format");
    assert_eq!(file, name);
    assert!(
        hex.len() == 64
            && hex
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    let check = sh(&out, "sha256sum", &["-c", &format!("{name}.sha256")]);
    assert!(check.status.success(), "{check:?}");
    std::fs::OpenOptions::new()
        .append(true)
        .open(&archive)
        .unwrap()
        .write_all(b"\0")
        .unwrap();
    let check = sh(&out, "sha256sum", &["-c", &format!("{name}.sha256")]);
    assert!(
        !check.status.success(),
        "a changed archive still checks out"
    );

    // Unpacked, the binary is still executable and the README is the repository's.
    let unpacked = dir.path().join("unpacked");
    std::fs::create_dir(&unpacked).unwrap();
    std::fs::remove_dir_all(&out).unwrap();
    let archive = package(&binary, target, &out);
    let untar = sh(&unpacked, "tar", &["-xzf", archive.to_str().unwrap()]);
    assert!(untar.status.success(), "{untar:?}");
    let ran = sh(
        &unpacked,
        unpacked
            .join(&folder)
            .join("kraken-doctor")
            .to_str()
            .unwrap(),
        &[],
    );
    assert_eq!(String::from_utf8(ran.stdout).unwrap().trim_end(), text);
    assert_eq!(
        std::fs::read(unpacked.join(&folder).join("README.md")).unwrap(),
        std::fs::read(root().join("README.md")).unwrap()
    );
}

#[test]
fn a_windows_archive_is_a_zip_holding_the_exe() {
    if !tools_or_skip(&["zip", "unzip", "sha256sum"], "package") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let binary = stand_in(dir.path(), "kraken-doctor.exe", "stand-in");
    let out = dir.path().join("dist");
    let target = "x86_64-pc-windows-msvc";
    let archive = package(&binary, target, &out);

    let folder = format!("kraken-doctor-{}-{target}", version());
    let name = format!("{folder}.zip");
    assert_eq!(archive, out.join(&name));
    assert_eq!(
        listed(&out, "unzip", &["-Z1", &name]),
        expected_entries(&folder, "kraken-doctor.exe")
    );
    let check = sh(&out, "sha256sum", &["-c", &format!("{name}.sha256")]);
    assert!(check.status.success(), "{check:?}");
}

#[test]
fn the_host_target_and_the_version_are_the_defaults() {
    if !tools_or_skip(&["tar", "sha256sum", "rustc"], "package") {
        return;
    }
    let host = sh(root(), "rustc", &["-vV"]);
    let host = String::from_utf8(host.stdout).unwrap();
    let host = host
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host");
    let dir = tempfile::tempdir().unwrap();
    let binary = stand_in(dir.path(), "built", "stand-in");
    let out = dir.path().join("dist");
    let run = run_package(&[
        "--binary",
        binary.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{run:?}");
    assert!(
        out.join(format!("kraken-doctor-{}-{host}.tar.gz", version()))
            .is_file()
    );

    let run = run_package(&[
        "--binary",
        binary.to_str().unwrap(),
        "--out-dir",
        out.to_str().unwrap(),
        "--target",
        "x86_64-apple-darwin",
        "--version",
        "9.8.7-rc.1",
    ]);
    assert!(run.status.success(), "{run:?}");
    assert!(
        out.join("kraken-doctor-9.8.7-rc.1-x86_64-apple-darwin.tar.gz.sha256")
            .is_file()
    );
}

#[test]
fn the_script_refuses_a_missing_binary_and_unknown_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing-here");
    for (args, says) in [
        (
            vec!["--binary", missing.to_str().unwrap(), "--target", "x"],
            format!("no binary at {}", missing.display()),
        ),
        (
            vec!["--frobnicate"],
            "unknown argument '--frobnicate'".into(),
        ),
        (vec!["--target"], "--target needs a value".into()),
    ] {
        let run = run_package(&args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains(&says), "{args:?}: {stderr}");
    }
    assert!(!dir.path().join("dist").exists());
}
