//! Where the client secret comes from — standard input, a file, `KRAKEN_CLIENT_SECRET`, or
//! what a profile names — and the rules a secret's text must follow ([`pasted`]: what a
//! Kraken never issues is trimmed and said, or refused). Never the command line.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::pasted::{self, Credential};
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

/// A secret as it will be sent, where it came from, and what was done to it.
#[derive(Debug, Clone)]
pub struct GivenSecret {
    pub secret: Secret,
    /// Where it came from, as messages name it (`KRAKEN_CLIENT_SECRET`, ...).
    pub origin: String,
    /// What was trimmed, or looks unlike a Kraken's secret: said once (stderr and report).
    pub notes: Vec<String>,
}

impl StdinSecret<'_> {
    /// The secret on standard input (at most 64 KiB are read).
    pub fn read(self) -> Result<GivenSecret, ConfigError> {
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
        secret_from_bytes(bytes, "--client-secret-stdin", true)
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
    from_stdin: Option<&GivenSecret>,
    env: &Env,
    profile: &Profile,
) -> Result<Option<GivenSecret>, ConfigError> {
    if let Some(s) = from_stdin {
        return Ok(Some(s.clone()));
    }
    if let Some(path) = &args.client_secret_file {
        return read_secret_file(path, "--client-secret-file").map(Some);
    }
    if let Some(s) = env.get(env_names::CLIENT_SECRET).filter(|v| !v.is_empty()) {
        return secret_from_text(s, env_names::CLIENT_SECRET, false).map(Some);
    }
    if let Some(var) = &profile.client_secret_env {
        let value = std::env::var(var).ok().filter(|v| !v.is_empty());
        return match value {
            Some(v) => secret_from_text(&v, &format!("client_secret_env {var}"), false).map(Some),
            None => refuse(format!(
                "client_secret_env names {var}, which is not set (or empty)"
            )),
        };
    }
    if let Some(path) = &profile.client_secret_file {
        return read_secret_file(&expand_home(path, env), "client_secret_file").map(Some);
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

/// Read a secret file (`setting` names how it was given: `--client-secret-file`,
/// `client_secret_file`): UTF-8, checked as pasted; warn on stderr when others can read it.
pub fn read_secret_file(path: &Path, setting: &str) -> Result<GivenSecret, ConfigError> {
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
    secret_from_bytes(bytes, &format!("{setting} {}", path.display()), true)
}

/// The secret in a file's or stdin's bytes (`file_like`: one final line feed is the text
/// convention, removed silently): UTF-8, then checked as pasted.
pub fn secret_from_bytes(
    bytes: Vec<u8>,
    origin: &str,
    file_like: bool,
) -> Result<GivenSecret, ConfigError> {
    let bytes = zeroize::Zeroizing::new(bytes);
    let text = std::str::from_utf8(&bytes)
        .or_else(|_| refuse(format!("the client secret from {origin} is not UTF-8 text")))?;
    secret_from_text(text, origin, file_like)
}

/// The secret in a text as given, checked as pasted ([`pasted::check`]).
pub fn secret_from_text(
    text: &str,
    origin: &str,
    file_like: bool,
) -> Result<GivenSecret, ConfigError> {
    let checked = pasted::check(text, Credential::ClientSecret, origin, file_like)?;
    Ok(GivenSecret {
        secret: Secret::new(checked.value),
        origin: origin.to_string(),
        notes: checked.notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_bytes_rules() {
        let read = |b: &[u8]| secret_from_bytes(b.to_vec(), "f", true);
        assert_eq!(read(b"abc\n").unwrap().secret.expose(), "abc");
        assert_eq!(read(b"abc\r\n").unwrap().secret.expose(), "abc");
        assert!(read(b"abc\r\n").unwrap().notes[0].contains("carriage return"));
        assert!(read(b"\n").is_err());
        assert!(read(&[0xff, 0xfe]).unwrap_err().0.contains("UTF-8"));
        assert!(read(b"a\nb\n").is_err());
    }
}
