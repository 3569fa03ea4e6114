//! The commands as a user meets them: usage errors exit 2 with one line and send nothing;
//! `--only`/`--skip`, `-v`, `--output`, GitHub annotations, `token`, `list-checks`,
//! `completions`, `demo`, profiles with several targets.

use kraken_doctor::exit::Exit;

use crate::common::{Run, check, property_id, run, sim};

/// Arguments that point `check` at a simulator.
fn target(sim: &kraken_sim::Simulator) -> (String, String, String, String) {
    let app = sim.applications().into_iter().next().unwrap();
    (
        sim.auth_url(),
        sim.api_url(),
        app.client_id,
        app.client_secret.expose().to_string(),
    )
}

fn one_line_usage_error(run: &Run, needle: &str) {
    assert_eq!(
        run.code,
        2,
        "usage errors exit 2 ({needle}): {}",
        run.transcript()
    );
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
            vec!["check", "--auth-url", &auth, "--api-url", &api],
            vec![],
            "no client id and no client secret: give --client-id ID",
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
    assert_refused_before_any_request(&sim, cases);
}

/// Arguments, environment, and what the one line on stderr must say.
type Case<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, &'a str);

/// Each case exits 2 with one line on stderr containing its needle, never echoes the refused
/// argv secret, and sends no request to `sim`.
fn assert_refused_before_any_request(sim: &kraken_sim::Simulator, cases: Vec<Case>) {
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
            before.token_requests + before.graphql_requests + before.other_requests,
            after.token_requests + after.graphql_requests + after.other_requests,
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
fn token_needs_only_the_auth_server() {
    // Proves: `token` with --auth-url alone (no API URL) gets a token and asks the API
    // nothing; when it fails, its diagnosis names no API; the environment's auth URL serves
    // as well as the flag.
    for scenario in ["healthy", "rotated-secret"] {
        let sim = sim(scenario);
        let (auth, _api, id, secret) = target(&sim);
        let env = [("KRAKEN_CLIENT_SECRET", secret.as_str())];
        let before = sim.stats();
        let r = run(
            &[
                "token",
                "--auth-url",
                &auth,
                "--client-id",
                &id,
                "--color",
                "never",
            ],
            &env,
            None,
        );
        let after = sim.stats();
        assert_eq!(
            before.graphql_requests, after.graphql_requests,
            "token asks the API nothing"
        );
        assert!(after.token_requests > before.token_requests);
        if scenario == "healthy" {
            assert_eq!(r.code, 0, "{}", r.transcript());
            assert!(sim.issued_tokens().iter().any(|t| t == r.stdout.trim()));
        } else {
            assert_eq!(r.code, 1, "{}", r.transcript());
            assert!(r.stderr.contains("invalid_client"), "{}", r.stderr);
            assert!(!r.stderr.contains("api "), "no API line: {}", r.stderr);
            assert!(!r.stderr.contains(&secret));
        }
        let from_env = run(
            &["token", "--client-id", &id],
            &[
                ("KRAKEN_CLIENT_SECRET", &secret),
                ("KRAKEN_AUTH_URL", &auth),
            ],
            None,
        );
        assert_eq!(from_env.code, r.code, "{}", from_env.transcript());
    }
    // `check` still needs the API.
    let r = run(
        &[
            "check",
            "--auth-url",
            "http://127.0.0.1:9",
            "--client-id",
            "x",
        ],
        &[("KRAKEN_CLIENT_SECRET", "s")],
        None,
    );
    one_line_usage_error(&r, "no API URL");
}

/// `args` is refused with exit 2, nothing on stdout, and stderr carrying each of `says`.
fn refused_with(args: &[&str], says: &[&str]) -> Run {
    let r = run(args, &[("KRAKEN_CLIENT_SECRET", "hunter2")], None);
    assert_eq!(r.code, 2, "{args:?}: {}", r.transcript());
    assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
    for s in says {
        assert!(r.stderr.contains(s), "{args:?} says {s:?}: {}", r.stderr);
    }
    r
}

#[test]
fn every_closed_set_says_did_you_mean() {
    // Proves: a near miss in each closed set — flags, presets, check ids and groups, formats,
    // scenarios, commands — is refused (exit 2, nothing sent) with the name meant.
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["check", "--kraken", "edfgb", "--client-id", "x"],
            &["unknown Kraken preset 'edfgb'", "did you mean 'edf-gb'?"],
        ),
        (
            &["token", "--kraken", "octopus", "--client-id", "x"],
            &["did you mean 'octopus-gb'?"],
        ),
        (
            &[
                "check",
                "--kraken",
                "edf-gb",
                "--client-id",
                "x",
                "--only",
                "perm.exakt",
            ],
            &["unknown check id 'perm.exakt'", "did you mean 'perm.exact'"],
        ),
        (
            &[
                "check",
                "--kraken",
                "edf-gb",
                "--client-id",
                "x",
                "--skip",
                "manaul",
            ],
            &["did you mean 'manual'"],
        ),
        (
            &["sim", "--scenario", "healty"],
            &["did you mean 'healthy'?"],
        ),
        (
            &["sim", "--print-scenario", "rotated"],
            &["did you mean 'rotated-secret'?"],
        ),
        (
            &["check", "--format", "jsno"],
            &["similar value exists: 'json'"],
        ),
        (
            &["check", "--format", "JSON"],
            &["similar value exists: 'json'"],
        ),
        (
            &["check", "--format", "xml"],
            &["similar value exists: 'junit'"],
        ),
        (
            &["token", "--format", "headers"],
            &["similar value exists: 'header'"],
        ),
        (&["completions", "bsh"], &["similar value exists: 'bash'"]),
        (&["chek"], &["similar subcommand exists: 'check'"]),
        (
            &["check", "--suply-point", "1"],
            &["similar argument exists: '--supply-point'"],
        ),
    ];
    for (args, says) in cases {
        refused_with(args, says);
    }
}

