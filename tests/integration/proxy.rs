//! A corporate proxy between the user and Kraken, as CI machines have one: `HTTPS_PROXY`
//! names it, and the HTTPS requests go through it (`CONNECT auth.octopus.energy:443`). A real
//! proxy here is a local TCP server answering the CONNECT the way proxies refuse: 407 (it
//! wants credentials), 403 (the host is not allowed), or nobody listening. The failure must
//! name the proxy and the variable, not blame the Kraken, and never print the proxy's
//! password. No request leaves the machine: the proxy answers before any tunnel exists.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use crate::common::run;

/// A proxy answering every CONNECT with `status`; what it was asked, each request's head.
struct FakeProxy {
    port: u16,
    heads: Arc<Mutex<Vec<String>>>,
}

impl FakeProxy {
    fn start(status: &'static str) -> FakeProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
        let port = listener.local_addr().unwrap().port();
        let heads = Arc::new(Mutex::new(Vec::new()));
        let seen = heads.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut head = String::new();
                let mut reader = BufReader::new(stream.try_clone().expect("a second handle"));
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    head.push_str(&line);
                }
                seen.lock().unwrap().push(head);
                if status.is_empty() {
                    // A proxy that takes the CONNECT and never answers it.
                    std::thread::spawn(move || {
                        std::thread::sleep(std::time::Duration::from_secs(30));
                        drop(stream);
                    });
                    continue;
                }
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nProxy-Authenticate: Basic realm=\"corp\"\r\n\
                     Content-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        FakeProxy { port, heads }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }
}

