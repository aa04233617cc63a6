//! Capture files: browser HAR 1.2 archives and SAML-tracer JSON exports.
//!
//! Every SAML message inside is decoded and labelled with where it was found (index, method, URL
//! without its query). Exporters differ (HAR `params` and `text` both present, values percent-encoded
//! or not; SAML-tracer masking POST values as `{hash:…}` but keeping the decoded `saml` field), so
//! each source of a message is tried in order of fidelity and duplicates are dropped.

use super::base64::tolerant as base64_tolerant;
use super::escape::percent_decode;
use super::form::{strip_query, url_carries_saml};
use super::message::{Binding, DecodeError, DecodedMessage, Layer, Next, Trail};
use serde_json::Value;

/// The capture step: a JSON capture → its entries' URLs, form bodies, parameters and auto-post
/// pages, each labelled with where it was found, plus the kind of capture (for the error when
/// none of them holds a message). Any other JSON is an error saying what it looks like.
pub(crate) fn capture_step(text: &str, trail: &Trail) -> Result<(Next, &'static str), DecodeError> {
    let json: Value = serde_json::from_str(text).map_err(|e| {
        DecodeError::invalid(
            "reading JSON",
            format!("line {}, column {}: {e}", e.line(), e.column()),
        )
    })?;
    if let Some(entries) = json.pointer("/log/entries").and_then(Value::as_array) {
        Ok((har_layers(entries, trail)?, "a HAR file"))
    } else if let Some(requests) = json.get("requests").and_then(Value::as_array) {
        Ok((tracer_layers(requests, trail), "a SAML-tracer export"))
    } else if let Some((fields, step)) = form_data_copy(&json) {
        Ok((form_data_layers(fields, step, trail), "a form data copy"))
    } else {
        Err(DecodeError::NotSaml(describe_json(&json)))
    }
}

/// Firefox's "Copy All" of a request's form data (`{"Form data": {"SAMLResponse": "…"}}`), or
/// the same fields as a flat JSON object: the object holding them and the step that names it.
fn form_data_copy(json: &Value) -> Option<(&serde_json::Map<String, Value>, &'static str)> {
    let holds = |o: &serde_json::Map<String, Value>| {
        ["SAMLResponse", "SAMLRequest"]
            .iter()
            .any(|n| o.get(*n).is_some_and(Value::is_string))
    };
    let obj = json.as_object()?;
    for key in ["Form data", "formData", "Request payload"] {
        if let Some(inner) = obj.get(key).and_then(Value::as_object).filter(|o| holds(o)) {
            return Some((inner, "DevTools form data copy (JSON)"));
        }
    }
    holds(obj).then_some((obj, "JSON object of form fields"))
}

fn form_data_layers(fields: &serde_json::Map<String, Value>, step: &str, trail: &Trail) -> Next {
    let relay = fields
        .get("RelayState")
        .and_then(Value::as_str)
        .map(str::to_string);
    ["SAMLResponse", "SAMLRequest"]
        .into_iter()
        .filter_map(|name| {
            let value = fields.get(name)?.as_str()?;
            let mut t = trail.with_step(format!("{step} field {name}"));
            t.binding = Binding::Post;
            t.parameter = Some(name.to_string());
            t.relay_state = relay.clone();
            Some((Layer::Value(value.to_string()), t))
        })
        .collect()
}

/// The error when a capture holds no message at all.
pub(crate) fn empty_capture(kind: &str) -> DecodeError {
    DecodeError::NotSaml(format!(
        "{kind} with no SAML message in it (no SAMLRequest/SAMLResponse in any URL, form body \
         or auto-post page)"
    ))
}

fn describe_json(json: &Value) -> String {
    if json.get("value").is_some() || json.get("@odata.context").is_some() {
        return "a Microsoft Graph JSON export (sign-in logs?); use `sso-doctor logs` for log exports".into();
    }
    if json.get("access_token").is_some() || json.get("id_token").is_some() {
        return "an OAuth/OIDC token response, not a SAML message".into();
    }
    let keys: Vec<String> = json
        .as_object()
        .map(|o| o.keys().take(5).cloned().collect())
        .unwrap_or_default();
    format!(
        "JSON that is neither a HAR file (log.entries) nor a SAML-tracer export (requests); top-level \
         keys: {}",
        if keys.is_empty() {
            "none".to_string()
        } else {
            keys.join(", ")
        }
    )
}

/// Drops messages whose XML an earlier one of the same capture already had.
pub(crate) fn dedupe(found: &mut Vec<DecodedMessage>) {
    let mut seen = std::collections::BTreeSet::new();
    found.retain(|m| seen.insert(m.xml.clone()));
}

