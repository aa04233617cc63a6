//! SD723: an assertion an SP could read is covered by no verified signature.

use super::report;
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta};
use crate::saml::Message;
use crate::security::IssueKind;

pub struct UnverifiedAssertion;

static META: RuleMeta = RuleMeta {
    code: "SD723",
    name: "unverified-assertion",
    severity: Severity::Error,
    weight: 96,
    needs: &[],
    summary: "Several assertions and at least one is covered by no signature that verifies with a configured certificate",
    docs: r#"# SD723 unverified-assertion

The Response carries several assertions an SP could read (`Assertion` or `EncryptedAssertion`
children of the Response) and at least one of them is covered by no signature that verifies with a
configured IdP certificate: neither its own signature nor the Response's. SAML core §2.3.3 and the
Web Browser SSO profile (profiles §4.1.4.2) allow several assertions, and SPs differ in which they
read: crewjam/saml before 0.4.9 checked that *a* signed assertion was present and then used
another one (CVE-2022-41912), ruby-saml and python3-saml reject more than one assertion
outright, Shibboleth SP reads each and requires each to be signed. A signature counts only when it
verifies with a configured key: a matching digest can be computed by anyone, and an attacker can
sign a forged assertion with their own key and put that key's certificate in `KeyInfo`. So without
an IdP certificate no assertion is covered, and any second assertion is reported here.

Decrypted assertions count like plain ones: the Response signature covers them when it verified
over the encrypted original.

## Fix
Treat the message as forged unless the IdP is known to send several assertions, each signed; then
configure its certificate so the signatures can be verified. Real IdPs (Entra ID, Okta, Google
Workspace, AD FS) send one assertion.
"#,
};

impl Rule for UnverifiedAssertion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        report(
            ctx,
            IssueKind::UnverifiedAssertion,
            &META,
            "Reject the message: an unsigned assertion rides beside a signed one. If the IdP really sends several, each must be signed and its certificate configured.",
            out,
        );
    }
}
