//! Saving the handover: atomically (a temporary file in the same folder, renamed into place,
//! so a reader never sees half a file), and never over an earlier handover unless asked
//! (`--force`): without it the new one goes to a fresh name beside the old, and the summary
//! says where.

use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Where [`write`] put the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// At the path asked for, which did not exist.
    New(PathBuf),
    /// At the path asked for, replacing the file there (`--force`).
    Replaced(PathBuf),
    /// Beside the path asked for, because a file was there.
    Beside { existing: PathBuf, written: PathBuf },
}

/// How many fresh names [`write`] tries beside an existing handover.
const FRESH_NAMES: u32 = 999;

/// Write `text` to `path` atomically: a temporary file in the same folder, renamed into place.
/// Without `force`, an existing file is kept and the text goes to the first free name
/// `stem-2.ext`, `stem-3.ext`, …; the name is reserved with `create_new`, so two runs never
/// take the same one.
pub fn write(path: &Path, text: &str, force: bool) -> std::io::Result<Written> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "kraken-doctor-handover.md".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut file = std::fs::File::create_new(&tmp)?;
    let written = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| place(&tmp, path, force));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Rename `tmp` to `path`, or beside it (see [`write`]).
fn place(tmp: &Path, path: &Path, force: bool) -> std::io::Result<Written> {
    if force {
        let existed = path.exists();
        std::fs::rename(tmp, path)?;
        return Ok(if existed {
            Written::Replaced(path.to_path_buf())
        } else {
            Written::New(path.to_path_buf())
        });
    }
    for n in 1..=FRESH_NAMES {
        let candidate = if n == 1 {
            path.to_path_buf()
        } else {
            numbered(path, n)
        };
        match std::fs::File::create_new(&candidate) {
            Ok(_) => {
                std::fs::rename(tmp, &candidate)?;
                return Ok(if n == 1 {
                    Written::New(candidate)
                } else {
                    Written::Beside {
                        existing: path.to_path_buf(),
                        written: candidate,
                    }
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        format!(
            "{} and {FRESH_NAMES} numbered names beside it exist",
            path.display()
        ),
    ))
}

/// `dir/stem-n.ext` for `dir/stem.ext`.
fn numbered(path: &Path, n: u32) -> PathBuf {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = match path.extension() {
        Some(ext) => format!("{stem}-{n}.{}", ext.to_string_lossy()),
        None => format!("{stem}-{n}"),
    };
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_handover_is_kept_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("h.md");
        assert_eq!(
            write(&path, "one", false).unwrap(),
            Written::New(path.clone())
        );
        let second = write(&path, "two", false).unwrap();
        assert_eq!(
            second,
            Written::Beside {
                existing: path.clone(),
                written: dir.path().join("h-2.md")
            }
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "one");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("h-2.md")).unwrap(),
            "two"
        );
        assert_eq!(
            write(&path, "three", true).unwrap(),
            Written::Replaced(path.clone())
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "three");
        // No temporary file is left behind.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}");
        assert_eq!(numbered(Path::new("a/b"), 3), Path::new("a/b-3"));
    }
}
