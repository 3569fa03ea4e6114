use super::super::Source;
use super::*;

fn flag(name: &'static str, value: &str) -> Option<Given> {
    Some(Given {
        value: value.into(),
        source: Source::Flag,
        name,
    })
}

fn urls(settings: EndpointSettings) -> Result<(String, String), String> {
    resolve(&settings)
        .map(|e| (e.token_url.to_string(), e.graphql_url.unwrap().to_string()))
        .map_err(|e| e.0)
}

#[test]
fn endpoint_paths_are_appended_once() {
    let u = endpoint_url("https://auth.edfgb-kraken.energy", "/token/", "--auth-url").unwrap();
    assert_eq!(u.as_str(), "https://auth.edfgb-kraken.energy/token/");
    let u = endpoint_url("https://auth.x.energy/token", "/token/", "x").unwrap();
    assert_eq!(u.as_str(), "https://auth.x.energy/token/");
    let u = endpoint_url("http://127.0.0.1:8080/v1/graphql/", "/v1/graphql/", "x").unwrap();
    assert_eq!(u.as_str(), "http://127.0.0.1:8080/v1/graphql/");
    let u = endpoint_url("https://api.x.energy/", "/v1/graphql/", "x").unwrap();
    assert_eq!(u.as_str(), "https://api.x.energy/v1/graphql/");
}

