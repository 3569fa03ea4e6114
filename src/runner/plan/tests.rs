use super::*;
use crate::runner::DataTarget;

fn names(p: &[ProbePlan]) -> Vec<&str> {
    p.iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn a_healthy_run_sends_one_document_per_question() {
    let all = CheckId::ALL;
    let unknown = SchemaKnowledge::Unknown("off".into());
    assert_eq!(
        names(&probes(&all, &ReadTarget::None, &unknown)),
        ["viewer", "search"]
    );
    let prop = ReadTarget::Property("240811".into());
    assert_eq!(
        names(&probes(&all, &prop, &unknown)),
        ["viewer", "search", "read-property"]
    );
    let data = DataTarget {
        supply_point: Some("1200023305967".into()),
        ..DataTarget::default()
    };
    let sp = ReadTarget::new(&data, "api.edfgb-kraken.energy");
    let p = probes(&all, &sp, &unknown);
    assert_eq!(
        names(&p),
        ["viewer", "read-supply-point"],
        "no locate while unknown"
    );
    assert_eq!(
        p[1].variables["utilityFilters"][0]["electricityFilters"]["marketSupplyPointId"],
        "1200023305967"
    );
    assert_eq!(sp.describe(), "MPAN 1200023305967 (GBR_ELECTRICITY)");
}

#[test]
fn a_refused_document_falls_back_to_its_plainer_form() {
    let data = DataTarget {
        supply_point: Some("1200023305967".into()),
        ..DataTarget::default()
    };
    let sp = ReadTarget::new(&data, "api.example-kraken.energy");
    let unknown = SchemaKnowledge::Unknown("off".into());
    let read = probes(&CheckId::ALL, &sp, &unknown)
        .into_iter()
        .find(|p| p.key == ProbeKey::Read)
        .unwrap();
    let plain = fallback(&read).expect("the filtered read has a plainer form");
    assert_eq!(plain.name, "read-supply-point-plain");
    assert_eq!(plain.variables, json!({ "searchTerm": "1200023305967" }));
    assert!(fallback(&plain).is_none(), "no fallback of a fallback");
}

#[test]
fn only_the_selected_checks_are_probed() {
    let unknown = SchemaKnowledge::Unknown("off".into());
    assert_eq!(
        names(&probes(&[CheckId::PermExact], &ReadTarget::None, &unknown)),
        ["viewer"]
    );
    assert_eq!(
        names(&probes(
            &[CheckId::ApiTokenAccepted],
            &ReadTarget::None,
            &unknown
        )),
        ["search"]
    );
    assert!(probes(&[CheckId::AuthToken], &ReadTarget::None, &unknown).is_empty());
    let one = round_one(&[CheckId::AuthReachable]);
    let asks: Vec<TokenAsk> = one.tokens.iter().map(|t| t.ask).collect();
    assert_eq!(asks, [TokenAsk::Documented]);
    assert!(!one.api());
}

#[test]
fn round_one_sends_what_the_checks_need_and_nothing_else() {
    let asks = |ids: &[CheckId]| -> Vec<TokenAsk> {
        round_one(ids).tokens.iter().map(|t| t.ask).collect()
    };
    assert_eq!(asks(&CheckId::ALL), TokenAsk::ALL);
    assert!(round_one(&CheckId::ALL).api());
    assert_eq!(
        asks(&[CheckId::AuthMethods]),
        [TokenAsk::Documented, TokenAsk::Basic]
    );
    assert_eq!(
        asks(&[CheckId::AuthConfidential]),
        [
            TokenAsk::Documented,
            TokenAsk::NoSecret,
            TokenAsk::WrongSecret,
            TokenAsk::PublicProbe
        ]
    );
    let perm = round_one(&[CheckId::PermExact]);
    assert_eq!(perm.tokens.len(), 1);
    assert_eq!(perm.introspection.map(|p| p.key), Some(ProbeKey::Schema));
    let manual = round_one(&[CheckId::ManualOauthManager]);
    assert!(manual.tokens.is_empty() && !manual.api());
    let public = TokenPlan::of(TokenAsk::PublicProbe);
    assert_eq!(public.grant_type, "authorization_code");
    assert_eq!(public.secret, SecretUse::Missing);
    assert_eq!(
        refetch("KT-CT-1124").label,
        "api: a new token after KT-CT-1124"
    );
}

#[test]
fn the_comparison_goes_only_with_token_accepted() {
    let unknown = SchemaKnowledge::Unknown("off".into());
    let with = round_two(&CheckId::ALL, &ReadTarget::None, &unknown);
    assert_eq!(with.comparison.map(|c| c.key), Some(ProbeKey::Search));
    let without = round_two(&[CheckId::PermExact], &ReadTarget::None, &unknown);
    assert_eq!(without.comparison, None);
}
