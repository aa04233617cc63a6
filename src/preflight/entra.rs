//! Microsoft Entra ID through Microsoft Graph: `GET /applications/{id}` and
//! `GET /servicePrincipals/{id}?$select=…,keyCredentials,preferredTokenSigningKeyThumbprint&$expand=claimsMappingPolicies`,
//! as one file `{"application":…,"servicePrincipal":…}` or as two files. Read: `identifierUris`
//! (the Identifier / Entity ID), `web.redirectUris` (Reply URLs; Entra posts to the one the
//! AuthnRequest names when it is registered), `keyCredentials[]` (`customKeyIdentifier` is the
//! base64 SHA-1 thumbprint; the active signing certificate is the `Verify` credential whose
//! thumbprint equals `preferredTokenSigningKeyThumbprint`) and the claims mapping policy when one
//! is expanded, else Entra's documented default SAML claims. Graph carries no NameID format, no
//! signing option and no IdP entity ID: those checks need the federation metadata.

use super::detect::str_at;
use super::{Carries, EmailSource, Found, IdpApp, IdpCert, SentAttribute, email_source};
use serde_json::Value;

const EMAIL_CLAIM: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
/// Entra's default SAML claims for a non-gallery app (Microsoft Learn, "Customize SAML token
/// claims"): claim name, source user property.
const DEFAULT_CLAIMS: &[(&str, &str)] = &[
    (EMAIL_CLAIM, "user.mail"),
    (
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "user.givenname",
    ),
    (
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        "user.userprincipalname",
    ),
    (
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "user.surname",
    ),
];

pub(super) fn read(v: &Value, name: &str) -> Result<IdpApp, String> {
    let (application, sp, prefix_app, prefix_sp) =
        if v.get("application").is_some() || v.get("servicePrincipal").is_some() {
            (
                v.get("application"),
                v.get("servicePrincipal"),
                "$.application",
                "$.servicePrincipal",
            )
        } else if v.get("servicePrincipalType").is_some()
            || v.get("keyCredentials").is_some() && v.get("identifierUris").is_none()
        {
            (None, Some(v), "$", "$")
        } else {
            (Some(v), None, "$", "$")
        };
    let mut app = IdpApp {
        shapes: vec![format!(
            "Microsoft Graph {} ({name})",
            match (application.is_some(), sp.is_some()) {
                (true, true) => "application + servicePrincipal",
                (true, false) => "application",
                _ => "servicePrincipal",
            }
        )],
        acs_any_of: true,
        ..IdpApp::default()
    };
    if let Some(a) = application {
        app.carries = Carries {
            acs_url: true,
            audience: true,
            ..app.carries
        };
        if let Some(list) = a.pointer("/web/redirectUris").and_then(Value::as_array) {
            for (i, u) in list.iter().enumerate() {
                if let Some(u) = u.as_str() {
                    app.acs_urls.push((
                        "Reply URL".into(),
                        Found::new(u, name, format!("{prefix_app}.web.redirectUris[{i}]")),
                    ));
                }
            }
        }
        if let Some(list) = a.get("identifierUris").and_then(Value::as_array) {
            for (i, u) in list.iter().enumerate() {
                if let Some(u) = u.as_str() {
                    app.audiences.push(Found::new(
                        u,
                        name,
                        format!("{prefix_app}.identifierUris[{i}]"),
                    ));
                }
            }
        }
    }
    if let Some(sp) = sp {
        app.carries.certificates = true;
        app.carries.attributes = true;
        read_keys(sp, name, prefix_sp, &mut app);
        read_claims(sp, name, prefix_sp, &mut app)?;
    }
    Ok(app)
}

fn read_keys(sp: &Value, name: &str, at: &str, app: &mut IdpApp) {
    let preferred =
        str_at(sp, "/preferredTokenSigningKeyThumbprint").map(|t| t.to_ascii_uppercase());
    let Some(keys) = sp.get("keyCredentials").and_then(Value::as_array) else {
        return;
    };
    for (i, k) in keys.iter().enumerate() {
        if k.get("usage").and_then(Value::as_str) != Some("Verify") {
            continue;
        }
        let thumb = str_at(k, "/customKeyIdentifier")
            .and_then(crate::dsig::verify::decode_base64)
            .map(|b| b.iter().map(|x| format!("{x:02X}")).collect::<String>());
        let active = match (&preferred, &thumb) {
            (Some(p), Some(t)) => p == t,
            _ => false,
        };
        app.active_named |= preferred.is_some();
        app.certificates.push(IdpCert {
            der_b64: str_at(k, "/key")
                .map(|s| s.split_whitespace().collect())
                .unwrap_or_default(),
            sha1_hex: thumb,
            not_after: str_at(k, "/endDateTime").and_then(crate::time::parse_millis),
            source: format!("{name}: {at}.keyCredentials[{i}]"),
            active,
        });
    }
}

fn read_claims(sp: &Value, name: &str, at: &str, app: &mut IdpApp) -> Result<(), String> {
    let policies = sp.get("claimsMappingPolicies").and_then(Value::as_array);
    let mut any = false;
    for (i, p) in policies.into_iter().flatten().enumerate() {
        for (j, d) in p
            .get("definition")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let Some(d) = d.as_str() else { continue };
            let def: Value = serde_json::from_str(d).map_err(|e| {
                format!("{name}: {at}.claimsMappingPolicies[{i}].definition[{j}] is not JSON: {e}")
            })?;
            let schema = def
                .pointer("/ClaimsMappingPolicy/ClaimsSchema")
                .and_then(Value::as_array);
            for (k, c) in schema.into_iter().flatten().enumerate() {
                let Some(claim) = c.get("SamlClaimType").and_then(Value::as_str) else {
                    continue;
                };
                let from = format!(
                    "{}.{}",
                    c.get("Source").and_then(Value::as_str).unwrap_or("?"),
                    c.get("ID")
                        .and_then(Value::as_str)
                        .or_else(|| c.get("Value").and_then(Value::as_str))
                        .unwrap_or("?")
                );
                app.attributes.push(SentAttribute {
                    name: Found::new(claim, name, format!("{at}.claimsMappingPolicies[{i}].definition[{j}] ClaimsSchema[{k}].SamlClaimType")),
                    email: email_source(&from),
                    from,
                });
                any = true;
            }
            if def
                .pointer("/ClaimsMappingPolicy/IncludeBasicClaimSet")
                .and_then(Value::as_str)
                == Some("true")
            {
                push_defaults(app, name, "IncludeBasicClaimSet");
            }
        }
    }
    if !any && policies.is_none_or(|p| p.is_empty()) {
        push_defaults(
            app,
            name,
            "no claims mapping policy expanded: Entra's default claims",
        );
        app.notes.push(format!(
            "{name}: no claims mapping policy in the export, so Entra's default SAML claims are assumed \
             (the Attributes & Claims blade may say otherwise; export with $expand=claimsMappingPolicies)"
        ));
    }
    Ok(())
}

fn push_defaults(app: &mut IdpApp, name: &str, why: &str) {
    for (claim, from) in DEFAULT_CLAIMS {
        if app.attributes.iter().any(|a| a.name.value == *claim) {
            continue;
        }
        app.attributes.push(SentAttribute {
            name: Found::new(*claim, name, format!("({why})")),
            email: if *claim == EMAIL_CLAIM {
                Some(EmailSource::Mail)
            } else {
                email_source(from)
            },
            from: from.to_string(),
        });
    }
}
