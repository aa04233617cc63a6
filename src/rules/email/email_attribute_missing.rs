//! SD401: the configured Email key attribute is not in the assertion.

use super::{configured_attribute, looks_like_email_attribute};
use crate::finding::{Evidence, Finding, Severity};
use crate::rules::util::{is_email_attribute_name, looks_like_email};
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct EmailAttributeMissing;

static META: RuleMeta = RuleMeta {
    code: "SD401",
    name: "email-attribute-missing",
    severity: Severity::Error,
    weight: 84,
    needs: &[Need::EmailAttribute],
    summary: "The configured Email key attribute is not in the assertion",
    docs: r#"# SD401 email-attribute-missing

Kinde reads the user's email from the attribute named in the connection's **Email key attribute**
(blank means `email`). Attribute names are case-sensitive strings, and IdPs disagree on them:
Entra ID and AD FS send `http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress`,
Okta admins commonly add `email`, LastPass sends `emailAddress`, Shibboleth sends the OID
`urn:oid:0.9.2342.19200300.100.1.3`. Kinde's migration guide names exactly this mismatch
(`emailaddress`, `emailAddress`, `email`, full claim URIs) as a reason users cannot be matched.
When the key is absent no email reaches Kinde: existing users are not matched, and JIT provisioning
has no email to create the user with.

The finding lists the attributes that look like an email by name (claim URIs, short names, OIDs)
or by value, so you can pick the right key. Until 2025-08-04 Kinde's Entra guide said to use
`…/claims/name` (the UPN); connections configured from either version exist.

## Fix
Set the connection's Email key attribute to the exact Name of the attribute the IdP sends (copy it
from the evidence), or add an attribute with the configured name in the IdP's attribute/claim
mapping.
"#,
};

impl Rule for EmailAttributeMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(key) = &ctx.settings.email_attribute else {
            return;
        };
        if msg.assertions.is_empty() || configured_attribute(ctx, msg).is_some() {
            return;
        }
        if msg
            .attributes()
            .any(|a| a.name.value.eq_ignore_ascii_case(&key.value))
        {
            return; // SD402 explains a case-only difference.
        }
        let candidates: Vec<_> = msg
            .attributes()
            .filter(|a| looks_like_email_attribute(&msg.doc, a))
            .collect();
        let name_id_email = msg.name_id().filter(|n| looks_like_email(&n.value.value));
        if candidates.is_empty() && name_id_email.is_some() {
            return; // SD403 explains an email carried only in the NameID.
        }
        let mut evidence = vec![Evidence::new(
            "configured Email key attribute",
            key.value.clone(),
            key.source.clone(),
        )];
        for a in &candidates {
            let why = if is_email_attribute_name(&a.name.value) {
                "email attribute by name"
            } else {
                "value looks like an email"
            };
            let value = a
                .values
                .first()
                .map_or(String::new(), |v| v.text(&msg.doc).into_owned());
            evidence.push(
                Evidence::new(
                    format!("candidate ({why}): {}", a.name.value),
                    value,
                    String::new(),
                )
                .anchored(a.name.anchor()),
            );
        }
        let sent: Vec<&str> = msg.attributes().map(|a| a.name.value.as_str()).collect();
        evidence.push(Evidence::new(
            "attributes sent",
            if sent.is_empty() {
                "(none)".to_string()
            } else {
                sent.join(", ")
            },
            "AttributeStatement",
        ));
        let (message, fix) = match candidates.first() {
            Some(best) => (
                format!(
                    "Email key attribute `{}` is not sent; the IdP sends the email as `{}`",
                    key.value, best.name.value
                ),
                format!(
                    "Set the connection's Email key attribute to `{}` (exactly), or rename the claim in the IdP to `{}`.",
                    best.name.value, key.value
                ),
            ),
            None => (
                format!(
                    "Email key attribute `{}` is not sent, and no attribute carries an email",
                    key.value
                ),
                format!(
                    "Add an attribute named `{}` holding the user's email to the IdP's attribute/claim mapping.",
                    key.value
                ),
            ),
        };
        out.push(finding(&META, message, evidence, fix));
    }
}
