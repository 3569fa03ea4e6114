//! Unit tests of `explain`: every registry code, OAuth error and check explained; every
//! reference in the advice resolves; the text stays within 80 columns.

use super::*;

fn text(input: &str) -> String {
    explain(input).expect(input).render(false)
}

#[test]
fn advice_files_parse() {
    let data = Data::load().expect("advice files parse");
    assert!(!data.cases.is_empty() && !data.codes.is_empty() && !data.oauth.is_empty());
}

#[test]
fn registry_only_code_gets_the_registry_facts_and_its_type_note() {
    // KT-CT-9912 is a NOT_FOUND code of no concern to a measurements app: facts only.
    let e = explain("KT-CT-9912").unwrap();
    assert_eq!(e.kind, Kind::KrakenCode);
    assert!(e.cases.is_empty() && e.note.is_none());
    let out = e.render(false);
    assert!(out.starts_with("KT-CT-9912: Required context entity not found.\n"));
    assert!(out.contains("Type:         NOT_FOUND"));
    assert!(out.contains("Description:  An entity required"));
    assert!(!out.contains("Likely cause"));
    // Another AUTHORIZATION code points to the one a third-party app meets.
    let other = explain("KT-CT-3822").unwrap();
    assert!(other.note.unwrap().contains("KT-CT-1111"));
    // A code the registry publishes without a description says so.
    assert!(text("KT-CT-1120").contains("Description:  (none published)"));
}

#[test]
fn every_registry_code_is_explained() {
    for entry in catalogue::all() {
        let e = explain(&entry.code).expect(&entry.code);
        assert_eq!(e.id, entry.code);
        assert_eq!(e.fields[0], ("Type", entry.error_type.clone()));
    }
}

#[test]
fn code_with_advice_gets_cause_fix_steps_and_checks() {
    let out = text("KT-CT-1111");
    for needle in [
        "Type:         AUTHORIZATION",
        "Likely cause",
        "Fix:",
        "THIRD_PARTY_UTILITY_USAGE_DATA_VIEWER",
        "CAN_VIEW_DETAILED_USAGE",
        "perm.can-query-property",
        "-kraken.systems",
    ] {
        assert!(out.contains(needle), "{needle} missing from:\n{out}");
    }
    let readings = text("KT-CT-4722");
    assert!(readings.contains("nothing the OAuth manager can change"));
    assert!(text("KT-CT-1124").contains("`kraken-doctor token`"));
}

#[test]
fn the_codes_that_matter_all_have_advice() {
    for n in [
        1111, 1112, 1113, 1124, 1125, 1126, 1127, 1143, 1162, 1163, 1188, 1189, 1199, 4177, 4718,
        4719, 4722, 4723, 6624, 6625,
    ] {
        let e = explain(&n.to_string()).unwrap();
        assert!(!e.cases.is_empty(), "KT-CT-{n} has no cause/fix");
    }
}

#[test]
fn numeric_and_case_insensitive_shorthands_find_the_code() {
    for input in [
        "1111",
        "KT-CT-1111",
        "kt-ct-1111",
        " Kt_Ct_1111 ",
        "KTCT1111",
    ] {
        assert_eq!(explain(input).unwrap().id, "KT-CT-1111", "{input}");
    }
}

#[test]
fn oauth_error_is_explained_in_any_spelling() {
    let e = explain("invalid_client").unwrap();
    assert_eq!(e.kind, Kind::OAuthError);
    let out = e.render(false);
    assert!(out.contains("401"));
    assert!(out.contains("does not say which"));
    assert!(out.contains("invalidates the old one at once"));
    for input in ["INVALID_CLIENT", "invalid-client", "Invalid Client"] {
        assert_eq!(explain(input).unwrap().id, "invalid_client", "{input}");
    }
    for name in [
        "unauthorized_client",
        "unsupported_grant_type",
        "invalid_request",
        "invalid_scope",
        "invalid_grant",
        "access_denied",
    ] {
        assert!(!explain(name).unwrap().cases.is_empty(), "{name}");
    }
    let unauthorized = explain("unauthorized_client").unwrap();
    assert!(
        unauthorized.cases[0]
            .fix
            .contains("Client credentials (step 5)")
    );
}

