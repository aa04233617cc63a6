//! SD716: a configured certificate or SP key cannot be read.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct CertificateUnusable;

static META: RuleMeta = RuleMeta {
    code: "SD716",
    name: "certificate-unusable",
    severity: Severity::Error,
    weight: 40,
    needs: &[],
    summary: "A configured IdP certificate or SP key cannot be read",
    docs: r#"# SD716 certificate-unusable

A certificate in the settings (`idp_certificates`, `idp_certificate_files`, `--idp-cert`, or the
IdP metadata) is not a readable X.509 certificate (PEM or base64 DER), or the SP key is not a
readable PEM private key (PKCS#8 or PKCS#1, unencrypted). Signatures cannot be verified (or
assertions decrypted) with it. Common causes: a truncated paste, a certificate chain or a key
pasted where the certificate belongs, or a password-protected key.

## Fix
Copy the IdP's signing certificate again from its metadata (`X509Certificate` under a
`KeyDescriptor use="signing"`), or export the SP key without a password.
"#,
};

impl Rule for CertificateUnusable {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        let Some(keys) = ctx.keys else { return };
        for (source, why) in &keys.cert_errors {
            out.push(finding(
                &META,
                format!("A configured IdP certificate cannot be read: {why}"),
                vec![Evidence::new("certificate", why.clone(), source.clone())],
                "Copy the IdP signing certificate again from its metadata (PEM or base64 DER).",
            ));
        }
        if let Some(why) = &keys.sp_key_error {
            out.push(finding(
                &META,
                format!("The SP private key cannot be read: {why}"),
                vec![Evidence::new(
                    "SP key",
                    why.clone(),
                    "--sp-key / sp_private_key_file",
                )],
                "Give the SP key as an unencrypted PEM (PKCS#8 or PKCS#1).",
            ));
        }
    }
}
