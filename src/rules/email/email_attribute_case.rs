//! SD402: the email attribute is there, under a name that differs only in letter case.

use super::configured_attribute;
use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct EmailAttributeCase;

static META: RuleMeta = RuleMeta {
    code: "SD402",
    name: "email-attribute-case",
    severity: Severity::Error,
    weight: 87,
    needs: &[Need::EmailAttribute],
    summary: "The email attribute's name differs from the Email key attribute only in letter case",
    docs: r#"# SD402 email-attribute-case

The IdP sends an attribute whose name equals the configured Email key attribute except for letter
case, for example `emailAddress` against `emailaddress`. SAML attribute names are case-sensitive
strings (core §2.7.3.1) and Kinde compares them exactly, so the email is not found, which is the
first pitfall Kinde's migration guide lists.

## Fix
Set the Email key attribute in Kinde to the exact spelling the IdP sends (shown in the evidence), or
change the claim name in the IdP.
"#,
};

impl Rule for EmailAttributeCase {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(key) = &ctx.settings.email_attribute else {
            return;
        };
        if configured_attribute(ctx, msg).is_some() {
            return;
        }
        let Some(near) = msg
            .attributes()
            .find(|a| a.name.value.eq_ignore_ascii_case(&key.value))
        else {
            return;
        };
        out.push(finding(
            &META,
            format!(
                "The IdP sends `{}` but the Email key attribute is `{}`: names are case-sensitive",
                near.name.value, key.value
            ),
            vec![
                near.name.evidence("attribute Name sent"),
                Evidence::new(
                    "configured Email key attribute",
                    key.value.clone(),
                    key.source.clone(),
                ),
            ],
            format!(
                "Set the connection's Email key attribute to `{}` exactly.",
                near.name.value
            ),
        ));
    }
}