/// Everything the run printed, on one line (the report wraps at the terminal's width).
fn said(r: &crate::common::Run) -> String {
    format!("{} {}", r.stdout, r.stderr)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The run said `sentence` (wrapped anywhere); its transcript otherwise.
fn assert_said(r: &crate::common::Run, sentence: &str) {
    assert!(said(r).contains(sentence), "{sentence}\n{}", r.transcript());
}

/// A secret of a Kraken's shape (128 letters and digits), so that no note is said about it.
const SECRET: &str = "k7Qz9PLm2xW4vB8nR1tY6uH3jD5fG0sAk7Qz9PLm2xW4vB8nR1tY6uH3jD5fG0sAk7Qz9PLm2xW4vB8nR1tY6uH3jD5fG0sAk7Qz9PLm2xW4vB8nR1tY6uH3jD5fG0sA";

/// `kraken-doctor ARGS` with the secret, and `var` naming the proxy at `proxy`.
fn through(args: &[&str], var: &str, proxy: &str) -> crate::common::Run {
    run(
        args,
        &[(var, proxy), ("KRAKEN_CLIENT_SECRET", SECRET)],
        None,
    )
}

fn token_through(var: &str, proxy: &str, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["token", "--kraken", "octopus-gb", "--client-id", "abc"];
    args.extend_from_slice(extra);
    through(&args, var, proxy)
}

#[test]
fn a_proxy_that_wants_credentials_is_named_with_its_variable_and_not_retried() {
    let proxy = FakeProxy::start("407 Proxy Authentication Required");
    let r = token_through("HTTPS_PROXY", &proxy.url(), &[]);
    assert_eq!(r.code, 3, "{}", r.transcript());
    let expected = format!(
        "the proxy {} (HTTPS_PROXY) asks for a user and password (407 Proxy Authentication \
         Required): give them in HTTPS_PROXY as http://USER:PASSWORD@host:port",
        proxy.url()
    );
    let flat = said(&r);
    assert!(flat.contains(&expected), "{}", r.transcript());
    assert!(
        !flat.contains(" tries)"),
        "a 407 comes back the same: {flat}"
    );
    assert!(!flat.contains("by auth.octopus.energy"), "{flat}");
    let heads = proxy.heads();
    assert_eq!(heads.len(), 1, "{heads:?}");
    assert!(
        heads[0].starts_with("CONNECT auth.octopus.energy:443 "),
        "{heads:?}"
    );
}

#[test]
fn a_proxy_refusing_its_credentials_says_so_and_the_password_never_shows() {
    let proxy = FakeProxy::start("407 Proxy Authentication Required");
    let with = format!("http://ci-user:pr0xy-Passw0rd@127.0.0.1:{}", proxy.port);
    let r = token_through("https_proxy", &with, &["-vv"]);
    let all = format!("{}{}", r.stdout, r.stderr);
    assert_said(
        &r,
        &format!(
            "the proxy {} (https_proxy) refused the user and password https_proxy gives it",
            proxy.url()
        ),
    );
    assert!(!all.contains("pr0xy-Passw0rd"), "{all}");
    // The credentials went to the proxy, as reqwest sends them.
    let heads = proxy.heads();
    assert!(
        heads[0]
            .to_ascii_lowercase()
            .contains("proxy-authorization: basic "),
        "{heads:?}"
    );
}

#[test]
fn a_proxy_that_will_not_go_to_the_kraken_is_named_in_a_full_check() {
    let proxy = FakeProxy::start("403 Forbidden");
    let check = ["check", "--kraken", "octopus-gb", "--client-id", "abc"];
    let r = through(&check, "ALL_PROXY", &proxy.url());
    assert_eq!(r.code, 3, "{}", r.transcript());
    assert_said(
        &r,
        &format!(
            "the proxy {} (ALL_PROXY) would not open a connection to auth.octopus.energy:443 (it \
             does not allow that host, cannot reach it, or is no HTTP proxy) (3 tries)",
            proxy.url()
        ),
    );
}

#[test]
fn a_proxy_nobody_listens_on_is_the_one_refusing_not_the_kraken() {
    let unused = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", unused.local_addr().unwrap().port());
    drop(unused);
    let r = token_through("HTTPS_PROXY", &url, &[]);
    let flat = said(&r);
    assert!(
        flat.contains(&format!(
            "Connection refused by the proxy {url} (HTTPS_PROXY)"
        )),
        "{}",
        r.transcript()
    );
    assert!(!flat.contains("by auth.octopus.energy"), "{flat}");
}

#[test]
fn a_407_to_plain_http_is_the_proxys_answer_not_the_auth_servers() {
    // Plain HTTP (a local simulator) goes through HTTP_PROXY as a whole request, so the
    // proxy's 407 arrives as an answer: it is the proxy's, never read as the auth server's.
    let proxy = FakeProxy::start("407 Proxy Authentication Required");
    let r = run(
        &[
            "token",
            "--auth-url",
            "http://127.0.0.1:9/",
            "--api-url",
            "http://127.0.0.1:9/",
            "--client-id",
            "abc",
        ],
        &[
            ("HTTP_PROXY", &proxy.url()),
            ("KRAKEN_CLIENT_SECRET", SECRET),
        ],
        None,
    );
    assert_eq!(r.code, 3, "{}", r.transcript());
    assert_said(
        &r,
        &format!(
            "the proxy {} (HTTP_PROXY) asks for a user and password (407 Proxy Authentication \
             Required)",
            proxy.url()
        ),
    );
    assert!(
        proxy.heads()[0].starts_with("POST http://127.0.0.1:9/token/ "),
        "{:?}",
        proxy.heads()
    );
}

#[test]
fn a_socks_proxy_is_said_to_be_one_kraken_doctor_does_not_speak() {
    // reqwest is built without SOCKS: every request through one fails before it leaves, so
    // the report says that, once, instead of "could not connect" three times.
    let r = token_through("ALL_PROXY", "socks5://127.0.0.1:1080", &[]);
    assert_eq!(r.code, 3, "{}", r.transcript());
    assert_said(
        &r,
        "the proxy socks5://127.0.0.1:1080 (ALL_PROXY) is a SOCKS proxy, which kraken-doctor \
         does not speak: name an HTTP proxy in ALL_PROXY, or list auth.octopus.energy in NO_PROXY",
    );
    assert!(!said(&r).contains(" tries)"), "{}", r.transcript());
}

#[test]
fn a_proxy_that_never_answers_is_named_with_the_connect_limit() {
    // reqwest's connect limit covers reaching the proxy and its tunnel: the sentence says the
    // proxy may be what did not answer, not that the Kraken's host did not.
    let proxy = FakeProxy::start("");
    let r = token_through(
        "HTTPS_PROXY",
        &proxy.url(),
        // The connect limit (at most 5 s) under the per-request limit, so that it is the one
        // reached.
        &["--timeout", "6", "--retries", "0"],
    );
    assert_eq!(r.code, 3, "{}", r.transcript());
    assert_said(
        &r,
        &format!(
            "No connection through the proxy {} (HTTPS_PROXY) to auth.octopus.energy:443 \
             within 5 s (the connect limit): the proxy did not answer, or could not reach \
             the host",
            proxy.url()
        ),
    );
}
