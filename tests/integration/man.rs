//! The man page and the examples in `--help`: the standard sections in order, every exit code
//! under EXIT STATUS, every variable the tool reads under ENVIRONMENT, no reference to a page
//! that is not rendered, a render by groff without a warning, and examples that parse.

use std::process::{Command, Stdio};

use kraken_doctor::examples;
use kraken_doctor::exit::Exit;

use crate::common::run;

/// The sections of the overview, in order.
const OVERVIEW: [&str; 9] = [
    "NAME",
    "SYNOPSIS",
    "DESCRIPTION",
    "OPTIONS",
    "COMMANDS",
    "EXIT STATUS",
    "ENVIRONMENT",
    "FILES",
    "EXAMPLES",
];

/// `kraken-doctor man ARGS`'s roff.
fn page(args: &[&str]) -> String {
    let mut all = vec!["man"];
    all.extend(args);
    let r = run(&all, &[], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.stdout
}

/// The `.SH` headings of a roff page, unquoted.
fn sections(roff: &str) -> Vec<String> {
    roff.lines()
        .filter_map(|l| l.strip_prefix(".SH "))
        .map(|h| h.trim_matches('"').to_string())
        .collect()
}

/// The lines of section `name` (up to the next `.SH`), roff escapes of `-` undone.
fn section(roff: &str, name: &str) -> String {
    let mut lines = roff.lines().skip_while(|l| {
        l.strip_prefix(".SH ")
            .is_none_or(|h| h.trim_matches('"') != name)
    });
    lines.next().unwrap_or_else(|| panic!("no section {name}"));
    lines
        .take_while(|l| !l.starts_with(".SH "))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("\\-", "-")
}

#[test]
fn man_has_the_standard_sections_in_order() {
    // Proves: the overview has NAME … EXAMPLES in the standard order, nothing else (no
    // "EXTRA"); a command's page has the same without COMMANDS.
    assert_eq!(sections(&page(&[])), OVERVIEW);
    for command in ["check", "guide", "token", "sim"] {
        let expected: Vec<&str> = OVERVIEW.into_iter().filter(|s| *s != "COMMANDS").collect();
        assert_eq!(sections(&page(&[command])), expected, "man {command}");
    }
}

#[test]
fn man_lists_every_exit_code_under_exit_status() {
    // Proves: each code of `Exit` is under EXIT STATUS of the overview with its meaning; each
    // command's page lists exactly the codes that command can end with (`sim` never says 1).
    let status = section(&page(&[]), "EXIT STATUS");
    for e in Exit::ALL {
        assert!(
            status.contains(
                &format!(".TP\n\\fB{}\\fR\n{}", e.code(), e.meaning()).replace("\\-", "-")
            ),
            "man lists exit {}:\n{status}",
            e.code()
        );
    }
    for (command, codes) in [
        ("check", &Exit::CHECK[..]),
        ("guide", &Exit::GUIDE),
        ("token", &Exit::TOKEN),
        ("sim", &Exit::SERVE),
        ("explain", &Exit::SERVE),
        ("list-checks", &Exit::PRINT),
        ("man", &Exit::PRINT),
    ] {
        let status = section(&page(&[command]), "EXIT STATUS");
        for e in Exit::ALL {
            assert_eq!(
                status.contains(&format!("\\fB{}\\fR", e.code())),
                codes.contains(&e),
                "man {command}, exit {}:\n{status}",
                e.code()
            );
        }
        // In the command's own words (`sim` exits 0 when stopped, not "nothing failed").
        for e in codes {
            assert!(
                status.replace("\\-", "-").contains(e.meaning_for(command)),
                "man {command}, exit {}:\n{status}",
                e.code()
            );
        }
    }
    assert!(!Exit::of_command("sim").contains(&Exit::Failed));
}

#[test]
fn man_names_no_page_it_does_not_render() {
    // Proves: no `name(N)` reference to a page other than the one rendered (clap_mangen's
    // default names kraken-doctor-check(1) and the like, which are not installed), and every
    // command has its subsection in the overview.
    for (args, own) in [
        (&[][..], "kraken-doctor"),
        (&["check"][..], "kraken-doctor-check"),
    ] {
        let text = page(args).replace("\\-", "-");
        for (at, _) in text.match_indices("(1)") {
            let name: String = text[..at]
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            assert_eq!(name, own, "man {args:?} refers to {name}(1)");
        }
    }
    let overview = page(&[]);
    use clap::CommandFactory;
    for sub in kraken_doctor::cli::Cli::command().get_subcommands() {
        assert!(
            overview.contains(&format!(".SS \"kraken-doctor {}\"", sub.get_name())),
            "COMMANDS has {}",
            sub.get_name()
        );
    }
}

#[test]
fn man_documents_every_variable_the_tool_reads() {
    // Proves: each environment variable the source reads (std::env::var/var_os, the config's
    // Env map) is under ENVIRONMENT; the config file's two places are under FILES.
    let env = section(&page(&[]), "ENVIRONMENT");
    let mut read = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("tests.rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                // Code only: a module's tests may read variables of their own.
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                for call in ["var(\"", "var_os(\"", "env.get(\"", ".get(\""] {
                    for (at, _) in code.match_indices(call) {
                        let rest = &code[at + call.len()..];
                        let name: String = rest
                            .chars()
                            .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                            .collect();
                        if name.len() > 2 && rest[name.len()..].starts_with('"') {
                            read.push((name, path.display().to_string()));
                        }
                    }
                }
            }
        }
    }
    for name in kraken_doctor::commands::man::ENVIRONMENT
        .iter()
        .map(|(n, _)| *n)
    {
        assert!(env.contains(&format!("\\fB{name}\\fR")), "{env}");
    }
    for (name, file) in &read {
        if ["UPDATE_SCHEMAS"].contains(&name.as_str()) {
            continue;
        }
        assert!(
            env.contains(&format!("\\fB{name}\\fR")),
            "{file} reads {name}; ENVIRONMENT does not say:\n{env}"
        );
    }
    // The scan sees what it should (else the loop above proves nothing).
    for name in ["NO_COLOR", "COLUMNS", "GITHUB_ACTIONS", "XDG_CONFIG_HOME"] {
        assert!(read.iter().any(|(n, _)| n == name), "the scan finds {name}");
    }
    let files = section(&page(&[]), "FILES");
    assert!(
        files.contains("$XDG_CONFIG_HOME/kraken-doctor/config.toml"),
        "{files}"
    );
    assert!(
        files.contains("~/.config/kraken-doctor/config.toml"),
        "{files}"
    );
}

