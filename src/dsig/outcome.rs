//! What verifying one `ds:Signature` found: its algorithms, the element it covers and the
//! verdict ([`Outcome`]).

use super::cert::CertInfo;
use crate::xml::NodeId;

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
