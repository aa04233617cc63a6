//! Rules about the message's shape: which elements are there, how many, and how it pairs with
//! the request.

mod authn_statement_missing;
mod conditions_missing;
mod encrypted_assertion;
mod in_response_to_mismatch;
mod multiple_assertions;
mod no_assertion;
mod request_only;
mod response_incomplete;
mod subject_missing;
mod unsolicited_response;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &no_assertion::NoAssertion,
    &multiple_assertions::MultipleAssertions,
    &subject_missing::SubjectMissing,
    &conditions_missing::ConditionsMissing,
    &in_response_to_mismatch::InResponseToMismatch,
    &unsolicited_response::UnsolicitedResponse,
    &encrypted_assertion::EncryptedAssertion,
    &request_only::RequestOnly,
    &authn_statement_missing::AuthnStatementMissing,
    &response_incomplete::ResponseIncomplete,
];
