//! Settings from Kinde itself: the connection JSON of Kinde's Management API, as `GET
//! /api/v1/connections/{id}` returns it (`{code, message, connection: {id, name, strategy,
//! options}}`), a bare connection object, or a create/patch body (`{name, strategy, options}`).
//! Detected by content (a JSON object) in [`super::Settings::from_file`].
//!
//! | Kinde | sso-doctor |
//! |---|---|
//! | `options.saml_acs_url` (older API versions) | `acs_url` |
//! | `options.saml_entity_id` | `sp_entity_id` (the IdP's Audience) |
//! | `options.saml_email_key_attr` (blank: `email`) | `email_attribute` |
//! | `options.name_id_format` (`Persistent`, `Transient`, `Email address`, `Unspecified`) | `name_id_format` (as a URN) |
//! | `options.is_create_missing_user` | `jit_provisioning` |
//! | `options.is_trusted` | `trust_emails` |
//! | `options.is_auto_join_organization_enabled` | `[organization] self_joining` |
//! | `options.saml_idp_metadata_xml` | IdP entity ID and signing certificates, as `--idp-metadata` |
//! | `connection.id` / `id` | the connection id (simulator) |
//!
//! `saml_signing_certificate` is the certificate Kinde signs AuthnRequests with, not the IdP's, so
//! it verifies nothing in a Response and is not used. `saml_idp_metadata_url` is not fetched
//! (sso-doctor is offline): download it and pass `--idp-metadata FILE`.

use super::{KINDE_DEFAULT_EMAIL_ATTRIBUTE, Settings, SettingsError, Sourced};
use serde_json::Value;

/// Whether a settings file's text is JSON (Kinde's API shape) rather than the TOML contract.
pub fn looks_like_json(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// Kinde's name for a NameID format, as the URN a SAML message carries.
pub fn name_id_urn(kinde: &str) -> String {
    match kinde.trim().to_ascii_lowercase().as_str() {
        "persistent" => "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent".into(),
        "transient" => "urn:oasis:names:tc:SAML:2.0:nameid-format:transient".into(),
        "email address" | "email" | "emailaddress" => {
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress".into()
        }
        "unspecified" => "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified".into(),
        _ => kinde.trim().to_string(),
    }
}

/// Reads the connection JSON; `name` is the file as shown in evidence.
pub fn from_json(text: &str, name: &str) -> Result<Settings, SettingsError> {
    let invalid = |message: String| SettingsError::Invalid {
        path: name.to_string(),
        message,
    };
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        invalid(format!(
            "not JSON at line {} column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let conn = v.get("connection").unwrap_or(&v);
    let options = conn.get("options").or_else(|| v.get("options"));
    if let Some(strategy) = conn.get("strategy").and_then(Value::as_str)
        && !strategy.starts_with("saml:")
    {
        return Err(invalid(format!(
            "connection strategy {strategy:?} is not a SAML connection (saml:custom, saml:microsoft, …)"
        )));
    }
    let Some(options) = options.filter(|o| o.is_object()) else {
        return Err(invalid(
            "no `options` object: Kinde's GET /api/v1/connections/{id} returns only id, name and \
             strategy in some API versions; copy the options from the create/patch body, or write \
             the TOML settings (`sso-doctor init` writes a template)"
                .into(),
        ));
    };
    let text_of = |key: &str| options.get(key).and_then(Value::as_str).map(str::trim);
    let bool_of = |key: &str| -> Result<Option<bool>, SettingsError> {
        match options.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(invalid(format!(
                "options.{key} is {other}, not true or false"
            ))),
        }
    };
    let sourced = |key: &str, value: String| Sourced {
        value,
        source: format!("{name} options.{key}"),
    };
    let non_empty = |key: &str| {
        text_of(key)
            .filter(|v| !v.is_empty())
            .map(|v| sourced(key, v.to_string()))
    };
    let email = non_empty("saml_email_key_attr").unwrap_or_else(|| Sourced {
        value: KINDE_DEFAULT_EMAIL_ATTRIBUTE.to_string(),
        source: format!("{name}: options.saml_email_key_attr blank, Kinde's default"),
    });
    let mut s = Settings {
        acs_url: non_empty("saml_acs_url"),
        sp_entity_id: non_empty("saml_entity_id"),
        email_attribute: Some(email),
        name_id_format: non_empty("name_id_format").map(|mut v| {
            v.value = name_id_urn(&v.value);
            v
        }),
        jit_provisioning: bool_of("is_create_missing_user")?,
        trust_emails: bool_of("is_trusted")?,
        self_joining: bool_of("is_auto_join_organization_enabled")?,
        connection_id: conn
            .get("id")
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(String::from),
        ..Settings::default()
    };
    if let Some(xml) = text_of("saml_idp_metadata_xml").filter(|v| !v.is_empty()) {
        crate::metadata::apply_idp(
            &mut s,
            xml,
            &format!("{name} options.saml_idp_metadata_xml"),
            &Default::default(),
        )
        .map_err(|e| invalid(format!("options.saml_idp_metadata_xml: {e}")))?;
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GET: &str = r#"{"code":"OK","message":"Success","connection":{"id":"conn_0123","name":"acme","strategy":"saml:custom","options":{
        "saml_entity_id":"https://acme.kinde.test","saml_acs_url":"https://acme.kinde.test/login/saml/callback",
        "saml_email_key_attr":"","name_id_format":"Email address","is_create_missing_user":true,"is_trusted":false}}}"#;

    #[test]
    fn reads_the_management_api_shape() {
        assert!(looks_like_json(GET));
        let s = from_json(GET, "conn.json").unwrap();
        assert_eq!(s.sp_entity_id.unwrap().value, "https://acme.kinde.test");
        assert_eq!(s.acs_url.unwrap().source, "conn.json options.saml_acs_url");
        assert_eq!(s.email_attribute.unwrap().value, "email");
        assert_eq!(
            s.name_id_format.unwrap().value,
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
        );
        assert_eq!(
            (s.jit_provisioning, s.trust_emails),
            (Some(true), Some(false))
        );
        assert_eq!(s.connection_id.as_deref(), Some("conn_0123"));
    }

    #[test]
    fn refuses_what_is_not_a_saml_connection_with_options() {
        let oauth = r#"{"connection":{"id":"c","strategy":"oauth2:google","options":{}}}"#;
        assert!(
            from_json(oauth, "c.json")
                .unwrap_err()
                .to_string()
                .contains("oauth2:google")
        );
        let bare = r#"{"code":"OK","connection":{"id":"c","name":"x","strategy":"saml:custom"}}"#;
        assert!(
            from_json(bare, "c.json")
                .unwrap_err()
                .to_string()
                .contains("options")
        );
        let bad = r#"{"options":{"is_trusted":"yes"}}"#;
        assert!(
            from_json(bad, "c.json")
                .unwrap_err()
                .to_string()
                .contains("is_trusted")
        );
    }
}
