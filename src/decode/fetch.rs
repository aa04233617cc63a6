//! DevTools' "Copy as fetch" (Chrome and Firefox, also "Copy as Node.js fetch"):
//! `fetch("https://…", { …, "body": "SAMLResponse=…", "method": "POST" })`. Both strings are
//! JSON string literals, read with `serde_json`. The body goes to the form step, or the URL to the
//! URL step when the body holds no SAML field.

use super::form::url_carries_saml;
use super::message::{DecodeError, Layer, Next, Trail};

/// Whether the text is a fetch call.
pub(crate) fn is_fetch(text: &str) -> bool {
    let t = text.trim_start();
    let t = t.strip_prefix("await").map_or(t, str::trim_start);
    t.starts_with("fetch(")
}

/// The JSON string literal at the start of `s` (after whitespace), if there is one.
fn string_at(s: &str) -> Option<String> {
    let s = s.trim_start();
    if !s.starts_with('"') {
        return None;
    }
    serde_json::Deserializer::from_str(s)
        .into_iter::<String>()
        .next()?
        .ok()
}

/// The fetch step: the body (or URL) of a copied fetch call.
pub(crate) fn fetch_step(text: &str, trail: &Trail) -> Result<Next, DecodeError> {
    let at = text.find("fetch(").map_or(0, |i| i + "fetch(".len());
    let url = string_at(&text[at..]);
    let body = text
        .find("\"body\"")
        .and_then(|i| text[i + 6..].trim_start().strip_prefix(':'))
        .and_then(string_at);
    if let Some(b) = body.filter(|b| b.contains("SAMLResponse=") || b.contains("SAMLRequest=")) {
        return Ok(vec![(Layer::Form(b), trail.with_step("fetch() call body"))]);
    }
    match url {
        Some(u) if url_carries_saml(&u) => {
            Ok(vec![(Layer::Url(u), trail.with_step("fetch() call URL"))])
        }
        _ => Err(DecodeError::NotSaml(
            "a fetch() call whose URL and body carry no SAMLRequest or SAMLResponse; copy the \
             POST to the ACS URL (or the redirect to the IdP) instead"
                .into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chrome_and_firefox_shapes() {
        let chrome = "fetch(\"https://a.test/acs\", {\n  \"headers\": {\"content-type\": \"application/x-www-form-urlencoded\"},\n  \"body\": \"SAMLResponse=PHN%2B\\u0041&RelayState=r\\\"1\",\n  \"method\": \"POST\"\n});";
        assert!(is_fetch(chrome));
        let next = fetch_step(chrome, &Trail::default()).unwrap();
        let (Layer::Form(b), t) = &next[0] else {
            panic!()
        };
        assert_eq!(b, "SAMLResponse=PHN%2BA&RelayState=r\"1");
        assert_eq!(t.steps, ["fetch() call body"]);
        let firefox = "await fetch(\"https://i.test/sso?SAMLRequest=abc\", {\n    \"credentials\": \"include\",\n    \"method\": \"GET\",\n    \"mode\": \"cors\"\n});";
        assert!(is_fetch(firefox));
        let next = fetch_step(firefox, &Trail::default()).unwrap();
        assert!(matches!(&next[0].0, Layer::Url(u) if u.ends_with("SAMLRequest=abc")));
        assert!(fetch_step("fetch(\"https://a.test/\")", &Trail::default()).is_err());
    }
}
