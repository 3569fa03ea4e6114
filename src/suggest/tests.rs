use super::*;

// Lists shaped as the registries' (the integration tests use the registries themselves).
fn preset_names() -> Vec<&'static str> {
    vec![
        "octopus-gb",
        "oeg",
        "oefr",
        "oejp",
        "edf-gb",
        "origin",
        "oeus",
        "eonnext",
    ]
}

fn scenario_names() -> Vec<&'static str> {
    vec![
        "healthy",
        "rotated-secret",
        "unknown-client",
        "no-role",
        "slow-auth",
    ]
}

fn check_ids_and_groups() -> Vec<&'static str> {
    vec![
        "auth",
        "api",
        "perm",
        "data",
        "manual",
        "auth.reachable",
        "auth.token",
        "auth.token-lifetime",
        "api.token-accepted",
        "perm.can-query-property",
        "perm.can-view-detailed-usage",
        "perm.exact",
        "data.measurements",
    ]
}

#[test]
fn each_closed_set_suggests_its_nearest_names() {
    let cases: [(&str, Vec<&str>, &str); 10] = [
        ("edfgb", preset_names(), "edf-gb"),
        ("EDF_GB ", preset_names(), "edf-gb"),
        ("octopus", preset_names(), "octopus-gb"),
        ("healty", scenario_names(), "healthy"),
        ("rotated", scenario_names(), "rotated-secret"),
        ("perm.exakt", check_ids_and_groups(), "perm.exact"),
        (
            "perm.exact-permissions",
            check_ids_and_groups(),
            "perm.exact",
        ),
        ("permissions", check_ids_and_groups(), "perm"),
        ("auth.tokn", check_ids_and_groups(), "auth.token"),
        ("jsno", vec!["human", "json", "junit", "markdown"], "json"),
    ];
    for (typed, names, meant) in cases {
        let near = nearest(typed, names.iter().copied());
        assert_eq!(near.first(), Some(&meant), "{typed}: {near:?}");
        assert!(near.len() <= MAX_SUGGESTIONS);
    }
}

#[test]
fn values_spelled_otherwise_or_in_another_case_find_ours() {
    let formats = ["human", "json", "junit", "markdown", "openmetrics"];
    for (typed, ours) in [
        ("JSON", "json"),
        ("xml", "junit"),
        ("Prometheus", "openmetrics"),
        ("md", "markdown"),
        ("jsno", "json"),
    ] {
        assert_eq!(
            value_meant(typed, formats).as_deref(),
            Some(ours),
            "{typed}"
        );
    }
    // A synonym is offered only when its value is one of this flag's.
    assert_eq!(value_meant("xml", ["raw", "header", "json"]), None);
    assert_eq!(value_meant("yaml", formats), None);
}

#[test]
fn nothing_near_suggests_nothing() {
    assert!(nearest("zzzzzzzz", preset_names()).is_empty());
    assert!(nearest("", preset_names()).is_empty());
    assert_eq!(did_you_mean("qqqqqq", scenario_names()), "");
    // The name itself is not a suggestion of itself.
    assert!(!nearest("healthy", scenario_names()).contains(&"healthy"));
}

#[test]
fn did_you_mean_lists_at_most_three() {
    assert_eq!(
        did_you_mean("edfgb", preset_names()),
        " (did you mean 'edf-gb'?)"
    );
    assert_eq!(
        did_you_mean("ab", ["ab1", "ab2", "ab3", "ab4"]),
        " (did you mean 'ab1', 'ab2' or 'ab3'?)"
    );
    assert_eq!(
        did_you_mean("ab", ["ab1", "ab2"]),
        " (did you mean 'ab1' or 'ab2'?)"
    );
}

fn commands() -> Vec<(&'static str, Vec<String>)> {
    vec![
        ("check", vec!["--supply-point".into(), "--kraken".into()]),
        ("guide", vec!["--supply-point".into()]),
        ("token", vec!["--kraken".into()]),
    ]
}

#[test]
fn flags_spelled_otherwise_point_at_ours() {
    let tip = spelled_otherwise("--mpan", Some("check"), &commands()).unwrap();
    assert!(tip.contains("--supply-point"), "{tip}");
    let tip = spelled_otherwise("--NMI=6123456789", Some("check"), &commands()).unwrap();
    assert!(tip.starts_with("--NMI is spelled --supply-point"), "{tip}");
    assert!(!tip.contains("6123456789"), "{tip}");
    // A flag the command lacks: the tip names the commands that have it.
    let tip = spelled_otherwise("--mprn", Some("token"), &commands()).unwrap();
    assert!(
        tip.contains("a flag of check and guide (not of token)"),
        "{tip}"
    );
    assert!(spelled_otherwise("--frobnicate", Some("check"), &commands()).is_none());
}

#[test]
fn a_secret_flag_is_never_offered_a_flag_for_the_secret() {
    for typed in [
        "--client-secret",
        "--secret=hunter2",
        "--password",
        "--api-key",
    ] {
        let tip = spelled_otherwise(typed, Some("check"), &commands()).unwrap();
        assert!(tip.contains("KRAKEN_CLIENT_SECRET"), "{tip}");
        assert!(tip.contains("--client-secret-file PATH"), "{tip}");
        assert!(tip.contains("--client-secret-stdin"), "{tip}");
        assert!(!tip.contains("hunter2"), "{tip}");
        assert!(!tip.contains("--client-secret "), "{tip}");
    }
}
