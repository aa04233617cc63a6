//! SD725: a child of the Response or of an Assertion that the schema does not allow.

use super::report;
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta};
use crate::saml::Message;
use crate::security::IssueKind;

pub struct UnexpectedElement;

static META: RuleMeta = RuleMeta {
    code: "SD725",
    name: "unexpected-element",
    severity: Severity::Error,
    weight: 88,
    needs: &[],
    summary: "The Response or an Assertion has a child the SAML schema does not allow there",
    docs: r#"# SD725 unexpected-element

The children of a `samlp:Response` are a closed list (SAML core §3.2.2 and §3.3.3: `Issuer`,
`ds:Signature`, `Extensions`, `Status`, then `Assertion` / `EncryptedAssertion`), and so are those of
a `saml:Assertion` (core §2.3.3: `Issuer`, `ds:Signature`, `Subject`, `Conditions`, `Advice`, then
statements). Anything else, or a second `Issuer`, `Subject`, `Status` or `Conditions`, fails schema
validation: schema-validating SPs (Shibboleth SP, python3-saml with its XSD check, ruby-saml)
reject the message, and the rest disagree on which copy they read, which is how content is slipped
past a signature. SAML Raider's XSW7 form uses an `Extensions` element without the protocol
namespace.

## Fix
If the IdP is a real product, this is a bug or a custom template: remove the extra element from
the IdP's claim/template configuration. Otherwise treat the message as tampered.
"#,
};

impl Rule for UnexpectedElement {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        report(
            ctx,
            IssueKind::UnexpectedChild,
            &META,
            "Remove the element from the IdP's template; if no one added it, treat the message as tampered.",
            out,
        );
    }
}
