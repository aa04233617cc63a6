//! Rules about the `Subject`: NameID and how the subject is confirmed.

mod confirmation_not_bearer;
mod name_id_format_mismatch;
mod name_id_missing;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &name_id_missing::NameIdMissing,
    &name_id_format_mismatch::NameIdFormatMismatch,
    &confirmation_not_bearer::ConfirmationNotBearer,
];
