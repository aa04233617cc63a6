//! SD603: no bearer subject confirmation.

use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct ConfirmationNotBearer;

static META: RuleMeta = RuleMeta {
    code: "SD603",
    name: "confirmation-not-bearer",
    severity: Severity::Error,
    weight: 68,
    needs: &[],
    summary: "The Subject has no bearer SubjectConfirmation",
    docs: r#"# SD603 confirmation-not-bearer

Browser SSO works with bearer assertions: each assertion must carry a `SubjectConfirmation` with
`Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"` (profiles §4.1.4.2). Holder-of-key or
sender-vouches confirmations, SAML 1.x's `urn:oasis:names:tc:SAML:1.0:cm:bearer`, or no
confirmation at all are not accepted by a Web SSO SP like Kinde.

## Fix
Configure the IdP application for SAML 2.0 Web Browser SSO (not WS-Federation or SAML 1.1), which
issues bearer confirmations.
"#,
};

impl Rule for ConfirmationNotBearer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        for a in &msg.assertions {
            let Some(subject) = &a.subject else { continue };
            if subject.confirmations.iter().any(|c| c.is_bearer()) {
                continue;
            }
            let evidence = if subject.confirmations.is_empty() {
                vec![a.evidence()]
            } else {
                subject
                    .confirmations
                    .iter()
                    .map(|c| c.method.evidence("SubjectConfirmation Method"))
                    .collect()
            };
            out.push(finding(
                &META,
                "The Subject has no bearer confirmation, which Web Browser SSO requires",
                evidence,
                "Configure the IdP application for SAML 2.0 Web Browser SSO so it issues a bearer SubjectConfirmation.",
            ));
        }
    }
}
