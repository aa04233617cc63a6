//! SD721: several elements carry the same ID.

use super::report;
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta};
use crate::saml::Message;
use crate::security::IssueKind;

pub struct DuplicateId;

static META: RuleMeta = RuleMeta {
    code: "SD721",
    name: "duplicate-id",
    severity: Severity::Error,
    weight: 97,
    needs: &[],
    summary: "Several elements carry the same ID",
    docs: r#"# SD721 duplicate-id

XML IDs must be unique in a document (SAML core §1.3.4, xs:ID). When two elements carry the same
`ID`, a signature reference `#ID` is ambiguous: one library verifies the first copy, another reads
the second. That is the mechanism behind several signature-wrapping attacks (an unsigned, edited
copy with the original ID placed before the signed one). Real IdPs generate unique IDs per
message.

## Fix
Reject the message; it was edited or forged.
"#,
};

impl Rule for DuplicateId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        report(
            ctx,
            IssueKind::DuplicateId,
            &META,
            "Reject the message: it was edited or forged.",
            out,
        );
    }
}
