//! XML-Enc decryption of `saml:EncryptedAssertion` and `saml:EncryptedID` (and other
//! `EncryptedElementType`s) with the SP's RSA private key.
//!
//! Key transport: RSA-OAEP (`xmlenc#rsa-oaep-mgf1p`, MGF1-SHA-1, digest from `ds:DigestMethod`,
//! default SHA-1; `xmlenc11#rsa-oaep` with `xenc11:MGF`) and RSA PKCS#1 v1.5 (`xmlenc#rsa-1_5`).
//! Content: AES-128/192/256-CBC (16-byte IV prefix) and Triple DES CBC (`xmlenc#tripledes-cbc`,
//! 8-byte IV prefix), both with XML-Enc padding (the last byte counts the padding bytes, whose
//! other values are arbitrary), and AES-128/192/256-GCM (12-byte IV prefix, 16-byte tag suffix).
//! The `EncryptedKey` is looked for in `EncryptedData/ds:KeyInfo`, then through
//! `ds:RetrievalMethod`, then among the siblings of `EncryptedData`; with several (one per
//! recipient) each is tried in turn, up to [`MAX_KEY_ATTEMPTS`].
//!
//! Cost: linear in the document, plus at most [`MAX_KEY_ATTEMPTS`] RSA private-key operations
//! for each of at most [`MAX_ENCRYPTED_ELEMENTS`] encrypted elements (`benches/scaling.rs`).
//!
//! Split by responsibility: this file finds the parts of `EncryptedData` and runs the steps,
//! [`key`] reads the SP key and unwraps the content key, [`cipher`] decrypts the content, and
//! [`context`] parses the plaintext in the namespace context of the element it replaces.

mod cipher;
mod context;
mod key;

pub use context::parse_decrypted;
pub use key::SpKey;

use super::verify::{DSIG_NS, decode_base64, element_id};
use crate::xml::{Document, NodeId};
use cipher::{content_cipher, decrypt_content};
use key::unwrap_key;
use std::collections::HashSet;
use std::fmt;

/// The XML-Enc 1.0 namespace.
pub use crate::ns::XENC as XENC_NS;
/// The XML-Enc 1.1 namespace.
pub const XENC11_NS: &str = "http://www.w3.org/2009/xmlenc11#";
/// The SAML assertion namespace.
pub use crate::ns::SAML_ASSERTION as SAML_NS;

/// Why decryption failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecryptError {
    /// The SP key could not be read.
    Key(String),
    /// The encrypted structure is incomplete or broken.
    Malformed(String),
    /// A key-transport or content-encryption algorithm this tool does not implement (URI).
    UnsupportedAlgorithm(String),
    /// The SP key does not unwrap any `EncryptedKey` (encrypted for another certificate?).
    KeyTransportFailed(String),
    /// The content did not decrypt with the unwrapped key (bad padding, tag, or text).
    DataDecryptFailed(String),
}

impl fmt::Display for DecryptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecryptError::Key(m) => write!(f, "SP private key: {m}"),
            DecryptError::Malformed(m) => write!(f, "malformed encrypted element: {m}"),
            DecryptError::UnsupportedAlgorithm(u) => write!(f, "unsupported algorithm {u}"),
            DecryptError::KeyTransportFailed(m) => write!(f, "key transport failed: {m}"),
            DecryptError::DataDecryptFailed(m) => write!(f, "content decryption failed: {m}"),
        }
    }
}

impl std::error::Error for DecryptError {}

/// A successful decryption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decrypted {
    /// The plaintext: for `Type=…#Element` an XML element such as `<saml:Assertion …>`. It may
    /// use prefixes declared outside it, in the original document.
    pub xml: String,
    /// The key-transport algorithm URI.
    pub key_transport: String,
    /// The content-encryption algorithm URI.
    pub data_algorithm: String,
}

