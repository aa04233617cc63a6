//! SD722: a comment or processing instruction splits a value.

use super::report;
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta};
use crate::saml::Message;
use crate::security::IssueKind;

pub struct CommentInjection;

static META: RuleMeta = RuleMeta {
    code: "SD722",
    name: "comment-injection",
    severity: Severity::Error,
    weight: 98,
    needs: &[],
    summary: "A comment or processing instruction inside NameID, Issuer, Audience or an attribute value",
    docs: r#"# SD722 comment-injection

Exclusive C14N without comments drops XML comments before hashing, so
`<NameID>user@example.com<!---->.evil.test</NameID>` keeps the signature over
`user@example.com.evil.test` valid, while a library that reads only the first text node sees
`user@example.com` (Duo Labs, 2018: CVE-2017-11427 python-saml, CVE-2017-11428 ruby-saml,
CVE-2017-11429 saml2-js, CVE-2017-11430 OmniAuth-SAML, CVE-2018-0489 Shibboleth, CVE-2018-7340).
sso-doctor reads the full text (comments skipped), which is what the signature covers, and flags
the split because no real IdP writes comments into values.

## Fix
Reject the message. If someone registered an address like `user@example.com.evil.test` at the IdP,
that account is being used to impersonate `user@example.com`.
"#,
};

impl Rule for CommentInjection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        report(
            ctx,
            IssueKind::CommentInjection,
            &META,
            "Reject the message: a comment inside a value is an impersonation attempt.",
            out,
        );
    }
}
