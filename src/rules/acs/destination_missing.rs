//! SD205: a signed Response without Destination.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, MessageKind, element_anchor};

pub struct DestinationMissing;

static META: RuleMeta = RuleMeta {
    code: "SD205",
    name: "destination-missing",
    severity: Severity::Warning,
    weight: 35,
    needs: &[],
    summary: "A signed Response has no Destination attribute",
    docs: r#"# SD205 destination-missing

The HTTP-POST and HTTP-Redirect bindings require `Destination` on a signed protocol message
(bindings §3.5.5.2, §3.4.5.2), so the signature also protects where the message was meant to go.
A signed Response without it can be replayed to another SP; strict SPs reject it.

## Fix
Configure the IdP to include the Destination attribute (usually automatic once the ACS / Reply URL
is set), or sign only the assertion if the IdP cannot.
"#,
};

impl Rule for DestinationMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(sig) = &msg.signature else { return };
        if msg.kind != MessageKind::Response || msg.destination.is_some() {
            return;
        }
        out.push(finding(
            &META,
            "The Response is signed but has no Destination",
            vec![
                Evidence::new("Response signature", "present", msg.doc.path(sig.node))
                    .anchored(element_anchor(sig.node, sig.offset)),
                Evidence::new("Destination", "", "absent"),
            ],
            "Configure the IdP to include Destination = Kinde's ACS URL on the Response.",
        ));
    }
}
