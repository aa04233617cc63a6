//! SD205: a signed Response without Destination.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, MessageKind, element_anchor};

pub struct DestinationMissing;

static META: RuleMeta = RuleMeta {
    code: "SD205",
    name: "destination-missing",
    severity: Severity::Error,
    weight: 72,
    needs: &[],
    summary: "A signed Response has no Destination attribute",
    docs: r#"# SD205 destination-missing

The HTTP-POST binding (bindings §3.5.5.2; §3.4.5.2 for HTTP-Redirect) says that a signed
protocol message MUST carry a `Destination` attribute, and the recipient MUST check it equals the
URL it was received at, so the signature also protects where the message was meant to go. A signed
Response without it can be replayed to another SP that trusts the same IdP. SPs reject it:
python3-saml and ruby-saml in strict mode ("The response has an empty Destination value"),
Shibboleth SP, and Kinde. (An unsigned Response with a signed assertion may omit it.)

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
