//! SD202: the bearer confirmation's Recipient is not Kinde's ACS URL.

use super::{ACS_FIX, acs_evidence};
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct RecipientMismatch;

static META: RuleMeta = RuleMeta {
    code: "SD202",
    name: "recipient-mismatch",
    severity: Severity::Error,
    weight: 91,
    needs: &[Need::AcsUrl],
    summary: "SubjectConfirmationData Recipient is not the connection's ACS URL",
    docs: r#"# SD202 recipient-mismatch

The bearer `SubjectConfirmationData@Recipient` says where the assertion may be presented. The Web
SSO profile requires the SP to check it equals its ACS URL (profiles §4.1.4.3); a mismatch makes
Kinde reject the assertion (error 578). IdPs fill Recipient from the same Reply URL / ACS setting as
Destination, so both usually differ together; when only Recipient differs, the IdP has a separate
"Recipient" field (Okta) that is set wrong.

The finding explains the near miss: trailing slash, scheme, host case, default port, path case,
query string, custom domain versus `*.kinde.com`, or the OAuth callback `/login/callback` pasted
instead of `/login/saml/callback`.

## Fix
Set the IdP's ACS / Reply URL (and Okta's Recipient URL, if "Use this for Recipient URL and
Destination URL" is unticked) to the exact ACS URL Kinde shows.
"#,
};

impl Rule for RecipientMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(acs) = &ctx.settings.acs_url else {
            return;
        };
        for data in crate::rules::confirmation::judged(ctx, msg) {
            let Some(recipient) = &data.recipient else {
                continue;
            };
            if recipient.value == acs.value {
                continue;
            }
            let (evidence, why) = acs_evidence(acs, recipient.evidence("Recipient"));
            out.push(finding(
                &META,
                format!("Recipient does not match the ACS URL: {why}"),
                evidence,
                ACS_FIX,
            ));
        }
    }
}
