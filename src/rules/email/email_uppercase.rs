//! SD407: the email value has upper-case letters.

use super::email_values;
use crate::finding::{Evidence, Finding, Severity};
use crate::rules::util::looks_like_email;
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct EmailUppercase;

static META: RuleMeta = RuleMeta {
    code: "SD407",
    name: "email-uppercase",
    severity: Severity::Warning,
    weight: 60,
    needs: &[],
    summary: "The email value has upper-case letters; Kinde matches emails case-sensitively",
    docs: r#"# SD407 email-uppercase

Kinde's migration guide says emails must match exactly, **case-sensitive**, between Kinde and the
IdP. An address like `Dana.Reyes@Example.com` will not match a Kinde user stored as
`dana.reyes@example.com`: the existing user is not linked and, with JIT on, a second user is
created. Users created in Kinde before March 2025 may also hold a mis-cased enterprise email
(fix per the guide: delete the user and let them sign in through SSO again).
Entra ID often sends the UPN or `mail` in the case it was typed in.

## Fix
Make the address identical in both systems: change the case in the directory, or transform it to
lower case in the IdP (Entra: Transformation > ToLowercase(); Okta: `String.toLowerCase(user.email)`),
and make sure the Kinde user's email has the same spelling. Run `sso-doctor simulate` against a
users export to find the affected users.
"#,
};

impl Rule for EmailUppercase {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        for (source, v) in email_values(ctx, msg) {
            let email = v.value.trim();
            if !looks_like_email(email) || !email.chars().any(char::is_uppercase) {
                continue;
            }
            out.push(finding(
                &META,
                format!("The email {email} in {source} has upper-case letters; it matches a Kinde user only if spelled the same way"),
                vec![v.evidence(format!("email in {source}")), Evidence::new("lower-case form", email.to_lowercase(), "comparison")],
                "Make the email's case identical in the IdP and in Kinde (e.g. lower-case it with an IdP claim transformation); check existing users with `sso-doctor simulate`.",
            ));
        }
    }
}
