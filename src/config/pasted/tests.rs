use super::*;

const SECRET: &str = "3TBFUV8DoLl9XL0MsCjviv7Qt7B6kdBL3FEnmll2F70vQt3Gp76PWkMIZSAlA6OLAIPUKEPD4WrIoroUhEm2dqaHrJhpE6MnKnrZfBiYXBwcL4rM4BBui5tFiDDbVaAf";

/// Where a value came from: the origin as messages name it, and whether it is file-like.
const SOURCES: &[(&str, bool)] = &[
    ("KRAKEN_CLIENT_SECRET", false),
    ("--client-secret-file /run/secret", true),
    ("--client-secret-stdin", true),
    ("profile 'p' client_secret_env KD_SECRET", false),
    ("the guide's prompt", false),
];

/// What must happen to a pasted form.
enum Want {
    /// Sent unchanged, nothing said.
    Same,
    /// Sent as the clean secret; the note holds these words.
    Trimmed(&'static str),
    /// Sent as the clean secret, silently, from a file or stdin only (elsewhere: Trimmed).
    FileTrimmed(&'static str),
    /// Refused; the message holds these words.
    Refused(&'static str),
}

#[test]
fn pasted_credentials_table() {
    // Proves: every pasted form of a Kraken secret, from every source, is trimmed (and
    // said) or refused (naming the character and the source), never echoing the secret.
    use Want::*;
    let s = SECRET;
    let rows: Vec<(String, Want)> = vec![
        (s.into(), Same),
        (
            format!("{s}\n"),
            FileTrimmed("a line feed (\\n) at the end"),
        ),
        (
            format!("{s}\r\n"),
            Trimmed("a carriage return (\\r) and a line feed (\\n) at the end"),
        ),
        (
            format!("{s}\r"),
            Trimmed("a carriage return (\\r) at the end"),
        ),
        (
            format!("  {s}  "),
            Trimmed("a space at the start, a space at the end"),
        ),
        (format!("\t{s}"), Trimmed("a tab (\\t) at the start")),
        (
            format!("{s}\u{a0}"),
            Trimmed("a no-break space (U+00A0) at the end"),
        ),
        (
            format!("\u{feff}{s}"),
            Trimmed("a byte-order mark (U+FEFF) at the start"),
        ),
        (
            format!("{s}\u{200b}"),
            Trimmed("a zero-width space (U+200B) at the end"),
        ),
        (format!("\"{s}\""), Trimmed("the double quotes around it")),
        (format!("'{s}'\n"), Trimmed("the single quotes around it")),
        (format!("“{s}”"), Trimmed("the double quotes around it")),
        (
            format!(" \"{s} \" "),
            Trimmed("the double quotes around it"),
        ),
        (
            format!("Bearer {s}"),
            Refused("starts with `Bearer `: that is an Authorization header value"),
        ),
        (format!("JWT {s}"), Refused("starts with `JWT `")),
        (format!("bearer\t{s}"), Refused("starts with `bearer `")),
        (
            "eyJhbGciOiJSUzI1NiJ9.eyJleHAiOjE3MDB9.c2lnbmF0dXJl".into(),
            Refused("is a JWT (an access token)"),
        ),
        (
            format!("KRAKEN_CLIENT_SECRET={s}"),
            Refused("starts with `KRAKEN_CLIENT_SECRET=`"),
        ),
        (
            format!("export KRAKEN_CLIENT_SECRET=\"{s}\""),
            Refused("starts with `export KRAKEN_CLIENT_SECRET=`"),
        ),
        (
            format!("client_secret: {s}"),
            Refused("starts with `client_secret:`"),
        ),
        (
            format!("{}\n{}", &s[..64], &s[64..]),
            Refused("a line feed (\\n) after character 64 of 129"),
        ),
        (
            format!("{} {}", &s[..10], &s[10..]),
            Refused("a space after character 10 of 129"),
        ),
        (
            format!("{}\u{200b}{}", &s[..5], &s[5..]),
            Refused("a zero-width space (U+200B) after character 5"),
        ),
        ("".into(), Refused("is empty")),
        ("\n\n".into(), Refused("holds only a line feed (\\n)")),
        (" \t".into(), Refused("holds only a space and a tab (\\t)")),
        ("\"\"".into(), Refused("holds only a double quote")),
    ];
    for (origin, file_like) in SOURCES {
        for (input, want) in &rows {
            let got = check(input, Credential::ClientSecret, origin, *file_like);
            let row = format!("{input:?} from {origin}");
            match (want, got) {
                (Same, Ok(c)) => {
                    assert_eq!(c.value, s, "{row}");
                    assert!(c.notes.is_empty(), "{row}: {:?}", c.notes);
                }
                (FileTrimmed(words), Ok(c)) if *file_like => {
                    assert_eq!(c.value, s, "{row}");
                    assert!(c.notes.is_empty(), "{row} ({words}): {:?}", c.notes);
                }
                (Trimmed(words) | FileTrimmed(words), Ok(c)) => {
                    assert_eq!(c.value, s, "{row}");
                    let note = c.notes.join(" | ");
                    assert!(
                        note.contains(words) && note.contains(origin),
                        "{row}: {note}"
                    );
                    assert!(
                        !note.contains(&s[..16]),
                        "{row}: the note echoes the secret"
                    );
                }
                (Refused(words), Err(e)) => {
                    assert!(e.0.contains(words) && e.0.contains(origin), "{row}: {e}");
                    assert!(
                        !e.0.contains(&s[..16]),
                        "{row}: the refusal echoes the secret"
                    );
                }
                (_, other) => panic!("{row}: {other:?}"),
            }
        }
    }
}

#[test]
fn unlike_a_krakens_is_noted_not_refused() {
    let c = check(
        "s3cr+t:x",
        Credential::ClientSecret,
        "KRAKEN_CLIENT_SECRET",
        false,
    )
    .unwrap();
    assert_eq!(c.value, "s3cr+t:x");
    let note = c.notes.join(" ");
    assert!(
        note.contains("is 8 characters long and has '+' and ':'"),
        "{note}"
    );
    assert!(
        note.contains("a Kraken issues 128 letters and digits"),
        "{note}"
    );
    let one = check("x", Credential::ClientSecret, "KRAKEN_CLIENT_SECRET", false).unwrap();
    assert!(
        one.notes.join(" ").contains("is 1 character long;"),
        "{:?}",
        one.notes
    );
    let id = check(
        "GR9iU2674OF2lxyPPuPGLebG4H1bRM2ztVTd5bYf",
        Credential::ClientId,
        "--client-id",
        false,
    )
    .unwrap();
    assert!(id.notes.is_empty());
}

#[test]
fn client_id_rules() {
    let id = "GR9iU2674OF2lxyPPuPGLebG4H1bRM2ztVTd5bYf";
    let c = check(
        &format!(" {id}\r\n"),
        Credential::ClientId,
        "KRAKEN_CLIENT_ID",
        false,
    )
    .unwrap();
    assert_eq!(c.value, id);
    assert!(c.notes[0].contains("client id from KRAKEN_CLIENT_ID"));
    let e = check(
        &format!("{id}:{SECRET}"),
        Credential::ClientId,
        "--client-id",
        false,
    )
    .unwrap_err();
    assert!(
        e.0.contains("has ':' in it") && !e.0.contains(&SECRET[..16]),
        "{e}"
    );
    let e = not_the_client_id(&Secret::new(id), id, "KRAKEN_CLIENT_SECRET").unwrap_err();
    assert!(e.0.contains("is the client id") && !e.0.contains(id), "{e}");
}
