//! SD712: the signature does not verify with any configured certificate.

use super::verdict::{certificate_evidence, checks, scope, signature_evidence};
use crate::dsig::verify::Outcome;
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct SignatureKeyMismatch;

static META: RuleMeta = RuleMeta {
    code: "SD712",
    name: "signature-key-mismatch",
    severity: Severity::Error,
    weight: 89,
    needs: &[],
    summary: "The signature does not verify with any configured IdP certificate (rollover?)",
    docs: r#"# SD712 signature-key-mismatch

The signed content is intact (digest matches) but the SignatureValue does not verify with any
configured IdP certificate, or no configured certificate has a matching key type. This is the
classic failure after an IdP **certificate rollover**: the IdP signs with its new certificate
while Kinde still holds the old one. The evidence shows the configured fingerprints beside the one
the IdP put in `KeyInfo`; when they differ, that is the cause. The KeyInfo certificate is never
trusted on its own (anyone can put a certificate there).

When the same message also shows signature wrapping (SD720), an unverified assertion beside
others (SD723) or a look-alike assertion (SD724), the signature that fails is the attacker's own
(XSW with a forged assertion signed by an attacker key): the finding then says so and does not
advise updating the certificate.

## Fix
Update the connection's certificate in Kinde: re-import the IdP metadata (Kinde fetches signing
certificates from the metadata URL) or paste the new signing certificate. Entra: Enterprise app >
SAML Signing Certificate (activate the new one and update Kinde together). Okta: Sign On > SAML
Signing Certificates.
"#,
};

impl Rule for SignatureKeyMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        if !ctx.keys.is_some_and(|k| k.can_verify()) {
            return; // SD705 says no certificate is configured.
        }
        for s in checks(ctx) {
            let why = match s.outcome {
                Outcome::SignatureMismatch => "does not verify with any configured certificate",
                Outcome::NoTrustedCertificate => {
                    "cannot be checked: no configured certificate has a key of the signature's type"
                }
                _ => continue,
            };
            let mut evidence = signature_evidence(s);
            evidence.extend(certificate_evidence(ctx, s));
            if crate::rules::security::attack_shape(ctx) {
                out.push(finding(
                    &META,
                    format!(
                        "The {} signature {why}: it was made with a key that is not a configured IdP key, in a message that also shows signature wrapping (see SD720/SD723/SD724), so it is part of the forgery, not a certificate rollover",
                        scope(s)
                    ),
                    evidence,
                    "Do not change the certificate in Kinde: the message is forged. Reject it and find out who sent it.",
                ));
                continue;
            }
            let rollover = s.keyinfo_cert.is_some() && s.keyinfo_matches.is_none();
            let message = if rollover {
                format!(
                    "The {} signature {why}; the IdP signed with a different certificate than the one configured (rollover?)",
                    scope(s)
                )
            } else {
                format!("The {} signature {why}", scope(s))
            };
            out.push(finding(&META, message, evidence, "Update the IdP signing certificate in Kinde's connection (re-import the IdP metadata) so it matches the one the IdP signs with."));
        }
    }
}
