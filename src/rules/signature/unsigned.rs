//! SD701: neither the Response nor any assertion is signed.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, MessageKind};

pub struct Unsigned;

static META: RuleMeta = RuleMeta {
    code: "SD701",
    name: "unsigned",
    severity: Severity::Error,
    weight: 81,
    needs: &[],
    summary: "Neither the Response nor any assertion carries a signature",
    docs: r#"# SD701 unsigned

Over HTTP-POST every assertion must be protected by a signature, on itself or on the enclosing
Response (profiles §4.1.4.5 with errata E26). An unsigned response can be forged by anyone, so Kinde
rejects it. Typical causes: signing switched off in the IdP application, a response built by a test
tool, or a paste where the `ds:Signature` element was removed (HTTP-Redirect strips the Response
signature, which is why responses are not sent that way).

## Fix
Turn signing on in the IdP: Entra signs the assertion by default (SAML Signing Certificate >
Signing option); Okta signs both; AD FS `Set-AdfsRelyingPartyTrust -SamlResponseSignature
AssertionOnly` (or MessageAndAssertion). Give Kinde the IdP's signing certificate via its metadata.
"#,
};

impl Rule for Unsigned {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        if !matches!(msg.kind, MessageKind::Response | MessageKind::Assertion)
            || msg.assertions.is_empty()
            || msg.any_signature()
        {
            return;
        }
        out.push(finding(
            &META,
            "Nothing is signed: neither the Response nor the assertion has a ds:Signature",
            vec![Evidence::new("signatures", "0", msg.doc.path(msg.root))],
            "Enable signing of the assertion (or the Response) in the IdP application and give Kinde the signing certificate.",
        ));
    }
}
