//! Okta Apps API `GET /api/v1/apps/{id}` for a SAML 2.0 app (`signOnMode: "SAML_2_0"`): the
//! `settings.signOn` object (`ssoAcsUrl`, `recipient`, `destination`, `audience`,
//! `subjectNameIdFormat`, `responseSigned`, `assertionSigned`, `attributeStatements[]`). The Apps
//! API carries no certificate (only `credentials.signing.kid`) and no IdP entity ID: give the app's
//! metadata too for those checks.

use super::detect::{bool_at, jpath, str_at};
use super::{Carries, Found, IdpApp, SentAttribute, Signing, email_source};
use serde_json::Value;

pub(super) fn read(v: &Value, name: &str) -> Result<IdpApp, String> {
    if let Some(mode) = str_at(v, "/signOnMode")
        && mode != "SAML_2_0"
        && mode != "SAML_1_1"
    {
        return Err(format!(
            "{name}: this Okta app signs users in with {mode}, not SAML 2.0 (signOnMode)"
        ));
    }
    let label = str_at(v, "/label").unwrap_or("Okta app");
    let mut app = IdpApp {
        shapes: vec![format!("Okta Apps API app {label:?} ({name})")],
        carries: Carries::APP_EXPORT,
        ..IdpApp::default()
    };
    let base = "/settings/signOn";
    for (field, label) in [
        ("ssoAcsUrl", "Single sign-on URL"),
        ("recipient", "Recipient URL"),
        ("destination", "Destination URL"),
    ] {
        let p = format!("{base}/{field}");
        if let Some(u) = str_at(v, &p) {
            app.acs_urls
                .push((label.to_string(), Found::new(u, name, jpath(&p))));
        }
    }
    let p = format!("{base}/audience");
    if let Some(a) = str_at(v, &p) {
        app.audiences.push(Found::new(a, name, jpath(&p)));
    }
    let p = format!("{base}/subjectNameIdFormat");
    app.name_id_format = str_at(v, &p).map(|f| Found::new(f, name, jpath(&p)));
    read_statements(v, name, &format!("{base}/attributeStatements"), &mut app);
    app.signing = Signing {
        response: bool_at(v, &format!("{base}/responseSigned")),
        assertion: bool_at(v, &format!("{base}/assertionSigned")),
    };
    app.signing_source = Some(format!(
        "{name}: $.settings.signOn.responseSigned / assertionSigned"
    ));
    if let Some(i) = str_at(v, &format!("{base}/idpIssuer"))
        && !i.contains("${")
    {
        app.entity_id = Some(Found::new(i, name, "$.settings.signOn.idpIssuer"));
        app.carries.entity_id = true;
    }
    Ok(app)
}

/// Okta / Terraform attribute statements: `[{name, namespace, type, values[]}]`.
pub(super) fn read_statements(v: &Value, name: &str, pointer: &str, app: &mut IdpApp) {
    let Some(list) = v.pointer(pointer).and_then(Value::as_array) else {
        return;
    };
    for (i, st) in list.iter().enumerate() {
        if st.get("type").and_then(Value::as_str) == Some("GROUP") {
            continue;
        }
        let Some(attr) = st.get("name").and_then(Value::as_str) else {
            continue;
        };
        let from = st
            .get("values")
            .and_then(Value::as_array)
            .map(|vals| {
                vals.iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
        app.attributes.push(SentAttribute {
            name: Found::new(attr, name, format!("{}[{i}].name", jpath(pointer))),
            email: email_source(&from),
            from,
        });
    }
}
