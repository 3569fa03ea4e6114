//! A JSON value as Python shows it in graphql-core's and graphene's messages: `repr` (after
//! `json.loads`: `None`, `True`, `'text'`, `1.0`, `{'a': [1]}`) and graphql-core's `inspect`,
//! which is `repr` with long strings and lists cut and deep nesting elided.

use serde_json::Value;

/// Whether Python's `str.isprintable` holds for a character (Unicode's separators other than
/// the space and its format characters are not printable, as control characters are not).
fn printable(c: char) -> bool {
    !(c.is_control()
        || matches!(c, '\u{a0}' | '\u{ad}' | '\u{1680}' | '\u{2000}'..='\u{200f}' | '\u{2028}'..='\u{202f}'
            | '\u{205f}'..='\u{2064}' | '\u{3000}' | '\u{feff}'))
}

/// Python's `repr` of a string: single quotes unless the text has one and no double quote.
pub(super) fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::from(quote);
    for c in s.chars() {
        match c {
            c if c == quote || c == '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if printable(c) => out.push(c),
            c if u32::from(c) <= 0xff => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c if u32::from(c) <= 0xffff => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08x}", u32::from(c))),
        }
    }
    out.push(quote);
    out
}

/// Python's `repr` of a float: the shortest digits that read back, in fixed notation from
/// 1e-4 up to 1e16, else in exponent notation (`1e+16`, `1.5e-05`).
fn repr_float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    if (-4..16).contains(&exp) {
        let point = usize::try_from(exp + 1).unwrap_or(0);
        if exp < 0 {
            let zeros = "0".repeat(usize::try_from(-exp - 1).unwrap_or(0));
            return format!("{sign}0.{zeros}{digits}");
        }
        let int = format!("{digits:0<point$}");
        let (int, frac) = int.split_at(point);
        let frac = if frac.is_empty() { "0" } else { frac };
        return format!("{sign}{int}.{frac}");
    }
    let (first, rest) = digits.split_at(1);
    let rest = if rest.is_empty() {
        String::new()
    } else {
        format!(".{rest}")
    };
    let exp_sign = if exp < 0 { '-' } else { '+' };
    format!("{sign}{first}{rest}e{exp_sign}{:02}", exp.abs())
}

/// Python's `repr` of a JSON value as `json.loads` gives it.
pub(super) fn repr(v: &Value) -> String {
    shown(v, None)
}

/// graphql-core's `inspect`: `repr`, with strings over 240 characters and lists over 10 items
/// cut in the middle, and collections nested deeper than two shown as `[...]` or `{...}`.
pub(super) fn inspect(v: &Value) -> String {
    shown(v, Some(0))
}

/// `repr` (`depth` None) or `inspect` at a nesting depth.
fn shown(v: &Value, depth: Option<usize>) -> String {
    let cut = |s: String| match depth {
        Some(_) if s.chars().count() > 240 => {
            let chars: Vec<char> = s.chars().collect();
            let head: String = chars[..118].iter().collect();
            let tail: String = chars[chars.len() - 119..].iter().collect();
            format!("{head}...{tail}")
        }
        _ => s,
    };
    let items = |n: usize| -> Vec<Option<usize>> {
        match depth {
            Some(_) if n > 10 => (0..5)
                .map(Some)
                .chain([None])
                .chain((n - 4..n).map(Some))
                .collect(),
            _ => (0..n).map(Some).collect(),
        }
    };
    let inner = depth.map(|d| d + 1);
    match v {
        Value::Null => "None".into(),
        Value::Bool(b) => if *b { "True" } else { "False" }.into(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => cut(i.to_string()),
            (_, Some(u)) => cut(u.to_string()),
            _ => repr_float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => cut(repr_str(s)),
        Value::Array(a) if a.is_empty() => "[]".into(),
        Value::Object(o) if o.is_empty() => "{}".into(),
        Value::Array(_) if depth.is_some_and(|d| d >= 2) => "[...]".into(),
        Value::Object(_) if depth.is_some_and(|d| d >= 2) => "{...}".into(),
        Value::Array(a) => {
            let parts: Vec<String> = items(a.len())
                .into_iter()
                .map(|i| i.map_or("...".into(), |i| shown(&a[i], inner)))
                .collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(o) => {
            let entries: Vec<(&String, &Value)> = o.iter().collect();
            let parts: Vec<String> = items(entries.len())
                .into_iter()
                .map(|i| {
                    i.map_or("...".into(), |i| {
                        let (k, v) = entries[i];
                        format!("{}: {}", cut(repr_str(k)), shown(v, inner))
                    })
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_show_as_python_shows_them() {
        assert_eq!(inspect(&json!(true)), "True");
        assert_eq!(inspect(&json!(null)), "None");
        assert_eq!(inspect(&json!(12)), "12");
        assert_eq!(inspect(&json!("it's")), "\"it's\"");
        assert_eq!(inspect(&json!("a'\"b\n")), "'a\\'\"b\\n'");
        assert_eq!(inspect(&json!({"a": [1, {"b": [2]}]})), "{'a': [1, {...}]}");
        assert_eq!(
            repr(&json!({"a": [1, {"b": [2]}]})),
            "{'a': [1, {'b': [2]}]}"
        );
        assert_eq!(
            inspect(&json!([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])),
            "[1, 2, 3, 4, 5, ..., 8, 9, 10, 11]"
        );
        assert_eq!(inspect(&json!("x".repeat(300))).chars().count(), 240);
        for (f, shown) in [
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (2.5, "2.5"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123_456_789_012_345.0, "123456789012345.0"),
            (1.234_567_890_123_456_8e17, "1.2345678901234568e+17"),
        ] {
            assert_eq!(repr_float(f), shown, "{f}");
        }
    }
}
