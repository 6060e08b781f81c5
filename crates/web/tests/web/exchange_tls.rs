//! Peers over HTTPS (issue 13): what nodes exchange (offenders' identities,
//! abuse sites' addresses) must not cross a network in clear. A peer's
//! address is https://, or plain http:// only to this machine; B pulls A's
//! feed through a TLS front (as a deployment puts one before `haven serve`)
//! whose certificate a private authority signed, trusted with
//! `--exchange-ca-file`; a node that does not trust it refuses to pull.

use crate::exchange::{add_peer, key, node_with, pull_answer};
use crate::http::{get, send_json};
use haven_web::exchange::PeerClient;
use openssl::asn1::Asn1Time;
use openssl::bn::{BigNum, MsbOption};
use openssl::hash::MessageDigest;
use openssl::pkey::{PKey, Private};
use openssl::ssl::{SslAcceptor, SslMethod};
use openssl::x509::extension::{BasicConstraints, KeyUsage, SubjectAlternativeName};
use openssl::x509::{X509NameBuilder, X509};
use serde_json::json;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};

fn certificate(name: &str, key: &PKey<Private>, issuer: Option<(&X509, &PKey<Private>)>) -> X509 {
    let mut subject = X509NameBuilder::new().unwrap();
    subject.append_entry_by_text("CN", name).unwrap();
    let subject = subject.build();
    let mut b = X509::builder().unwrap();
    b.set_version(2).unwrap();
    let mut serial = BigNum::new().unwrap();
    serial.rand(64, MsbOption::MAYBE_ZERO, false).unwrap();
    b.set_serial_number(&serial.to_asn1_integer().unwrap())
        .unwrap();
    b.set_subject_name(&subject).unwrap();
    b.set_pubkey(key).unwrap();
    b.set_not_before(&Asn1Time::days_from_now(0).unwrap())
        .unwrap();
    b.set_not_after(&Asn1Time::days_from_now(2).unwrap())
        .unwrap();
    match issuer {
        None => {
            b.set_issuer_name(&subject).unwrap();
            b.append_extension(BasicConstraints::new().critical().ca().build().unwrap())
                .unwrap();
            b.append_extension(
                KeyUsage::new()
                    .critical()
                    .key_cert_sign()
                    .crl_sign()
                    .build()
                    .unwrap(),
            )
            .unwrap();
            b.sign(key, MessageDigest::sha256()).unwrap();
        }
        Some((ca, ca_key)) => {
            b.set_issuer_name(ca.subject_name()).unwrap();
            let san = SubjectAlternativeName::new()
                .dns("localhost")
                .ip("127.0.0.1")
                .build(&b.x509v3_context(Some(ca), None))
                .unwrap();
            b.append_extension(san).unwrap();
            b.sign(ca_key, MessageDigest::sha256()).unwrap();
        }
    }
    b.build()
}

/// A TLS front for `backend` on a port of its own: one request a
/// connection, passed on with `Connection: close` and answered with all
/// the backend sent. Returns its address and the authority's PEM.
fn tls_front(backend: SocketAddr) -> (SocketAddr, Vec<u8>) {
    let ca_key = PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
    let ca = certificate("Ministry test authority", &ca_key, None);
    let key = PKey::from_rsa(openssl::rsa::Rsa::generate(2048).unwrap()).unwrap();
    let cert = certificate("localhost", &key, Some((&ca, &ca_key)));
    let mut acceptor = SslAcceptor::mozilla_intermediate_v5(SslMethod::tls()).unwrap();
    acceptor.set_private_key(&key).unwrap();
    acceptor.set_certificate(&cert).unwrap();
    acceptor.add_extra_chain_cert(ca.clone()).unwrap();
    let acceptor = acceptor.build();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            // A handshake the client gave up (it did not trust us) is
            // no reason to stop serving the next one.
            let Ok(mut tls) = acceptor.accept(client) else {
                continue;
            };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") {
                match tls.read(&mut byte) {
                    Ok(1) => head.push(byte[0]),
                    _ => break,
                }
            }
            let head = String::from_utf8_lossy(&head).replacen(
                "\r\n\r\n",
                "\r\nConnection: close\r\n\r\n",
                1,
            );
            let mut upstream = TcpStream::connect(backend).unwrap();
            upstream.write_all(head.as_bytes()).unwrap();
            let mut answer = Vec::new();
            upstream.read_to_end(&mut answer).unwrap();
            let _ = tls.write_all(&answer);
            let _ = tls.shutdown();
        }
    });
    (addr, ca.to_pem().unwrap())
}

#[test]
fn peers_are_pulled_over_https_and_plain_http_only_on_this_machine() {
    let a = node_with(1, |_| {});
    let (front, ca_pem) = tls_front(a.addr);
    let trusting = PeerClient::new(Some(&ca_pem)).unwrap();
    let b = node_with(2, move |st| st.peer_client = trusting);
    let c = node_with(3, |_| {});
    add_peer(
        &a,
        json!({"name": "B", "public_key": key(2).public_base64(), "publish": "urls"}),
    );
    add_peer(
        &a,
        json!({"name": "C", "public_key": key(3).public_base64(), "publish": "urls"}),
    );

    // Plain HTTP to another machine is refused, naming the field; to this
    // machine it is accepted (the other exchange tests use it).
    let r = send_json(
        b.addr,
        "POST",
        "/api/v1/exchange/peers",
        &b.tokens["admin"],
        &json!({"name": "A", "public_key": key(1).public_base64(),
                "url": "http://haven.ministry.example", "may_send": "urls"}),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("\"url\"") && r.body.contains("https://"),
        "{}",
        r.body
    );
    let r = get(b.addr, "/api/v1/exchange/peers", Some(&b.tokens["admin"]));
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 0, "{}", r.body);

    let address = format!("https://localhost:{}", front.port());
    for n in [&b, &c] {
        add_peer(
            n,
            json!({"name": "A", "public_key": key(1).public_base64(),
                   "url": address, "may_send": "urls"}),
        );
    }
    let r = send_json(
        a.addr,
        "POST",
        "/api/v1/urls",
        &a.tokens["analyst"],
        &json!({"url": "http://listed.example/over-tls", "category": "csam"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);

    // B trusts the ministry's authority: the URL arrives over TLS.
    let (status, done) = pull_answer(&b, "A");
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["import"]["urls_added"], 1, "{done}");

    // C trusts only the system's authorities: the pull fails, saying why,
    // and nothing arrives.
    let (status, refused) = pull_answer(&c, "A");
    assert_eq!(status, 502, "{refused}");
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(message.contains("could not be reached"), "{message}");
    let r = send_json(
        c.addr,
        "POST",
        "/api/v1/urls/check",
        &c.tokens["isp"],
        &json!({"url": "http://listed.example/over-tls"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["listed"], false, "{}", r.body);
}
