//! SD410: the Email key attribute appears more than once.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Attribute, Message};
use crate::settings::KINDE_DEFAULT_EMAIL_ATTRIBUTE;

pub struct EmailAttributeDuplicated;

static META: RuleMeta = RuleMeta {
    code: "SD410",
    name: "email-attribute-duplicated",
    severity: Severity::Error,
    weight: 87,
    needs: &[],
    summary: "Several Attribute elements carry the Email key attribute's name",
    docs: r#"# SD410 email-attribute-duplicated

Two or more `<Attribute>` elements in one assertion carry the name of the Email key attribute
(the configured `email_attribute`, or Kinde's default `email`). SAML core §2.7.3.1 gives one
attribute one `Name` with all its values inside it; a second element with the same name is either
a broken IdP mapping (two claim rules emitting the same name) or content added to make different
SPs read different addresses. SPs disagree on which one counts: one takes the first, another the
last, another merges the values. python3-saml rejects the assertion by default
(`DUPLICATED_ATTRIBUTE_NAME_FOUND`, "Found an Attribute element with duplicated Name"), ruby-saml
keeps both and returns the first from `attributes['email']`, Shibboleth SP merges them. sso-doctor
therefore names no value as "the" email: the finding lists every value an SP could pick.

## Fix
In the IdP, keep one claim / attribute statement that emits the email attribute (Entra: Attributes &
Claims; Okta: Attribute Statements and Group Attribute Statements; AD FS: claim rules) and remove
the duplicate. If nobody configured a second one, treat the message as tampered.
"#,
};

impl Rule for EmailAttributeDuplicated {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let key = ctx
            .settings
            .email_attribute
            .as_ref()
            .map_or(KINDE_DEFAULT_EMAIL_ATTRIBUTE, |k| k.value.as_str());
        for assertion in &msg.assertions {
            let same: Vec<&Attribute> = assertion
                .attributes
                .iter()
                .filter(|a| a.name.value == key)
                .collect();
            if same.len() < 2 {
                continue;
            }
            let mut values: Vec<String> = Vec::new();
            let mut evidence: Vec<Evidence> = Vec::new();
            for (i, a) in same.iter().enumerate() {
                evidence.push(
                    a.name
                        .evidence(format!("Attribute {} of {}", i + 1, same.len())),
                );
                for v in &a.values {
                    let located = v.located(&msg.doc);
                    if !values.contains(&located.value) {
                        values.push(located.value.clone());
                    }
                    evidence.push(located.evidence(format!("value an SP could pick ({})", i + 1)));
                }
            }
            let shown: Vec<String> = values.iter().map(|v| format!("{v:?}")).collect();
            let message = match values.len() {
                0 | 1 => format!(
                    "{} Attribute elements are named {key:?} (the Email key); SPs that refuse duplicates reject the assertion",
                    same.len()
                ),
                _ => format!(
                    "{} Attribute elements are named {key:?} (the Email key) with different values: an SP could pick any of {}",
                    same.len(),
                    shown.join(", ")
                ),
            };
            out.push(finding(
                &META,
                message,
                evidence,
                "Keep a single attribute statement for the email in the IdP and remove the duplicate; if no one added it, treat the message as tampered.",
            ));
        }
    }
}
