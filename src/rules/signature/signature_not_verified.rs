//! SD705: signatures are present but were not verified.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, element_anchor};

pub struct SignatureNotVerified;

static META: RuleMeta = RuleMeta {
    code: "SD705",
    name: "signature-not-verified",
    severity: Severity::Info,
    weight: 15,
    needs: &[],
    summary: "Signatures are present but were not cryptographically verified",
    docs: r#"# SD705 signature-not-verified

The message carries signatures, and sso-doctor reports their presence and algorithms, but it has not
checked them against the IdP's certificate: no certificate is configured (`idp_certificates` in the
settings, or `--idp-metadata`). "Invalid signature" after a certificate rollover is among the most
common SAML failures, so a present signature is not proof that Kinde will accept it.

## Fix
Pass the IdP's signing certificate (the one in the metadata Kinde uses) with `--config`
(`idp_certificates`) or `--idp-metadata` to have the signature verified.
"#,
};

impl Rule for SignatureNotVerified {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        if ctx.keys.is_some_and(|k| k.can_verify()) {
            return;
        }
        let sigs: Vec<Evidence> = msg
            .signature
            .iter()
            .chain(msg.assertions.iter().filter_map(|a| a.signature.as_ref()))
            .map(|s| {
                Evidence::new(
                    "ds:Signature",
                    s.signature_method.clone().unwrap_or_default(),
                    msg.doc.path(s.node),
                )
                .anchored(element_anchor(s.node, s.offset))
            })
            .collect();
        if sigs.is_empty() {
            return;
        }
        out.push(finding(
            &META,
            "Signatures are present but were not verified: no IdP certificate is configured",
            sigs,
            "Pass the IdP signing certificate with --config (idp_certificates) or --idp-metadata to verify the signatures.",
        ));
    }
}
