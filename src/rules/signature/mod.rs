//! Rules about signatures and encryption: presence and algorithms as declared, and the verdicts of
//! verifying each signature against the configured IdP certificates (see [`crate::security`]).

mod assertion_signature_missing;
mod certificate_expired;
mod certificate_unusable;
mod decryption_failed;
mod encrypted_unreadable;
mod encryption_expected;
mod nonstandard_identifier;
mod response_signature_missing;
mod signature_digest_mismatch;
mod signature_key_mismatch;
mod signature_not_verified;
mod signature_reference_invalid;
mod signature_unsupported;
mod signature_valid;
mod unsigned;
mod verdict;
mod weak_algorithm;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &unsigned::Unsigned,
    &assertion_signature_missing::AssertionSignatureMissing,
    &response_signature_missing::ResponseSignatureMissing,
    &weak_algorithm::WeakAlgorithm,
    &nonstandard_identifier::NonstandardIdentifier,
    &signature_not_verified::SignatureNotVerified,
    &encryption_expected::EncryptionExpected,
    &signature_valid::SignatureValid,
    &signature_digest_mismatch::SignatureDigestMismatch,
    &signature_key_mismatch::SignatureKeyMismatch,
    &signature_unsupported::SignatureUnsupported,
    &signature_reference_invalid::SignatureReferenceInvalid,
    &certificate_expired::CertificateExpired,
    &certificate_unusable::CertificateUnusable,
    &decryption_failed::DecryptionFailed,
    &encrypted_unreadable::EncryptedUnreadable,
];
