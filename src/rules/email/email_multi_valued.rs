//! SD404: the email attribute has several values.

use super::configured_attribute;
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct EmailMultiValued;

static META: RuleMeta = RuleMeta {
    code: "SD404",
    name: "email-multi-valued",
    severity: Severity::Warning,
    weight: 55,
    needs: &[Need::EmailAttribute],
    summary: "The email attribute carries more than one value",
    docs: r#"# SD404 email-multi-valued

The Email key attribute has several `AttributeValue`s (for example the primary address and proxy
addresses, or `user.mail` plus an alias). Which one Kinde uses is not documented; if it is not the
address stored on the Kinde user, matching fails and JIT may create a duplicate user.

## Fix
Map a single-valued source to the email claim in the IdP (Entra: `user.mail` or
`user.userprincipalname`, not `user.proxyaddresses`; AD FS: one LDAP attribute).
"#,
};

impl Rule for EmailMultiValued {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(attr) = configured_attribute(ctx, msg) else {
            return;
        };
        if attr.values.len() < 2 {
            return;
        }
        let evidence = attr
            .values
            .iter()
            .map(|v| {
                v.located(&msg.doc)
                    .evidence(format!("value of {}", attr.name.value))
            })
            .collect();
        out.push(finding(
            &META,
            format!(
                "The email attribute has {} values; Kinde needs one",
                attr.values.len()
            ),
            evidence,
            "Map a single-valued source (the primary email) to the email claim in the IdP.",
        ));
    }
}
