//! Rules about `Issuer`: is this the IdP the connection trusts?

mod issuer_inconsistent;
mod issuer_mismatch;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[
    &issuer_mismatch::IssuerMismatch,
    &issuer_inconsistent::IssuerInconsistent,
];
