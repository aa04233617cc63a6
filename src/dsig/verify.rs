//! Enveloped XML-DSig verification for SAML messages.
//!
//! For each `ds:Signature` the verifier resolves the single `Reference` (`#id`, by an `ID`, `Id`
//! or `id` attribute, which must be unique), applies the transforms (enveloped-signature, then
//! Exclusive C14N 1.0 or C14N 1.0), compares the digest, canonicalizes `SignedInfo` and checks
//! `SignatureValue` with RSA PKCS#1 v1.5 or ECDSA (raw `r||s`) against the **configured**
//! certificates only. The certificate in `KeyInfo` is parsed and reported (fingerprints, subject,
//! validity, key) but never used to verify: anyone can put a certificate there.
//!
//! Every problem becomes an [`Outcome`]; nothing panics on hostile input.

use super::c14n::{self, C14nMethod};
use super::montgomery::MontModulus;
use crate::time::Millis;
use crate::xml::{Attr, Document, NodeId, NodeKind};
use base64::Engine;
use der::Decode;
use rsa::pkcs1::DecodeRsaPublicKey;
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPublicKey};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};
use std::fmt;
use std::sync::OnceLock;

/// The XML-DSig namespace.
pub const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";
/// The namespace of `ec:InclusiveNamespaces`.
pub const EXC_C14N_NS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// The enveloped-signature transform.
pub const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

/// A hash function named by an XML-DSig URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashAlg {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlg {
    /// The hash named by a `DigestMethod` URI.
    pub fn from_digest_uri(uri: &str) -> Option<HashAlg> {
        Some(match uri {
            "http://www.w3.org/2000/09/xmldsig#sha1" => HashAlg::Sha1,
            "http://www.w3.org/2001/04/xmldsig-more#sha224" => HashAlg::Sha224,
            "http://www.w3.org/2001/04/xmlenc#sha256" => HashAlg::Sha256,
            "http://www.w3.org/2001/04/xmldsig-more#sha384" => HashAlg::Sha384,
            "http://www.w3.org/2001/04/xmlenc#sha512" => HashAlg::Sha512,
            _ => return None,
        })
    }

    /// Hashes `data`.
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            HashAlg::Sha1 => Sha1::digest(data).to_vec(),
            HashAlg::Sha224 => Sha224::digest(data).to_vec(),
            HashAlg::Sha256 => Sha256::digest(data).to_vec(),
            HashAlg::Sha384 => Sha384::digest(data).to_vec(),
            HashAlg::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    fn pkcs1v15(self) -> Pkcs1v15Sign {
        match self {
            HashAlg::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
            HashAlg::Sha224 => Pkcs1v15Sign::new::<Sha224>(),
            HashAlg::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            HashAlg::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
            HashAlg::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        }
    }
}

/// The key family of a signature algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigFamily {
    Rsa,
    Ecdsa,
}

/// A `SignatureMethod` URI decoded into key family and hash; `None` when unsupported.
pub fn signature_method(uri: &str) -> Option<(SigFamily, HashAlg)> {
    const MORE: &str = "http://www.w3.org/2001/04/xmldsig-more#";
    if uri == "http://www.w3.org/2000/09/xmldsig#rsa-sha1" {
        return Some((SigFamily::Rsa, HashAlg::Sha1));
    }
    let name = uri.strip_prefix(MORE)?;
    let (family, hash) = name.split_once('-')?;
    let family = match family {
        "rsa" => SigFamily::Rsa,
        "ecdsa" => SigFamily::Ecdsa,
        _ => return None,
    };
    let hash = match hash {
        "sha1" => HashAlg::Sha1,
        "sha224" => HashAlg::Sha224,
        "sha256" => HashAlg::Sha256,
        "sha384" => HashAlg::Sha384,
        "sha512" => HashAlg::Sha512,
        _ => return None,
    };
    Some((family, hash))
}

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
    fn verifies(&self, family: SigFamily, hash: HashAlg, message: &[u8], signature: &[u8]) -> bool {
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

    fn can_check(&self, family: SigFamily) -> bool {
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

/// The algorithm URIs a signature names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Algorithms {
    /// `SignedInfo/CanonicalizationMethod@Algorithm`.
    pub c14n: Option<String>,
    /// `SignedInfo/SignatureMethod@Algorithm`.
    pub signature: Option<String>,
    /// `Reference/DigestMethod@Algorithm`.
    pub digest: Option<String>,
    /// `Reference/Transforms/Transform@Algorithm`, in order.
    pub transforms: Vec<String>,
}

/// The verdict on one signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Digest and signature value check out with configured certificate `cert_index`, and the
    /// reference points at the signature's own parent element.
    Valid { cert_index: usize },
    /// Cryptographically valid with `cert_index`, but the reference points at an element other
    /// than the signature's parent: the signature is not enveloped as SAML requires (a wrapping
    /// sign).
    ReferenceNotParent { cert_index: usize },
    /// The referenced content changed after signing (base64 digests).
    DigestMismatch { expected: String, computed: String },
    /// The digest matches but no configured certificate verifies the signature value.
    SignatureMismatch,
    /// An algorithm or transform this verifier does not implement (URI).
    UnsupportedAlgorithm(String),
    /// No configured certificate can check this kind of signature (none configured, or none
    /// with a key of the right type).
    NoTrustedCertificate,
    /// No element carries the referenced ID.
    ReferenceNotFound(String),
    /// Several elements carry the referenced ID.
    ReferenceAmbiguous(String, usize),
    /// The signature's structure is broken (message says how).
    Malformed(String),
}

