//! The architecture invariants of ARCHITECTURE.md ("Rules of direction"), enforced where the
//! compiler cannot: which top-level module of `src/` may import which, that the rules
//! themselves run one way (no cycle), that no two sibling folders import each other, and
//! that only the command-line layer knows clap.
//!
//! The scanner reads every `src/**/*.rs`, drops comments and string literals, and collects
//! the paths a file names: `use crate::…` (groups included), `crate::x::…` and `super::…`
//! written inline. A path into another top-level module is an edge `from → to`.
//!
//! Code compiled only for tests (a `#[cfg(test)]` module, inline or in its own file, and a
//! `#[cfg(test)]` item) is scanned apart: its imports obey the same table, plus the few test
//! edges listed below with their reason — as Cargo lets a dev-dependency point back up. The
//! program that ships has no back-edge at all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// External crates of the command-line layer, scanned as if they were one module.
const CLAP: &str = "clap";
const CLAP_CRATES: &[&str] = &["clap", "clap_complete", "clap_mangen"];
/// The simulator's crate (feature `sim`), scanned as one module: only `demo` and `commands`
/// (its `sim` command) may start it.
const SIM: &str = "kraken_sim";

/// Every top-level module of `src/` and the modules it may import. Lower in the table never
/// imports higher: leaves first, `commands` (which wires everything) last.
const RULES: &[(&str, &[&str])] = &[
    ("secret", &[]),
    ("suggest", &[]),
    ("time", &[]),
    ("exit", &[]),
    ("examples", &[]),
    ("progress", &[]),
    ("redact", &["secret"]),
    ("kraken", &["progress", "redact", "secret", "time"]),
    ("report", &["exit", "kraken", "redact"]),
    ("process", &["exit", "report"]),
    ("text", &["report"]),
    ("checks", &["kraken", "report", "suggest"]),
    ("names", &["checks", "kraken", CLAP]),
    ("cli", &["examples", "exit", "names", "report", CLAP]),
    (
        "runner",
        &[
            "checks", "kraken", "process", "progress", "redact", "report", "secret", "time",
        ],
    ),
    (
        "config",
        &[
            "checks", "cli", "kraken", "report", "runner", "secret", "suggest", CLAP,
        ],
    ),
    (
        "explain",
        &[
            "checks", "cli", "exit", "kraken", "report", "suggest", "text",
        ],
    ),
    (
        "support",
        &["checks", "config", "kraken", "report", "runner"],
    ),
    (
        "demo",
        &[
            "checks", "config", "redact", "report", "runner", SIM, "text",
        ],
    ),
    (
        "guide",
        &[
            "checks", "config", "exit", "explain", "kraken", "process", "redact", "report",
            "runner", "secret", "support", "text", "time",
        ],
    ),
    (
        "commands",
        &[
            "checks", "cli", "config", "demo", "examples", "exit", "explain", "guide", "kraken",
            "names", "process", "progress", "redact", "report", "runner", "secret", SIM, "suggest",
            "support", "text", "time", CLAP,
        ],
    ),
];

/// Imports that only code compiled for tests may make beyond the table, with why. Each must
/// still exist: when one goes, its line goes too, so this list only shrinks.
const TEST_EDGES: &[(&str, &str, &str)] = &[(
    "report",
    "checks",
    "the renderers' tests build their reports through the check registry, so that every \
     title, summary and fix they snapshot is one the tool really prints",
)];

/// Sibling folders that import each other today. Same rule as above: each must still exist.
const KNOWN_FOLDER_CYCLES: &[(&str, &str)] = &[];

/// One import: the file, its module path, and the module path it names.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Import {
    file: String,
    /// Made by code compiled only for tests.
    test: bool,
    from: Vec<String>,
    to: Vec<String>,
}

/// The module path of a file under `src/`: `runner/judge/mod.rs` → `runner::judge`.
fn module_of(rel: &str) -> Vec<String> {
    let rel = rel.trim_end_matches(".rs");
    let mut parts: Vec<String> = rel.split('/').map(str::to_string).collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    if parts.len() == 1 && (parts[0] == "lib" || parts[0] == "main") {
        parts.clear();
    }
    parts
}

