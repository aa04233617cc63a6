//! Regenerates the signed and encrypted SAML fixtures in `fixtures/dsig/` from the test-only keys
//! in `fixtures/keys/`.
//!
//! ```text
//! cargo run --example make_signed_fixtures
//! ```
//!
//! Signing uses this crate's own canonicalization; `tests/dsig_xmlsec.rs` then checks every
//! signed fixture with xmlsec1, an independent implementation. RSA PKCS#1 v1.5 and ECDSA
//! (RFC 6979) signatures are deterministic, so re-running changes only the encrypted fixtures
//! (fresh AES keys and IVs). `fixtures/dsig/README.md` describes each file.

use base64::Engine;
use rand::RngCore;
use sso_doctor::dsig::c14n::{self, C14nMethod};
use sso_doctor::dsig::verify::HashAlg;
use sso_doctor::limits::Limits;
use sso_doctor::xml::Document;
use std::path::PathBuf;

const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const DS: &str = "http://www.w3.org/2000/09/xmldsig#";

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

enum Key {
    Rsa(rsa::RsaPrivateKey),
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
}

struct Signer {
    key: Key,
    /// Base64 DER of the certificate put in KeyInfo.
    cert_b64: String,
}

fn signer(name: &str) -> Signer {
    use p256::pkcs8::DecodePrivateKey;
    let pem = read(&format!("fixtures/keys/{name}.key"));
    let key = if name.contains("p256") {
        Key::P256(p256::ecdsa::SigningKey::from_pkcs8_pem(&pem).unwrap())
    } else if name.contains("p384") {
        Key::P384(p384::ecdsa::SigningKey::from_pkcs8_pem(&pem).unwrap())
    } else {
        Key::Rsa(rsa::RsaPrivateKey::from_pkcs8_pem(&pem).unwrap())
    };
    let cert = read(&format!("fixtures/keys/{name}.crt"));
    let cert_b64: String = cert.lines().filter(|l| !l.starts_with("-----")).collect();
    Signer { key, cert_b64 }
}

#[derive(Clone, Copy)]
struct Algs {
    sig: &'static str,
    hash: HashAlg,
    digest: &'static str,
    c14n: &'static str,
    prefix_list: Option<&'static str>,
    /// Entra writes `<Signature xmlns="…xmldsig#">`; others use a `ds:` prefix.
    default_ns: bool,
}

const RSA_SHA256: Algs = Algs {
    sig: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
    hash: HashAlg::Sha256,
    digest: "http://www.w3.org/2001/04/xmlenc#sha256",
    c14n: c14n::EXC_C14N,
    prefix_list: None,
    default_ns: true,
};

fn signature_xml(id: &str, algs: &Algs, cert_b64: &str) -> String {
    let inc = match algs.prefix_list {
        Some(list) => format!(
            "<ec:InclusiveNamespaces xmlns:ec=\"http://www.w3.org/2001/10/xml-exc-c14n#\" PrefixList=\"{list}\"/>"
        ),
        None => String::new(),
    };
    let c14n_transform = if algs.c14n.starts_with(c14n::EXC_C14N) {
        format!(
            "<ds:Transform Algorithm=\"{}\">{inc}</ds:Transform>",
            algs.c14n
        )
    } else {
        format!("<ds:Transform Algorithm=\"{}\"/>", algs.c14n)
    };
    let si_method = if algs.c14n.starts_with(c14n::EXC_C14N) {
        format!(
            "<ds:CanonicalizationMethod Algorithm=\"{}\">{inc}</ds:CanonicalizationMethod>",
            algs.c14n
        )
    } else {
        format!("<ds:CanonicalizationMethod Algorithm=\"{}\"/>", algs.c14n)
    };
    let xml = format!(
        "<ds:Signature xmlns:ds=\"{DS}\"><ds:SignedInfo>{si_method}\
<ds:SignatureMethod Algorithm=\"{sig}\"/><ds:Reference URI=\"#{id}\"><ds:Transforms>\
<ds:Transform Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>{c14n_transform}\
</ds:Transforms><ds:DigestMethod Algorithm=\"{digest}\"/><ds:DigestValue>DIGEST-PLACEHOLDER</ds:DigestValue>\
</ds:Reference></ds:SignedInfo><ds:SignatureValue>SIGVALUE-PLACEHOLDER</ds:SignatureValue>\
<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{cert_b64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>\
</ds:Signature>",
        sig = algs.sig,
        digest = algs.digest,
    );
    if algs.default_ns {
        xml.replace("xmlns:ds=", "xmlns=").replace("ds:", "")
    } else {
        xml
    }
}

