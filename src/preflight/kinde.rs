//! The Kinde side of a preflight: from the project's TOML settings or from the connection JSON of
//! Kinde's Management API (the `options` object of a create/patch body, alone, under `connection`
//! or under `create_request`).

use super::Found;
use crate::limits::Limits;
use crate::settings::{KINDE_DEFAULT_EMAIL_ATTRIBUTE, Settings};
use serde_json::Value;

/// What Kinde holds for the connection, each value with where it came from.
#[derive(Debug, Clone, Default)]
pub struct KindeSide {
    /// The file the settings came from.
    pub file: String,
    /// True when read from Kinde's connection JSON (which has no ACS URL today).
    pub from_api_json: bool,
    pub acs_url: Option<Found>,
    pub entity_id: Option<Found>,
    /// Always set: a blank Email key attribute means `email`.
    pub email_key: Option<Found>,
    pub name_id_format: Option<Found>,
    pub idp_entity_id: Option<Found>,
    /// Certificates Kinde trusts (PEM or base64 DER text).
    pub certificates: Vec<Found>,
    pub want_response_signed: bool,
    pub want_assertions_signed: bool,
}

/// Kinde's `name_id_format` option values and the URNs they stand for.
pub const NAME_ID_FORMATS: &[(&str, &str)] = &[
    (
        "Persistent",
        "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    ),
    (
        "Transient",
        "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
    ),
    (
        "Email address",
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    ),
    (
        "Unspecified",
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    ),
];

impl KindeSide {
    /// From merged TOML settings (and any metadata or flags applied to them).
    pub fn from_settings(s: &Settings, file: &str) -> KindeSide {
        let f = |o: &Option<crate::settings::Sourced<String>>| {
            o.as_ref().map(|v| Found {
                value: v.value.clone(),
                source: v.source.clone(),
            })
        };
        KindeSide {
            file: file.to_string(),
            from_api_json: false,
            acs_url: f(&s.acs_url),
            entity_id: f(&s.sp_entity_id),
            email_key: f(&s.email_attribute).or_else(|| {
                Some(Found {
                    value: KINDE_DEFAULT_EMAIL_ATTRIBUTE.into(),
                    source: format!("{file}: email_attribute not set (blank means `email`)"),
                })
            }),
            name_id_format: f(&s.name_id_format),
            idp_entity_id: f(&s.idp_entity_id),
            certificates: s
                .idp_certificates
                .iter()
                .map(|c| Found {
                    value: c.value.clone(),
                    source: c.source.clone(),
                })
                .collect(),
            want_response_signed: s.want_response_signed,
            want_assertions_signed: s.want_assertions_signed,
        }
    }

    /// True when `text` looks like Kinde connection JSON rather than TOML.
    pub fn is_api_json(text: &str) -> bool {
        text.trim_start().starts_with('{')
    }

    /// From the connection JSON of Kinde's Management API.
    pub fn from_api_json(text: &str, file: &str, limits: &Limits) -> Result<KindeSide, String> {
        let v: Value = serde_json::from_str(text)
            .map_err(|e| format!("{file} is not valid JSON: {e} (line {})", e.line()))?;
        let (options, at) = [
            ("/options", "$.options"),
            ("/connection/options", "$.connection.options"),
            ("/create_request/options", "$.create_request.options"),
        ]
        .iter()
        .find_map(|(p, at)| v.pointer(p).filter(|o| o.is_object()).map(|o| (o, *at)))
        .ok_or_else(|| {
            format!(
                "{file} has no connection `options` object (expected Kinde's connection JSON: \
                 {{\"options\":{{\"saml_entity_id\":…}}}}, or the TOML settings layout)"
            )
        })?;
        let s = |k: &str| {
            options
                .get(k)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Found::new(s, file, format!("{at}.{k}")))
        };
        let mut side = KindeSide {
            file: file.to_string(),
            from_api_json: true,
            acs_url: s("saml_acs_url"),
            entity_id: s("saml_entity_id"),
            email_key: s("saml_email_key_attr").or_else(|| {
                Some(Found::new(
                    KINDE_DEFAULT_EMAIL_ATTRIBUTE,
                    file,
                    format!("{at}.saml_email_key_attr is blank (Kinde then uses `email`)"),
                ))
            }),
            ..KindeSide::default()
        };
        if let Some(fmt) = s("name_id_format") {
            let urn = NAME_ID_FORMATS
                .iter()
                .find(|(k, u)| k.eq_ignore_ascii_case(&fmt.value) || *u == fmt.value)
                .map(|(_, u)| *u)
                .ok_or_else(|| {
                    format!(
                        "{}: name_id_format {:?} is not one of Persistent, Transient, Email address, Unspecified",
                        fmt.source, fmt.value
                    )
                })?;
            side.name_id_format = Some(Found {
                value: urn.to_string(),
                source: format!("{} ({})", fmt.source, fmt.value),
            });
        }
        if let Some(xml) = s("saml_idp_metadata_xml") {
            let mut tmp = Settings::default();
            let name = format!("{file} {at}.saml_idp_metadata_xml");
            crate::metadata::apply_idp(&mut tmp, &xml.value, &name, limits)?;
            side.idp_entity_id = tmp.idp_entity_id.map(|v| Found {
                value: v.value,
                source: v.source,
            });
            side.certificates = tmp
                .idp_certificates
                .into_iter()
                .map(|c| Found {
                    value: c.value,
                    source: c.source,
                })
                .collect();
        }
        Ok(side)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_options_in_every_envelope() {
        for text in [
            r#"{"options":{"saml_entity_id":"urn:x","name_id_format":"Persistent"}}"#,
            r#"{"connection":{"options":{"saml_entity_id":"urn:x","name_id_format":"Persistent"}}}"#,
            r#"{"create_request":{"options":{"saml_entity_id":"urn:x","name_id_format":"Persistent"}}}"#,
        ] {
            let k = KindeSide::from_api_json(text, "c.json", &Limits::default()).unwrap();
            assert_eq!(k.entity_id.unwrap().value, "urn:x");
            assert_eq!(k.email_key.unwrap().value, "email");
            assert!(k.name_id_format.unwrap().value.ends_with(":persistent"));
            assert!(k.acs_url.is_none());
        }
    }

    #[test]
    fn unknown_name_id_format_is_an_error() {
        let e = KindeSide::from_api_json(
            r#"{"options":{"name_id_format":"Kerberos"}}"#,
            "c.json",
            &Limits::default(),
        )
        .unwrap_err();
        assert!(
            e.contains("Kerberos") && e.contains("name_id_format"),
            "{e}"
        );
    }
}
