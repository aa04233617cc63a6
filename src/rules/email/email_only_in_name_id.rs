//! SD403: the email is only in the NameID.

use super::{configured_attribute, looks_like_email_attribute};
use crate::finding::{Evidence, Finding, Severity};
use crate::rules::util::looks_like_email;
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct EmailOnlyInNameId;

static META: RuleMeta = RuleMeta {
    code: "SD403",
    name: "email-only-in-name-id",
    severity: Severity::Error,
    weight: 83,
    needs: &[],
    summary: "The user's email is only in the NameID; no attribute carries it",
    docs: r#"# SD403 email-only-in-name-id

The assertion carries the email address as its `NameID` but in no attribute. Kinde reads the email
from the attribute named in the Email key attribute (blank means `email`); how Kinde falls back to
the NameID when that attribute is missing is not documented. Kinde's own Google Workspace and Okta
guides finish with no attribute mapping, so this shape is common with those IdPs.

## Fix
Add an attribute mapping in the IdP that sends the primary email under the name in Kinde's Email key
attribute (Google Workspace: SAML app > Attribute mapping, e.g. Primary email → `email`; Okta:
Attribute Statements, `email` ← `user.email`), or set the Email key attribute to match.
"#,
};

impl Rule for EmailOnlyInNameId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        if configured_attribute(ctx, msg).is_some()
            || msg
                .attributes()
                .any(|a| looks_like_email_attribute(&msg.doc, a))
        {
            return;
        }
        if let Some(key) = &ctx.settings.email_attribute
            && msg
                .attributes()
                .any(|a| a.name.value.eq_ignore_ascii_case(&key.value))
        {
            return;
        }
        let Some(name_id) = msg.name_id().filter(|n| looks_like_email(&n.value.value)) else {
            return;
        };
        let mut evidence = vec![name_id.value.evidence("NameID")];
        if let Some(key) = &ctx.settings.email_attribute {
            evidence.push(Evidence::new(
                "configured Email key attribute",
                key.value.clone(),
                key.source.clone(),
            ));
        }
        let count = msg.attributes().count();
        evidence.push(Evidence::new(
            "attributes sent",
            count.to_string(),
            "AttributeStatement",
        ));
        out.push(finding(
            &META,
            format!("The email {} is only in the NameID; no attribute carries it", name_id.value.value.trim()),
            evidence,
            "Add an attribute mapping in the IdP that sends the email under the Email key attribute's name (e.g. `email`); Kinde's NameID fallback is undocumented.",
        ));
    }
}
