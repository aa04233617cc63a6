//! Public keys for signature checks: read from a `SubjectPublicKeyInfo` (RFC 5280 §4.1.2.7, the
//! PEM `PUBLIC KEY` form), a PKCS#1 `RSAPublicKey` (RFC 8017 §A.1.1, PEM `RSA PUBLIC KEY`) or the
//! XML-DSig `RSAKeyValue` / `ECKeyValue` elements (XML-DSig 1.1 §4.5.2.2, §4.5.2.3), and used to
//! check a `SignatureValue`: RSASSA-PKCS1-v1_5 (RFC 8017 §8.2.2) through the `rsa` crate,
//! ECDSA P-256/P-384 with the raw `r||s` encoding (RFC 4051 §3.4, XML-DSig 1.1 §6.4.3) through
//! `p256`/`p384`.

use super::algorithm::{HashAlg, SigFamily};
use super::cert::CertError;
use der::Decode;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::pkcs8::EncodePublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_P256: &str = "1.2.840.10045.3.1.7";
const OID_P384: &str = "1.3.132.0.34";

/// A public key this verifier can use, or the name of one it cannot.
#[derive(Clone, Debug)]
pub enum PublicKey {
    Rsa(Box<RsaPublicKey>),
    P256(p256::ecdsa::VerifyingKey),
    P384(p384::ecdsa::VerifyingKey),
    /// A key of another kind (DSA, Ed25519, another curve): described, never used.
    Unsupported,
}

/// A key with its description for reports.
pub struct Described {
    pub key: PublicKey,
    /// `RSA 2048`, `EC P-256`, `EC P-384`, or the algorithm OID for others.
    pub label: String,
    /// RSA under 2048 bits, or a kind this tool cannot use.
    pub weak: bool,
}

fn describe_rsa(k: RsaPublicKey) -> Described {
    let bits = k.n().bits();
    Described {
        key: PublicKey::Rsa(Box::new(k)),
        label: format!("RSA {bits}"),
        weak: bits < 2048,
    }
}

