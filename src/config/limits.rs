//! Numbers and durations from the command line, each refused with its real range and the
//! input echoed as typed: the network limits ([`NetOptions`]), `--jobs`, `--wait-for-grant`.

use std::time::Duration;

use super::{ConfigError, refuse};
use crate::cli::NetworkArgs;
pub use crate::kraken::http::NetOptions;

/// The range of `--timeout` and `--run-timeout`, in seconds.
const SECONDS: (f64, f64) = (0.001, 3600.0);
/// `--retries` range.
const RETRIES: (u64, u64) = (0, 10);
/// `--jobs` range.
const JOBS: (u64, u64) = (1, 256);
/// `--wait-for-grant` range, in seconds.
const WAIT: (u64, u64) = (1, 24 * 3600);

/// Resolve everything about the network from the flags.
pub fn resolve_net(args: &NetworkArgs) -> Result<NetOptions, ConfigError> {
    let timeout = seconds("--timeout", &args.timeout)?;
    let run_timeout = seconds("--run-timeout", &args.run_timeout)?;
    let retries = whole_number("--retries", &args.retries, RETRIES)? as u32;
    let ca_cert = match &args.ca_cert {
        None => None,
        Some(p) => {
            let pem = std::fs::read(p)
                .or_else(|e| refuse(format!("cannot read --ca-cert {}: {e}", p.display())))?;
            if reqwest::Certificate::from_pem(&pem).is_err() {
                return refuse(format!("--ca-cert {}: not a PEM certificate", p.display()));
            }
            Some(pem)
        }
    };
    Ok(NetOptions {
        timeout,
        connect_timeout: timeout.min(Duration::from_secs(5)),
        retries,
        run_timeout,
        ca_cert,
        verbose: args.verbose,
        ..NetOptions::default()
    })
}

/// A number of seconds as typed (`10`, `2.5`), within [`SECONDS`].
pub fn seconds(flag: &str, raw: &str) -> Result<Duration, ConfigError> {
    let value: f64 = raw
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| {
            ConfigError(format!(
                "{flag} '{raw}' is not a number of seconds; write e.g. 10 or 2.5"
            ))
        })?;
    let (min, max) = SECONDS;
    if !(min..=max).contains(&value) {
        return refuse(format!(
            "{flag} must be between {min} and {max} seconds, got {raw}"
        ));
    }
    Ok(Duration::from_secs_f64(value))
}

/// `--jobs`, within [`JOBS`].
pub fn jobs(raw: &str) -> Result<usize, ConfigError> {
    Ok(whole_number("--jobs", raw, JOBS)? as usize)
}

/// A whole number as typed, within `(min, max)`.
fn whole_number(flag: &str, raw: &str, (min, max): (u64, u64)) -> Result<u64, ConfigError> {
    let text = raw.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return refuse(format!("{flag} '{raw}' is not a whole number"));
    }
    // Digits beyond u64 are out of range, not malformed.
    let n = text.parse::<u64>().unwrap_or(u64::MAX);
    if !(min..=max).contains(&n) {
        return refuse(format!("{flag} must be between {min} and {max}, got {raw}"));
    }
    Ok(n)
}

/// `--wait-for-grant`, when given.
pub fn wait_for_grant(raw: Option<&str>) -> Result<Option<Duration>, ConfigError> {
    raw.map(|raw| parse_duration("--wait-for-grant", raw))
        .transpose()
}

