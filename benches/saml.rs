//! Decode + parse + every rule on a typical ~10 KB Entra-shaped response, as raw XML, as a
//! URL-encoded form body, and (signed, with the IdP certificate) with RSA verification; then the
//! stages one by one. Target for the first two: well under 100 µs per message. Figures are in the
//! README ("Speed (measured)").

use criterion::{Criterion, criterion_group, criterion_main};
use sso_doctor::analyze::{Input, RunOptions, analyze};
use sso_doctor::decode::encode;
use sso_doctor::settings::Settings;
use std::hint::black_box;

/// The clean Entra fixture grown to ~10 KB with group claims, as real tenants send.
fn ten_kb_response() -> String {
    let base = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/saml/entra-clean.xml"
    ))
    .expect("fixture");
    let mut groups = String::from(
        "\n      <Attribute Name=\"http://schemas.microsoft.com/ws/2008/06/identity/claims/groups\">",
    );
    let mut i = 0;
    while base.len() + groups.len() < 10_000 {
        groups.push_str(&format!(
            "\n        <AttributeValue>{i:08x}-1b3f-4d6e-8a90-2c4e6f8a0b13</AttributeValue>"
        ));
        i += 1;
    }
    groups.push_str("\n      </Attribute>");
    base.replacen(
        "<AttributeStatement>",
        &format!("<AttributeStatement>{groups}"),
        1,
    )
}

fn bench(c: &mut Criterion) {
    let xml = ten_kb_response();
    let settings = Settings::from_toml(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/saml/entra.toml"
        ))
        .unwrap(),
        "entra.toml",
    )
    .unwrap();
    let opts = RunOptions {
        settings: &settings,
        now: sso_doctor::time::parse_millis("2026-03-10T09:16:00Z"),
        now_source: "bench",
        limits: Default::default(),
    };
    let raw = [Input {
        name: "raw".into(),
        bytes: xml.clone().into_bytes(),
    }];
    let form = [Input {
        name: "form".into(),
        bytes: format!(
            "SAMLResponse={}&RelayState=x",
            encode::url(&encode::base64(&xml))
        )
        .into_bytes(),
    }];
    let mut g = c.benchmark_group("saml_10kb");
    g.bench_function("raw_xml_decode_parse_rules", |b| {
        b.iter(|| black_box(analyze(black_box(&raw), &opts)))
    });
    g.bench_function("form_body_decode_parse_rules", |b| {
        b.iter(|| black_box(analyze(black_box(&form), &opts)))
    });
    // The same pipeline on a validly signed ~10 KB response with the IdP certificate configured,
    // so that the RSA signature is verified too (the fixture the dsig bench uses).
    let cert = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/keys/idp-rsa.crt"
    ))
    .unwrap();
    let signed_settings = Settings::from_toml(
        &format!(
            "[connection]\nacs_url = \"https://acme.kinde.test/login/saml/callback\"\n\
             sp_entity_id = \"kx7Qm2Rv9LpT4wZ8aN3c\"\nidp_certificates = [{cert:?}]\n"
        ),
        "bench.toml",
    )
    .unwrap();
    let signed_opts = RunOptions {
        settings: &signed_settings,
        now: opts.now,
        now_source: "bench",
        limits: Default::default(),
    };
    let signed = [Input {
        name: "signed".into(),
        bytes: std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/dsig/large-10k-assertion-signed.xml"
        ))
        .unwrap(),
    }];
    let verdict = analyze(&signed, &signed_opts);
    assert!(
        verdict.messages[0]
            .outcome
            .findings
            .iter()
            .any(|f| f.code == "SD710"),
        "the signed fixture verifies"
    );
    g.bench_function("signed_verified_decode_parse_rules", |b| {
        b.iter(|| black_box(analyze(black_box(&signed), &signed_opts)))
    });
    g.bench_function("parse_only", |b| {
        b.iter(|| {
            black_box(sso_doctor::saml::parse_message(
                black_box(&xml),
                &Default::default(),
            ))
        })
    });
    g.finish();

    // The stages one by one, to see where the time of a message goes.
    let limits = Default::default();
    let mut s = c.benchmark_group("saml_10kb_stages");
    s.bench_function("xml_tree", |b| {
        b.iter(|| black_box(sso_doctor::xml::Document::parse(black_box(&xml), &limits)))
    });
    // The floor under the tree: quick-xml's events, attribute values and text, nothing built.
    s.bench_function("quick_xml_events_only", |b| {
        b.iter(|| {
            let mut reader = quick_xml::Reader::from_str(black_box(&xml));
            let mut n = 0usize;
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                    Ok(quick_xml::events::Event::Start(t) | quick_xml::events::Event::Empty(t)) => {
                        for a in t.attributes().with_checks(false).flatten() {
                            n += a
                                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .map_or(0, |v| v.len());
                        }
                    }
                    Ok(quick_xml::events::Event::Text(t)) => n += t.xml10_content().len(),
                    Ok(_) => n += 1,
                }
            }
            black_box(n)
        })
    });
    let message = sso_doctor::saml::parse_message(&xml, &limits).unwrap();
    let keys = sso_doctor::security::Keys::from_settings(&settings);
    s.bench_function("security_inspect", |b| {
        b.iter(|| {
            black_box(sso_doctor::security::inspect(
                black_box(&message.doc),
                &keys,
            ))
        })
    });
    let security = sso_doctor::security::inspect(&message.doc, &keys);
    let ctx = sso_doctor::rules::Context {
        settings: &settings,
        now: opts.now,
        now_source: "bench",
        request_ids: None,
        keys: Some(&keys),
        security: Some(&security),
    };
    s.bench_function("rules", |b| {
        b.iter(|| black_box(sso_doctor::rules::run(&ctx, black_box(&message))))
    });
    s.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
