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

use super::verify::{DSIG_NS, HashAlg, decode_base64, element_id};
use crate::limits::Limits;
use crate::xml::{Document, NodeId, XmlError};
use aes::cipher::{BlockDecryptMut, KeyIvInit, block_padding::NoPadding};
use aes_gcm::aead::{Aead, KeyInit};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Oaep, Pkcs1v15Encrypt, RsaPrivateKey};
use sha2::Digest;
use std::fmt;

/// The XML-Enc 1.0 namespace.
pub const XENC_NS: &str = "http://www.w3.org/2001/04/xmlenc#";
/// The XML-Enc 1.1 namespace.
pub const XENC11_NS: &str = "http://www.w3.org/2009/xmlenc11#";
/// The SAML assertion namespace.
pub const SAML_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

/// The SP's private key, used to unwrap the content key.
#[derive(Clone)]
pub struct SpKey {
    key: RsaPrivateKey,
}

impl fmt::Debug for SpKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SpKey(RSA, redacted)")
    }
}

impl SpKey {
    /// Reads an unencrypted RSA private key in PEM: PKCS#8 (`PRIVATE KEY`) or PKCS#1
    /// (`RSA PRIVATE KEY`).
    pub fn parse(pem: &str) -> Result<SpKey, DecryptError> {
        let pem = pem.trim();
        let key = if pem.contains("-----BEGIN RSA PRIVATE KEY-----") {
            RsaPrivateKey::from_pkcs1_pem(pem)
                .map_err(|e| DecryptError::Key(format!("bad PKCS#1 RSA private key: {e}")))?
        } else if pem.contains("-----BEGIN PRIVATE KEY-----") {
            RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| {
                DecryptError::Key(format!("bad PKCS#8 private key (RSA expected): {e}"))
            })?
        } else if pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") {
            return Err(DecryptError::Key(
                "the private key is password-protected; export it unencrypted \
                 (openssl pkey -in key.pem -out plain.pem) for this offline check"
                    .into(),
            ));
        } else {
            return Err(DecryptError::Key(
                "not a PEM RSA private key (expected BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY)"
                    .into(),
            ));
        };
        Ok(SpKey { key })
    }
}

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

/// Parses decrypted XML in the context of the element it replaces: namespace bindings in scope
/// at `encrypted` (default namespace included) that the plaintext's root element does not
/// declare itself are added to that root before parsing, as XML-Enc's "parse in context" asks.
/// Exclusive and inclusive C14N of the result equal those of the element in place, so signatures
/// inside verify. Spans in the result point into the (possibly amended) plaintext.
pub fn parse_decrypted(
    doc: &Document,
    encrypted: NodeId,
    plaintext: &str,
    limits: &Limits,
) -> Result<Document, XmlError> {
    // Locate the root start tag: skip an XML declaration, comments, PIs and whitespace.
    let mut pos = 0;
    let bytes = plaintext.as_bytes();
    loop {
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let rest = &plaintext[pos..];
        if rest.starts_with("<?") {
            pos += rest.find("?>").map_or(rest.len(), |e| e + 2);
        } else if rest.starts_with("<!--") {
            pos += rest.find("-->").map_or(rest.len(), |e| e + 3);
        } else {
            break;
        }
    }
    let rest = &plaintext[pos..];
    if !rest.starts_with('<') {
        return Document::parse(plaintext, limits);
    }
    let name_end = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .unwrap_or(rest.len());
    let tag_end = rest.find('>').unwrap_or(rest.len());
    let start_tag = &rest[..tag_end];
    // In-scope bindings at `encrypted`, nearest declaration winning.
    let mut chain = Vec::new();
    let mut cur = Some(encrypted);
    while let Some(n) = cur {
        chain.push(n);
        cur = doc.nodes[n].parent;
    }
    let mut bindings: Vec<(Option<&str>, &str)> = Vec::new();
    for &n in &chain {
        if let Some(e) = doc.element(n) {
            for (p, uri) in e.ns_decls() {
                if !bindings.iter().any(|(q, _)| *q == p) {
                    bindings.push((p, uri));
                }
            }
        }
    }
    let mut extra = String::new();
    for (p, uri) in bindings {
        let attr = match p {
            Some(p) => format!("xmlns:{p}="),
            None => "xmlns=".to_string(),
        };
        let declared = start_tag
            .split_ascii_whitespace()
            .any(|tok| tok.starts_with(&attr));
        if declared || (p.is_none() && uri.is_empty()) {
            continue;
        }
        let value = uri
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;");
        extra.push(' ');
        extra.push_str(&attr);
        extra.push('"');
        extra.push_str(&value);
        extra.push('"');
    }
    if extra.is_empty() {
        return Document::parse(plaintext, limits);
    }
    let at = pos + name_end;
    let amended = format!("{}{extra}{}", &plaintext[..at], &plaintext[at..]);
    Document::parse(&amended, limits)
}