#[test]
fn flags_other_tools_spell_otherwise_get_ours() {
    // Proves: --mpan, --nmi, --account, --preset ... are answered with this tool's flag — one
    // the command typed has, or the commands that have it — and --client-secret or --secret
    // with the secret's three ways, never echoing the value and never offering a secret flag.
    refused_with(
        &["check", "--mpan", "1200012345678"],
        &["--mpan is spelled --supply-point"],
    );
    refused_with(
        &["guide", "--nmi=6123456789"],
        &["--nmi is spelled --supply-point"],
    );
    refused_with(
        &["check", "--account", "A-1"],
        &["--account is spelled --property-id"],
    );
    refused_with(
        &["token", "--preset", "edf-gb"],
        &["--preset is spelled --kraken"],
    );
    refused_with(
        &["check", "--sandbox"],
        &["--sandbox is spelled --test-env"],
    );
    refused_with(
        &["token", "--mprn", "1"],
        &["--supply-point here, a flag of check and guide (not of token)"],
    );
    for args in [
        &["check", "--client-secret", "hunter2"][..],
        &["token", "--client-secret=hunter2"],
        &["guide", "--secret", "hunter2"],
    ] {
        let r = refused_with(
            args,
            &[
                "visible to every process",
                "KRAKEN_CLIENT_SECRET",
                "--client-secret-file PATH",
                "--client-secret-stdin",
            ],
        );
        assert!(!r.stderr.contains("hunter2"), "{args:?} echoed the secret");
    }
}

