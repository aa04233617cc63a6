//! SD409: the UPN / NameID and the email disagree.

use super::email_values;
use crate::finding::{Finding, Severity};
use crate::rules::util::{is_upn_attribute_name, looks_like_email};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Located, Message};

pub struct UpnMailDisagree;

static META: RuleMeta = RuleMeta {
    code: "SD409",
    name: "upn-mail-disagree",
    severity: Severity::Warning,
    weight: 58,
    needs: &[],
    summary: "The UPN or NameID and the email attribute name different addresses (or differ in case)",
    docs: r#"# SD409 upn-mail-disagree

The user principal name (Entra's `…/claims/name` or `…/claims/upn`, or an email-shaped NameID) and
the email attribute name different addresses, or the same address in different letter case. Which
one a Kinde user was created or imported with decides whether they match; Kinde's Entra guide used
the UPN claim (`…/claims/name`) until August 2025 and the `emailaddress` claim since, so
connections set up at different times read different values. A case-only difference matters because
Kinde matches emails case-sensitively.

## Fix
Decide which address identifies users in Kinde, set the Email key attribute to that claim, and make
the directory values agree (or lower-case both in the IdP's claim rules).
"#,
};

impl Rule for UpnMailDisagree {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let emails = email_values(ctx, msg);
        let Some((source, email)) = emails.first() else {
            return;
        };
        let email_value = email.value.trim();
        if !looks_like_email(email_value) {
            return;
        }
        let mut others: Vec<(String, Located<String>)> = msg
            .attributes()
            .filter(|a| is_upn_attribute_name(&a.name.value))
            .filter_map(|a| {
                a.values
                    .first()
                    .map(|v| (format!("attribute {}", a.name.value), v.located(&msg.doc)))
            })
            .collect();
        if let Some(n) = msg.name_id() {
            others.push(("NameID".to_string(), n.value.clone()));
        }
        for (label, other) in others {
            let value = other.value.trim();
            if value == email_value || !looks_like_email(value) || &label == source {
                continue;
            }
            let how = if value.eq_ignore_ascii_case(email_value) {
                "differ only in letter case"
            } else {
                "are different addresses"
            };
            out.push(finding(
                &META,
                format!("{label} ({value}) and the email in {source} ({email_value}) {how}"),
                vec![other.evidence(label.clone()), email.evidence(format!("email in {source}"))],
                "Pick the claim that identifies users in Kinde as the Email key attribute and make the directory values agree (same case).",
            ));
        }
    }
}
