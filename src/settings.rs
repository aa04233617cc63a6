//! The Kinde connection settings a trace is checked against.
//!
//! They come from a TOML file (`--config`, key layout below is a contract) or the connection JSON
//! of Kinde's Management API ([`kinde_api`], detected by content), from IdP or SP
//! metadata XML, and from command-line overrides, merged in that order. Unknown keys and wrong
//! types are errors that name the file and the key: a typo must never silently switch a check off.
//!
//! ```toml
//! [connection]
//! acs_url = "https://acme.kinde.com/login/saml/callback"
//! sp_entity_id = "https://acme.kinde.com"
//! idp_entity_id = "https://sts.windows.net/<tenant>/"
//! idp_certificates = ["MIIC..."]
//! email_attribute = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
//! clock_skew_seconds = 180
//! name_id_format = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
//! want_assertions_signed = true
//! want_response_signed = false
//! want_assertions_encrypted = false
//! idp_certificate_files = ["idp.crt"]   # extension: certificate files, relative to this file
//! sp_private_key_file = "sp.key"        # extension: SP key (PEM) to decrypt assertions
//! jit_provisioning = true
//! trust_emails = false
//! [organization]
//! self_joining = true
//! ```

pub mod kinde_api;

use serde::Deserialize;
use std::path::Path;

/// Kinde's Email key attribute when the field is left blank.
pub const KINDE_DEFAULT_EMAIL_ATTRIBUTE: &str = "email";
pub const DEFAULT_CLOCK_SKEW_SECONDS: u64 = 180;

/// A setting's value and where it came from, so evidence can say "from conn.toml" or "--acs-url".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    pub value: T,
    pub source: String,
}

/// The merged settings. `None` means "not known", which makes the checks that need it skip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub acs_url: Option<Sourced<String>>,
    pub sp_entity_id: Option<Sourced<String>>,
    pub idp_entity_id: Option<Sourced<String>>,
    pub idp_certificates: Vec<Sourced<String>>,
    pub email_attribute: Option<Sourced<String>>,
    pub clock_skew_seconds: u64,
    pub name_id_format: Option<Sourced<String>>,
    pub want_assertions_signed: bool,
    pub want_response_signed: bool,
    pub want_assertions_encrypted: bool,
    pub jit_provisioning: Option<bool>,
    pub trust_emails: Option<bool>,
    pub self_joining: Option<bool>,
    /// The Kinde connection id (`conn_...`), used by the provisioning simulator.
    pub connection_id: Option<String>,
    /// IdP SSO endpoints from metadata, shown in the summary.
    pub idp_sso_urls: Vec<String>,
    /// The SP's private key (PEM text), to decrypt EncryptedAssertions.
    pub sp_private_key: Option<Sourced<String>>,
    /// The settings file these came from, as named (for the report's "settings:" line).
    pub file: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            acs_url: None,
            sp_entity_id: None,
            idp_entity_id: None,
            idp_certificates: Vec::new(),
            email_attribute: None,
            clock_skew_seconds: DEFAULT_CLOCK_SKEW_SECONDS,
            name_id_format: None,
            want_assertions_signed: false,
            want_response_signed: false,
            want_assertions_encrypted: false,
            jit_provisioning: None,
            trust_emails: None,
            self_joining: None,
            connection_id: None,
            idp_sso_urls: Vec::new(),
            sp_private_key: None,
            file: None,
        }
    }
}

