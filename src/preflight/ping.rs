//! PingFederate Admin API `GET /pf-admin-api/v1/idp/spConnections/{id}`: `entityId` (the SP's),
//! `spBrowserSso.ssoServiceEndpoints[]` (ACS URLs), `signAssertions`, `signResponseAsRequired`,
//! `attributeContract` (`coreAttributes` with `SAML_SUBJECT` and its `nameFormat`,
//! `extendedAttributes`), and the adapter mappings that fill them.

use super::detect::{bool_at, str_at};
use super::{Carries, Found, IdpApp, SentAttribute, Signing, email_source};
use serde_json::Value;

pub(super) fn read(v: &Value, name: &str) -> Result<IdpApp, String> {
    let sso = v
        .get("spBrowserSso")
        .ok_or_else(|| format!("{name}: no spBrowserSso"))?;
    if let Some(p) = str_at(sso, "/protocol")
        && p != "SAML20"
    {
        return Err(format!(
            "{name}: this connection uses {p}, not SAML 2.0 ($.spBrowserSso.protocol)"
        ));
    }
    let label = str_at(v, "/name").unwrap_or("SP connection");
    let mut app = IdpApp {
        shapes: vec![format!("PingFederate SP connection {label:?} ({name})")],
        acs_any_of: true,
        carries: Carries::APP_EXPORT,
        ..IdpApp::default()
    };
    if let Some(e) = str_at(v, "/entityId") {
        app.audiences.push(Found::new(e, name, "$.entityId"));
    }
    for (i, ep) in sso
        .get("ssoServiceEndpoints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if ep
            .get("binding")
            .and_then(Value::as_str)
            .is_some_and(|b| b != "POST")
        {
            continue;
        }
        if let Some(u) = ep.get("url").and_then(Value::as_str) {
            app.acs_urls.push((
                "SSO service endpoint".into(),
                Found::new(
                    u,
                    name,
                    format!("$.spBrowserSso.ssoServiceEndpoints[{i}].url"),
                ),
            ));
        }
    }
    let contract = sso.get("attributeContract");
    let fulfil = sso.pointer("/adapterMappings/0/attributeContractFulfillment");
    let source_of = |attr: &str| {
        fulfil
            .and_then(|f| f.get(attr))
            .and_then(|f| f.get("value"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    for (i, a) in contract
        .and_then(|c| c.get("coreAttributes"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if a.get("name").and_then(Value::as_str) == Some("SAML_SUBJECT")
            && let Some(f) = a.get("nameFormat").and_then(Value::as_str)
        {
            app.name_id_format = Some(Found::new(
                f,
                name,
                format!("$.spBrowserSso.attributeContract.coreAttributes[{i}].nameFormat"),
            ));
        }
    }
    for (i, a) in contract
        .and_then(|c| c.get("extendedAttributes"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(attr) = a.get("name").and_then(Value::as_str) else {
            continue;
        };
        let from = source_of(attr);
        app.attributes.push(SentAttribute {
            name: Found::new(
                attr,
                name,
                format!("$.spBrowserSso.attributeContract.extendedAttributes[{i}].name"),
            ),
            email: email_source(if from.is_empty() { attr } else { &from }),
            from,
        });
    }
    // "Sign response as required": the Response is signed only when the binding needs it, i.e.
    // over POST when the assertion is not signed (SAML profiles §4.1.3.5); otherwise always.
    let assertion = bool_at(sso, "/signAssertions");
    let as_required = bool_at(sso, "/signResponseAsRequired").unwrap_or(true);
    app.signing = Signing {
        response: Some(!as_required || assertion != Some(true)),
        assertion,
    };
    app.signing_source = Some(format!(
        "{name}: $.spBrowserSso.signAssertions / signResponseAsRequired"
    ));
    Ok(app)
}
