//! The IdP's auto-post HTML page (SAML Bindings §3.5.4): the hidden `SAMLResponse`/`SAMLRequest`
//! fields of its form become values for the base64 step, with the page's RelayState.

use super::escape::html_unescape;
use super::message::{Binding, DecodeError, Layer, Next, SAML_PARAMS, Trail};

/// Whether markup is an HTML page rather than an XML document.
pub(crate) fn looks_html(markup: &str) -> bool {
    let head = markup.trim_start();
    let head = head
        .get(..head.len().min(512))
        .unwrap_or(head)
        .to_ascii_lowercase();
    head.starts_with("<!doctype html")
        || head.contains("<html")
        || head.starts_with("<form")
        || head.starts_with("<body")
        || head.starts_with("<head")
}

/// The HTML step: an auto-post page → one value per SAML form field.
pub(crate) fn html_step(page: &str, trail: &Trail) -> Result<Next, DecodeError> {
    let fields = hidden_fields(page);
    let relay = fields
        .iter()
        .find(|(n, _)| n == "RelayState")
        .map(|(_, v)| html_unescape(v));
    let out: Next = fields
        .iter()
        .filter(|(n, _)| SAML_PARAMS.contains(&n.as_str()))
        .map(|(name, value)| {
            let mut t = trail.with_step(format!("HTML form field {name}"));
            t.binding = Binding::Post;
            t.parameter = Some(name.clone());
            t.relay_state = relay.clone();
            (Layer::Value(html_unescape(value)), t)
        })
        .collect();
    if out.is_empty() {
        let title = title(page)
            .map(|s| format!(" titled \"{s}\""))
            .unwrap_or_default();
        return Err(DecodeError::NotSaml(format!(
            "an HTML page{title} with no SAMLResponse or SAMLRequest form field (a login or \
             error page, perhaps); capture the POST to the ACS URL instead, e.g. with SAML-tracer"
        )));
    }
    Ok(out)
}

fn title(t: &str) -> Option<String> {
    let re = regex::Regex::new(r"(?is)<title[^>]*>(.*?)</title>").ok()?;
    let title = re.captures(t)?.get(1)?.as_str().trim().to_string();
    (!title.is_empty()).then(|| title.chars().take(80).collect())
}

/// `<input type="hidden" name=".." value="..">` fields of an HTML page, attribute order free.
fn hidden_fields(html: &str) -> Vec<(String, String)> {
    let Ok(tag) = regex::Regex::new(r"(?is)<input\b[^>]*>") else {
        return Vec::new();
    };
    let Ok(attr) =
        regex::Regex::new(r#"(?is)\b(name|value)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in tag.find_iter(html) {
        let (mut name, mut value) = (None, None);
        for c in attr.captures_iter(m.as_str()) {
            let v = c
                .get(2)
                .or(c.get(3))
                .or(c.get(4))
                .map_or("", |g| g.as_str())
                .to_string();
            if c[1].eq_ignore_ascii_case("name") {
                name = Some(v);
            } else {
                value = Some(v);
            }
        }
        if let (Some(n), Some(v)) = (name, value) {
            out.push((n, v));
        }
    }
    out
}
