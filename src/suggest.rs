//! "Did you mean": one suggester for every closed set the command line takes — flags, presets,
//! check ids and groups, formats, scenarios — and for `explain`'s ids. [`nearest`] ranks the
//! known names nearest to what was typed; [`did_you_mean`] says it in the words every refusal
//! uses; [`spelled_otherwise`] answers a flag that other Kraken tools spell differently
//! (`--mpan`, `--nmi`, `--client-secret`, `--account`, ...) with the way this tool says it.
//!
//! A leaf: the names come from the caller, out of their registries (presets, checks,
//! scenarios, clap's own lists of flags and values), so every layer can use it and a new name
//! is suggested without touching this file. `names` hands the same lists to clap, for shell
//! completion.

/// How many names a suggestion offers at most.
pub const MAX_SUGGESTIONS: usize = 5;

/// Lower case, with `_` and spaces read as `-`: `Invalid Client` ~ `invalid-client`,
/// `EDF_GB` ~ `edf-gb`.
pub fn normalise(s: &str) -> String {
    s.trim().to_ascii_lowercase().replace(['_', ' '], "-")
}

/// The known names nearest to `input`, best first, at most [`MAX_SUGGESTIONS`]: a name that
/// starts with what was typed (`perm.can` → `perm.can-query-property`), or that what was typed
/// starts with (`permissions` → `perm`), then names within a few edits (a third of the input's
/// length, at least two: `healty` → `healthy`, `edfgb` → `edf-gb`), nearer and sharing a longer
/// start first. Nothing when nothing is near: a guess is worse than the list.
pub fn nearest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let key = normalise(input);
    let key_len = key.chars().count();
    if key.is_empty() {
        return Vec::new();
    }
    let limit = (key_len / 3).max(2);
    let mut scored: Vec<(bool, usize, usize, &'a str)> = Vec::new();
    for name in candidates {
        let theirs = normalise(name);
        // The name itself is no suggestion; the same name in another case or with `_` is.
        if name == input.trim() || scored.iter().any(|s| s.3 == name) {
            continue;
        }
        let prefix = key_len >= 3 && theirs.starts_with(&key);
        let within = theirs.chars().count() >= 3 && key.starts_with(&theirs);
        let distance = levenshtein(&key, &theirs);
        if prefix || within || distance <= limit {
            let shared = key
                .chars()
                .zip(theirs.chars())
                .take_while(|(a, b)| a == b)
                .count();
            scored.push((!prefix, distance, usize::MAX - shared, name));
        }
    }
    scored.sort();
    scored
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(_, _, _, name)| name)
        .collect()
}

/// `" (did you mean 'edf-gb'?)"` (or `'a' or 'b'`, `'a', 'b' or 'c'`), or nothing when no
/// known name is near; to follow the refused name in a refusal.
pub fn did_you_mean<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    let near = nearest(input, candidates);
    if near.is_empty() {
        return String::new();
    }
    format!(
        " (did you mean {}?)",
        quoted_list(&near[..near.len().min(3)])
    )
}

/// `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`.
fn quoted_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Edit distance (insertions, deletions, substitutions) between two strings, by characters.
pub fn levenshtein(a: &str, b: &str) -> usize {
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

/// Values other tools use for ours (`--format xml` for JUnit XML, `prometheus` for the
/// OpenMetrics text): (typed, ours).
const VALUES_SPELLED_OTHERWISE: &[(&str, &str)] = &[
    ("xml", "junit"),
    ("junit-xml", "junit"),
    ("md", "markdown"),
    ("gfm", "markdown"),
    ("prometheus", "openmetrics"),
    ("prom", "openmetrics"),
    ("metrics", "openmetrics"),
    ("text", "human"),
    ("txt", "human"),
    ("plain", "human"),
    ("pretty", "human"),
];

/// For a value outside a closed list (`valid`), the one it most likely meant: what other
/// tools call it (`xml` → `junit`), or the nearest name (`JSON` → `json`, `jsno` → `json`).
pub fn value_meant<'a>(typed: &str, valid: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let valid: Vec<&str> = valid.into_iter().collect();
    let key = normalise(typed);
    if let Some(ours) = valid.iter().find(|v| normalise(v) == key) {
        return Some(ours.to_string());
    }
    VALUES_SPELLED_OTHERWISE
        .iter()
        .find(|(theirs, ours)| *theirs == key && valid.contains(ours))
        .map(|(_, ours)| ours.to_string())
        .or_else(|| nearest(typed, valid).first().map(|s| s.to_string()))
}