#[test]
fn clap_suggests_a_near_flag_on_every_command() {
    // Proves: on every command, every long flag mistyped by one transposition is refused with
    // that flag suggested (clap's own suggestion, kept on everywhere).

    let cli = kraken_doctor::commands::cli_command();
    let mut tried = 0;
    for sub in cli.get_subcommands() {
        for long in sub
            .get_arguments()
            .filter(|a| !a.is_hide_set())
            .filter_map(|a| a.get_long())
            .filter(|l| l.len() >= 5)
        {
            // Swap two letters in the middle: `--fromat` for `--format`.
            let mut chars: Vec<char> = long.chars().collect();
            let at = chars.len() / 2;
            if chars[at - 1] == chars[at] {
                continue;
            }
            chars.swap(at - 1, at);
            let typo: String = chars.into_iter().collect();
            let err = kraken_doctor::commands::parse([
                "kraken-doctor",
                sub.get_name(),
                &format!("--{typo}"),
            ])
            .expect_err("a mistyped flag is refused");
            let text = err.render().to_string();
            assert!(
                text.contains(&format!("similar argument exists: '--{long}'")),
                "{} --{typo}: {text}",
                sub.get_name()
            );
            tried += 1;
        }
    }
    assert!(tried > 30, "{tried}");
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
    // Validated as a user would: the schema file alone, no registry of the single one.
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("../../schemas/report-multi-v1.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the multi schema compiles alone");
    let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let reports = v["reports"].as_array().expect("one report per target");
    assert_eq!(reports.len(), 2);
    let outcomes: Vec<&str> = reports[0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["outcome"].as_str().unwrap())
        .collect();
    assert!(
        outcomes.contains(&"denied") || outcomes.contains(&"not-listed"),
        "the outcome that fired travels with each check: {outcomes:?}"
    );
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
        let s = kraken_sim::Scenario::builtin(name).unwrap();
        let sim = kraken_sim::Simulator::start(s).unwrap();
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
    // Proves: --help lists each exit code a command can end with, from `Exit`, and the limits.
    let r = run(&["check", "--help"], &[], None);
    assert_eq!(r.code, 0);
    for e in Exit::CHECK {
        let line = format!("  {}  {}", e.code(), e.meaning());
        assert!(r.stdout.contains(&line), "check --help says '{line}'");
    }
    assert!(!r.stdout.contains(Exit::Unfinished.meaning()));
    assert!(r.stdout.contains("--timeout <SECS>") && r.stdout.contains("[default: 10]"));
    assert!(r.stdout.contains("--run-timeout <SECS>") && r.stdout.contains("[default: 60]"));
    assert!(
        r.stdout.contains("0.001 to 3600"),
        "the real range is stated"
    );
    assert!(
        !r.stdout.contains("--client-secret <"),
        "the refused argv secret is not offered"
    );
    let guide = run(&["guide", "--help"], &[], None);
    for e in Exit::GUIDE {
        assert!(
            guide
                .stdout
                .contains(&format!("  {}  {}", e.code(), e.meaning_for("guide")))
        );
    }
    let top = run(&["--help"], &[], None);
    assert!(
        top.stdout
            .contains(&format!("  4  {}", Exit::Unfinished.meaning()))
    );
}

#[test]
fn each_command_offers_only_the_flags_it_uses() {
    // Proves: `token` and `guide` work on one application, so their help has no
    // --all-profiles or --jobs; `check` has them; a repeated --profile is a parse error there.
    let check = run(&["check", "--help"], &[], None);
    for flag in [
        "--all-profiles",
        "--jobs",
        "--profile",
        "--only",
        "--output",
    ] {
        assert!(check.stdout.contains(flag), "check --help lists {flag}");
    }
    for command in ["token", "guide"] {
        let r = run(&[command, "--help"], &[], None);
        assert_eq!(r.code, 0);
        assert!(r.stdout.contains("--profile <NAME>"), "{command}");
        for flag in ["--all-profiles", "--jobs", "--only", "--output"] {
            assert!(!r.stdout.contains(flag), "{command} --help lists {flag}");
        }
        let r = run(&[command, "--profile", "a", "--profile", "b"], &[], None);
        assert_eq!(r.code, 2, "{command}: {}", r.stderr);
    }
    let token = run(&["token", "--help"], &[], None);
    assert!(
        !token.stdout.contains("--property-id"),
        "token reads no data"
    );
}

