//! SD405: the email attribute is present but empty.

use super::configured_attribute;
use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct EmailEmpty;

static META: RuleMeta = RuleMeta {
    code: "SD405",
    name: "email-empty",
    severity: Severity::Error,
    weight: 82,
    needs: &[Need::EmailAttribute],
    summary: "The email attribute is present but has no value",
    docs: r#"# SD405 email-empty

The Email key attribute is sent, but with no value, an empty string, or `xsi:nil="true"`. This
happens when the IdP's source field is empty for the user: in Entra ID, `user.mail` is empty for
accounts without a mailbox (guests, cloud-only accounts without a licence); in AD FS, the LDAP
`E-Mail-Addresses` attribute is not filled. Kinde then has no email to match or create the user
with.

## Fix
Fill the user's email in the directory, or map a source that is always filled (Entra:
`user.userprincipalname` when UPNs are email addresses).
"#,
};

impl Rule for EmailEmpty {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(attr) = configured_attribute(ctx, msg) else {
            return;
        };
        let empty = attr.values.is_empty()
            || attr
                .values
                .iter()
                .all(|v| v.nil || v.text(&msg.doc).trim().is_empty());
        if !empty {
            return;
        }
        let evidence = match attr.values.first() {
            Some(v) => vec![v.located(&msg.doc).evidence(if v.nil {
                "AttributeValue (xsi:nil)"
            } else {
                "AttributeValue"
            })],
            None => vec![attr.name.evidence("Attribute with no AttributeValue")],
        };
        let mut evidence = evidence;
        evidence.push(
            Evidence::new("attribute", attr.name.value.clone(), "").anchored(attr.name.anchor()),
        );
        out.push(finding(
            &META,
            format!("The email attribute `{}` is sent empty", attr.name.value),
            evidence,
            "Fill the user's email in the IdP directory, or map a source field that is always set.",
        ));
    }
}