impl Outcome {
    /// True only for [`Outcome::Valid`].
    pub fn is_valid(&self) -> bool {
        matches!(self, Outcome::Valid { .. })
    }

    /// The certificate that verified the signature value, whether or not it is enveloped.
    pub fn verified_by(&self) -> Option<usize> {
        match self {
            Outcome::Valid { cert_index } | Outcome::ReferenceNotParent { cert_index } => {
                Some(*cert_index)
            }
            _ => None,
        }
    }
}

/// Everything learnt about one `ds:Signature`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureReport {
    /// The `ds:Signature` element.
    pub signature: NodeId,
    /// The element holding the signature (normally the Response or Assertion it signs).
    pub parent: Option<NodeId>,
    /// The element the Reference resolves to, when it resolves to exactly one.
    pub signed_element: Option<NodeId>,
    /// Readable path of `signed_element`.
    pub signed_path: Option<String>,
    /// The ID named by the reference (`#id` without `#`); `Some("")` for `URI=""`.
    pub reference_id: Option<String>,
    pub algorithms: Algorithms,
    /// True when the reference resolved and the recomputed digest equals `DigestValue`.
    pub digest_matched: bool,
    /// True when the reference resolves to the signature's parent element.
    pub covers_parent: bool,
    pub outcome: Outcome,
    /// The certificate in `KeyInfo/X509Data/X509Certificate`, reported, never trusted.
    pub keyinfo_cert: Option<CertInfo>,
    /// Why the `KeyInfo` certificate could not be read, when present but unreadable.
    pub keyinfo_cert_error: Option<String>,
    /// Index of the configured certificate identical to the `KeyInfo` one (same DER).
    pub keyinfo_matches_configured: Option<usize>,
}