impl PublicKey {
    /// Reads a DER `SubjectPublicKeyInfo`.
    pub fn from_spki_der(der: &[u8]) -> Result<Described, CertError> {
        let spki = x509_cert::spki::SubjectPublicKeyInfoRef::from_der(der)
            .map_err(|e| CertError(format!("not a SubjectPublicKeyInfo: {e}")))?;
        let raw = spki.subject_public_key.raw_bytes();
        let alg = spki.algorithm.oid.to_string();
        if alg == OID_RSA {
            return RsaPublicKey::from_pkcs1_der(raw)
                .map(describe_rsa)
                .map_err(|e| CertError(format!("bad RSA public key: {e}")));
        }
        if alg != OID_EC {
            return Ok(Described {
                key: PublicKey::Unsupported,
                label: alg,
                weak: true,
            });
        }
        let curve = spki
            .algorithm
            .parameters
            .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok())
            .map(|o| o.to_string())
            .unwrap_or_default();
        PublicKey::from_ec_point(&curve, raw)
    }

    /// Reads an EC point (SEC1 encoding) on the curve named by its OID.
    pub fn from_ec_point(curve_oid: &str, point: &[u8]) -> Result<Described, CertError> {
        let (key, label) = match curve_oid {
            OID_P256 => (
                p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
                    .map(PublicKey::P256)
                    .map_err(|_| CertError("bad P-256 public key".into()))?,
                "EC P-256",
            ),
            OID_P384 => (
                p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
                    .map(PublicKey::P384)
                    .map_err(|_| CertError("bad P-384 public key".into()))?,
                "EC P-384",
            ),
            other => {
                return Ok(Described {
                    key: PublicKey::Unsupported,
                    label: format!("EC {other}"),
                    weak: true,
                });
            }
        };
        Ok(Described {
            key,
            label: label.into(),
            weak: false,
        })
    }

    /// Reads a DER PKCS#1 `RSAPublicKey` (PEM `RSA PUBLIC KEY`).
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Described, CertError> {
        RsaPublicKey::from_pkcs1_der(der)
            .map(describe_rsa)
            .map_err(|e| CertError(format!("bad RSA PUBLIC KEY: {e}")))
    }

    /// The DER `SubjectPublicKeyInfo` of an RSA key given as big-endian modulus and exponent
    /// (`RSAKeyValue`'s `Modulus` and `Exponent`, base64-decoded).
    pub fn rsa_spki_der(modulus: &[u8], exponent: &[u8]) -> Result<Vec<u8>, CertError> {
        let key = RsaPublicKey::new(
            BigUint::from_bytes_be(modulus),
            BigUint::from_bytes_be(exponent),
        )
        .map_err(|e| CertError(format!("bad RSAKeyValue: {e}")))?;
        key.to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .map_err(|e| CertError(format!("bad RSAKeyValue: {e}")))
    }

    /// The DER `SubjectPublicKeyInfo` of an EC key given as `ECKeyValue`'s `NamedCurve/@URI`
    /// (`urn:oid:…`) and `PublicKey` (the SEC1 point, base64-decoded).
    pub fn ec_spki_der(curve_uri: &str, point: &[u8]) -> Result<Vec<u8>, CertError> {
        let bad = |e: &dyn std::fmt::Display| CertError(format!("bad ECKeyValue: {e}"));
        let der = match curve_uri.trim().strip_prefix("urn:oid:") {
            Some(OID_P256) => p256::PublicKey::from_sec1_bytes(point)
                .map_err(|e| bad(&e))?
                .to_public_key_der(),
            Some(OID_P384) => p384::PublicKey::from_sec1_bytes(point)
                .map_err(|e| bad(&e))?
                .to_public_key_der(),
            _ => {
                return Err(CertError(format!(
                    "ECKeyValue curve {curve_uri:?} is not supported (P-256: urn:oid:{OID_P256}, \
                     P-384: urn:oid:{OID_P384})"
                )));
            }
        };
        der.map(|d| d.as_bytes().to_vec()).map_err(|e| bad(&e))
    }

    /// Checks `signature` over `message`.
    pub fn verifies(
        &self,
        family: SigFamily,
        hash: HashAlg,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        use p256::ecdsa::signature::hazmat::PrehashVerifier;
        let digest = hash.digest(message);
        match (self, family) {
            (PublicKey::Rsa(k), SigFamily::Rsa) => {
                k.verify(pkcs1v15(hash), &digest, signature).is_ok()
            }
            (PublicKey::P256(k), SigFamily::Ecdsa) => p256::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|s| k.verify_prehash(&digest, &s).is_ok()),
            (PublicKey::P384(k), SigFamily::Ecdsa) => p384::ecdsa::Signature::from_slice(signature)
                .is_ok_and(|s| k.verify_prehash(&digest, &s).is_ok()),
            _ => false,
        }
    }

    /// True when this key can check signatures of `family`.
    pub fn can_check(&self, family: SigFamily) -> bool {
        matches!(
            (self, family),
            (PublicKey::Rsa(_), SigFamily::Rsa)
                | (PublicKey::P256(_), SigFamily::Ecdsa)
                | (PublicKey::P384(_), SigFamily::Ecdsa)
        )
    }
}

