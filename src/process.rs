//! What every command's process shares, below the commands so that `guide`, `demo` and the
//! simulator's glue use it without importing back up from `commands`: one way to print
//! ([`print_result`] on stdout, [`print_note`] on stderr), one way to refuse
//! ([`usage_error`], exit 2), and the tokio [`runtime`].

use std::io::Write;

use crate::exit::Exit;
use crate::report::github;

/// Write a result to stdout; a closed pipe (`| head`) ends the output quietly instead of
/// panicking.
pub fn print_result(text: &str) {
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|_| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        print_note(&format!("kraken-doctor: cannot write to stdout: {e}"));
    }
}

/// Write one line (or several) to stderr: everything that is not the result.
pub fn print_note(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    let _ = write!(stderr, "{text}{newline}");
}

/// Refuse: one line on stderr (and, under GitHub Actions, an `::error` annotation so the
/// refusal shows on the run's page); exit 2, nothing sent.
pub fn usage_error(message: impl std::fmt::Display) -> Exit {
    let message = message.to_string();
    print_note(&format!("kraken-doctor: {message}"));
    annotate_usage_error(&message);
    Exit::Usage
}

/// Under GitHub Actions, an `::error` annotation for a refusal.
pub fn annotate_usage_error(message: &str) {
    if github::in_github_actions() {
        print_note(&format!(
            "::error title={}::{}",
            github::escape_property("kraken-doctor usage error"),
            github::escape_data(message)
        ));
    }
}

/// The tokio runtime every command runs on.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
}