/// The source without comments, string and char literals (so that a `crate::x` in prose or
/// in a test's data is not an import).
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let rest = &text[i..];
        if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if rest.starts_with("/*") {
            // Block comments nest in Rust.
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                if text[j..].starts_with("/*") {
                    depth += 1;
                    j += 2;
                } else if text[j..].starts_with("*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            i = j;
        } else if let Some(hashes) = raw_string_start(rest) {
            let open = 2 + hashes; // r, hashes, quote
            let close = format!("\"{}", "#".repeat(hashes));
            let body = &rest[open..];
            i += open + body.find(&close).map_or(body.len(), |e| e + close.len());
            out.push_str("\"\"");
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            i = j + 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && char_literal_len(rest).is_some() {
            i += char_literal_len(rest).unwrap_or(1);
            out.push_str("' '");
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// `code` (comments and literals already dropped) cut in two: what ships, and what is
/// compiled only for tests (`#[cfg(test)]` items and inline modules); with the names of the
/// child modules declared `#[cfg(test)] mod name;` (their files are test code whole).
fn split_tests(code: &str) -> (String, String, Vec<String>) {
    const MARK: &str = "#[cfg(test)]";
    let (mut shipped, mut test, mut children) = (String::new(), String::new(), Vec::new());
    let mut rest = code;
    while let Some(at) = rest.find(MARK) {
        shipped.push_str(&rest[..at]);
        let after = &rest[at + MARK.len()..];
        // The item ends at its first `;` outside braces, at the brace closing its body, or —
        // for a field, a variant or a match arm — at the `,` after it or before the `}` that
        // closes what holds it.
        // Brackets and parentheses (a signature's `,`, an array's `;`) end nothing.
        let (mut depth, mut inner) = (0usize, 0usize);
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            match c {
                '(' | '[' => inner += 1,
                ')' | ']' => inner = inner.saturating_sub(1),
                '{' => depth += 1,
                '}' if depth == 0 => {
                    end = i;
                    break;
                }
                '}' => {
                    depth -= 1;
                    if depth == 0 && inner == 0 {
                        end = i + 1;
                        break;
                    }
                }
                ';' | ',' if depth == 0 && inner == 0 => {
                    end = i + 1;
                    break;
                }
                _ => {}
            }
        }
        let item = &after[..end];
        let words: Vec<&str> = item
            .split(|c: char| !is_ident(c))
            .filter(|w| !w.is_empty())
            .collect();
        if let Some(i) = words.iter().position(|w| *w == "mod")
            && item.trim_end().ends_with(';')
            && let Some(name) = words.get(i + 1)
        {
            children.push(name.to_string());
        }
        test.push_str(item);
        test.push('\n');
        rest = &after[end..];
    }
    shipped.push_str(rest);
    (shipped, test, children)
}

/// `r"`, `r#"`, `br##"`: the number of hashes, when `s` opens a raw string.
fn raw_string_start(s: &str) -> Option<usize> {
    let s = s.strip_prefix('b').unwrap_or(s);
    let s = s.strip_prefix('r')?;
    let hashes = s.len() - s.trim_start_matches('#').len();
    s[hashes..].starts_with('"').then_some(hashes)
}

/// The length of a char literal at the start of `s` (`'a'`, `'\n'`, `'\''`), or `None` for
/// a lifetime (`'a`, `'static`).
fn char_literal_len(s: &str) -> Option<usize> {
    let mut chars = s.char_indices().skip(1);
    let (_, c) = chars.next()?;
    if c == '\\' {
        let end = s[2..].find('\'')?;
        return Some(2 + end + 1);
    }
    let (j, close) = chars.next()?;
    (close == '\'').then_some(j + 1)
}

/// Every path named by one `use` tree: `crate::a::{b, c::{d, e}}` → `crate::a::b`, ...
fn expand_use(tree: &str) -> Vec<Vec<String>> {
    fn split_top(s: &str) -> Vec<&str> {
        let (mut depth, mut start, mut out) = (0, 0, Vec::new());
        for (i, c) in s.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    out.push(&s[start..i]);
                    start = i + 1;
                }
                _ => {}
            }
        }
        out.push(&s[start..]);
        out
    }
    fn walk(prefix: &[String], tree: &str, out: &mut Vec<Vec<String>>) {
        let tree = tree.trim();
        if tree.is_empty() {
            return;
        }
        if let Some(open) = tree.find('{') {
            let mut head = prefix.to_vec();
            head.extend(segments(&tree[..open]));
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            for part in split_top(inner) {
                walk(&head, part, out);
            }
        } else {
            let mut path = prefix.to_vec();
            path.extend(segments(tree.split(" as ").next().unwrap_or(tree)));
            out.push(path);
        }
    }
    let mut out = Vec::new();
    walk(&[], tree, &mut out);
    out
}

