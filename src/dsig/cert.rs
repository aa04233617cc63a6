//! X.509 certificates and public keys: reading them (PEM or base64 DER), what they say about
//! themselves (fingerprints, subject, validity, key), and checking a signature value with their
//! key (RSA PKCS#1 v1.5, RFC 8017 §8.2.2; ECDSA P-256/P-384 with raw `r||s`, RFC 4051 §3.4 /
//! XML-DSig 1.1 §6.4.3).

use super::algorithm::{DSIG_NS, HashAlg, SigFamily};
use super::montgomery::MontModulus;
use super::outcome::SignatureReport;
use crate::time::Millis;
use crate::xml::{Document, NodeId};
use base64::Engine;
use der::Decode;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use std::fmt;
use std::sync::OnceLock;

/// What a certificate says about itself, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// SHA-1 of the DER certificate, upper-case hex pairs joined by colons.
    pub sha1_fingerprint: String,
    /// SHA-256 of the DER certificate, upper-case hex pairs joined by colons.
    pub sha256_fingerprint: String,
    /// RFC 4514 form, e.g. `CN=idp.example.com,O=Example`.
    pub subject: String,
    pub issuer: String,
    /// Validity start, Unix milliseconds.
    pub not_before: Millis,
    /// Validity end, Unix milliseconds.
    pub not_after: Millis,
    /// `RSA 2048`, `EC P-256`, `EC P-384`, or the key algorithm OID for others.
    pub key: String,
    /// True for keys too small to trust (RSA under 2048 bits) or of a kind this tool cannot use.
    pub weak: bool,
}

impl CertInfo {
    /// True when `now` lies outside the validity period.
    pub fn expired_at(&self, now: Millis) -> bool {
        now > self.not_after || now < self.not_before
    }
}

#[derive(Clone)]
enum PublicKey {
    Rsa(Box<RsaKey>),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    Unsupported,
}

/// A parsed X.509 certificate with its public key.
#[derive(Clone)]
pub struct Cert {
    pub info: CertInfo,
    /// The DER encoding.
    pub der: Vec<u8>,
    key: PublicKey,
}

impl fmt::Debug for Cert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cert").field("info", &self.info).finish()
    }
}

/// Why a certificate could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertError(pub String);

impl fmt::Display for CertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CertError {}

/// Decodes base64 after removing all ASCII whitespace (XML values are often line-wrapped).
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean).ok()
}

fn hex_colon(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        s.push_str(&format!("{b:02X}"));
    }
    s
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";

impl Cert {
    /// Reads a certificate given as PEM (`-----BEGIN CERTIFICATE-----`) or as bare base64 DER,
    /// line breaks and spaces allowed, as in settings `idp_certificates` and IdP metadata.
    pub fn parse(text: &str) -> Result<Cert, CertError> {
        let text = text.trim();
        let body = if let Some(start) = text.find("-----BEGIN CERTIFICATE-----") {
            let rest = &text[start + "-----BEGIN CERTIFICATE-----".len()..];
            let end = rest
                .find("-----END CERTIFICATE-----")
                .ok_or_else(|| CertError("PEM certificate without an END line".into()))?;
            &rest[..end]
        } else if text.starts_with("-----BEGIN") {
            return Err(CertError(
                "PEM block is not a CERTIFICATE (a key or request was given?)".into(),
            ));
        } else {
            text
        };
        let der = decode_base64(body)
            .ok_or_else(|| CertError("certificate is not valid base64".into()))?;
        Cert::from_der(&der)
    }

