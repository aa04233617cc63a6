//! URLs and form bodies: `https://idp/sso?SAMLRequest=…&RelayState=…&SigAlg=…` (HTTP-Redirect,
//! SAML Bindings §3.4.4) and `SAMLResponse=…&RelayState=…` (an HTTP-POST body, §3.5.4). Each
//! SAML field becomes a value for the base64 step, with its RelayState and SigAlg.

use super::escape::percent_decode;
use super::message::{ARTIFACT, Binding, DecodeError, Layer, Next, SAML_PARAMS, Trail};

/// Whether a query string has a parameter named exactly `name`.
pub(crate) fn query_has(query: &str, name: &str) -> bool {
    query.split('&').any(|p| p.split('=').next() == Some(name))
}

/// The query of a URL, without its fragment.
fn query_of(url: &str) -> &str {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    query.split('#').next().unwrap_or("")
}

/// Whether a URL's query carries a SAML message (SAMLRequest or SAMLResponse).
pub(crate) fn url_carries_saml(url: &str) -> bool {
    let query = query_of(url);
    SAML_PARAMS.iter().any(|p| query_has(query, p))
}

/// The URL without its query string, for labels.
pub fn strip_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// The URL step: a URL whose query carries SAMLRequest/SAMLResponse → its query, as a form.
pub(crate) fn url_step(url: &str, trail: &Trail) -> Result<Next, DecodeError> {
    let query = query_of(url);
    if !url_carries_saml(url) {
        let what = if query_has(query, "SAMLart") {
            ARTIFACT.to_string()
        } else if query_has(query, "code") || query_has(query, "id_token") {
            "an OAuth/OIDC redirect URL (it carries `code` or `id_token`), not a SAML message"
                .into()
        } else {
            format!(
                "a URL without a SAMLRequest or SAMLResponse parameter ({})",
                strip_query(url)
            )
        };
        return Err(DecodeError::NotSaml(what));
    }
    let mut next = trail.with_step("query string");
    next.binding = Binding::Redirect;
    Ok(vec![(Layer::Form(query.to_string()), next)])
}

/// `a=b&c=d` pairs with values still percent-encoded.
fn raw_pairs(body: &str) -> Vec<(String, &str)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k.trim(), true), v.trim())
        })
        .collect()
}

/// The form step: a form body or query string → one value per SAML field.
pub(crate) fn form_step(body: &str, trail: &Trail) -> Result<Next, DecodeError> {
    let pairs = raw_pairs(body);
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| percent_decode(v, true))
    };
    let relay = get("RelayState");
    let sig_alg = get("SigAlg");
    let binding = if sig_alg.is_some() || trail.binding == Binding::Redirect {
        Binding::Redirect
    } else {
        Binding::Unknown
    };
    let mut out = Vec::new();
    for (name, value) in pairs
        .iter()
        .filter(|(k, _)| SAML_PARAMS.contains(&k.as_str()))
    {
        let mut t = trail.with_step(format!("field {name}"));
        t.binding = binding;
        t.parameter = Some(name.clone());
        t.relay_state = relay.clone();
        t.sig_alg = sig_alg.clone();
        out.push((Layer::Value(value.to_string()), t));
        if trail.first_only {
            break;
        }
    }
    if out.is_empty() {
        return Err(DecodeError::NotSaml(
            "form data without a SAMLRequest or SAMLResponse field".into(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_and_form_fields() {
        let next = url_step(
            "https://i.test/s?SAMLRequest=abc&SigAlg=x%3Ay#f",
            &Trail::default(),
        );
        let (Layer::Form(q), t) = &next.unwrap()[0] else {
            panic!("not a form")
        };
        assert_eq!(q, "SAMLRequest=abc&SigAlg=x%3Ay");
        let fields = form_step(q, t).unwrap();
        let (Layer::Value(v), t) = &fields[0] else {
            panic!("not a value")
        };
        assert_eq!((v.as_str(), t.sig_alg.as_deref()), ("abc", Some("x:y")));
        assert_eq!(t.binding, Binding::Redirect);
        assert_eq!(t.steps, ["query string", "field SAMLRequest"]);
    }

    #[test]
    fn non_saml_urls_and_forms_are_named() {
        let e = url_step("https://a.test/cb?code=1", &Trail::default()).unwrap_err();
        assert!(e.to_string().contains("OAuth"), "{e}");
        let e = form_step("a=1&b=2", &Trail::default()).unwrap_err();
        assert!(e.to_string().contains("form data without"), "{e}");
        assert_eq!(strip_query("https://a.test/x?y#z"), "https://a.test/x");
    }
}
