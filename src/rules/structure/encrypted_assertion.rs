//! SD108: an encrypted assertion that cannot be read without the SP key.

use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct EncryptedAssertion;

static META: RuleMeta = RuleMeta {
    code: "SD108",
    name: "encrypted-assertion",
    severity: Severity::Info,
    weight: 30,
    needs: &[],
    summary: "The assertion is encrypted: its subject, attributes and conditions cannot be checked",
    docs: r#"# SD108 encrypted-assertion

The Response carries an `EncryptedAssertion`. Only the holder of the SP's private key can read it,
so the checks that look inside the assertion (NameID, email attribute, audience, validity window,
recipient, assertion signature) cannot run on this trace. The Response-level checks (status,
Destination, Issuer, Response signature) still do.

Kinde connections are commonly configured without assertion encryption; if the IdP encrypts but
Kinde has no matching key, Kinde cannot read the assertion at all.

## Fix
To analyse the contents, turn encryption off at the IdP for a test user, or decrypt with the SP key
(`--sp-key`, when available). Make sure the IdP encrypts to the certificate Kinde expects.
"#,
};

impl Rule for EncryptedAssertion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        for e in &msg.encrypted_assertions {
            out.push(finding(
                &META,
                "The assertion is encrypted; NameID, email, audience, timing and the assertion signature cannot be checked without the SP key",
                vec![e.evidence("EncryptedAssertion")],
                "Disable assertion encryption at the IdP for a test sign-in, or decrypt with the SP's private key, then analyse again.",
            ));
        }
    }
}
