//! What the interop suites share: finding the Python that holds the real components (or
//! saying loudly why the suite is skipped), running one of the real servers in
//! `tests/interop/` for the length of a test, and the known-divergence bookkeeping that lets a
//! list of differences only shrink. See `tests/interop/README.md`.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a real server may take to start (a database migration included).
const START_TIMEOUT: Duration = Duration::from_secs(60);

pub fn interop_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop")
}

/// The Python for the real components, or `None` (after saying why on stderr) when it is
/// missing locally; under `CI=true` a missing Python is a failure, never a skip.
///
/// `KRAKEN_DOCTOR_PYTHON` if set, else the venv `.ci/interop-setup` makes, else `python3`; it
/// must hold the Python packages `modules`, each given as (import name, name for people). The
/// message names only the packages that are missing.
pub fn python_or_skip(modules: &[(&str, &str)]) -> Option<PathBuf> {
    let why = match find_python(modules) {
        Ok(python) => return Some(python),
        Err(why) => why,
    };
    let test = std::thread::current()
        .name()
        .unwrap_or("interop")
        .to_string();
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("interop: {why}; CI=true needs it: run .ci/interop-setup before cargo test");
    }
    // Straight to stderr, past the test harness's capture: a skip must be seen, and it names
    // the test, which the harness can only report as passed.
    let _ = writeln!(
        std::io::stderr(),
        "interop: SKIPPED {test} — {why}; run .ci/interop-setup to enable"
    );
    None
}

fn find_python(modules: &[(&str, &str)]) -> Result<PathBuf, String> {
    let venv = interop_dir().join(".venv/bin/python");
    let python = match std::env::var_os("KRAKEN_DOCTOR_PYTHON") {
        Some(p) => PathBuf::from(p),
        None if venv.exists() => venv,
        None => PathBuf::from("python3"),
    };
    let imports: Vec<&str> = modules.iter().map(|(m, _)| *m).collect();
    // Found, not imported: graphene_django cannot be imported before Django is configured.
    // The missing import names come back on stdout, one a line.
    let check = format!(
        "import importlib.util\n\
         for m in {imports:?}:\n    \
         if importlib.util.find_spec(m) is None: print(m)"
    );
    let probe = Command::new(&python)
        .args(["-c", &check])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{} cannot run ({e})", python.display()))?;
    if !probe.status.success() {
        let stderr = String::from_utf8_lossy(&probe.stderr);
        let last = stderr.lines().last().unwrap_or("it failed");
        return Err(format!(
            "{} cannot look for packages ({last})",
            python.display()
        ));
    }
    let stdout = String::from_utf8_lossy(&probe.stdout);
    let missing = missing_names(modules, stdout.lines());
    if missing.is_empty() {
        return Ok(python);
    }
    Err(format!("{} lacks {}", python.display(), missing.join(", ")))
}

