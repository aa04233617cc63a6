//! SD720: the signed element is not the one that would be read.

use super::report;
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta};
use crate::saml::Message;
use crate::security::IssueKind;

pub struct SignatureWrapping;

static META: RuleMeta = RuleMeta {
    code: "SD720",
    name: "signature-wrapping",
    severity: Severity::Error,
    weight: 99,
    needs: &[],
    summary: "Signature wrapping: the signed element is not the one SAML processing reads",
    docs: r#"# SD720 signature-wrapping

XML Signature Wrapping (XSW, Somorovsky et al., USENIX Security 2012) moves a validly signed element
somewhere the SP does not read it (inside `ds:Signature`, `ds:Object`, `samlp:Extensions`,
`saml:Advice`, another assertion) and puts attacker-written content where the SP does read it. The
signature still verifies, so a validator that checks "some signature is valid" and then reads "the
first assertion" signs in whoever the attacker names. SAML Raider's XSW1–XSW8 are all caught here:
the element SAML processing reads (the root Response and its first Assertion) must be the element a
matching signature covers, and no Assertion or Response may hide in those containers.

## Fix
Treat the message as an attack: do not accept it, and find out who sent it. Real IdPs never
produce this shape.
"#,
};

impl Rule for SignatureWrapping {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        report(
            ctx,
            IssueKind::Wrapping,
            &META,
            "Treat the message as an attack and reject it; real IdPs never produce this shape.",
            out,
        );
    }
}
