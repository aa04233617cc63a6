//! SD408: the email value is not an email address.

use super::email_values;
use crate::finding::{Finding, Severity};
use crate::rules::util::looks_like_email;
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct EmailInvalid;

static META: RuleMeta = RuleMeta {
    code: "SD408",
    name: "email-invalid",
    severity: Severity::Error,
    weight: 79,
    needs: &[],
    summary: "The email attribute's value is not an email address",
    docs: r#"# SD408 email-invalid

The value in the email attribute is not an `local@domain` address: a Windows `DOMAIN\user` name, an
object ID, a display name, or an address with spaces in it. The claim is mapped to the wrong source
field. Kinde cannot match or create a user with it.

## Fix
Map the email claim to the directory's mail field (Entra: `user.mail`; AD FS: `E-Mail-Addresses`;
Okta: `user.email`; Google Workspace: Primary email).
"#,
};

impl Rule for EmailInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        for (source, v) in email_values(ctx, msg) {
            let email = v.value.trim();
            if email.is_empty() || looks_like_email(email) {
                continue;
            }
            out.push(finding(
                &META,
                format!("The value {email:?} in {source} is not an email address"),
                vec![v.evidence(format!("value of {source}"))],
                "Map the email claim to the directory's mail field in the IdP.",
            ));
        }
    }
}