fn parse(xml: &str) -> Document {
    Document::parse(xml, &Limits::default()).expect("fixture parses")
}

fn find_id(doc: &Document, id: &str) -> usize {
    (0..doc.nodes.len())
        .find(|&n| doc.attr(n, "ID") == Some(id))
        .expect("target ID present")
}

fn sign_raw(key: &Key, hash: HashAlg, data: &[u8]) -> Vec<u8> {
    use p256::ecdsa::signature::hazmat::PrehashSigner;
    let h = hash.digest(data);
    match key {
        Key::Rsa(k) => {
            let scheme = match hash {
                HashAlg::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
                HashAlg::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
                HashAlg::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                HashAlg::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                HashAlg::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
            };
            k.sign(scheme, &h).unwrap()
        }
        Key::P256(k) => {
            let s: p256::ecdsa::Signature = k.sign_prehash(&h).unwrap();
            s.to_bytes().to_vec()
        }
        Key::P384(k) => {
            let s: p384::ecdsa::Signature = k.sign_prehash(&h).unwrap();
            s.to_bytes().to_vec()
        }
    }
}

/// Replaces `marker` in `xml` by an enveloped signature over the element with ID `id`.
fn sign(xml: &str, marker: &str, id: &str, signer: &Signer, algs: &Algs) -> String {
    assert!(xml.contains(marker), "marker {marker} missing");
    let with_sig = xml.replacen(marker, &signature_xml(id, algs, &signer.cert_b64), 1);
    let doc = parse(&with_sig);
    let target = find_id(&doc, id);
    let sig = doc
        .child(target, DS, "Signature")
        .expect("signature inserted");
    let list = algs.prefix_list;
    let method = C14nMethod::from_uri(algs.c14n, list)
        .unwrap()
        .without_comments();
    let canonical = c14n::canonicalize(&doc, target, Some(sig), &method);
    let digest = b64(&algs.hash.digest(canonical.as_bytes()));
    let with_digest = with_sig.replacen("DIGEST-PLACEHOLDER", &digest, 1);
    let doc = parse(&with_digest);
    let target = find_id(&doc, id);
    let sig = doc.child(target, DS, "Signature").unwrap();
    let si = doc.child(sig, DS, "SignedInfo").unwrap();
    let si_method = C14nMethod::from_uri(algs.c14n, list).unwrap();
    let signed_info = c14n::canonicalize(&doc, si, None, &si_method);
    let value = sign_raw(&signer.key, algs.hash, signed_info.as_bytes());
    with_digest.replacen("SIGVALUE-PLACEHOLDER", &b64(&value), 1)
}

const RESP_ID: &str = "_0f6b2c1e-4a7d-4c3b-9e21-5d8a7f3b6c01";
const ASSERTION_ID: &str = "_5e9d2a7c-1b3f-4d6e-8a90-2c4e6f8a0b13";

