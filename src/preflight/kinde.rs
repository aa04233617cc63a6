//! The Kinde side of a preflight, from the merged settings: the project's TOML or the connection
//! JSON of Kinde's Management API, both read by [`crate::settings::Settings::from_file`].

use super::Found;
use crate::settings::{KINDE_DEFAULT_EMAIL_ATTRIBUTE, Settings};

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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_email_key_means_email_and_sources_are_kept() {
        let s = Settings::from_toml("[connection]\nsp_entity_id = \"urn:x\"\n", "k.toml").unwrap();
        let mut s2 = s.clone();
        s2.email_attribute = None;
        let k = KindeSide::from_settings(&s2, "k.toml");
        assert_eq!(k.email_key.unwrap().value, "email");
        assert_eq!(
            KindeSide::from_settings(&s, "k.toml")
                .entity_id
                .unwrap()
                .source,
            "k.toml [connection] sp_entity_id"
        );
    }
}
