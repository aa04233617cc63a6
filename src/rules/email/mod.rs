//! Rules about the email Kinde matches users on: is the configured Email key attribute there, and
//! is its value one that will match the Kinde user exactly (Kinde compares emails case-sensitively)?

mod email_attribute_case;
mod email_attribute_duplicated;
mod email_attribute_missing;
mod email_empty;
mod email_invalid;
mod email_multi_valued;
mod email_only_in_name_id;
mod email_uppercase;
mod email_whitespace;
mod upn_mail_disagree;

use super::{Context, Rule};
use crate::rules::util::{is_email_attribute_name, looks_like_email};
use crate::saml::{Attribute, Located, Message};
use crate::xml::Document;

pub(super) const RULES: &[&dyn Rule] = &[
    &email_attribute_missing::EmailAttributeMissing,
    &email_attribute_case::EmailAttributeCase,
    &email_only_in_name_id::EmailOnlyInNameId,
    &email_multi_valued::EmailMultiValued,
    &email_empty::EmailEmpty,
    &email_whitespace::EmailWhitespace,
    &email_uppercase::EmailUppercase,
    &email_invalid::EmailInvalid,
    &upn_mail_disagree::UpnMailDisagree,
    &email_attribute_duplicated::EmailAttributeDuplicated,
];

/// The attribute whose Name is exactly the configured Email key attribute.
pub(crate) fn configured_attribute<'a>(ctx: &Context, msg: &'a Message) -> Option<&'a Attribute> {
    let key = &ctx.settings.email_attribute.as_ref()?.value;
    msg.attributes().find(|a| a.name.value == *key)
}

/// True when an attribute is an email by its name or by any of its values.
pub(crate) fn looks_like_email_attribute(doc: &Document, a: &Attribute) -> bool {
    is_email_attribute_name(&a.name.value)
        || a.friendly_name
            .as_deref()
            .is_some_and(is_email_attribute_name)
        || a.values.iter().any(|v| looks_like_email(&v.text(doc)))
}

/// The email values Kinde would read: the configured attribute's values when it is present (of
/// every attribute with that name, when there are several: SD410); otherwise (no settings, or key
/// absent) every email-named attribute's values.
pub(crate) fn email_values(ctx: &Context, msg: &Message) -> Vec<(String, Located<String>)> {
    let attrs: Vec<&Attribute> = match configured_attribute(ctx, msg) {
        Some(first) => msg
            .attributes()
            .filter(|a| a.name.value == first.name.value)
            .collect(),
        None => msg
            .attributes()
            .filter(|a| is_email_attribute_name(&a.name.value))
            .collect(),
    };
    attrs
        .into_iter()
        .flat_map(|a| {
            a.values
                .iter()
                .filter(|v| !v.nil)
                .map(move |v| (format!("attribute {}", a.name.value), v.located(&msg.doc)))
        })
        .collect()
}
