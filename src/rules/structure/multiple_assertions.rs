//! SD103: more than one assertion in one response.

use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct MultipleAssertions;

static META: RuleMeta = RuleMeta {
    code: "SD103",
    name: "multiple-assertions",
    severity: Severity::Warning,
    weight: 40,
    needs: &[],
    summary: "The Response carries more than one assertion",
    docs: r#"# SD103 multiple-assertions

The Web Browser SSO profile allows several assertions in one Response (profiles §4.1.4.2 speaks
of "the set of one or more bearer assertions"; each must be about the same principal), and SAML
libraries differ: python3-saml and ruby-saml accept exactly one and reject the rest, crewjam/saml
and Spring Security SAML read the first, Shibboleth SP processes each. A second assertion is also
the classic shape of an XML signature-wrapping attack: the signature covers one assertion while the
SP reads another. So this is a warning when every assertion is covered by a verified signature, and
SD723 (an error) when one is not. Real IdPs (Entra ID, Okta, Google Workspace, AD FS) send one.

## Fix
Configure the IdP to send a single assertion. If you did not expect two, treat the message as
tampered and check which one the signature covers.
"#,
};

impl Rule for MultipleAssertions {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let count = msg.assertions.len() + msg.encrypted_assertions.len();
        if count < 2 {
            return;
        }
        let evidence = msg
            .assertions
            .iter()
            .map(|a| a.evidence())
            .chain(
                msg.encrypted_assertions
                    .iter()
                    .map(|e| e.evidence("EncryptedAssertion")),
            )
            .collect();
        out.push(finding(
            &META,
            format!("The Response carries {count} assertions; SPs expect exactly one"),
            evidence,
            "Configure the IdP to send one assertion; if unexpected, treat the message as tampered (signature wrapping).",
        ));
    }
}