/// A settings file or flag that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read settings file {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read {path}, named by {key}: {source}")]
    ReadNamed {
        path: String,
        key: String,
        source: std::io::Error,
    },
    #[error("settings file {path} is not valid: {message}")]
    Invalid { path: String, message: String },
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct FileLayout {
    connection: Option<ConnectionSection>,
    organization: Option<OrganizationSection>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConnectionSection {
    acs_url: Option<String>,
    sp_entity_id: Option<String>,
    idp_entity_id: Option<String>,
    idp_certificates: Option<Vec<String>>,
    email_attribute: Option<String>,
    clock_skew_seconds: Option<u64>,
    name_id_format: Option<String>,
    want_assertions_signed: Option<bool>,
    want_response_signed: Option<bool>,
    want_assertions_encrypted: Option<bool>,
    jit_provisioning: Option<bool>,
    trust_emails: Option<bool>,
    id: Option<String>,
    idp_certificate_files: Option<Vec<String>>,
    sp_private_key_file: Option<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct OrganizationSection {
    self_joining: Option<bool>,
}

impl Settings {
    /// Reads a settings file: the TOML contract, or Kinde's connection JSON (by content).
    pub fn from_file(path: &Path) -> Result<Settings, SettingsError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
            path: shown.clone(),
            source,
        })?;
        let mut s = if kinde_api::looks_like_json(&text) {
            kinde_api::from_json(&text, &shown)?
        } else {
            let mut s = Settings::from_toml(&text, &shown)?;
            s.read_key_files(&text, path)?;
            s
        };
        s.file = Some(shown);
        Ok(s)
    }

    /// Reads the certificate and key files a settings file names, relative to that file.
    fn read_key_files(&mut self, text: &str, path: &Path) -> Result<(), SettingsError> {
        let layout: FileLayout = toml::from_str(text).map_err(|e| SettingsError::Invalid {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        let Some(c) = layout.connection else {
            return Ok(());
        };
        let base = path.parent().unwrap_or(Path::new("."));
        let read = |file: &str, key: &str| {
            let full = base.join(file);
            let named = |source| SettingsError::ReadNamed {
                path: full.display().to_string(),
                key: format!("{} [connection] {key}", path.display()),
                source,
            };
            // Key files may be raw DER (Entra's "Certificate (Raw)"): read as base64 then.
            crate::dsig::cert::key_text_from_bytes(std::fs::read(&full).map_err(named)?)
                .map_err(|m| named(std::io::Error::new(std::io::ErrorKind::InvalidData, m)))
        };
        for f in c.idp_certificate_files.unwrap_or_default() {
            let value = read(&f, "idp_certificate_files")?;
            self.idp_certificates.push(Sourced {
                value,
                source: format!("{} (idp_certificate_files)", base.join(&f).display()),
            });
        }
        if let Some(f) = c.sp_private_key_file {
            let value = read(&f, "sp_private_key_file")?;
            self.sp_private_key = Some(Sourced {
                value,
                source: format!("{} (sp_private_key_file)", base.join(&f).display()),
            });
        }
        Ok(())
    }

    /// Parses TOML text; `name` is used in evidence and error messages.
    pub fn from_toml(text: &str, name: &str) -> Result<Settings, SettingsError> {
        let layout: FileLayout = toml::from_str(text).map_err(|e| SettingsError::Invalid {
            path: name.to_string(),
            message: e.to_string().trim_end().replace('\n', "\n  "),
        })?;
        let mut s = Settings::default();
        let key = |k: &str| format!("{name} [connection] {k}");
        if let Some(c) = layout.connection {
            let source_of = |k: &str, v: Option<String>| {
                v.filter(|v| !v.trim().is_empty()).map(|value| Sourced {
                    value,
                    source: key(k),
                })
            };
            s.acs_url = source_of("acs_url", c.acs_url);
            s.sp_entity_id = source_of("sp_entity_id", c.sp_entity_id);
            s.idp_entity_id = source_of("idp_entity_id", c.idp_entity_id);
            s.name_id_format = source_of("name_id_format", c.name_id_format);
            s.idp_certificates = c
                .idp_certificates
                .unwrap_or_default()
                .into_iter()
                .map(|value| Sourced {
                    value,
                    source: key("idp_certificates"),
                })
                .collect();
            // Kinde treats a blank Email key attribute as `email`; a settings file describes a
            // connection, so the same default applies to it.
            s.email_attribute =
                source_of("email_attribute", c.email_attribute).or_else(|| {
                    Some(Sourced {
                        value: KINDE_DEFAULT_EMAIL_ATTRIBUTE.to_string(),
                        source: format!(
                            "{name}: email_attribute not set, Kinde's default for a blank Email key attribute"
                        ),
                    })
                });
            s.clock_skew_seconds = c.clock_skew_seconds.unwrap_or(DEFAULT_CLOCK_SKEW_SECONDS);
            s.want_assertions_signed = c.want_assertions_signed.unwrap_or(false);
            s.want_response_signed = c.want_response_signed.unwrap_or(false);
            s.want_assertions_encrypted = c.want_assertions_encrypted.unwrap_or(false);
            s.jit_provisioning = c.jit_provisioning;
            s.trust_emails = c.trust_emails;
            s.connection_id = c.id.filter(|v| !v.is_empty());
        }
        if let Some(o) = layout.organization {
            s.self_joining = o.self_joining;
        }
        Ok(s)
    }

    /// True when no connection value is known, i.e. only self-contained checks can run.
    pub fn is_empty(&self) -> bool {
        self.acs_url.is_none()
            && self.sp_entity_id.is_none()
            && self.idp_entity_id.is_none()
            && self.email_attribute.is_none()
            && self.idp_certificates.is_empty()
            && self.name_id_format.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_contract_layout() {
        let s = Settings::from_toml(
            r#"
[connection]
acs_url = "https://acme.kinde.com/login/saml/callback"
sp_entity_id = "https://acme.kinde.com"
idp_entity_id = "https://sts.windows.net/t/"
idp_certificates = []
email_attribute = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
clock_skew_seconds = 60
want_assertions_signed = true
jit_provisioning = true
trust_emails = false
[organization]
self_joining = true
"#,
            "conn.toml",
        )
        .unwrap();
        assert_eq!(s.acs_url.unwrap().source, "conn.toml [connection] acs_url");
        assert_eq!(s.clock_skew_seconds, 60);
        assert!(s.want_assertions_signed);
        assert_eq!(s.self_joining, Some(true));
        assert_eq!(s.trust_emails, Some(false));
    }

    #[test]
    fn unknown_key_is_an_error_naming_it() {
        let err = Settings::from_toml("[connection]\nacs_ulr = \"x\"\n", "c.toml").unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("acs_ulr") && text.contains("c.toml"),
            "{text}"
        );
    }

    #[test]
    fn wrong_type_is_an_error() {
        let err = Settings::from_toml("[connection]\nclock_skew_seconds = \"x\"\n", "c.toml")
            .unwrap_err();
        assert!(err.to_string().contains("clock_skew_seconds"), "{err}");
    }

    #[test]
    fn blank_email_attribute_takes_kinde_default() {
        let s = Settings::from_toml("[connection]\nacs_url = \"https://a.test/x\"\n", "c").unwrap();
        assert_eq!(s.email_attribute.unwrap().value, "email");
        assert!(Settings::default().email_attribute.is_none());
    }
}
