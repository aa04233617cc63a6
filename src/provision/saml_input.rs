//! SAML responses as simulator input: `sso-doctor simulate … resp1.xml resp2.xml`.
//!
//! Each file goes through the same decoder and parser as `sso-doctor saml` (any paste form, HAR
//! and SAML-tracer captures included), and every Response or bare Assertion in it becomes one
//! [`IdpRecord`] carrying exactly what Kinde would read.

use super::IdpRecord;
use crate::limits::Limits;
use crate::saml::{self, Message, MessageKind};
use crate::settings::{KINDE_DEFAULT_EMAIL_ATTRIBUTE, Settings};
use std::path::PathBuf;

/// Kinde's default "User ID key attribute" (its IdP-initiated SAML guide).
const USER_ID_CLAIM: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier";

/// Turns SAML files into one [`IdpRecord`] per response or assertion.
///
/// - `source`: `"SAML file <path>"`, plus `#<n>` when a file holds several messages;
/// - `email`: the first value of the attribute named exactly like the Email key attribute
///   (Kinde's `email` when unset), untrimmed; `None` when absent or empty;
/// - `email_attribute_present`: whether an attribute with that exact name was sent;
/// - `attributes`: every attribute with its values, in document order;
/// - `name_id`: the Subject's NameID; `subject_id`: Kinde's default User ID claim when sent.
///
/// Errors name the file; the CLI exits with 2.
pub fn saml_records(paths: &[PathBuf], settings: &Settings) -> Result<Vec<IdpRecord>, String> {
    let limits = Limits::default();
    let key = settings
        .email_attribute
        .as_ref()
        .map_or(KINDE_DEFAULT_EMAIL_ATTRIBUTE, |k| k.value.as_str());
    let mut records = Vec::new();
    for path in paths {
        let shown = path.display().to_string();
        let bytes = crate::decode::read::read_input(&shown, &limits)?;
        let decoded =
            crate::decode::decode(&bytes, &limits).map_err(|e| format!("{shown}: {e}"))?;
        let mut messages = Vec::new();
        for d in decoded {
            let m = saml::parse_message(&d.xml, &limits).map_err(|e| format!("{shown}: {e}"))?;
            if matches!(m.kind, MessageKind::Response | MessageKind::Assertion)
                && !m.assertions.is_empty()
            {
                messages.push(m);
            }
        }
        if messages.is_empty() {
            return Err(format!(
                "{shown}: no SAML Response with an assertion in it (an error status, an encrypted assertion, or only a request?)"
            ));
        }
        let several = messages.len() > 1;
        for (i, m) in messages.iter().enumerate() {
            let source = if several {
                format!("SAML file {shown}#{}", i + 1)
            } else {
                format!("SAML file {shown}")
            };
            records.push(record(m, key, source));
        }
    }
    Ok(records)
}

fn record(m: &Message, key: &str, source: String) -> IdpRecord {
    let attributes: Vec<(String, Vec<String>)> = m
        .attributes()
        .map(|a| {
            (
                a.name.value.clone(),
                a.values
                    .iter()
                    .filter(|v| !v.nil)
                    .map(|v| v.text(&m.doc).into_owned())
                    .collect(),
            )
        })
        .collect();
    let email_attr = attributes.iter().find(|(n, _)| n == key);
    let email = email_attr
        .and_then(|(_, v)| v.first())
        .filter(|v| !v.is_empty())
        .cloned();
    let subject_id = attributes
        .iter()
        .find(|(n, _)| n == USER_ID_CLAIM)
        .and_then(|(_, v)| v.first())
        .cloned();
    IdpRecord {
        source,
        subject_id,
        email,
        email_attribute_present: email_attr.is_some(),
        name_id: m.name_id().map(|n| n.value.value.clone()),
        attributes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/saml")).join(name)
    }

    #[test]
    fn reads_email_under_the_configured_key() {
        let s = Settings::from_toml("[connection]\nemail_attribute = \"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress\"\n", "t").unwrap();
        let r = saml_records(&[fixture("email-uppercase.xml")], &s).unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].email.as_deref(), Some("Dana.Reyes@Example.com"));
        assert!(r[0].email_attribute_present);
        assert_eq!(r[0].name_id.as_deref(), Some("Dana.Reyes@Example.com"));
        assert!(r[0].source.starts_with("SAML file "));
    }

    #[test]
    fn default_key_misses_entra_claims() {
        let r = saml_records(&[fixture("entra-clean.xml")], &Settings::default()).unwrap();
        assert_eq!(r[0].email, None);
        assert!(!r[0].email_attribute_present);
        assert!(
            r[0].attributes
                .iter()
                .any(|(n, _)| n.ends_with("/emailaddress"))
        );
    }

    #[test]
    fn captures_yield_only_responses_and_errors_name_the_file() {
        let r = saml_records(&[fixture("capture.har")], &Settings::default()).unwrap();
        assert_eq!(r.len(), 1);
        let e = saml_records(&[fixture("status-requester.xml")], &Settings::default()).unwrap_err();
        assert!(e.contains("status-requester.xml"), "{e}");
        let e = saml_records(&[fixture("bad-jwt.txt")], &Settings::default()).unwrap_err();
        assert!(e.contains("JWT"), "{e}");
    }
}
