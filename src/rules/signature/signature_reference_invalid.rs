//! SD714: the signature's reference is missing, ambiguous, foreign or malformed.

use super::verdict::{checks, scope, signature_evidence};
use crate::dsig::verify::Outcome;
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct SignatureReferenceInvalid;

static META: RuleMeta = RuleMeta {
    code: "SD714",
    name: "signature-reference-invalid",
    severity: Severity::Error,
    weight: 88,
    needs: &[],
    summary: "A signature references a missing, duplicated or foreign ID, or is malformed",
    docs: r#"# SD714 signature-reference-invalid

A SAML signature must be enveloped and hold exactly one `Reference` whose URI is `#` plus the ID of
the element that contains the signature (SAML core §5.4.2). Here the reference names an ID no
element carries, an ID several elements carry (the duplicate is how signature-wrapping attacks
choose which copy gets verified), the ID of another element than the signature's parent, or the
signature is malformed. Any of these makes the signature worthless as protection for the data the
SP reads, and Kinde rejects it.

## Fix
If the IdP produced this, report it to the IdP vendor. More often the message was edited or
assembled by hand, or it is an attack: do not trust its content.
"#,
};

impl Rule for SignatureReferenceInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, _msg: &Message, out: &mut Vec<Finding>) {
        for s in checks(ctx) {
            let why = match &s.outcome {
                Outcome::ReferenceNotFound(id) => {
                    format!("references #{id}, which no element carries")
                }
                Outcome::ReferenceAmbiguous(id, n) => {
                    format!("references #{id}, which {n} elements carry")
                }
                Outcome::ReferenceNotParent { .. } => {
                    "verifies, but covers another element than the one holding it".to_string()
                }
                Outcome::Malformed(m) => format!("is malformed: {m}"),
                _ => continue,
            };
            out.push(finding(&META, format!("The {} signature {why}", scope(s)), signature_evidence(s), "Do not trust this message's content: a valid SAML signature references exactly its own parent element by ID."));
        }
    }
}
