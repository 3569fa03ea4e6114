//! Reading what the user typed (`1111`, `kt_ct_1111`, `Invalid Client`) and, for an input that
//! is nothing known, the nearest ids to suggest.

use super::data::Data;
use crate::checks;
use crate::kraken::catalogue;
use crate::suggest;

pub(super) use crate::suggest::{MAX_SUGGESTIONS, levenshtein, normalise};

/// `KT-CT-1111`, `kt_ct_1111`, `KTCT1111`, `CT-1111` or `1111` → `KT-CT-1111`.
pub(super) fn as_kraken_code(input: &str) -> Option<String> {
    let upper = input.trim().to_ascii_uppercase();
    let strip_sep = |s: &str| -> String { s.trim_start_matches(['-', '_', ' ']).to_string() };
    let mut rest = upper.clone();
    if let Some(r) = rest.strip_prefix("KT") {
        rest = strip_sep(r);
    }
    if let Some(r) = rest.strip_prefix("CT") {
        rest = strip_sep(r);
    }
    (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())).then(|| format!("KT-CT-{rest}"))
}

/// Up to five known ids nearest to an unknown input. A numeric input (`1114`, `KT-CT-1114`)
/// is compared by its digits with the registry's codes, closest number first among equally
/// near ones; anything else by [`suggest::nearest`], the suggester every closed set uses.
pub(super) fn nearest(data: &Data, input: &str) -> Vec<String> {
    if let Some(code) = as_kraken_code(input) {
        let digits = code.trim_start_matches("KT-CT-");
        let wanted = digits.parse::<u64>().unwrap_or(u64::MAX);
        let mut scored: Vec<(usize, u64, String)> = catalogue::all()
            .map(|e| {
                let theirs = e.code.trim_start_matches("KT-CT-");
                let number = theirs.parse::<u64>().unwrap_or(u64::MAX);
                (levenshtein(digits, theirs), number.abs_diff(wanted), e.code)
            })
            .filter(|(distance, _, _)| *distance <= digits.len().div_ceil(2))
            .collect();
        scored.sort();
        return scored
            .into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|(_, _, c)| c)
            .collect();
    }

    let candidates: Vec<String> = data
        .oauth
        .iter()
        .map(|e| e.name.clone())
        .chain(checks::ids().into_iter().map(str::to_string))
        .chain(catalogue::all().map(|e| e.code))
        .collect();
    suggest::nearest(input, candidates.iter().map(String::as_str))
        .into_iter()
        .map(str::to_string)
        .collect()
}
