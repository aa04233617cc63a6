//! Signature verification speed on a signed ~10 KB Entra-shaped response
//! (`fixtures/dsig/large-10k-assertion-signed.xml`). Target: under 300 µs per verification.
//!
//! ```text
//! cargo bench --bench dsig
//! ```

use criterion::{Criterion, criterion_group, criterion_main};
use sso_doctor::dsig::c14n::{self, C14nMethod};
use sso_doctor::dsig::verify::{self, Cert};
use sso_doctor::limits::Limits;
use sso_doctor::xml::Document;
use std::hint::black_box;

fn fixture(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn bench(c: &mut Criterion) {
    let xml = fixture("fixtures/dsig/large-10k-assertion-signed.xml");
    let cert_pem = fixture("fixtures/keys/idp-rsa.crt");
    let certs = vec![cert_pem.clone()];
    let parsed = vec![Cert::parse(&cert_pem).unwrap()];
    let doc = Document::parse(&xml, &Limits::default()).unwrap();
    assert!(verify::verify_all(&doc, &certs)[0].outcome.is_valid());

    let mut g = c.benchmark_group(format!("dsig {} bytes", xml.len()));
    g.bench_function("verify_all (cert parsed each time)", |b| {
        b.iter(|| verify::verify_all(black_box(&doc), black_box(&certs)))
    });
    g.bench_function("verify_all_with (cert pre-parsed)", |b| {
        b.iter(|| verify::verify_all_with(black_box(&doc), black_box(&parsed)))
    });
    g.bench_function("parse + verify_all", |b| {
        b.iter(|| {
            let d = Document::parse(black_box(&xml), &Limits::default()).unwrap();
            verify::verify_all(&d, black_box(&certs))
        })
    });
    let assertion = doc
        .child(
            doc.root,
            "urn:oasis:names:tc:SAML:2.0:assertion",
            "Assertion",
        )
        .unwrap();
    let method = C14nMethod::from_uri(c14n::EXC_C14N, None).unwrap();
    g.bench_function("exc-c14n of the assertion", |b| {
        b.iter(|| c14n::canonicalize(black_box(&doc), assertion, None, &method))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