#[test]
fn man_renders_in_groff_without_warnings() {
    // Proves: groff (as `man` uses it) renders the overview and a command's page with every
    // warning on and says nothing; the text has every section. Skips without groff, unless
    // CI=true (.ci/run installs groff-base).
    let found = Command::new("groff")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("man: groff is not installed; CI=true needs it: .ci/run installs groff-base");
        }
        eprintln!("man: SKIPPED man_renders_in_groff_without_warnings — groff is not installed");
        return;
    }
    for args in [&[][..], &["check"], &["sim"]] {
        let roff = page(args);
        let mut child = Command::new("groff")
            .args(["-man", "-Tutf8", "-ww"])
            .env("LC_ALL", "C.UTF-8")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("groff starts");
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(roff.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.is_empty(),
            "groff on man {args:?}: {stderr}"
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let plain: String = {
            // Undo the overstrike bold/underline of -Tutf8 (c\bc, _\bc).
            let mut s = String::new();
            for c in text.chars() {
                if c == '\u{8}' {
                    s.pop();
                } else {
                    s.push(c);
                }
            }
            s
        };
        for heading in sections(&roff) {
            assert!(
                plain.contains(&format!("\n{heading}\n")),
                "man {args:?}: {heading}"
            );
        }
    }
}

#[test]
fn examples_are_real_commands_with_no_secret() {
    // Proves: check, guide, token and sim each have 3 to 5 examples; each parses as typed (its
    // shell redirection aside), puts no secret on the command line, and is in the command's
    // --help and the man page's EXAMPLES.
    let man = section(&page(&[]), "EXAMPLES");
    for command in ["check", "guide", "token", "sim"] {
        let own: Vec<_> = examples::of(command).collect();
        assert!(
            (3..=5).contains(&own.len()),
            "{command}: {} examples",
            own.len()
        );
        let help = run(&[command, "--help"], &[], None).stdout;
        for e in own {
            let words: Vec<&str> = e.line.split_whitespace().collect();
            let words: Vec<&str> = match words.iter().position(|w| *w == "<" || *w == ">") {
                Some(at) => words[..at].to_vec(),
                None => words,
            };
            // Neither wraps in --help at 80 columns (a wrapped comment loses its `#`).
            assert!(e.line.len() <= 76, "fits --help at 80 columns: {}", e.line);
            assert!(e.what.len() <= 74, "fits --help at 80 columns: {}", e.what);
            assert_eq!(words.first(), Some(&"kraken-doctor"), "{}", e.line);
            assert_eq!(words.get(1), Some(&command), "{}", e.line);
            if let Err(err) = kraken_doctor::commands::parse(&words) {
                panic!("{}: {err}", e.line);
            }
            assert!(
                !e.line.contains("--client-secret ") && !e.line.contains("SECRET="),
                "a secret on the command line: {}",
                e.line
            );
            assert!(help.contains(e.line), "{command} --help shows {}", e.line);
            assert!(
                man.contains(&e.line.replace("\\-", "-")),
                "man shows {}",
                e.line
            );
        }
    }
}

#[test]
fn help_of_check_guide_token_and_sim() {
    // Proves: what `--help` shows at 80 columns (flags, examples, exit codes), as snapshots.
    for command in ["check", "guide", "token", "sim"] {
        let r = run(&[command, "--help"], &[("COLUMNS", "80")], None);
        assert_eq!(r.code, 0, "{}", r.stderr);
        crate::snap!(format!("help-{command}"), r.stdout);
    }
}
