//! SD204: the bearer confirmation carries no Recipient.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, element_anchor};

pub struct RecipientMissing;

static META: RuleMeta = RuleMeta {
    code: "SD204",
    name: "recipient-missing",
    severity: Severity::Warning,
    weight: 50,
    needs: &[],
    summary: "The bearer SubjectConfirmationData has no Recipient (or no NotOnOrAfter)",
    docs: r#"# SD204 recipient-missing

The Web Browser SSO profile (§4.1.4.2) requires at least one bearer `SubjectConfirmationData` with a
`Recipient` equal to the SP's ACS URL and a `NotOnOrAfter`. Without them an assertion could be
presented to any SP, for ever; strict SPs reject it. Some hand-written or legacy IdP templates omit
the element or its attributes.

## Fix
Configure the IdP to include `SubjectConfirmationData` with `Recipient` = Kinde's ACS URL and a
`NotOnOrAfter` a few minutes ahead. In most IdPs this happens automatically once the ACS / Reply URL
is filled in.
"#,
};

impl Rule for RecipientMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        for a in &msg.assertions {
            let Some(subject) = &a.subject else { continue };
            for c in subject.confirmations.iter().filter(|c| c.is_bearer()) {
                let missing: Vec<&str> = match &c.data {
                    None => vec!["SubjectConfirmationData"],
                    Some(d) => [
                        ("Recipient", d.recipient.is_none()),
                        ("NotOnOrAfter", d.not_on_or_after.is_none()),
                    ]
                    .into_iter()
                    .filter(|(_, m)| *m)
                    .map(|(n, _)| n)
                    .collect(),
                };
                if missing.is_empty() {
                    continue;
                }
                out.push(finding(
                    &META,
                    format!("The bearer confirmation lacks {}", missing.join(" and ")),
                    vec![Evidence::new("missing", missing.join(", "), "").anchored(element_anchor(c.method.node, c.method.offset))],
                    "Configure the IdP to send SubjectConfirmationData with Recipient = Kinde's ACS URL and a NotOnOrAfter.",
                ));
            }
        }
    }
}
