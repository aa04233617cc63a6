//! X.509 certificates (RFC 5280) and bare public keys as trusted IdP keys: what they say about
//! themselves (fingerprints, subject, validity, key) for reports, and the key that checks a
//! signature value ([`super::key`]). The text forms (PEM blocks, bundles, base64, raw DER) are
//! read by [`super::keyfile`].
//!
//! Key extraction is as tolerant as OpenSSL's: a certificate that is not strict DER X.509 for
//! the `x509-cert` crate (an unknown or mismatched signature-algorithm OID, an over-long serial
//! number, an odd time or name encoding) is walked field by field to its
//! `SubjectPublicKeyInfo`, and what was odd becomes a note ([`CertInfo::notes`]). SAML
//! verification trusts the configured key, not the certificate's own signature, so such a
//! certificate still verifies messages; the note makes sure nobody is surprised.

use super::algorithm::{DSIG_NS, HashAlg, SigFamily};
use super::key::{Described, PublicKey};
use super::outcome::SignatureReport;
use crate::time::Millis;
use crate::xml::{Document, NodeId};
use der::asn1::AnyRef;
use der::{Decode, Encode, Reader, SliceReader, Tag, TagNumber, Tagged};
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
fn algorithm_notes(outer: &str, inner: Option<&str>) -> Vec<String> {
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
            Err(strict) => lenient(der, &strict.to_string()),
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

    fn build(der: &[u8], spki: Vec<u8>, f: Fields) -> Result<Cert, CertError> {
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

struct Fields {
    subject: String,
    issuer: String,
    not_before: Millis,
    not_after: Millis,
    notes: Vec<String>,
}

/// The DER elements inside a constructed element.
fn children<'a>(any: &AnyRef<'a>) -> der::Result<Vec<AnyRef<'a>>> {
    let mut r = SliceReader::new(any.value())?;
    let mut out = Vec::new();
    while !r.is_finished() {
        out.push(AnyRef::decode(&mut r)?);
    }
    Ok(out)
}

/// Walks `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }` and
/// `tbsCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer,
/// validity, subject, subjectPublicKeyInfo, … }` (RFC 5280 §4.1) without judging the fields
/// the key does not depend on.
fn lenient(der: &[u8], strict: &str) -> Result<Cert, CertError> {
    let refuse = |why: &str| {
        CertError(format!(
            "not an X.509 certificate: {strict} (and no public key could be found: {why})"
        ))
    };
    let outer = AnyRef::from_der(der).map_err(|e| refuse(&e.to_string()))?;
    if outer.tag() != Tag::Sequence {
        return Err(refuse("not a DER SEQUENCE"));
    }
    let parts = children(&outer).map_err(|e| refuse(&e.to_string()))?;
    let [tbs, alg, _sig] = parts.as_slice() else {
        return Err(refuse("a certificate has three parts"));
    };
    let mut tbs = children(tbs).map_err(|e| refuse(&e.to_string()))?;
    let version0 = Tag::ContextSpecific {
        constructed: true,
        number: TagNumber::N0,
    };
    if tbs.first().is_some_and(|f| f.tag() == version0) {
        tbs.remove(0);
    }
    let [_serial, inner_alg, issuer, validity, subject, spki, ..] = tbs.as_slice() else {
        return Err(refuse("tbsCertificate has too few fields"));
    };
    let to_der = |a: &AnyRef| a.to_der().map_err(|e| refuse(&e.to_string()));
    let spki = to_der(spki)?;
    let oid_of = |a: &AnyRef| -> Option<String> {
        let first = children(a).ok()?.into_iter().next()?;
        (first.tag() == Tag::ObjectIdentifier).then(|| oid_text(first.value()))
    };
    let name = |a: &AnyRef| {
        a.to_der()
            .ok()
            .and_then(|d| x509_cert::name::Name::from_der(&d).ok())
            .map_or("(unreadable name)".to_string(), |n| n.to_string())
    };
    let mut notes = vec![format!(
        "the certificate is not strict DER X.509 ({strict}); its public key was read field by \
         field, as OpenSSL reads it"
    )];
    notes.extend(algorithm_notes(
        &oid_of(alg).unwrap_or_else(|| "(unreadable)".into()),
        oid_of(inner_alg).as_deref(),
    ));
    let validity = to_der(validity)
        .ok()
        .and_then(|d| x509_cert::time::Validity::from_der(&d).ok());
    let (not_before, not_after) = match validity {
        Some(v) => (
            i64::try_from(v.not_before.to_unix_duration().as_millis()).unwrap_or(i64::MAX),
            i64::try_from(v.not_after.to_unix_duration().as_millis()).unwrap_or(i64::MAX),
        ),
        None => {
            notes.push("the certificate's validity dates are unreadable".into());
            (Millis::MIN, Millis::MAX)
        }
    };
    let fields = Fields {
        subject: name(subject),
        issuer: name(issuer),
        not_before,
        not_after,
        notes,
    };
    Cert::build(der, spki, fields)
}

/// Dotted text of OID content octets (X.690 §8.19), written out here because `const-oid`
/// refuses exactly the odd OIDs (such as `0.0`) a note must name.
fn oid_text(bytes: &[u8]) -> String {
    let mut arcs: Vec<u128> = Vec::new();
    let mut value: u128 = 0;
    for &b in bytes {
        value = value.saturating_mul(128) | u128::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let top = (value / 40).min(2);
                arcs.push(top);
                arcs.push(value - top * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    if arcs.is_empty() || bytes.last().is_some_and(|b| b & 0x80 != 0) {
        return format!("(malformed OID {bytes:02X?})");
    }
    arcs.iter()
        .map(u128::to_string)
        .collect::<Vec<_>>()
        .join(".")
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_texts() {
        assert_eq!(oid_text(&[0x00]), "0.0");
        assert_eq!(
            oid_text(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]),
            "1.2.840.113549.1.1.11"
        );
        assert_eq!(oid_text(&[0x88, 0x37]), "2.999");
        assert!(oid_text(&[0x86]).starts_with("(malformed"));
        assert!(oid_text(&[]).starts_with("(malformed"));
    }
}
