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
    summary: "A comment, processing instruction, CDATA section or child element splits NameID, Issuer, Audience or an attribute value",
    docs: r#"# SD722 comment-injection

Exclusive C14N without comments drops XML comments before hashing, so
`<NameID>user@example.com<!---->.evil.test</NameID>` keeps the signature over
`user@example.com.evil.test` valid, while a library that reads only the first text node sees
`user@example.com` (Duo Labs, 2018: CVE-2017-11427 python-saml, CVE-2017-11428 ruby-saml,
CVE-2017-11429 saml2-js, CVE-2017-11430 OmniAuth-SAML, CVE-2018-0489 Shibboleth, CVE-2018-7340).
A CDATA section does the same (`admin@example.com<![CDATA[]]>.evil.test`): C14N writes CDATA as
plain text (C14N 1.0 §2.3), so the digest is unchanged, while DOM readers (libxml2, Xerces, .NET
XmlDocument without normalisation) give a separate CDATA node and a first-text reader stops at
`admin@example.com`. Processing instructions, and a child element inside NameID, Issuer or
Audience (which hold text only, core §2.2.2 and §2.5.1.4), split values the same way. Any
identity value that is not one plain text node is flagged (a value that is wholly one CDATA
section is one node and is not). sso-doctor reads the full text (comments skipped), which is what
the signature covers, and flags the split because no real IdP writes values this way.

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
