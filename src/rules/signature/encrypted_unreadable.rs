//! SD718: an encrypted assertion the connection cannot decrypt.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct EncryptedUnreadable;

static META: RuleMeta = RuleMeta {
    code: "SD718",
    name: "encrypted-unreadable",
    severity: Severity::Error,
    weight: 85,
    needs: &[],
    summary: "The IdP encrypts the assertion but the connection holds no SP key and does not expect encryption",
    docs: r#"# SD718 encrypted-unreadable

The Response carries an `EncryptedAssertion` (core §2.3.4, XML Encryption), which only the holder
of the SP's private key can read. The settings show that the connection cannot: no SP key is
configured (`sp_private_key_file`) and encrypted assertions are not expected
(`want_assertions_encrypted` is not set). An SP in that state fails the sign-in, since it has no
assertion to read: python3-saml and ruby-saml raise "No private key available to decrypt the
assertion", Shibboleth SP logs that no decryption key is configured, and Kinde rejects the
response. The usual cause is an IdP application with assertion encryption switched on, with a
certificate that is not Kinde's, or left on after a migration.

When the settings do hold the SP key, sso-doctor decrypts the assertion and checks its content;
when only `want_assertions_encrypted` is set, SD108 says the content could not be checked here.

## Fix
Turn assertion encryption off in the IdP application (Entra: Token encryption; Okta: Assertion
Encryption; AD FS: the relying party's Encryption tab), or, if the connection is meant to use
encryption, upload Kinde's certificate to the IdP as the encryption certificate.
"#,
};

impl Rule for EncryptedUnreadable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let s = ctx.settings;
        if s.want_assertions_encrypted || s.sp_private_key.is_some() {
            return;
        }
        for e in &msg.encrypted_assertions {
            out.push(finding(
                &META,
                "The assertion is encrypted, but the connection holds no SP key and does not expect encryption: Kinde cannot read it",
                vec![
                    e.evidence("EncryptedAssertion"),
                    Evidence::new("SP private key", "(none)", "settings sp_private_key_file"),
                    Evidence::new("want_assertions_encrypted", "false", "settings"),
                ],
                "Turn assertion encryption off in the IdP application, or upload Kinde's certificate to the IdP as the encryption certificate.",
            ));
        }
    }
}
