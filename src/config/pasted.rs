//! Credentials as people paste them. A Kraken's auth server is django-oauth-toolkit: it
//! generates client ids of 40 and secrets of 128 characters, letters and digits only
//! (`oauth2_provider.generators`, `CLIENT_SECRET_GENERATOR_LENGTH`, oauthlib's
//! `UNICODE_ASCII_CHARACTER_SET`), and since DOT 2 stores only a hash, so the secret is shown
//! once and pasted from wherever it was kept. What a Kraken never issues is recognised here,
//! before any request:
//!
//! - trimmed, and said once: whitespace, line endings and invisible characters around the
//!   value (a trailing newline from `echo`, CRLF from a Windows file, a no-break space from a
//!   web page), and one pair of quotes around it;
//! - refused (exit 2): an `Authorization` header value (`Bearer `, `JWT `, `Basic `), a JWT
//!   (an access token), a line of a settings file (`KRAKEN_CLIENT_SECRET=...`), the client id
//!   pasted as the secret, and whitespace, control or invisible characters inside the value;
//! - noted, not refused: a secret whose length or alphabet is unlike a Kraken's (another
//!   server may issue such secrets; a Kraken's client ids are 40 characters).
//!
//! Every message names the character and where the value came from, never the value.

use super::{ConfigError, refuse};
use crate::secret::Secret;

/// The length of a secret a Kraken issues (django-oauth-toolkit's default).
pub const KRAKEN_SECRET_LEN: usize = 128;

/// Which credential a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    ClientId,
    ClientSecret,
}

impl Credential {
    fn name(self) -> &'static str {
        match self {
            Credential::ClientId => "client id",
            Credential::ClientSecret => "client secret",
        }
    }
}

/// A value as it will be sent, and what was done to it (notes name characters, never the
/// value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub value: String,
    /// Said once, on stderr and in the report: what was trimmed, what looks unlike a Kraken's.
    pub notes: Vec<String>,
}

/// A character, named so a person can find it: `a carriage return (\r)`.
pub fn describe(c: char) -> String {
    let named = match c {
        '\n' => "a line feed (\\n)",
        '\r' => "a carriage return (\\r)",
        '\t' => "a tab (\\t)",
        ' ' => "a space",
        '\u{a0}' => "a no-break space (U+00A0)",
        '\u{200b}' => "a zero-width space (U+200B)",
        '\u{200c}' => "a zero-width non-joiner (U+200C)",
        '\u{200d}' => "a zero-width joiner (U+200D)",
        '\u{2060}' => "a word joiner (U+2060)",
        '\u{feff}' => "a byte-order mark (U+FEFF)",
        '"' => "a double quote (\")",
        '\'' => "a single quote (')",
        '`' => "a backquote (`)",
        '“' | '”' => "a curly double quote",
        '‘' | '’' => "a curly single quote",
        _ => "",
    };
    if !named.is_empty() {
        return named.to_string();
    }
    if c.is_control() {
        format!("a control character (U+{:04X})", c as u32)
    } else if c.is_whitespace() {
        format!("a space character (U+{:04X})", c as u32)
    } else if invisible(c) {
        format!("an invisible character (U+{:04X})", c as u32)
    } else if c.is_ascii() {
        format!("'{c}'")
    } else {
        format!("'{c}' (U+{:04X})", c as u32)
    }
}

/// Characters that print as nothing: format characters a web page or editor leaves behind.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}' | '\u{ad}')
}

/// Whitespace, control or invisible: never part of a Kraken credential.
fn blank(c: char) -> bool {
    c.is_whitespace() || c.is_control() || invisible(c)
}

/// The quote pairs a value may be wrapped in.
const QUOTES: &[(char, char)] = &[('"', '"'), ('\'', '\''), ('`', '`'), ('“', '”'), ('‘', '’')];