/// Decrypts an `EncryptedAssertion` (or any element holding `xenc:EncryptedData`, or the
/// `EncryptedData` itself).
pub fn decrypt_element(
    doc: &Document,
    encrypted: NodeId,
    key: &SpKey,
) -> Result<Decrypted, DecryptError> {
    let data = if doc.is(encrypted, XENC_NS, "EncryptedData") {
        encrypted
    } else {
        doc.child(encrypted, XENC_NS, "EncryptedData")
            .ok_or_else(|| DecryptError::Malformed("no xenc:EncryptedData inside".into()))?
    };
    let data_alg = doc
        .child(data, XENC_NS, "EncryptionMethod")
        .and_then(|m| doc.attr(m, "Algorithm"))
        .map(str::trim)
        .ok_or_else(|| DecryptError::Malformed("EncryptedData has no EncryptionMethod".into()))?
        .to_string();
    let (cipher, key_len) = content_cipher(&data_alg)
        .ok_or_else(|| DecryptError::UnsupportedAlgorithm(data_alg.clone()))?;
    let ciphertext = cipher_value(doc, data)?;

    let candidates = encrypted_keys(doc, data);
    if candidates.is_empty() {
        return Err(DecryptError::Malformed(
            "no xenc:EncryptedKey found (in KeyInfo, beside EncryptedData, or by RetrievalMethod)"
                .into(),
        ));
    }
    let offered = candidates.len();
    let mut last_err = None;
    for ek in candidates.into_iter().take(MAX_KEY_ATTEMPTS) {
        match unwrap_key(doc, ek, key) {
            Ok((transport, content_key)) => {
                if content_key.len() != key_len {
                    last_err = Some(DecryptError::KeyTransportFailed(format!(
                        "unwrapped key is {} bytes; {data_alg} needs {key_len}",
                        content_key.len()
                    )));
                    continue;
                }
                let plain = decrypt_content(cipher, &content_key, &ciphertext)?;
                let xml = String::from_utf8(plain).map_err(|_| {
                    DecryptError::DataDecryptFailed("the plaintext is not UTF-8".into())
                })?;
                return Ok(Decrypted {
                    xml,
                    key_transport: transport,
                    data_algorithm: data_alg,
                });
            }
            Err(e) => last_err = Some(e),
        }
    }
    let err =
        last_err.unwrap_or_else(|| DecryptError::KeyTransportFailed("no EncryptedKey".into()));
    if offered > MAX_KEY_ATTEMPTS {
        return Err(DecryptError::KeyTransportFailed(format!(
            "{err}; only the first {MAX_KEY_ATTEMPTS} of the {offered} EncryptedKeys offered were \
             tried (a message carries one per recipient)"
        )));
    }
    Err(err)
}

/// Most `EncryptedKey`s tried for one `EncryptedData`. Each try is an RSA private-key operation
/// (about a millisecond with a 2048-bit key); a message carries one key per recipient, so a few
/// are real and thousands are an attack on the CPU (issue 22).
pub const MAX_KEY_ATTEMPTS: usize = 8;

/// Most encrypted elements decrypted in one document: a Response carries one encrypted
/// assertion (and perhaps an EncryptedID in it); each costs RSA work, so the count is capped
/// like [`crate::dsig::verify::MAX_SIGNATURES`]. Past it an element is reported, not decrypted.
pub const MAX_ENCRYPTED_ELEMENTS: usize = 16;

/// The error for an encrypted element past [`MAX_ENCRYPTED_ELEMENTS`].
pub fn over_limit() -> DecryptError {
    DecryptError::Malformed(format!(
        "not decrypted: the document holds more than {MAX_ENCRYPTED_ELEMENTS} encrypted elements \
         (a SAML Response has one EncryptedAssertion)"
    ))
}

/// Every `saml:EncryptedAssertion` in the document, decrypted in document order (the first
/// [`MAX_ENCRYPTED_ELEMENTS`]; the rest get [`over_limit`]).
pub fn decrypt_all(doc: &Document, key: &SpKey) -> Vec<(NodeId, Result<Decrypted, DecryptError>)> {
    doc.descendants_iter(doc.root)
        .filter(|&n| doc.is(n, SAML_NS, "EncryptedAssertion"))
        .enumerate()
        .map(|(i, n)| match i < MAX_ENCRYPTED_ELEMENTS {
            true => (n, decrypt_element(doc, n, key)),
            false => (n, Err(over_limit())),
        })
        .collect()
}