fn segments(s: &str) -> Vec<String> {
    s.split("::")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The paths a file's code names: `use` trees, and `crate::…`, `super::…` written inline,
/// and the clap crates.
fn named_paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before_ok = rest[..at].chars().next_back().is_none_or(|c| !is_ident(c));
        let after = &rest[at + 4..];
        if before_ok && let Some(end) = after.find(';') {
            out.extend(expand_use(&after[..end]));
        }
        rest = after;
    }
    let starts: Vec<&str> = ["crate", "super"]
        .into_iter()
        .chain(CLAP_CRATES.iter().copied())
        .chain([SIM])
        .collect();
    for (i, _) in code.char_indices() {
        let before_ok = code[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !is_ident(c) && c != ':');
        if !before_ok {
            continue;
        }
        for s in &starts {
            if code[i..].starts_with(s) && code[i + s.len()..].starts_with("::") {
                let len = code[i..]
                    .find(|c: char| !is_ident(c) && c != ':')
                    .unwrap_or(code.len() - i);
                out.push(segments(&code[i..i + len]));
            }
        }
    }
    out
}

/// Resolve a named path from module `m` to an absolute module path (`None`: an outside
/// crate, or `std`). `super` counts from the file's own module.
fn resolve(m: &[String], path: &[String]) -> Option<Vec<String>> {
    match path.first().map(String::as_str) {
        Some("crate") => Some(path[1..].to_vec()),
        Some("self") => Some(m.iter().chain(&path[1..]).cloned().collect()),
        Some("super") => {
            let mut base = m.to_vec();
            let mut rest = path;
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
            Some(base.into_iter().chain(rest.iter().cloned()).collect())
        }
        Some(first) if CLAP_CRATES.contains(&first) => Some(vec![CLAP.to_string()]),
        Some(SIM) => Some(vec![SIM.to_string()]),
        _ => None,
    }
}

/// Every import between two different modules in `files` (path under `src/`, text), cut at
/// the first level where the two module paths part: `runner::judge::api` naming
/// `runner::view::accept` is `runner::judge → runner::view`. Only real modules count
/// (`super::Verdict` is an item of the parent, not a sibling).
fn imports(files: &[(String, String)]) -> BTreeSet<Import> {
    let modules: BTreeSet<Vec<String>> = files.iter().map(|(f, _)| module_of(f)).collect();
    let split: Vec<Scanned> = files
        .iter()
        .map(|(file, text)| {
            let (shipped, test, children) = split_tests(&code_only(text));
            Scanned {
                file: file.clone(),
                module: module_of(file),
                shipped,
                test,
                children,
            }
        })
        .collect();
    // Modules declared `#[cfg(test)] mod x;`: their files, and all below, are test code.
    let test_modules: BTreeSet<Vec<String>> = split
        .iter()
        .flat_map(|s| {
            s.children.iter().map(move |c| {
                let mut child = s.module.clone();
                child.push(c.clone());
                child
            })
        })
        .collect();
    let mut out = BTreeSet::new();
    for Scanned {
        file,
        module: m,
        shipped,
        test,
        ..
    } in &split
    {
        let whole_file_is_test = test_modules.iter().any(|t| m.starts_with(t));
        for (code, is_test) in [(shipped, whole_file_is_test), (test, true)] {
            for path in named_paths(code) {
                let Some(abs) = resolve(m, &path) else {
                    continue;
                };
                let import = |from: Vec<String>, to: Vec<String>| Import {
                    file: file.clone(),
                    test: is_test,
                    from,
                    to,
                };
                if abs == [CLAP] || abs == [SIM] {
                    if let Some(top) = m.first() {
                        out.insert(import(vec![top.clone()], abs));
                    }
                    continue;
                }
                let common = m.iter().zip(&abs).take_while(|(a, b)| a == b).count();
                if common >= m.len() || common >= abs.len() {
                    continue; // inside the same module, or up to an ancestor's items
                }
                let to = abs[..=common].to_vec();
                if modules.contains(&to) {
                    out.insert(import(m[..=common].to_vec(), to));
                }
            }
        }
    }
    out
}

/// One file, its code cut by [`split_tests`].
struct Scanned {
    file: String,
    module: Vec<String>,
    shipped: String,
    test: String,
    children: Vec<String>,
}

