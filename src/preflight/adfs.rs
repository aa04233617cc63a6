//! AD FS: `Get-AdfsRelyingPartyTrust -Name … | ConvertTo-Json` (`Identifier[]`, `SamlEndpoints[]`,
//! `IssuanceTransformRules` in the claim rule language, `SamlResponseSignature`). The federation
//! metadata (read by `meta.rs`) gives the IdP entity ID and signing certificate.
//!
//! Claim rules: `issue(store = …, types = (…), query = ";a,b;{0}")` sends each type filled from the
//! LDAP attribute at the same position; `c:[Type == "X"] => issue(Type = "Y", …)` sends Y filled
//! from X; a `nameidentifier` issued with the `claimproperties/format` property sets the NameID
//! format. `add(…)` rules feed later rules and send nothing.

use super::detect::str_at;
use super::{Carries, EmailSource, Found, IdpApp, SentAttribute, Signing, email_source};
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;

const NAMEID: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier";
const FORMAT_PROP: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claimproperties/format";

static STORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)=>\s*issue\s*\(\s*store\s*=\s*"[^"]*"\s*,\s*types\s*=\s*\(([^)]*)\)\s*,\s*query\s*=\s*"([^"]*)""#)
        .expect("regex")
});
static MAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?s)c\d*\s*:\s*\[\s*Type\s*==\s*"([^"]+)"[^\]]*\]\s*=>\s*issue\s*\(\s*Type\s*=\s*"([^"]+)"(.*?)\)\s*;"#)
        .expect("regex")
});
static FORMAT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r#"Properties\s*\[\s*"{}"\s*\]\s*=\s*"([^"]+)""#,
        regex::escape(FORMAT_PROP)
    ))
    .expect("regex")
});
static QUOTED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#""([^"]*)""#).expect("regex"));

