//! Credentials as people paste them, through the binary against the simulator: every pasted
//! form from every source is trimmed (said once on stderr and in `auth.token`'s evidence,
//! then the token is issued) or refused with exit 2 before any request, naming the character
//! and the source, never the secret. The rules themselves: src/config/pasted.rs.

use serde_json::Value;

use crate::common::{self, check_args, sim};

/// How the secret reaches the binary.
#[derive(Clone, Copy, Debug)]
enum Source {
    Env,
    File,
    Stdin,
}

impl Source {
    /// The origin as messages name it.
    fn origin(self) -> &'static str {
        match self {
            Source::Env => "KRAKEN_CLIENT_SECRET",
            Source::File => "--client-secret-file",
            Source::Stdin => "--client-secret-stdin",
        }
    }
}

enum Want {
    /// Token issued; stderr and the report say these words once.
    Trimmed(&'static str),
    /// Exit 2, stderr says these words.
    Refused(&'static str),
}

fn run_with(source: Source, text: &str, extra: &[&str]) -> (common::Run, String) {
    let sim = sim("healthy");
    let (id, secret) = common::credentials(&sim);
    let text = text.replace("{secret}", &secret).replace("{id}", &id);
    let (mut args, _) = check_args(&sim, &["--only", "auth.token", "--format", "json"]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret");
    let mut env: Vec<(&str, &str)> = vec![];
    let mut stdin = None;
    match source {
        Source::Env => env.push(("KRAKEN_CLIENT_SECRET", &text)),
        Source::File => {
            std::fs::write(&path, &text).unwrap();
            args.extend(["--client-secret-file".into(), path.display().to_string()]);
        }
        Source::Stdin => {
            stdin = Some(text.as_str());
            args.push("--client-secret-stdin".into());
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    (common::run(&args, &env, stdin), secret)
}

#[test]
fn pasted_secrets_are_trimmed_and_said_or_refused_naming_the_source() {
    // Proves: the pasted-credentials table holds end to end, for each source.
    use Want::*;
    let rows: &[(&str, Want)] = &[
        (
            "{secret}\r\n",
            Trimmed("a carriage return (\\r) and a line feed (\\n) at the end"),
        ),
        ("\"{secret}\"", Trimmed("the double quotes around it")),
        (
            "  {secret}\t",
            Trimmed("a space at the start, a tab (\\t) at the end"),
        ),
        (
            "Bearer {secret}",
            Refused("starts with `Bearer `: that is an Authorization header value"),
        ),
        ("{id}", Refused("is the client id")),
        (
            "{secret}\n{secret}",
            Refused("a line feed (\\n) after character 128 of 257"),
        ),
        (
            "KRAKEN_CLIENT_SECRET={secret}",
            Refused("starts with `KRAKEN_CLIENT_SECRET=`"),
        ),
    ];
    for source in [Source::Env, Source::File, Source::Stdin] {
        for (text, want) in rows {
            let (run, secret) = run_with(source, text, &[]);
            let row = format!("{text:?} from {source:?}");
            assert!(
                !run.stdout.contains(&secret) && !run.stderr.contains(&secret),
                "{row}: leak"
            );
            match want {
                Trimmed(words) => {
                    assert_eq!(run.code, 0, "{row}: {}", run.stderr);
                    assert_eq!(
                        run.stderr.matches(words).count(),
                        1,
                        "{row}: said once on stderr: {}",
                        run.stderr
                    );
                    assert!(
                        run.stderr.contains(source.origin()),
                        "{row}: {}",
                        run.stderr
                    );
                    let report: Value = serde_json::from_str(&run.stdout).unwrap();
                    let token = &report["checks"][0];
                    assert_eq!(token["status"], "pass", "{row}");
                    let notes: Vec<&str> = token["evidence"]["notes"]
                        .as_array()
                        .map(|a| a.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    assert!(
                        notes.iter().any(|n| n.contains(words)),
                        "{row}: the report says it: {notes:?}"
                    );
                }
                Refused(words) => {
                    assert_eq!(run.code, 2, "{row}: {}", run.stderr);
                    assert!(run.stdout.is_empty(), "{row}");
                    assert!(run.stderr.contains(words), "{row}: {}", run.stderr);
                    assert!(
                        run.stderr.contains(source.origin()),
                        "{row}: {}",
                        run.stderr
                    );
                }
            }
        }
    }
}

#[test]
fn a_file_with_one_final_newline_is_read_without_a_word() {
    // Proves: `echo $SECRET > file` (the text convention) is not a paste artefact to report.
    let (run, _) = run_with(Source::File, "{secret}\n", &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("removed"), "{}", run.stderr);
}
