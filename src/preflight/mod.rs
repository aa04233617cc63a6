//! `preflight`: compare the IdP's SAML app configuration with the Kinde connection before anyone
//! signs in.
//!
//! The core takes the texts of the inputs (each with a display name) and returns a [`Report`]; it
//! reads no files and no clock. Each IdP export shape has one reader (`okta.rs`, `terraform.rs`,
//! `entra.rs`, `adfs.rs`, `keycloak.rs`, `ping.rs`, `meta.rs` for SAML metadata), recognised by
//! content in [`detect`]; all readers fill the one [`IdpApp`] model, which [`checks`] compares with
//! the [`kinde::KindeSide`]. A new export shape is one reader file and one line in `detect.rs`.
//! This module never imports `rules/`, and `rules/` never imports it.

mod adfs;
pub mod checks;
mod detect;
pub mod docs;
mod entra;
mod keycloak;
pub mod kinde;
mod meta;
mod okta;
mod ping;
pub mod render;
mod terraform;

pub use checks::{Check, Status, Verdict};
pub use kinde::KindeSide;

use crate::limits::Limits;
use crate::time::Millis;

/// A value read from an input, with where it came from (file and JSON path or element).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Found {
    pub value: String,
    pub source: String,
}

impl Found {
    pub fn new(value: impl Into<String>, file: &str, path: impl AsRef<str>) -> Found {
        Found {
            value: value.into(),
            source: format!("{file}: {}", path.as_ref()),
        }
    }
}

/// Where the email comes from in an attribute the IdP sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailSource {
    /// The mailbox (`user.mail`, `user.email`, LDAP `mail`).
    Mail,
    /// The user principal name / login name (`user.userprincipalname`, `user.login`, UPN).
    Upn,
    /// Something else, or an expression the reader cannot classify.
    Other,
}

/// One attribute the IdP is configured to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentAttribute {
    /// The attribute `Name` as it goes on the wire.
    pub name: Found,
    /// What fills it (an expression, a user property), as the export says.
    pub from: String,
    pub email: Option<EmailSource>,
}

/// A certificate the IdP publishes or holds for this app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdpCert {
    /// Base64 DER; empty when the export gives only a thumbprint.
    pub der_b64: String,
    /// SHA-1 thumbprint, upper-case hex without separators, when the export gives one.
    pub sha1_hex: Option<String>,
    /// Validity end from the export itself (Unix ms), when it says.
    pub not_after: Option<Millis>,
    pub source: String,
    /// True when the export names this one as the certificate signing today.
    pub active: bool,
}

/// Which parts of the SAML Response the IdP signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Signing {
    pub response: Option<bool>,
    pub assertion: Option<bool>,
}

/// Which values the given kinds of input can carry at all, so a value absent from an input that
/// could carry it is `missing`, and one no given input can carry is `not_checked`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Carries {
    pub acs_url: bool,
    pub audience: bool,
    pub attributes: bool,
    pub name_id_format: bool,
    pub entity_id: bool,
    pub certificates: bool,
    pub signature: bool,
}

impl Carries {
    /// What an IdP's app configuration export carries: where it posts, the audience, the
    /// attributes, the NameID format and what it signs (not its own entity ID or certificate).
    pub const APP_EXPORT: Carries = Carries {
        acs_url: true,
        audience: true,
        attributes: true,
        name_id_format: true,
        entity_id: false,
        certificates: false,
        signature: true,
    };

    fn union(self, o: Carries) -> Carries {
        Carries {
            acs_url: self.acs_url || o.acs_url,
            audience: self.audience || o.audience,
            attributes: self.attributes || o.attributes,
            name_id_format: self.name_id_format || o.name_id_format,
            entity_id: self.entity_id || o.entity_id,
            certificates: self.certificates || o.certificates,
            signature: self.signature || o.signature,
        }
    }
}

