use super::*;

#[test]
fn every_check_file_loads_and_is_complete() {
    let all = all();
    assert_eq!(all.len(), FILES.len());
    assert!(
        all.windows(2).all(|w| w[0].order < w[1].order),
        "every check has its own `order`"
    );
    for ((file_id, _), spec) in FILES.iter().zip(all) {
        assert_eq!(*file_id, spec.id.as_str(), "file name and id agree");
        assert!(!spec.title.is_empty());
        assert!(!spec.outcome.is_empty(), "{}", spec.id);
        for (name, o) in &spec.outcome {
            let needs_fix = matches!(
                o.status,
                Status::Fail | Status::Error | Status::Warn | Status::Manual
            );
            assert!(
                !needs_fix
                    || o.remediation
                        .as_deref()
                        .is_some_and(|r| !r.trim().is_empty()),
                "{}:{name}: every non-pass outcome carries a remediation (the JSON schema requires it)",
                spec.id
            );
            for text in std::iter::once(&o.summary).chain(o.remediation.as_ref()) {
                for p in placeholders(text) {
                    assert!(
                        KNOWN_VARS.contains(&p),
                        "{}:{name}: unknown placeholder {{{p}}}",
                        spec.id
                    );
                }
            }
        }
    }
}

/// Every undecided outcome names what would decide it, in a closed kind and in its words;
/// "run again" is said only where a transient fault is all that stood in the way.
#[test]
fn every_undecided_outcome_names_what_would_decide_it() {
    for spec in all() {
        for (name, o) in &spec.outcome {
            let at = format!("checks/{}.toml [outcome.{name}]", spec.id);
            let words = format!("{} {}", o.summary, o.remediation.as_deref().unwrap_or(""));
            match (o.status, o.decided_by) {
                (Status::Pass, Some(_)) => panic!("{at}: a pass leaves nothing to decide"),
                (Status::Error | Status::Warn, None) => {
                    panic!(
                        "{at}: an {:?} outcome names no decider (decided_by)",
                        o.status
                    )
                }
                (Status::Error, Some(Decider::Answers)) => {
                    panic!("{at}: an error is undecided, so the answers did not decide it")
                }
                _ => {}
            }
            let Some(d) = o.decided_by else { continue };
            let named = d.named_by();
            assert!(
                named.is_empty()
                    || named
                        .iter()
                        .any(|w| words.to_ascii_lowercase().contains(&w.to_ascii_lowercase())),
                "{at}: decided by {d:?}, but its words name none of {named:?}: {words}"
            );
            assert_eq!(
                says_run_again(&words),
                d == Decider::Transient,
                "{at}: \"run again\" is for transient faults only, and a transient fault says it: {words}"
            );
        }
    }
}

#[test]
fn run_again_is_told_apart_from_re_running_with_an_input() {
    assert!(says_run_again("Run again; -v shows each request."));
    assert!(says_run_again("Try again later."));
    assert!(says_run_again("Re-run it in a minute."));
    assert!(!says_run_again(
        "Re-run with --property-id ID of a property."
    ));
    assert!(!says_run_again(
        "--timeout and --retries adjust the patience."
    ));
}

#[test]
fn every_outcome_that_needs_a_fix_names_its_causes_in_the_managers_words() {
    let mut used = std::collections::BTreeSet::new();
    for spec in all() {
        for (name, o) in &spec.outcome {
            let needs_words = matches!(o.status, Status::Fail | Status::Error | Status::Warn);
            assert!(
                !needs_words || !o.causes.is_empty(),
                "{}:{name}: a {} outcome names its causes (checks/steps.toml)",
                spec.id,
                o.status
            );
            for cause in &o.causes {
                assert!(
                    steps::cause(cause).is_some(),
                    "{}:{name}: no [cause.{cause}] in checks/steps.toml",
                    spec.id
                );
                used.insert(cause.as_str());
            }
        }
    }
    let ids = ids();
    for name in steps::cause_names() {
        assert!(used.contains(name), "[cause.{name}] is named by no outcome");
        let case = steps::cause(name).unwrap();
        for text in [&case.cause, &case.fix] {
            assert!(!text.trim().is_empty(), "{name}");
            // What an OAuth manager reads: pages, fields, steps; never a flag, a check
            // id, a command or GraphQL.
            assert!(!text.contains("--"), "{name}: a flag in {text:?}");
            assert!(!text.contains('`'), "{name}: code in {text:?}");
            assert!(
                !text.contains("kraken-doctor "),
                "{name}: a command in {text:?}"
            );
            for id in &ids {
                assert!(!text.contains(id), "{name}: check id {id} in {text:?}");
            }
            for p in placeholders(text) {
                assert!(KNOWN_VARS.contains(&p), "{name}: unknown {{{p}}}");
            }
        }
    }
}

