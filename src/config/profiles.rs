//! The config file: `[profiles.NAME]` tables holding a target and where its secret is, never
//! the secret itself; and which of its profiles a run uses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{ConfigError, Env, refuse};

/// A profile of the config file. The secret is never inline: only where to find it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub kraken: Option<String>,
    #[serde(default)]
    pub test_env: bool,
    pub auth_url: Option<String>,
    pub api_url: Option<String>,
    pub client_id: Option<String>,
    /// Name of an environment variable holding the secret.
    pub client_secret_env: Option<String>,
    /// Path of a file holding the secret.
    pub client_secret_file: Option<PathBuf>,
    /// Refused when present: a secret must not sit in a config file.
    pub client_secret: Option<toml::Value>,
    pub property_id: Option<String>,
    pub supply_point: Option<String>,
    pub market_name: Option<String>,
}

/// The config file: `[profiles.NAME]` tables.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// A profile and its name; the name is `None` when no profile is used (flags and
/// environment alone).
pub type NamedProfile = (Option<String>, Profile);

/// Where the config file is: `--config`, else `$XDG_CONFIG_HOME/kraken-doctor/config.toml`,
/// else `~/.config/kraken-doctor/config.toml`.
pub fn config_path(explicit: Option<&Path>, env: &Env) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    let base = env
        .get("XDG_CONFIG_HOME")
        .filter(|s| !s.is_empty())
        .map(PathBuf::from)
        .or_else(|| env.get("HOME").map(|h| Path::new(h).join(".config")))?;
    Some(base.join("kraken-doctor").join("config.toml"))
}

/// Read and parse the config file.
pub fn load_config_file(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = std::fs::read_to_string(path)
        .or_else(|e| refuse(format!("cannot read config file {}: {e}", path.display())))?;
    parse_config_file(&text, &path.display().to_string())
}

/// Parse a config file's text (`origin` names it in errors).
pub fn parse_config_file(text: &str, origin: &str) -> Result<ConfigFile, ConfigError> {
    let file: ConfigFile = toml::from_str(text).map_err(|e| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        ConfigError(format!(
            "{origin}:{line}:{col}: {}",
            e.message().lines().next().unwrap_or("invalid TOML")
        ))
    })?;
    for (name, p) in &file.profiles {
        if p.client_secret.is_some() {
            return refuse(format!(
                "{origin}: profile '{name}' has client_secret inline; a secret must not sit in a \
                 config file. Use client_secret_env = \"VAR\" or client_secret_file = \"PATH\""
            ));
        }
    }
    Ok(file)
}

/// 1-based line and column of a byte offset in `text` (for parse errors).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// The profiles a run uses: those named by `--profile`, every one with `--all-profiles`, the
/// only one of a `--config` file given alone, or none (`[(None, empty profile)]`).
pub fn chosen(
    names: &[String],
    all: bool,
    config: Option<&Path>,
    env: &Env,
) -> Result<Vec<NamedProfile>, ConfigError> {
    if all && !names.is_empty() {
        return refuse("give --profile NAME or --all-profiles, not both");
    }
    if !all && names.is_empty() {
        let Some(path) = config else {
            return Ok(vec![(None, Profile::default())]);
        };
        // --config alone: the file's one profile is the target; with several, which one the
        // user means is unknown.
        let file = load_config_file(path)?;
        let known = known_names(&file);
        return match file.profiles.len() {
            1 => Ok(file
                .profiles
                .into_iter()
                .map(|(n, p)| (Some(n), p))
                .collect()),
            0 => refuse(format!("{}: no [profiles.NAME] tables", path.display())),
            n => refuse(format!(
                "--config {} has {n} profiles ({known}); choose with --profile NAME",
                path.display()
            )),
        };
    }
    let path = config_path(config, env).ok_or_else(|| {
        ConfigError("no config file: give --config PATH (HOME is not set)".into())
    })?;
    let mut file = load_config_file(&path)?;
    if all {
        if file.profiles.is_empty() {
            return refuse(format!("{}: no [profiles.NAME] tables", path.display()));
        }
        return Ok(file
            .profiles
            .into_iter()
            .map(|(n, p)| (Some(n), p))
            .collect());
    }
    let known = known_names(&file);
    let mut chosen = Vec::new();
    for name in names {
        if chosen
            .iter()
            .any(|(n, _): &NamedProfile| n.as_deref() == Some(name))
        {
            return refuse(format!("--profile {name} is given twice"));
        }
        let profile = file.profiles.remove(name).ok_or_else(|| {
            ConfigError(format!(
                "no profile '{name}' in {} (profiles: {known})",
                path.display()
            ))
        })?;
        chosen.push((Some(name.clone()), profile));
    }
    Ok(chosen)
}

/// The profile names of a file, for messages.
fn known_names(file: &ConfigFile) -> String {
    if file.profiles.is_empty() {
        "none".to_string()
    } else {
        file.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_secret_in_profile_is_refused() {
        let e = parse_config_file("[profiles.a]\nclient_secret = \"x\"\n", "c.toml").unwrap_err();
        assert!(e.0.contains("must not sit in a config file"), "{e}");
        let e = parse_config_file("[profiles.a]\nclient_idd = \"x\"\n", "c.toml").unwrap_err();
        assert!(e.0.starts_with("c.toml:2:"), "{e}");
    }

    #[test]
    fn which_profiles_a_run_uses() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let names = |v: Vec<NamedProfile>| v.into_iter().map(|(n, _)| n).collect::<Vec<_>>();
        std::fs::write(&path, "[profiles.a]\n[profiles.b]\n").unwrap();
        let env = Env::new();
        let all = chosen(&[], true, Some(&path), &env).unwrap();
        assert_eq!(names(all), [Some("a".into()), Some("b".into())]);
        let e = chosen(&["a".into()], true, Some(&path), &env).unwrap_err();
        assert!(e.0.contains("not both"), "{e}");
        let e = chosen(&[], false, Some(&path), &env).unwrap_err();
        assert!(e.0.contains("has 2 profiles (a, b)"), "{e}");
        let e = chosen(&["a".into(), "a".into()], false, Some(&path), &env).unwrap_err();
        assert!(e.0.contains("twice"), "{e}");
        let e = chosen(&["c".into()], false, Some(&path), &env).unwrap_err();
        assert!(e.0.contains("profiles: a, b"), "{e}");
        std::fs::write(&path, "[profiles.only]\n").unwrap();
        let one = chosen(&[], false, Some(&path), &env).unwrap();
        assert_eq!(names(one), [Some("only".into())]);
        assert_eq!(names(chosen(&[], false, None, &env).unwrap()), [None]);
    }
}
