//! The names clap offers for the flags that take one from a registry — presets for
//! `--kraken`, check ids and groups for `--only`/`--skip`, and (set by `commands`, which may
//! know the simulator) scenarios for `sim --scenario` — to shell completion and `--help`.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};

/// A value parser that accepts any text but offers `values` to shell completion (and to
/// `--help`, unless the argument hides them). The value is checked later, where the refusal
/// can say in one line what is wrong, what is near, and what is valid (`config`,
/// `checks::Selection`, `sim`).
#[derive(Clone)]
pub struct Suggest(pub fn() -> Vec<&'static str>);

impl TypedValueParser for Suggest {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<String, clap::Error> {
        StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new((self.0)().into_iter().map(PossibleValue::new)))
    }
}

/// The names `--kraken` takes.
pub fn preset_names() -> Vec<&'static str> {
    crate::kraken::model::PRESETS
        .iter()
        .map(|p| p.name)
        .collect()
}

/// What `--only` and `--skip` take: every check id and every group (`auth`, `perm`, ...).
pub fn check_ids_and_groups() -> Vec<&'static str> {
    crate::checks::ids_and_groups()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_come_from_the_registries() {
        let values = check_ids_and_groups();
        for group in ["auth", "api", "perm", "data", "manual"] {
            assert_eq!(values.iter().filter(|v| **v == group).count(), 1, "{group}");
        }
        for id in crate::checks::ids() {
            assert!(values.contains(&id), "{id}");
        }
        assert_eq!(preset_names().len(), crate::kraken::model::PRESETS.len());
        assert!(preset_names().contains(&"edf-gb"));
    }
}
