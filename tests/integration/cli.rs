//! The commands as a user meets them: usage errors exit 2 with one line and send nothing;
//! `--only`/`--skip`, `-v`, `--output`, GitHub annotations, `token`, `list-checks`,
//! `completions`, `demo`, profiles with several targets.

use crate::common::{Run, check, property_id, run, sim};

/// Arguments that point `check` at a simulator.
fn target(sim: &kraken_doctor::sim::Simulator) -> (String, String, String, String) {
    let app = sim.applications().into_iter().next().unwrap();
    (
        sim.auth_url(),
        sim.api_url(),
        app.client_id,
        app.client_secret.expose().to_string(),
    )
}

fn one_line_usage_error(run: &Run, needle: &str) {
    assert_eq!(run.code, 2, "usage errors exit 2: {}", run.transcript());
    assert!(run.stdout.is_empty(), "nothing on stdout: {}", run.stdout);
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {:?}", run.stderr);
    assert!(
        lines[0].contains(needle),
        "stderr says '{needle}': {}",
        lines[0]
    );
}

#[test]
fn usage_errors_exit_2_with_one_line_and_send_no_request() {
    let sim = sim("healthy");
    let (auth, api, id, secret) = target(&sim);
    let dir = tempfile::tempdir().unwrap();
    let bad_utf8 = dir.path().join("bad-utf8");
    std::fs::write(&bad_utf8, [0xff, 0xfe, 0x00]).unwrap();
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "\n").unwrap();
    #[cfg(unix)]
    for p in [&bad_utf8, &empty] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let secret_env = [("KRAKEN_CLIENT_SECRET", secret.as_str())];
    type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        (
            vec!["check", "--auth-url", &auth, "--api-url", &api],
            secret_env.to_vec(),
            "no client id",
        ),
        (
            vec![
                "check",
                "--auth-url",
                &auth,
                "--api-url",
                &api,
                "--client-id",
                " ",
            ],
            secret_env.to_vec(),
            "no client id",
        ),
        (
            vec![
                "check",
                "--auth-url",
                &auth,
                "--api-url",
                &api,
                "--client-id",
                &id,
            ],
            vec![],
            "no client secret",
        ),
        (
            vec![
                "check",
                "--auth-url",
                &auth,
                "--api-url",
                &api,
                "--client-id",
                &id,
                "--client-secret-file",
                "/nonexistent/secret",
            ],
            vec![],
            "cannot read the secret file",
        ),
        (
            vec![
                "check",
                "--auth-url",
                &auth,
                "--api-url",
                &api,
                "--client-id",
                &id,
                "--client-secret-file",
                bad_utf8.to_str().unwrap(),
            ],
            vec![],
            "not UTF-8",
        ),
        (
            vec![
                "check",
                "--auth-url",
                &auth,
                "--api-url",
                &api,
                "--client-id",
                &id,
                "--client-secret-file",
                empty.to_str().unwrap(),
            ],
            vec![],
            "is empty",
        ),
        (
            vec![
                "check",
                "--auth-url",
                "not a url",
                "--api-url",
                &api,
                "--client-id",
                &id,
            ],
            secret_env.to_vec(),
            "is not a URL",
        ),
        (
            vec![
                "check",
                "--auth-url",
                "http://auth.example-kraken.energy",
                "--api-url",
                &api,
                "--client-id",
                &id,
            ],
            secret_env.to_vec(),
            "only allowed to loopback",
        ),
        (
            vec!["check", "--kraken", "nowhere", "--client-id", &id],
            secret_env.to_vec(),
            "unknown Kraken preset 'nowhere'",
        ),
        (
            vec![
                "check",
                "--kraken",
                "octopus-gb",
                "--test-env",
                "--client-id",
                &id,
            ],
            secret_env.to_vec(),
            "no known test environment",
        ),
        (
            vec![
                "check",
                "--auth-url",
                &auth,
                "--api-url",
                &api,
                "--client-id",
                &id,
                "--only",
                "auth.nope",
            ],
            secret_env.to_vec(),
            "valid ids: auth.reachable",
        ),
        (
            vec![
                "check",
                "--auth-url",
                &auth,
                "--api-url",
                &api,
                "--client-id",
                &id,
                "--client-secret",
                "hunter2",
            ],
            vec![],
            "visible to every process",
        ),
        (
            vec![
                "check",
                "--auth-url",
                &auth,
                "--api-url",
                &api,
                "--client-id",
                &id,
                "--wait-for-grant",
                "soon",
            ],
            secret_env.to_vec(),
            "not a duration",
        ),
        (
            vec![
                "check",
                "--auth-url",
                &auth,
                "--api-url",
                &api,
                "--client-id",
                &id,
                "--output",
                "/nonexistent/dir/report.json",
            ],
            secret_env.to_vec(),
            "does not exist",
        ),
        (
            vec![
                "check",
                "--auth-url",
                &auth,
                "--api-url",
                &api,
                "--client-id",
                &id,
                "--profile",
                "p",
                "--config",
                "/nonexistent/config.toml",
            ],
            secret_env.to_vec(),
            "cannot read config file",
        ),
        (
            vec!["token", "--auth-url", &auth, "--api-url", &api],
            secret_env.to_vec(),
            "no client id",
        ),
    ];
    for (args, env, needle) in cases {
        let before = sim.stats();
        let r = run(&args, &env, None);
        one_line_usage_error(&r, needle);
        assert!(
            !r.stderr.contains("hunter2"),
            "the refused secret is not echoed"
        );
        let after = sim.stats();
        assert_eq!(
            before.token_requests + before.graphql_requests,
            after.token_requests + after.graphql_requests,
            "{args:?} sent a request"
        );
    }
}

