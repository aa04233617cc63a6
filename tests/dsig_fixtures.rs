//! The signed and encrypted fixtures in `fixtures/dsig/` (made by
//! `examples/make_signed_fixtures.rs`) against the verifier, the wrapping checks and decryption.

use sso_doctor::dsig::decrypt::{DecryptError, SpKey, decrypt_all, parse_decrypted};
use sso_doctor::dsig::verify::{Outcome, SignatureReport, verify_all};
use sso_doctor::dsig::wrapping::{self, WrappingIssue};
use sso_doctor::limits::Limits;
use sso_doctor::xml::Document;
use std::path::PathBuf;

mod common;

fn path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(path(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn doc(name: &str) -> Document {
    Document::parse(&read(&format!("fixtures/dsig/{name}")), &Limits::default()).unwrap()
}

fn cert(name: &str) -> String {
    read(&format!("fixtures/keys/{name}.crt"))
}

fn outcomes(name: &str, certs: &[&str]) -> (Document, Vec<SignatureReport>) {
    let d = doc(name);
    let certs: Vec<String> = certs.iter().map(|c| cert(c)).collect();
    let reports = verify_all(&d, &certs);
    (d, reports)
}

fn single(name: &str, certs: &[&str]) -> Outcome {
    let (_, r) = outcomes(name, certs);
    assert_eq!(r.len(), 1, "{name}: {r:#?}");
    r[0].outcome.clone()
}

#[test]
fn valid_signatures_of_every_supported_algorithm() {
    for (name, key) in [
        ("rsa-sha256-assertion-signed.xml", "idp-rsa"),
        ("rsa-sha256-response-signed.xml", "idp-rsa"),
        ("rsa-sha1-assertion-signed.xml", "idp-rsa"),
        ("rsa-sha512-response-inclusive-c14n.xml", "idp-rsa"),
        ("rsa-sha384-exc-c14n-with-comments.xml", "idp-rsa"),
        ("ecdsa-p256-assertion-signed.xml", "idp-p256"),
        ("ecdsa-p384-assertion-signed.xml", "idp-p384"),
        ("comment-injection-nameid.xml", "idp-rsa"),
        ("large-10k-assertion-signed.xml", "idp-rsa"),
    ] {
        assert_eq!(
            single(name, &[key]),
            Outcome::Valid { cert_index: 0 },
            "{name}"
        );
    }
}

#[test]
fn both_signed_reports_response_then_assertion() {
    let (d, r) = outcomes("rsa-sha256-both-signed.xml", &["idp-rsa"]);
    assert_eq!(r.len(), 2);
    assert!(
        r.iter()
            .all(|s| s.outcome == Outcome::Valid { cert_index: 0 })
    );
    assert_eq!(r[0].signed_element, Some(d.root));
    assert_eq!(
        r[1].signed_path.as_deref(),
        Some("/saml2p:Response/saml2:Assertion")
    );
    assert_eq!(
        r[1].algorithms.signature.as_deref(),
        Some("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256")
    );
    let w = wrapping::check(&d, &r);
    assert!(w.issues.is_empty(), "{:#?}", w.issues);
}

#[test]
fn keyinfo_certificate_is_reported_not_trusted() {
    let (_, r) = outcomes("wrong-key.xml", &["idp-rsa"]);
    assert_eq!(r[0].outcome, Outcome::SignatureMismatch);
    let ki = r[0].keyinfo_cert.as_ref().unwrap();
    assert!(ki.subject.contains("CN=attacker.test"), "{}", ki.subject);
    assert_eq!(ki.key, "RSA 2048");
    assert_eq!(r[0].keyinfo_matches_configured, None);
    // Trusting nothing at all: the KeyInfo certificate alone never validates.
    let (_, r) = outcomes("rsa-sha256-assertion-signed.xml", &[]);
    assert_eq!(r[0].outcome, Outcome::NoTrustedCertificate);
    assert!(r[0].digest_matched);
}

#[test]
fn rollover_fails_with_the_old_certificate_and_passes_with_both() {
    assert_eq!(
        single("rollover-new-key.xml", &["idp-rsa"]),
        Outcome::SignatureMismatch
    );
    let (_, r) = outcomes("rollover-new-key.xml", &["idp-rsa", "idp-rsa-new"]);
    assert_eq!(r[0].outcome, Outcome::Valid { cert_index: 1 });
    assert_eq!(r[0].keyinfo_matches_configured, Some(1));
}

#[test]
fn tampering_is_caught() {
    match single("tampered-digest.xml", &["idp-rsa"]) {
        Outcome::DigestMismatch { expected, computed } => assert_ne!(expected, computed),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        single("tampered-signature-value.xml", &["idp-rsa"]),
        Outcome::SignatureMismatch
    );
    // An ECDSA signature checked with an RSA certificate: no usable key.
    assert_eq!(
        single("ecdsa-p256-assertion-signed.xml", &["idp-rsa"]),
        Outcome::NoTrustedCertificate
    );
    assert_eq!(
        single("ecdsa-p256-assertion-signed.xml", &["idp-p384"]),
        Outcome::SignatureMismatch
    );
}

fn issues(name: &str) -> (Vec<SignatureReport>, Vec<WrappingIssue>) {
    let (d, r) = outcomes(name, &["idp-rsa"]);
    let w = wrapping::check(&d, &r);
    (r, w.issues)
}

fn has(issues: &[WrappingIssue], pred: impl Fn(&WrappingIssue) -> bool) -> bool {
    issues.iter().any(pred)
}

fn not_read(i: &WrappingIssue) -> bool {
    matches!(i, WrappingIssue::SignedElementNotRead { .. })
}

fn hidden_in(name: &'static str) -> impl Fn(&WrappingIssue) -> bool {
    move |i| matches!(i, WrappingIssue::HiddenElement { container_name, .. } if container_name == name)
}

#[derive(Debug, PartialEq)]
enum Verdict {
    /// Valid and enveloped: the signature is intact on its own element.
    Valid,
    /// Cryptographically valid, but the reference is not the signature's parent.
    NotParent,
    /// The enveloped transform empties a node-set that lies inside the Signature.
    Digest,
}

#[test]
fn xsw1_to_xsw8_are_all_flagged() {
    use Verdict::*;
    let expect: [(&str, Verdict, &str); 8] = [
        // (fixture, signature verdict, hiding container)
        ("xsw1.xml", Digest, "Signature"),
        ("xsw2.xml", NotParent, "Response"),
        ("xsw3.xml", Valid, ""),
        ("xsw4.xml", Valid, "Assertion"),
        ("xsw5.xml", NotParent, ""),
        ("xsw6.xml", Digest, "Signature"),
        ("xsw7.xml", Valid, "Extensions"),
        ("xsw8.xml", Digest, "Object"),
    ];
    for (name, verdict, container) in expect {
        let (r, found) = issues(name);
        assert_eq!(r.len(), 1, "{name}");
        let got = match &r[0].outcome {
            Outcome::Valid { cert_index: 0 } => Valid,
            Outcome::ReferenceNotParent { cert_index: 0 } => NotParent,
            Outcome::DigestMismatch { .. } => Digest,
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(got, verdict, "{name}");
        // Where the signature still verifies, the data read is not what it covers.
        assert_eq!(
            has(&found, not_read),
            verdict != Digest,
            "{name}: {found:#?}"
        );
        if !container.is_empty() {
            assert!(has(&found, hidden_in(container)), "{name}: {found:#?}");
        }
        assert_eq!(
            has(&found, |i| matches!(
                i,
                WrappingIssue::ReferenceNotParent { .. }
            )),
            verdict != Valid,
            "{name}: {found:#?}"
        );
        let several = has(&found, |i| {
            matches!(i, WrappingIssue::SeveralAssertions { .. })
        });
        assert!(several, "{name}: {found:#?}");
    }
}

#[test]
fn duplicate_ids_make_the_reference_ambiguous() {
    let (r, found) = issues("duplicate-ids.xml");
    assert_eq!(
        r[0].outcome,
        Outcome::ReferenceAmbiguous("_5e9d2a7c-1b3f-4d6e-8a90-2c4e6f8a0b13".into(), 2)
    );
    assert!(has(
        &found,
        |i| matches!(i, WrappingIssue::DuplicateId { elements, .. } if elements.len() == 2)
    ));
}

#[test]
fn comment_injection_is_flagged_while_the_signature_holds() {
    let (r, found) = issues("comment-injection-nameid.xml");
    assert!(r[0].outcome.is_valid());
    let hit = found
        .iter()
        .find_map(|i| match i {
            WrappingIssue::CommentInjection {
                element_name,
                first_text,
                full_text,
                split_by,
                ..
            } => Some((element_name, first_text, full_text, *split_by)),
            _ => None,
        })
        .expect("comment injection found");
    assert_eq!(hit.0, "NameID");
    assert_eq!(hit.1, "dana.reyes@example.com");
    assert_eq!(hit.2, "dana.reyes@example.com.evil.test");
    assert_eq!(hit.3, wrapping::SplitKind::Comment);
}

#[test]
fn clean_fixtures_have_no_structural_issues() {
    for name in [
        "rsa-sha256-assertion-signed.xml",
        "rsa-sha256-response-signed.xml",
        "ecdsa-p384-assertion-signed.xml",
        "large-10k-assertion-signed.xml",
    ] {
        let (_, found) = issues(name);
        assert!(found.is_empty(), "{name}: {found:#?}");
    }
}

#[test]
fn encrypted_assertions_decrypt_and_their_signature_verifies() {
    let pkcs8 = SpKey::parse(&read("fixtures/keys/sp-rsa.key")).unwrap();
    let pkcs1 = SpKey::parse(&read("fixtures/keys/sp-rsa-pkcs1.key")).unwrap();
    for (name, transport, data) in [
        (
            "encrypted-assertion-cbc.xml",
            "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
            "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
        ),
        (
            "encrypted-assertion-gcm.xml",
            "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p",
            "http://www.w3.org/2009/xmlenc11#aes128-gcm",
        ),
        (
            "encrypted-assertion-gcm-oaep11.xml",
            "http://www.w3.org/2009/xmlenc11#rsa-oaep",
            "http://www.w3.org/2009/xmlenc11#aes256-gcm",
        ),
        (
            "encrypted-assertion-rsa15-sibling-key.xml",
            "http://www.w3.org/2001/04/xmlenc#rsa-1_5",
            "http://www.w3.org/2001/04/xmlenc#aes192-cbc",
        ),
    ] {
        let d = doc(name);
        assert!(verify_all(&d, &[cert("idp-rsa")]).is_empty(), "{name}");
        for key in [&pkcs8, &pkcs1] {
            let all = decrypt_all(&d, key);
            assert_eq!(all.len(), 1, "{name}");
            let dec = all[0].1.as_ref().unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(dec.key_transport, transport);
            assert_eq!(dec.data_algorithm, data);
            assert!(dec.xml.starts_with("<Assertion ID="), "{name}");
            let inner = parse_decrypted(&d, all[0].0, &dec.xml, &Limits::default()).unwrap();
            let r = verify_all(&inner, &[cert("idp-rsa")]);
            assert_eq!(r[0].outcome, Outcome::Valid { cert_index: 0 }, "{name}");
        }
    }
}

#[test]
fn decryption_with_another_key_fails_cleanly() {
    // The IdP's signing key is not the SP's encryption key.
    let wrong = SpKey::parse(&read("fixtures/keys/idp-rsa.key")).unwrap();
    for name in [
        "encrypted-assertion-cbc.xml",
        "encrypted-assertion-gcm.xml",
        "encrypted-assertion-gcm-oaep11.xml",
        "encrypted-assertion-rsa15-sibling-key.xml",
    ] {
        let d = doc(name);
        let all = decrypt_all(&d, &wrong);
        match &all[0].1 {
            Err(DecryptError::KeyTransportFailed(_)) | Err(DecryptError::DataDecryptFailed(_)) => {}
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(matches!(
        SpKey::parse(&read("fixtures/keys/idp-p256.key")),
        Err(DecryptError::Key(_))
    ));
    assert!(matches!(
        SpKey::parse("nonsense"),
        Err(DecryptError::Key(_))
    ));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn all_fixtures() -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(path("fixtures/dsig"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "xml"))
            .map(|p| std::fs::read_to_string(p).unwrap())
            .collect();
        v.sort();
        v
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Mutated fixtures (bytes replaced, ranges deleted) never panic the verifier, the
        /// structural checks or the decryptor.
        #[test]
        fn mutated_fixtures(which in 0usize..64, at in 0usize..20_000, len in 0usize..64, byte in any::<u8>()) {
            let fixtures = all_fixtures();
            let xml = fixtures[which % fixtures.len()].as_bytes();
            let at = at % xml.len();
            let end = (at + len).min(xml.len());
            let mut m = xml[..at].to_vec();
            if len % 2 == 0 { m.push(byte); }
            m.extend_from_slice(&xml[end..]);
            if let Ok(text) = String::from_utf8(m)
                && let Ok(d) = Document::parse(&text, &Limits::default())
            {
                let r = verify_all(&d, &[cert("idp-rsa"), cert("idp-p256")]);
                let _ = wrapping::check(&d, &r);
                let key = SpKey::parse(&read("fixtures/keys/sp-rsa.key")).unwrap();
                let _ = decrypt_all(&d, &key);
            }
        }
    }
}

/// The fixtures signed by xmlsec1, signxml and lxml + cryptography
/// (`fixtures/make_independent_fixtures.py`), under every form the IdP key can be given in.
mod independent {
    use super::*;

    fn key(name: &str) -> String {
        let bytes = std::fs::read(path(&format!("fixtures/keys/{name}"))).unwrap();
        sso_doctor::dsig::cert::key_text_from_bytes(bytes).unwrap()
    }

    fn verdict(fixture: &str, keys: &[String]) -> Vec<Outcome> {
        let d = doc(&format!("independent/{fixture}"));
        verify_all(&d, keys)
            .into_iter()
            .map(|r| r.outcome)
            .collect()
    }

    #[test]
    fn independently_signed_fixtures_verify() {
        let rsa = key("idp-rsa.crt");
        for (fixture, k, signatures) in [
            ("xmlsec1-adfs-rsa-sha256-assertion.xml", &rsa, 1),
            ("xmlsec1-okta-rsa-sha1-response-inclusive.xml", &rsa, 1),
            ("xmlsec1-okta-rsa-sha512-both-prefixlist.xml", &rsa, 2),
            ("xmlsec1-entra-ecdsa-p256.xml", &key("idp-p256.crt"), 1),
            ("signxml-entra-rsa-sha256-assertion.xml", &rsa, 1),
            ("signxml-okta-rsa-sha384-response.xml", &rsa, 1),
            (
                "signxml-entra-ecdsa-p384-assertion.xml",
                &key("idp-p384.crt"),
                1,
            ),
            ("adfs-xmlenc-sha1-digest.xml", &rsa, 1),
            ("adfs-xmlenc-sha384-digest.xml", &rsa, 1),
        ] {
            let v = verdict(fixture, std::slice::from_ref(k));
            assert_eq!(
                v,
                vec![Outcome::Valid { cert_index: 0 }; signatures],
                "{fixture}"
            );
        }
        let v = verdict(
            "xmlsec1-adfs-tampered-nameid.xml",
            std::slice::from_ref(&rsa),
        );
        assert!(matches!(v[..], [Outcome::DigestMismatch { .. }]), "{v:?}");
        for fixture in ["xmlsec1-adfs-wrong-key.xml", "xmlsec1-adfs-new-key.xml"] {
            assert_eq!(
                verdict(fixture, std::slice::from_ref(&rsa)),
                [Outcome::SignatureMismatch]
            );
        }
    }

    #[test]
    fn every_form_of_the_idp_key_verifies() {
        for form in [
            "idp-rsa.crt",
            "idp-rsa.der",
            "idp-rsa.pub.pem",
            "idp-rsa.rsapub.pem",
            "idp-rsa-odd-oid.crt",
            "idp-rsa-bundle.pem",
            "idp-rsa-bundle-with-key.pem",
        ] {
            assert_eq!(
                verdict("xmlsec1-adfs-rsa-sha256-assertion.xml", &[key(form)]),
                [Outcome::Valid { cert_index: 0 }],
                "{form}"
            );
        }
        // The rollover bundle: the message signed with the new key verifies with the bundle's
        // second certificate (its text is the first configured one).
        let bundle = key("idp-rsa-bundle.pem");
        assert_eq!(
            verdict("xmlsec1-adfs-new-key.xml", &[bundle]),
            [Outcome::Valid { cert_index: 0 }]
        );
        assert_eq!(
            verdict("xmlsec1-adfs-new-key.xml", &[key("idp-rsa.pub.pem")]),
            [Outcome::SignatureMismatch]
        );
    }

    /// The binary takes the key files as users have them: a raw DER download, a bare public
    /// key, a rollover bundle (and says which block verified), a bundle with a private key in it
    /// (named, by file and block).
    #[test]
    fn the_binary_reads_every_key_file_form() {
        let fixture = "fixtures/dsig/independent/xmlsec1-adfs-new-key.xml";
        for (key, verified, missing) in [
            ("idp-rsa-new.crt", "SD710", "SD716"),
            ("idp-rsa-bundle.pem", "(PEM block 2 of 2)", "SD712"),
        ] {
            let k = format!("fixtures/keys/{key}");
            let (_, out, err) =
                common::run(&["saml", fixture, "--idp-cert", &k, "--now", common::NOW]);
            assert!(
                out.contains(verified) && !out.contains(missing),
                "{key}: {out}{err}"
            );
        }
        let fixture = "fixtures/dsig/independent/der-certificate.xml";
        for key in ["idp-rsa.der", "idp-rsa.pub.pem", "idp-rsa.rsapub.pem"] {
            let k = format!("fixtures/keys/{key}");
            let (_, out, err) =
                common::run(&["saml", fixture, "--idp-cert", &k, "--now", common::NOW]);
            assert!(
                out.contains("SD710") && !out.contains("SD716"),
                "{key}: {out}{err}"
            );
        }
        let k = "fixtures/keys/idp-rsa-bundle-with-key.pem";
        let (_, out, err) = common::run(&["saml", fixture, "--idp-cert", k, "--now", common::NOW]);
        assert!(out.contains("SD710"), "{out}{err}");
        assert!(
            out.contains("SD716")
                && out.contains("PEM block 2 of 2 is PRIVATE KEY")
                && out.contains("idp-rsa-bundle-with-key.pem"),
            "{out}{err}"
        );
    }
}
