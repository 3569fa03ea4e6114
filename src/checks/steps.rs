//! The documented setup steps (`checks/steps.toml`, embedded at build time): one place for
//! each step's number as the Kraken guide writes it ("10–11"), its title and what the OAuth
//! manager does. `guide` walks them, `explain` quotes them, and every printer that shows a
//! check's steps goes through [`label`], so `10`, `10-11` and `10–11` cannot drift apart.
//! The same file holds the causes a check's outcome can name ([`cause`]), in the OAuth
//! manager's words, each written once.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::CheckSpec;
use super::advice::Case;

const FILE: &str = include_str!("../../checks/steps.toml");

/// The dash between the ends of a range, as the Kraken guide writes it.
pub const RANGE_DASH: char = '–';

/// One documented step.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// `"4"`, or a range `"10–11"`.
    pub number: String,
    /// A few words: "Grant type".
    pub title: String,
    /// What the OAuth manager does, in their words: which page, which field.
    pub does: String,
}

/// The endpoints a step's text shows when no application is known.
pub const ANY_KRAKEN: (&str, &str) = (
    "https://auth.<kraken>/token/",
    "https://api.<kraken>/v1/graphql/",
);

/// A number the Kraken guide's list skips, and what the guide says there.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gap {
    pub number: u32,
    pub says: String,
}

impl Step {
    /// What the OAuth manager does, with the application's token and GraphQL URLs in it
    /// ([`ANY_KRAKEN`] when none is known).
    pub fn does_for(&self, token_url: &str, graphql_url: &str) -> String {
        let mut vars = super::Vars::new();
        vars.insert("token_url", token_url.to_string());
        vars.insert("graphql_url", graphql_url.to_string());
        super::fill(&self.does, &vars)
    }

    /// The first and last step number it covers (equal for a single step).
    pub fn range(&self) -> (u32, u32) {
        parse_number(&self.number)
            .unwrap_or_else(|| panic!("checks/steps.toml: bad step number {:?}", self.number))
    }

    /// Whether `n` is this step or inside its range.
    pub fn covers(&self, n: u32) -> bool {
        let (first, last) = self.range();
        (first..=last).contains(&n)
    }

    /// The checks that verify this step, in report order (from each check's `steps`).
    pub fn checks(&self) -> Vec<&'static CheckSpec> {
        super::all()
            .iter()
            .filter(|c| c.steps.iter().any(|&n| self.covers(n)))
            .collect()
    }
}

/// `"4"` → (4, 4); `"10–11"` → (10, 11). Anything else (an ASCII hyphen, a backwards range) is
/// `None`: the file writes a range one way only.
fn parse_number(text: &str) -> Option<(u32, u32)> {
    let one = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    match text.split_once(RANGE_DASH) {
        None => one(text).map(|n| (n, n)),
        Some((a, b)) => {
            let (a, b) = (one(a)?, one(b)?);
            (a < b).then_some((a, b))
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StepsFile {
    step: Vec<Step>,
    /// Numbers the list skips.
    #[serde(default)]
    gap: Vec<Gap>,
    /// The causes outcomes name, by name.
    #[serde(default)]
    cause: BTreeMap<String, Case>,
}

/// The file, parsed once; a malformed file fails a test, never a run.
fn file() -> &'static StepsFile {
    static FILE_: OnceLock<StepsFile> = OnceLock::new();
    FILE_.get_or_init(|| {
        toml::from_str::<StepsFile>(FILE)
            .unwrap_or_else(|e| panic!("checks/steps.toml is malformed: {e}"))
    })
}

/// Every step, in the guide's order.
pub fn all() -> &'static [Step] {
    &file().step
}

/// The numbers the Kraken guide's list skips, in order.
pub fn gaps() -> &'static [Gap] {
    &file().gap
}

/// The cause named `name` (`[cause.<name>]`): what was found and what the OAuth manager does
/// about it, placeholders unfilled.
pub fn cause(name: &str) -> Option<&'static Case> {
    file().cause.get(name)
}

/// The names of every cause, for the tests that prove each is used and well written.
pub fn cause_names() -> impl Iterator<Item = &'static str> {
    file().cause.keys().map(String::as_str)
}

/// The step that covers number `n`.
pub fn of(n: u32) -> Option<&'static Step> {
    all().iter().find(|s| s.covers(n))
}

/// The steps that cover `numbers`, in the guide's order, each once.
pub fn covering(numbers: &[u32]) -> Vec<&'static Step> {
    all()
        .iter()
        .filter(|s| numbers.iter().any(|&n| s.covers(n)))
        .collect()
}

/// The documented steps covering `numbers` as a sentence cites them: `step 12`,
/// `step 10–11` (one step of the guide), `steps 6, 7`; `None` when no step covers them.
pub fn cited(numbers: &[u32]) -> Option<String> {
    match covering(numbers).len() {
        0 => None,
        1 => Some(format!("step {}", label(numbers))),
        _ => Some(format!("steps {}", label(numbers))),
    }
}

/// The steps of `numbers` as people read them: `4, 5, 13`, `10–11`, or `–` when none.
pub fn label(numbers: &[u32]) -> String {
    let steps = covering(numbers);
    if steps.is_empty() {
        return "–".to_string();
    }
    steps
        .iter()
        .map(|s| s.number.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_in_order_written_one_way_and_disjoint() {
        let mut last = None;
        for s in all() {
            let (first, end) = s.range();
            assert!(last.is_none_or(|l| first > l), "{} out of order", s.number);
            last = Some(end);
            assert!(!s.title.is_empty() && !s.does.is_empty(), "{}", s.number);
        }
        for gap in gaps() {
            assert!(of(gap.number).is_none(), "gap {} is a step", gap.number);
            assert!(!gap.says.is_empty());
        }
        assert_eq!(parse_number("10–11"), Some((10, 11)));
        assert_eq!(parse_number("10-11"), None, "an ASCII hyphen is refused");
        assert_eq!(parse_number("11–10"), None);
        assert_eq!(parse_number(""), None);
    }

    #[test]
    fn every_step_a_check_cites_exists_and_labels_read_as_the_guide_writes_them() {
        for c in super::super::all() {
            for &n in &c.steps {
                assert!(
                    of(n).is_some(),
                    "{} cites step {n}, which is not documented",
                    c.id
                );
            }
        }
        assert_eq!(label(&[4, 5, 13]), "4, 5, 13");
        assert_eq!(label(&[10]), "10–11");
        assert_eq!(label(&[10, 11]), "10–11");
        assert_eq!(label(&[]), "–");
        let handover = of(11).unwrap();
        assert_eq!(handover.number, "10–11");
        let ids: Vec<&str> = handover.checks().iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["manual.secret-handover"]);
    }
}