/// An Entra-shaped response; `{RSIG}` and `{ASIG}` mark where signatures go.
fn entra(name_id: &str, extra_attributes: usize) -> String {
    let mut extra = String::new();
    for i in 0..extra_attributes {
        extra.push_str(&format!(
            "\n      <Attribute Name=\"http://schemas.example.com/claims/group{i}\">\n        <AttributeValue>group-{i:04}-7c1e4b2a-9d3f-4a6b-8e5c-0f1a2b3c4d5e</AttributeValue>\n      </Attribute>"
        ));
    }
    format!(
        r#"<samlp:Response ID="{RESP_ID}" Version="2.0" IssueInstant="2026-03-10T09:15:04.512Z" Destination="https://acme.kinde.test/login/saml/callback" InResponseTo="_a3f1c9e2b7d84e0f9c6b5a4d3e2f1a0b" xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol">
  <Issuer xmlns="urn:oasis:names:tc:SAML:2.0:assertion">https://sts.windows.test/00000000-0000-4000-8000-0000000000a1/</Issuer>{{RSIG}}
  <samlp:Status>
    <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>
  </samlp:Status>
  <Assertion ID="{ASSERTION_ID}" IssueInstant="2026-03-10T09:15:04.496Z" Version="2.0" xmlns="urn:oasis:names:tc:SAML:2.0:assertion">
    <Issuer>https://sts.windows.test/00000000-0000-4000-8000-0000000000a1/</Issuer>{{ASIG}}
    <Subject>
      <NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{name_id}</NameID>
      <SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <SubjectConfirmationData InResponseTo="_a3f1c9e2b7d84e0f9c6b5a4d3e2f1a0b" NotOnOrAfter="2026-03-10T09:20:04.496Z" Recipient="https://acme.kinde.test/login/saml/callback"/>
      </SubjectConfirmation>
    </Subject>
    <Conditions NotBefore="2026-03-10T09:10:04.496Z" NotOnOrAfter="2026-03-10T10:15:04.496Z">
      <AudienceRestriction>
        <Audience>kx7Qm2Rv9LpT4wZ8aN3c</Audience>
      </AudienceRestriction>
    </Conditions>
    <AttributeStatement>
      <Attribute Name="http://schemas.microsoft.com/identity/claims/tenantid">
        <AttributeValue>00000000-0000-4000-8000-0000000000a1</AttributeValue>
      </Attribute>
      <Attribute Name="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress">
        <AttributeValue>dana.reyes@example.com</AttributeValue>
      </Attribute>
      <Attribute Name="http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name">
        <AttributeValue>Dana &amp; Co &lt;Reyes&gt; "quoted"</AttributeValue>
      </Attribute>{extra}
    </AttributeStatement>
    <AuthnStatement AuthnInstant="2026-03-10T09:14:31.000Z" SessionIndex="{ASSERTION_ID}">
      <AuthnContext>
        <AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:Password</AuthnContextClassRef>
      </AuthnContext>
    </AuthnStatement>
  </Assertion>
</samlp:Response>
"#
    )
}

const OKTA_RESP_ID: &str = "id28416039571842650913774602";
const OKTA_ASSERTION_ID: &str = "id28416039572207719385046118";

/// An Okta-shaped response (prefixed, redundant declarations, `xs:` used only in a QName value).
fn okta() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" Destination="https://acme.kinde.test/login/saml/callback" ID="{OKTA_RESP_ID}" InResponseTo="_c81e4f7a2d9b43e6a05f1b8c7d6e5f40" IssueInstant="2026-03-10T09:15:04.512Z" Version="2.0" xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <saml2:Issuer xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">http://www.okta.test/exk0a1b2c3d4E5f6G7h8</saml2:Issuer>{{RSIG}}
  <saml2p:Status xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol">
    <saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>
  </saml2p:Status>
  <saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="{OKTA_ASSERTION_ID}" IssueInstant="2026-03-10T09:15:04.512Z" Version="2.0" xmlns:xs="http://www.w3.org/2001/XMLSchema">
    <saml2:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">http://www.okta.test/exk0a1b2c3d4E5f6G7h8</saml2:Issuer>{{ASIG}}
    <saml2:Subject xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">
      <saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">dana.reyes@example.com</saml2:NameID>
      <saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">
        <saml2:SubjectConfirmationData InResponseTo="_c81e4f7a2d9b43e6a05f1b8c7d6e5f40" NotOnOrAfter="2026-03-10T09:20:04.512Z" Recipient="https://acme.kinde.test/login/saml/callback"/>
      </saml2:SubjectConfirmation>
    </saml2:Subject>
    <saml2:Conditions NotBefore="2026-03-10T09:10:04.512Z" NotOnOrAfter="2026-03-10T09:20:04.512Z" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">
      <saml2:AudienceRestriction>
        <saml2:Audience>kx7Qm2Rv9LpT4wZ8aN3c</saml2:Audience>
      </saml2:AudienceRestriction>
    </saml2:Conditions>
    <saml2:AuthnStatement AuthnInstant="2026-03-10T09:15:04.512Z" SessionIndex="id17300112481234567890" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">
      <saml2:AuthnContext>
        <saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef>
      </saml2:AuthnContext>
    </saml2:AuthnStatement>
    <saml2:AttributeStatement xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion">
      <saml2:Attribute Name="email" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified">
        <saml2:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">dana.reyes@example.com</saml2:AttributeValue>
      </saml2:Attribute>
      <saml2:Attribute Name="note" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified">
        <saml2:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string" xml:lang="en">tab&#9;and&#13;cr</saml2:AttributeValue>
      </saml2:Attribute>
    </saml2:AttributeStatement>
  </saml2:Assertion>
