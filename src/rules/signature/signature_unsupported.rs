//! SD713: a signature uses an algorithm that cannot be verified.

use super::verdict::{checks, scope, signature_evidence};
use crate::dsig::verify::Outcome;
use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct SignatureUnsupported;

static META: RuleMeta = RuleMeta {
    code: "SD713",
    name: "signature-unsupported-algorithm",
    severity: Severity::Error,
    weight: 60,
    needs: &[],
    summary: "A signature uses an algorithm or transform outside what SAML SPs support",
    docs: r#"# SD713 signature-unsupported-algorithm

The signature names a canonicalisation, transform, digest or signature algorithm outside the set
SAML signatures use (Exclusive C14N or C14N 1.0, enveloped-signature, SHA-1/256/384/512, RSA
PKCS#1 v1.5, ECDSA P-256/P-384). SAML core §5.4.4 says only the enveloped-signature and exclusive
C14N transforms should appear; XPath, XSLT or base64 transforms are refused by careful SPs because
they can hide what was signed. C14N 1.1, RSA-PSS, DSA and HMAC are not verified by sso-doctor and
are reported here too.

## Fix
Configure the IdP to sign with RSA-SHA256 and SHA-256 digests, using exclusive C14N.
"#,
};

impl Rule for SignatureUnsupported {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        for s in checks(ctx) {
            let Outcome::UnsupportedAlgorithm(uri) = &s.outcome else {
                continue;
            };
            let mut evidence = signature_evidence(s);
            evidence.push(Evidence::new("algorithm", uri.clone(), "SignedInfo"));
            out.push(finding(
                &META,
                format!(
                    "The {} signature uses an unsupported algorithm: {uri}",
                    scope(s)
                ),
                evidence,
                "Configure the IdP to sign with RSA-SHA256, SHA-256 digests and exclusive C14N.",
            ));
        }
    }
}
