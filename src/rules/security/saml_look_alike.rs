//! SD724: a Response or Assertion named element outside the SAML 2.0 namespace.

use super::report;
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta};
use crate::saml::Message;
use crate::security::IssueKind;

pub struct SamlLookAlike;

static META: RuleMeta = RuleMeta {
    code: "SD724",
    name: "saml-look-alike",
    severity: Severity::Error,
    weight: 95,
    needs: &[],
    summary: "An element named Assertion or Response that is not in the SAML 2.0 namespace",
    docs: r#"# SD724 saml-look-alike

SAML 2.0 elements are identified by namespace and local name (SAML core §1.2: `saml:` is
`urn:oasis:names:tc:SAML:2.0:assertion`, `samlp:` is `urn:oasis:names:tc:SAML:2.0:protocol`). An
element called `Assertion` (or `EncryptedAssertion`, `Response`) in the SAML 1.x namespace, in no
namespace or in any other is not a SAML 2.0 assertion, and a namespace-aware SP ignores it. SPs that
find the assertion with a local-name XPath (`//*[local-name()='Assertion']`, several hand-written
integrations and older ruby-saml/php-saml code paths) take the first match instead, so a look-alike
placed ahead of the real, signed assertion is read while the signature check passes on the real one
(a signature-wrapping variant). No IdP sends such an element.

## Fix
Reject the message and find out who produced it.
"#,
};

impl Rule for SamlLookAlike {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        report(
            ctx,
            IssueKind::LookAlike,
            &META,
            "Reject the message: a look-alike assertion is there to be read instead of the signed one.",
            out,
        );
    }
}