fn str_at<'a>(v: &'a Value, path: &str) -> &'a str {
    v.pointer(path).and_then(Value::as_str).unwrap_or("")
}

/// `[{name, value}]` header or parameter lists.
fn named<'a>(list: Option<&'a Value>, name: &str) -> Option<&'a str> {
    list?.as_array()?.iter().find_map(|h| {
        let n = h.get("name")?.as_str()?;
        n.eq_ignore_ascii_case(name)
            .then(|| h.get("value")?.as_str())
            .flatten()
    })
}

/// A trail for one part of an entry: the entry's steps, its label, capture tolerance.
fn entry_trail(trail: &Trail, step: String, label: &str) -> Trail {
    let mut t = trail.with_step(step);
    t.label = Some(label.to_string());
    t.in_capture = true;
    t
}

fn has_saml_field(text: &str) -> bool {
    text.contains("SAMLRequest=") || text.contains("SAMLResponse=")
}

fn har_layers(entries: &[Value], trail: &Trail) -> Result<Next, DecodeError> {
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let method = str_at(entry, "/request/method");
        let url = str_at(entry, "/request/url");
        let label = format!("HAR entry {}: {method} {}", i + 1, strip_query(url));
        let t = entry_trail(trail, format!("HAR entry {}", i + 1), &label);
        if has_saml_field(url) {
            out.push((Layer::Url(url.to_string()), t.clone()));
        }
        if let Some(post) = entry.pointer("/request/postData") {
            har_post(post, &t, &mut out).map_err(|e| labelled_error(e, &label))?;
        }
        har_response(entry, &t, i, &mut out);
    }
    Ok(out)
}

fn labelled_error(e: DecodeError, label: &str) -> DecodeError {
    match e {
        DecodeError::Invalid { step, message } => DecodeError::Invalid {
            step: format!("{label}: {step}"),
            message,
        },
        other => other,
    }
}

fn har_post(post: &Value, trail: &Trail, out: &mut Next) -> Result<(), DecodeError> {
    let mut text = str_at(post, "/text").to_string();
    if str_at(post, "/encoding") == "base64" {
        let bytes = base64_tolerant(&text, &mut Vec::new())?;
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    if has_saml_field(&text) {
        out.push((Layer::Form(text), trail.with_step("POST body")));
        return Ok(());
    }
    // Exporters that keep only the parsed parameters.
    let params = post.get("params");
    let relay = named(params, "RelayState").map(|v| percent_decode(v, false));
    for name in ["SAMLResponse", "SAMLRequest"] {
        if let Some(value) = named(params, name) {
            let mut t = trail.with_step(format!("POST parameter {name}"));
            t.binding = Binding::Post;
            t.parameter = Some(name.to_string());
            t.relay_state = relay.clone();
            out.push((Layer::Value(value.to_string()), t));
        }
    }
    Ok(())
}

/// Messages the server sent back: a Redirect `Location`, or an auto-post HTML page.
fn har_response(entry: &Value, trail: &Trail, index: usize, out: &mut Next) {
    let location = named(entry.pointer("/response/headers"), "Location")
        .or_else(|| {
            entry
                .pointer("/response/redirectURL")
                .and_then(Value::as_str)
        })
        .unwrap_or("");
    if has_saml_field(location) {
        let label = format!(
            "HAR entry {} response: redirect to {}",
            index + 1,
            strip_query(location)
        );
        let mut t = trail.with_step("Location header");
        t.label = Some(label);
        out.push((Layer::Url(location.to_string()), t));
    }
    let mut body = str_at(entry, "/response/content/text").to_string();
    if str_at(entry, "/response/content/encoding") == "base64"
        && let Ok(bytes) = base64_tolerant(&body, &mut Vec::new())
    {
        body = String::from_utf8_lossy(&bytes).into_owned();
    }
    if body.contains("SAMLResponse") || body.contains("SAMLRequest") {
        let mut t = trail.with_step("response body");
        t.label = Some(format!("HAR entry {} response: auto-post page", index + 1));
        out.push((Layer::Html(body), t));
    }
}

/// `[[name, value], …]` pairs as SAML-tracer writes `get` and `post`.
fn pair<'a>(list: Option<&'a Value>, name: &str) -> Option<&'a str> {
    list?.as_array()?.iter().find_map(|p| {
        let p = p.as_array()?;
        (p.first()?.as_str()? == name)
            .then(|| p.get(1)?.as_str())
            .flatten()
    })
}

