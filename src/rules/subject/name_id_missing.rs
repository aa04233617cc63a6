//! SD601: the Subject has no NameID.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, element_anchor};

pub struct NameIdMissing;

static META: RuleMeta = RuleMeta {
    code: "SD601",
    name: "name-id-missing",
    severity: Severity::Error,
    weight: 72,
    needs: &[],
    summary: "The Subject has no NameID (or an empty one)",
    docs: r#"# SD601 name-id-missing

The `Subject` carries no `NameID` (or an empty one, or only an `EncryptedID` that cannot be read
without the SP key). Kinde identifies the enterprise identity by the subject (its default User ID
key attribute is the `nameidentifier` claim), so it cannot tell who signed in.

## Fix
Configure the IdP's Name ID / "Application username" / Unique User Identifier for the application
(Entra: `user.userprincipalname`; Okta: Application username; Google: Primary email; AD FS: a
NameID transform rule).
"#,
};

impl Rule for NameIdMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        for a in &msg.assertions {
            let Some(subject) = &a.subject else { continue };
            let (message, evidence) = match &subject.name_id {
                Some(n) if n.value.value.trim().is_empty() => (
                    "The NameID is empty".to_string(),
                    n.value.evidence("NameID"),
                ),
                Some(_) => continue,
                None if subject.encrypted_id => (
                    "The NameID is encrypted (EncryptedID) and cannot be read without the SP key"
                        .to_string(),
                    Evidence::new(
                        "EncryptedID",
                        "present",
                        msg.doc.path(a.node) + "/Subject/EncryptedID",
                    )
                    .anchored(element_anchor(subject.node, subject.offset)),
                ),
                None => (
                    "The Subject has no NameID".to_string(),
                    Evidence::new(
                        "NameID",
                        "",
                        msg.doc.path(a.node) + "/Subject/NameID (absent)",
                    )
                    .anchored(element_anchor(subject.node, subject.offset)),
                ),
            };
            out.push(finding(
                &META,
                message,
                vec![evidence],
                "Configure the IdP's Name ID (unique user identifier) for the Kinde application.",
            ));
        }
    }
}
