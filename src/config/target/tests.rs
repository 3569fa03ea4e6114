use super::*;

/// Every combination of where the Kraken came from (a preset's host or a custom URL) ×
/// the market given (or none) × an identifier (valid or not): a custom URL with a market
/// is checked as a preset of that market's territory is; a market of another territory
/// than the preset's is refused; without a market, a preset's territory decides and a
/// custom URL takes other territories' identifiers as given.
#[test]
fn identifiers_are_checked_the_same_for_presets_and_custom_urls() {
    let gb = "https://api.edfgb-kraken.energy/v1/graphql/";
    let au = "https://api.origin-kraken.energy/v1/graphql/";
    let customs = [
        "http://127.0.0.1:8000/v1/graphql/",
        "https://graphql.example.org/graphql",
    ];
    let markets = [
        None,
        Some("GBR_ELECTRICITY"),
        Some("GBR_GAS"),
        Some("AUS_ELECTRICITY"),
        Some("AUS_GAS"),
        Some("JPN_ELECTRICITY"),
    ];
    let values = [
        "1200023305967", // a valid MPAN
        "1200023305968", // an MPAN with a wrong check digit
        "9876543210",    // an MPRN
        "12AB",          // nothing of GB's
        "QAAAVZZZZZ",    // an NMI
        "5321234567",    // a MIRN
        "ES0021000000000000AA",
    ];
    let check = |api: &str, market: Option<&str>, value: &str| {
        let data = DataTarget {
            supply_point: Some(value.into()),
            market_name: market.map(str::to_string),
            ..DataTarget::default()
        };
        check_supply_point(&data, &Url::parse(api).unwrap()).map_err(|e| e.0)
    };
    let preset_of = |market: &str| {
        if market.starts_with("GBR_") {
            Some(gb)
        } else if market.starts_with("AUS_") {
            Some(au)
        } else {
            None
        }
    };
    for market in markets {
        for value in values {
            let on_custom = check(customs[0], market, value);
            assert_eq!(
                on_custom,
                check(customs[1], market, value),
                "{market:?} {value}: every custom URL alike"
            );
            if let Some(preset) = market.and_then(preset_of) {
                assert_eq!(
                    on_custom.is_ok(),
                    check(preset, market, value).is_ok(),
                    "{market:?} {value}: a custom URL with a market is checked as its \
                         territory's preset"
                );
                let other = if preset == gb { au } else { gb };
                let e = check(other, market, value).unwrap_err();
                assert!(e.contains("market, but this Kraken is"), "{e}");
            }
            // A 13-digit value is an MPAN wherever it is given, and checked as one.
            if value == "1200023305968" {
                assert!(on_custom.is_err(), "{market:?}");
            }
        }
    }
    // The markets' own kinds: each market takes its kind of identifier and no other.
    let ok = |market, value| check(customs[0], Some(market), value).is_ok();
    assert!(ok("GBR_ELECTRICITY", "1200023305967"));
    assert!(!ok("GBR_ELECTRICITY", "9876543210"));
    assert!(!ok("GBR_ELECTRICITY", "12AB"));
    assert!(ok("GBR_GAS", "9876543210"));
    assert!(!ok("GBR_GAS", "1200023305967"));
    assert!(ok("AUS_ELECTRICITY", "QAAAVZZZZZ"));
    assert!(!ok("AUS_ELECTRICITY", "5321234567"));
    assert!(ok("AUS_GAS", "5321234567"));
    assert!(ok("JPN_ELECTRICITY", "12AB"), "another territory: as given");
    // Without a market: the preset's territory decides; a custom URL takes it as given.
    assert!(check(gb, None, "12AB").is_err());
    assert!(check(customs[0], None, "12AB").is_ok());
    assert!(check(gb, None, "9876543210").is_ok());
    // The refusal says what to give.
    let e = check(customs[0], Some("GBR_ELECTRICITY"), "9876543210").unwrap_err();
    assert_eq!(
        e,
        "--supply-point 9876543210: with --market-name GBR_ELECTRICITY, give the 13-digit \
             MPAN core, or --market-name GBR_GAS for this MPRN"
    );
}
