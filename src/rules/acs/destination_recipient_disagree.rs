//! SD203: Destination and Recipient name different URLs.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::util::url_differences;
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct DestinationRecipientDisagree;

static META: RuleMeta = RuleMeta {
    code: "SD203",
    name: "destination-recipient-disagree",
    severity: Severity::Error,
    weight: 80,
    needs: &[],
    summary: "Destination and Recipient name different URLs, so at most one can be the ACS URL",
    docs: r#"# SD203 destination-recipient-disagree

Both `Response@Destination` and the bearer `SubjectConfirmationData@Recipient` must equal the ACS
URL the message arrives at. When they differ from each other, at least one is wrong whatever Kinde's
ACS URL is, so this check runs even without settings. Okta lets admins set Recipient and Destination
separately; other IdPs derive both from the Reply URL.

## Fix
Set both to Kinde's ACS URL in the IdP (for Okta: tick "Use this for Recipient URL and Destination
URL", or fill both with the same value). Pass `--config` or `--acs-url` to learn which one is wrong.
"#,
};

impl Rule for DestinationRecipientDisagree {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(dest) = &msg.destination else { return };
        for data in crate::rules::confirmation::judged(ctx, msg) {
            let Some(recipient) = &data.recipient else {
                continue;
            };
            if recipient.value == dest.value {
                continue;
            }
            let why = url_differences(&dest.value, &recipient.value).join("; ");
            out.push(finding(
                &META,
                format!("Destination and Recipient disagree: {why}"),
                vec![
                    dest.evidence("Destination"),
                    recipient.evidence("Recipient"),
                    Evidence::new("difference", why.clone(), "comparison"),
                ],
                "Set the IdP's Destination and Recipient to the same value: Kinde's ACS URL.",
            ));
        }
    }
}
