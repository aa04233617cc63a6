//! Rules about `AudienceRestriction`: is the assertion meant for this Kinde connection?

mod audience_mismatch;
mod audience_missing;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &audience_mismatch::AudienceMismatch,
    &audience_missing::AudienceMissing,
];