/// The people's names of the `modules` whose import names are `missing`, in order.
fn missing_names<'a, 'b>(
    modules: &[(&str, &'a str)],
    missing: impl Iterator<Item = &'b str>,
) -> Vec<&'a str> {
    let missing: Vec<&str> = missing.map(str::trim).collect();
    let mut names: Vec<&str> = modules
        .iter()
        .filter(|(m, _)| missing.contains(m))
        .map(|(_, name)| *name)
        .collect();
    names.dedup();
    names
}

#[test]
fn a_skip_names_only_the_packages_that_are_missing() {
    let modules = [
        ("django", "Django"),
        ("graphene_django", "graphene-django"),
        ("yaml", "PyYAML"),
    ];
    assert_eq!(
        missing_names(&modules, ["graphene_django"].into_iter()),
        ["graphene-django"]
    );
    assert_eq!(
        missing_names(&modules, ["django", "yaml"].into_iter()),
        ["Django", "PyYAML"]
    );
    assert!(missing_names(&modules, std::iter::empty()).is_empty());
    // And against a real Python, when there is one: a package every Python has is never named.
    if let Ok(out) = Command::new("python3").args(["-c", "import json"]).output()
        && out.status.success()
    {
        let why = find_python(&[("json", "json"), ("no_such_module_kd", "NoSuch")]);
        if let Err(why) = why {
            assert!(why.ends_with("lacks NoSuch"), "{why}");
        }
    }
}

/// One of the servers in `tests/interop/`, running: it prints one JSON line when ready and
/// stops when its stdin closes. Dropping this closes stdin, waits briefly, then kills it: no
/// test leaves a server behind.
pub struct RealServer {
    child: Child,
    stdin: Option<ChildStdin>,
    /// The server's JSON line.
    pub announced: serde_json::Value,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl RealServer {
    /// Run `python tests/interop/<script> <args>` and wait for its JSON line.
    pub fn start(python: &Path, script: &str, args: &[OsString]) -> RealServer {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = dir.path().join("serve.stderr");
        let mut child = Command::new(python)
            .arg(interop_dir().join(script))
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(File::create(&log).expect("stderr log"))
            .spawn()
            .unwrap_or_else(|e| panic!("interop: cannot start {}: {e}", python.display()));
        let stdout = child.stdout.take().expect("piped stdout");
        let mut server = RealServer {
            stdin: child.stdin.take(),
            child,
            announced: serde_json::Value::Null,
            log,
            _dir: dir,
        };
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = tx.send(BufReader::new(stdout).read_line(&mut line).map(|_| line));
        });
        let line = match rx.recv_timeout(START_TIMEOUT) {
            Ok(Ok(line)) if !line.trim().is_empty() => line,
            other => panic!(
                "interop: {script} did not print its JSON line ({other:?}); its stderr:\n{}",
                server.stderr()
            ),
        };
        server.announced = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("interop: {script} printed `{line}`: {e}"));
        server
    }

    /// A string field of the JSON line.
    pub fn field(&self, name: &str) -> String {
        self.announced[name]
            .as_str()
            .unwrap_or_else(|| panic!("interop: the server announced no `{name}`"))
            .to_string()
    }

    /// `name x / name y`, from the line's `versions` object, for messages.
    pub fn versions(&self) -> String {
        self.announced["versions"]
            .as_object()
            .map(|v| {
                v.iter()
                    .map(|(name, version)| format!("{name} {}", version.as_str().unwrap_or("?")))
                    .collect::<Vec<_>>()
                    .join(" / ")
            })
            .unwrap_or_default()
    }

    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for RealServer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A known difference between the simulator and a real component: where it shows, and why.
pub struct Known {
    /// The group of cases it belongs to (a scenario, a validation mode; `*`: every group).
    pub group: &'static str,
    /// The cases' names; `*` stands for any run of characters (`probe *, no header`).
    pub cases: &'static [&'static str],
    /// Why it differs, and what the simulator should change. A reason that starts with
    /// [`AWAITS_SIM`] is fixed on a branch not merged yet: the entry may stop diverging.
    pub reason: &'static str,
}

/// Reason prefix of a divergence fixed on the simulator's branch, not merged yet.
pub const AWAITS_SIM: &str = "awaits the sim branch:";