/// Verifies every `ds:Signature` element in the document, in document order, against the
/// configured certificates (PEM or base64 DER). Unreadable configured certificates are skipped;
/// `cert_index` values refer to positions in `certs`.
pub fn verify_all(doc: &Document, certs: &[String]) -> Vec<SignatureReport> {
    let parsed: Vec<(usize, Cert)> = parse_certificates(certs)
        .into_iter()
        .enumerate()
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

/// Verifies one `ds:Signature` element against `certs`.
pub fn verify_signature(doc: &Document, signature: NodeId, certs: &[Cert]) -> SignatureReport {
    let refs: Vec<(usize, &Cert)> = certs.iter().enumerate().collect();
    verify_indexed(doc, signature, &refs)
}

/// Elements with an unprefixed `ID`, `Id` or `id` attribute equal to `id`, in document order.
/// Any of the three counts, so an element smuggling a second ID-like attribute makes the
/// reference ambiguous rather than silently resolved.
pub fn elements_with_id(doc: &Document, id: &str) -> Vec<NodeId> {
    (0..doc.nodes.len())
        .filter(|&n| element_ids(doc, n).any(|v| v == id))
        .collect()
}

/// All distinct values of the element's unprefixed `ID`, `Id` and `id` attributes.
pub fn element_ids(doc: &Document, n: NodeId) -> impl Iterator<Item = &str> {
    let is_id = |a: &Attr| a.prefix.is_none() && matches!(a.local, "ID" | "Id" | "id");
    doc.attributes(n).enumerate().filter_map(move |(i, a)| {
        let first = is_id(&a)
            && !doc
                .attributes(n)
                .take(i)
                .any(|b| is_id(&b) && b.value == a.value);
        first.then_some(a.value)
    })
}

/// The element's ID: its unprefixed `ID`, `Id` or `id` attribute, in that order of preference.
pub fn element_id(doc: &Document, n: NodeId) -> Option<&str> {
    let e = doc.element(n)?;
    ["ID", "Id", "id"].iter().find_map(|name| {
        e.attrs()
            .find(|a| a.prefix.is_none() && a.local == *name)
            .map(|a| a.value)
    })
}

fn is_ancestor(doc: &Document, ancestor: NodeId, mut node: NodeId) -> bool {
    while let Some(p) = doc.nodes[node].parent {
        if p == ancestor {
            return true;
        }
        node = p;
    }
    false
}

fn ds_child(doc: &Document, n: NodeId, local: &str) -> Option<NodeId> {
    doc.child(n, DSIG_NS, local)
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

fn read_keyinfo(
    doc: &Document,
    signature: NodeId,
    certs: &[(usize, &Cert)],
    report: &mut SignatureReport,
) {
    let Some(ki) = ds_child(doc, signature, "KeyInfo") else {
        return;
    };
    let Some(data) = ds_child(doc, ki, "X509Data") else {
        return;
    };
    let Some(c) = ds_child(doc, data, "X509Certificate") else {
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

fn check(
    doc: &Document,
    signature: NodeId,
    certs: &[(usize, &Cert)],
    report: &mut SignatureReport,
) -> Result<Outcome, Outcome> {
    let malformed = |m: &str| Outcome::Malformed(m.to_string());
    let signed_info = ds_child(doc, signature, "SignedInfo")
        .ok_or_else(|| malformed("Signature has no SignedInfo"))?;
    let c14n_el = ds_child(doc, signed_info, "CanonicalizationMethod")
        .ok_or_else(|| malformed("SignedInfo has no CanonicalizationMethod"))?;
    let sig_el = ds_child(doc, signed_info, "SignatureMethod")
        .ok_or_else(|| malformed("SignedInfo has no SignatureMethod"))?;
    report.algorithms.c14n = algorithm(doc, c14n_el);
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

    // Resolve the reference.
    let uri = doc.attr(reference, "URI").unwrap_or("");
    let (id, keep_comments) = if uri.is_empty() {
        (None, false)
    } else if let Some(rest) = uri.strip_prefix("#xpointer(id(") {
        let inner = rest
            .strip_suffix("))")
            .map(|s| s.trim_matches(|c| c == '\'' || c == '"'))
            .ok_or_else(|| Outcome::UnsupportedAlgorithm(format!("Reference URI {uri}")))?;
        (Some(inner.to_string()), true)
    } else if uri == "#xpointer(/)" {
        (None, true)
    } else if let Some(bare) = uri.strip_prefix('#') {
        (Some(bare.to_string()), false)
    } else {
        return Err(Outcome::UnsupportedAlgorithm(format!(
            "Reference URI {uri} (not a same-document reference)"
        )));
    };
    report.reference_id = Some(id.clone().unwrap_or_default());
    let target = match &id {
        None => doc.root,
        Some(id) => {
            let found = elements_with_id(doc, id);
            match found.as_slice() {
                [] => return Err(Outcome::ReferenceNotFound(id.clone())),
                [one] => *one,
                many => return Err(Outcome::ReferenceAmbiguous(id.clone(), many.len())),
            }
        }
    };
    report.signed_element = Some(target);
    report.signed_path = Some(doc.path(target));
    report.covers_parent = parent_is(doc, signature, target);

    // Transforms: any number of enveloped-signature, then at most one canonicalization.
    let mut exclude = None;
    let mut emptied = false;
    let mut method: Option<C14nMethod> = None;
    for (&t, uri) in transforms.iter().zip(report.algorithms.transforms.clone()) {
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
        } else if let Some(m) = C14nMethod::from_uri(&uri, prefix_list(doc, t)) {
            method = Some(m);
        } else {
            return Err(Outcome::UnsupportedAlgorithm(uri));
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
    let digest_uri = report.algorithms.digest.clone().unwrap_or_default();
    let hash = HashAlg::from_digest_uri(&digest_uri)
        .ok_or_else(|| Outcome::UnsupportedAlgorithm(digest_uri.clone()))?;
    let expected_text = ds_child(doc, reference, "DigestValue")
        .map(|d| doc.text(d))
        .ok_or_else(|| malformed("Reference has no DigestValue"))?;
    let expected = decode_base64(&expected_text)
        .ok_or_else(|| malformed("DigestValue is not valid base64"))?;
    let canonical = if emptied {
        String::new()
    } else {
        c14n::canonicalize(doc, target, exclude, &method)
    };
    let computed = hash.digest(canonical.as_bytes());
    if computed != expected {
        let b64 = base64::engine::general_purpose::STANDARD;
        return Err(Outcome::DigestMismatch {
            expected: b64.encode(&expected),
            computed: b64.encode(&computed),
        });
    }
    report.digest_matched = true;

    // SignedInfo and the signature value.
    let c14n_uri = report.algorithms.c14n.clone().unwrap_or_default();
    let si_method = C14nMethod::from_uri(&c14n_uri, prefix_list(doc, c14n_el))
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
    let signed_info_c14n = c14n::canonicalize(doc, signed_info, None, &si_method);
    let Some(&&(cert_index, _)) = usable
        .iter()
        .find(|(_, c)| c.verifies(family, sig_hash, signed_info_c14n.as_bytes(), &value))
    else {
        return Err(Outcome::SignatureMismatch);
    };
    if let Some(problem) = schema_problem(doc, signature, signed_info) {
        return Err(Outcome::Malformed(problem));
    }
    if report.covers_parent {
        Ok(Outcome::Valid { cert_index })
    } else {
        Ok(Outcome::ReferenceNotParent { cert_index })
    }
}

/// RSASSA-PKCS1-v1_5 verification (RFC 8017 §8.2.2): recovers the encoded message with the
/// public exponent and compares it, whole, with the expected `00 01 FF… 00 DigestInfo` encoding.
/// The exponentiation uses [`MontModulus`] (several times faster than the `rsa` crate's
/// backend); the `rsa` crate still parses keys and supplies the DigestInfo prefixes.
fn rsa_pkcs1v15_verify(key: &RsaKey, hash: HashAlg, digest: &[u8], signature: &[u8]) -> bool {
    let k = key.public.size();
    let prefix = hash.pkcs1v15().prefix;
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

fn parent_is(doc: &Document, signature: NodeId, target: NodeId) -> bool {
    doc.nodes[signature].parent == Some(target) && doc.element(target).is_some()
}

/// Checks the XML-DSig schema shape that matters for wrapping: `Signature` holds `SignedInfo`,
/// `SignatureValue`, an optional `KeyInfo` and `Object`s, in that order, and nothing else; and
/// `SignedInfo` holds only DSig elements. Text other than whitespace is refused too.
fn schema_problem(doc: &Document, signature: NodeId, signed_info: NodeId) -> Option<String> {
    let mut stage = 0;
    for c in doc.children(signature) {
        match doc.kind(c) {
            NodeKind::Element(e) => {
                let in_ds = e.ns == Some(DSIG_NS);
                let want = match (in_ds, e.local) {
                    (true, "SignedInfo") => 1,
                    (true, "SignatureValue") => 2,
                    (true, "KeyInfo") => 3,
                    (true, "Object") => 4,
                    _ => 0,
                };
                if want == 0 || want < stage || (want == stage && want != 4) {
                    return Some(format!(
                        "unexpected <{}> inside Signature (allowed: SignedInfo, SignatureValue, \
                         KeyInfo, Object, in that order)",
                        e.local
                    ));
                }
                stage = want;
            }
            NodeKind::Text(t) if !t.trim().is_empty() => {
                return Some("text directly inside Signature".into());
            }
            _ => {}
        }
    }
    for c in doc.child_elements(signed_info) {
        if doc.element(c).is_some_and(|e| e.ns != Some(DSIG_NS)) {
            return Some("a non-DSig element inside SignedInfo".into());
        }
    }
    None
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

    #[test]
    fn signature_methods() {
        assert_eq!(
            signature_method("http://www.w3.org/2000/09/xmldsig#rsa-sha1"),
            Some((SigFamily::Rsa, HashAlg::Sha1))
        );
        assert_eq!(
            signature_method("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"),
            Some((SigFamily::Ecdsa, HashAlg::Sha384))
        );
        assert_eq!(
            signature_method("http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"),
            Some((SigFamily::Rsa, HashAlg::Sha512))
        );
        for unsupported in [
            "http://www.w3.org/2000/09/xmldsig#dsa-sha1",
            "http://www.w3.org/2000/09/xmldsig#hmac-sha1",
            "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
            "http://www.w3.org/2007/05/xmldsig-more#ecdsa-sha256",
            "",
        ] {
            assert_eq!(signature_method(unsupported), None, "{unsupported}");
        }
        assert_eq!(
            HashAlg::from_digest_uri("http://www.w3.org/2001/04/xmlenc#sha256"),
            Some(HashAlg::Sha256)
        );
        assert_eq!(
            HashAlg::from_digest_uri("http://www.w3.org/2001/04/xmldsig-more#md5"),
            None
        );
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
    fn ids_and_signatures_listed() {
        let d = parse(&sig_doc(&si("#a1", ENV, SHA256), ""));
        assert_eq!(elements_with_id(&d, "dup").len(), 2);
        assert_eq!(element_id(&d, d.root), Some("a1"));
        let two = parse(r#"<a ID="x" id="y"><b Id="y"/><c ID="z" Id="z"/></a>"#);
        assert_eq!(elements_with_id(&two, "y").len(), 2);
        assert_eq!(element_ids(&two, two.root).collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(element_ids(&two, 2).count(), 1);
        assert_eq!(signatures(&d).len(), 1);
        assert!(decode_base64(" QU\nJD ").is_some_and(|b| b == b"ABC"));
        assert!(decode_base64("***").is_none());
    }
}