    /// Reads a DER certificate.
    pub fn from_der(der: &[u8]) -> Result<Cert, CertError> {
        let cert = x509_cert::Certificate::from_der(der)
            .map_err(|e| CertError(format!("not an X.509 certificate: {e}")))?;
        let der = der.to_vec();
        let tbs = &cert.tbs_certificate;
        let spki = &tbs.subject_public_key_info;
        let raw = spki.subject_public_key.raw_bytes();
        let alg = spki.algorithm.oid.to_string();
        let (key, label, weak) = if alg == OID_RSA {
            match RsaPublicKey::from_pkcs1_der(raw) {
                Ok(k) => {
                    let bits = k.n().bits();
                    (
                        PublicKey::Rsa(Box::new(RsaKey {
                            public: k,
                            prepared: OnceLock::new(),
                        })),
                        format!("RSA {bits}"),
                        bits < 2048,
                    )
                }
                Err(e) => return Err(CertError(format!("bad RSA public key: {e}"))),
            }
        } else if alg == OID_EC {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok())
                .map(|o| o.to_string())
                .unwrap_or_default();
            match curve.as_str() {
                OID_P256 => match p256::ecdsa::VerifyingKey::from_sec1_bytes(raw) {
                    Ok(k) => (PublicKey::P256(k), "EC P-256".into(), false),
                    Err(_) => return Err(CertError("bad P-256 public key".into())),
                },
                OID_P384 => match p384::ecdsa::VerifyingKey::from_sec1_bytes(raw) {
                    Ok(k) => (PublicKey::P384(k), "EC P-384".into(), false),
                    Err(_) => return Err(CertError("bad P-384 public key".into())),
                },
                other => (PublicKey::Unsupported, format!("EC {other}"), true),
            }
        } else {
            (PublicKey::Unsupported, alg, true)
        };
        let millis = |t: &x509_cert::time::Time| -> Millis {
            i64::try_from(t.to_unix_duration().as_millis()).unwrap_or(i64::MAX)
        };
        let info = CertInfo {
            sha1_fingerprint: hex_colon(&Sha1::digest(&der)),
            sha256_fingerprint: hex_colon(&Sha256::digest(&der)),
            subject: tbs.subject.to_string(),
            issuer: tbs.issuer.to_string(),
            not_before: millis(&tbs.validity.not_before),
            not_after: millis(&tbs.validity.not_after),
            key: label,
            weak,
        };
        Ok(Cert { info, der, key })
    }

    /// Checks `signature` over `message` with this certificate's key.
    pub(crate) fn verifies(
        &self,
        family: SigFamily,
        hash: HashAlg,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        use p256::ecdsa::signature::hazmat::PrehashVerifier;
        let digest = hash.digest(message);
        match (&self.key, family) {
            (PublicKey::Rsa(k), SigFamily::Rsa) => rsa_pkcs1v15_verify(k, hash, &digest, signature),
            (PublicKey::P256(k), SigFamily::Ecdsa) => p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|s| k.verify_prehash(&digest, &s).is_ok()),
            (PublicKey::P384(k), SigFamily::Ecdsa) => p384::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|s| k.verify_prehash(&digest, &s).is_ok()),
            _ => false,
        }
    }

    pub(crate) fn can_check(&self, family: SigFamily) -> bool {
        matches!(
            (&self.key, family),
            (PublicKey::Rsa(_), SigFamily::Rsa)
                | (PublicKey::P256(_), SigFamily::Ecdsa)
                | (PublicKey::P384(_), SigFamily::Ecdsa)
        )
    }
}

/// Parses every configured certificate, keeping each one's position.
pub fn parse_certificates(certs: &[String]) -> Vec<Result<Cert, CertError>> {
    certs.iter().map(|c| Cert::parse(c)).collect()
}

fn pkcs1v15(hash: HashAlg) -> Pkcs1v15Sign {
    match hash {
        HashAlg::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
        HashAlg::Sha224 => Pkcs1v15Sign::new::<Sha224>(),
        HashAlg::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
        HashAlg::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
        HashAlg::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
    }
}

/// RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2): recovers the encoded message with the
/// public exponent and compares it, whole, with the expected `00 01 FF… 00 DigestInfo` encoding.
/// The exponentiation uses [`MontModulus`] (several times faster than the `rsa` crate's
/// backend); the `rsa` crate still parses keys and supplies the DigestInfo prefixes.
fn rsa_pkcs1v15_verify(key: &RsaKey, hash: HashAlg, digest: &[u8], signature: &[u8]) -> bool {
    let k = key.public.size();
    let prefix = pkcs1v15(hash).prefix;
    let t_len = prefix.len() + digest.len();
    if signature.len() != k || k < t_len + 11 {
        return false;
    }
    let Some(modulus) = key.modulus() else {
        return false;
    };
    let Some(e) = key.exponent() else {
        return false;
    };
    let Some(recovered) = modulus.pow(signature, e) else {
        return false;
    };
    let mut expected = Vec::with_capacity(k);
    expected.extend_from_slice(&[0x00, 0x01]);
    expected.resize(k - t_len - 1, 0xff);
    expected.push(0x00);
    expected.extend_from_slice(&prefix);
    expected.extend_from_slice(digest);
    recovered == expected
}

