//! The token endpoint's answers as the token client reads them: §5.1 successes in every form
//! servers send, what is not a token, §5.2 errors, and JWT times.

use super::*;

#[test]
fn s3_2_and_s5_headers_content_type_and_accept() {
    for auth in [ClientAuth::Body, ClientAuth::Basic] {
        let b = build("id", Some("s"), auth);
        assert_eq!(
            header(&b, "content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(header(&b, "accept"), Some("application/json"));
    }
}

fn answer(status: u16, body: &str, headers: &[(&'static str, &str)]) -> TokenOutcome {
    let mut r = Response::from_body(status, body);
    for (k, v) in headers {
        r.headers.insert(*k, HeaderValue::from_str(v).unwrap());
    }
    parse_token_response(&r)
}

fn issued(o: TokenOutcome) -> IssuedToken {
    match o {
        TokenOutcome::Issued(t) => t,
        other => panic!("not issued: {other:?}"),
    }
}

#[test]
fn s5_1_successful_answers_in_every_form_servers_send() {
    const OK: &str = r#""access_token":"t0k3n-abcdefghijkl""#;
    // (body fields beside the token, expires_in read, token type is Bearer, scope read)
    let rows: &[(&str, ExpiresIn, bool, Option<&str>)] = &[
        (
            r#","token_type":"Bearer","expires_in":3600,"scope":"read write""#,
            ExpiresIn::Seconds(3600),
            true,
            Some("read write"),
        ),
        // §5.1/§7.1: token_type is case-insensitive.
        (
            r#","token_type":"bearer","expires_in":3600"#,
            ExpiresIn::Seconds(3600),
            true,
            None,
        ),
        (
            r#","token_type":"BEARER","expires_in":3600"#,
            ExpiresIn::Seconds(3600),
            true,
            None,
        ),
        // expires_in as a numeric string (servers send both), with spaces.
        (
            r#","token_type":"Bearer","expires_in":"3600""#,
            ExpiresIn::Seconds(3600),
            true,
            None,
        ),
        (
            r#","token_type":"Bearer","expires_in":" 3600 ""#,
            ExpiresIn::Seconds(3600),
            true,
            None,
        ),
        // fractional: rounded down; zero and negative kept as said (judged dead).
        (
            r#","token_type":"Bearer","expires_in":3599.9"#,
            ExpiresIn::Seconds(3599),
            true,
            None,
        ),
        (
            r#","token_type":"Bearer","expires_in":"3599.9""#,
            ExpiresIn::Seconds(3599),
            true,
            None,
        ),
        (
            r#","token_type":"Bearer","expires_in":0"#,
            ExpiresIn::Seconds(0),
            true,
            None,
        ),
        (
            r#","token_type":"Bearer","expires_in":-5"#,
            ExpiresIn::Seconds(-5),
            true,
            None,
        ),
        (
            r#","token_type":"Bearer","expires_in":1e30"#,
            ExpiresIn::Seconds(i64::MAX),
            true,
            None,
        ),
        (
            r#","token_type":"Bearer","expires_in":18446744073709551615"#,
            ExpiresIn::Seconds(i64::MAX),
            true,
            None,
        ),
        // absent (RECOMMENDED, not REQUIRED), null, unreadable.
        (r#","token_type":"Bearer""#, ExpiresIn::Absent, true, None),
        (
            r#","token_type":"Bearer","expires_in":null"#,
            ExpiresIn::Absent,
            true,
            None,
        ),
        (
            r#","token_type":"Bearer","expires_in":"soon""#,
            ExpiresIn::Unreadable,
            true,
            None,
        ),
        (
            r#","token_type":"Bearer","expires_in":true"#,
            ExpiresIn::Unreadable,
            true,
            None,
        ),
        // §3.3 scope; a list of strings is read as the same scopes.
        (
            r#","token_type":"Bearer","scope":["read","write"]"#,
            ExpiresIn::Absent,
            true,
            Some("read write"),
        ),
        (
            r#","token_type":"Bearer","scope":7"#,
            ExpiresIn::Absent,
            true,
            None,
        ),
        // §4.4.3 a refresh token SHOULD NOT be included; read either way. Unknown fields ignored.
        (
            r#","token_type":"Bearer","expires_in":3600,"refresh_token":"r-abc","id_token":null,"x":{"y":[1]}"#,
            ExpiresIn::Seconds(3600),
            true,
            None,
        ),
        // token_type missing or of another kind: issued, not Bearer.
        (
            r#","expires_in":3600"#,
            ExpiresIn::Seconds(3600),
            false,
            None,
        ),
        (
            r#","token_type":"mac","expires_in":3600"#,
            ExpiresIn::Seconds(3600),
            false,
            None,
        ),
        (r#","token_type":7"#, ExpiresIn::Absent, false, None),
    ];
    for (fields, expires, bearer, scope) in rows {
        let body = format!("{{{OK}{fields}}}");
        let t = issued(answer(200, &body, &[("content-type", "application/json")]));
        assert_eq!(t.access_token.expose(), "t0k3n-abcdefghijkl", "{body}");
        assert_eq!(t.expires, *expires, "{body}");
        assert_eq!(t.expires_in, expires.seconds(), "{body}");
        assert_eq!(t.is_bearer(), *bearer, "{body}");
        assert_eq!(t.scope.as_deref(), *scope, "{body}");
        assert_eq!(t.refresh_token, body.contains("refresh_token"), "{body}");
    }
    // Content-Type with a charset; a UTF-8 byte-order mark (RFC 8259 §8.1 allows ignoring it).
    let body = format!("\u{feff}{{{OK},\"token_type\":\"Bearer\"}}");
    let t = issued(answer(
        200,
        &body,
        &[("content-type", "application/json; charset=UTF-8")],
    ));
    assert!(t.is_bearer());
}

#[test]
fn s5_1_answers_that_are_not_a_token() {
    for body in [
        r#"{"expires_in":3600}"#,
        r#"{"access_token":""}"#,
        r#"{"access_token":123}"#,
        r#"{"access_token":null}"#,
        r#"["access_token"]"#,
        r#""access_token""#,
        r#"{"access_token":"#,
        "<html>ok</html>",
        "",
    ] {
        assert!(
            matches!(
                answer(200, body, &[]),
                TokenOutcome::Unexpected { status: 200, .. }
            ),
            "{body}"
        );
    }
}

#[test]
fn s5_2_error_answers_on_400_and_401_with_or_without_www_authenticate() {
    /// (status, body, headers, error, error_description, error_uri)
    type Row<'a> = (
        u16,
        &'a str,
        &'a [(&'a str, &'a str)],
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
    );
    let rows: &[Row] = &[
        // DOT: 401 invalid_client with a Bearer challenge, body exactly {"error": ...}.
        (
            401,
            r#"{"error": "invalid_client"}"#,
            &[("www-authenticate", r#"Bearer error="invalid_client""#)],
            "invalid_client",
            None,
            None,
        ),
        // §5.2 allows 400 for invalid_client, and a 401 without the header.
        (
            400,
            r#"{"error":"invalid_client"}"#,
            &[],
            "invalid_client",
            None,
            None,
        ),
        (
            401,
            r#"{"error":"invalid_client"}"#,
            &[],
            "invalid_client",
            None,
            None,
        ),
        (
            400,
            r#"{"error":"unauthorized_client","error_description":"Client not allowed","error_uri":"https://ex/e"}"#,
            &[("content-type", "application/json;charset=utf-8")],
            "unauthorized_client",
            Some("Client not allowed"),
            Some("https://ex/e"),
        ),
        (
            400,
            r#"{"error":"unsupported_grant_type","error_description":null,"extra":1}"#,
            &[],
            "unsupported_grant_type",
            None,
            None,
        ),
        (
            400,
            "\u{feff}{\"error\":\"invalid_scope\"}",
            &[],
            "invalid_scope",
            None,
            None,
        ),
        (
            403,
            r#"{"error":"access_denied"}"#,
            &[],
            "access_denied",
            None,
            None,
        ),
        // An error with HTTP 200 and no token: read as that error.
        (
            200,
            r#"{"error":"invalid_client"}"#,
            &[],
            "invalid_client",
            None,
            None,
        ),
    ];
    for (status, body, headers, error, description, uri) in rows {
        match answer(*status, body, headers) {
            TokenOutcome::OAuthError {
                status: s,
                error: e,
                description: d,
                uri: u,
                www_authenticate: w,
            } => {
                assert_eq!((s, e.as_str()), (*status, *error), "{body}");
                assert_eq!(d.as_deref(), *description, "{body}");
                assert_eq!(u.as_deref(), *uri, "{body}");
                assert_eq!(
                    w.is_some(),
                    headers.iter().any(|h| h.0 == "www-authenticate")
                );
            }
            other => panic!("{status} {body}: {other:?}"),
        }
    }
    // A 5xx is a fault whatever its body; an error that is not a string is not OAuth's.
    for (status, body) in [
        (500, r#"{"error":"server_error"}"#),
        (503, r#"{"error":"temporarily_unavailable"}"#),
        (400, r#"{"error":{"code":1}}"#),
        (400, r#"{"error":""}"#),
        (400, "<html>Bad Request</html>"),
    ] {
        assert!(
            matches!(answer(status, body, &[]), TokenOutcome::Unexpected { .. }),
            "{status} {body}"
        );
    }
}

#[test]
fn jwt_times_read_payload_or_nothing() {
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(br#"{"exp":1700003600,"iat":1700000000,"iss":"x"}"#);
    let t = jwt_times(&format!("aGVhZA.{payload}.c2ln")).unwrap();
    assert_eq!(t.exp, Some(1700003600));
    assert_eq!(t.iss.as_deref(), Some("x"));
    assert_eq!(jwt_times("opaque-token"), None);
    assert_eq!(jwt_times("a.b.c.d"), None);
    assert_eq!(jwt_times("a.!!!.c"), None);
}
