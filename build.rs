//! Build facts for `--version`: the commit (`git rev-parse --short HEAD`, or "unknown
//! commit" when built from a tarball or without git) and the target triple. And the check
//! registry's file list: every `checks/*.toml`, in the report order its `order` key gives, so
//! that adding a check is adding its file (and its verdict function).

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

/// `checks/<id>.toml` files, embedded in the order of their `order = N` line.
fn check_files(manifest_dir: &Path) {
    let dir = manifest_dir.join("checks");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(u64, String, String)> = std::fs::read_dir(&dir)
        .expect("checks/ is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter(|p| {
            p.file_stem()
                .is_some_and(|s| s.to_string_lossy().contains('.'))
        })
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("a check file is readable");
            let order = text
                .lines()
                .find_map(|l| l.strip_prefix("order = "))
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or_else(|| panic!("{} has no `order = N` line", p.display()));
            let id = p.file_stem().unwrap().to_string_lossy().into_owned();
            (order, id, p.display().to_string())
        })
        .collect();
    files.sort();
    let mut code = String::from("&[\n");
    for (_, id, path) in files {
        code.push_str(&format!("    ({id:?}, include_str!({path:?})),\n"));
    }
    code.push(']');
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("check_files.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}

fn main() {
    check_files(Path::new(
        &std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default(),
    ));
    let target = std::env::var("TARGET").unwrap_or_else(|_| "unknown target".into());
    println!("cargo:rustc-env=KRAKEN_DOCTOR_TARGET={target}");
    // Only this crate's own repository: a tarball unpacked inside another checkout must not
    // borrow that checkout's commit.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default();
    let own_repo = Path::new(&manifest_dir).join(".git").exists();
    let commit = own_repo
        .then(|| git(&["-C", &manifest_dir, "rev-parse", "--short", "HEAD"]))
        .flatten();
    println!(
        "cargo:rustc-env=KRAKEN_DOCTOR_COMMIT={}",
        commit.as_deref().unwrap_or("unknown commit")
    );
    println!("cargo:rerun-if-changed=build.rs");
    if own_repo {
        // Re-run when HEAD moves: HEAD itself (a branch switch) and the branch's ref (a commit).
        let mut watched = vec![git(&[
            "-C",
            &manifest_dir,
            "rev-parse",
            "--git-path",
            "HEAD",
        ])];
        if let Some(branch) = git(&["-C", &manifest_dir, "symbolic-ref", "-q", "HEAD"]) {
            watched.push(git(&[
                "-C",
                &manifest_dir,
                "rev-parse",
                "--git-path",
                &branch,
            ]));
        }
        for path in watched.into_iter().flatten() {
            let path = Path::new(&manifest_dir).join(path);
            // A ref only in packed-refs has no file; watching a missing file would re-run
            // this script on every build.
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}