impl Known {
    fn covers(&self, group: &str, case: &str) -> bool {
        (self.group == "*" || self.group == group) && self.cases.iter().any(|p| glob(p, case))
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any run of characters.
fn glob(pattern: &str, text: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let parts: Vec<&str> = parts.collect();
    let Some((last, middle)) = parts.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

/// Collects every comparison of one test, then fails once with all of them. A listed case
/// that diverges is reported, not failed; a listed entry that no longer diverges (or names no
/// case this test runs) fails, so the list can only shrink — except entries that await the
/// simulator's branch, which are only reported.
pub struct Verdict<'a> {
    known: Vec<(usize, &'a Known)>,
    /// What the simulator is compared with, for messages (`real django-oauth-toolkit`).
    reference: &'static str,
    /// Where the list lives, for messages (`KNOWN_DIVERGENCES`).
    list_name: &'static str,
    unexpected: Vec<String>,
    listed: Vec<String>,
    matched: BTreeSet<usize>,
    diverged: BTreeSet<usize>,
}

impl<'a> Verdict<'a> {
    /// `known`: the entries this test can meet, with their index in the whole list.
    pub fn new(
        known: Vec<(usize, &'a Known)>,
        reference: &'static str,
        list_name: &'static str,
    ) -> Verdict<'a> {
        Verdict {
            known,
            reference,
            list_name,
            unexpected: Vec::new(),
            listed: Vec::new(),
            matched: BTreeSet::new(),
            diverged: BTreeSet::new(),
        }
    }

    /// Compare one case's answers; `request` names the case and says what was sent.
    pub fn compare<A: PartialEq + fmt::Display>(
        &mut self,
        group: &str,
        case: &str,
        request: &str,
        simulator: &A,
        real: &A,
    ) {
        let entry = self
            .known
            .iter()
            .find(|(_, k)| k.covers(group, case))
            .copied();
        if let Some((i, _)) = entry {
            self.matched.insert(i);
        }
        if simulator == real {
            return;
        }
        let width = self.reference.len().max("simulator".len()) + " (reference)".len();
        let message = format!(
            "[{group}] {request}\n    {:width$}: {simulator}\n    {:width$}: {real}",
            "simulator",
            format!("{} (reference)", self.reference),
        );
        match entry {
            Some((i, known)) => {
                self.diverged.insert(i);
                self.listed
                    .push(format!("{message}\n    known: {}", known.reason));
            }
            None => self.unexpected.push(message),
        }
    }

    /// Report what was listed, and fail with everything that was not.
    pub fn finish(self, versions: &str) {
        let mut problems = Vec::new();
        if !self.listed.is_empty() {
            // One line past the capture, so the list is seen; the answers with --nocapture.
            let _ = writeln!(
                std::io::stderr(),
                "interop: {} answer(s) differ from {} ({versions}) as listed in {}",
                self.listed.len(),
                self.reference,
                self.list_name,
            );
            eprintln!("{}", self.listed.join("\n"));
        }
        if !self.unexpected.is_empty() {
            problems.push(format!(
                "{} answer(s) of the simulator differ from the {} ({versions}); fix the \
                 simulator, or list the case in {} with a reason:\n{}",
                self.unexpected.len(),
                self.reference,
                self.list_name,
                self.unexpected.join("\n")
            ));
        }
        let mut agreeing = Vec::new();
        let mut stale = Vec::new();
        let mut awaiting = Vec::new();
        for (i, known) in &self.known {
            let name = format!("[{}] {:?}", known.group, known.cases);
            if !self.matched.contains(i) {
                stale.push(name);
            } else if !self.diverged.contains(i) {
                if known.reason.starts_with(AWAITS_SIM) {
                    awaiting.push(name);
                } else {
                    agreeing.push(name);
                }
            }
        }
        if !awaiting.is_empty() {
            let _ = writeln!(
                std::io::stderr(),
                "interop: the simulator now agrees on entries of {} that awaited its branch: \
                 remove {}",
                self.list_name,
                awaiting.join(", ")
            );
        }
        if !agreeing.is_empty() {
            problems.push(format!(
                "listed in {} but the simulator now agrees with the {}: remove {}",
                self.list_name,
                self.reference,
                agreeing.join(", ")
            ));
        }
        if !stale.is_empty() {
            problems.push(format!(
                "{} names cases this test never runs: {}",
                self.list_name,
                stale.join(", ")
            ));
        }
        assert!(problems.is_empty(), "interop:\n{}", problems.join("\n\n"));
    }
}

#[test]
fn known_divergence_patterns_match_as_documented() {
    // Proves the `*` of a KNOWN_* entry stands for any run of characters, anywhere, and
    // nothing else matches loosely.
    assert!(glob(
        "probe *, no header",
        "probe perm.exact:none, no header"
    ));
    assert!(!glob(
        "probe *, no header",
        "probe perm.exact:none, full token"
    ));
    assert!(glob(
        "probe * without $*",
        "probe a:b without $propertyId, full token"
    ));
    assert!(glob("*.metaData", "MeasurementInterface.metaData"));
    assert!(!glob("*.metaData", "MeasurementInterface.metaDataX"));
    assert!(glob("exact", "exact"));
    assert!(!glob("exact", "exactly"));
    assert!(glob("a*a", "aa"));
    assert!(!glob("a*a", "a"));
}
