//! The SP's RSA private key and key transport: RSA-OAEP (XML-Enc 1.0 `rsa-oaep-mgf1p`, XML-Enc
//! 1.1 `rsa-oaep` with its MGF) and RSA PKCS#1 v1.5 unwrapping of an `xenc:EncryptedKey`.

use super::{DecryptError, XENC_NS, XENC11_NS, cipher_value};
use crate::dsig::verify::{DSIG_NS, HashAlg, decode_base64};
use crate::xml::{Document, NodeId};
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::{Oaep, Pkcs1v15Encrypt, RsaPrivateKey};
use sha2::Digest;
use std::fmt;

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

pub(super) fn unwrap_key(
    doc: &Document,
    ek: NodeId,
    key: &SpKey,
) -> Result<(String, Vec<u8>), DecryptError> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_pkcs8_is_explained() {
        let err = SpKey::parse(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----",
        )
        .unwrap_err();
        assert!(err.to_string().contains("password-protected"));
    }
}