/// Top-level edges `from → to` made by shipped code (`test` false) or by test code, with the
/// files that make each.
fn top_edges(
    imports: &BTreeSet<Import>,
    test: bool,
) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for i in imports
        .iter()
        .filter(|i| i.from.len() == 1 && i.test == test)
    {
        out.entry((i.from[0].clone(), i.to[0].clone()))
            .or_default()
            .insert(i.file.clone());
    }
    out
}

/// What breaks the rules: an edge the table does not allow (for test code: nor the test
/// edges), a top-level module missing from the table, a listed test edge that is gone, a pair
/// of sibling folders that import each other.
fn violations(
    files: &[(String, String)],
    rules: &[(&str, &[&str])],
    test_edges: &[(&str, &str, &str)],
    known_folder_cycles: &[(&str, &str)],
) -> Vec<String> {
    let all = imports(files);
    let edges = top_edges(&all, false);
    let tests = top_edges(&all, true);
    let table: BTreeMap<&str, &[&str]> = rules.iter().copied().collect();
    let mut out = Vec::new();
    let tops: BTreeSet<String> = files
        .iter()
        .filter_map(|(f, _)| module_of(f).first().cloned())
        .collect();
    for top in &tops {
        if !table.contains_key(top.as_str()) {
            out.push(format!(
                "module `{top}` has no row in the rules table: say what it may import"
            ));
        }
    }
    let allowed = |from: &str, to: &str| table.get(from).is_some_and(|may| may.contains(&to));
    let test_edge = |from: &str, to: &str| test_edges.iter().any(|e| (e.0, e.1) == (from, to));
    for ((from, to), in_files) in &edges {
        if !allowed(from, to) {
            out.push(format!(
                "`{from}` imports `{to}`, which the rules do not allow (in {})",
                in_files.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    for ((from, to), in_files) in &tests {
        if !allowed(from, to) && !test_edge(from, to) {
            out.push(format!(
                "`{from}`'s tests import `{to}`, which the rules do not allow (in {})",
                in_files.iter().cloned().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    for (from, to, _) in test_edges {
        if !tests.contains_key(&(from.to_string(), to.to_string())) {
            out.push(format!(
                "`{from}`'s tests no longer import `{to}`: remove it from the test edges"
            ));
        }
    }
    // Sibling folders below the top level (which the table covers): a folder is a module
    // with children.
    let folders: BTreeSet<Vec<String>> = files
        .iter()
        .filter(|(f, _)| f.ends_with("/mod.rs") && f.matches('/').count() > 1)
        .map(|(f, _)| module_of(f))
        .collect();
    let pairs: BTreeSet<(Vec<String>, Vec<String>)> = all
        .iter()
        .filter(|i| folders.contains(&i.from) && folders.contains(&i.to))
        .map(|i| (i.from.clone(), i.to.clone()))
        .collect();
    let mut cycles = BTreeSet::new();
    for (a, b) in &pairs {
        if a < b && pairs.contains(&(b.clone(), a.clone())) {
            cycles.insert((a.join("::"), b.join("::")));
        }
    }
    for (a, b) in &cycles {
        if !known_folder_cycles.contains(&(a.as_str(), b.as_str())) {
            out.push(format!("folders `{a}` and `{b}` import each other"));
        }
    }
    for (a, b) in known_folder_cycles {
        if !cycles.contains(&(a.to_string(), b.to_string())) {
            out.push(format!(
                "folders `{a}` and `{b}` no longer import each other: remove them from the known cycles"
            ));
        }
    }
    out
}

/// A cycle in the rules table itself, if any (the rules must run one way).
fn cycle_in(rules: &[(&str, &[&str])]) -> Option<Vec<String>> {
    let table: BTreeMap<&str, &[&str]> = rules.iter().copied().collect();
    fn visit<'a>(
        n: &'a str,
        table: &BTreeMap<&'a str, &'a [&'a str]>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<String>> {
        if let Some(at) = stack.iter().position(|s| *s == n) {
            let mut c: Vec<String> = stack[at..].iter().map(|s| s.to_string()).collect();
            c.push(n.to_string());
            return Some(c);
        }
        if !done.insert(n) {
            return None;
        }
        stack.push(n);
        for next in table.get(n).copied().unwrap_or_default() {
            if let Some(c) = visit(next, table, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        None
    }
    let mut done = BTreeSet::new();
    rules
        .iter()
        .find_map(|(n, _)| visit(n, &table, &mut Vec::new(), &mut done))
}

/// Every `.rs` file under `dir`, as (path relative to it, text).
fn sources(dir: &Path) -> Vec<(String, String)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).expect("under src/");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.push((rel, std::fs::read_to_string(&path).expect("readable")));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn src() -> Vec<(String, String)> {
    sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

#[test]
fn imports_run_one_way() {
    let problems = violations(&src(), RULES, TEST_EDGES, KNOWN_FOLDER_CYCLES);
    assert!(
        problems.is_empty(),
        "the rules of direction (ARCHITECTURE.md) are broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_rules_themselves_run_one_way() {
    assert_eq!(cycle_in(RULES), None);
    let names: Vec<&str> = RULES.iter().map(|(n, _)| *n).collect();
    for (n, may) in RULES {
        for m in *may {
            assert!(
                *m == CLAP || *m == SIM || names.contains(m),
                "{n} may import {m}, which is no module"
            );
        }
    }
}

/// A measure for the report: how many pairs of top-level modules import each other in the
/// code that ships.
#[test]
fn print_the_measure() {
    let edges = top_edges(&imports(&src()), false);
    let mutual: Vec<String> = edges
        .keys()
        .filter(|(a, b)| a < b && edges.contains_key(&(b.clone(), a.clone())))
        .map(|(a, b)| format!("{a} <-> {b}"))
        .collect();
    eprintln!(
        "{} top-level edges; {} pairs import each other: {mutual:?}",
        edges.len(),
        mutual.len()
    );
}

mod scanner {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(f, t)| (f.to_string(), t.to_string()))
            .collect()
    }

    const LAYERS: &[(&str, &[&str])] = &[
        ("report", &[]),
        ("runner", &["report"]),
        ("commands", &["runner", "report", CLAP]),
    ];

    fn healthy() -> Vec<(String, String)> {
        files(&[
            (
                "lib.rs",
                "pub mod report; pub mod runner; pub mod commands;",
            ),
            ("report/mod.rs", "pub struct Report;"),
            (
                "runner/mod.rs",
                "use crate::report::Report;\npub mod judge;",
            ),
            ("runner/judge/mod.rs", "use super::super::report::Report;"),
            (
                "commands/mod.rs",
                "use crate::{report::Report, runner::{self}};\nuse clap::Parser;",
            ),
        ])
    }

    #[test]
    fn a_tree_that_keeps_the_rules_passes() {
        assert_eq!(
            violations(&healthy(), LAYERS, &[], &[]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_back_edge_fails_in_every_spelling() {
        for spelling in [
            "use crate::commands::print;",
            "use crate::{report::Report, commands::print};",
            "use crate::{commands::{self, print}};",
            "fn f() { crate::commands::print(); }",
            "use super::super::commands;",
            "pub(crate) use crate::commands as c;",
        ] {
            let mut tree = healthy();
            tree.push(("report/render.rs".into(), spelling.into()));
            let v = violations(&tree, LAYERS, &[], &[]);
            assert_eq!(
                v,
                ["`report` imports `commands`, which the rules do not allow (in report/render.rs)"],
                "{spelling}"
            );
        }
    }

    #[test]
    fn clap_outside_the_cli_layer_fails() {
        let mut tree = healthy();
        tree.push(("runner/args.rs".into(), "use clap::ValueEnum;".into()));
        assert_eq!(
            violations(&tree, LAYERS, &[], &[]),
            ["`runner` imports `clap`, which the rules do not allow (in runner/args.rs)"]
        );
        let mut tree = healthy();
        tree.push((
            "report/f.rs".into(),
            "fn f(s: clap_complete::Shell) {}".into(),
        ));
        assert_eq!(violations(&tree, LAYERS, &[], &[]).len(), 1);
    }

    #[test]
    fn the_simulator_outside_its_commands_fails() {
        let mut tree = healthy();
        tree.push((
            "runner/sim.rs".into(),
            "use kraken_sim::Simulator;\nfn f() { kraken_sim::sdl(); }".into(),
        ));
        assert_eq!(
            violations(&tree, LAYERS, &[], &[]),
            ["`runner` imports `kraken_sim`, which the rules do not allow (in runner/sim.rs)"]
        );
    }

    #[test]
    fn prose_strings_and_items_of_a_parent_are_not_imports() {
        let mut tree = healthy();
        tree.push((
            "report/notes.rs".into(),
            "//! Called by [`crate::commands::main`].\n\
             /* use crate::commands; */\n\
             const S: &str = \"crate::commands::x\";\n\
             const R: &str = r#\"use crate::commands;\"#;\n\
             fn f<'a>(c: char) -> bool { c == '\"' }\n\
             use super::Report;"
                .into(),
        ));
        assert_eq!(violations(&tree, LAYERS, &[], &[]), Vec::<String>::new());
    }

    #[test]
    fn a_module_without_rules_fails() {
        let mut tree = healthy();
        tree.push(("extra.rs".into(), String::new()));
        assert_eq!(
            violations(&tree, LAYERS, &[], &[]),
            ["module `extra` has no row in the rules table: say what it may import"]
        );
    }

    const TEST_EDGE: &[(&str, &str, &str)] = &[("report", "runner", "fixtures")];

    #[test]
    fn a_test_edge_is_tolerated_in_test_code_only_while_it_exists() {
        for (file, text) in [
            (
                "report/x.rs",
                "#[cfg(test)]\nmod tests { use crate::runner::Run; }",
            ),
            ("report/x.rs", "#[cfg(test)] use crate::runner::Run;"),
            (
                "report/x.rs",
                "#[cfg(test)]\nfn helper(a: u8, b: [u8; 2]) -> u8 { crate::runner::go(a) }",
            ),
            ("report/fixtures.rs", "use crate::runner::Run;"),
            (
                "report/fixtures/more.rs",
                "fn f() { crate::runner::run(); }",
            ),
        ] {
            let mut tree = healthy();
            tree.retain(|(f, _)| f != "report/mod.rs");
            tree.push((file.into(), text.into()));
            tree.push((
                "report/mod.rs".into(),
                "pub struct Report;\n#[cfg(test)]\npub(crate) mod fixtures;".into(),
            ));
            assert_eq!(
                violations(&tree, LAYERS, TEST_EDGE, &[]),
                Vec::<String>::new(),
                "{text}"
            );
            assert_eq!(
                violations(&tree, LAYERS, &[], &[]),
                [format!(
                    "`report`'s tests import `runner`, which the rules do not allow (in {file})"
                )],
                "{text}"
            );
        }
        assert_eq!(
            violations(&healthy(), LAYERS, TEST_EDGE, &[]),
            ["`report`'s tests no longer import `runner`: remove it from the test edges"]
        );
    }

    #[test]
    fn a_test_only_field_or_variant_hides_nothing_after_it() {
        for text in [
            "enum E { #[cfg(test)] A, B(crate::runner::X) }",
            "struct S { #[cfg(test)] a: u8, b: crate::runner::X }",
            "fn f() { match 1 { #[cfg(test)] 0 => {}, _ => crate::runner::go() } }",
            "struct S { b: u8, #[cfg(test)] a: u8 } fn g() { crate::runner::go(); }",
            "#[cfg(test)] const A: [u8; 2] = [0, 1]; fn g() { crate::runner::go(); }",
        ] {
            let mut tree = healthy();
            tree.push(("report/x.rs".into(), text.into()));
            assert_eq!(
                violations(&tree, LAYERS, TEST_EDGE, &[])
                    .first()
                    .map(String::as_str),
                Some("`report` imports `runner`, which the rules do not allow (in report/x.rs)"),
                "{text}"
            );
        }
    }

    #[test]
    fn a_test_edge_does_not_excuse_the_code_that_ships() {
        let mut tree = healthy();
        tree.push((
            "report/x.rs".into(),
            "#[cfg(test)]\nmod tests { fn t() {} }\nuse crate::runner::Run;".into(),
        ));
        let v = violations(&tree, LAYERS, TEST_EDGE, &[]);
        assert!(
            v.contains(
                &"`report` imports `runner`, which the rules do not allow (in report/x.rs)"
                    .to_string()
            ),
            "{v:?}"
        );
    }

    #[test]
    fn sibling_folders_importing_each_other_fail_at_any_depth() {
        let mut tree = healthy();
        tree.push(("runner/view/mod.rs".into(), "use super::judge::x;".into()));
        tree.push((
            "runner/judge/decide.rs".into(),
            "use crate::runner::view::y;".into(),
        ));
        assert_eq!(
            violations(&tree, LAYERS, &[], &[]),
            ["folders `runner::judge` and `runner::view` import each other"]
        );
    }

    #[test]
    fn a_cycle_in_the_rules_is_found() {
        let rules: &[(&str, &[&str])] = &[("a", &["b"]), ("b", &["c"]), ("c", &["a"])];
        assert_eq!(
            cycle_in(rules),
            Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
        );
        assert_eq!(cycle_in(LAYERS), None);
    }
}