</saml2p:Response>
"#
    )
}

/// Removes the first occurrence of the element starting at `open` and ending at `close`.
fn cut<'a>(xml: &'a str, open: &str, close: &str) -> (String, &'a str) {
    let start = xml.find(open).unwrap_or_else(|| panic!("{open} missing"));
    let end = start
        + xml[start..]
            .find(close)
            .unwrap_or_else(|| panic!("{close} missing"))
        + close.len();
    (
        format!("{}{}", &xml[..start], &xml[end..]),
        &xml[start..end],
    )
}

fn between<'a>(xml: &'a str, open: &str, close: &str) -> &'a str {
    cut(xml, open, close).1
}

const ASSERTION_OPEN: &str = "<Assertion ID=";
const ASSERTION_CLOSE: &str = "</Assertion>";
const SIG_OPEN: &str = "<Signature xmlns=";
const SIG_CLOSE: &str = "</Signature>";
const EVIL: &str = "attacker@evil.test";

/// The signed assertion edited by an attacker: new ID, other subject, signature removed.
fn evil_copy(signed_assertion: &str, keep_signature: bool) -> String {
    let a = if keep_signature {
        signed_assertion.to_string()
    } else {
        cut(signed_assertion, SIG_OPEN, SIG_CLOSE).0
    };
    // The signature (when kept) still references the original ID.
    a.replace(ASSERTION_ID, "_evil-assertion")
        .replace(
            "URI=\"#_evil-assertion\"",
            &format!("URI=\"#{ASSERTION_ID}\""),
        )
        .replace(
            "Dana.Reyes@example.com</NameID>",
            &format!("{EVIL}</NameID>"),
        )
}

struct Out {
    dir: PathBuf,
    written: Vec<String>,
}

impl Out {
    fn write(&mut self, name: &str, xml: &str) {
        // Every fixture must at least be well-formed for our parser.
        parse(xml);
        std::fs::write(self.dir.join(name), xml).unwrap();
        self.written.push(name.to_string());
    }
}

