//! SD102: a Success response that carries no assertion.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, MessageKind, STATUS_PREFIX};

pub struct NoAssertion;

static META: RuleMeta = RuleMeta {
    code: "SD102",
    name: "no-assertion",
    severity: Severity::Error,
    weight: 95,
    needs: &[],
    summary: "A Success response carries no Assertion or EncryptedAssertion",
    docs: r#"# SD102 no-assertion

The Web Browser SSO profile requires a successful Response to carry at least one assertion about the
user. This one says `Success` but holds neither an `Assertion` nor an `EncryptedAssertion` directly
under the Response, so Kinde has nobody to sign in. It is usually a truncated paste, an IdP bug, or
an assertion hidden somewhere an SP does not look (inside `Extensions` or a signature), which is
also how signature-wrapping attacks are built.

## Fix
Capture the Response again in full (SAML-tracer or the browser's network panel), and check the IdP
application issues an assertion for this user. If an Assertion sits deeper in the XML, treat the
message as tampered.
"#,
};

impl Rule for NoAssertion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        if msg.kind != MessageKind::Response
            || !msg.assertions.is_empty()
            || !msg.encrypted_assertions.is_empty()
        {
            return;
        }
        let Some(status) = &msg.status else { return };
        if status.code.value.trim() != format!("{STATUS_PREFIX}Success") {
            return;
        }
        out.push(finding(
            &META,
            "The Response says Success but contains no assertion, so there is no user to sign in",
            vec![
                status.code.evidence("StatusCode"),
                Evidence::new("assertions directly under the Response", "0", msg.doc.path(msg.root)),
            ],
            "Capture the Response again in full and check the IdP issues an assertion for this application.",
        ));
    }
}
