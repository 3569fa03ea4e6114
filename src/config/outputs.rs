//! The files a run writes (`--output`, `--support-report`, `--handover`), checked before the
//! first request: a report that cannot be written is a usage error, not a run that ends in
//! exit 3 after every request was sent.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use super::{ConfigError, refuse};

/// Refuse any of these `(flag, path)` that cannot be written, and two flags naming the same
/// file.
pub fn check_outputs(outputs: &[(&str, Option<&Path>)]) -> Result<(), ConfigError> {
    let mut seen: Vec<(&str, PathBuf)> = Vec::new();
    for (flag, path) in outputs {
        let Some(path) = path else { continue };
        check_writable(flag, path)?;
        let same = normalized(path);
        if let Some((other, _)) = seen.iter().find(|(_, p)| *p == same) {
            return refuse(format!(
                "{other} and {flag} name the same file {}; give each its own",
                path.display()
            ));
        }
        seen.push((flag, same));
    }
    Ok(())
}

/// The path as it will be opened, for comparing two flags (`./a` and `a` are one file).
fn normalized(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    absolute.components().collect()
}

/// A usage error unless `path` names a file that can be written: not a directory, in a
/// directory that exists, and openable for writing (a new file is created and removed again;
/// an existing one is opened without being changed).
pub fn check_writable(flag: &str, path: &Path) -> Result<(), ConfigError> {
    let shown = path.display();
    let text = path.as_os_str().to_string_lossy();
    if text.is_empty() {
        return refuse(format!("{flag} needs a file name"));
    }
    if path.is_dir() || text.ends_with(std::path::MAIN_SEPARATOR) || text.ends_with('/') {
        return refuse(format!(
            "{flag} {shown} is a directory; give a file name (e.g. {})",
            Path::new(text.trim_end_matches('/'))
                .join("report")
                .display()
        ));
    }
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return refuse(format!(
            "{flag}: cannot write {shown}: the directory {} does not exist",
            parent.display()
        ));
    }
    let opened = match std::fs::symlink_metadata(path) {
        // Only regular files are opened: a FIFO would block, and a device is the user's
        // business.
        Ok(meta) if meta.is_file() => OpenOptions::new().append(true).open(path).map(drop),
        Ok(_) => Ok(()),
        Err(_) => OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map(|file| {
                drop(file);
                let _ = std::fs::remove_file(path);
            }),
    };
    opened.or_else(|e| refuse(format!("{flag}: cannot write {shown}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_checked_before_anything_is_sent() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let file = d.join("report.json");
        assert!(check_outputs(&[("--output", Some(&file))]).is_ok());
        assert!(!file.exists(), "the probe file is removed again");
        std::fs::write(&file, "kept").unwrap();
        assert!(check_outputs(&[("--output", Some(&file))]).is_ok());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "kept");

        let e = check_writable("--output", d).unwrap_err().0;
        assert!(e.contains("is a directory"), "{e}");
        let slash = format!("{}/new/", d.display());
        let e = check_writable("--output", Path::new(&slash)).unwrap_err().0;
        assert!(e.contains("is a directory"), "{e}");
        let e = check_writable("--output", &d.join("missing/r.json"))
            .unwrap_err()
            .0;
        assert!(e.contains("does not exist"), "{e}");
        let e = check_outputs(&[
            ("--output", Some(file.as_path())),
            ("--support-report", Some(file.as_path())),
        ])
        .unwrap_err()
        .0;
        assert!(
            e.contains("--output and --support-report name the same file"),
            "{e}"
        );
    }
}
