use super::*;

#[test]
fn mpan_check_digit_follows_the_gb_algorithm() {
    // 1200023305967 is a published valid MPAN core.
    assert!(mpan_is_valid("1200023305967"));
    assert!(!mpan_is_valid("1200023305968"));
    assert!(!mpan_is_valid("120002330596"));
    assert!(!mpan_is_valid("12000233059a7"));
}

#[test]
fn aemo_checksum_matches_the_published_examples() {
    // Examples from AEMO's NMI procedure.
    assert_eq!(aemo_checksum("2001985732"), Some(8));
    assert_eq!(aemo_checksum("QAAAVZZZZZ"), Some(3));
    assert_eq!(aemo_checksum("2001985733"), Some(6));
    assert_eq!(aemo_checksum("QCDWW00010"), Some(2));
    assert_eq!(aemo_checksum("VAAA000065"), Some(7));
    assert_eq!(aemo_checksum("VKTS786150"), Some(2));
    assert_eq!(aemo_checksum("short"), None);
}

#[test]
fn identifiers_are_checked_before_anything_is_sent() {
    let p = |s: &str, t| SupplyPointId::parse(s, t);
    assert_eq!(
        p("1200023305967", Territory::Other).unwrap().kind,
        IdKind::Mpan
    );
    assert_eq!(
        p(" 1200 0233 05967 ", Territory::Gb).unwrap().value,
        "1200023305967"
    );
    let bad = p("1200023305968", Territory::Other).unwrap_err();
    assert!(
        bad.contains("check digit of 120002330596 is 7, not 8"),
        "{bad}"
    );
    assert_eq!(p("9876543210", Territory::Gb).unwrap().kind, IdKind::Mprn);
    assert!(p("12AB", Territory::Gb).is_err());
    assert_eq!(p("QAAAVZZZZZ", Territory::Other).unwrap().kind, IdKind::Nmi);
    assert_eq!(
        p("QAAAVZZZZZ3", Territory::Other).unwrap().value,
        "QAAAVZZZZZ"
    );
    assert!(p("QAAAVZZZZZ4", Territory::Other).is_err());
    assert_eq!(p("20019857328", Territory::Au).unwrap().kind, IdKind::Nmi);
    assert_eq!(p("5321234567", Territory::Au).unwrap().kind, IdKind::Mirn);
    // Another territory's identifier is taken as given.
    assert_eq!(
        p("ES0021000000000000AA", Territory::Other).unwrap().kind,
        IdKind::Other
    );
    assert_eq!(
        p("12345678901", Territory::Other).unwrap().kind,
        IdKind::Other
    );
}

#[test]
fn whole_identifiers_carry_their_checksum_and_fit_their_market() {
    // AEMO's worked examples: QAAAVZZZZZ → 3, 2001985732 → 8, VKTS786150 → 2.
    assert_eq!(aemo_checksum("QAAAVZZZZZ"), Some(3));
    assert_eq!(aemo_checksum("2001985732"), Some(8));
    assert_eq!(aemo_checksum("VKTS786150"), Some(2));
    let whole = |market: &str, id: &str| IdKind::of_market(market).is_some_and(|k| k.is_whole(id));
    assert!(whole("AUS_ELECTRICITY", "QAAAVZZZZZ3"));
    assert!(!whole("AUS_ELECTRICITY", "QAAAVZZZZZ4"));
    assert!(!whole("AUS_ELECTRICITY", "QAAAVZZZZZ"));
    assert!(!whole("AUS_GAS", "QAAAVZZZZZ3"), "a MIRN is digits");
    assert!(!whole("AUS_GAS", "20019857328"), "a MIRN starts with 5");
    assert!(whole("AUS_ELECTRICITY", "20019857328"), "a numeric NMI");
    let mirn = format!("5240123456{}", aemo_checksum("5240123456").unwrap());
    assert!(whole("AUS_GAS", &mirn));
    assert!(!whole("AUS_ELECTRICITY", &mirn), "that is a MIRN");
    assert!(whole("GBR_GAS", "3458709102"));
    assert!(!whole("GBR_ELECTRICITY", "1200012345670"));
    assert!(whole("GBR_ELECTRICITY", "1200023305967"));
    assert_eq!(IdKind::of_market("JPN_ELECTRICITY"), None);
    // What the checker accepts of a whole identifier is the same kind.
    for (market, id) in [
        ("AUS_GAS", mirn.as_str()),
        ("AUS_ELECTRICITY", "QAAAVZZZZZ3"),
    ] {
        let parsed = SupplyPointId::for_target(id, Some(market), Territory::Au).unwrap();
        assert_eq!(Some(parsed.kind), IdKind::of_market(market), "{id}");
    }
}

#[test]
fn markets_and_filters_follow_the_identifier() {
    let mpan = SupplyPointId::parse("1200023305967", Territory::Gb).unwrap();
    assert_eq!(mpan.default_market(), Some("GBR_ELECTRICITY"));
    assert_eq!(mpan.utility(None), Some(Utility::Electricity));
    assert_eq!(mpan.utility(Some("GBR_GAS")), Some(Utility::Gas));
    let other = SupplyPointId::parse("X1", Territory::Other).unwrap();
    assert_eq!(other.default_market(), None);
    assert_eq!(other.utility(None), None);
    assert_eq!(
        Territory::of_host("api.origin-kraken.energy"),
        Territory::Au
    );
    assert_eq!(Territory::of_host("api.edfgb-kraken.energy"), Territory::Gb);
}