/// An RSA public key with its Montgomery form, prepared on first use.
#[derive(Clone)]
struct RsaKey {
    public: RsaPublicKey,
    prepared: OnceLock<Option<MontModulus>>,
}

impl RsaKey {
    fn modulus(&self) -> Option<&MontModulus> {
        self.prepared
            .get_or_init(|| {
                let n = self.public.n();
                let limbs = n.to_bytes_be().len().div_ceil(8);
                let rr = (rsa::BigUint::from(1u8) << (128 * limbs)) % n;
                MontModulus::new(&n.to_bytes_be(), &rr.to_bytes_be())
            })
            .as_ref()
    }

    fn exponent(&self) -> Option<u64> {
        let e = self.public.e().to_bytes_be();
        if e.len() > 8 {
            return None;
        }
        Some(e.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))).filter(|&e| e > 1)
    }
}

/// Reads the certificate in `KeyInfo/X509Data/X509Certificate` into the report: reported and
/// compared with the configured ones by DER, never trusted.
pub(crate) fn read_keyinfo(
    doc: &Document,
    signature: NodeId,
    certs: &[(usize, &Cert)],
    report: &mut SignatureReport,
) {
    let Some(ki) = doc.child(signature, DSIG_NS, "KeyInfo") else {
        return;
    };
    let Some(data) = doc.child(ki, DSIG_NS, "X509Data") else {
        return;
    };
    let Some(c) = doc.child(data, DSIG_NS, "X509Certificate") else {
        return;
    };
    let Some(der) = decode_base64(&doc.text(c)) else {
        report.keyinfo_cert_error = Some("not valid base64".into());
        return;
    };
    // The common case, the configured certificate itself, needs no second parse.
    if let Some((i, known)) = certs.iter().find(|(_, k)| k.der == der) {
        report.keyinfo_matches_configured = Some(*i);
        report.keyinfo_cert = Some(known.info.clone());
        return;
    }
    match Cert::from_der(&der) {
        Ok(cert) => {
            report.keyinfo_matches_configured = certs
                .iter()
                .find(|(_, k)| k.der == cert.der)
                .map(|(i, _)| *i);
            report.keyinfo_cert = Some(cert.info);
        }
        Err(e) => report.keyinfo_cert_error = Some(e.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/keys/");

    fn pem(name: &str) -> String {
        std::fs::read_to_string(format!("{KEYS}{name}.crt")).unwrap()
    }

    #[test]
    fn certificates_from_pem_and_bare_base64() {
        let p = pem("idp-rsa");
        let a = Cert::parse(&p).unwrap();
        let body: String = p
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .join("\n  ");
        let b = Cert::parse(&format!("  {body}\n")).unwrap();
        assert_eq!(a.info, b.info);
        assert_eq!(a.info.key, "RSA 2048");
        assert!(!a.info.weak);
        assert!(
            a.info.subject.contains("CN=idp.example.com"),
            "{}",
            a.info.subject
        );
        assert_eq!(a.info.subject, a.info.issuer);
        assert_eq!(a.info.sha1_fingerprint.len(), 20 * 3 - 1);
        assert_eq!(a.info.sha256_fingerprint.len(), 32 * 3 - 1);
        assert!(a.info.not_before < a.info.not_after);
        assert!(!a.info.expired_at(a.info.not_before + 1));
        assert!(a.info.expired_at(a.info.not_after + 1));
        let weak = Cert::parse(&pem("weak-rsa1024")).unwrap();
        assert_eq!(weak.info.key, "RSA 1024");
        assert!(weak.info.weak);
        assert_eq!(Cert::parse(&pem("idp-p256")).unwrap().info.key, "EC P-256");
        assert_eq!(Cert::parse(&pem("idp-p384")).unwrap().info.key, "EC P-384");
    }

    #[test]
    fn certificate_errors_are_errors() {
        assert!(Cert::parse("").is_err());
        assert!(Cert::parse("not base64 at all!").is_err());
        assert!(Cert::parse("AAAA").is_err());
        assert!(Cert::parse("-----BEGIN CERTIFICATE-----\nMIIB").is_err());
        let key = std::fs::read_to_string(format!("{KEYS}idp-rsa.key")).unwrap();
        assert!(
            Cert::parse(&key)
                .unwrap_err()
                .0
                .contains("not a CERTIFICATE")
        );
        let parsed = parse_certificates(&["junk".into(), pem("idp-rsa")]);
        assert!(parsed[0].is_err() && parsed[1].is_ok());
    }
}
