//! XML-Enc decryption of `saml:EncryptedAssertion` (and other `EncryptedElementType`s) with the
//! SP's RSA private key.
//!
//! Key transport: RSA-OAEP (`xmlenc#rsa-oaep-mgf1p`, MGF1-SHA-1, digest from `ds:DigestMethod`,
//! default SHA-1; `xmlenc11#rsa-oaep` with `xenc11:MGF`) and RSA PKCS#1 v1.5 (`xmlenc#rsa-1_5`).
//! Content: AES-128/192/256-CBC (16-byte IV prefix, XML-Enc padding: the last byte counts the
//! padding bytes, whose other values are arbitrary) and AES-128/192/256-GCM (12-byte IV prefix,
//! 16-byte tag suffix). The `EncryptedKey` is looked for in `EncryptedData/ds:KeyInfo`, then among
//! the siblings of `EncryptedData`, then through `ds:RetrievalMethod`; with several (one per
//! recipient) each is tried in turn.
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
use std::fmt;

/// The XML-Enc 1.0 namespace.
pub const XENC_NS: &str = "http://www.w3.org/2001/04/xmlenc#";
/// The XML-Enc 1.1 namespace.
pub const XENC11_NS: &str = "http://www.w3.org/2009/xmlenc11#";
/// The SAML assertion namespace.
pub const SAML_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

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
    let mut last_err = None;
    for ek in candidates {
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
    Err(last_err.unwrap_or_else(|| DecryptError::KeyTransportFailed("no EncryptedKey".into())))
}

/// Every `saml:EncryptedAssertion` in the document, decrypted in document order.
pub fn decrypt_all(doc: &Document, key: &SpKey) -> Vec<(NodeId, Result<Decrypted, DecryptError>)> {
    doc.descendants(doc.root)
        .into_iter()
        .filter(|&n| doc.is(n, SAML_NS, "EncryptedAssertion"))
        .map(|n| (n, decrypt_element(doc, n, key)))
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

fn encrypted_keys(doc: &Document, data: NodeId) -> Vec<NodeId> {
    let mut out = Vec::new();
    if let Some(ki) = doc.child(data, DSIG_NS, "KeyInfo") {
        out.extend(doc.children_named(ki, XENC_NS, "EncryptedKey"));
        for rm in doc.children_named(ki, DSIG_NS, "RetrievalMethod") {
            if let Some(id) = doc.attr(rm, "URI").and_then(|u| u.strip_prefix('#')) {
                out.extend(doc.descendants(doc.root).into_iter().filter(|&n| {
                    doc.is(n, XENC_NS, "EncryptedKey") && element_id(doc, n) == Some(id)
                }));
            }
        }
    }
    if let Some(parent) = doc.nodes[data].parent {
        out.extend(doc.children_named(parent, XENC_NS, "EncryptedKey"));
    }
    let mut seen = Vec::new();
    out.retain(|n| {
        let fresh = !seen.contains(n);
        seen.push(*n);
        fresh
    });
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
            "<saml:EncryptedAssertion {ns}><xenc:EncryptedData><xenc:EncryptionMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#tripledes-cbc\"/></xenc:EncryptedData></saml:EncryptedAssertion>"
        ));
        assert_eq!(
            decrypt_element(&d, d.root, &key),
            Err(DecryptError::UnsupportedAlgorithm(
                "http://www.w3.org/2001/04/xmlenc#tripledes-cbc".into()
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
}
