//! `kraken-doctor explain` run as a user runs it: the binary's exit code, stdout and stderr for
//! the inputs users meet most, snapshotted in the crate's `snapshots/`.

use std::process::Command;

/// Run `kraken-doctor explain <input>` (no terminal, so no colour) and lay out what it did.
fn explain(input: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_kraken-doctor"))
        .args(["explain", input])
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs");
    format!(
        "exit: {}\n--- stdout ---\n{}--- stderr ---\n{}",
        output
            .status
            .code()
            .map_or("signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    )
}

/// Snapshot into the top-level `snapshots/`, under an explicit name.
macro_rules! snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            snapshot_path => "../../snapshots",
            prepend_module_to_snapshot => false,
        }, {
            insta::assert_snapshot!($name, $value);
        })
    };
}

#[test]
fn unauthorized_names_role_permissions_and_environment() {
    // KT-CT-1111: the denial a third-party app meets; causes in terms of steps 7 and 12.
    snapshot!("explain__kt-ct-1111", explain("KT-CT-1111"));
}

#[test]
fn readings_not_configured_is_not_the_oauth_managers_to_fix() {
    // KT-CT-4722, asked for by number alone: a platform setting, ask the Kraken's contact.
    let out = explain("4722");
    assert!(out.starts_with("exit: 0\n"), "{out}");
    snapshot!("explain__kt-ct-4722", out);
}

#[test]
fn invalid_client_lists_every_cause_the_server_hides() {
    // invalid_client: the server does not say which of secret, client_id or environment.
    snapshot!("explain__invalid_client", explain("invalid_client"));
}

#[test]
fn check_id_says_what_it_proves_and_its_step() {
    // perm.exact: what the check proves, and step 12.
    snapshot!("explain__perm.exact", explain("perm.exact"));
}

#[test]
fn unknown_code_exits_2_with_nearest_matches_on_stderr() {
    // An unknown code: exit 2, nothing on stdout, the nearest codes on stderr.
    let out = explain("KT-CT-1115");
    assert!(
        out.starts_with("exit: 2\n--- stdout ---\n--- stderr ---\n"),
        "{out}"
    );
    snapshot!("explain__unknown-code", out);
}

#[test]
fn forgiving_spellings_give_the_same_text() {
    // Case, separators and the bare number do not matter.
    let canonical = explain("KT-CT-1111");
    for input in ["1111", "kt-ct-1111", "Kt_Ct_1111"] {
        assert_eq!(explain(input), canonical, "{input}");
    }
    assert_eq!(explain("invalid-client"), explain("invalid_client"));
}
