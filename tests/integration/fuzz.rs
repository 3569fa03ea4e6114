//! Every parser of outside data survives arbitrary input: token responses, GraphQL envelopes,
//! JWT payloads, profile TOML, scenario TOML, secret files. Each
//! property runs a few hundred cases in `cargo test`; for the million-input run:
//! `PROPTEST_CASES=1000000 cargo test --release --test integration fuzz::`.

use kraken_doctor::config::{parse_config_file, secret_from_bytes};
use kraken_doctor::kraken::graphql::{HeaderForm, parse_envelope};
use kraken_doctor::kraken::http::Response;
use kraken_doctor::kraken::token::{TokenOutcome, jwt_times, parse_token_response};
use proptest::prelude::*;

fn response(status: u16, body: Vec<u8>) -> Response {
    Response::from_body(status, body)
}

/// Bodies that look like JSON often enough to reach the deep paths.
fn json_ish() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<Vec<u8>>(),
        "\\{\"(access_token|error|expires_in|data|errors|token_type)\": ?(\"[a-z_.]{0,12}\"|[0-9-]{1,12}|null|\\[\\]|\\{\\}|true)\\}"
            .prop_map(String::into_bytes),
        r#"\{"errors": ?\[\{"message": ?"[a-z ]{0,8}"(, ?"path": ?\[("[a-z]{1,6}"|[0-9]),?\])?(, ?"extensions": ?\{"errorCode": ?"KT-CT-[0-9]{4}", ?"errorType": ?"[A-Z_]{0,12}"\})?\}\]\}"#
            .prop_map(String::into_bytes),
        "[ -~]{0,200}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn token_response_parser_never_panics(status in 100u16..600, body in json_ish()) {
        let outcome = parse_token_response(&response(status, body));
        if let TokenOutcome::Issued(t) = outcome {
            prop_assert_eq!(status, 200);
            prop_assert!(!t.access_token.expose().is_empty());
        }
    }

    #[test]
    fn graphql_envelope_parser_never_panics(status in 100u16..600, body in json_ish()) {
        if let Ok(reply) = parse_envelope(response(status, body), HeaderForm::Bare) {
            prop_assert!(matches!(reply.status, 200 | 400 | 401 | 403));
        }
    }

    #[test]
    fn jwt_payload_reader_never_panics(token in "[A-Za-z0-9_.=-]{0,300}") {
        let _ = jwt_times(&token);
    }

    #[test]
    fn jwt_payload_reader_reads_any_claims(exp in any::<i64>(), junk in "[a-z]{0,10}") {
        use base64::Engine as _;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!(r#"{{"exp":{exp},"{junk}x":1}}"#));
        let times = jwt_times(&format!("e30.{payload}.c2ln")).expect("a JWT with a JSON payload");
        prop_assert_eq!(times.exp, Some(exp));
    }

    #[test]
    fn profile_toml_parser_never_panics(text in "[\\[\\]a-z_=\". \n0-9-]{0,300}") {
        let _ = parse_config_file(&text, "fuzz.toml");
    }

    #[test]
    fn secret_file_reader_never_panics(bytes in any::<Vec<u8>>()) {
        if let Ok(s) = secret_from_bytes(bytes, "fuzz", true).map(|g| g.secret) {
            prop_assert!(!s.expose().is_empty());
            prop_assert!(!s.expose().contains('\n'));
        }
    }

    #[test]
    fn scenario_toml_parser_never_panics(cut in 0usize..2000, len in 0usize..40, junk in "[a-z_=\"\\[\\] \n0-9.,-]{0,40}") {
        // A valid scenario with a slice replaced by junk: deep paths, not just syntax errors.
        let valid = kraken_sim::Scenario::builtin("healthy").unwrap().to_toml();
        let start = cut.min(valid.len());
        let end = (start + len).min(valid.len());
        if valid.is_char_boundary(start) && valid.is_char_boundary(end) {
            let text = format!("{}{junk}{}", &valid[..start], &valid[end..]);
            if let Err(e) = kraken_sim::Scenario::from_toml_str(&text, "fuzz.toml") {
                prop_assert!(e.to_string().starts_with("fuzz.toml:"), "errors name file and line: {e}");
            }
        }
    }
}