#[test]
fn clap_usage_errors_exit_2() {
    let r = run(&["check", "--format", "yaml"], &[], None);
    assert_eq!(r.code, 2);
    let r = run(&["no-such-command"], &[], None);
    assert_eq!(r.code, 2);
}

#[test]
fn only_and_skip_choose_checks_by_id_and_group() {
    let sim = sim("healthy");
    let r = check(&sim, &["--only", "auth.token,perm", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "auth.token",
            "perm.can-query-property",
            "perm.can-view-detailed-usage",
            "perm.exact"
        ]
    );
    let r = check(&sim, &["--skip", "manual,auth.methods", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let ids: Vec<&str> = v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"auth.methods") && !ids.iter().any(|i| i.starts_with("manual.")));
    assert_eq!(ids.len(), 9);
}

#[test]
fn verbose_prints_one_line_per_request_on_stderr_and_counts_them() {
    let sim = sim("healthy");
    let prop = property_id(&sim);
    let r = check(&sim, &["-v", "--format", "json", "--property-id", &prop]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value =
        serde_json::from_str(&r.stdout).expect("stdout holds only the report");
    let requests = v["requests"].as_u64().unwrap();
    let lines: Vec<&str> = r.stderr.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        lines.len() as u64,
        requests,
        "one -v line per request: {}",
        r.stderr
    );
    assert!(
        requests <= 10,
        "the healthy checklist needs at most 10 requests, took {requests}"
    );
    assert!(
        lines
            .iter()
            .all(|l| l.contains("POST http://127.0.0.1:") && l.contains(" ms)")),
        "{lines:?}"
    );
}

#[test]
fn strict_turns_warnings_into_exit_1() {
    let sim = sim("viewer-absent-400");
    let prop = property_id(&sim);
    assert_eq!(check(&sim, &["--property-id", &prop]).code, 0);
    assert_eq!(check(&sim, &["--property-id", &prop, "--strict"]).code, 1);
}