/// The IdP's SAML app configuration, merged from every export given.
#[derive(Debug, Clone, Default)]
pub struct IdpApp {
    /// The shapes read, e.g. `Okta Apps API (okta-app.json)`.
    pub shapes: Vec<String>,
    /// Every URL the IdP will post to or put in Destination / Recipient, with the field's name.
    pub acs_urls: Vec<(String, Found)>,
    /// True when the IdP posts to whichever listed URL the request names (Entra's Reply URLs, AD FS
    /// endpoints): one equal URL is enough. Otherwise every listed URL is used and must be equal.
    pub acs_any_of: bool,
    pub audiences: Vec<Found>,
    pub attributes: Vec<SentAttribute>,
    pub name_id_format: Option<Found>,
    pub entity_id: Option<Found>,
    pub certificates: Vec<IdpCert>,
    /// True when an export says which certificate is active (not only metadata).
    pub active_named: bool,
    pub signing: Signing,
    pub signing_source: Option<String>,
    pub carries: Carries,
    /// Notes from the readers (assumptions, ignored parts), printed with the report.
    pub notes: Vec<String>,
}

impl IdpApp {
    fn merge(&mut self, o: IdpApp) {
        self.shapes.extend(o.shapes);
        self.acs_urls.extend(o.acs_urls);
        self.acs_any_of |= o.acs_any_of;
        for a in o.audiences {
            if !self.audiences.iter().any(|x| x.value == a.value) {
                self.audiences.push(a);
            }
        }
        self.attributes.extend(o.attributes);
        self.name_id_format = o.name_id_format.or(self.name_id_format.take());
        self.entity_id = o.entity_id.or(self.entity_id.take());
        for c in o.certificates {
            match self
                .certificates
                .iter_mut()
                .find(|x| x.der_b64 == c.der_b64)
            {
                Some(x) => x.active |= c.active,
                None => self.certificates.push(c),
            }
        }
        self.active_named |= o.active_named;
        if o.signing.response.is_some() || o.signing.assertion.is_some() {
            self.signing = o.signing;
            self.signing_source = o.signing_source;
        }
        self.carries = self.carries.union(o.carries);
        self.notes.extend(o.notes);
    }
}

/// One input: its display name and bytes.
pub struct Input<'a> {
    pub name: &'a str,
    pub bytes: &'a [u8],
}

/// The whole result.
#[derive(Debug, Clone)]
pub struct Report {
    pub verdict: Verdict,
    pub checks: Vec<Check>,
    pub idp: IdpApp,
    pub kinde: KindeSide,
    pub now: Millis,
}

/// Reads every IdP input (exports and metadata) into one model.
pub fn read_idp(inputs: &[Input], limits: &Limits) -> Result<IdpApp, String> {
    let mut app = IdpApp::default();
    for input in inputs {
        let text = detect::text(input.bytes, input.name)?;
        app.merge(detect::read(&text, input.name, limits)?);
    }
    Ok(app)
}

/// Bytes of a settings or export file as text (UTF-8, or UTF-16 with a BOM).
pub fn text_of(bytes: &[u8], name: &str) -> Result<String, String> {
    detect::text(bytes, name)
}

/// Compares the two sides at `now`.
pub fn run(idp: IdpApp, kinde: KindeSide, now: Millis) -> Report {
    let checks = checks::all(&idp, &kinde, now);
    let verdict = checks::verdict(&checks);
    Report {
        verdict,
        checks,
        idp,
        kinde,
        now,
    }
}

/// Classifies an attribute source expression as mailbox, UPN or other.
pub(crate) fn email_source(expr: &str) -> Option<EmailSource> {
    let e = expr.to_ascii_lowercase();
    let e = e.trim();
    let last = e
        .rsplit(['.', '/', ';', ':', '$', '{', '}', '('])
        .find(|s| !s.is_empty())
        .unwrap_or(e);
    let last = last.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    match last {
        "mail" | "email" | "emailaddress" | "primaryemail" | "mailaddress" => {
            Some(EmailSource::Mail)
        }
        "userprincipalname" | "upn" | "login" | "username" | "samaccountname" => {
            Some(EmailSource::Upn)
        }
        _ if e.contains("email") || e.contains("mail") => Some(EmailSource::Mail),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_sources() {
        assert_eq!(email_source("user.email"), Some(EmailSource::Mail));
        assert_eq!(email_source("user.mail"), Some(EmailSource::Mail));
        assert_eq!(
            email_source("user.userprincipalname"),
            Some(EmailSource::Upn)
        );
        assert_eq!(email_source("${user.login}"), Some(EmailSource::Upn));
        assert_eq!(email_source("user.firstName"), None);
    }
}
