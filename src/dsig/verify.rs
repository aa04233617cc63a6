//! Enveloped XML-DSig verification for SAML messages (XML-DSig 1.1 §3.2 core validation,
//! SAML core 5.4).
//!
//! For each `ds:Signature` the verifier resolves the single `Reference` ([`super::reference`]:
//! `#id`, by an `ID`, `Id` or `id` attribute, which must be unique), applies the transforms
//! (enveloped-signature, then Exclusive C14N 1.0 or C14N 1.0), compares the digest,
//! canonicalizes `SignedInfo` and checks `SignatureValue` ([`super::cert`]: RSA PKCS#1 v1.5 or
//! ECDSA) against the **configured** certificates only. The certificate in `KeyInfo` is parsed
//! and reported (fingerprints, subject, validity, key) but never used to verify: anyone can put
//! a certificate there.
//!
//! Every problem becomes an [`Outcome`]; nothing panics on hostile input.

use super::c14n::{self, C14nMethod};
use super::cert::read_keyinfo;
use super::reference::{ds_child, find_target, is_ancestor, parent_is, parse_uri, schema_problem};
use crate::xml::{Document, NodeId};
use base64::Engine;

// The names callers have always imported from here.
pub use super::algorithm::{DSIG_NS, ENVELOPED, EXC_C14N_NS, HashAlg, SigFamily, signature_method};
pub use super::cert::{Cert, CertError, CertInfo, decode_base64, parse_certificates};
pub use super::outcome::{Algorithms, Outcome, SignatureReport};
pub use super::reference::{element_id, element_ids, elements_with_id};

/// Verifies every `ds:Signature` element in the document, in document order, against the
/// configured certificates (PEM, with any number of certificates and public keys, or base64 DER).
/// Unreadable configured certificates are skipped; `cert_index` values refer to positions in
/// `certs` (every certificate of a bundle shares its text's position).
pub fn verify_all(doc: &Document, certs: &[String]) -> Vec<SignatureReport> {
    let parsed: Vec<(usize, Cert)> = parse_certificates(certs)
        .into_iter()
        .filter_map(|(i, c)| c.ok().map(|c| (i, c)))
        .collect();
    let refs: Vec<(usize, &Cert)> = parsed.iter().map(|(i, c)| (*i, c)).collect();
    verify_capped(doc, &refs)
}

/// Like [`verify_all`] with certificates already parsed; `cert_index` is a position in `certs`.
pub fn verify_all_with(doc: &Document, certs: &[Cert]) -> Vec<SignatureReport> {
    let refs: Vec<(usize, &Cert)> = certs.iter().enumerate().collect();
    verify_capped(doc, &refs)
}

/// Most `ds:Signature` elements verified in one document. A SAML message has one per Response
/// and Assertion; each verification canonicalizes and hashes the element it references, which
/// may be the whole document, so thousands of signatures referencing the root made the work
/// quadratic (5,000 in a 3 MB paste took a minute). Past the cap a signature is reported as
/// malformed without being checked.
pub const MAX_SIGNATURES: usize = 16;

fn verify_capped(doc: &Document, certs: &[(usize, &Cert)]) -> Vec<SignatureReport> {
    signatures(doc)
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            if i < MAX_SIGNATURES {
                return verify_indexed(doc, s, certs);
            }
            let mut report = empty_report(doc, s);
            report.outcome = Outcome::Malformed(format!(
                "not checked: the document holds more than {MAX_SIGNATURES} ds:Signature \
                 elements (a SAML message has one per Response and Assertion)"
            ));
            report
        })
        .collect()
}

/// Every `ds:Signature` element, in document order.
pub fn signatures(doc: &Document) -> Vec<NodeId> {
    let mut out: Vec<NodeId> = Vec::new();
    if doc.is(doc.root, DSIG_NS, "Signature") {
        out.push(doc.root);
    }
    out.extend(
        doc.descendants_iter(doc.root)
            .filter(|&n| doc.is(n, DSIG_NS, "Signature")),
    );
    out
}

fn algorithm(doc: &Document, n: NodeId) -> Option<String> {
    doc.attr(n, "Algorithm").map(|s| s.trim().to_string())
}

fn prefix_list(doc: &Document, method: NodeId) -> Option<&str> {
    let inc = doc.child(method, EXC_C14N_NS, "InclusiveNamespaces")?;
    doc.attr(inc, "PrefixList")
}

fn empty_report(doc: &Document, signature: NodeId) -> SignatureReport {
    SignatureReport {
        signature,
        parent: doc.nodes[signature].parent,
        signed_element: None,
        signed_path: None,
        reference_id: None,
        algorithms: Algorithms::default(),
        digest_matched: false,
        covers_parent: false,
        outcome: Outcome::Malformed(String::new()),
        keyinfo_cert: None,
        keyinfo_cert_error: None,
        keyinfo_matches_configured: None,
    }
}

