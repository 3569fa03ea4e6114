//! What shell completion offers for the flags that take a name: the presets for `--kraken`,
//! the check ids and groups for `--only`/`--skip` — taken from their registries, so a new
//! preset or check is offered without touching the command line.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, StringValueParser, TypedValueParser};

/// A value parser that accepts any text but offers `values` to shell completion (and to
/// `--help`, unless the argument hides them). The value is checked later, where the refusal
/// can say in one line what is wrong and what is valid (`config`, `checks::Selection`).
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
    let ids = crate::checks::ids();
    let mut groups: Vec<&'static str> = Vec::new();
    for group in ids.iter().filter_map(|id| id.split('.').next()) {
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups.into_iter().chain(ids).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completion_values_come_from_the_registries() {
        let values = check_ids_and_groups();
        for group in ["auth", "api", "perm", "data", "manual"] {
            assert_eq!(values.iter().filter(|v| **v == group).count(), 1, "{group}");
        }
        assert!(values.contains(&"perm.exact"));
        assert!(preset_names().contains(&"edf-gb"));
    }
}
