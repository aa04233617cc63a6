//! SD109: the input is a request, not a response.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, MessageKind};

pub struct RequestOnly;

static META: RuleMeta = RuleMeta {
    code: "SD109",
    name: "request-not-response",
    severity: Severity::Info,
    weight: 10,
    needs: &[],
    summary: "The message is a request (AuthnRequest/Logout), not the IdP's Response",
    docs: r#"# SD109 request-not-response

This message is what Kinde sent to the IdP (an `AuthnRequest`) or a logout message, not the
Response that carries the user. Most sign-in failures are visible only in the Response. The request
is still useful: its `ID` pairs with the Response's `InResponseTo`, and its
`AssertionConsumerServiceURL` and `NameIDPolicy` show what Kinde asked for.

## Fix
Capture the POST to Kinde's ACS URL (`…/login/saml/callback`) as well, for example with a
SAML-tracer export or a HAR of the whole flow, and analyse both together.
"#,
};

impl Rule for RequestOnly {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        if matches!(msg.kind, MessageKind::Response | MessageKind::Assertion) {
            return;
        }
        let mut evidence = vec![Evidence::new(
            "message",
            msg.kind.name(),
            msg.doc.path(msg.root),
        )];
        if let Some(acs) = &msg.acs_url {
            evidence.push(acs.evidence("requested AssertionConsumerServiceURL"));
        }
        if let Some(p) = &msg.name_id_policy {
            evidence.push(p.evidence("requested NameIDPolicy Format"));
        }
        let s = ctx.settings;
        let sender = msg.sender(
            s.idp_entity_id.as_ref().map(|v| v.value.as_str()),
            s.sp_entity_id.as_ref().map(|v| v.value.as_str()),
            s.acs_url.as_ref().map(|v| v.value.as_str()),
        );
        let (message, fix) = match msg.kind {
            MessageKind::AuthnRequest => (
                "This is an AuthnRequest sent by Kinde to the IdP, not the IdP's Response"
                    .to_string(),
                "Capture the Response the IdP posts to Kinde's ACS URL too, and analyse both together.",
            ),
            _ => (
                format!(
                    "This is {}{}, a logout message, not a sign-in Response",
                    msg.kind.with_article(),
                    sender.direction()
                ),
                "To diagnose a sign-in, capture the Response the IdP posts to Kinde's ACS URL; a logout message carries no user to sign in.",
            ),
        };
        out.push(finding(&META, message, evidence, fix));
    }
}
