//! Kraken's published error-code registry (1,370 `KT-CT-*` codes), embedded at build time.
//!
//! The registry is kept verbatim as YAML and scanned on demand: nothing is parsed at start-up,
//! so `kraken-doctor --version` and `explain` stay instant. Every entry has the same four-line
//! shape (`- code:`, `type:`, `description:`, `message:`, values double-quoted); a test proves
//! the scanner reads all of them.

/// The registry file, as published (EDF GB Kraken, July 2026).
pub const REGISTRY_YAML: &str = include_str!("data/error-codes-edf-gb-2026-07.yml");

/// One registry entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEntry {
    /// `KT-CT-1111`.
    pub code: String,
    /// VALIDATION, APPLICATION, NOT_FOUND, AUTHORIZATION or SERVICE_AVAILABILITY.
    pub error_type: String,
    /// The short message Kraken puts in `errors[].message`.
    pub message: String,
    /// The longer text Kraken puts in `extensions.errorDescription` (empty for the few
    /// entries where the registry gives none).
    pub description: String,
}

/// Look a code up (case-insensitive). `None` when the registry does not have it.
pub fn lookup(code: &str) -> Option<ErrorEntry> {
    let code = code.trim().to_ascii_uppercase();
    let needle = format!("\n- code: {code}\n");
    let start = REGISTRY_YAML.find(&needle)? + needle.len();
    parse_fields(code, &REGISTRY_YAML[start..])
}

/// Every entry, in registry order.
pub fn all() -> impl Iterator<Item = ErrorEntry> {
    REGISTRY_YAML
        .split("\n- code: ")
        .skip(1)
        .filter_map(|chunk| {
            let (code, rest) = chunk.split_once('\n')?;
            parse_fields(code.trim().to_string(), rest)
        })
}

/// Whether the registry has this code.
pub fn exists(code: &str) -> bool {
    lookup(code).is_some()
}

fn parse_fields(code: String, rest: &str) -> Option<ErrorEntry> {
    let mut error_type = None;
    let mut message = None;
    let mut description = None;
    for line in rest.lines().take(3) {
        let Some(line) = line.strip_prefix("  ") else {
            break; // the next entry: this one has no description
        };
        let (key, value) = line.split_once(": ")?;
        let value = unquote(value)?;
        match key {
            "type" => error_type = Some(value),
            "message" => message = Some(value),
            "description" => description = Some(value),
            _ => return None,
        }
    }
    Some(ErrorEntry {
        code,
        error_type: error_type?,
        message: message?,
        description: description.unwrap_or_default(),
    })
}

/// A YAML scalar as the registry writes it: plain, or double-quoted with backslash escapes.
fn unquote(value: &str) -> Option<String> {
    let Some(inner) = value.strip_prefix('"') else {
        return Some(value.to_string());
    };
    let inner = inner.strip_suffix('"')?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            '/' => out.push('/'),
            ' ' => out.push(' '),
            'u' => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scanner_reads_every_entry_of_the_registry() {
        let declared = REGISTRY_YAML.matches("\n- code: ").count();
        assert_eq!(declared, 1370);
        let entries: Vec<_> = all().collect();
        assert_eq!(entries.len(), declared, "every entry parses");
        for e in &entries {
            assert!(e.code.starts_with("KT-CT-"), "{e:?}");
            assert!(
                [
                    "VALIDATION",
                    "APPLICATION",
                    "NOT_FOUND",
                    "AUTHORIZATION",
                    "SERVICE_AVAILABILITY"
                ]
                .contains(&e.error_type.as_str()),
                "{e:?}"
            );
            assert_eq!(lookup(&e.code).as_ref(), Some(e));
        }
    }

    #[test]
    fn lookup_gives_the_registry_text() {
        let e = lookup("kt-ct-1111").unwrap();
        assert_eq!(e.error_type, "AUTHORIZATION");
        assert_eq!(e.message, "Unauthorized.");
        assert!(e.description.contains("roles/permissions"));
        assert!(lookup("KT-CT-11").is_none());
        assert!(!exists("KT-CT-0000"));
    }
}
