//! Recognises an IdP export by its content (never its file name) and hands it to its reader.

use super::IdpApp;
use crate::limits::Limits;
use serde_json::Value;

/// Bytes to text: UTF-8 (BOM or not) or UTF-16 with a BOM (Windows PowerShell 5.1 writes
/// UTF-16LE with BOM for `> file` and `Out-File`).
pub(super) fn text(bytes: &[u8], name: &str) -> Result<String, String> {
    let utf16 = |le: bool, rest: &[u8]| -> Result<String, String> {
        if !rest.len().is_multiple_of(2) {
            return Err(format!(
                "{name}: UTF-16 text with an odd number of bytes (truncated?)"
            ));
        }
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units).map_err(|_| format!("{name}: invalid UTF-16 text"))
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(true, rest),
        [0xFE, 0xFF, rest @ ..] => utf16(false, rest),
        [0xEF, 0xBB, 0xBF, rest @ ..] => std::str::from_utf8(rest)
            .map(str::to_string)
            .map_err(|e| format!("{name}: not UTF-8 at byte {}", e.valid_up_to() + 3)),
        _ => std::str::from_utf8(bytes).map(str::to_string).map_err(|e| {
            format!(
                "{name}: not UTF-8 at byte {} (save the export as UTF-8 or UTF-16 with a BOM)",
                e.valid_up_to()
            )
        }),
    }
}

/// Reads one IdP input of any supported shape.
pub(super) fn read(text: &str, name: &str, limits: &Limits) -> Result<IdpApp, String> {
    let t = text.trim_start();
    if t.starts_with('<') {
        return super::meta::read(text, name, limits);
    }
    if !(t.starts_with('{') || t.starts_with('[')) {
        return Err(format!(
            "{name} is neither JSON nor XML; expected an IdP export (Okta Apps API, terraform show -json, \
             Microsoft Graph application/servicePrincipal, Get-AdfsRelyingPartyTrust | ConvertTo-Json, \
             Keycloak client export, PingFederate spConnection) or SAML metadata"
        ));
    }
    let v: Value = serde_json::from_str(t).map_err(|e| {
        format!(
            "{name} is not valid JSON: {e} (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let has = |k: &str| v.get(k).is_some();
    if has("signOnMode") || v.pointer("/settings/signOn").is_some() {
        return super::okta::read(&v, name);
    }
    if has("format_version") && (has("values") || has("planned_values")) {
        return super::terraform::read(&v, name);
    }
    if has("application")
        || has("servicePrincipal")
        || has("identifierUris")
        || has("servicePrincipalType")
        || has("appId")
    {
        return super::entra::read(&v, name);
    }
    if has("spBrowserSso") {
        return super::ping::read(&v, name);
    }
    if has("clientId") || has("clients") {
        return super::keycloak::read(&v, name);
    }
    let adfs = |x: &Value| {
        x.get("SamlEndpoints").is_some()
            || x.get("IssuanceTransformRules").is_some()
            || x.get("Identifier").is_some()
    };
    if adfs(&v) || v.as_array().is_some_and(|a| a.iter().any(adfs)) {
        return super::adfs::read(&v, name);
    }
    Err(format!(
        "{name}: JSON of an unknown shape (top-level keys: {}); expected an Okta app, terraform show -json, \
         Microsoft Graph application/servicePrincipal, AD FS relying party trust, Keycloak client or \
         PingFederate spConnection export",
        v.as_object()
            .map(|o| o.keys().take(8).cloned().collect::<Vec<_>>().join(", "))
            .unwrap_or_else(|| "none: a list".into())
    ))
}

/// A string at a JSON pointer, trimmed, non-empty.
pub(super) fn str_at<'a>(v: &'a Value, pointer: &str) -> Option<&'a str> {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A boolean at a JSON pointer; also `"true"`/`"false"` strings (Keycloak writes those).
pub(super) fn bool_at(v: &Value, pointer: &str) -> Option<bool> {
    match v.pointer(pointer)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// JSON pointer → `$.a.b[0]` for evidence.
pub(super) fn jpath(pointer: &str) -> String {
    let mut out = String::from("$");
    for seg in pointer.split('/').skip(1) {
        if seg.chars().all(|c| c.is_ascii_digit()) && !seg.is_empty() {
            out.push_str(&format!("[{seg}]"));
        } else {
            out.push('.');
            out.push_str(seg);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "{\"a\":1}".encode_utf16() {
            b.extend(u.to_le_bytes());
        }
        assert_eq!(text(&b, "x").unwrap(), "{\"a\":1}");
        assert!(text(&[0xFF, 0xFE, 0x41], "x").unwrap_err().contains("odd"));
    }

    #[test]
    fn paths_and_unknown_shapes() {
        assert_eq!(
            jpath("/settings/signOn/attributeStatements/0/name"),
            "$.settings.signOn.attributeStatements[0].name"
        );
        let e = read("{\"hello\":1}", "x.json", &Limits::default()).unwrap_err();
        assert!(e.contains("unknown shape") && e.contains("hello"), "{e}");
        let e = read("name,value", "x.csv", &Limits::default()).unwrap_err();
        assert!(e.contains("neither JSON nor XML"), "{e}");
    }
}
