//! X.509 certificates (RFC 5280) and bare public keys as trusted IdP keys: what they say about
//! themselves (fingerprints, subject, validity, key) for reports, and the key that checks a
//! signature value ([`super::key`]). The text forms (PEM blocks, bundles, base64, raw DER) are
//! read by [`super::keyfile`].
//!
//! Key extraction is as tolerant as OpenSSL's: a certificate that is not strict DER X.509 for
//! the `x509-cert` crate (an unknown or mismatched signature-algorithm OID, an over-long serial
//! number, an odd time or name encoding) is walked field by field (`lenient.rs`) to its
//! `SubjectPublicKeyInfo`, and what was odd becomes a note ([`CertInfo::notes`]). SAML
//! verification trusts the configured key, not the certificate's own signature, so such a
//! certificate still verifies messages; the note makes sure nobody is surprised.

use super::algorithm::{DSIG_NS, HashAlg, SigFamily};
use super::key::{Described, PublicKey};
use super::outcome::SignatureReport;
use crate::time::Millis;
use crate::xml::{Document, NodeId};
use der::{Decode, Encode};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::fmt;

pub use super::keyfile::{decode_base64, key_text_from_bytes, parse_certificates};

/// What a certificate (or a bare public key) says about itself, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertInfo {
    /// SHA-1 of the DER certificate (of the DER `SubjectPublicKeyInfo` for a bare key),
    /// upper-case hex pairs joined by colons.
    pub sha1_fingerprint: String,
    /// SHA-256 of the same bytes, upper-case hex pairs joined by colons.
    pub sha256_fingerprint: String,
    /// RFC 4514 form, e.g. `CN=idp.example.com,O=Example`; for a bare key, a phrase saying so.
    pub subject: String,
    pub issuer: String,
    /// Validity start, Unix milliseconds (`Millis::MIN` when none: a bare key).
    pub not_before: Millis,
    /// Validity end, Unix milliseconds (`Millis::MAX` when none: a bare key).
    pub not_after: Millis,
    /// `RSA 2048`, `EC P-256`, `EC P-384`, or the key algorithm OID for others.
    pub key: String,
    /// True for keys too small to trust (RSA under 2048 bits) or of a kind this tool cannot use.
    pub weak: bool,
    /// False for a bare public key (PEM `PUBLIC KEY`, `RSA PUBLIC KEY`, metadata `KeyValue`).
    pub certificate: bool,
    /// Oddities met while reading it that did not stop the key being used.
    pub notes: Vec<String>,
}

impl CertInfo {
    /// True when `now` lies outside the validity period.
    pub fn expired_at(&self, now: Millis) -> bool {
        now > self.not_after || now < self.not_before
    }
}

/// A trusted IdP key: a parsed X.509 certificate, or a bare public key, with its description.
#[derive(Clone)]
pub struct Cert {
    pub info: CertInfo,
    /// The DER certificate, or the DER `SubjectPublicKeyInfo` of a bare key.
    pub der: Vec<u8>,
    /// The DER `SubjectPublicKeyInfo`.
    pub spki: Vec<u8>,
    key: PublicKey,
}

impl fmt::Debug for Cert {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cert").field("info", &self.info).finish()
    }
}

/// Why a certificate or key could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertError(pub String);

impl fmt::Display for CertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CertError {}

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

