//! A small enveloped-signature signer and AES-CBC encryptor over the test-only keys in
//! `fixtures/keys/`, shared by `examples/make_verdict_fixtures.rs` and `tests/verdict_props.rs`
//! (included with `#[path]`). RSA-SHA256, SHA-256 digest, Exclusive C14N, Entra's
//! default-namespace `Signature`; canonicalization is this crate's `dsig::c14n`.
#![allow(dead_code)]

use base64::Engine;
use sso_doctor::dsig::c14n::{self, C14nMethod};
use sso_doctor::dsig::verify::HashAlg;
use sso_doctor::limits::Limits;
use sso_doctor::xml::Document;
use std::path::PathBuf;

pub const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
pub const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// An RSA key and the base64 DER of its certificate (put in KeyInfo).
pub struct Signer {
    key: rsa::RsaPrivateKey,
    cert_b64: String,
}

/// `fixtures/keys/{name}.key` and `.crt`.
pub fn signer(name: &str) -> Signer {
    use rsa::pkcs8::DecodePrivateKey;
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(&read(&format!("fixtures/keys/{name}.key")))
        .expect("PKCS#8 RSA key");
    let cert = read(&format!("fixtures/keys/{name}.crt"));
    let cert_b64 = cert.lines().filter(|l| !l.starts_with("-----")).collect();
    Signer { key, cert_b64 }
}

fn signature_xml(id: &str, cert_b64: &str) -> String {
    format!(
        "<Signature xmlns=\"{DS}\"><SignedInfo><CanonicalizationMethod Algorithm=\"{exc}\"/>\
<SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/><Reference URI=\"#{id}\"><Transforms>\
<Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/><Transform Algorithm=\"{exc}\"/>\
</Transforms><DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><DigestValue>DIGEST-PLACEHOLDER</DigestValue>\
</Reference></SignedInfo><SignatureValue>SIGVALUE-PLACEHOLDER</SignatureValue>\
<KeyInfo><X509Data><X509Certificate>{cert_b64}</X509Certificate></X509Data></KeyInfo></Signature>",
        exc = c14n::EXC_C14N
    )
}

fn parse(xml: &str) -> Document {
    Document::parse(xml, &Limits::default()).expect("fixture parses")
}

fn find_id(doc: &Document, id: &str) -> usize {
    (0..doc.nodes.len())
        .find(|&n| doc.attr(n, "ID") == Some(id))
        .expect("target ID present")
}

/// Replaces the first `marker` in `xml` by an enveloped signature over the element with ID
/// `id` (the marker must sit inside that element, where the Signature belongs).
pub fn sign(xml: &str, marker: &str, id: &str, signer: &Signer) -> String {
    assert!(xml.contains(marker), "marker {marker} missing");
    let with_sig = xml.replacen(marker, &signature_xml(id, &signer.cert_b64), 1);
    let doc = parse(&with_sig);
    let target = find_id(&doc, id);
    let sig = doc
        .child(target, DS, "Signature")
        .expect("signature inserted");
    let method = C14nMethod::from_uri(c14n::EXC_C14N, None).unwrap();
    let canonical = c14n::canonicalize(&doc, target, Some(sig), &method);
    let digest = b64(&HashAlg::Sha256.digest(canonical.as_bytes()));
    let with_digest = with_sig.replacen("DIGEST-PLACEHOLDER", &digest, 1);
    let doc = parse(&with_digest);
    let target = find_id(&doc, id);
    let sig = doc.child(target, DS, "Signature").unwrap();
    let si = doc.child(sig, DS, "SignedInfo").unwrap();
    let signed_info = c14n::canonicalize(&doc, si, None, &method);
    let hash = HashAlg::Sha256.digest(signed_info.as_bytes());
    let value = signer
        .key
        .sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &hash)
        .unwrap();
    with_digest.replacen("SIGVALUE-PLACEHOLDER", &b64(&value), 1)
}

pub const RESP_ID: &str = "_7d1c0b9a-5e4f-4a3b-8c2d-1e0f9a8b7c61";
pub const ASSERTION_ID: &str = "_2a4c6e8f-0b1d-4f3a-9c5e-7a9b1c3d5e71";
pub const ACS: &str = "https://acme.kinde.test/login/saml/callback";
pub const ISSUER: &str = "https://sts.windows.test/00000000-0000-4000-8000-0000000000a1/";