#[test]
fn output_writes_the_report_to_a_file_and_stdout_stays_empty() {
    let sim = sim("missing-detailed-usage");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.xml");
    let r = check(
        &sim,
        &["--format", "junit", "--output", path.to_str().unwrap()],
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    let xml = std::fs::read_to_string(&path).unwrap();
    assert!(xml.contains("<failure") && xml.contains("perm.can-view-detailed-usage"));
}

#[test]
fn github_actions_gets_error_and_warning_annotations_on_stderr() {
    let sim = sim("missing-detailed-usage");
    let app = sim.applications().into_iter().next().unwrap();
    let r = run(
        &[
            "check",
            "--auth-url",
            &sim.auth_url(),
            "--api-url",
            &sim.api_url(),
            "--client-id",
            &app.client_id,
            "--format",
            "json",
        ],
        &[
            ("KRAKEN_CLIENT_SECRET", app.client_secret.expose()),
            ("GITHUB_ACTIONS", "true"),
        ],
        None,
    );
    assert_eq!(r.code, 1);
    serde_json::from_str::<serde_json::Value>(&r.stdout).expect("stdout stays pure JSON");
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert!(
        errors
            .iter()
            .any(|l| l.contains("perm.can-view-detailed-usage")),
        "{}",
        r.stderr
    );
}

#[test]
fn token_prints_the_token_raw_as_header_or_json() {
    let sim = sim("healthy");
    let (auth, api, id, secret) = target(&sim);
    let env = [("KRAKEN_CLIENT_SECRET", secret.as_str())];
    let base = [
        "token",
        "--auth-url",
        &auth,
        "--api-url",
        &api,
        "--client-id",
        &id,
    ];
    let raw = run(&base, &env, None);
    assert_eq!(raw.code, 0, "{}", raw.stderr);
    let token = raw.stdout.trim();
    assert!(
        sim.issued_tokens().iter().any(|t| t == token),
        "the raw output is an issued token"
    );
    assert_eq!(raw.stdout.lines().count(), 1);

    let mut args = base.to_vec();
    args.extend(["--format", "header"]);
    let header = run(&args, &env, None);
    let v: serde_json::Value = serde_json::from_str(&header.stdout).unwrap();
    assert!(
        sim.issued_tokens()
            .contains(&v["Authorization"].as_str().unwrap().to_string())
    );

    let mut args = base.to_vec();
    args.extend(["--format", "json"]);
    let json = run(&args, &env, None);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["expires_in"], 3600);
    assert!(v["expires_at"].as_str().unwrap().ends_with('Z'));
    for r in [&raw, &header, &json] {
        assert!(!r.stderr.contains(&secret) && !r.stdout.contains(&secret));
    }
}