/// Every `saml:EncryptedID` in the document, in document order (SAML core 2.2.4: an encrypted
/// `NameID`, `BaseID` or identifier in a Subject, a LogoutRequest or elsewhere).
pub fn encrypted_ids(doc: &Document) -> Vec<NodeId> {
    std::iter::once(doc.root)
        .chain(doc.descendants_iter(doc.root))
        .filter(|&n| doc.is(n, SAML_NS, "EncryptedID"))
        .collect()
}

/// `nodes` (in document order) without those inside an earlier one, so that splicing each
/// element's plaintext over its span never overlaps another splice.
pub fn outermost(doc: &Document, nodes: Vec<NodeId>) -> Vec<NodeId> {
    let mut end = 0;
    nodes
        .into_iter()
        .filter(|&n| {
            let span = doc.nodes[n].span;
            let fresh = span.start >= end;
            if fresh {
                end = span.end;
            }
            fresh
        })
        .collect()
}

/// Every `saml:EncryptedID`, decrypted in document order (the first
/// [`MAX_ENCRYPTED_ELEMENTS`]; the rest get [`over_limit`]). The plaintext is the `NameID` (or
/// other identifier) element.
pub fn decrypt_ids(doc: &Document, key: &SpKey) -> Vec<(NodeId, Result<Decrypted, DecryptError>)> {
    encrypted_ids(doc)
        .into_iter()
        .enumerate()
        .map(|(i, n)| match i < MAX_ENCRYPTED_ELEMENTS {
            true => (n, decrypt_element(doc, n, key)),
            false => (n, Err(over_limit())),
        })
        .collect()
}

fn cipher_value(doc: &Document, parent: NodeId) -> Result<Vec<u8>, DecryptError> {
    let cd = doc
        .child(parent, XENC_NS, "CipherData")
        .ok_or_else(|| DecryptError::Malformed("no CipherData".into()))?;
    if doc.child(cd, XENC_NS, "CipherReference").is_some() {
        return Err(DecryptError::UnsupportedAlgorithm(
            "CipherReference (external ciphertext)".into(),
        ));
    }
    let cv = doc
        .child(cd, XENC_NS, "CipherValue")
        .ok_or_else(|| DecryptError::Malformed("no CipherValue".into()))?;
    decode_base64(&doc.text(cv))
        .ok_or_else(|| DecryptError::Malformed("CipherValue is not valid base64".into()))
}

