//! What `explain` and `guide` say when something does not pass: likely causes with their fixes,
//! and related ids. A check declares it in the `[explain]` table of its own file; Kraken codes
//! and OAuth errors in `checks/explain/`. A cause met by one check only is written in that
//! check's file (`[[explain.case]]`); a cause several entries share is written once in
//! `checks/explain/cases.toml` and named (`cases = [...]`).

use serde::Deserialize;

/// One likely cause and what to do about it: the report model's, since every result carries
/// the causes of its outcome.
pub use crate::report::Case;

/// Causes, a remark and related ids of one check, code or OAuth error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advice {
    /// Causes only this entry meets, written here. They come first: they are the most specific.
    #[serde(default)]
    pub case: Vec<Case>,
    /// Names of shared causes in `checks/explain/cases.toml`, most likely first.
    #[serde(default)]
    pub cases: Vec<String>,
    /// Related codes, OAuth errors or checks.
    #[serde(default)]
    pub see_also: Vec<String>,
    /// A remark that is neither a cause nor a fix.
    #[serde(default)]
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use crate::checks;

    #[test]
    fn every_check_says_what_it_proves_expects_and_what_to_do() {
        for spec in checks::all() {
            assert!(!spec.proves.trim().is_empty(), "{}: proves", spec.id);
            assert!(!spec.expected.trim().is_empty(), "{}: expected", spec.id);
            let manual = spec
                .outcome
                .values()
                .any(|o| o.status == crate::report::Status::Manual);
            assert_eq!(
                spec.confirm.is_some(),
                manual,
                "{}: a manual check, and only one, says what to confirm",
                spec.id
            );
            let advice = &spec.explain;
            assert!(
                manual || !advice.case.is_empty() || !advice.cases.is_empty(),
                "{}: no likely cause for when it does not pass",
                spec.id
            );
            for case in &advice.case {
                assert!(
                    !case.cause.is_empty() && !case.fix.is_empty(),
                    "{}",
                    spec.id
                );
            }
        }
    }
}