/// Signature-algorithm OIDs a certificate is commonly signed with (RFC 4055, RFC 5758, RFC 8017).
const KNOWN_CERT_SIGNATURE_OIDS: [(&str, &str); 10] = [
    ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
    ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
    ("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"),
    ("1.2.840.113549.1.1.13", "sha512WithRSAEncryption"),
    ("1.2.840.113549.1.1.14", "sha224WithRSAEncryption"),
    ("1.2.840.113549.1.1.10", "RSASSA-PSS"),
    ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
    ("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
    ("1.2.840.10045.4.3.4", "ecdsa-with-SHA512"),
    ("1.3.101.112", "Ed25519"),
];

fn algorithm_name(oid: &str) -> String {
    KNOWN_CERT_SIGNATURE_OIDS
        .iter()
        .find(|(o, _)| *o == oid)
        .map_or(format!("{oid} (unknown)"), |(_, n)| format!("{n} ({oid})"))
}

/// Notes on a certificate's signature-algorithm fields (RFC 5280 §4.1.1.2: the outer
/// `signatureAlgorithm` MUST equal `tbsCertificate.signature`).
pub(super) fn algorithm_notes(outer: &str, inner: Option<&str>) -> Vec<String> {
    let mut notes = Vec::new();
    if !KNOWN_CERT_SIGNATURE_OIDS.iter().any(|(o, _)| *o == outer) {
        notes.push(format!(
            "the certificate's signatureAlgorithm is {}, not a known signature algorithm; \
             its public key is used anyway (as OpenSSL does): SAML verification trusts the \
             configured key, not the certificate's own signature",
            algorithm_name(outer)
        ));
    }
    if let Some(inner) = inner.filter(|i| *i != outer) {
        notes.push(format!(
            "the certificate's signatureAlgorithm ({}) differs from tbsCertificate.signature \
             ({}), which RFC 5280 §4.1.1.2 forbids",
            algorithm_name(outer),
            algorithm_name(inner)
        ));
    }
    notes
}

impl Cert {
    /// Reads one DER certificate, strictly through `x509-cert`, else field by field.
    pub fn from_der(der: &[u8]) -> Result<Cert, CertError> {
        match x509_cert::Certificate::from_der(der) {
            Ok(cert) => {
                let tbs = &cert.tbs_certificate;
                let spki = tbs
                    .subject_public_key_info
                    .to_der()
                    .map_err(|e| CertError(format!("bad SubjectPublicKeyInfo: {e}")))?;
                let millis = |t: &x509_cert::time::Time| -> Millis {
                    i64::try_from(t.to_unix_duration().as_millis()).unwrap_or(i64::MAX)
                };
                let notes = algorithm_notes(
                    &cert.signature_algorithm.oid.to_string(),
                    Some(&tbs.signature.oid.to_string()),
                );
                let fields = Fields {
                    subject: tbs.subject.to_string(),
                    issuer: tbs.issuer.to_string(),
                    not_before: millis(&tbs.validity.not_before),
                    not_after: millis(&tbs.validity.not_after),
                    notes,
                };
                Cert::build(der, spki, fields)
            }
            Err(strict) => super::lenient::certificate(der, &strict.to_string()),
        }
    }

    /// Reads a bare DER `SubjectPublicKeyInfo` (PEM `PUBLIC KEY`).
    pub fn from_spki_der(spki: &[u8]) -> Result<Cert, CertError> {
        Cert::bare(spki.to_vec(), PublicKey::from_spki_der(spki)?, "PUBLIC KEY")
    }

    /// Reads a bare DER PKCS#1 `RSAPublicKey` (PEM `RSA PUBLIC KEY`).
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Cert, CertError> {
        let described = PublicKey::from_pkcs1_der(der)?;
        let spki = match &described.key {
            PublicKey::Rsa(k) => {
                use rsa::pkcs8::EncodePublicKey;
                k.to_public_key_der()
                    .map_err(|e| CertError(format!("bad RSA PUBLIC KEY: {e}")))?
                    .as_bytes()
                    .to_vec()
            }
            _ => return Err(CertError("bad RSA PUBLIC KEY".into())),
        };
        Cert::bare(spki, described, "RSA PUBLIC KEY")
    }

    fn bare(spki: Vec<u8>, described: Described, form: &str) -> Result<Cert, CertError> {
        let what = format!("(bare public key, {form}: no certificate, so no subject or dates)");
        let info = CertInfo {
            sha1_fingerprint: hex_colon(&Sha1::digest(&spki)),
            sha256_fingerprint: hex_colon(&Sha256::digest(&spki)),
            subject: what.clone(),
            issuer: what,
            not_before: Millis::MIN,
            not_after: Millis::MAX,
            key: described.label,
            weak: described.weak,
            certificate: false,
            notes: Vec::new(),
        };
        Ok(Cert {
            info,
            der: spki.clone(),
            spki,
            key: described.key,
        })
    }

    pub(super) fn build(der: &[u8], spki: Vec<u8>, f: Fields) -> Result<Cert, CertError> {
        let described = PublicKey::from_spki_der(&spki)?;
        let info = CertInfo {
            sha1_fingerprint: hex_colon(&Sha1::digest(der)),
            sha256_fingerprint: hex_colon(&Sha256::digest(der)),
            subject: f.subject,
            issuer: f.issuer,
            not_before: f.not_before,
            not_after: f.not_after,
            key: described.label,
            weak: described.weak,
            certificate: true,
            notes: f.notes,
        };
        Ok(Cert {
            info,
            der: der.to_vec(),
            spki,
            key: described.key,
        })
    }

    /// Checks `signature` over `message` with this key.
    pub(crate) fn verifies(
        &self,
        family: SigFamily,
        hash: HashAlg,
        message: &[u8],
        signature: &[u8],
    ) -> bool {
        self.key.verifies(family, hash, message, signature)
    }

    pub(crate) fn can_check(&self, family: SigFamily) -> bool {
        self.key.can_check(family)
    }
}

/// What the key does not depend on, read strictly or leniently.
pub(super) struct Fields {
    pub(super) subject: String,
    pub(super) issuer: String,
    pub(super) not_before: Millis,
    pub(super) not_after: Millis,
    pub(super) notes: Vec<String>,
}

/// Reads the certificate in `KeyInfo/X509Data/X509Certificate` into the report: reported and
/// compared with the configured ones (same DER, or the same key for a configured bare key),
/// never trusted.
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
                .find(|(_, k)| !k.info.certificate && k.spki == cert.spki)
                .map(|(i, _)| *i);
            report.keyinfo_cert = Some(cert.info);
        }
        Err(e) => report.keyinfo_cert_error = Some(e.0),
    }
}