fn is_masked(v: &str) -> bool {
    v.starts_with("{hash:") || v.starts_with("{obf:") || v == "{overwritten}"
}

fn tracer_layers(requests: &[Value], trail: &Trail) -> Next {
    let mut out = Vec::new();
    for (i, req) in requests.iter().enumerate() {
        let method = str_at(req, "/method");
        let url = str_at(req, "/url");
        let label = format!(
            "SAML-tracer request {}: {method} {}",
            i + 1,
            strip_query(url)
        );
        let t = entry_trail(trail, format!("SAML-tracer request {}", i + 1), &label);
        out.extend(tracer_request(req, url, t));
    }
    out
}

/// The one message of a request, from its best source.
fn tracer_request(req: &Value, url: &str, trail: Trail) -> Option<(Layer, Trail)> {
    // The raw query value beats the `saml` field for Redirect messages: SAML-tracer turns
    // inflated bytes into text as Latin-1, which garbles non-ASCII names.
    if has_saml_field(url) && url_carries_saml(url) {
        let mut t = trail;
        t.first_only = true;
        return Some((Layer::Url(url.to_string()), t));
    }
    let post = req.get("post");
    let relay = pair(post, "RelayState").or_else(|| pair(req.get("get"), "RelayState"));
    let relay = relay.filter(|v| !is_masked(v)).map(str::to_string);
    for name in ["SAMLResponse", "SAMLRequest"] {
        if let Some(value) = pair(post, name).filter(|v| !is_masked(v)) {
            let mut t = trail.with_step(format!("POST parameter {name}"));
            t.binding = Binding::Post;
            t.parameter = Some(name.into());
            t.relay_state = relay;
            return Some((Layer::Value(value.to_string()), t));
        }
    }
    let saml = str_at(req, "/saml");
    if saml.trim_start().starts_with('<') {
        let mut t = trail.with_step("decoded `saml` field (POST value masked in the export)");
        t.parameter = ["SAMLResponse", "SAMLRequest"]
            .into_iter()
            .find(|n| pair(post, n).is_some())
            .map(str::to_string);
        t.relay_state = relay;
        return Some((Layer::Xml(saml.trim().to_string()), t));
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::decode;
    use crate::limits::Limits;

    const SAMPLES: &str = "../shared/reference/samples/saml";

    fn sample(name: &str) -> Option<Vec<u8>> {
        std::fs::read(format!("{SAMPLES}/{name}")).ok()
    }

    #[test]
    fn har_sample_yields_request_and_response() {
        let Some(bytes) = sample("browser-capture.har") else {
            return;
        };
        let msgs = decode::decode(&bytes, &Limits::default()).unwrap();
        assert_eq!(msgs.len(), 2, "{msgs:#?}");
        assert!(msgs[0].xml.contains("AuthnRequest"));
        assert!(
            msgs[0]
                .label
                .as_deref()
                .unwrap()
                .starts_with("HAR entry 1: GET")
        );
        assert!(msgs[1].xml.contains("samlp:Response"));
        assert_eq!(msgs[1].parameter.as_deref(), Some("SAMLResponse"));
    }

    #[test]
    fn tracer_sample_uses_decoded_field_when_masked() {
        let Some(bytes) = sample("saml-tracer-export.json") else {
            return;
        };
        let msgs = decode::decode(&bytes, &Limits::default()).unwrap();
        assert_eq!(msgs.len(), 2);
        assert!(msgs[1].steps_line().contains("decoded `saml` field"));
        assert!(msgs[1].xml.contains("Dana.Reyes@example.com"));
    }

    #[test]
    fn firefox_form_data_copy() {
        let b = crate::decode::encode::base64("<samlp:Response xmlns:samlp=\"urn:x\"/>");
        let copy = format!("{{\"Form data\":{{\"SAMLResponse\":\"{b}\",\"RelayState\":\"r\"}}}}");
        let msgs = decode::decode(copy.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(msgs[0].relay_state.as_deref(), Some("r"));
        assert_eq!(
            msgs[0].steps_line(),
            "DevTools form data copy (JSON) field SAMLResponse → base64"
        );
        let flat = format!("{{\"SAMLResponse\":\"{b}\"}}");
        assert_eq!(
            decode::decode(flat.as_bytes(), &Limits::default())
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn other_json_is_named() {
        let e = decode::decode(br#"{"value": []}"#, &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("Graph"), "{e}");
        let e = decode::decode(br#"{"log": {"entries": []}}"#, &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("HAR file with no SAML"), "{e}");
    }
}
