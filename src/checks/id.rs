//! [`CheckId`]: the checks as a closed set. `build.rs` generates one variant per
//! `checks/<id>.toml`, so a `match` on checks is exhaustive (a new check file is a compile
//! error until every decision names it) and an id that has no file cannot be written. The
//! string form (`auth.token`) is what users, reports and the TOML files see; it is parsed
//! only at the edges (`--only`, `--skip`, `explain`, a check file's `id`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

include!(concat!(env!("OUT_DIR"), "/check_id.rs"));

impl CheckId {
    /// The check's registry entry (every id has one: both come from the same files).
    pub fn spec(self) -> &'static super::CheckSpec {
        &super::all()[self as usize]
    }

    /// The check with this id, as written (`auth.token`).
    pub fn parse(id: &str) -> Option<CheckId> {
        CheckId::ALL.into_iter().find(|c| c.as_str() == id)
    }
}

impl FromStr for CheckId {
    type Err = String;

    fn from_str(s: &str) -> Result<CheckId, String> {
        CheckId::parse(s).ok_or_else(|| format!("unknown check id '{s}'"))
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl PartialEq<&str> for CheckId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<CheckId> for &str {
    fn eq(&self, other: &CheckId) -> bool {
        *self == other.as_str()
    }
}

impl<'de> Deserialize<'de> for CheckId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<CheckId, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl CheckGroup {
    /// The group with this name (`auth`).
    pub fn parse(name: &str) -> Option<CheckGroup> {
        CheckGroup::ALL.into_iter().find(|g| g.as_str() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_round_trips_and_belongs_to_its_group() {
        for id in CheckId::ALL {
            assert_eq!(id.as_str().parse::<CheckId>(), Ok(id));
            assert_eq!(id.to_string(), id.as_str());
            let (group, _) = id.as_str().split_once('.').expect("group.name");
            assert_eq!(id.group().as_str(), group);
            assert_eq!(CheckGroup::parse(group), Some(id.group()));
            assert_eq!(id.spec().id, id, "variant order is registry order");
        }
        assert_eq!(
            "auth.nope".parse::<CheckId>(),
            Err("unknown check id 'auth.nope'".to_string())
        );
        assert_eq!(CheckId::parse("auth"), None);
    }
}