/// An Entra-shaped assertion; `{ASIG}` marks where its signature goes and `{EXTRA}` where
/// extra content after the AttributeStatement goes.
pub fn assertion(id: &str, name_id: &str, email: &str) -> String {
    format!(
        r#"<Assertion ID="{id}" IssueInstant="2026-03-10T09:15:04.496Z" Version="2.0" xmlns="urn:oasis:names:tc:SAML:2.0:assertion">
    <Issuer>{ISSUER}</Issuer>{{ASIG}}
    <Subject>
      <NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{name_id}</NameID>
      <SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <SubjectConfirmationData InResponseTo="_b4e2d0c8a6f44e1d9b7c5a3e1f0d2c4b" NotOnOrAfter="2026-03-10T09:20:04.496Z" Recipient="{ACS}"/>
      </SubjectConfirmation>{{CONFIRM}}
    </Subject>
    <Conditions NotBefore="2026-03-10T09:10:04.496Z" NotOnOrAfter="2026-03-10T10:15:04.496Z">
      <AudienceRestriction>
        <Audience>kx7Qm2Rv9LpT4wZ8aN3c</Audience>
      </AudienceRestriction>
    </Conditions>{{ADVICE}}
    <AttributeStatement>
      <Attribute Name="email">
        <AttributeValue>{email}</AttributeValue>
      </Attribute>{{ATTRS}}
    </AttributeStatement>
    <AuthnStatement AuthnInstant="2026-03-10T09:14:31.000Z" SessionIndex="{id}">
      <AuthnContext>
        <AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef>
      </AuthnContext>
    </AuthnStatement>{{EXTRA}}
  </Assertion>"#
    )
}

/// Removes the unused markers of an assertion.
pub fn clean(xml: &str) -> String {
    [
        "{ASIG}",
        "{CONFIRM}",
        "{ADVICE}",
        "{ATTRS}",
        "{EXTRA}",
        "{RSIG}",
        "{RHEAD}",
        "{REXT}",
    ]
    .iter()
    .fold(xml.to_string(), |x, m| x.replace(m, ""))
}

/// An Entra-shaped Response around `assertions`; `{RSIG}` marks the Response signature place,
/// `{REXT}` the place after the Status.
pub fn response(assertions: &str) -> String {
    format!(
        r#"<samlp:Response ID="{RESP_ID}" Version="2.0" IssueInstant="2026-03-10T09:15:04.512Z" Destination="{ACS}" InResponseTo="_b4e2d0c8a6f44e1d9b7c5a3e1f0d2c4b" xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">
  <Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">{ISSUER}</Issuer>{{RSIG}}
  <samlp:Status>
    <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>
  </samlp:Status>{{REXT}}
  {assertions}
</samlp:Response>
"#
    )
}

/// The genuine user and a signed assertion about them.
pub const USER: &str = "dana.reyes@example.com";
pub const EVIL: &str = "attacker@evil.test";

/// A genuine Response whose assertion is signed by `idp-rsa`.
pub fn genuine_signed() -> String {
    let a = assertion(ASSERTION_ID, USER, USER);
    let signed = sign(
        &clean_except(&a, "{ASIG}"),
        "{ASIG}",
        ASSERTION_ID,
        &signer("idp-rsa"),
    );
    clean(&response(&signed))
}

/// Removes every marker but `keep`.
pub fn clean_except(xml: &str, keep: &str) -> String {
    let placeholder = "\u{1}KEEP\u{1}";
    clean(&xml.replace(keep, placeholder)).replace(placeholder, keep)
}

/// Encrypts `plain` (an element's XML) for the SP key as an `EncryptedAssertion`: AES-256-CBC,
/// key transported with RSA-OAEP (MGF1, SHA-1) in `KeyInfo`. Deterministic for a given `seed`.
pub fn encrypted_assertion(plain: &str, seed: u64) -> String {
    use aes::cipher::{BlockEncryptMut, KeyIvInit, block_padding::NoPadding};
    use rand::{RngCore, SeedableRng};
    use rsa::pkcs8::DecodePrivateKey;
    let sp = rsa::RsaPrivateKey::from_pkcs8_pem(&read("fixtures/keys/sp-rsa.key")).unwrap();
    let sp = rsa::RsaPublicKey::from(&sp);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut key = [0u8; 32];
    rng.fill_bytes(&mut key);
    let mut iv = [0u8; 16];
    rng.fill_bytes(&mut iv);
    let mut buf = plain.as_bytes().to_vec();
    let pad = 16 - buf.len() % 16;
    buf.extend(std::iter::repeat_n(pad as u8, pad));
    let len = buf.len();
    let ct = cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &iv)
        .unwrap()
        .encrypt_padded_mut::<NoPadding>(&mut buf, len)
        .unwrap()
        .to_vec();
    let wrapped = sp
        .encrypt(&mut rng, rsa::Oaep::new::<sha1::Sha1>(), &key)
        .unwrap();
    format!(
        "<saml:EncryptedAssertion xmlns:saml=\"{SAML}\"><xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\" xmlns:ds=\"{DS}\" Type=\"http://www.w3.org/2001/04/xmlenc#Element\"><xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#aes256-cbc\"/><ds:KeyInfo><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p\"><ds:DigestMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"/></xenc:EncryptionMethod><xenc:CipherData><xenc:CipherValue>{}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></ds:KeyInfo><xenc:CipherData><xenc:CipherValue>{}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion>",
        b64(&wrapped),
        b64(&[iv.to_vec(), ct].concat())
    )
}
