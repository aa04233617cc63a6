//! IdP SAML metadata (`md:EntityDescriptor` with an `IDPSSODescriptor`: Okta's app metadata, the
//! AD FS federation metadata, Entra's federation metadata, a Keycloak realm descriptor): the IdP's
//! entity ID and its signing certificates (encryption-only keys are left out, SAML metadata §2.4.1.1).

use super::{Carries, Found, IdpApp, IdpCert};
use crate::limits::Limits;
use crate::settings::Settings;

pub(super) fn read(text: &str, name: &str, limits: &Limits) -> Result<IdpApp, String> {
    let mut s = Settings::default();
    crate::metadata::apply_idp(&mut s, text, name, limits)?;
    let mut app = IdpApp {
        shapes: vec![format!("IdP SAML metadata ({name})")],
        carries: Carries {
            entity_id: true,
            certificates: true,
            ..Carries::default()
        },
        ..IdpApp::default()
    };
    app.entity_id = s.idp_entity_id.map(|v| Found {
        value: v.value,
        source: v.source,
    });
    app.certificates = s
        .idp_certificates
        .into_iter()
        .map(|c| IdpCert {
            der_b64: c.value,
            source: c.source,
            active: false,
            sha1_hex: None,
            not_after: None,
        })
        .collect();
    Ok(app)
}
