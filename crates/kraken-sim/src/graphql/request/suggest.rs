//! graphql-core's "Did you mean …?": the options within a lexical distance of what was typed
//! (edits, with a swap of two neighbours as one edit and a change of case as one), closest
//! first, then in natural order (`a2` before `a10`); at most five, in its words.

use std::cmp::Ordering;

/// `pyutils.suggestion_list`: the options close enough to `input`, best first.
pub(super) fn suggestion_list<'a>(
    input: &str,
    options: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let threshold = input.chars().count() * 4 / 10 + 1;
    let mut found: Vec<(usize, &str)> = options
        .into_iter()
        .filter_map(|o| distance(input, o, threshold).map(|d| (d, o)))
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| natural_cmp(a.1, b.1)));
    found.into_iter().map(|(_, o)| o).collect()
}

/// `pyutils.did_you_mean`: `" Did you mean 'a', 'b', or 'c'?"`, or nothing.
pub(super) fn did_you_mean(suggestions: &[&str], sub_message: Option<&str>) -> String {
    let s: Vec<String> = suggestions
        .iter()
        .take(5)
        .map(|s| format!("'{s}'"))
        .collect();
    let list = match s.as_slice() {
        [] => return String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} or {b}"),
        [init @ .., last] => format!("{}, or {last}", init.join(", ")),
    };
    match sub_message {
        Some(sub) => format!(" Did you mean {sub} {list}?"),
        None => format!(" Did you mean {list}?"),
    }
}

/// The lexical distance between `input` and `option`, if at most `threshold`.
fn distance(input: &str, option: &str, threshold: usize) -> Option<usize> {
    if input == option {
        return Some(0);
    }
    let (input_lower, option_lower) = (input.to_lowercase(), option.to_lowercase());
    if input_lower == option_lower {
        return Some(1);
    }
    let mut a: Vec<char> = option_lower.chars().collect();
    let mut b: Vec<char> = input_lower.chars().collect();
    if a.len() < b.len() {
        std::mem::swap(&mut a, &mut b);
    }
    if a.len() - b.len() > threshold {
        return None;
    }
    let mut rows = vec![vec![0usize; b.len() + 1]; 3];
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        let mut smallest = i;
        rows[i % 3][0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut cell = (rows[(i - 1) % 3][j] + 1)
                .min(rows[i % 3][j - 1] + 1)
                .min(rows[(i - 1) % 3][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                cell = cell.min(rows[(i - 2) % 3][j - 2] + 1);
            }
            smallest = smallest.min(cell);
            rows[i % 3][j] = cell;
        }
        if smallest > threshold {
            return None;
        }
    }
    let d = rows[a.len() % 3][b.len()];
    (d <= threshold).then_some(d)
}

/// `pyutils.natural_comparison_key` order: the name split into text and digit runs (text
/// first, so text at even places), digit runs compared as numbers.
pub(super) fn natural_cmp(a: &str, b: &str) -> Ordering {
    fn parts(s: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut digits = false;
        for (i, c) in s.char_indices() {
            if c.is_ascii_digit() != digits {
                out.push(&s[start..i]);
                start = i;
                digits = !digits;
            }
        }
        out.push(&s[start..]);
        if digits {
            out.push("");
        }
        out
    }
    let number = |s: &str| {
        let t = s.trim_start_matches('0');
        (t.len(), t.to_string())
    };
    let (pa, pb) = (parts(a), parts(b));
    for (i, (x, y)) in pa.iter().zip(&pb).enumerate() {
        let order = if i % 2 == 1 {
            number(x).cmp(&number(y)).then_with(|| x.cmp(y))
        } else {
            x.cmp(y)
        };
        if order != Ordering::Equal {
            return order;
        }
    }
    pa.len().cmp(&pb.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_read_as_graphql_core() {
        assert_eq!(suggestion_list("nam", ["name", "permissions"]), ["name"]);
        assert_eq!(
            suggestion_list("firts", ["startAt", "first", "last", "after"]),
            ["first"]
        );
        assert_eq!(suggestion_list("NAME", ["name", "nme"]), ["name", "nme"]);
        assert!(suggestion_list("x", ["property", "account"]).is_empty());
        assert_eq!(did_you_mean(&["a"], None), " Did you mean 'a'?");
        assert_eq!(did_you_mean(&["a", "b"], None), " Did you mean 'a' or 'b'?");
        assert_eq!(
            did_you_mean(&["a", "b", "c", "d", "e", "f"], Some("the enum value")),
            " Did you mean the enum value 'a', 'b', 'c', 'd', or 'e'?"
        );
        assert_eq!(natural_cmp("a2", "a10"), Ordering::Less);
        assert_eq!(natural_cmp("b", "a10"), Ordering::Greater);
        assert_eq!(natural_cmp("10a", "b"), Ordering::Less);
        assert_eq!(natural_cmp("a", "a1"), Ordering::Less);
    }
}