/// The relying party trust: the object itself, or the one element of a list.
fn trust<'a>(v: &'a Value, name: &str) -> Result<(&'a Value, String), String> {
    match v.as_array() {
        None => Ok((v, "$".into())),
        Some(list) => {
            let rps: Vec<(usize, &Value)> = list
                .iter()
                .enumerate()
                .filter(|(_, x)| x.get("SamlEndpoints").is_some() || x.get("Identifier").is_some())
                .collect();
            match rps.as_slice() {
                [(i, one)] => Ok((one, format!("$[{i}]"))),
                _ => Err(format!(
                    "{name} holds {} relying party trusts ({}); export one with Get-AdfsRelyingPartyTrust -Name …",
                    rps.len(),
                    rps.iter()
                        .filter_map(|(_, x)| x.get("Name").and_then(Value::as_str))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            }
        }
    }
}

/// A `System.Uri` as PowerShell writes it: a string (PowerShell 7) or an object (5.1).
fn uri(v: &Value) -> Option<&str> {
    v.as_str()
        .or_else(|| v.get("OriginalString").and_then(Value::as_str))
        .or_else(|| v.get("AbsoluteUri").and_then(Value::as_str))
}

pub(super) fn read(v: &Value, name: &str) -> Result<IdpApp, String> {
    let (rp, at) = trust(v, name)?;
    let label = str_at(rp, "/Name").unwrap_or("relying party trust");
    let mut app = IdpApp {
        shapes: vec![format!("AD FS relying party trust {label:?} ({name})")],
        acs_any_of: true,
        carries: Carries::APP_EXPORT,
        ..IdpApp::default()
    };
    for (i, e) in rp
        .get("SamlEndpoints")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if e.get("Protocol").and_then(Value::as_str) != Some("SAMLAssertionConsumer") {
            continue;
        }
        if let Some(u) = e.get("Location").and_then(uri) {
            app.acs_urls.push((
                "SAML Assertion Consumer endpoint".into(),
                Found::new(u, name, format!("{at}.SamlEndpoints[{i}].Location")),
            ));
        }
    }
    let ids = rp.get("Identifier");
    let ids: Vec<&Value> = match ids {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(s @ Value::String(_)) => vec![s],
        _ => vec![],
    };
    for (i, id) in ids.into_iter().enumerate() {
        if let Some(s) = id.as_str() {
            app.audiences
                .push(Found::new(s, name, format!("{at}.Identifier[{i}]")));
        }
    }
    if let Some(rules) = rp.get("IssuanceTransformRules").and_then(Value::as_str) {
        read_rules(
            rules,
            name,
            &format!("{at}.IssuanceTransformRules"),
            &mut app,
        );
    }
    match rp.get("SamlResponseSignature") {
        Some(Value::String(s)) => {
            app.signing = match s.as_str() {
                "AssertionOnly" => Signing { response: Some(false), assertion: Some(true) },
                "MessageOnly" => Signing { response: Some(true), assertion: Some(false) },
                "MessageAndAssertion" => Signing { response: Some(true), assertion: Some(true) },
                other => return Err(format!("{name}: {at}.SamlResponseSignature {other:?} is not AssertionOnly, MessageOnly or MessageAndAssertion")),
            };
            app.signing_source = Some(format!("{name}: {at}.SamlResponseSignature ({s})"));
        }
        Some(Value::Number(n)) => app.notes.push(format!(
            "{name}: {at}.SamlResponseSignature is the number {n} (Windows PowerShell writes enums as numbers); \
             the signature check is not run: re-export with `ConvertTo-Json` from PowerShell 7 with `-EnumsAsStrings`, \
             or read it with `(Get-AdfsRelyingPartyTrust -Name …).SamlResponseSignature.ToString()`"
        )),
        _ => app.carries.signature = false,
    }
    Ok(app)
}

/// Reads the issuance transform rules into sent attributes and the NameID format.
pub(super) fn read_rules(rules: &str, name: &str, at: &str, app: &mut IdpApp) {
    for c in STORE.captures_iter(rules) {
        let types: Vec<String> = QUOTED
            .captures_iter(&c[1])
            .map(|q| q[1].to_string())
            .collect();
        let attrs: Vec<&str> = c[2]
            .split(';')
            .nth(1)
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .collect();
        for (i, t) in types.iter().enumerate() {
            let from = attrs.get(i).copied().unwrap_or("?");
            push(
                app,
                t,
                &format!("LDAP {from}"),
                email_source(from),
                name,
                at,
            );
        }
    }
    for c in MAP.captures_iter(rules) {
        let (input, output, rest) = (&c[1], &c[2], &c[3]);
        if output == NAMEID {
            if let Some(q) = FORMAT.captures(rest) {
                app.name_id_format = Some(Found::new(
                    &q[1],
                    name,
                    format!("{at} (rule issuing nameidentifier from {input})"),
                ));
            }
            continue;
        }
        let known = app
            .attributes
            .iter()
            .find(|a| a.name.value == input)
            .and_then(|a| a.email);
        let email = known.or_else(|| email_source(input));
        push(app, output, &format!("claim {input}"), email, name, at);
    }
}

fn push(
    app: &mut IdpApp,
    claim: &str,
    from: &str,
    email: Option<EmailSource>,
    name: &str,
    at: &str,
) {
    if claim == NAMEID || app.attributes.iter().any(|a| a.name.value == claim) {
        return;
    }
    app.attributes.push(SentAttribute {
        name: Found::new(claim, name, format!("{at} (issues {claim})")),
        from: from.to_string(),
        email,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ldap_and_nameid_rules() {
        let rules = "@RuleTemplate = \"LdapClaims\"\r\n@RuleName = \"attrs\"\r\nc:[Type == \"http://schemas.microsoft.com/ws/2008/06/identity/claims/windowsaccountname\", Issuer == \"AD AUTHORITY\"]\r\n => issue(store = \"Active Directory\", types = (\"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress\", \"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn\"), query = \";mail,userPrincipalName;{0}\", param = c.Value);\r\n\r\n@RuleTemplate = \"MapClaims\"\r\n@RuleName = \"nameid\"\r\nc:[Type == \"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress\"]\r\n => issue(Type = \"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier\", Issuer = c.Issuer, OriginalIssuer = c.OriginalIssuer, Value = c.Value, ValueType = c.ValueType, Properties[\"http://schemas.xmlsoap.org/ws/2005/05/identity/claimproperties/format\"] = \"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\");\r\n";
        let mut app = IdpApp::default();
        read_rules(rules, "rp.json", "$.IssuanceTransformRules", &mut app);
        assert_eq!(app.attributes.len(), 2);
        assert_eq!(app.attributes[0].email, Some(EmailSource::Mail));
        assert_eq!(app.attributes[1].email, Some(EmailSource::Upn));
        assert!(app.name_id_format.unwrap().value.ends_with("emailAddress"));
    }
}
