//! Cross-check against xmlsec1 (an independent XML-DSig implementation on libxml2 and OpenSSL):
//! for every signature in every fixture under `fixtures/dsig/`, `xmlsec1 --verify` with the
//! configured certificate must agree with our verifier on "cryptographically valid or not", and
//! `xmlsec1 --decrypt` must decrypt the encrypted fixtures our decryptor decrypts.
//!
//! The document handed to xmlsec1 has its `ds:KeyInfo` removed (KeyInfo is not signed), so
//! xmlsec1 uses only the certificate given on the command line, as we do. IDs are registered for
//! the element type the reference points at. Skipped, with a message, when xmlsec1 is not
//! installed (Debian package `xmlsec1`).

use sso_doctor::dsig::decrypt::{SpKey, decrypt_all};
use sso_doctor::dsig::verify::{DSIG_NS, signatures, verify_all};
use sso_doctor::limits::Limits;
use sso_doctor::xml::Document;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn xmlsec1_present() -> bool {
    Command::new("xmlsec1")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn cert_for(name: &str) -> &'static str {
    if name.starts_with("ecdsa-p256") {
        "idp-p256"
    } else if name.starts_with("ecdsa-p384") {
        "idp-p384"
    } else {
        "idp-rsa"
    }
}

fn fixtures() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("fixtures/dsig"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    v.sort();
    v
}

fn xmlsec_verify(file: &Path, cert: &Path, id_types: &[&str], index: usize) -> (bool, String) {
    let mut cmd = Command::new("xmlsec1");
    cmd.arg("--verify").arg("--pubkey-cert-pem").arg(cert);
    for t in id_types {
        cmd.arg("--id-attr:ID").arg(t);
    }
    cmd.arg("--node-xpath").arg(format!(
        "(//*[local-name()='Signature' and namespace-uri()='http://www.w3.org/2000/09/xmldsig#'])[{}]",
        index + 1
    ));
    cmd.arg(file);
    let out = cmd.output().expect("xmlsec1 runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn xmlsec1_agrees_on_every_signed_fixture() {
    if !xmlsec1_present() {
        println!("skipped: xmlsec1 not installed (apt-get install xmlsec1)");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut checked = 0;
    let mut disagreements = Vec::new();
    for file in fixtures() {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        let xml = std::fs::read_to_string(&file).unwrap();
        let doc = Document::parse(&xml, &Limits::default()).unwrap();
        let cert_path = root().join(format!("fixtures/keys/{}.crt", cert_for(&name)));
        let cert = std::fs::read_to_string(&cert_path).unwrap();
        let reports = verify_all(&doc, &[cert]);
        assert_eq!(reports.len(), signatures(&doc).len());
        for (i, r) in reports.iter().enumerate() {
            // Drop this signature's KeyInfo only: other signatures' KeyInfo may be signed content.
            let stripped = tmp.path().join(format!("{i}-{name}"));
            let text = match doc.child(r.signature, DSIG_NS, "KeyInfo") {
                Some(ki) => {
                    let span = doc.nodes[ki].span;
                    format!("{}{}", &xml[..span.start], &xml[span.end..])
                }
                None => xml.clone(),
            };
            std::fs::write(&stripped, text).unwrap();
            let ours = r.outcome.verified_by().is_some();
            let signed_type = r
                .signed_element
                .and_then(|e| doc.element(e))
                .map(|e| format!("{}:{}", e.ns.unwrap_or_default(), e.local));
            let types: Vec<String> = match signed_type {
                Some(t) => vec![t],
                None => vec![
                    "urn:oasis:names:tc:SAML:2.0:assertion:Assertion".into(),
                    "urn:oasis:names:tc:SAML:2.0:protocol:Response".into(),
                ],
            };
            let types: Vec<&str> = types.iter().map(String::as_str).collect();
            let (theirs, text) = xmlsec_verify(&stripped, &cert_path, &types, i);
            println!(
                "{name} signature {}: ours {:?}, xmlsec1 {}",
                i + 1,
                r.outcome,
                if theirs { "OK" } else { "FAIL" }
            );
            if ours != theirs {
                disagreements.push(format!(
                    "{name}#{}: ours {:?}; xmlsec1: {text}",
                    i + 1,
                    r.outcome
                ));
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} signatures checked");
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

#[test]
fn xmlsec1_decrypts_what_we_decrypt() {
    if !xmlsec1_present() {
        println!("skipped: xmlsec1 not installed (apt-get install xmlsec1)");
        return;
    }
    let key_path = root().join("fixtures/keys/sp-rsa.key");
    let key = SpKey::parse(&std::fs::read_to_string(&key_path).unwrap()).unwrap();
    // xmlsec1 looks for the EncryptedKey inside KeyInfo only, so the sibling-key fixture is ours
    // alone.
    for name in ["encrypted-assertion-cbc.xml", "encrypted-assertion-gcm.xml"] {
        let file = root().join("fixtures/dsig").join(name);
        let xml = std::fs::read_to_string(&file).unwrap();
        let doc = Document::parse(&xml, &Limits::default()).unwrap();
        let ours = decrypt_all(&doc, &key);
        let ours = ours[0].1.as_ref().expect("we decrypt");
        let out = Command::new("xmlsec1")
            .arg("--decrypt")
            .arg("--privkey-pem")
            .arg(&key_path)
            .arg(&file)
            .output()
            .unwrap();
        let theirs = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // xmlsec1 prints the whole document with the plaintext in place of EncryptedData.
        let nameid = "<NameID Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">Dana.Reyes@example.com</NameID>";
        assert!(theirs.contains(nameid), "{name}: {theirs}");
        assert!(ours.xml.contains(nameid), "{name}");
        let value = |s: &str| {
            let start = s.find("<SignatureValue>").unwrap();
            let end = s[start..].find("</SignatureValue>").unwrap();
            s[start..start + end].to_string()
        };
        assert_eq!(value(&theirs), value(&ours.xml), "{name}");
    }
}