/// Every form of URL a person gives for either endpoint, from a flag, the environment or
/// a profile: a base gets the Kraken path, a full endpoint is taken as it is, anything
/// else is refused with the forms to give — and no path is ever doubled.
#[test]
fn url_forms_for_both_endpoints() {
    type Row = (&'static str, Result<&'static str, &'static str>);
    let auth: &[Row] = &[
        ("https://auth.x.energy", Ok("https://auth.x.energy/token/")),
        ("https://auth.x.energy/", Ok("https://auth.x.energy/token/")),
        (
            "https://auth.x.energy/token/",
            Ok("https://auth.x.energy/token/"),
        ),
        (
            "https://auth.x.energy/token",
            Ok("https://auth.x.energy/token/"),
        ),
        (
            "http://127.0.0.1:8000/o/token/",
            Ok("http://127.0.0.1:8000/o/token/"),
        ),
        (
            "http://127.0.0.1:8000/o/token",
            Ok("http://127.0.0.1:8000/o/token/"),
        ),
        (
            "https://auth.x.energy/oauth/",
            Err(
                "give https://auth.x.energy/ (kraken-doctor adds /token/) or the endpoint \
                     itself, e.g. https://auth.x.energy/oauth/token/",
            ),
        ),
        (
            "https://auth.x.energy/v1/graphql/",
            Err("are the two URLs swapped?"),
        ),
        (
            "https://auth.x.energy/token/?a=1",
            Err(
                "no query string, fragment or credentials in the URL; give https://auth.x.energy/token/",
            ),
        ),
        (
            "https://auth.x.energy/token/#top",
            Err("give https://auth.x.energy/token/"),
        ),
    ];
    let api: &[Row] = &[
        (
            "https://api.x.energy",
            Ok("https://api.x.energy/v1/graphql/"),
        ),
        (
            "https://api.x.energy/",
            Ok("https://api.x.energy/v1/graphql/"),
        ),
        (
            "https://api.x.energy/v1/graphql/",
            Ok("https://api.x.energy/v1/graphql/"),
        ),
        (
            "https://api.x.energy/v1/graphql",
            Ok("https://api.x.energy/v1/graphql/"),
        ),
        (
            "http://127.0.0.1:8000/graphql",
            Ok("http://127.0.0.1:8000/graphql"),
        ),
        (
            "http://127.0.0.1:8000/graphql/",
            Ok("http://127.0.0.1:8000/graphql/"),
        ),
        (
            "https://api.x.energy/kraken/v1/graphql",
            Ok("https://api.x.energy/kraken/v1/graphql/"),
        ),
        (
            "https://api.x.energy/v1/",
            Err(
                "give https://api.x.energy/ (kraken-doctor adds /v1/graphql/) or the \
                     endpoint itself, e.g. https://api.x.energy/v1/graphql/",
            ),
        ),
        (
            "https://api.x.energy/token/",
            Err("are the two URLs swapped?"),
        ),
        (
            "https://api.x.energy/v1/graphql/?debug=1",
            Err("give https://api.x.energy/v1/graphql/"),
        ),
        (
            "https://api.x.energy/v1/graphql/#q",
            Err("give https://api.x.energy/v1/graphql/"),
        ),
    ];
    for (path, rows) in [("/token/", auth), ("/v1/graphql/", api)] {
        for name in ["--auth-url", "KRAKEN_API_URL", "api_url"] {
            for (raw, want) in rows {
                let got = endpoint_url(raw, path, name)
                    .map(|u| u.to_string())
                    .map_err(|e| e.0);
                match (want, &got) {
                    (Ok(w), Ok(g)) => assert_eq!(g, w, "{name} {raw}"),
                    (Err(w), Err(g)) => assert!(
                        g.starts_with(&format!("{name} '{raw}'")) && g.contains(w),
                        "{name} {raw}: {g}"
                    ),
                    _ => panic!("{name} {raw}: expected {want:?}, got {got:?}"),
                }
                if let Ok(g) = &got {
                    let leaf = path.trim_matches('/').rsplit('/').next().unwrap();
                    assert!(
                        g.matches(leaf).count() <= raw.matches(leaf).count().max(1),
                        "{raw} → {g}: a path is never doubled"
                    );
                }
            }
        }
    }
}

#[test]
fn plain_http_only_to_loopback() {
    assert!(endpoint_url("http://localhost:1/", "/token/", "x").is_ok());
    assert!(endpoint_url("http://[::1]:1/", "/token/", "x").is_ok());
    let e = endpoint_url("http://auth.x.energy/", "/token/", "--auth-url").unwrap_err();
    assert!(e.0.contains("loopback"), "{e}");
    assert!(endpoint_url("ftp://x/", "/token/", "x").is_err());
    assert!(endpoint_url("not a url", "/token/", "x").is_err());
    assert!(endpoint_url("https://x/?a=1", "/token/", "x").is_err());
}

#[test]
fn presets_and_test_env() {
    let (a, b) = preset_urls("edf-gb", false).unwrap();
    assert_eq!(a, "https://auth.edfgb-kraken.energy/");
    assert_eq!(b, "https://api.edfgb-kraken.energy/");
    let (a, _) = preset_urls("oeus", true).unwrap();
    assert_eq!(a, "https://auth.oeus-kraken.systems/");
    assert!(preset_urls("octopus-gb", true).is_err());
    assert!(preset_urls("nope", false).unwrap_err().0.contains("edf-gb"));
}

#[test]
fn a_preset_and_a_url_must_agree_on_the_host() {
    let e = urls(EndpointSettings {
        preset: flag("--kraken", "edf-gb"),
        auth_url: flag("--auth-url", "http://127.0.0.1:4000"),
        ..Default::default()
    })
    .unwrap_err();
    assert!(
        e.starts_with(
            "--kraken edf-gb means auth.edfgb-kraken.energy, but --auth-url \
                 http://127.0.0.1:4000 is another host"
        ),
        "{e}"
    );
    // The preset's own host, with another path: allowed.
    let (auth, api) = urls(EndpointSettings {
        preset: flag("--kraken", "edf-gb"),
        auth_url: flag("--auth-url", "https://auth.edfgb-kraken.energy/v2/token/"),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(auth, "https://auth.edfgb-kraken.energy/v2/token/");
    assert_eq!(api, "https://api.edfgb-kraken.energy/v1/graphql/");
    // With --test-env the preset's hosts are the test ones.
    let e = urls(EndpointSettings {
        preset: flag("--kraken", "oeus"),
        test_env: Some("--test-env"),
        api_url: flag("--api-url", "https://api.oeus-kraken.energy"),
        ..Default::default()
    })
    .unwrap_err();
    assert!(
        e.contains("--kraken oeus with --test-env means api.oeus-kraken.systems"),
        "{e}"
    );
}

#[test]
fn test_env_needs_a_preset() {
    let e = urls(EndpointSettings {
        test_env: Some("--test-env"),
        auth_url: flag("--auth-url", "https://auth.oeus-kraken.systems"),
        api_url: flag("--api-url", "https://api.oeus-kraken.systems"),
        ..Default::default()
    })
    .unwrap_err();
    assert!(e.starts_with("--test-env needs a preset"), "{e}");
}

#[test]
fn auth_and_api_of_different_krakens_are_refused() {
    let pair = |auth: &str, api: &str| {
        urls(EndpointSettings {
            auth_url: flag("--auth-url", auth),
            api_url: flag("--api-url", api),
            ..Default::default()
        })
    };
    let refused = [
        (
            "https://auth.oeus-kraken.systems",
            "https://api.oeus-kraken.energy",
        ),
        ("http://127.0.0.1:1", "https://api.edfgb-kraken.energy"),
        ("https://auth.edfgb-kraken.energy", "http://localhost:1"),
        (
            "https://auth.edfgb-kraken.energy",
            "https://api.oeg-kraken.energy",
        ),
        (
            "https://auth.foo-kraken.energy",
            "https://api.bar-kraken.energy",
        ),
        ("http://127.0.0.1:1", "https://api.example.com"),
    ];
    for (auth, api) in refused {
        let e = pair(auth, api).unwrap_err();
        assert!(
            e.contains("point at different Krakens"),
            "{auth} {api}: {e}"
        );
    }
    let allowed = [
        ("http://127.0.0.1:1", "http://localhost:2"),
        (
            "https://auth.foo-kraken.energy",
            "https://api.foo-kraken.energy",
        ),
        ("https://auth.octopus.energy", "https://api.octopus.energy"),
        ("https://auth.example.com", "https://graphql.example.org"),
    ];
    for (auth, api) in allowed {
        assert!(pair(auth, api).is_ok(), "{auth} {api}");
    }
}