#[test]
fn conflicting_flags_and_limits_exit_2_with_one_line_and_send_no_request() {
    // Proves: every combination that cannot mean what the user wants, and every number or
    // duration out of range, is refused before the first request, in one line naming it.
    let sim = sim("healthy");
    let (auth, api, id, secret) = target(&sim);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let secret_file = dir.path().join("secret");
    std::fs::write(&secret_file, &secret).unwrap();
    let mut profiles = String::new();
    for name in ["a", "b"] {
        profiles.push_str(&format!(
            "[profiles.{name}]\nauth_url = \"{auth}\"\napi_url = \"{api}\"\nclient_id = \"{id}\"\n\
             client_secret_file = \"{}\"\n\n",
            secret_file.display()
        ));
    }
    std::fs::write(&config, profiles).unwrap();
    let config = config.to_str().unwrap();
    let dir_slash = format!("{}/", dir.path().display());
    let dir_plain = dir.path().to_str().unwrap();
    let same = dir.path().join("same.md");
    let same = same.to_str().unwrap();
    let with_secret = vec![("KRAKEN_CLIENT_SECRET", secret.as_str())];
    let with_preset = vec![
        ("KRAKEN_CLIENT_SECRET", secret.as_str()),
        ("KRAKEN_PRESET", "oeus"),
    ];
    let none = vec![];
    let at_sim = [
        "check",
        "--auth-url",
        &auth,
        "--api-url",
        &api,
        "--client-id",
        &id,
    ];
    let sim_and = |extra: &[&'static str]| [&at_sim[..], extra].concat();
    let mut cases: Vec<Case> = vec![
        (
            vec![
                "check",
                "--kraken",
                "edf-gb",
                "--auth-url",
                &auth,
                "--client-id",
                &id,
            ],
            with_secret.clone(),
            "--kraken edf-gb means auth.edfgb-kraken.energy, but --auth-url",
        ),
        (
            vec!["check", "--api-url", &api, "--client-id", &id],
            with_preset,
            "KRAKEN_PRESET=oeus means api.oeus-kraken.energy, but --api-url",
        ),
        (
            vec![
                "token",
                "--kraken",
                "edf-gb",
                "--auth-url",
                &auth,
                "--client-id",
                &id,
            ],
            with_secret.clone(),
            "is another host",
        ),
        (
            sim_and(&["--test-env"]),
            with_secret.clone(),
            "--test-env needs a preset",
        ),
        (
            [
                "check",
                "--auth-url",
                &auth,
                "--api-url",
                "https://api.edfgb-kraken.energy",
            ]
            .to_vec(),
            with_secret.clone(),
            "is this machine (loopback), the API URL's host api.edfgb-kraken.energy is \
             edfgb-kraken.energy (production)",
        ),
        (
            vec![
                "check",
                "--auth-url",
                "https://auth.edfgb-kraken.systems",
                "--api-url",
                "https://api.edfgb-kraken.energy",
            ],
            with_secret.clone(),
            "is edfgb-kraken.systems (test environment), the API URL's host \
             api.edfgb-kraken.energy is edfgb-kraken.energy (production)",
        ),
        (
            vec![
                "check",
                "--config",
                config,
                "--all-profiles",
                "--profile",
                "a",
            ],
            none.clone(),
            "give --profile NAME or --all-profiles, not both",
        ),
        (
            vec!["check", "--config", config],
            none.clone(),
            "has 2 profiles (a, b); choose with --profile NAME",
        ),
        (
            vec![
                "check",
                "--config",
                config,
                "--all-profiles",
                "--client-id",
                "x",
            ],
            none.clone(),
            "--client-id is for one application, but 2 profiles are checked",
        ),
        (
            vec!["check", "--config", config, "--all-profiles"],
            with_secret.clone(),
            "KRAKEN_CLIENT_SECRET is set, but 2 profiles are checked",
        ),
        (
            sim_and(&["--property-id", "1", "--supply-point", "2"]),
            with_secret.clone(),
            "give --property-id or --supply-point, not both",
        ),
        (
            sim_and(&["--market-name", "GBR_GAS"]),
            with_secret.clone(),
            "--market-name applies only to a supply point",
        ),
        (
            sim_and(&["--only", "auth", "--wait-for-grant", "1m"]),
            with_secret.clone(),
            "--wait-for-grant waits for a permission check",
        ),
        (
            [&at_sim[..], &["--output", &dir_slash]].concat(),
            with_secret.clone(),
            "is a directory",
        ),
        (
            [&at_sim[..], &["--support-report", dir_plain]].concat(),
            with_secret.clone(),
            "--support-report",
        ),
        (
            [&at_sim[..], &["--output", same, "--support-report", same]].concat(),
            with_secret.clone(),
            "--output and --support-report name the same file",
        ),
        (
            vec![
                "guide",
                "--auth-url",
                &auth,
                "--api-url",
                &api,
                "--handover",
                dir_plain,
            ],
            none.clone(),
            "--handover",
        ),
        (
            vec![
                "guide",
                "--auth-url",
                &auth,
                "--api-url",
                &api,
                "--client-secret-stdin",
            ],
            none.clone(),
            "--client-secret-stdin needs --answers FILE",
        ),
    ];
    // Numbers and durations: the real range, the input echoed as typed.
    let limits = [
        (
            "--timeout",
            "0",
            "--timeout must be between 0.001 and 3600 seconds, got 0",
        ),
        (
            "--timeout",
            "18446744073709551615",
            "--timeout must be between 0.001 and 3600 seconds, got 18446744073709551615",
        ),
        (
            "--run-timeout",
            "ten",
            "--run-timeout 'ten' is not a number of seconds",
        ),
        (
            "--retries",
            "99999999999",
            "--retries must be between 0 and 10, got 99999999999",
        ),
        ("--jobs", "0", "--jobs must be between 1 and 256, got 0"),
        (
            "--wait-for-grant",
            "100000000h",
            "--wait-for-grant must be at most 24h, got 100000000h",
        ),
        (
            "--wait-for-grant",
            "0s",
            "--wait-for-grant must be at least 1s, got 0s",
        ),
        (
            "--wait-for-grant",
            "soon",
            "--wait-for-grant 'soon' is not a duration",
        ),
    ];
    cases.extend(
        limits
            .into_iter()
            .map(|(flag, value, needle)| (sim_and(&[flag, value]), with_secret.clone(), needle)),
    );
    assert_refused_before_any_request(&sim, cases);
    assert!(!std::path::Path::new(same).exists(), "nothing was written");
}

#[test]
fn a_preset_with_a_url_on_its_own_host_is_allowed() {
    // Proves: the override the refusal leaves open resolves. `--only manual` sends nothing,
    // so this runs offline against the real hosts' names.
    let r = run(
        &[
            "check",
            "--kraken",
            "edf-gb",
            "--auth-url",
            "https://auth.edfgb-kraken.energy/",
            "--client-id",
            "id",
            "--only",
            "manual",
            "--format",
            "json",
        ],
        &[("KRAKEN_CLIENT_SECRET", "s")],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["target"]["api_url"],
        "https://api.edfgb-kraken.energy/v1/graphql/"
    );
}

#[test]
fn usage_errors_under_github_actions_are_annotated() {
    // Proves: in a workflow a refusal also shows as an `::error` annotation (stderr), for our
    // own refusals and for clap's.
    let r = run(
        &[
            "check",
            "--kraken",
            "edf-gb",
            "--test-env",
            "--auth-url",
            "http://127.0.0.1:1",
        ],
        &[("GITHUB_ACTIONS", "true")],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stderr);
    assert!(lines[0].starts_with("kraken-doctor: --kraken edf-gb with --test-env means"));
    assert!(
        lines[1].starts_with("::error title=kraken-doctor usage error::--kraken edf-gb"),
        "{}",
        lines[1]
    );
    let r = run(
        &["check", "--format", "yaml"],
        &[("GITHUB_ACTIONS", "true")],
        None,
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .lines()
            .any(|l| l.starts_with("::error title=kraken-doctor usage error::invalid value 'yaml'")),
        "{}",
        r.stderr
    );
    let r = run(&["check", "--format", "yaml"], &[], None);
    assert!(!r.stderr.contains("::error"), "only under GITHUB_ACTIONS");
}

#[test]
fn completions_offer_presets_check_ids_groups_and_formats() {
    // Proves: the bash script completes --kraken, --only/--skip and --format with their values
    // (from the preset and check registries), not with file names.
    let r = run(&["completions", "bash"], &[], None);
    assert_eq!(r.code, 0);
    let script = &r.stdout;
    let words_after = |flag: &str| -> Vec<String> {
        // clap_complete writes `--flag)\n COMPREPLY=($(compgen -W "a b c" ...`.
        let at = script
            .find(&format!("{flag})"))
            .unwrap_or_else(|| panic!("{flag} has a completion case"));
        let rest = &script[at..];
        let line = rest.lines().nth(1).unwrap();
        let words = line
            .split("compgen -W \"")
            .nth(1)
            .unwrap_or_else(|| panic!("{flag} completes words, not files: {line}"));
        words[..words.find('"').unwrap()]
            .split(' ')
            .map(String::from)
            .collect()
    };
    let presets = words_after("--kraken");
    for p in kraken_doctor::kraken::model::PRESETS {
        assert!(presets.contains(&p.name.to_string()), "{}", p.name);
    }
    for flag in ["--only", "--skip"] {
        let ids = words_after(flag);
        for id in kraken_doctor::checks::ids() {
            assert!(ids.contains(&id.to_string()), "{flag} offers {id}");
        }
        for group in ["auth", "api", "perm", "data", "manual"] {
            assert!(ids.contains(&group.to_string()), "{flag} offers {group}");
        }
    }
    assert_eq!(
        words_after("--format"),
        kraken_doctor::report::ReportFormat::ALL.map(|f| f.name())
    );
}

#[test]
fn version_names_the_commit_and_the_target() {
    // Proves: `--version` says which build this is: version, commit (or "unknown commit"
    // without git) and target triple.
    let r = run(&["--version"], &[], None);
    assert_eq!(r.code, 0);
    let line = r.stdout.trim();
    let rest = line
        .strip_prefix(&format!("kraken-doctor {} (", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{line}"));
    let inside = rest.strip_suffix(')').unwrap();
    let (commit, target) = inside.rsplit_once(' ').unwrap();
    assert!(
        commit == "unknown commit"
            || (commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit())),
        "{line}"
    );
    assert!(target.split('-').count() >= 3, "a target triple: {line}");
}

#[test]
fn man_renders_the_overview_and_each_commands_page() {
    // Proves: `man` prints a roff page with a subsection for every command, `man check` the
    // check page with its flags, and an unknown command is refused in one line.
    let r = run(&["man"], &[], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with(".ie \\n(.g .ds Aq") || r.stdout.contains(".TH kraken-doctor 1"));
    assert!(
        r.stdout.contains(".TH kraken-doctor 1"),
        "{}",
        &r.stdout[..200]
    );
    use clap::CommandFactory;
    for sub in kraken_doctor::cli::Cli::command().get_subcommands() {
        let name = sub.get_name();
        if name == "help" {
            continue;
        }
        assert!(
            r.stdout.contains(&format!(".SS \"kraken-doctor {name}\"")),
            "the overview has a subsection for {name}"
        );
    }
    let check = run(&["man", "check"], &[], None);
    assert!(
        check.stdout.contains(".TH kraken-doctor-check 1"),
        "{}",
        &check.stdout[..200]
    );
    assert!(check.stdout.contains("\\-\\-wait\\-for\\-grant"));
    one_line_usage_error(
        &run(&["man", "nope"], &[], None),
        "no command 'nope'; commands: check",
    );
}

#[test]
fn readme_exit_code_table_is_exit_all() {
    // Proves: the README's exit-code table has one row per `Exit`, with its meaning.
    let readme = include_str!("../../README.md");
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|l| !l.starts_with("| exit code | meaning |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    let rows: Vec<String> = Exit::ALL
        .iter()
        .map(|e| format!("| {} | {} |", e.code(), e.meaning()))
        .collect();
    let table: Vec<String> = table.iter().map(|l| l.replace('`', "")).collect();
    assert_eq!(table, rows);
}

#[test]
fn readme_flags_table_names_every_flag_of_check_and_token() {
    // Proves: the README's flag table keeps up with `check --help` and `token --help`.
    use clap::CommandFactory;
    let readme = include_str!("../../README.md");
    let section = &readme[readme.find("## Flags").expect("a flags section")..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |i| i + 3)];
    let cli = kraken_doctor::cli::Cli::command();
    for command in ["check", "token"] {
        let sub = cli.find_subcommand(command).unwrap();
        for arg in sub.get_arguments().filter(|a| !a.is_hide_set()) {
            let Some(long) = arg.get_long() else { continue };
            if long == "help" {
                continue;
            }
            let flag = format!("--{long}");
            let named = section.match_indices(&flag).any(|(i, _)| {
                !section[i + flag.len()..]
                    .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '-')
            });
            assert!(named, "README's flags table names {flag} ({command})");
        }
    }
}

#[test]
fn a_mistyped_supply_point_is_refused_before_any_request() {
    // Proves: a GB MPAN whose check digit is wrong, an NMI whose checksum is wrong, and a GB
    // Kraken given something that is no MPAN or MPRN exit 2 with the reason, sending nothing.
    let sim = sim("healthy");
    let (auth, api, id, secret) = target(&sim);
    let env = vec![("KRAKEN_CLIENT_SECRET", secret.as_str())];
    let base = |sp: &'static str| {
        vec![
            "check",
            "--auth-url",
            auth.as_str(),
            "--api-url",
            api.as_str(),
            "--client-id",
            id.as_str(),
            "--supply-point",
            sp,
        ]
    };
    assert_refused_before_any_request(
        &sim,
        vec![
            (
                base("1200012345678"),
                env.clone(),
                "not a valid GB MPAN (the check digit of 120001234567 is 9, not 8)",
            ),
            (
                base("QAAAVZZZZZ4"),
                env.clone(),
                "the checksum of QAAAVZZZZZ is 3, not 4",
            ),
            // Custom URLs with a market given are checked as a preset of that territory is.
            (
                [base("12AB"), vec!["--market-name", "GBR_ELECTRICITY"]].concat(),
                env.clone(),
                "not a GB MPAN (13 digits) or MPRN (6 to 10 digits)",
            ),
            (
                [base("9876543210"), vec!["--market-name", "GBR_ELECTRICITY"]].concat(),
                env.clone(),
                "with --market-name GBR_ELECTRICITY, give the 13-digit MPAN core, or \
                 --market-name GBR_GAS for this MPRN",
            ),
        ],
    );
    let gb = run(
        &[
            "check",
            "--kraken",
            "edf-gb",
            "--client-id",
            "x",
            "--supply-point",
            "12AB",
        ],
        &env,
        None,
    );
    one_line_usage_error(&gb, "not a GB MPAN (13 digits) or MPRN (6 to 10 digits)");
}
