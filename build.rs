//! Build facts for `--version`: the commit (`git rev-parse --short HEAD`, or "unknown
//! commit" when built from a tarball or without git) and the target triple.

use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

fn main() {
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
