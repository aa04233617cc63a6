//! SD703: the connection wants a signed Response and this one is not.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, MessageKind};

pub struct ResponseSignatureMissing;

static META: RuleMeta = RuleMeta {
    code: "SD703",
    name: "response-signature-missing",
    severity: Severity::Error,
    weight: 71,
    needs: &[],
    summary: "want_response_signed is set but the Response carries no signature",
    docs: r#"# SD703 response-signature-missing

The settings say the Response itself must be signed (`want_response_signed = true`), but the
`samlp:Response` has no `ds:Signature` directly under it. Entra ID and AD FS sign only the assertion
by default; Google's "Signed response" is an opt-in checkbox.

## Fix
Enable Response signing at the IdP (Entra: Signing option "Sign SAML response and assertion";
AD FS: `-SamlResponseSignature MessageAndAssertion`; Google: tick "Signed response"), or relax the
requirement.
"#,
};

impl Rule for ResponseSignatureMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        if !ctx.settings.want_response_signed
            || msg.kind != MessageKind::Response
            || msg.signature.is_some()
        {
            return;
        }
        out.push(finding(
            &META,
            "The Response is not signed, but a signed Response is required",
            vec![
                Evidence::new("Response signature", "absent", msg.doc.path(msg.root)),
                Evidence::new("want_response_signed", "true", "settings"),
            ],
            "Enable Response signing at the IdP (sign response and assertion).",
        ));
    }
}
