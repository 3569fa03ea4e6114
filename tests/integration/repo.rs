//! The repository stands on its own: no file points at material outside it (the Kraken facts
//! the code relies on are in docs/krakens.md), and the page it points at instead exists.

use std::path::{Path, PathBuf};

/// Text files tracked in the repository (git ls-files), or None outside a git checkout.
fn tracked_files(root: &Path) -> Option<Vec<PathBuf>> {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["ls-files", "-z"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(
        out.stdout
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| root.join(String::from_utf8_lossy(p).as_ref()))
            .collect(),
    )
}

/// What a reference to the planning folder beside the repository looks like.
fn points_outside(text: &str) -> Option<&'static str> {
    ["../shared", "shared/kraken", "shared/design"]
        .into_iter()
        .find(|needle| text.contains(needle))
}

#[test]
fn the_scanner_finds_a_reference_outside_the_repository() {
    assert_eq!(
        points_outside("// see shared/kraken/README.md"),
        Some("shared/kraken")
    );
    assert_eq!(points_outside("cat ../shared/x"), Some("../shared"));
    assert_eq!(points_outside("a shared transport for fifty targets"), None);
}

#[test]
fn no_file_refers_to_anything_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Some(files) = tracked_files(root) else {
        eprintln!("repo: SKIPPED — not a git checkout, no file list to read");
        return;
    };
    assert!(root.join("docs/krakens.md").is_file());
    let offenders: Vec<String> = files
        .iter()
        // This file names what it looks for.
        .filter(|path| !path.ends_with("tests/integration/repo.rs"))
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?; // binary files are skipped
            let needle = points_outside(&text)?;
            Some(format!("{} mentions {needle}", path.display()))
        })
        .collect();
    assert!(
        offenders.is_empty(),
        "files point outside the repository (cite docs/krakens.md instead):\n{}",
        offenders.join("\n")
    );
}