#[test]
fn every_check_id_is_explained_from_its_own_file() {
    let e = explain("perm.exact").unwrap();
    assert_eq!(e.kind, Kind::Check);
    assert_eq!(e.headline, checks::get("perm.exact").unwrap().title);
    assert_eq!(e.steps[0].number, "12");
    for id in checks::ids() {
        let e = explain(id).unwrap();
        assert!(
            !e.cases.is_empty() || e.confirm.is_some(),
            "{id}: neither causes nor what to confirm"
        );
    }
    assert!(text("manual.oauth-manager").contains("API_ENGINEER is not enough"));
    assert_eq!(
        explain("PERM.CAN_QUERY_PROPERTY").unwrap().id,
        "perm.can-query-property"
    );
}

#[test]
fn unknown_input_gets_nearest_matches() {
    let u = explain("KT-CT-1115").unwrap_err();
    assert_eq!(u.to_string(), "unknown code 'KT-CT-1115'");
    assert!(!u.nearest.is_empty() && u.nearest.len() <= nearest::MAX_SUGGESTIONS);
    assert_eq!(
        u.nearest[0], "KT-CT-1114",
        "closest number first: {:?}",
        u.nearest
    );
    assert_eq!(
        explain("1110").unwrap_err().nearest[..2],
        ["KT-CT-1111", "KT-CT-1112"]
    );
    assert!(u.nearest.iter().all(|c| catalogue::exists(c)));

    assert_eq!(
        explain("invalid_clent").unwrap_err().nearest[0],
        "invalid_client"
    );
    assert_eq!(explain("perm.exakt").unwrap_err().nearest[0], "perm.exact");
    let perm = explain("perm").unwrap_err().nearest;
    assert!(
        perm.len() == 3 && perm.iter().all(|p| p.starts_with("perm.")),
        "{perm:?}"
    );
    assert!(explain("zzzzzzzzzzzzzz").unwrap_err().nearest.is_empty());
    assert!(explain("").unwrap_err().render().contains("No close match"));
}

#[test]
fn every_cited_code_exists_in_the_registry() {
    let cited = cited_codes();
    assert!(cited.len() >= 20, "{cited:?}");
    for code in &cited {
        assert!(
            catalogue::exists(code),
            "{code} is cited but not in the registry"
        );
    }
}

#[test]
fn every_reference_in_the_advice_resolves() {
    let data = Data::load().expect("advice files parse");
    let entries = data
        .codes
        .iter()
        .map(|c| (c.code.as_str(), &c.entry))
        .chain(data.oauth.iter().map(|e| (e.name.as_str(), &e.entry)));
    let empty = Vec::new();
    let advices = entries
        .map(|(id, e)| (id, &e.advice, &e.steps, &e.checks))
        .chain(
            checks::all()
                .iter()
                .map(|c| (c.id.as_str(), &c.explain, &c.steps, &empty)),
        );
    let mut used = std::collections::BTreeSet::new();
    for (id, advice, steps, related) in advices {
        for case in &advice.cases {
            assert!(data.cases.contains_key(case), "{id}: no case {case}");
            used.insert(case.clone());
        }
        for &step in steps {
            assert!(checks::steps::of(step).is_some(), "{id}: no step {step}");
        }
        for check in related {
            assert!(checks::get(check).is_some(), "{id}: no check {check}");
        }
        for other in &advice.see_also {
            assert!(explain(other).is_ok(), "{id}: see also {other} is unknown");
        }
    }
    for name in data.cases.keys() {
        assert!(used.contains(name), "case {name} is named by nothing");
    }
    for code in &data.codes {
        assert!(
            catalogue::exists(&code.code),
            "{} not in registry",
            code.code
        );
    }
}

#[test]
fn output_is_wrapped_and_plain_without_colour() {
    for input in ["KT-CT-1111", "invalid_client", "perm.exact", "KT-CT-1199"] {
        let out = text(input);
        assert!(
            !out.contains('\u{1b}'),
            "{input}: escape codes without colour"
        );
        for line in out.lines() {
            assert!(
                line.chars().count() <= render::WIDTH,
                "{input}: long line {line:?}"
            );
        }
    }
}

#[test]
fn scanner_finds_codes_without_a_regex() {
    assert_eq!(
        scan_codes("see KT-CT-1111, KT-CT-4722. KT-CT-x KT-CT-"),
        ["KT-CT-1111", "KT-CT-4722"]
    );
    assert_eq!(nearest::levenshtein("kitten", "sitting"), 3);
}