#[test]
fn a_result_carries_its_outcome_and_exactly_that_outcomes_causes() {
    let spec = get("auth.token").unwrap();
    let r = spec.result("invalid-client", &Vars::new(), Evidence::default(), 0);
    assert_eq!(r.outcome, "invalid-client");
    let first: Vec<&str> = r.causes.iter().map(|c| c.cause.as_str()).collect();
    assert_eq!(first.len(), 3);
    assert!(
        first[0].contains("pasted"),
        "mis-pasted comes first: {first:?}"
    );
    let mut v = Vars::new();
    v.insert("extras", "CAN_VIEW_BILLS".into());
    let r = get("perm.exact")
        .unwrap()
        .result("extra", &v, Evidence::default(), 0);
    assert_eq!(r.causes.len(), 1);
    assert!(
        r.causes[0].fix.contains("remove CAN_VIEW_BILLS from"),
        "{:?}",
        r.causes
    );
    assert!(
        get("perm.exact")
            .unwrap()
            .result("pass", &v, Evidence::default(), 0)
            .causes
            .is_empty()
    );
}

#[test]
fn selection_by_id_group_and_skip() {
    let s = Selection::new(&["auth".into()], &["auth.methods".into()]).unwrap();
    assert!(
        s.has(CheckId::AuthToken) && !s.has(CheckId::AuthMethods) && !s.has(CheckId::PermExact)
    );
    let dotted = Selection::new(&["perm.".into(), "auth.token".into()], &[]).unwrap();
    assert_eq!(
        dotted.ids(),
        [
            CheckId::AuthToken,
            CheckId::PermCanQueryProperty,
            CheckId::PermCanViewDetailedUsage,
            CheckId::PermExact
        ]
    );
    assert!(Selection::new(&["perm.can".into()], &[]).is_err());
    let e = Selection::new(&["auth.nope".into()], &[]).unwrap_err();
    assert!(e.contains("unknown check id 'auth.nope'") && e.contains("perm.exact"));
    assert_eq!(Selection::new(&[], &[]).unwrap().ids().len(), FILES.len());
}

#[test]
fn fill_replaces_known_and_keeps_unknown() {
    let mut v = Vars::new();
    v.insert("code", "KT-CT-1111".into());
    assert_eq!(fill("got {code} {other}", &v), "got KT-CT-1111 {other}");
}

#[test]
fn a_check_is_named_with_the_steps_that_cover_it_as_a_sentence_cites_them() {
    let titled = |id: &str| {
        let spec = get(id).expect("a check");
        spec.titled(&spec.title)
    };
    assert_eq!(
        titled("perm.exact"),
        "Role carries no extra permission (step 12)"
    );
    assert_eq!(
        titled("manual.secret-handover"),
        "Secret handed over securely (step 10–11)"
    );
    assert_eq!(
        titled("auth.reachable"),
        get("auth.reachable").expect("a check").title
    );
    for spec in all() {
        let t = spec.titled(&spec.title);
        assert!(
            !t.contains('–') || t.contains("step 10–11"),
            "{t}: no dash for no step"
        );
        assert!(
            !t.contains("steps") || t.contains(", "),
            "{t}: 'steps' only for several"
        );
    }
}
