//! `terraform show -json` state (or plan) holding an `okta_app_saml` resource, in the root module
//! or any child module: `sso_url`, `recipient`, `destination`, `audience`,
//! `subject_name_id_format`, `attribute_statements`, `response_signed`, `assertion_signed`,
//! `certificate` (the app's active signing certificate, base64 DER) and `entity_url` (the IdP
//! entity ID), as the Okta provider documents them.

use super::detect::{bool_at, str_at};
use super::{Carries, Found, IdpApp, IdpCert, Signing};
use serde_json::Value;

/// Every resource of `kind` in a module tree, with its JSON pointer.
fn resources<'a>(module: &'a Value, at: String, kind: &str, out: &mut Vec<(String, &'a Value)>) {
    if let Some(list) = module.get("resources").and_then(Value::as_array) {
        for (i, r) in list.iter().enumerate() {
            if r.get("type").and_then(Value::as_str) == Some(kind) {
                out.push((format!("{at}/resources/{i}"), r));
            }
        }
    }
    if let Some(children) = module.get("child_modules").and_then(Value::as_array) {
        for (i, c) in children.iter().enumerate() {
            resources(c, format!("{at}/child_modules/{i}"), kind, out);
        }
    }
}

pub(super) fn read(v: &Value, name: &str) -> Result<IdpApp, String> {
    let root = v
        .pointer("/values/root_module")
        .or_else(|| v.pointer("/planned_values/root_module"))
        .ok_or_else(|| format!("{name}: terraform JSON without values.root_module"))?;
    let top = if v.pointer("/values/root_module").is_some() {
        "/values/root_module"
    } else {
        "/planned_values/root_module"
    };
    let mut found = Vec::new();
    resources(root, top.to_string(), "okta_app_saml", &mut found);
    let (ptr, res) = match found.as_slice() {
        [one] => one.clone(),
        [] => {
            return Err(format!(
                "{name}: terraform state has no okta_app_saml resource (only Okta SAML apps are read from Terraform)"
            ));
        }
        many => {
            let names: Vec<&str> = many
                .iter()
                .filter_map(|(_, r)| r.get("address").and_then(Value::as_str))
                .collect();
            return Err(format!(
                "{name}: terraform state has {} okta_app_saml resources ({}); export one, e.g. \
                 `terraform show -json | jq '.values.root_module.resources |= map(select(.address == \"…\"))'`",
                many.len(),
                names.join(", ")
            ));
        }
    };
    let address = res
        .get("address")
        .and_then(Value::as_str)
        .unwrap_or("okta_app_saml");
    let vals = res
        .get("values")
        .ok_or_else(|| format!("{name}: {address} has no values"))?;
    let _ = ptr;
    let at = |k: &str| format!("{address}.{k}");
    let mut app = IdpApp {
        shapes: vec![format!("terraform okta_app_saml {address} ({name})")],
        carries: Carries {
            acs_url: true,
            audience: true,
            attributes: true,
            name_id_format: true,
            entity_id: true,
            certificates: true,
            signature: true,
        },
        ..IdpApp::default()
    };
    for (k, label) in [
        ("sso_url", "sso_url"),
        ("recipient", "recipient"),
        ("destination", "destination"),
    ] {
        if let Some(u) = str_at(vals, &format!("/{k}")) {
            app.acs_urls
                .push((label.to_string(), Found::new(u, name, at(k))));
        }
    }
    if let Some(a) = str_at(vals, "/audience") {
        app.audiences.push(Found::new(a, name, at("audience")));
    }
    app.name_id_format = str_at(vals, "/subject_name_id_format")
        .map(|f| Found::new(f, name, at("subject_name_id_format")));
    app.entity_id = str_at(vals, "/entity_url").map(|e| Found::new(e, name, at("entity_url")));
    if let Some(c) = str_at(vals, "/certificate") {
        app.certificates.push(IdpCert {
            der_b64: c.split_whitespace().collect(),
            source: format!("{name}: {}", at("certificate")),
            active: true,
            sha1_hex: None,
            not_after: None,
        });
        app.active_named = true;
    }
    let mut tmp = IdpApp::default();
    super::okta::read_statements(vals, name, "/attribute_statements", &mut tmp);
    for mut a in tmp.attributes {
        a.name.source = a.name.source.replacen(": $", &format!(": {address}"), 1);
        app.attributes.push(a);
    }
    app.signing = Signing {
        response: bool_at(vals, "/response_signed"),
        assertion: bool_at(vals, "/assertion_signed"),
    };
    app.signing_source = Some(format!(
        "{name}: {} / assertion_signed",
        at("response_signed")
    ));
    Ok(app)
}