/// The PKCS#1 v1.5 scheme (DigestInfo prefix) for a hash.
fn pkcs1v15(hash: HashAlg) -> Pkcs1v15Sign {
    match hash {
        HashAlg::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
        HashAlg::Sha224 => Pkcs1v15Sign::new::<Sha224>(),
        HashAlg::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
        HashAlg::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
        HashAlg::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs1::EncodeRsaPublicKey;
    use rsa::pkcs8::DecodePublicKey;
    use rsa::signature::{SignatureEncoding, Signer};

    const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/keys/");

    fn pem(name: &str) -> String {
        std::fs::read_to_string(format!("{KEYS}{name}")).unwrap()
    }

    fn private(name: &str) -> rsa::RsaPrivateKey {
        use rsa::pkcs8::DecodePrivateKey;
        rsa::RsaPrivateKey::from_pkcs8_pem(&pem(name)).unwrap()
    }

    #[test]
    fn rsa_pkcs1v15_through_the_crate() {
        let sk = private("idp-rsa.key");
        let pk = RsaPublicKey::from(&sk);
        let key = describe_rsa(pk.clone()).key;
        for (hash, sig) in [
            (
                HashAlg::Sha256,
                rsa::pkcs1v15::SigningKey::<Sha256>::new(sk.clone())
                    .sign(b"signed info")
                    .to_vec(),
            ),
            (
                HashAlg::Sha1,
                rsa::pkcs1v15::SigningKey::<Sha1>::new(sk.clone())
                    .sign(b"signed info")
                    .to_vec(),
            ),
        ] {
            assert!(key.verifies(SigFamily::Rsa, hash, b"signed info", &sig));
            assert!(!key.verifies(SigFamily::Rsa, hash, b"signed inf0", &sig));
            assert!(!key.verifies(SigFamily::Ecdsa, hash, b"signed info", &sig));
            let mut flipped = sig.clone();
            flipped[17] ^= 1;
            assert!(!key.verifies(SigFamily::Rsa, hash, b"signed info", &flipped));
            // Truncated or padded signatures are refused, never panic.
            assert!(!key.verifies(SigFamily::Rsa, hash, b"signed info", &sig[1..]));
            let mut longer = vec![0];
            longer.extend_from_slice(&sig);
            assert!(!key.verifies(SigFamily::Rsa, hash, b"signed info", &longer));
        }
        // The hash named must be the hash signed (DigestInfo differs).
        let sig = rsa::pkcs1v15::SigningKey::<Sha256>::new(sk)
            .sign(b"x")
            .to_vec();
        assert!(!key.verifies(SigFamily::Rsa, HashAlg::Sha512, b"x", &sig));
        assert!(key.verifies(SigFamily::Rsa, HashAlg::Sha256, b"x", &sig));
        // Same key through every encoding.
        let spki = pk.to_public_key_der().unwrap();
        let pkcs1 = pk.to_pkcs1_der().unwrap();
        let n = pk.n().to_bytes_be();
        let e = pk.e().to_bytes_be();
        assert_eq!(
            PublicKey::rsa_spki_der(&n, &e).unwrap(),
            spki.as_bytes().to_vec()
        );
        let a = PublicKey::from_spki_der(spki.as_bytes()).unwrap();
        let b = PublicKey::from_pkcs1_der(pkcs1.as_bytes()).unwrap();
        assert_eq!((a.label.as_str(), a.weak), ("RSA 2048", false));
        assert_eq!(b.label, "RSA 2048");
        assert!(a.key.verifies(SigFamily::Rsa, HashAlg::Sha256, b"x", &sig));
        assert!(b.key.verifies(SigFamily::Rsa, HashAlg::Sha256, b"x", &sig));
        assert!(PublicKey::rsa_spki_der(&n, &[1]).is_err());
        assert!(PublicKey::from_pkcs1_der(b"\x30\x00").is_err());
        let from_pem = RsaPublicKey::from_public_key_pem(&pem("idp-rsa.pub.pem")).unwrap();
        assert_eq!(from_pem, pk);
    }

    #[test]
    fn ec_key_values() {
        let spki = pem("idp-p256.pub.pem");
        let der = der::Document::from_pem(&spki).unwrap().1;
        let d = PublicKey::from_spki_der(der.as_bytes()).unwrap();
        assert_eq!(d.label, "EC P-256");
        let PublicKey::P256(k) = &d.key else {
            panic!("{:?}", d.key)
        };
        let point = k.to_encoded_point(false);
        let rebuilt =
            PublicKey::ec_spki_der("urn:oid:1.2.840.10045.3.1.7", point.as_bytes()).unwrap();
        assert_eq!(rebuilt, der.as_bytes());
        assert!(PublicKey::ec_spki_der("urn:oid:1.3.132.0.34", point.as_bytes()).is_err());
        assert!(
            PublicKey::ec_spki_der("urn:oid:1.3.132.0.35", point.as_bytes())
                .unwrap_err()
                .0
                .contains("not supported")
        );
        assert!(d.key.can_check(SigFamily::Ecdsa) && !d.key.can_check(SigFamily::Rsa));
        let other = PublicKey::from_ec_point("1.3.132.0.35", point.as_bytes()).unwrap();
        assert!(other.weak && matches!(other.key, PublicKey::Unsupported));
    }
}
