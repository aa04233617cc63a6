//! SD204: the bearer confirmation carries no Recipient.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, element_anchor};

pub struct RecipientMissing;

static META: RuleMeta = RuleMeta {
    code: "SD204",
    name: "recipient-missing",
    severity: Severity::Error,
    weight: 74,
    needs: &[],
    summary: "The bearer SubjectConfirmationData has no Recipient (or no NotOnOrAfter)",
    docs: r#"# SD204 recipient-missing

The Web Browser SSO profile (profiles §4.1.4.2) says at least one bearer `SubjectConfirmation`
MUST contain a `SubjectConfirmationData` that itself MUST contain a `Recipient` (the SP's ACS URL)
and a `NotOnOrAfter`; the SP must check both (§4.1.4.3). Without them an assertion could be
presented to any SP, for ever, so SPs reject it: python3-saml and ruby-saml report "A valid
SubjectConfirmation was not found", Shibboleth SP and Spring Security SAML refuse the assertion,
and Kinde fails the sign-in. Some hand-written or legacy IdP templates omit the element or its
attributes.

An assertion needs only one such confirmation (core §2.4.1.1: any satisfied confirmation confirms
the subject), so this is reported only when no bearer confirmation of the assertion carries both.

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
            let complete = |c: &&crate::saml::Confirmation| {
                c.data
                    .as_ref()
                    .is_some_and(|d| d.recipient.is_some() && d.not_on_or_after.is_some())
            };
            if subject
                .confirmations
                .iter()
                .filter(|c| c.is_bearer())
                .any(|c| complete(&c))
            {
                continue;
            }
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
