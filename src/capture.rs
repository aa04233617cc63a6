//! Capture files: browser HAR 1.2 archives and SAML-tracer JSON exports.
//!
//! Every SAML message inside is decoded and labelled with where it was found (index, method, URL
//! without its query). Exporters differ (HAR `params` and `text` both present, values percent-encoded
//! or not; SAML-tracer masking POST values as `{hash:…}` but keeping the decoded `saml` field), so
//! each source of a message is tried in order of fidelity and duplicates are dropped.

use crate::decode::{self, Binding, DecodeError, DecodedMessage};
use crate::limits::Limits;
use serde_json::Value;

/// Decodes a JSON capture; any other JSON is an error saying what it looks like.
pub fn decode_capture(
    text: &str,
    limits: &Limits,
    steps: &[String],
) -> Result<Vec<DecodedMessage>, DecodeError> {
    let json: Value = serde_json::from_str(text).map_err(|e| DecodeError::Invalid {
        step: "reading JSON".into(),
        message: format!("line {}, column {}: {e}", e.line(), e.column()),
    })?;
    let mut found = if let Some(entries) = json.pointer("/log/entries").and_then(Value::as_array) {
        har_messages(entries, limits, steps)?
    } else if let Some(requests) = json.get("requests").and_then(Value::as_array) {
        tracer_messages(requests, limits, steps)?
    } else {
        return Err(DecodeError::NotSaml(describe_json(&json)));
    };
    dedupe(&mut found);
    if found.is_empty() {
        let kind = if json.get("log").is_some() {
            "a HAR file"
        } else {
            "a SAML-tracer export"
        };
        return Err(DecodeError::NotSaml(format!(
            "{kind} with no SAML message in it (no SAMLRequest/SAMLResponse in any URL, form body \
             or auto-post page)"
        )));
    }
    Ok(found)
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

fn dedupe(found: &mut Vec<DecodedMessage>) {
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

fn with_label(
    result: Result<Vec<DecodedMessage>, DecodeError>,
    label: &str,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    match result {
        Ok(mut msgs) => {
            for m in &mut msgs {
                m.label = Some(label.to_string());
            }
            Ok(msgs)
        }
        Err(DecodeError::NotSaml(_)) => Ok(Vec::new()),
        Err(e) => Err(labelled_error(e, label)),
    }
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

fn har_messages(
    entries: &[Value],
    limits: &Limits,
    steps: &[String],
) -> Result<Vec<DecodedMessage>, DecodeError> {
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let method = str_at(entry, "/request/method");
        let url = str_at(entry, "/request/url");
        let label = format!("HAR entry {}: {method} {}", i + 1, decode::strip_query(url));
        let mut s = steps.to_vec();
        s.push(format!("HAR entry {}", i + 1));
        if url.contains("SAMLRequest=") || url.contains("SAMLResponse=") {
            out.extend(with_label(
                decode::decode_url(url, limits, s.clone(), Some(label.clone())),
                &label,
            )?);
        }
        if let Some(post) = entry.pointer("/request/postData") {
            out.extend(with_label(har_post(post, limits, &s), &label)?);
        }
        out.extend(har_response(entry, limits, &s, i)?);
        decode::check_total(&out, limits)?;
    }
    Ok(out)
}

fn har_post(
    post: &Value,
    limits: &Limits,
    steps: &[String],
) -> Result<Vec<DecodedMessage>, DecodeError> {
    let mut text = str_at(post, "/text").to_string();
    if str_at(post, "/encoding") == "base64" {
        let mut s = Vec::new();
        let bytes = decode::base64_tolerant(&text, &mut s)?;
        text = String::from_utf8_lossy(&bytes).into_owned();
    }
    if text.contains("SAMLResponse=") || text.contains("SAMLRequest=") {
        let mut s = steps.to_vec();
        s.push("POST body".into());
        return decode::decode_form(&text, limits, s, None);
    }
    // Exporters that keep only the parsed parameters.
    let params = post.get("params");
    let relay = named(params, "RelayState").map(|v| decode::percent_decode(v, false));
    let mut out = Vec::new();
    for name in ["SAMLResponse", "SAMLRequest"] {
        if let Some(value) = named(params, name) {
            let mut s = steps.to_vec();
            s.push(format!("POST parameter {name}"));
            let mut m = decode::decode_value(value, limits, s, Binding::Post)?;
            m.parameter = Some(name.to_string());
            m.relay_state = relay.clone();
            out.push(m);
        }
    }
    Ok(out)
}

/// Messages the server sent back: a Redirect `Location`, or an auto-post HTML page.
fn har_response(
    entry: &Value,
    limits: &Limits,
    steps: &[String],
    index: usize,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    let mut out = Vec::new();
    let location = named(entry.pointer("/response/headers"), "Location")
        .or_else(|| {
            entry
                .pointer("/response/redirectURL")
                .and_then(Value::as_str)
        })
        .unwrap_or("");
    if location.contains("SAMLRequest=") || location.contains("SAMLResponse=") {
        let label = format!(
            "HAR entry {} response: redirect to {}",
            index + 1,
            decode::strip_query(location)
        );
        let mut s = steps.to_vec();
        s.push("Location header".into());
        out.extend(with_label(
            decode::decode_url(location, limits, s, None),
            &label,
        )?);
    }
    let mut body = str_at(entry, "/response/content/text").to_string();
    if str_at(entry, "/response/content/encoding") == "base64" {
        let mut s = Vec::new();
        if let Ok(bytes) = decode::base64_tolerant(&body, &mut s) {
            body = String::from_utf8_lossy(&bytes).into_owned();
        }
    }
    if body.contains("SAMLResponse") || body.contains("SAMLRequest") {
        let label = format!("HAR entry {} response: auto-post page", index + 1);
        let mut s = steps.to_vec();
        s.push("response body".into());
        let fields = decode::html_hidden_fields(&body);
        let relay = fields
            .iter()
            .find(|(n, _)| n == "RelayState")
            .map(|(_, v)| decode::html_unescape(v));
        for (name, value) in fields
            .iter()
            .filter(|(n, _)| n == "SAMLResponse" || n == "SAMLRequest")
        {
            let mut s2 = s.clone();
            s2.push(format!("HTML form field {name}"));
            let mut m =
                decode::decode_value(&decode::html_unescape(value), limits, s2, Binding::Post)
                    .map_err(|e| labelled_error(e, &label))?;
            m.label = Some(label.clone());
            m.parameter = Some(name.clone());
            m.relay_state = relay.clone();
            out.push(m);
        }
    }
    Ok(out)
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

fn tracer_messages(
    requests: &[Value],
    limits: &Limits,
    steps: &[String],
) -> Result<Vec<DecodedMessage>, DecodeError> {
    let mut out = Vec::new();
    for (i, req) in requests.iter().enumerate() {
        let method = str_at(req, "/method");
        let url = str_at(req, "/url");
        let label = format!(
            "SAML-tracer request {}: {method} {}",
            i + 1,
            decode::strip_query(url)
        );
        let mut s = steps.to_vec();
        s.push(format!("SAML-tracer request {}", i + 1));
        if let Some(m) = tracer_request(req, url, limits, &s, &label)? {
            out.push(m);
            decode::check_total(&out, limits)?;
        }
    }
    Ok(out)
}

fn tracer_request(
    req: &Value,
    url: &str,
    limits: &Limits,
    steps: &[String],
    label: &str,
) -> Result<Option<DecodedMessage>, DecodeError> {
    // The raw query value beats the `saml` field for Redirect messages: SAML-tracer turns
    // inflated bytes into text as Latin-1, which garbles non-ASCII names.
    if url.contains("SAMLRequest=") || url.contains("SAMLResponse=") {
        let msgs = with_label(
            decode::decode_url(url, limits, steps.to_vec(), Some(label.into())),
            label,
        )?;
        if let Some(m) = msgs.into_iter().next() {
            return Ok(Some(m));
        }
    }
    let post = req.get("post");
    let relay = pair(post, "RelayState").or_else(|| pair(req.get("get"), "RelayState"));
    let relay = relay.filter(|v| !is_masked(v)).map(str::to_string);
    for name in ["SAMLResponse", "SAMLRequest"] {
        if let Some(value) = pair(post, name).filter(|v| !is_masked(v)) {
            let mut s = steps.to_vec();
            s.push(format!("POST parameter {name}"));
            let mut m = decode::decode_value(value, limits, s, Binding::Post)
                .map_err(|e| labelled_error(e, label))?;
            m.label = Some(label.into());
            m.parameter = Some(name.into());
            m.relay_state = relay;
            return Ok(Some(m));
        }
    }
    let saml = str_at(req, "/saml");
    if saml.trim_start().starts_with('<') {
        let mut s = steps.to_vec();
        s.push("decoded `saml` field (POST value masked in the export)".into());
        let mut m = DecodedMessage::xml(saml.trim().to_string(), s);
        m.label = Some(label.into());
        m.parameter = ["SAMLResponse", "SAMLRequest"]
            .into_iter()
            .find(|n| pair(post, n).is_some())
            .map(str::to_string);
        m.relay_state = relay;
        return Ok(Some(m));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn other_json_is_named() {
        let e = decode::decode(br#"{"value": []}"#, &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("Graph"), "{e}");
        let e = decode::decode(br#"{"log": {"entries": []}}"#, &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("HAR file with no SAML"), "{e}");
    }
}
