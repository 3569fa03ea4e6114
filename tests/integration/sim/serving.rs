//! How the simulator is served: HTTPS with a certificate authority made at start (`--tls`),
//! proven end to end with kraken-doctor's own `check --ca-cert` and verification on; and the
//! address it is bound to (`--bind`), which the banner reports as served. Loopback addresses
//! only: this machine allows no other traffic.

use kraken_sim::{Scenario, SimOptions, Simulator};
use serde_json::Value;

use super::{sim_binary, stop};
use crate::common::run;

#[tokio::test]
async fn tls_is_verified_against_the_generated_ca() {
    // Proves SimOptions.tls: an https URL, a CA certificate in PEM, a client that trusts it
    // gets a token, a client that does not is refused by certificate verification.
    let sim = Simulator::start_with(
        Scenario::builtin("healthy").expect("builtin"),
        SimOptions {
            tls: true,
            ..SimOptions::default()
        },
    )
    .expect("start");
    assert!(sim.url().starts_with("https://127.0.0.1:"), "{}", sim.url());
    let pem = sim.ca_cert_pem().expect("a CA").to_string();
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
    let app = &sim.applications()[0];
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", app.client_id.as_str()),
        ("client_secret", app.client_secret.expose()),
    ];
    let trusting = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(pem.as_bytes()).expect("pem"))
        .https_only(true)
        .no_proxy()
        .build()
        .expect("client");
    let r = trusting
        .post(format!("{}/token/", sim.url()))
        .form(&form)
        .send()
        .await
        .expect("a verified TLS connection");
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = r.json().await.expect("json");
    assert!(v["access_token"].is_string());
    let untrusting = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let refused = untrusting
        .post(format!("{}/token/", sim.url()))
        .form(&form)
        .send()
        .await;
    assert!(refused.is_err(), "an unknown CA is refused");
    assert_eq!(sim.stats().token_requests, 1);
}

#[test]
fn check_with_ca_cert_passes_against_sim_tls_end_to_end() {
    // Proves `sim --tls` prints its CA file in the banner (`ca_cert`) and on stderr, and that
    // `check --ca-cert` against its https URLs passes every check with verification on, while
    // the same check without the CA cannot reach the auth server. The file goes when sim stops.
    let (child, banner) = sim_binary(&["--tls", "--port", "0", "--scenario", "healthy"]);
    let url = banner["url"].as_str().expect("url").to_string();
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    let ca = banner["ca_cert"].as_str().expect("ca_cert").to_string();
    assert!(
        std::fs::read_to_string(&ca)
            .expect("CA file")
            .contains("BEGIN CERTIFICATE")
    );
    let id = banner["applications"][0]["client_id"].as_str().expect("id");
    let secret = banner["applications"][0]["client_secret"]
        .as_str()
        .expect("secret");
    let args = |ca_cert: Option<&str>| {
        let mut a = vec![
            "check",
            "--auth-url",
            &url,
            "--api-url",
            &url,
            "--client-id",
            id,
            "--property-id",
            "240811",
            "--skip",
            "manual",
            "--format",
            "json",
            "--retries",
            "0",
        ];
        if let Some(path) = ca_cert {
            a.extend(["--ca-cert", path]);
        }
        a.iter().map(|s| s.to_string()).collect::<Vec<_>>()
    };
    let env = [("KRAKEN_CLIENT_SECRET", secret)];
    let with = args(Some(&ca));
    let with: Vec<&str> = with.iter().map(String::as_str).collect();
    let verified = run(&with, &env, None);
    assert_eq!(verified.code, 0, "{}\n{}", verified.stdout, verified.stderr);
    let report: Value = serde_json::from_str(&verified.stdout).expect("JSON report");
    for c in report["checks"].as_array().expect("checks") {
        assert_eq!(c["status"], "pass", "{c}");
    }
    let without = args(None);
    let without: Vec<&str> = without.iter().map(String::as_str).collect();
    // SSL_CERT_FILE, as a machine behind an inspecting proxy sets it: the roots are read from
    // it (rustls-native-certs) instead of the system's, so the CA there is trusted too.
    let from_env = run(&without, &[env[0], ("SSL_CERT_FILE", ca.as_str())], None);
    assert_eq!(from_env.code, 0, "{}\n{}", from_env.stdout, from_env.stderr);
    let unverified = run(&without, &env, None);
    assert_ne!(unverified.code, 0, "an untrusted certificate never passes");
    let report: Value = serde_json::from_str(&unverified.stdout).expect("JSON report");
    assert_eq!(report["checks"][0]["id"], "auth.reachable");
    assert_eq!(report["checks"][0]["status"], "error");
    let log = stop(child);
    assert!(log.contains(&format!("CA certificate at {ca}")), "{log}");
    assert!(
        !std::path::Path::new(&ca).exists(),
        "the CA file is removed at exit"
    );
}

#[test]
fn bind_serves_the_address_given_and_the_banner_says_so() {
    // Proves `--bind` to another loopback address (127.0.0.2, ::1): the banner's url is that
    // address (IPv6 in brackets), a token is served there, and loopback needs no warning.
    for (bind, prefix) in [("127.0.0.2", "http://127.0.0.2:"), ("::1", "http://[::1]:")] {
        let (child, banner) = sim_binary(&["--bind", bind, "--port", "0"]);
        let url = banner["url"].as_str().expect("url").to_string();
        assert!(url.starts_with(prefix), "{url}");
        let id = banner["applications"][0]["client_id"].as_str().expect("id");
        let secret = banner["applications"][0]["client_secret"]
            .as_str()
            .expect("secret");
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        let status = rt.block_on(async {
            super::client()
                .post(format!("{url}/token/"))
                .basic_auth(id, Some(secret))
                .form(&[("grant_type", "client_credentials")])
                .send()
                .await
                .expect("send")
                .status()
                .as_u16()
        });
        assert_eq!(status, 200, "{bind}");
        let log = stop(child);
        assert!(!log.contains("warning"), "{log}");
        assert!(log.contains(&format!("at {url}")), "{log}");
    }
}
