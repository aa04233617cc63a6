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
the element SAML processing reads (the root Response and its first Assertion) must be covered by a
signature that **verifies with a configured IdP certificate**, and no Assertion or Response may
hide elsewhere. A matching digest is not enough: an attacker can sign the forged assertion with
their own key (and put that certificate in KeyInfo); that signature covers nothing.

Hiding places reported: an Assertion anywhere but directly under the Response; a Response that is
not the root; and any SAML-looking content (SAML-namespace elements, or elements named Subject,
NameID, Attribute, Assertion… in any namespace) anywhere inside `ds:Signature` (KeyInfo, X509Data,
Object, SignatureProperties; XML-DSig §4 gives them no SAML role), inside `samlp:StatusDetail`, or
inside an `Extensions` element of any namespace (SAML Raider's XSW7 form has none). Readers that
take "the first Subject in the document" find content there.

Not wrapping: an Assertion inside `saml:Advice` of the read assertion (SAML core §2.6.1 allows
assertions as advice; an SP does not read them as the subject's assertion).

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
