//! Rules about attacks on the message's structure: signature wrapping, duplicate IDs and comment
//! injection. They need no certificate: a digest that matches is enough to know what is signed.

mod comment_injection;
mod duplicate_id;
mod signature_wrapping;

use super::Rule;
use crate::finding::Finding;
use crate::rules::{Context, RuleMeta, finding};
use crate::security::IssueKind;

pub(super) const RULES: &[&dyn Rule] = &[
    &signature_wrapping::SignatureWrapping,
    &duplicate_id::DuplicateId,
    &comment_injection::CommentInjection,
];

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
