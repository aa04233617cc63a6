//! SD304: the Response and its assertion name different issuers.

use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct IssuerInconsistent;

static META: RuleMeta = RuleMeta {
    code: "SD304",
    name: "issuer-inconsistent",
    severity: Severity::Error,
    weight: 75,
    needs: &[],
    summary: "The Response's Issuer differs from the assertion's Issuer (or the assertion has none)",
    docs: r#"# SD304 issuer-inconsistent

Each assertion must be issued by the IdP that sends the Response (profiles §4.1.4.2), and an
assertion's `Issuer` is mandatory (core §2.3.3). Different issuers in one message mean a proxy or
hub re-wrapped another IdP's assertion, or the message was assembled by hand; SPs that check issuers
reject it. This check needs no settings.

## Fix
Make the IdP (or the proxy in front of it) issue the Response and the assertion under the same
entity ID, and import that entity's metadata into Kinde.
"#,
};

impl Rule for IssuerInconsistent {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        for a in &msg.assertions {
            match (&msg.issuer, &a.issuer) {
                (_, None) => out.push(finding(
                    &META,
                    "The assertion has no Issuer, which SAML requires",
                    vec![a.evidence()],
                    "Configure the IdP to put its entity ID in the assertion's Issuer.",
                )),
                (Some(outer), Some(inner)) if outer.value.trim() != inner.value.trim() => out.push(finding(
                    &META,
                    "The Response and its assertion name different issuers",
                    vec![outer.evidence("Response Issuer"), inner.evidence("Assertion Issuer")],
                    "Issue the Response and the assertion under one entity ID and import that entity's metadata into Kinde.",
                )),
                _ => {}
            }
        }
    }
}
