//! Cross-check against xmlsec1 (an independent XML-DSig implementation on libxml2 and OpenSSL).
//!
//! For every signature in every signed fixture under `fixtures/` (every file, decoded as
//! `sso-doctor` decodes it: XML, base64, form bodies, HAR, HTML...), checked with each test-only
//! key of the signature's family, our verdict and `xmlsec1 --verify`'s must agree, both ways:
//! what xmlsec1 verifies we call valid, what it rejects we do not call valid, and when it says
//! why (digest mismatch, signature mismatch) we say the same, unless we refused the signature
//! earlier for its structure (an ID carried twice). The only other differences allowed are
//! named in [`allowed_difference`]. `xmlsec1 --decrypt` must also decrypt what we decrypt.
//!
//! The document handed to xmlsec1 has the checked signature's `ds:KeyInfo` removed (KeyInfo is
//! not signed), so xmlsec1 uses only the key given on the command line, as we do. IDs are
//! registered for the element type the reference points at.
//!
//! xmlsec1 is the Debian package `xmlsec1`. Without it the tests say so and pass, except under
//! `CI` (set by CI systems and `.ci/run`), where a missing xmlsec1 fails them.

use sso_doctor::dsig::decrypt::{SpKey, decrypt_all};
use sso_doctor::dsig::verify::{
    DSIG_NS, Outcome, SigFamily, signature_method, signatures, verify_all,
};
use sso_doctor::limits::Limits;
use sso_doctor::xml::Document;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// True when xmlsec1 runs; without it, false (a skip) or, under `CI`, a failure.
fn xmlsec1_present() -> bool {
    let present = Command::new("xmlsec1")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmlsec1 is required when CI is set (Debian: apt-get install xmlsec1)"
        );
        println!("skipped: xmlsec1 not installed (apt-get install xmlsec1)");
    }
    present
}

/// Every file under `fixtures/` that may hold a message (not settings, docs or scripts).
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        let name = p.file_name().unwrap().to_string_lossy().to_string();
        if p.is_dir() {
            if name != "keys" {
                files(&p, out);
            }
        } else if ![
            ".toml", ".md", ".py", ".sh", ".csv", ".ndjson", ".jsonl", ".log",
        ]
        .iter()
        .any(|s| name.ends_with(s))
        {
            out.push(p);
        }
    }
}

/// The signed XML documents in every fixture, with a label.
fn signed_documents() -> Vec<(String, String)> {
    let mut paths = Vec::new();
    files(&root().join("fixtures"), &mut paths);
    let mut out = Vec::new();
    // The same message often ships in several paste forms: check each distinct XML once.
    let mut seen = std::collections::HashSet::new();
    for p in paths {
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        let Ok(messages) = sso_doctor::decode::decode(&bytes, &Limits::default()) else {
            continue;
        };
        let rel = p.strip_prefix(root()).unwrap().display().to_string();
        for (i, m) in messages.into_iter().enumerate() {
            if m.xml.contains("SignatureValue") && seen.insert(m.xml.clone()) {
                out.push((format!("{rel}#{}", i + 1), m.xml));
            }
        }
    }
    out
}

/// The decoded text is UTF-8 whatever the file's declared encoding was (`charset-windows-1252.xml`
/// is signed over its windows-1252 bytes); xmlsec1 reads the file we write, so its declaration
/// must say UTF-8 or xmlsec1 would decode the UTF-8 bytes as windows-1252.
fn as_utf8_declared(xml: &str) -> String {
    let Some(end) = xml.starts_with("<?xml").then(|| xml.find("?>")).flatten() else {
        return xml.to_string();
    };
    let decl = &xml[..end];
    let Some(at) = decl.find("encoding=") else {
        return xml.to_string();
    };
    let quote = decl[at + 9..].chars().next().unwrap_or('"');
    let value_end = decl[at + 10..]
        .find(quote)
        .map(|i| at + 10 + i)
        .unwrap_or(end);
    format!("{}encoding={quote}UTF-8{}", &xml[..at], &xml[value_end..])
}

/// The test-only keys, by family: the IdP key, its rollover successor, an attacker's.
const RSA_KEYS: [&str; 3] = ["idp-rsa", "idp-rsa-new", "attacker-rsa"];
const EC_KEYS: [&str; 2] = ["idp-p256", "idp-p384"];

/// A verdict in terms both verifiers can state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// The signature value verifies with the key over the referenced content.
    Valid,
    /// The referenced content does not match the digest.
    Digest,
    /// The digest matches; the signature value does not verify with this key.
    Key,
    /// An algorithm or transform is not implemented (or refused).
    Unsupported,
    /// Anything else: unresolvable reference, broken structure.
    Other,
}

fn ours(o: &Outcome) -> Verdict {
    match o {
        Outcome::Valid { .. } | Outcome::ReferenceNotParent { .. } => Verdict::Valid,
        Outcome::DigestMismatch { .. } => Verdict::Digest,
        Outcome::SignatureMismatch | Outcome::NoTrustedCertificate => Verdict::Key,
        Outcome::UnsupportedAlgorithm(_) => Verdict::Unsupported,
        _ => Verdict::Other,
    }
}

fn theirs(success: bool, text: &str) -> Verdict {
    if success {
        Verdict::Valid
    } else if text.contains("data and digest do not match") {
        Verdict::Digest
    } else if text.contains("xmlSecTransformIdListFindByHref") {
        Verdict::Unsupported
    } else if text.contains("signature verification failed")
        || text.contains("SignedInfo References (ok/all): 1/1")
    {
        Verdict::Key
    } else {
        Verdict::Other
    }
}