#[derive(Debug, Clone, Copy)]
enum ContentCipher {
    Cbc,
    Gcm,
}

fn content_cipher(uri: &str) -> Option<(ContentCipher, usize)> {
    Some(match uri {
        "http://www.w3.org/2001/04/xmlenc#aes128-cbc" => (ContentCipher::Cbc, 16),
        "http://www.w3.org/2001/04/xmlenc#aes192-cbc" => (ContentCipher::Cbc, 24),
        "http://www.w3.org/2001/04/xmlenc#aes256-cbc" => (ContentCipher::Cbc, 32),
        "http://www.w3.org/2009/xmlenc11#aes128-gcm" => (ContentCipher::Gcm, 16),
        "http://www.w3.org/2009/xmlenc11#aes192-gcm" => (ContentCipher::Gcm, 24),
        "http://www.w3.org/2009/xmlenc11#aes256-gcm" => (ContentCipher::Gcm, 32),
        _ => return None,
    })
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

fn digest_box(h: HashAlg) -> Box<dyn rsa::sha2::digest::DynDigest + Send + Sync> {
    match h {
        HashAlg::Sha1 => Box::new(sha1::Sha1::new()),
        HashAlg::Sha224 => Box::new(sha2::Sha224::new()),
        HashAlg::Sha256 => Box::new(sha2::Sha256::new()),
        HashAlg::Sha384 => Box::new(sha2::Sha384::new()),
        HashAlg::Sha512 => Box::new(sha2::Sha512::new()),
    }
}

fn mgf_hash(uri: &str) -> Option<HashAlg> {
    Some(match uri.strip_prefix(XENC11_NS)? {
        "mgf1sha1" => HashAlg::Sha1,
        "mgf1sha224" => HashAlg::Sha224,
        "mgf1sha256" => HashAlg::Sha256,
        "mgf1sha384" => HashAlg::Sha384,
        "mgf1sha512" => HashAlg::Sha512,
        _ => return None,
    })
}

fn unwrap_key(doc: &Document, ek: NodeId, key: &SpKey) -> Result<(String, Vec<u8>), DecryptError> {
    let method = doc
        .child(ek, XENC_NS, "EncryptionMethod")
        .ok_or_else(|| DecryptError::Malformed("EncryptedKey has no EncryptionMethod".into()))?;
    let uri = doc
        .attr(method, "Algorithm")
        .map(str::trim)
        .unwrap_or("")
        .to_string();
    let wrapped = cipher_value(doc, ek)?;
    let fail = |e: rsa::Error| {
        DecryptError::KeyTransportFailed(format!(
            "the SP private key does not decrypt the EncryptedKey ({e}); the IdP probably \
             encrypted for a different SP certificate"
        ))
    };
    let oaep_digest = || -> Result<HashAlg, DecryptError> {
        match doc.child(method, DSIG_NS, "DigestMethod") {
            None => Ok(HashAlg::Sha1),
            Some(d) => {
                let u = doc.attr(d, "Algorithm").unwrap_or("").trim();
                HashAlg::from_digest_uri(u)
                    .ok_or_else(|| DecryptError::UnsupportedAlgorithm(u.to_string()))
            }
        }
    };
    let label = || -> Result<Option<String>, DecryptError> {
        match doc.child(method, XENC_NS, "OAEPparams") {
            None => Ok(None),
            Some(p) => {
                let bytes = decode_base64(&doc.text(p))
                    .ok_or_else(|| DecryptError::Malformed("OAEPparams is not base64".into()))?;
                if bytes.is_empty() {
                    return Ok(None);
                }
                String::from_utf8(bytes).map(Some).map_err(|_| {
                    DecryptError::UnsupportedAlgorithm("non-UTF-8 OAEPparams label".into())
                })
            }
        }
    };
    let plain = match uri.as_str() {
        "http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p" => {
            let padding = Oaep {
                digest: digest_box(oaep_digest()?),
                mgf_digest: digest_box(HashAlg::Sha1),
                label: label()?,
            };
            key.key.decrypt(padding, &wrapped).map_err(fail)?
        }
        "http://www.w3.org/2009/xmlenc11#rsa-oaep" => {
            let mgf = match doc.child(method, XENC11_NS, "MGF") {
                None => HashAlg::Sha1,
                Some(m) => {
                    let u = doc.attr(m, "Algorithm").unwrap_or("").trim();
                    mgf_hash(u).ok_or_else(|| DecryptError::UnsupportedAlgorithm(u.to_string()))?
                }
            };
            let padding = Oaep {
                digest: digest_box(oaep_digest()?),
                mgf_digest: digest_box(mgf),
                label: label()?,
            };
            key.key.decrypt(padding, &wrapped).map_err(fail)?
        }
        "http://www.w3.org/2001/04/xmlenc#rsa-1_5" => {
            key.key.decrypt(Pkcs1v15Encrypt, &wrapped).map_err(fail)?
        }
        _ => return Err(DecryptError::UnsupportedAlgorithm(uri)),
    };
    Ok((uri, plain))
}

fn decrypt_content(
    cipher: ContentCipher,
    key: &[u8],
    data: &[u8],
) -> Result<Vec<u8>, DecryptError> {
    let bad = |m: &str| DecryptError::DataDecryptFailed(m.to_string());
    match cipher {
        ContentCipher::Cbc => {
            if data.len() < 32 || !data.len().is_multiple_of(16) {
                return Err(bad("CBC ciphertext is not an IV plus whole 16-byte blocks"));
            }
            let (iv, body) = data.split_at(16);
            let mut buf = body.to_vec();
            let plain_len = match key.len() {
                16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
                    .map_err(|_| bad("bad key or IV length"))?
                    .decrypt_padded_mut::<NoPadding>(&mut buf)
                    .map_err(|_| bad("CBC decryption failed"))?
                    .len(),
                24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
                    .map_err(|_| bad("bad key or IV length"))?
                    .decrypt_padded_mut::<NoPadding>(&mut buf)
                    .map_err(|_| bad("CBC decryption failed"))?
                    .len(),
                32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
                    .map_err(|_| bad("bad key or IV length"))?
                    .decrypt_padded_mut::<NoPadding>(&mut buf)
                    .map_err(|_| bad("CBC decryption failed"))?
                    .len(),
                _ => return Err(bad("bad AES key length")),
            };
            buf.truncate(plain_len);
            let pad = usize::from(*buf.last().unwrap_or(&0));
            if pad == 0 || pad > 16 || pad > buf.len() {
                return Err(bad(
                    "bad XML-Enc padding: the key is probably wrong or the data damaged",
                ));
            }
            buf.truncate(buf.len() - pad);
            Ok(buf)
        }
        ContentCipher::Gcm => {
            if data.len() < 12 + 16 {
                return Err(bad("GCM ciphertext shorter than IV plus tag"));
            }
            let (iv, body) = data.split_at(12);
            let nonce = aes_gcm::Nonce::from_slice(iv);
            let result = match key.len() {
                16 => aes_gcm::Aes128Gcm::new_from_slice(key)
                    .map_err(|_| bad("bad key length"))?
                    .decrypt(nonce, body),
                24 => {
                    aes_gcm::AesGcm::<aes::Aes192, aes_gcm::aead::consts::U12>::new_from_slice(key)
                        .map_err(|_| bad("bad key length"))?
                        .decrypt(nonce, body)
                }
                32 => aes_gcm::Aes256Gcm::new_from_slice(key)
                    .map_err(|_| bad("bad key length"))?
                    .decrypt(nonce, body),
                _ => return Err(bad("bad AES key length")),
            };
            result.map_err(|_| bad("GCM authentication tag does not match"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    #[test]
    fn cbc_padding_is_checked_and_stripped() {
        use aes::cipher::BlockEncryptMut;
        let key = [7u8; 16];
        let iv = [9u8; 16];
        // 13 bytes of text, 3 bytes of XML-Enc padding whose first two bytes are arbitrary.
        let mut block = *b"<a>hello</a>\n\xAA\xBB\x03";
        let ct = cbc::Encryptor::<aes::Aes128>::new_from_slices(&key, &iv)
            .unwrap()
            .encrypt_padded_mut::<NoPadding>(&mut block, 16)
            .unwrap()
            .to_vec();
        let data = [iv.to_vec(), ct].concat();
        assert_eq!(
            decrypt_content(ContentCipher::Cbc, &key, &data).unwrap(),
            b"<a>hello</a>\n"
        );
        assert!(decrypt_content(ContentCipher::Cbc, &key, &data[..20]).is_err());
        // A wrong key yields garbage: a padding error, or at best not the plaintext.
        let wrong = decrypt_content(ContentCipher::Cbc, &[1u8; 16], &data);
        assert!(wrong.as_deref().map_or(true, |p| p != b"<a>hello</a>\n"));
        assert!(decrypt_content(ContentCipher::Gcm, &key, &[0u8; 20]).is_err());
        assert!(decrypt_content(ContentCipher::Gcm, &key, &[0u8; 40]).is_err());
        assert!(decrypt_content(ContentCipher::Cbc, &[0u8; 5], &data).is_err());
    }

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

    #[test]
    fn decrypted_fragments_are_parsed_in_context() {
        let outer = Document::parse(
            r#"<p:R xmlns:p="urn:p" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns="urn:d"><saml:EncryptedAssertion/></p:R>"#,
            &Limits::default(),
        )
        .unwrap();
        let enc = outer
            .child(outer.root, SAML_NS, "EncryptedAssertion")
            .unwrap();
        let limits = Limits::default();
        // Uses the outer `saml:` prefix and default namespace.
        let d = parse_decrypted(
            &outer,
            enc,
            "<?xml version=\"1.0\"?>\n<saml:Assertion ID=\"a\"><x/></saml:Assertion>",
            &limits,
        )
        .unwrap();
        assert!(d.is(d.root, SAML_NS, "Assertion"));
        let x = d.child_elements(d.root).next().unwrap();
        assert!(d.is(x, "urn:d", "x"));
        // Its own declarations win.
        let d = parse_decrypted(
            &outer,
            enc,
            r#"<saml:Assertion xmlns:saml="urn:other" xmlns="urn:own"/>"#,
            &limits,
        )
        .unwrap();
        assert!(d.is(d.root, "urn:other", "Assertion"));
        assert!(parse_decrypted(&outer, enc, "not xml", &limits).is_err());
    }

    #[test]
    fn encrypted_pkcs8_is_explained() {
        let err = SpKey::parse(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----",
        )
        .unwrap_err();
        assert!(err.to_string().contains("password-protected"));
    }
}