fn verify_indexed(doc: &Document, signature: NodeId, certs: &[(usize, &Cert)]) -> SignatureReport {
    let mut report = empty_report(doc, signature);
    read_keyinfo(doc, signature, certs, &mut report);
    report.outcome = match check(doc, signature, certs, &mut report) {
        Ok(o) | Err(o) => o,
    };
    report
}

/// The parts of one signature the checks need.
struct Parts {
    signed_info: NodeId,
    c14n_method: NodeId,
    reference: NodeId,
    transforms: Vec<NodeId>,
}

fn malformed(m: &str) -> Outcome {
    Outcome::Malformed(m.to_string())
}

/// XML-DSig 1.1 §3.2: reference validation (resolve, transform, digest), then signature
/// validation with the configured keys, then the schema shape.
fn check(
    doc: &Document,
    signature: NodeId,
    certs: &[(usize, &Cert)],
    report: &mut SignatureReport,
) -> Result<Outcome, Outcome> {
    let parts = read_parts(doc, signature, report)?;
    let target = resolve_reference(doc, signature, parts.reference, report)?;
    let canonical = transform(doc, signature, target, &parts, report)?;
    check_digest(doc, parts.reference, &canonical, report)?;
    let cert_index = check_signature_value(doc, signature, &parts, certs, report)?;
    if let Some(problem) = schema_problem(doc, signature, parts.signed_info) {
        return Err(Outcome::Malformed(problem));
    }
    if report.covers_parent {
        Ok(Outcome::Valid { cert_index })
    } else {
        Ok(Outcome::ReferenceNotParent { cert_index })
    }
}

/// `SignedInfo` with its methods and its one `Reference` (SAML core 5.4.2), recording the
/// algorithm URIs in the report.
fn read_parts(
    doc: &Document,
    signature: NodeId,
    report: &mut SignatureReport,
) -> Result<Parts, Outcome> {
    let signed_info = ds_child(doc, signature, "SignedInfo")
        .ok_or_else(|| malformed("Signature has no SignedInfo"))?;
    let c14n_method = ds_child(doc, signed_info, "CanonicalizationMethod")
        .ok_or_else(|| malformed("SignedInfo has no CanonicalizationMethod"))?;
    let sig_el = ds_child(doc, signed_info, "SignatureMethod")
        .ok_or_else(|| malformed("SignedInfo has no SignatureMethod"))?;
    report.algorithms.c14n = algorithm(doc, c14n_method);
    report.algorithms.signature = algorithm(doc, sig_el);
    let references: Vec<NodeId> = doc
        .children_named(signed_info, DSIG_NS, "Reference")
        .collect();
    let reference = match references.as_slice() {
        [] => return Err(malformed("SignedInfo has no Reference")),
        [r] => *r,
        _ => {
            return Err(Outcome::Malformed(format!(
                "SignedInfo has {} References; SAML allows exactly one",
                references.len()
            )));
        }
    };
    let digest_el = ds_child(doc, reference, "DigestMethod")
        .ok_or_else(|| malformed("Reference has no DigestMethod"))?;
    report.algorithms.digest = algorithm(doc, digest_el);
    let transforms: Vec<NodeId> = ds_child(doc, reference, "Transforms")
        .map(|t| doc.children_named(t, DSIG_NS, "Transform").collect())
        .unwrap_or_default();
    for &t in &transforms {
        report
            .algorithms
            .transforms
            .push(algorithm(doc, t).unwrap_or_default());
    }
    Ok(Parts {
        signed_info,
        c14n_method,
        reference,
        transforms,
    })
}

/// The element the reference names, recorded in the report.
fn resolve_reference(
    doc: &Document,
    signature: NodeId,
    reference: NodeId,
    report: &mut SignatureReport,
) -> Result<(NodeId, bool), Outcome> {
    let uri = parse_uri(doc.attr(reference, "URI").unwrap_or(""))?;
    report.reference_id = Some(uri.id.clone().unwrap_or_default());
    let target = find_target(doc, uri.id.as_deref())?;
    report.signed_element = Some(target);
    report.signed_path = Some(doc.path(target));
    report.covers_parent = parent_is(doc, signature, target);
    Ok((target, uri.keep_comments))
}