fn main() {
    let dir = root().join("fixtures/dsig");
    std::fs::create_dir_all(&dir).unwrap();
    let mut out = Out {
        dir,
        written: Vec::new(),
    };
    let idp = signer("idp-rsa");
    let idp_new = signer("idp-rsa-new");
    let attacker = signer("attacker-rsa");
    let p256 = signer("idp-p256");
    let p384 = signer("idp-p384");
    let name = "Dana.Reyes@example.com";

    // Valid signatures.
    let a_signed = sign(
        &entra(name, 0).replace("{RSIG}", ""),
        "{ASIG}",
        ASSERTION_ID,
        &idp,
        &RSA_SHA256,
    );
    out.write("rsa-sha256-assertion-signed.xml", &a_signed);

    let okta_algs = Algs {
        prefix_list: Some("xs"),
        default_ns: false,
        ..RSA_SHA256
    };
    let r_signed = sign(
        &okta().replace("{ASIG}", ""),
        "{RSIG}",
        OKTA_RESP_ID,
        &idp,
        &okta_algs,
    );
    out.write("rsa-sha256-response-signed.xml", &r_signed);

    let both = sign(&okta(), "{ASIG}", OKTA_ASSERTION_ID, &idp, &okta_algs);
    let both = sign(&both, "{RSIG}", OKTA_RESP_ID, &idp, &okta_algs);
    out.write("rsa-sha256-both-signed.xml", &both);

    let sha1 = Algs {
        sig: "http://www.w3.org/2000/09/xmldsig#rsa-sha1",
        hash: HashAlg::Sha1,
        digest: "http://www.w3.org/2000/09/xmldsig#sha1",
        ..RSA_SHA256
    };
    let x = sign(
        &entra(name, 0).replace("{RSIG}", ""),
        "{ASIG}",
        ASSERTION_ID,
        &idp,
        &sha1,
    );
    out.write("rsa-sha1-assertion-signed.xml", &x);

    let inclusive = Algs {
        sig: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
        hash: HashAlg::Sha512,
        digest: "http://www.w3.org/2001/04/xmlenc#sha512",
        c14n: c14n::C14N10,
        prefix_list: None,
        default_ns: false,
    };
    let x = sign(
        &okta().replace("{ASIG}", ""),
        "{RSIG}",
        OKTA_RESP_ID,
        &idp,
        &inclusive,
    );
    out.write("rsa-sha512-response-inclusive-c14n.xml", &x);

    let with_comments = Algs {
        sig: "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
        hash: HashAlg::Sha384,
        digest: "http://www.w3.org/2001/04/xmldsig-more#sha384",
        c14n: c14n::EXC_C14N_COMMENTS,
        prefix_list: Some("#default xs"),
        default_ns: true,
    };
    let x = sign(
        &entra(name, 0).replace("{RSIG}", "").replace(
            "<Subject>",
            "<Subject><!-- a comment the #id reference drops -->",
        ),
        "{ASIG}",
        ASSERTION_ID,
        &idp,
        &with_comments,
    );
    out.write("rsa-sha384-exc-c14n-with-comments.xml", &x);

    let ec256 = Algs {
        sig: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
        ..RSA_SHA256
    };
    let x = sign(
        &entra(name, 0).replace("{RSIG}", ""),
        "{ASIG}",
        ASSERTION_ID,
        &p256,
        &ec256,
    );
    out.write("ecdsa-p256-assertion-signed.xml", &x);
    let ec384 = Algs {
        sig: "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
        hash: HashAlg::Sha384,
        digest: "http://www.w3.org/2001/04/xmldsig-more#sha384",
        ..RSA_SHA256
    };
    let x = sign(
        &entra(name, 0).replace("{RSIG}", ""),
        "{ASIG}",
        ASSERTION_ID,
        &p384,
        &ec384,
    );
    out.write("ecdsa-p384-assertion-signed.xml", &x);

    // Failures.
    out.write(
        "tampered-digest.xml",
        &a_signed.replace(
            "Dana.Reyes@example.com</NameID>",
            "ceo@example.com</NameID>",
        ),
    );
    let x = sign(
        &entra(name, 0).replace("{RSIG}", ""),
        "{ASIG}",
        ASSERTION_ID,
        &attacker,
        &RSA_SHA256,
    );
    out.write("wrong-key.xml", &x);
    let x = sign(
        &entra(name, 0).replace("{RSIG}", ""),
        "{ASIG}",
        ASSERTION_ID,
        &idp_new,
        &RSA_SHA256,
    );
    out.write("rollover-new-key.xml", &x);
    let sig_value = between(&a_signed, "<SignatureValue>", "</SignatureValue>").to_string();
    let mut bytes = base64::engine::general_purpose::STANDARD
        .decode(&sig_value["<SignatureValue>".len()..sig_value.len() - "</SignatureValue>".len()])
        .unwrap();
    bytes[10] ^= 0x01;
    out.write(
        "tampered-signature-value.xml",
        &a_signed.replace(
            &sig_value,
            &format!("<SignatureValue>{}</SignatureValue>", b64(&bytes)),
        ),
    );

    // Comment injection (Duo 2018): the attacker owns dana.reyes@example.com.evil.test, gets it
    // signed, then splits the NameID with a comment. The signature stays valid.
    let x = sign(
        &entra("dana.reyes@example.com.evil.test", 0).replace("{RSIG}", ""),
        "{ASIG}",
        ASSERTION_ID,
        &idp,
        &RSA_SHA256,
    );
    out.write(
        "comment-injection-nameid.xml",
        &x.replace(
            "dana.reyes@example.com.evil.test</NameID>",
            "dana.reyes@example.com<!---->.evil.test</NameID>",
        ),
    );

    // Duplicate IDs: an evil copy carrying the signed assertion's own ID, placed first.
    let signed_assertion = between(&a_signed, ASSERTION_OPEN, ASSERTION_CLOSE).to_string();
    let dup = evil_copy(&signed_assertion, false).replace("_evil-assertion", ASSERTION_ID);
    out.write(
        "duplicate-ids.xml",
        &a_signed.replacen(ASSERTION_OPEN, &format!("{dup}\n  {ASSERTION_OPEN}"), 1),
    );

    // XSW1–XSW8 (names as in SAML Raider).
    let r_entra = sign(
        &unsigned_resp_marker(&entra(name, 0)),
        "{RSIG}",
        RESP_ID,
        &idp,
        &RSA_SHA256,
    );
    let resp_sig = between(&r_entra, SIG_OPEN, SIG_CLOSE).to_string();
    let (resp_nosig, _) = cut(&r_entra, SIG_OPEN, SIG_CLOSE);
    let evil_resp = resp_nosig.replacen(RESP_ID, "_evil-response", 1).replace(
        "Dana.Reyes@example.com</NameID>",
        &format!("{EVIL}</NameID>"),
    );
    let issuer_end = "0000000000a1/</Issuer>";
    // XSW1: clean copy of the Response inside the Signature; outer Response edited.
    let sig_with_copy = resp_sig.replacen(
        SIG_CLOSE,
        &format!("{}{SIG_CLOSE}", resp_nosig.trim_end()),
        1,
    );
    out.write(
        "xsw1.xml",
        &evil_resp.replacen(issuer_end, &format!("{issuer_end}{sig_with_copy}"), 1),
    );
    // XSW2: clean copy of the Response before the Signature, as a sibling.
    out.write(
        "xsw2.xml",
        &evil_resp.replacen(
            issuer_end,
            &format!("{issuer_end}{}{resp_sig}", resp_nosig.trim_end()),
            1,
        ),
    );
    // XSW3: evil unsigned assertion (new ID) before the signed one.
    let evil = evil_copy(&signed_assertion, false);
    out.write(
        "xsw3.xml",
        &a_signed.replacen(ASSERTION_OPEN, &format!("{evil}\n  {ASSERTION_OPEN}"), 1),
    );
    // XSW4: evil assertion wrapping the signed original.
    let wrapper = evil.replacen(
        ASSERTION_CLOSE,
        &format!("{signed_assertion}{ASSERTION_CLOSE}"),
        1,
    );
    out.write(
        "xsw4.xml",
        &a_signed.replacen(&signed_assertion, &wrapper, 1),
    );
    // XSW5: original edited in place (keeps its Signature, new ID); clean copy appended.
    let edited = evil_copy(&signed_assertion, true);
    let clean = cut(&signed_assertion, SIG_OPEN, SIG_CLOSE).0;
    out.write(
        "xsw5.xml",
        &a_signed.replacen(&signed_assertion, &format!("{edited}\n  {clean}"), 1),
    );
    // XSW6: like XSW5, the clean copy inside the edited assertion's Signature.
    let edited6 = edited.replacen(SIG_CLOSE, &format!("{clean}{SIG_CLOSE}"), 1);
    out.write(
        "xsw6.xml",
        &a_signed.replacen(&signed_assertion, &edited6, 1),
    );
    // XSW7: the signed original hidden in samlp:Extensions; an evil unsigned assertion is read.
    let x = a_signed.replacen(&signed_assertion, &evil, 1).replacen(
        "<samlp:Status>",
        &format!("<samlp:Extensions>{signed_assertion}</samlp:Extensions>\n  <samlp:Status>"),
        1,
    );
    out.write("xsw7.xml", &x);
    // XSW8: like XSW6, the clean copy inside a ds:Object in the Signature.
    let edited8 = edited.replacen(
        SIG_CLOSE,
        &format!("<Object>{clean}</Object>{SIG_CLOSE}"),
        1,
    );
    out.write(
        "xsw8.xml",
        &a_signed.replacen(&signed_assertion, &edited8, 1),
    );

    // Large (~10 KB) response for the benchmark.
    let big = sign(
        &entra(name, 34).replace("{RSIG}", ""),
        "{ASIG}",
        ASSERTION_ID,
        &idp,
        &RSA_SHA256,
    );
    out.write("large-10k-assertion-signed.xml", &big);

    // Encrypted assertions (signed inside, then encrypted for the SP key).
    let sp = {
        use rsa::pkcs8::DecodePrivateKey;
        rsa::RsaPrivateKey::from_pkcs8_pem(&read("fixtures/keys/sp-rsa.key")).unwrap()
    };
    let sp_pub = rsa::RsaPublicKey::from(&sp);
    let mgf1p = "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p";
    for (file, enc) in [
        (
            "encrypted-assertion-cbc.xml",
            Enc {
                data: "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
                key_len: 32,
                gcm: false,
                transport: mgf1p,
                sibling: false,
            },
        ),
        (
            "encrypted-assertion-gcm.xml",
            Enc {
                data: "http://www.w3.org/2009/xmlenc11#aes128-gcm",
                key_len: 16,
                gcm: true,
                transport: mgf1p,
                sibling: false,
            },
        ),
        (
            "encrypted-assertion-gcm-oaep11.xml",
            Enc {
                data: "http://www.w3.org/2009/xmlenc11#aes256-gcm",
                key_len: 32,
                gcm: true,
                transport: "http://www.w3.org/2009/xmlenc11#rsa-oaep",
                sibling: false,
            },
        ),
        (
            "encrypted-assertion-rsa15-sibling-key.xml",
            Enc {
                data: "http://www.w3.org/2001/04/xmlenc#aes192-cbc",
                key_len: 24,
                gcm: false,
                transport: "http://www.w3.org/2001/04/xmlenc#rsa-1_5",
                sibling: true,
            },
        ),
    ] {
        out.write(file, &encrypt(&a_signed, &signed_assertion, &sp_pub, enc));
    }
    for name in &out.written {
        println!("wrote fixtures/dsig/{name}");
    }
}

