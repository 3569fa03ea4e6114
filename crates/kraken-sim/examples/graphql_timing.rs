//! The simulator's own time per GraphQL request, by hand (no assertion, no stopwatch in the
//! tests): `cargo run --release -p kraken-sim --example graphql_timing [N]`.
//!
//! Starts the healthy scenario in-process, fetches one token, then sends N times (default
//! 2,000) the checker's measurements probe, one request after another over plain HTTP/1.1,
//! and prints the median and p99 of `Simulator::service_times_us` (the handler's own time,
//! the client excluded) for the GraphQL requests. BENCHMARKS.md records its results.

use std::io::{Read, Write};
use std::net::TcpStream;

use kraken_sim::{Scenario, Simulator};

/// The checker's `read-property` probe (checks/data.measurements.toml).
const QUERY: &str = "query KrakenDoctorMeasurements($propertyId: ID!) {\n  property(id: \
                     $propertyId) {\n    id\n    measurements(first: 1) {\n      edges {\n        \
                     node {\n          value\n          unit\n          readAt\n          ... on \
                     IntervalMeasurementType {\n            startAt\n            endAt\n            \
                     durationInSeconds\n          }\n        }\n      }\n    }\n  }\n}";

/// POST `body` to `path` with one connection per request; the status and the response body.
fn post(addr: std::net::SocketAddr, path: &str, headers: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).expect("the simulator accepts");
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{headers}\
         Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("the request is sent");
    let mut out = String::new();
    s.read_to_string(&mut out).expect("an answer");
    let status = out[9..12].parse().unwrap_or(0);
    let body = out.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, body.to_string())
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let sim = Simulator::start(Scenario::builtin("healthy").expect("healthy")).expect("starts");
    let addr = sim.local_addr();
    let app = sim.applications().remove(0);
    let property = sim.properties().remove(0).id;
    let form = format!(
        "grant_type=client_credentials&client_id={}&client_secret={}",
        app.client_id,
        app.client_secret.expose()
    );
    let (_, token) = post(
        addr,
        "/token/",
        "Content-Type: application/x-www-form-urlencoded\r\n",
        &form,
    );
    let token: serde_json::Value = serde_json::from_str(&token).expect("a token answer");
    let token = token["access_token"].as_str().expect("a token").to_string();
    let body = serde_json::json!({"query": QUERY, "variables": {"propertyId": property}});
    let body = body.to_string();
    let headers = format!("Content-Type: application/json\r\nAuthorization: {token}\r\n");
    let before = sim.service_times_us().len();
    for i in 0..n {
        let (status, answer) = post(addr, "/v1/graphql/", &headers, &body);
        if i == 0 {
            assert!(
                status == 200 && answer.contains("\"measurements\"") && !answer.contains("errors"),
                "{status} {answer}"
            );
        }
    }
    let mut times: Vec<u32> = sim.service_times_us()[before..].to_vec();
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    println!(
        "{} GraphQL requests: own time median {} µs, p99 {} µs",
        times.len(),
        at(0.5),
        at(0.99)
    );
}