/// Applies the transforms (XML-DSig 1.1 §6.6): any number of enveloped-signature, then at
/// most one canonicalization (C14N 1.0 when none is named); returns the octets to digest.
fn transform(
    doc: &Document,
    signature: NodeId,
    (target, keep_comments): (NodeId, bool),
    parts: &Parts,
    report: &SignatureReport,
) -> Result<String, Outcome> {
    let mut exclude = None;
    let mut emptied = false;
    let mut method: Option<C14nMethod> = None;
    for (&t, uri) in parts.transforms.iter().zip(&report.algorithms.transforms) {
        if method.is_some() {
            return Err(Outcome::UnsupportedAlgorithm(format!(
                "{uri} (a transform after canonicalization)"
            )));
        }
        if uri == ENVELOPED {
            // The transform removes the Signature and everything below it from the node-set:
            // a referenced element inside its own Signature (XSW1/6/8 style) leaves nothing.
            if target == signature || is_ancestor(doc, signature, target) {
                emptied = true;
            } else if is_ancestor(doc, target, signature) {
                exclude = Some(signature);
            }
        } else if let Some(m) = C14nMethod::from_uri(uri, prefix_list(doc, t)) {
            method = Some(m);
        } else {
            return Err(Outcome::UnsupportedAlgorithm(uri.clone()));
        }
    }
    let method = method.unwrap_or(C14nMethod::Inclusive {
        with_comments: false,
    });
    let method = if keep_comments {
        method
    } else {
        method.without_comments()
    };
    if emptied {
        return Ok(String::new());
    }
    Ok(c14n::canonicalize(doc, target, exclude, &method))
}

/// Compares the digest of the transformed content with `DigestValue` (XML-DSig 1.1 §3.2.1).
fn check_digest(
    doc: &Document,
    reference: NodeId,
    canonical: &str,
    report: &mut SignatureReport,
) -> Result<(), Outcome> {
    // Non-standard spellings that name a hash unambiguously (AD FS's `xmlenc#sha1`) are verified
    // with that hash; rule SD728 says so.
    let digest_uri = report.algorithms.digest.clone().unwrap_or_default();
    let (hash, _standard) = HashAlg::from_digest_uri_lenient(&digest_uri)
        .ok_or_else(|| Outcome::UnsupportedAlgorithm(digest_uri.clone()))?;
    let expected_text = ds_child(doc, reference, "DigestValue")
        .map(|d| doc.text(d))
        .ok_or_else(|| malformed("Reference has no DigestValue"))?;
    let expected = decode_base64(&expected_text)
        .ok_or_else(|| malformed("DigestValue is not valid base64"))?;
    let computed = hash.digest(canonical.as_bytes());
    if computed != expected {
        let b64 = base64::engine::general_purpose::STANDARD;
        return Err(Outcome::DigestMismatch {
            expected: b64.encode(&expected),
            computed: b64.encode(&computed),
        });
    }
    report.digest_matched = true;
    Ok(())
}