/// A duration as typed: `90` (seconds), `90s`, `5m`, `1h`, `1h30m`; from 1s to 24h.
/// "Not a duration" is kept for text that is not one; a duration out of range says so.
pub fn parse_duration(flag: &str, raw: &str) -> Result<Duration, ConfigError> {
    let not_a_duration = || {
        ConfigError(format!(
            "{flag} '{raw}' is not a duration; write e.g. 90s, 5m or 1h30m"
        ))
    };
    let text = raw.trim();
    let mut total: u128 = 0;
    let mut number = String::new();
    let mut chars = text.chars().peekable();
    if text.is_empty() {
        return Err(not_a_duration());
    }
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            number.push(c);
            // A bare number at the end is seconds.
            if chars.peek().is_some() {
                continue;
            }
        }
        let unit: u128 = match c {
            _ if c.is_ascii_digit() => 1,
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => return Err(not_a_duration()),
        };
        if number.is_empty() {
            return Err(not_a_duration());
        }
        // Digits beyond u128 are a duration too long, not a malformed one.
        let n: u128 = number.parse().unwrap_or(u128::MAX);
        total = total.saturating_add(n.saturating_mul(unit));
        number.clear();
    }
    let (min, max) = WAIT;
    if total > u128::from(max) {
        return refuse(format!("{flag} must be at most 24h, got {raw}"));
    }
    if total < u128::from(min) {
        return refuse(format!("{flag} must be at least 1s, got {raw}"));
    }
    Ok(Duration::from_secs(total as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_state_the_real_range_and_echo_the_input() {
        assert_eq!(
            seconds("--timeout", "2.5").unwrap(),
            Duration::from_millis(2500)
        );
        assert_eq!(
            seconds("--timeout", "3600").unwrap(),
            Duration::from_secs(3600)
        );
        let e = seconds("--timeout", "0").unwrap_err().0;
        assert_eq!(e, "--timeout must be between 0.001 and 3600 seconds, got 0");
        let e = seconds("--timeout", "18446744073709551615").unwrap_err().0;
        assert!(e.ends_with("got 18446744073709551615"), "{e}");
        let e = seconds("--run-timeout", "-1").unwrap_err().0;
        assert!(e.ends_with("got -1"), "{e}");
        for bad in ["ten", "", "NaN", "inf", "10s"] {
            let e = seconds("--timeout", bad).unwrap_err().0;
            assert!(e.contains("is not a number of seconds"), "{bad}: {e}");
        }
    }

    #[test]
    fn durations_tell_malformed_from_out_of_range() {
        let d = |s: &str| parse_duration("--wait-for-grant", s);
        assert_eq!(d("90").unwrap(), Duration::from_secs(90));
        assert_eq!(d("90s").unwrap(), Duration::from_secs(90));
        assert_eq!(d("5m").unwrap(), Duration::from_secs(300));
        assert_eq!(d("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(d("1m30").unwrap(), Duration::from_secs(90));
        assert_eq!(d("24h").unwrap(), Duration::from_secs(86400));
        for long in [
            "100000000h",
            "99999999999999999999999999999999999999999999h",
            "86401",
        ] {
            let e = d(long).unwrap_err().0;
            assert_eq!(
                e,
                format!("--wait-for-grant must be at most 24h, got {long}")
            );
        }
        assert!(
            d("0s")
                .unwrap_err()
                .0
                .contains("must be at least 1s, got 0s")
        );
        for bad in ["soon", "", "m", "5x", "1.5m", "-5m", "h5"] {
            let e = d(bad).unwrap_err().0;
            assert!(e.contains("is not a duration"), "{bad}: {e}");
        }
    }

    #[test]
    fn jobs_and_retries_have_ranges() {
        assert_eq!(jobs("1").unwrap(), 1);
        assert_eq!(jobs("256").unwrap(), 256);
        let e = |r: Result<usize, ConfigError>| r.unwrap_err().0;
        assert_eq!(e(jobs("0")), "--jobs must be between 1 and 256, got 0");
        assert_eq!(
            e(jobs("99999999999999999999999")),
            "--jobs must be between 1 and 256, got 99999999999999999999999"
        );
        assert_eq!(e(jobs("-1")), "--jobs '-1' is not a whole number");
        for (raw, msg) in [
            ("11", "--retries must be between 0 and 10, got 11"),
            ("2.5", "--retries '2.5' is not a whole number"),
        ] {
            let args = NetworkArgs {
                retries: raw.into(),
                ..NetworkArgs::default()
            };
            assert_eq!(resolve_net(&args).unwrap_err().0, msg);
        }
    }
}