/// Differences chosen on purpose (docs/signatures.md, "Where we differ from xmlsec1").
fn allowed_difference(our: Verdict, their: Verdict, outcome: &Outcome, digest_uri: &str) -> bool {
    // AD FS-style non-standard digest identifiers: xmlsec1 does not know the URI; we verify
    // with the hash it names and warn (SD728).
    let nonstandard = sso_doctor::dsig::algorithm::HashAlg::from_digest_uri_lenient(digest_uri)
        .is_some_and(|(_, standard)| !standard);
    if their == Verdict::Unsupported && nonstandard {
        return true;
    }
    // Transforms we refuse although xmlsec1 runs them (XPath, XSLT): SAML never needs them and
    // they are attack vectors (XSLT is Turing-complete, XPath filters select arbitrary content).
    if our == Verdict::Unsupported
        && let Outcome::UnsupportedAlgorithm(uri) = outcome
    {
        return uri.contains("xpath") || uri.contains("xslt") || uri.contains("XPath");
    }
    false
}

fn xmlsec_verify(file: &Path, cert: &Path, id_types: &[String], index: usize) -> (bool, String) {
    let mut cmd = Command::new("xmlsec1");
    cmd.arg("--verify").arg("--pubkey-cert-pem").arg(cert);
    for t in id_types {
        cmd.arg("--id-attr:ID").arg(t);
    }
    cmd.arg("--node-xpath").arg(format!(
        "(//*[local-name()='Signature' and namespace-uri()='{DSIG_NS}'])[{}]",
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
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut checked = 0;
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    let mut disagreements = Vec::new();
    let documents = signed_documents();
    for (n, (label, xml)) in documents.iter().enumerate() {
        let Ok(doc) = Document::parse(xml, &Limits::default()) else {
            continue;
        };
        for (i, sig) in signatures(&doc).into_iter().enumerate() {
            // Drop this signature's KeyInfo only: other signatures' KeyInfo may be signed content.
            let stripped = tmp.path().join(format!("{n}-{i}.xml"));
            let text = match doc.child(sig, DSIG_NS, "KeyInfo") {
                Some(ki) => {
                    let span = doc.nodes[ki].span;
                    format!("{}{}", &xml[..span.start], &xml[span.end..])
                }
                None => xml.clone(),
            };
            std::fs::write(&stripped, as_utf8_declared(&text)).unwrap();
            let method = doc
                .child(sig, DSIG_NS, "SignedInfo")
                .and_then(|si| doc.child(si, DSIG_NS, "SignatureMethod"))
                .and_then(|m| doc.attr(m, "Algorithm"))
                .unwrap_or("");
            let keys: Vec<&str> = match signature_method(method.trim()) {
                Some((SigFamily::Ecdsa, _)) => {
                    EC_KEYS.iter().chain(&RSA_KEYS[..1]).copied().collect()
                }
                _ => RSA_KEYS.to_vec(),
            };
            for key in keys {
                let cert_path = root().join(format!("fixtures/keys/{key}.crt"));
                let cert = std::fs::read_to_string(&cert_path).unwrap();
                let reports = verify_all(&doc, &[cert]);
                let r = &reports[i];
                let types: Vec<String> = match r.signed_element.and_then(|e| doc.element(e)) {
                    Some(e) => vec![format!("{}:{}", e.ns.unwrap_or_default(), e.local)],
                    None => vec![
                        "urn:oasis:names:tc:SAML:2.0:assertion:Assertion".into(),
                        "urn:oasis:names:tc:SAML:2.0:protocol:Response".into(),
                    ],
                };
                let (ok, out) = xmlsec_verify(&stripped, &cert_path, &types, i);
                let (our, their) = (ours(&r.outcome), theirs(ok, &out));
                *seen
                    .entry(format!("ours {our:?} / xmlsec1 {their:?}"))
                    .or_default() += 1;
                checked += 1;
                let digest_uri = r.algorithms.digest.as_deref().unwrap_or("");
                let agree = match their {
                    Verdict::Valid => our == Verdict::Valid,
                    // Same reason, or a refusal of ours before any digest is computed (an ID
                    // carried twice, which xmlsec1 resolves to one of them).
                    Verdict::Digest | Verdict::Key => our == their || our == Verdict::Other,
                    Verdict::Unsupported | Verdict::Other => our != Verdict::Valid,
                };
                if !agree && !allowed_difference(our, their, &r.outcome, digest_uri) {
                    let first: String = out
                        .lines()
                        .filter(|l| l.contains("error"))
                        .take(3)
                        .collect::<Vec<_>>()
                        .join(" | ");
                    disagreements.push(format!(
                        "{label} signature {} with {key}: ours {:?}; xmlsec1 {their:?}: {first}",
                        i + 1,
                        r.outcome
                    ));
                }
            }
        }
    }
    println!(
        "{checked} checks over {} signed documents: {seen:#?}",
        documents.len()
    );
    assert!(checked >= 200, "only {checked} signature checks");
    for needed in [
        "ours Valid / xmlsec1 Valid",
        "ours Digest / xmlsec1 Digest",
        "ours Key / xmlsec1 Key",
    ] {
        assert!(seen.contains_key(needed), "no case of {needed}: {seen:#?}");
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

#[test]
fn xmlsec1_decrypts_what_we_decrypt() {
    if !xmlsec1_present() {
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
