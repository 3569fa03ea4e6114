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

/// The planning folder beside the repository, spelled in pieces so that this file does not
/// name it itself.
const FOLDER: &str = concat!("sha", "red");

/// What a reference to the planning folder beside the repository looks like.
fn needles() -> [String; 3] {
    [
        format!("../{FOLDER}"),
        format!("{FOLDER}/kraken"),
        format!("{FOLDER}/design"),
    ]
}

fn points_outside(text: &str) -> Option<String> {
    needles()
        .into_iter()
        .find(|needle| text.contains(needle.as_str()))
}

#[test]
fn the_scanner_finds_a_reference_outside_the_repository() {
    let readme = format!("// see {FOLDER}/kraken/README.md");
    assert_eq!(points_outside(&readme), Some(format!("{FOLDER}/kraken")));
    let cat = format!("cat ../{FOLDER}/x");
    assert_eq!(points_outside(&cat), Some(format!("../{FOLDER}")));
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
