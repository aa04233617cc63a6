//! SD706: the connection wants encrypted assertions and this one is plain.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct EncryptionExpected;

static META: RuleMeta = RuleMeta {
    code: "SD706",
    name: "encryption-expected",
    severity: Severity::Warning,
    weight: 36,
    needs: &[],
    summary: "want_assertions_encrypted is set but the assertion arrived in plain text",
    docs: r#"# SD706 encryption-expected

The settings say assertions must be encrypted (`want_assertions_encrypted = true`), but the
Response carries a plain `Assertion`. Either the IdP has no encryption certificate for this
application, or the expectation is wrong. Plain assertions expose the user's attributes to the
browser and anything that records the traffic.

## Fix
Upload the SP's encryption certificate to the IdP application and enable assertion encryption, or
set `want_assertions_encrypted = false` if the connection does not use it.
"#,
};

impl Rule for EncryptionExpected {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        if !ctx.settings.want_assertions_encrypted {
            return;
        }
        for a in &msg.assertions {
            out.push(finding(
                &META,
                "The assertion is not encrypted, but encrypted assertions are expected",
                vec![a.evidence(), Evidence::new("want_assertions_encrypted", "true", "settings")],
                "Enable assertion encryption at the IdP with the SP's certificate, or drop the expectation.",
            ));
        }
    }
}
