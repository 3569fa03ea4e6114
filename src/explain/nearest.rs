//! Reading what the user typed (`1111`, `kt_ct_1111`, `Invalid Client`) and, for an input that
//! is nothing known, the nearest ids to suggest.

use super::data::Data;
use crate::checks;
use crate::kraken::catalogue;

/// How many nearest matches an unknown input gets.
pub(super) const MAX_SUGGESTIONS: usize = 5;

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

/// Lower case, with `_` and spaces read as `-`: `Invalid Client` ~ `invalid-client` ~
/// `invalid_client`, `perm.can_exact` ~ `perm.can-exact`.
pub(super) fn normalise(s: &str) -> String {
    s.trim().to_ascii_lowercase().replace(['_', ' '], "-")
}

/// Up to five known ids nearest to an unknown input. A numeric input (`1114`, `KT-CT-1114`)
/// is compared by its digits with the registry's codes, closest number first among equally
/// near ones; anything else by edit distance and shared prefix with every id.
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

    let key = normalise(input);
    if key.is_empty() {
        return Vec::new();
    }
    let candidates = data
        .oauth
        .iter()
        .map(|e| e.name.clone())
        .chain(checks::ids().into_iter().map(str::to_string))
        .chain(catalogue::all().map(|e| e.code));
    let limit = (key.chars().count() / 3).max(2);
    let mut scored: Vec<(bool, usize, usize, String)> = candidates
        .filter_map(|id| {
            let theirs = normalise(&id);
            let is_prefix = key.chars().count() >= 3 && theirs.starts_with(&key);
            let distance = levenshtein(&key, &theirs);
            let shared = key
                .chars()
                .zip(theirs.chars())
                .take_while(|(a, b)| a == b)
                .count();
            (is_prefix || distance <= limit).then_some((
                !is_prefix,
                distance,
                usize::MAX - shared,
                id,
            ))
        })
        .collect();
    scored.sort();
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, _, _, id)| id)
        .collect()
}

/// Edit distance (insertions, deletions, substitutions) between two strings, by characters.
pub(super) fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}
