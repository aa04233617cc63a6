//! SD711: the signed content was changed after signing.

use super::verdict::{checks, scope, signature_evidence};
use crate::dsig::verify::Outcome;
use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct SignatureDigestMismatch;

static META: RuleMeta = RuleMeta {
    code: "SD711",
    name: "signature-digest-mismatch",
    severity: Severity::Error,
    weight: 90,
    needs: &[],
    summary: "The signed content changed after signing (digest mismatch)",
    docs: r#"# SD711 signature-digest-mismatch

The digest of the element the signature references, canonicalised as the signature says, is not
the `DigestValue` in `SignedInfo`: the content was changed after the IdP signed it. This needs no
certificate. Causes: the message was edited or re-indented by hand (a pretty-printed paste changes
whitespace inside the signed element), a proxy rewrote it, or it was tampered with (several
signature-wrapping attacks also end here). Kinde rejects such a message as an invalid signature.

## Fix
Analyse the message exactly as the browser posted it (a SAML-tracer export or HAR, not a
re-formatted copy). If the original also fails, something between the IdP and Kinde modifies it,
or it was forged.
"#,
};

impl Rule for SignatureDigestMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        for s in checks(ctx) {
            let Outcome::DigestMismatch { expected, computed } = &s.outcome else {
                continue;
            };
            let mut evidence = signature_evidence(s);
            evidence.push(Evidence::new(
                "DigestValue in SignedInfo",
                expected.clone(),
                "SignedInfo/Reference/DigestValue",
            ));
            evidence.push(Evidence::new(
                "digest of the content now",
                computed.clone(),
                s.algorithms.digest.clone().unwrap_or_default(),
            ));
            out.push(finding(
                &META,
                format!("The {} signature's digest does not match: the signed content was changed after signing", scope(s)),
                evidence,
                "Analyse the message exactly as posted (not a re-formatted copy); if that fails too, something modifies the message or it was forged.",
            ));
        }
    }
}