fn unsigned_resp_marker(xml: &str) -> String {
    xml.replace("{ASIG}", "")
}

/// How an assertion is encrypted.
struct Enc {
    data: &'static str,
    key_len: usize,
    gcm: bool,
    transport: &'static str,
    /// `EncryptedKey` beside `EncryptedData` (found through `RetrievalMethod`) instead of inside
    /// its `KeyInfo`.
    sibling: bool,
}

fn encrypt(response: &str, assertion: &str, sp: &rsa::RsaPublicKey, enc: Enc) -> String {
    use aes::cipher::{BlockEncryptMut, KeyIvInit, block_padding::NoPadding};
    use aes_gcm::aead::{Aead, KeyInit};
    let mut rng = rand::thread_rng();
    let mut key = vec![0u8; enc.key_len];
    rng.fill_bytes(&mut key);
    let plain = assertion.as_bytes();
    let cipher = if enc.gcm {
        let mut iv = [0u8; 12];
        rng.fill_bytes(&mut iv);
        let nonce = aes_gcm::Nonce::from_slice(&iv);
        let ct = match enc.key_len {
            16 => aes_gcm::Aes128Gcm::new_from_slice(&key)
                .unwrap()
                .encrypt(nonce, plain),
            _ => aes_gcm::Aes256Gcm::new_from_slice(&key)
                .unwrap()
                .encrypt(nonce, plain),
        }
        .unwrap();
        [iv.to_vec(), ct].concat()
    } else {
        let mut iv = [0u8; 16];
        rng.fill_bytes(&mut iv);
        // XML-Enc padding: pad bytes arbitrary, last byte = count (PKCS#7 satisfies this).
        let pad = 16 - plain.len() % 16;
        let mut buf = plain.to_vec();
        buf.extend(std::iter::repeat_n(pad as u8, pad));
        let len = buf.len();
        let ct = match enc.key_len {
            24 => cbc::Encryptor::<aes::Aes192>::new_from_slices(&key, &iv)
                .unwrap()
                .encrypt_padded_mut::<NoPadding>(&mut buf, len)
                .unwrap()
                .to_vec(),
            _ => cbc::Encryptor::<aes::Aes256>::new_from_slices(&key, &iv)
                .unwrap()
                .encrypt_padded_mut::<NoPadding>(&mut buf, len)
                .unwrap()
                .to_vec(),
        };
        [iv.to_vec(), ct].concat()
    };
    let data_alg = enc.data;
    let transport = enc.transport;
    let (method_children, wrapped) = match transport {
        "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p" => (
            "<ds:DigestMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"/>".to_string(),
            sp.encrypt(&mut rng, rsa::Oaep::new::<sha1::Sha1>(), &key).unwrap(),
        ),
        "http://www.w3.org/2009/xmlenc11#rsa-oaep" => (
            "<ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><xenc11:MGF xmlns:xenc11=\"http://www.w3.org/2009/xmlenc11#\" Algorithm=\"http://www.w3.org/2009/xmlenc11#mgf1sha256\"/>".to_string(),
            sp.encrypt(&mut rng, rsa::Oaep::new_with_mgf_hash::<sha2::Sha256, sha2::Sha256>(), &key)
                .unwrap(),
        ),
        _ => (
            String::new(),
            sp.encrypt(&mut rng, rsa::Pkcs1v15Encrypt, &key).unwrap(),
        ),
    };
    let sibling = enc.sibling;
    let encrypted_key = format!(
        "<xenc:EncryptedKey xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\" Id=\"_ek1\"><xenc:EncryptionMethod Algorithm=\"{transport}\">{method_children}</xenc:EncryptionMethod><xenc:CipherData><xenc:CipherValue>{}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey>",
        b64(&wrapped)
    );
    let key_info = if sibling {
        "<ds:KeyInfo><ds:RetrievalMethod URI=\"#_ek1\" Type=\"http://www.w3.org/2001/04/xmlenc#EncryptedKey\"/></ds:KeyInfo>".to_string()
    } else {
        format!("<ds:KeyInfo>{encrypted_key}</ds:KeyInfo>")
    };
    let encrypted = format!(
        "<saml:EncryptedAssertion xmlns:saml=\"{SAML}\"><xenc:EncryptedData xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\" xmlns:ds=\"{DS}\" Type=\"http://www.w3.org/2001/04/xmlenc#Element\"><xenc:EncryptionMethod Algorithm=\"{data_alg}\"/>{key_info}<xenc:CipherData><xenc:CipherValue>{}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>{}</saml:EncryptedAssertion>",
        b64(&cipher),
        if sibling {
            encrypted_key.replace("<xenc:EncryptedKey xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\"", "<xenc:EncryptedKey xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"")
        } else {
            String::new()
        }
    );
    response.replacen(assertion, &encrypted, 1)
}
