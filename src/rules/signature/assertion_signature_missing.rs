//! SD702: the connection wants signed assertions and this one is not.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct AssertionSignatureMissing;

static META: RuleMeta = RuleMeta {
    code: "SD702",
    name: "assertion-signature-missing",
    severity: Severity::Error,
    weight: 73,
    needs: &[],
    summary: "want_assertions_signed is set but an assertion carries no signature of its own",
    docs: r#"# SD702 assertion-signature-missing

The settings say assertions must be signed (`want_assertions_signed = true`), but an assertion has
no `ds:Signature` of its own (a signed Response does not count here). IdPs differ: Entra and AD FS
sign the assertion by default, Google signs the assertion, Okta signs both; an IdP set to "sign
response only" trips this.

## Fix
Set the IdP to sign the assertion (Entra: Signing option "Sign SAML assertion" or "Sign SAML
response and assertion"; AD FS: `-SamlResponseSignature AssertionOnly` or `MessageAndAssertion`),
or relax the requirement if the Response signature is enough for you.
"#,
};

impl Rule for AssertionSignatureMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        if !ctx.settings.want_assertions_signed {
            return;
        }
        for a in msg.assertions.iter().filter(|a| a.signature.is_none()) {
            let response = if msg.signature.is_some() {
                "signed"
            } else {
                "unsigned"
            };
            out.push(finding(
                &META,
                format!("The assertion is not signed (the Response is {response}), but signed assertions are required"),
                vec![a.evidence(), Evidence::new("want_assertions_signed", "true", "settings")],
                "Set the IdP to sign the assertion (or both Response and assertion).",
            ));
        }
    }
}