#[test]
fn token_failure_gives_the_auth_token_diagnosis_and_exit_1() {
    let sim = sim("rotated-secret");
    let (auth, api, id, secret) = target(&sim);
    let r = run(
        &[
            "token",
            "--auth-url",
            &auth,
            "--api-url",
            &api,
            "--client-id",
            &id,
            "--color",
            "never",
        ],
        &[("KRAKEN_CLIENT_SECRET", &secret)],
        None,
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty(), "no token on stdout");
    assert!(
        r.stderr.contains("invalid_client") && r.stderr.contains("rotated"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains(&secret));
}

#[test]
fn secret_from_stdin_and_from_a_file() {
    let sim = sim("healthy");
    let (auth, api, id, secret) = target(&sim);
    let r = run(
        &[
            "token",
            "--auth-url",
            &auth,
            "--api-url",
            &api,
            "--client-id",
            &id,
            "--client-secret-stdin",
        ],
        &[],
        Some(&format!("{secret}\n")),
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret");
    std::fs::write(&path, format!("{secret}\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let r = run(
        &[
            "token",
            "--auth-url",
            &auth,
            "--api-url",
            &api,
            "--client-id",
            &id,
            "--client-secret-file",
            path.to_str().unwrap(),
        ],
        &[],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    #[cfg(unix)]
    assert!(
        r.stderr.contains("readable by every user"),
        "a world-readable secret file is warned about: {}",
        r.stderr
    );
}

#[test]
fn profiles_check_several_applications_with_a_combined_exit_code() {
    let healthy = sim("healthy");
    let broken = sim("missing-detailed-usage");
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = String::new();
    for (name, s) in [("good", &healthy), ("bad", &broken)] {
        let app = s.applications().into_iter().next().unwrap();
        let secret_path = dir.path().join(format!("{name}.secret"));
        std::fs::write(&secret_path, app.client_secret.expose()).unwrap();
        cfg.push_str(&format!(
            "[profiles.{name}]\nauth_url = \"{}\"\napi_url = \"{}\"\nclient_id = \"{}\"\nclient_secret_file = \"{}\"\n\n",
            s.auth_url(), s.api_url(), app.client_id, secret_path.display()
        ));
    }
    let cfg_path = dir.path().join("config.toml");
    std::fs::write(&cfg_path, cfg).unwrap();
    let r = run(
        &[
            "check",
            "--config",
            cfg_path.to_str().unwrap(),
            "--all-profiles",
            "--format",
            "json",
            "--skip",
            "manual",
        ],
        &[],
        None,
    );
    assert_eq!(
        r.code, 1,
        "one failing application fails the run: {}",
        r.stderr
    );
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let reports = v["reports"].as_array().expect("one report per target");
    assert_eq!(reports.len(), 2);
    let codes: Vec<i64> = reports
        .iter()
        .map(|r| r["exit_code"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [1, 0], "profiles in name order: bad, good");
    let r = run(
        &[
            "check",
            "--config",
            cfg_path.to_str().unwrap(),
            "--profile",
            "good",
            "--skip",
            "manual",
        ],
        &[],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn list_checks_and_completions() {
    let r = run(&["list-checks"], &[], None);
    assert_eq!(r.code, 0);
    crate::snap!("cli__list-checks", r.stdout);
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let r = run(&["completions", shell], &[], None);
        assert_eq!(r.code, 0);
        assert!(
            r.stdout.contains("list-checks"),
            "{shell} completion names the commands"
        );
    }
}

#[test]
fn demo_runs_healthy_and_broken_applications_without_credentials() {
    let r = run(&["demo", "--color", "never"], &[], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for name in kraken_doctor::demo::SCENARIOS {
        assert!(
            r.stdout.contains(&format!("Scenario {name}: ")),
            "demo shows {name}"
        );
    }
    assert!(
        r.stdout.matches("✗ fail").count() >= 5,
        "the broken applications fail"
    );
    // The demo's secrets are the simulator's; none is printed.
    for name in kraken_doctor::demo::SCENARIOS {
        let s = kraken_doctor::sim::Scenario::builtin(name).unwrap();
        let sim = kraken_doctor::sim::Simulator::start(s).unwrap();
        let secret = sim.applications()[0].client_secret.expose().to_string();
        assert!(
            !r.stdout.contains(&secret) && !r.stderr.contains(&secret),
            "{name}'s secret leaked"
        );
    }
}

#[test]
fn json_and_junit_snapshots_for_a_healthy_and_a_broken_application() {
    for name in ["healthy", "missing-detailed-usage"] {
        let sim = sim(name);
        let prop = property_id(&sim);
        for format in ["json", "junit"] {
            let r = check(&sim, &["--format", format, "--property-id", &prop]);
            crate::snap!(format!("cli__{format}-{name}"), r.stdout);
        }
    }
}

#[test]
fn wait_for_grant_reprobes_until_the_permission_shows_and_says_how_long_it_took() {
    let sim = sim("missing-detailed-usage");
    let app = sim.applications().into_iter().next().unwrap();
    let prop = property_id(&sim);
    let args = [
        "check",
        "--auth-url",
        &sim.auth_url(),
        "--api-url",
        &sim.api_url(),
        "--client-id",
        &app.client_id,
        "--property-id",
        &prop,
        "--skip",
        "manual",
        "--format",
        "json",
        "--wait-for-grant",
        "60s",
    ];
    let secret = app.client_secret.expose().to_string();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let child = std::thread::spawn(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args, &[("KRAKEN_CLIENT_SECRET", &secret)], None)
    });
    // Grant the permission once the first run has seen it missing.
    let started = std::time::Instant::now();
    while sim.stats().graphql_requests < 4 && started.elapsed().as_secs() < 20 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // The first run's answers are in once its probes arrived; the re-run waits 2 s.
    std::thread::sleep(std::time::Duration::from_millis(1000));
    sim.set_permissions(
        &app.client_id,
        &["CAN_VIEW_DETAILED_USAGE", "CAN_QUERY_PROPERTY"],
    )
    .unwrap();
    let r = child.join().unwrap();
    assert_eq!(
        r.code, 0,
        "the permission showed within the wait: {}",
        r.stderr
    );
    assert!(
        r.stdout
            .contains("the permission change took effect after about"),
        "{}",
        r.stdout
    );
}

#[test]
fn help_states_the_exit_codes_and_the_default_limits() {
    let r = run(&["check", "--help"], &[], None);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("Exit codes: 0 nothing failed"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("--timeout <SECS>") && r.stdout.contains("[default: 10]"));
    assert!(r.stdout.contains("--run-timeout <SECS>") && r.stdout.contains("[default: 60]"));
    assert!(
        !r.stdout.contains("--client-secret <"),
        "the refused argv secret is not offered"
    );
}
