//! Keycloak: a SAML client export (`clientId` is the SP entity ID, `attributes.saml_*`,
//! `saml.server.signature` (the document, i.e. the Response, signed), `saml.assertion.signature`,
//! `protocolMappers[]`), alone or inside a realm export's `clients[]`. The realm's SAML IdP
//! descriptor is metadata (read by `meta.rs`) and gives the IdP entity ID and certificate.

use super::detect::{bool_at, str_at};
use super::{Carries, Found, IdpApp, SentAttribute, Signing, email_source};
use serde_json::Value;

/// Keycloak's `saml_name_id_format` values and the URNs it sends for them.
const FORMATS: &[(&str, &str)] = &[
    (
        "email",
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    ),
    (
        "username",
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    ),
    (
        "persistent",
        "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    ),
    (
        "transient",
        "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
    ),
];

pub(super) fn read(v: &Value, name: &str) -> Result<IdpApp, String> {
    let (client, at) = if let Some(list) = v.get("clients").and_then(Value::as_array) {
        let saml: Vec<(usize, &Value)> = list
            .iter()
            .enumerate()
            .filter(|(_, c)| c.get("protocol").and_then(Value::as_str) == Some("saml"))
            .collect();
        match saml.as_slice() {
            [(i, c)] => (*c, format!("$.clients[{i}]")),
            _ => {
                return Err(format!(
                    "{name}: the realm export has {} SAML clients ({}); export the Kinde client alone \
                     (Clients > the client > Action > Export)",
                    saml.len(),
                    saml.iter()
                        .filter_map(|(_, c)| c.get("clientId").and_then(Value::as_str))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
    } else {
        (v, "$".to_string())
    };
    if let Some(p) = str_at(client, "/protocol")
        && p != "saml"
    {
        return Err(format!(
            "{name}: this Keycloak client uses {p}, not SAML ({at}.protocol)"
        ));
    }
    let id = str_at(client, "/clientId").unwrap_or("");
    let mut app = IdpApp {
        shapes: vec![format!("Keycloak SAML client {id:?} ({name})")],
        carries: Carries {
            acs_url: true,
            audience: true,
            attributes: true,
            signature: true,
            ..Carries::default()
        },
        ..IdpApp::default()
    };
    if !id.is_empty() {
        app.audiences
            .push(Found::new(id, name, format!("{at}.clientId")));
    }
    let attr = |k: &str| str_at(client, &format!("/attributes/{k}"));
    if let Some(u) = attr("saml_assertion_consumer_url_post") {
        app.acs_urls.push((
            "Assertion Consumer Service POST Binding URL".into(),
            Found::new(
                u,
                name,
                format!("{at}.attributes.saml_assertion_consumer_url_post"),
            ),
        ));
    } else {
        app.acs_any_of = true;
        for (i, u) in client
            .get("redirectUris")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            if let Some(u) = u.as_str() {
                app.acs_urls.push((
                    "Valid redirect URI".into(),
                    Found::new(u, name, format!("{at}.redirectUris[{i}]")),
                ));
            }
        }
    }
    let forced = bool_at(client, "/attributes/saml_force_name_id_format") == Some(true);
    if let Some(f) = attr("saml_name_id_format") {
        if forced {
            let urn = FORMATS
                .iter()
                .find(|(k, _)| *k == f)
                .map(|(_, u)| *u)
                .unwrap_or(f);
            app.name_id_format = Some(Found::new(
                urn,
                name,
                format!("{at}.attributes.saml_name_id_format ({f}, forced)"),
            ));
            app.carries.name_id_format = true;
        } else {
            app.notes.push(format!(
                "{name}: Keycloak sends the NameID format Kinde requests unless \"Force name ID format\" is on \
                 ({at}.attributes.saml_force_name_id_format), so the NameID format is not compared"
            ));
        }
    }
    for (i, m) in client
        .get("protocolMappers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let cfg = |k: &str| {
            m.pointer(&format!("/config/{}", k.replace('/', "~1")))
                .and_then(Value::as_str)
        };
        let Some(attr_name) = cfg("attribute.name") else {
            continue;
        };
        let from = cfg("user.attribute")
            .map(|u| format!("user.{u}"))
            .or_else(|| cfg("attribute.value").map(|v| format!("constant {v}")))
            .unwrap_or_else(|| {
                m.get("protocolMapper")
                    .and_then(Value::as_str)
                    .unwrap_or("?")
                    .to_string()
            });
        app.attributes.push(SentAttribute {
            name: Found::new(
                attr_name,
                name,
                format!("{at}.protocolMappers[{i}].config[\"attribute.name\"]"),
            ),
            email: email_source(&from),
            from,
        });
    }
    app.signing = Signing {
        response: bool_at(client, "/attributes/saml.server.signature"),
        assertion: bool_at(client, "/attributes/saml.assertion.signature"),
    };
    app.signing_source = Some(format!(
        "{name}: {at}.attributes[\"saml.server.signature\"] / [\"saml.assertion.signature\"]"
    ));
    Ok(app)
}