/// Canonicalizes `SignedInfo` and checks `SignatureValue` with each configured key that can
/// (XML-DSig 1.1 §3.2.2); returns the index of the one that verifies.
fn check_signature_value(
    doc: &Document,
    signature: NodeId,
    parts: &Parts,
    certs: &[(usize, &Cert)],
    report: &SignatureReport,
) -> Result<usize, Outcome> {
    let c14n_uri = report.algorithms.c14n.clone().unwrap_or_default();
    let si_method = C14nMethod::from_uri(&c14n_uri, prefix_list(doc, parts.c14n_method))
        .ok_or_else(|| Outcome::UnsupportedAlgorithm(c14n_uri.clone()))?;
    let sig_uri = report.algorithms.signature.clone().unwrap_or_default();
    let (family, sig_hash) =
        signature_method(&sig_uri).ok_or_else(|| Outcome::UnsupportedAlgorithm(sig_uri.clone()))?;
    let value_text = ds_child(doc, signature, "SignatureValue")
        .map(|d| doc.text(d))
        .ok_or_else(|| malformed("Signature has no SignatureValue"))?;
    let value = decode_base64(&value_text)
        .ok_or_else(|| malformed("SignatureValue is not valid base64"))?;
    let usable: Vec<&(usize, &Cert)> = certs.iter().filter(|(_, c)| c.can_check(family)).collect();
    if usable.is_empty() {
        return Err(Outcome::NoTrustedCertificate);
    }
    let signed_info_c14n = c14n::canonicalize(doc, parts.signed_info, None, &si_method);
    usable
        .iter()
        .find(|(_, c)| c.verifies(family, sig_hash, signed_info_c14n.as_bytes(), &value))
        .map(|(i, _)| *i)
        .ok_or(Outcome::SignatureMismatch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/keys/");

    fn pem(name: &str) -> String {
        std::fs::read_to_string(format!("{KEYS}{name}.crt")).unwrap()
    }

    fn parse(s: &str) -> Document {
        Document::parse(s, &Limits::default()).unwrap()
    }

    fn sig_doc(signed_info: &str, extra: &str) -> String {
        format!(
            r##"<r:Root xmlns:r="urn:r" ID="a1"><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">{signed_info}<ds:SignatureValue>AAAA</ds:SignatureValue>{extra}</ds:Signature><r:Data ID="d1">x</r:Data><r:Data ID="dup">1</r:Data><r:Data Id="dup">2</r:Data></r:Root>"##
        )
    }

    fn si(uri: &str, transforms: &str, digest: &str) -> String {
        format!(
            r#"<ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="{uri}"><ds:Transforms>{transforms}</ds:Transforms><ds:DigestMethod Algorithm="{digest}"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo>"#
        )
    }

    const ENV: &str =
        r#"<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>"#;
    const SHA256: &str = "http://www.w3.org/2001/04/xmlenc#sha256";

    fn outcome(xml: &str) -> SignatureReport {
        let d = parse(xml);
        let r = verify_all(&d, &[pem("idp-rsa")]);
        assert_eq!(r.len(), 1);
        r.into_iter().next().unwrap()
    }

    #[test]
    fn reference_resolution() {
        let r = outcome(&sig_doc(&si("#missing", ENV, SHA256), ""));
        assert_eq!(r.outcome, Outcome::ReferenceNotFound("missing".into()));
        let r = outcome(&sig_doc(&si("#dup", ENV, SHA256), ""));
        assert_eq!(r.outcome, Outcome::ReferenceAmbiguous("dup".into(), 2));
        let r = outcome(&sig_doc(&si("https://example.com/x", ENV, SHA256), ""));
        assert!(
            matches!(r.outcome, Outcome::UnsupportedAlgorithm(_)),
            "{r:?}"
        );
        // Resolves, digest differs (the DigestValue is a dummy).
        let r = outcome(&sig_doc(&si("#a1", ENV, SHA256), ""));
        assert!(matches!(r.outcome, Outcome::DigestMismatch { .. }), "{r:?}");
        assert!(r.covers_parent);
        assert_eq!(r.reference_id.as_deref(), Some("a1"));
        let r = outcome(&sig_doc(&si("", ENV, SHA256), ""));
        assert_eq!(r.signed_element, Some(0));
        let r = outcome(&sig_doc(&si("#xpointer(id('d1'))", ENV, SHA256), ""));
        assert!(!r.covers_parent);
        assert_eq!(r.reference_id.as_deref(), Some("d1"));
    }

    #[test]
    fn unsupported_and_malformed() {
        let xslt = r#"<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"/>"#;
        let r = outcome(&sig_doc(&si("#a1", xslt, SHA256), ""));
        assert_eq!(
            r.outcome,
            Outcome::UnsupportedAlgorithm("http://www.w3.org/TR/1999/REC-xslt-19991116".into())
        );
        let r = outcome(&sig_doc(
            &si("#a1", ENV, "http://www.w3.org/2001/04/xmldsig-more#md5"),
            "",
        ));
        assert!(matches!(r.outcome, Outcome::UnsupportedAlgorithm(u) if u.ends_with("md5")));
        let r = outcome(&sig_doc("", ""));
        assert_eq!(
            r.outcome,
            Outcome::Malformed("Signature has no SignedInfo".into())
        );
        let two = si("#a1", ENV, SHA256).replace(
            "</ds:SignedInfo>",
            "<ds:Reference URI=\"#d1\"/></ds:SignedInfo>",
        );
        let r = outcome(&sig_doc(&two, ""));
        assert!(matches!(r.outcome, Outcome::Malformed(m) if m.contains("2 References")));
        let after = format!(
            "{ENV}<ds:Transform Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>{ENV}"
        );
        let r = outcome(&sig_doc(&si("#a1", &after, SHA256), ""));
        assert!(
            matches!(r.outcome, Outcome::UnsupportedAlgorithm(_)),
            "{r:?}"
        );
    }

    #[test]
    fn keyinfo_certificate_reported() {
        let p = pem("idp-rsa");
        let body: String = p.lines().filter(|l| !l.starts_with("-----")).collect();
        let ki = format!(
            "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>{body}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>"
        );
        let r = outcome(&sig_doc(&si("#a1", ENV, SHA256), &ki));
        assert_eq!(r.keyinfo_matches_configured, Some(0));
        assert_eq!(r.keyinfo_cert.unwrap().key, "RSA 2048");
        let bad = "<ds:KeyInfo><ds:X509Data><ds:X509Certificate>QUJD</ds:X509Certificate></ds:X509Data></ds:KeyInfo>";
        let r = outcome(&sig_doc(&si("#a1", ENV, SHA256), bad));
        assert!(r.keyinfo_cert.is_none());
        assert!(r.keyinfo_cert_error.is_some());
    }

    #[test]
    fn signatures_listed() {
        let d = parse(&sig_doc(&si("#a1", ENV, SHA256), ""));
        assert_eq!(signatures(&d).len(), 1);
        assert!(decode_base64(" QU\nJD ").is_some_and(|b| b == b"ABC"));
        assert!(decode_base64("***").is_none());
    }
}
