//! SD710: a signature verifies against a configured certificate.

use super::verdict::{checks, scope, signature_evidence};
use crate::dsig::verify::Outcome;
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct SignatureValid;

static META: RuleMeta = RuleMeta {
    code: "SD710",
    name: "signature-valid",
    severity: Severity::Info,
    weight: 5,
    needs: &[],
    summary: "A signature verifies against a configured IdP certificate",
    docs: r#"# SD710 signature-valid

The signature's reference resolves to exactly one element (its parent), the digest of the
canonicalised content matches, and the SignatureValue verifies with one of the configured IdP
certificates (`idp_certificates`, `--idp-cert` or `--idp-metadata`). The certificate in `KeyInfo` is
compared by fingerprint but never trusted by itself. Supported: enveloped signatures, C14N 1.0 and
Exclusive C14N 1.0 (with or without comments, InclusiveNamespaces), SHA-1/256/384/512 digests,
RSA PKCS#1 v1.5 and ECDSA P-256/P-384.

This is a note, not a problem: it tells you the signature is not why sign-in fails.

## Fix
Nothing to fix. If sign-in still fails, look at the other findings; if Kinde reports an invalid
signature anyway, check that Kinde holds the same certificate (fingerprint in the evidence).
"#,
};

impl Rule for SignatureValid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        for s in checks(ctx) {
            let Outcome::Valid { cert_index } = s.outcome else {
                continue;
            };
            let mut evidence = signature_evidence(s);
            if let Some(keys) = ctx.keys
                && let (Some(c), Some(src)) = (
                    keys.certs.get(cert_index),
                    keys.cert_sources.get(cert_index),
                )
            {
                evidence.push(crate::finding::Evidence::new(
                    "verified with",
                    format!("{} ({})", c.info.sha256_fingerprint, c.info.subject),
                    src.clone(),
                ));
            }
            out.push(finding(
                &META,
                format!("The {} signature is valid", scope(s)),
                evidence,
                "Nothing to fix: the signature verifies with the configured certificate.",
            ));
        }
    }
}
