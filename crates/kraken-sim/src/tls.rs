//! `sim --tls`: HTTPS with a certificate authority made at start, so that `check --ca-cert`
//! and the https-only rule can be exercised end to end with certificate verification on,
//! without a real certificate. The CA signs one server certificate for the loopback names
//! and the address served; its private key never leaves memory.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::crypto::ring::default_provider;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::server::TlsStream;

/// A CA certificate (what clients trust) and the server side it vouches for.
pub(crate) struct Tls {
    /// The CA certificate, PEM.
    pub(crate) ca_pem: String,
    pub(crate) acceptor: TlsAcceptor,
}

/// A fresh CA and a server certificate for `localhost`, 127.0.0.1, ::1 and `served`.
pub(crate) fn generate(served: IpAddr) -> Result<Tls, String> {
    let fail = |what: &str, e: &dyn std::fmt::Display| format!("cannot make the {what}: {e}");
    let ca_key = KeyPair::generate().map_err(|e| fail("CA key", &e))?;
    let mut ca = CertificateParams::new(Vec::<String>::new()).map_err(|e| fail("CA", &e))?;
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    ca.distinguished_name
        .push(DnType::CommonName, "kraken-doctor simulator CA");
    let ca_cert = ca.self_signed(&ca_key).map_err(|e| fail("CA", &e))?;

    let mut names = vec!["localhost".to_string(), "127.0.0.1".into(), "::1".into()];
    if !served.is_unspecified() && !names.contains(&served.to_string()) {
        names.push(served.to_string());
    }
    let key = KeyPair::generate().map_err(|e| fail("server key", &e))?;
    let mut server = CertificateParams::new(names).map_err(|e| fail("certificate", &e))?;
    server
        .distinguished_name
        .push(DnType::CommonName, "kraken-doctor simulator");
    let cert = server
        .signed_by(&key, &Issuer::from_params(&ca, &ca_key))
        .map_err(|e| fail("certificate", &e))?;

    let mut config = ServerConfig::builder_with_provider(Arc::new(default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| fail("TLS configuration", &e))?
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone(), ca_cert.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .map_err(|e| fail("TLS configuration", &e))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Tls {
        ca_pem: ca_cert.pem(),
        acceptor: TlsAcceptor::from(Arc::new(config)),
    })
}

/// A TCP listener that completes TLS handshakes, each on its own task so that a slow or
/// broken client holds no one else up, and hands axum the encrypted streams.
pub(crate) struct TlsListener {
    ready: mpsc::Receiver<(TlsStream<TcpStream>, SocketAddr)>,
    local: SocketAddr,
    accepting: tokio::task::JoinHandle<()>,
}

impl TlsListener {
    pub(crate) fn new(listener: TcpListener, acceptor: TlsAcceptor) -> std::io::Result<Self> {
        let local = listener.local_addr()?;
        let (tx, ready) = mpsc::channel(64);
        let accepting = tokio::spawn(async move {
            loop {
                let Ok((stream, peer)) = listener.accept().await else {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let (acceptor, tx) = (acceptor.clone(), tx.clone());
                tokio::spawn(async move {
                    let handshake = acceptor.accept(stream);
                    if let Ok(Ok(tls)) =
                        tokio::time::timeout(Duration::from_secs(10), handshake).await
                    {
                        let _ = tx.send((tls, peer)).await;
                    }
                });
            }
        });
        Ok(TlsListener {
            ready,
            local,
            accepting,
        })
    }
}

impl Drop for TlsListener {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(conn) => conn,
            // The accepting task ended: no more connections, ever.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
    }
}
