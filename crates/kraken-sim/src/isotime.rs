//! ISO-8601 dates and date-times as graphene's scalars read them: `DateTime` with dateutil's
//! `isoparse`, `Date` with Python's `date.fromisoformat`. What one accepts, the simulator
//! accepts; what one refuses, it refuses (the GraphQL layer words the refusal).

use kraken_core::time::days_from_civil;

/// Python's `int()` of a few ASCII characters: optional whitespace around, a sign, digits
/// with single `_` between them.
pub(super) fn py_int(s: &[u8]) -> Option<i64> {
    let s = std::str::from_utf8(s)
        .ok()?
        .trim_matches(|c: char| c.is_ascii_whitespace());
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    let ok = !digits.is_empty()
        && !digits.starts_with('_')
        && !digits.ends_with('_')
        && !digits.contains("__")
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    let n: i64 = digits.replace('_', "").parse().ok().filter(|_| ok)?;
    Some(if s.starts_with('-') { -n } else { n })
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Days since the epoch of a valid proleptic Gregorian date (years 1 to 9999).
fn date(y: i64, m: i64, d: i64) -> Option<i64> {
    let days_in_month = match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    ((1..=9999).contains(&y) && (1..=days_in_month).contains(&d)).then(|| days_from_civil(y, m, d))
}

/// The day of ISO week `week`, weekday `day` (Monday 1), of `year`.
fn week_date(year: i64, week: i64, day: i64) -> Option<i64> {
    if !(1..54).contains(&week) || !(1..8).contains(&day) {
        return None;
    }
    let jan_4 = date(year, 1, 4)?;
    let weekday = (jan_4 + 3).rem_euclid(7) + 1;
    Some(jan_4 - (weekday - 1) + (week - 1) * 7 + (day - 1))
}

/// dateutil's `_parse_isodate`: the date (days since the epoch) and where it ends.
fn iso_date(s: &[u8]) -> Option<(i64, usize)> {
    let at = |i: usize, j: usize| s.get(i..j.min(s.len())).unwrap_or_default();
    let common = || -> Option<(i64, usize)> {
        let year = py_int(at(0, 4)).filter(|_| s.len() >= 4)?;
        if s.len() == 4 {
            return Some((date(year, 1, 1)?, 4));
        }
        let sep = s[4] == b'-';
        let mut pos = 4 + usize::from(sep);
        let month = py_int(at(pos, pos + 2)).filter(|_| s.len() >= pos + 2)?;
        pos += 2;
        if pos >= s.len() {
            return sep.then(|| date(year, month, 1).map(|d| (d, pos)))?;
        }
        if sep {
            (s[pos] == b'-').then_some(())?;
            pos += 1;
        }
        let day = py_int(at(pos, pos + 2)).filter(|_| s.len() >= pos + 2)?;
        Some((date(year, month, day)?, pos + 2))
    };
    let uncommon = || -> Option<(i64, usize)> {
        let year = py_int(at(0, 4)).filter(|_| s.len() >= 4)?;
        let sep = s.get(4) == Some(&b'-');
        let mut pos = 4 + usize::from(sep);
        if s.get(pos) == Some(&b'W') {
            let week = py_int(at(pos + 1, pos + 3))?;
            pos += 3;
            let mut day = 1;
            if s.len() > pos {
                ((s[pos] == b'-') == sep).then_some(())?;
                pos += usize::from(sep);
                day = py_int(at(pos, pos + 1))?;
                pos += 1;
            }
            return Some((week_date(year, week, day)?, pos));
        }
        let ordinal = py_int(at(pos, pos + 3)).filter(|_| s.len() >= pos + 3)?;
        let days = if is_leap(year) { 366 } else { 365 };
        (1..=days).contains(&ordinal).then_some(())?;
        Some((date(year, 1, 1)? + ordinal - 1, pos + 3))
    };
    common().or_else(uncommon)
}

/// dateutil's `_parse_tzstr`: the offset in seconds east of UTC.
fn iso_offset(s: &[u8]) -> Option<i64> {
    if s == b"Z" || s == b"z" {
        return Some(0);
    }
    if ![3, 5, 6].contains(&s.len()) {
        return None;
    }
    let sign = match s[0] {
        b'-' => -1,
        b'+' => 1,
        _ => return None,
    };
    let hours = py_int(&s[1..3])?;
    let minutes = match s.len() {
        3 => 0,
        _ if s[3] == b':' => py_int(&s[4..])?,
        _ => py_int(&s[3..])?,
    };
    if (hours, minutes) != (0, 0) && (minutes > 59 || hours > 23) {
        return None;
    }
    Some(sign * (hours * 3600 + minutes * 60))
}

/// dateutil's `_parse_isotime`: seconds into the day (24:00 is the next midnight) and the
/// offset.
fn iso_time(s: &[u8]) -> Option<(i64, i64)> {
    if s.len() < 2 {
        return None;
    }
    let mut hms = [0i64; 3];
    let mut fraction = 0;
    let mut offset = 0;
    let (mut pos, mut sep) = (0, false);
    for comp in 0..5 {
        if pos >= s.len() {
            break;
        }
        if b"-+Zz".contains(&s[pos]) {
            offset = iso_offset(&s[pos..])?;
            pos = s.len();
            break;
        }
        if comp == 1 && s[pos] == b':' {
            sep = true;
            pos += 1;
        } else if comp == 2 && sep {
            (s[pos] == b':').then_some(())?;
            pos += 1;
        }
        if let Some(part) = hms.get_mut(comp) {
            *part = py_int(s.get(pos..(pos + 2).min(s.len()))?)?;
            pos += 2;
        }
        if comp == 3 && matches!(s[pos], b'.' | b',') {
            let digits = s[pos + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits > 0 {
                fraction = py_int(&s[pos + 1..pos + 1 + digits.min(6)])?;
                pos += 1 + digits;
            }
        }
    }
    if pos < s.len() {
        return None;
    }
    let [h, m, sec] = hms;
    if h == 24 && (m, sec, fraction) != (0, 0, 0) {
        return None;
    }
    ((0..=24).contains(&h) && (0..60).contains(&m) && (0..60).contains(&sec))
        .then_some((h * 3600 + m * 60 + sec, offset))
}

/// A `DateTime` as dateutil's `isoparse` reads it (a date, then any one separator and a
/// time with an optional offset), in Unix seconds; a naive one is read as UTC, as Kraken
/// reads naive datetimes.
pub fn parse_datetime(s: &str) -> Option<i64> {
    if !s.is_ascii() {
        return None;
    }
    let s = s.as_bytes();
    let (days, pos) = iso_date(s)?;
    let (secs, offset) = if s.len() > pos {
        iso_time(&s[pos + 1..])?
    } else {
        (0, 0)
    };
    Some(days * 86_400 + secs - offset)
}

/// A `Date` as Python's `date.fromisoformat` reads it (`YYYY-MM-DD`, `YYYYMMDD`,
/// `YYYY-Www`, `YYYYWww`, `YYYY-Www-D`, `YYYYWwwD`), in days since the epoch.
pub fn parse_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if !s.is_ascii() || ![7, 8, 10].contains(&b.len()) {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| {
        let part = b.get(r)?;
        part.iter().all(u8::is_ascii_digit).then(|| py_int(part))?
    };
    let year = digits(0..4)?;
    let sep = b[4] == b'-';
    let pos = 4 + usize::from(sep);
    if b[pos] == b'W' {
        let week = digits(pos + 1..pos + 3)?;
        let rest = &b[pos + 3..];
        let day = match (rest, sep) {
            ([], _) => 1,
            ([b'-', d], true) | ([d], false) if d.is_ascii_digit() => i64::from(d - b'0'),
            _ => return None,
        };
        return week_date(year, week, day);
    }
    let month = digits(pos..pos + 2)?;
    let rest = pos + 2 + usize::from(sep);
    if sep && b.get(pos + 2) != Some(&b'-') || b.len() != rest + 2 {
        return None;
    }
    date(year, month, digits(rest..rest + 2)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_read_as_isoparse_does() {
        let t = |s| parse_datetime(s);
        assert_eq!(t("2026-07-01T00:00:00+00:00"), Some(1_782_864_000));
        assert_eq!(t("2026-07-01T01:00:00+01:00"), Some(1_782_864_000));
        assert_eq!(t("2026-07-01 00:00:00Z"), Some(1_782_864_000));
        assert_eq!(t("20260701T0000"), Some(1_782_864_000));
        assert_eq!(t("2026-07-01"), Some(1_782_864_000));
        assert_eq!(t("2026-06-30T24:00"), Some(1_782_864_000));
        assert_eq!(t("2026-07-01T00:00:00.123456-00:00"), Some(1_782_864_000));
        assert_eq!(t("2026-W27-3"), Some(1_782_864_000));
        assert_eq!(t("2026-182"), Some(1_782_864_000));
        assert_eq!(t("2026"), Some(1_767_225_600));
        // graphene prints Kraken's default start this way, and cannot read it back.
        assert!(t("0001-01-03T00:00:00-00:01:15").is_none());
        for bad in [
            "yesterday",
            "2026-02-30",
            "2026-07-01T25:00",
            "2026-07-01T00:00+1",
        ] {
            assert!(t(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn dates_read_as_fromisoformat_does() {
        assert_eq!(parse_date("2026-07-01"), Some(20_635));
        assert_eq!(parse_date("20260701"), Some(20_635));
        assert_eq!(parse_date("2026-W27-3"), Some(20_635));
        assert_eq!(parse_date("2026W273"), Some(20_635));
        assert_eq!(parse_date("2026-W27"), Some(20_633));
        for bad in [
            "2026-02-30",
            "2026-7-1",
            "2026-0701",
            "01/07/2026",
            "2026-07-01T00",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
    }
}
