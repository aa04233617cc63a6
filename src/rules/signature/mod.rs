//! Rules about signatures and encryption as declared in the message. Whether a signature
//! verifies cryptographically is reported separately; these rules look at presence and algorithms.

mod assertion_signature_missing;
mod encryption_expected;
mod response_signature_missing;
mod signature_not_verified;
mod unsigned;
mod weak_algorithm;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &unsigned::Unsigned,
    &assertion_signature_missing::AssertionSignatureMissing,
    &response_signature_missing::ResponseSignatureMissing,
    &weak_algorithm::WeakAlgorithm,
    &signature_not_verified::SignatureNotVerified,
    &encryption_expected::EncryptionExpected,
];