/// Names, in order of appearance, the distinct characters of `chars`, joined with "and".
fn names(chars: impl IntoIterator<Item = char>) -> String {
    let mut seen: Vec<char> = Vec::new();
    for c in chars {
        if !seen.contains(&c) {
            seen.push(c);
        }
    }
    let named: Vec<String> = seen.into_iter().map(describe).collect();
    match named.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Check a credential as given: trim what a Kraken never issues around it, refuse what
/// cannot be the credential. `origin` says where it came from (`KRAKEN_CLIENT_SECRET`,
/// `--client-secret-file PATH`, ...); `file_like`: a file or standard input, whose one final
/// line feed is the text convention and is removed without a word.
pub fn check(
    raw: &str,
    what: Credential,
    origin: &str,
    file_like: bool,
) -> Result<Checked, ConfigError> {
    let name = what.name();
    let mut notes = Vec::new();
    let mut text = raw;
    if file_like && let Some(t) = text.strip_suffix('\n').filter(|t| !t.ends_with('\r')) {
        text = t;
    }
    let given = text;
    // Around the value: blanks, then one pair of quotes, then blanks again inside them.
    let mut trimmed_end: Vec<char> = Vec::new();
    let mut trimmed_start: Vec<char> = Vec::new();
    let mut quotes: Option<(char, char)> = None;
    loop {
        let before = text;
        let t = text.trim_end_matches(blank);
        trimmed_end.extend(text[t.len()..].chars());
        text = t;
        let t = text.trim_start_matches(blank);
        trimmed_start.extend(text[..text.len() - t.len()].chars());
        text = t;
        if quotes.is_none()
            && let Some(&(open, close)) = QUOTES.iter().find(|(o, c)| {
                text.chars().count() >= 2 && text.starts_with(*o) && text.ends_with(*c)
            })
        {
            quotes = Some((open, close));
            text = &text[open.len_utf8()..text.len() - close.len_utf8()];
        }
        if text == before {
            break;
        }
    }
    if text.is_empty() {
        return refuse(if given.is_empty() {
            format!("the {name} from {origin} is empty")
        } else {
            format!(
                "the {name} from {origin} holds only {}",
                names(
                    given
                        .chars()
                        .filter(|c| blank(*c) || QUOTES.iter().any(|q| q.0 == *c || q.1 == *c))
                )
            )
        });
    }
    let mut said = Vec::new();
    if !trimmed_start.is_empty() {
        said.push(format!("{} at the start", names(trimmed_start)));
    }
    if !trimmed_end.is_empty() {
        said.push(format!("{} at the end", names(trimmed_end)));
    }
    if let Some((open, _)) = quotes {
        said.push(format!(
            "the {} around it",
            if open == '\'' || open == '‘' {
                "single quotes"
            } else if open == '`' {
                "backquotes"
            } else {
                "double quotes"
            }
        ));
    }
    if !said.is_empty() {
        notes.push(format!(
            "removed {} from the {name} from {origin}: a Kraken never issues them",
            said.join(", ")
        ));
    }
    refuse_impossible(text, what, origin)?;
    if what == Credential::ClientSecret
        && let Some(note) = unlike_kraken(text, origin)
    {
        notes.push(note);
    }
    Ok(Checked {
        value: text.to_string(),
        notes,
    })
}

/// Refuse what cannot be the credential: a header value, a token, a settings line, blanks
/// inside.
fn refuse_impossible(text: &str, what: Credential, origin: &str) -> Result<(), ConfigError> {
    let name = what.name();
    let lower = text.to_ascii_lowercase();
    if let Some(scheme) = ["bearer", "jwt", "basic"]
        .into_iter()
        .find(|s| lower.starts_with(s) && text[s.len()..].starts_with(blank))
    {
        let shown = &text[..scheme.len()];
        return refuse(format!(
            "the {name} from {origin} starts with `{shown} `: that is an Authorization header \
             value, not the {name}. Give the {name} alone, as the OAuth application page shows it"
        ));
    }
    if looks_like_jwt(text) {
        return refuse(format!(
            "the {name} from {origin} is a JWT (an access token), not the {name}. Give the \
             {name} as the OAuth application page showed it"
        ));
    }
    if let Some(setting) = settings_line(text) {
        return refuse(format!(
            "the {name} from {origin} starts with `{setting}`: a line of a settings file. \
             Give the value alone"
        ));
    }
    if what == Credential::ClientId && text.contains(':') {
        return refuse(format!(
            "the client id from {origin} has ':' in it, which a Kraken's client ids never have. \
             If it is `client_id:secret`, give the client id alone and the secret from \
             KRAKEN_CLIENT_SECRET, --client-secret-file PATH or --client-secret-stdin"
        ));
    }
    let chars: Vec<char> = text.chars().collect();
    if let Some((i, c)) = chars.iter().enumerate().find(|(_, c)| blank(**c)) {
        return refuse(format!(
            "the {name} from {origin} has {} after character {i} of {}: a Kraken never issues \
             one, so the value is probably cut or wrapped. Copy it again as one line",
            describe(*c),
            chars.len()
        ));
    }
    Ok(())
}

/// `header.payload.signature`, base64url, the header a JSON object (`eyJ`).
fn looks_like_jwt(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    parts.len() == 3
        && text.starts_with("eyJ")
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'=')
        })
}

/// `NAME=` or `NAME: ` at the start, NAME a setting's name (letters, digits, `_`, `-`,
/// optionally `export ` or quoted): the settings line it came from, up to the value.
fn settings_line(text: &str) -> Option<String> {
    let split = text.find(['=', ':'])?;
    let key = text[..split].trim();
    let key = key.strip_prefix("export ").unwrap_or(key).trim();
    let key = key.trim_matches(|c| c == '"' || c == '\'');
    let is_name = !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && key.chars().any(|c| c.is_ascii_alphabetic());
    // A setting's name, not a stretch of a random value: separated words, or one word alone.
    let lower = key.to_ascii_lowercase();
    let names_credential = if key.contains(['_', '-']) {
        ["secret", "client", "token", "password"]
            .iter()
            .any(|w| lower.contains(w))
    } else {
        ["secret", "client_secret", "token", "password"].contains(&lower.as_str())
    };
    (is_name && names_credential).then(|| text[..=split].to_string())
}

/// A note when the value is unlike what a Kraken issues (length, alphabet): not refused,
/// since another server may issue such values, but said once.
fn unlike_kraken(text: &str, origin: &str) -> Option<String> {
    let want = KRAKEN_SECRET_LEN;
    let len = text.chars().count();
    let odd: Vec<char> = text
        .chars()
        .filter(|c| !c.is_ascii_alphanumeric())
        .collect();
    if len == want && odd.is_empty() {
        return None;
    }
    let mut found = Vec::new();
    if len != want {
        found.push(match len {
            1 => "is 1 character long".to_string(),
            n => format!("is {n} characters long"),
        });
    }
    if !odd.is_empty() {
        found.push(format!("has {}", names(odd)));
    }
    Some(format!(
        "the client secret from {origin} {}; a Kraken issues {want} letters and digits. If \
         this is a Kraken's, copy it again in full",
        found.join(" and ")
    ))
}

/// Refuse a secret that is the client id: the most common mix-up on the application page.
pub fn not_the_client_id(
    secret: &Secret,
    client_id: &str,
    origin: &str,
) -> Result<(), ConfigError> {
    if !client_id.is_empty() && secret.expose() == client_id {
        return refuse(format!(
            "the client secret from {origin} is the client id: give the secret (the longer value \
             shown once when the application was created or its secret regenerated)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
