//! SD706: the connection wants encrypted assertions and this one is plain.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct EncryptionExpected;

static META: RuleMeta = RuleMeta {
    code: "SD706",
    name: "encryption-expected",
    severity: Severity::Error,
    weight: 84,
    needs: &[],
    summary: "want_assertions_encrypted is set but the assertion arrived in plain text",
    docs: r#"# SD706 encryption-expected

The settings say assertions must be encrypted (`want_assertions_encrypted = true`, metadata
`WantAssertionsEncrypted`), but the Response carries a plain `Assertion`. Like a missing required
signature (SD702, SD703), an SP that requires encryption rejects the plain assertion: python3-saml
with `wantAssertionsEncrypted` ("The assertion of the Response is not encrypted and the SP
require it"), ruby-saml with `want_assertions_encrypted`, Shibboleth SP with `encryption="true"`.
The Web SSO profile leaves encryption optional (profiles §4.1.4.2 allows `EncryptedAssertion`);
the requirement is this connection's. Either the IdP has no encryption certificate for this
application, or the expectation is wrong. Plain assertions expose the user's attributes to the
browser and anything that records the traffic. Assertions that arrived encrypted and were
decrypted with the SP key do not count as plain.

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
        let decrypted = ctx.security.map_or(&[][..], |s| s.decrypted.as_slice());
        for a in msg
            .assertions
            .iter()
            .filter(|a| !decrypted.contains(&a.node))
        {
            out.push(finding(
                &META,
                "The assertion is not encrypted, but encrypted assertions are expected",
                vec![a.evidence(), Evidence::new("want_assertions_encrypted", "true", "settings")],
                "Enable assertion encryption at the IdP with the SP's certificate, or drop the expectation.",
            ));
        }
    }
}
