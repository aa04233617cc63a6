//! SD717: an encrypted assertion could not be decrypted with the SP key.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct DecryptionFailed;

static META: RuleMeta = RuleMeta {
    code: "SD717",
    name: "decryption-failed",
    severity: Severity::Error,
    weight: 85,
    needs: &[],
    summary: "An EncryptedAssertion cannot be decrypted with the SP key given",
    docs: r#"# SD717 decryption-failed

With an SP private key (`--sp-key` or `sp_private_key_file`) sso-doctor decrypts
`EncryptedAssertion`s and the `EncryptedID`s in them: the content key is unwrapped with RSA-OAEP
(`rsa-oaep-mgf1p` or XML-Enc 1.1 `rsa-oaep`) or RSA PKCS#1 v1.5, and the content is decrypted with
AES-CBC, AES-GCM or Triple DES CBC (XML-Enc 1.0 §5.2). Here that failed: the IdP encrypted to
another certificate than the one matching this key (the most common case: an old or a different
SP certificate uploaded at the IdP), the algorithm is not supported (key wrap, external
`CipherReference`), or the ciphertext is damaged. Kinde fails the same way when its key does not
match.

## Fix
Upload the SP's current encryption certificate to the IdP application, or turn assertion encryption
off if the connection does not need it.
"#,
};

impl Rule for DecryptionFailed {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        let Some(security) = ctx.security else { return };
        for d in &security.decryptions {
            let Err(why) = &d.result else { continue };
            out.push(finding(
                &META,
                format!("The encrypted assertion cannot be decrypted: {why}"),
                vec![Evidence::new("EncryptedAssertion", why.clone(), "").anchored(d.anchor)],
                "Upload the SP's current encryption certificate to the IdP, or turn assertion encryption off.",
            ));
        }
    }
}
