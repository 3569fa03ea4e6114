//! Token and header refusals: a refused header form, a gateway's 401, stale keys.

use serde_json::json;

use super::*;

#[test]
fn a_bare_header_refused_with_1144_is_never_accepted_and_bearer_is_used() {
    let mut ev = evidence(property("240811"));
    let refused = |field: &str| {
        json!({"data": null, "errors": [error(&[json!(field)], "KT-CT-1144", "AUTHORIZATION",
               "Value of 'Authorization' header is not a valid credential.")]})
    };
    bare(&mut ev, ProbeKey::Viewer, refused("thirdPartyViewer"));
    bare(&mut ev, ProbeKey::Search, refused("propertiesSearch"));
    bare(&mut ev, ProbeKey::Read, refused("property"));
    // Without the other forms tried, nothing says the token works: never a pass.
    assert_eq!(status_of(&ev, "api.token-accepted"), "error");
    assert_eq!(status_of(&ev, "perm.can-query-property"), "skip");
    answer(
        &mut ev,
        ProbeKey::Search,
        HeaderForm::Bearer,
        0,
        200,
        empty_search(),
    );
    answer(
        &mut ev,
        ProbeKey::Viewer,
        HeaderForm::Bearer,
        0,
        200,
        viewer(BOTH),
    );
    answer(
        &mut ev,
        ProbeKey::Read,
        HeaderForm::Bearer,
        0,
        200,
        json!({"data": {"property": {"id": "240811", "measurements": measurement()}}}),
    );
    ev.final_form = HeaderForm::Bearer;
    let s = statuses(&ev);
    assert_eq!(s["api.token-accepted"], "warn");
    assert_eq!(s["perm.can-query-property"], "pass");
    assert_eq!(s["data.measurements"], "pass");
}

#[test]
fn a_gateways_401_refuses_that_header_form_only() {
    let mut ev = evidence(DataTarget::default());
    for key in [ProbeKey::Viewer, ProbeKey::Search] {
        answer(
            &mut ev,
            key,
            HeaderForm::Bare,
            0,
            401,
            json!({"detail": "Unauthorized"}),
        );
    }
    let mut gateway = Response::from_body(401, "<html>401 Authorization Required</html>");
    gateway
        .headers
        .insert("content-type", "text/html".parse().unwrap());
    ev.exchanges[0].result = Ok(parse_envelope(gateway, HeaderForm::Bare));
    answer(
        &mut ev,
        ProbeKey::Search,
        HeaderForm::Bearer,
        0,
        200,
        empty_search(),
    );
    assert_eq!(
        crate::runner::view::accept::next(&ev, false),
        crate::runner::view::accept::Next::Resend(HeaderForm::Bearer),
        "the gathering repeats the probes with Bearer"
    );
    answer(
        &mut ev,
        ProbeKey::Viewer,
        HeaderForm::Bearer,
        0,
        200,
        viewer(BOTH),
    );
    ev.final_form = HeaderForm::Bearer;
    let s = statuses(&ev);
    assert_eq!(s["api.token-accepted"], "warn");
    assert_eq!(s["perm.can-query-property"], "pass");
}

#[test]
fn keys_rotated_fetches_a_new_token_once() {
    let mut ev = evidence(DataTarget::default());
    let rotated = |field: &str| {
        json!({"data": null, "errors": [error(&[json!(field)], "KT-CT-1125", "APPLICATION",
               "Token keys have rotated. Please obtain a new token and try again.")]})
    };
    bare(&mut ev, ProbeKey::Viewer, rotated("thirdPartyViewer"));
    bare(&mut ev, ProbeKey::Search, rotated("propertiesSearch"));
    assert_eq!(
        crate::runner::view::accept::next(&ev, false),
        crate::runner::view::accept::Next::Refetch
    );
    ev.refetch = Some(Refetch {
        after_ms: 40,
        code: "KT-CT-1125".into(),
        result: Ok(token(200, TOKEN_OK)),
    });
    ev.final_attempt = 1;
    answer(
        &mut ev,
        ProbeKey::Viewer,
        HeaderForm::Bare,
        1,
        200,
        viewer(BOTH),
    );
    answer(
        &mut ev,
        ProbeKey::Search,
        HeaderForm::Bare,
        1,
        200,
        empty_search(),
    );
    let s = statuses(&ev);
    assert_eq!(s["api.token-accepted"], "pass");
    assert_eq!(
        s["auth.token-lifetime"], "pass",
        "keys rotating says nothing of the lifetime"
    );
    assert_eq!(s["perm.can-query-property"], "pass");
}
