//! Where the client secret comes from — standard input, a file, `KRAKEN_CLIENT_SECRET`, or
//! what a profile names — and the rules a secret's text must follow. Never the command line.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{ConfigError, Env, env_names, refuse};
use crate::cli::CredentialArgs;
use crate::config::profiles::Profile;
use crate::secret::Secret;

/// Where `--client-secret-stdin` reads.
pub enum StdinSecret<'a> {
    /// Read standard input when `--client-secret-stdin` is given.
    Process,
    /// Tests: this text stands for standard input.
    Text(&'a str),
}

impl StdinSecret<'_> {
    /// The secret on standard input (at most 64 KiB are read).
    pub fn read(self) -> Result<Secret, ConfigError> {
        let bytes = match self {
            StdinSecret::Text(t) => t.as_bytes().to_vec(),
            StdinSecret::Process => {
                let mut buf = Vec::new();
                std::io::stdin()
                    .take(64 * 1024)
                    .read_to_end(&mut buf)
                    .or_else(|e| refuse(format!("cannot read the secret from stdin: {e}")))?;
                buf
            }
        };
        secret_from_bytes(bytes, "standard input")
    }
}

/// The refusals about the secret flags themselves, before anything is read.
pub fn check_flags(args: &CredentialArgs) -> Result<(), ConfigError> {
    if args.client_secret_stdin && args.client_secret_file.is_some() {
        return refuse("give one of --client-secret-file and --client-secret-stdin, not both");
    }
    Ok(())
}

/// The secret for one target: standard input (already read), `--client-secret-file`,
/// `KRAKEN_CLIENT_SECRET`, then the profile's `client_secret_env` or `client_secret_file`.
/// `None` when nothing gives one.
pub fn resolve(
    args: &CredentialArgs,
    from_stdin: Option<&Secret>,
    env: &Env,
    profile: &Profile,
) -> Result<Option<Secret>, ConfigError> {
    if let Some(s) = from_stdin {
        return Ok(Some(s.clone()));
    }
    if let Some(path) = &args.client_secret_file {
        return read_secret_file(path).map(Some);
    }
    if let Some(s) = env.get(env_names::CLIENT_SECRET).filter(|v| !v.is_empty()) {
        return Ok(Some(Secret::new(s.clone())));
    }
    if let Some(var) = &profile.client_secret_env {
        let value = std::env::var(var).ok().filter(|v| !v.is_empty());
        return match value {
            Some(v) => Ok(Some(Secret::new(v))),
            None => refuse(format!(
                "client_secret_env names {var}, which is not set (or empty)"
            )),
        };
    }
    if let Some(path) = &profile.client_secret_file {
        return read_secret_file(&expand_home(path, env)).map(Some);
    }
    Ok(None)
}

/// `~/x` against `HOME`, as a profile's paths may be written.
fn expand_home(path: &Path, env: &Env) -> PathBuf {
    match (path.strip_prefix("~"), env.get("HOME")) {
        (Ok(rest), Some(home)) => Path::new(home).join(rest),
        _ => path.to_path_buf(),
    }
}

/// Read a secret file: UTF-8, one trailing newline stripped; warn on stderr when others can
/// read it.
pub fn read_secret_file(path: &Path) -> Result<Secret, ConfigError> {
    let bytes = std::fs::read(path).or_else(|e| {
        refuse(format!(
            "cannot read the secret file {}: {e}",
            path.display()
        ))
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path)
            && meta.permissions().mode() & 0o004 != 0
        {
            eprintln!(
                "warning: the secret file {} is readable by every user; chmod 600 it",
                path.display()
            );
        }
    }
    secret_from_bytes(bytes, &path.display().to_string())
}

/// The secret in a file's or stdin's bytes: UTF-8, one trailing newline (LF or CRLF) removed,
/// not empty.
pub fn secret_from_bytes(bytes: Vec<u8>, origin: &str) -> Result<Secret, ConfigError> {
    let bytes = zeroize::Zeroizing::new(bytes);
    let text = std::str::from_utf8(&bytes)
        .or_else(|_| refuse(format!("the secret in {origin} is not UTF-8 text")))?;
    let text = text
        .strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text);
    if text.is_empty() {
        return refuse(format!("the secret in {origin} is empty"));
    }
    if text.contains('\n') || text.chars().any(char::is_control) {
        return refuse(format!(
            "the secret in {origin} has more than one line or control characters; it should hold \
             the secret alone"
        ));
    }
    Ok(Secret::new(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_bytes_rules() {
        assert_eq!(
            secret_from_bytes(b"abc\n".to_vec(), "f").unwrap().expose(),
            "abc"
        );
        assert_eq!(
            secret_from_bytes(b"abc\r\n".to_vec(), "f")
                .unwrap()
                .expose(),
            "abc"
        );
        assert!(secret_from_bytes(b"\n".to_vec(), "f").is_err());
        assert!(
            secret_from_bytes(vec![0xff, 0xfe], "f")
                .unwrap_err()
                .0
                .contains("UTF-8")
        );
        assert!(secret_from_bytes(b"a\nb\n".to_vec(), "f").is_err());
    }
}