/// The `EncryptedKey`s that may hold the content key, in the order they are tried: those in
/// `KeyInfo`, those a `ds:RetrievalMethod` names, those beside `EncryptedData`; each once. The
/// RetrievalMethod targets are found in one pass over the document, whatever their number.
fn encrypted_keys(doc: &Document, data: NodeId) -> Vec<NodeId> {
    let mut out = Vec::new();
    if let Some(ki) = doc.child(data, DSIG_NS, "KeyInfo") {
        out.extend(doc.children_named(ki, XENC_NS, "EncryptedKey"));
        let wanted: HashSet<&str> = doc
            .children_named(ki, DSIG_NS, "RetrievalMethod")
            .filter_map(|rm| doc.attr(rm, "URI")?.strip_prefix('#'))
            .collect();
        if !wanted.is_empty() {
            out.extend(doc.descendants_iter(doc.root).filter(|&n| {
                doc.is(n, XENC_NS, "EncryptedKey")
                    && element_id(doc, n).is_some_and(|id| wanted.contains(id))
            }));
        }
    }
    if let Some(parent) = doc.nodes[data].parent {
        out.extend(doc.children_named(parent, XENC_NS, "EncryptedKey"));
    }
    let mut seen = HashSet::new();
    out.retain(|&n| seen.insert(n));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    #[test]
    fn structure_errors() {
        let key = SpKey::parse(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/fixtures/keys/sp-rsa.key"
            ))
            .unwrap(),
        )
        .unwrap();
        let parse = |s: &str| Document::parse(s, &Limits::default()).unwrap();
        let ns = r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#""#;
        let d = parse(&format!("<saml:EncryptedAssertion {ns}/>"));
        assert!(matches!(
            decrypt_element(&d, d.root, &key),
            Err(DecryptError::Malformed(_))
        ));
        let d = parse(&format!(
            "<saml:EncryptedAssertion {ns}><xenc:EncryptedData><xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#kw-aes256\"/></xenc:EncryptedData></saml:EncryptedAssertion>"
        ));
        assert_eq!(
            decrypt_element(&d, d.root, &key),
            Err(DecryptError::UnsupportedAlgorithm(
                "http://www.w3.org/2001/04/xmlenc#kw-aes256".into()
            ))
        );
        let d = parse(&format!(
            "<saml:EncryptedAssertion {ns}><xenc:EncryptedData><xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#aes128-cbc\"/><xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData></saml:EncryptedAssertion>"
        ));
        assert!(matches!(
            decrypt_element(&d, d.root, &key),
            Err(DecryptError::Malformed(m)) if m.contains("EncryptedKey")
        ));
        let d = parse(&format!(
            "<saml:EncryptedAssertion {ns}><xenc:EncryptedData><xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#aes128-cbc\"/><xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData><xenc:EncryptedKey><xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#kw-aes128\"/><xenc:CipherData><xenc:CipherValue>AAAA</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey></saml:EncryptedAssertion>"
        ));
        assert!(matches!(
            decrypt_element(&d, d.root, &key),
            Err(DecryptError::UnsupportedAlgorithm(u)) if u.ends_with("kw-aes128")
        ));
        assert!(format!("{key:?}").contains("redacted"));
    }

    #[test]
    fn key_attempts_and_encrypted_elements_are_capped() {
        let key = SpKey::parse(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/fixtures/keys/sp-rsa.key"
            ))
            .unwrap(),
        )
        .unwrap();
        let garbage = "AAAA".repeat(86);
        let ek = |i: usize| {
            format!(
                "<xenc:EncryptedKey Id=\"k{i}\"><xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#rsa-1_5\"/><xenc:CipherData><xenc:CipherValue>{garbage}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey>"
            )
        };
        let one = |keys: &str, methods: &str| {
            format!(
                "<saml:EncryptedAssertion><xenc:EncryptedData><xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#aes128-cbc\"/><ds:KeyInfo>{methods}</ds:KeyInfo><xenc:CipherData><xenc:CipherValue>{garbage}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedData>{keys}</saml:EncryptedAssertion>"
            )
        };
        let keys: String = (0..20).map(ek).collect();
        let methods: String = (0..20)
            .map(|i| format!("<ds:RetrievalMethod URI=\"#k{i}\"/>"))
            .collect();
        let ns = r#"xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" xmlns:ds="http://www.w3.org/2000/09/xmldsig#""#;
        let body = one(&keys, &methods) + &one("", "").repeat(MAX_ENCRYPTED_ELEMENTS);
        let d = Document::parse(&format!("<r {ns}>{body}</r>"), &Limits::default()).unwrap();
        let results = decrypt_all(&d, &key);
        assert_eq!(results.len(), MAX_ENCRYPTED_ELEMENTS + 1);
        // Found through RetrievalMethod and beside EncryptedData, each once; only 8 tried.
        let first = results[0].0;
        let data = d.child(first, XENC_NS, "EncryptedData").unwrap();
        assert_eq!(encrypted_keys(&d, data).len(), 20);
        match &results[0].1 {
            Err(DecryptError::KeyTransportFailed(m)) => {
                assert!(
                    m.contains("only the first 8 of the 20 EncryptedKeys"),
                    "{m}"
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(results[MAX_ENCRYPTED_ELEMENTS].1, Err(over_limit()));
    }

    #[test]
    fn encrypted_ids_are_found_outermost_first() {
        let d = Document::parse(
            r#"<r xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><saml:EncryptedID><saml:EncryptedID/></saml:EncryptedID><saml:Subject><saml:EncryptedID/></saml:Subject></r>"#,
            &Limits::default(),
        )
        .unwrap();
        let all = encrypted_ids(&d);
        assert_eq!(all.len(), 3);
        assert_eq!(outermost(&d, all.clone()), vec![all[0], all[2]]);
    }
}