/// What a flag this tool does not have means here.
enum Meant {
    /// This flag of ours, and what to give it.
    Flag(&'static str, &'static str),
    /// No flag: these words say how (the secret never comes from the command line).
    Words(&'static str),
}

/// Flags other Kraken tools, OAuth clients and CLIs use, with what they mean here. A flag
/// offered must exist on the command typed; otherwise the tip names the commands that have it.
const SPELLED_OTHERWISE: &[(&[&str], Meant)] = &[
    (
        &[
            "mpan",
            "mprn",
            "nmi",
            "mirn",
            "icp",
            "meter",
            "meter-point",
            "mpan-core",
            "supply-point-id",
            "meter-point-id",
        ],
        Meant::Flag(
            "--supply-point",
            "the supply point's identifier (an MPAN, MPRN, NMI or MIRN; --market-name when it \
             is not the identifier's usual market)",
        ),
    ),
    (
        &[
            "secret",
            "client-secret",
            "clientsecret",
            "password",
            "api-key",
            "apikey",
            "key",
            "client-key",
        ],
        Meant::Words(
            "the client secret never comes from the command line, where it is visible to every \
             process on this machine: set KRAKEN_CLIENT_SECRET, or give --client-secret-file \
             PATH or --client-secret-stdin",
        ),
    ),
    (
        &["account", "account-number", "account-id", "acc"],
        Meant::Flag(
            "--property-id",
            "a property of the account to read a measurement from (or --supply-point ID)",
        ),
    ),
    (
        &["property", "property-number", "propertyid", "premises"],
        Meant::Flag("--property-id", "the property to read a measurement from"),
    ),
    (
        &[
            "client",
            "app",
            "app-id",
            "application",
            "application-id",
            "clientid",
            "id",
        ],
        Meant::Flag("--client-id", "the OAuth application's client id"),
    ),
    (
        &[
            "preset", "brand", "supplier", "provider", "tenant", "region", "country", "instance",
        ],
        Meant::Flag(
            "--kraken",
            "a known Kraken (see `kraken-doctor check --help`)",
        ),
    ),
    (
        &[
            "sandbox",
            "test",
            "testing",
            "staging",
            "env",
            "environment",
            "test-environment",
        ],
        Meant::Flag(
            "--test-env",
            "with --kraken, that Kraken's test environment",
        ),
    ),
    (
        &[
            "url",
            "base-url",
            "host",
            "endpoint",
            "server",
            "graphql-url",
            "api",
            "api-endpoint",
        ],
        Meant::Flag(
            "--api-url",
            "the GraphQL API's base URL, with --auth-url (or --kraken)",
        ),
    ),
    (
        &["token-url", "auth", "auth-endpoint", "oauth-url", "issuer"],
        Meant::Flag(
            "--auth-url",
            "the auth server's base URL, with --api-url (or --kraken)",
        ),
    ),
    (
        &["token", "access-token", "bearer", "jwt"],
        Meant::Words(
            "kraken-doctor gets its own token from the client id and secret; \
             `kraken-doctor token` prints one",
        ),
    ),
    (
        &[
            "cacert",
            "ca",
            "ca-file",
            "cafile",
            "ca-bundle",
            "cert",
            "certificate",
            "cacerts",
        ],
        Meant::Flag("--ca-cert", "a trusted root certificate (PEM)"),
    ),
    (
        &[
            "insecure",
            "no-verify",
            "skip-verify",
            "no-check-certificate",
            "k",
        ],
        Meant::Words(
            "certificates are always verified; give a corporate proxy's root with --ca-cert PATH",
        ),
    ),
    (
        &[
            "json",
            "junit",
            "xml",
            "markdown",
            "md",
            "openmetrics",
            "prometheus",
            "output-format",
        ],
        Meant::Flag("--format", "the report format"),
    ),
    (
        &["check", "checks", "include", "select", "filter", "run"],
        Meant::Flag("--only", "the check ids or groups to run"),
    ),
    (
        &["exclude", "ignore", "disable", "without"],
        Meant::Flag("--skip", "the check ids or groups to leave out"),
    ),
    (
        &["debug", "trace"],
        Meant::Flag(
            "--verbose",
            "-v for a line per request, -vv for a redacted HTTP trace",
        ),
    ),
    (
        &["market", "market-type", "utility"],
        Meant::Flag("--market-name", "the supply point's market (e.g. GBR_GAS)"),
    ),
    (
        &[
            "wait",
            "wait-for-permission",
            "wait-for-permissions",
            "retry-until",
        ],
        Meant::Flag(
            "--wait-for-grant",
            "how long to re-probe after a permission change",
        ),
    ),
];

/// For a flag this tool does not have (`--mpan`, `--client-secret`, `-k`), what it is spelled
/// as here, as one tip; `flags_of(command)` lists the long flags a command takes, so the tip
/// offers only a flag the command typed has. `None` when the flag means nothing known.
pub fn spelled_otherwise(
    typed: &str,
    command: Option<&str>,
    commands: &[(&str, Vec<String>)],
) -> Option<String> {
    let name = normalise(
        typed
            .split('=')
            .next()
            .unwrap_or(typed)
            .trim_start_matches('-'),
    );
    let (_, meant) = SPELLED_OTHERWISE
        .iter()
        .find(|(names, _)| names.contains(&name.as_str()))?;
    let flag = typed.split('=').next().unwrap_or(typed);
    Some(match meant {
        Meant::Words(words) => format!("{flag}: {words}"),
        Meant::Flag(ours, what) => {
            let has = |c: &(&str, Vec<String>)| c.1.iter().any(|f| f == ours);
            match command {
                Some(cmd) if !commands.iter().any(|c| c.0 == cmd && has(c)) => {
                    let with: Vec<&str> = commands.iter().filter(|c| has(c)).map(|c| c.0).collect();
                    if with.is_empty() {
                        format!("{flag} is spelled {ours} here: {what}")
                    } else {
                        format!(
                            "{flag} is spelled {ours} here, a flag of {} (not of {cmd}): {what}",
                            with.join(" and ")
                        )
                    }
                }
                _ => format!("{flag} is spelled {ours} here: {what}"),
            }
        }
    })
}

#[cfg(test)]
mod tests;
