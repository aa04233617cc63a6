//! Rules about attacks on the message's structure: signature wrapping, assertions no verified
//! signature covers, look-alike and unexpected elements, duplicate IDs and split values. Only a
//! signature that verifies with a configured certificate counts as covering anything (see
//! [`crate::dsig::wrapping`]).

mod comment_injection;
mod duplicate_id;
mod saml_look_alike;
mod signature_wrapping;
mod unexpected_element;
mod unverified_assertion;

use super::Rule;
use crate::finding::Finding;
use crate::rules::{Context, RuleMeta, finding};
use crate::security::IssueKind;

pub(super) const RULES: &[&dyn Rule] = &[
    &signature_wrapping::SignatureWrapping,
    &duplicate_id::DuplicateId,
    &comment_injection::CommentInjection,
    &unverified_assertion::UnverifiedAssertion,
    &saml_look_alike::SamlLookAlike,
    &unexpected_element::UnexpectedElement,
];

/// True when the structural checks found an attack shape (wrapping, an unverified assertion
/// beside others, a look-alike): then a signature that does not verify is part of the attack, not
/// a certificate to update.
pub(crate) fn attack_shape(ctx: &Context) -> bool {
    ctx.security.is_some_and(|s| {
        s.issues.iter().any(|i| {
            matches!(
                i.kind,
                IssueKind::Wrapping | IssueKind::UnverifiedAssertion | IssueKind::LookAlike
            )
        })
    })
}

/// Reports every structural issue of one kind under `meta`.
fn report(
    ctx: &Context,
    kind: IssueKind,
    meta: &'static RuleMeta,
    fix: &str,
    out: &mut Vec<Finding>,
) {
    let Some(security) = ctx.security else { return };
    for issue in security.issues.iter().filter(|i| i.kind == kind) {
        out.push(finding(
            meta,
            issue.message.clone(),
            issue.evidence.clone(),
            fix,
        ));
    }
}
