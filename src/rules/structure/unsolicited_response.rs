//! SD107: an IdP-initiated (unsolicited) response.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, MessageKind};

pub struct UnsolicitedResponse;

static META: RuleMeta = RuleMeta {
    code: "SD107",
    name: "unsolicited-response",
    severity: Severity::Info,
    weight: 20,
    needs: &[],
    summary: "The Response answers no request: IdP-initiated sign-in",
    docs: r#"# SD107 unsolicited-response

The Response has no `InResponseTo`, neither on itself nor on its bearer confirmation: the user
started from the IdP's portal (My Apps, the Okta dashboard) rather than from the application.
That is legitimate, but Kinde only accepts IdP-initiated sign-in on connections set up for it
(Kinde's "IdP-initiated SAML SSO" guide); otherwise Kinde reports error 6722 ("error configuring
SAML provider"). Kinde also uses `RelayState` to find the connection (error 9055 when it is missing
or unusable).

## Fix
Either start sign-in from the application (SP-initiated), or configure IdP-initiated SSO for the
connection in Kinde and set the RelayState / default relay state the guide names in the IdP.
"#,
};

impl Rule for UnsolicitedResponse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        if msg.kind != MessageKind::Response
            || msg.assertions.is_empty()
            || msg.in_response_to.is_some()
        {
            return;
        }
        if msg.bearer_data().any(|d| d.in_response_to.is_some()) {
            return;
        }
        let mut evidence = vec![Evidence::new(
            "InResponseTo",
            "",
            format!("{}/@InResponseTo (absent)", msg.doc.path(msg.root)),
        )];
        if ctx.request_ids.is_some() {
            evidence.push(Evidence::new(
                "note",
                "the capture also holds an AuthnRequest, yet this Response does not answer it",
                "capture",
            ));
        }
        out.push(finding(
            &META,
            "IdP-initiated sign-in: the Response answers no AuthnRequest",
            evidence,
            "Start sign-in from the application, or configure IdP-initiated SSO for this connection in Kinde (with the RelayState its guide names).",
        ));
    }
}
