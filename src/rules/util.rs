//! Comparisons shared by several rules: why two URLs or identifiers that should be equal are not,
//! and what looks like an email address or an email attribute name.

/// A URL split into the parts whose near-misses matter.
#[derive(Debug, Clone, PartialEq, Eq)]
struct UrlParts {
    scheme: String,
    host: String,
    port: Option<String>,
    path: String,
    query: Option<String>,
}

fn split_url(url: &str) -> Option<UrlParts> {
    let (scheme, rest) = url.split_once("://")?;
    let (authority, rest) = match rest.find(['/', '?', '#']) {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() => {
            (h, Some(p.to_string()))
        }
        _ => (authority, None),
    };
    let rest = rest.split('#').next().unwrap_or("");
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (rest, None),
    };
    Some(UrlParts {
        scheme: scheme.to_string(),
        host: host.to_string(),
        port,
        path: path.to_string(),
        query,
    })
}

fn default_port(scheme: &str) -> &'static str {
    if scheme.eq_ignore_ascii_case("http") {
        "80"
    } else {
        "443"
    }
}

/// Explains, in plain words, how `actual` differs from `expected`. Empty when they are equal.
/// The comparison itself stays exact; this only says why an exact match failed.
pub fn url_differences(expected: &str, actual: &str) -> Vec<String> {
    if expected == actual {
        return Vec::new();
    }
    let mut out = Vec::new();
    if expected.trim() != expected || actual.trim() != actual {
        out.push("one value has leading or trailing whitespace".to_string());
        if expected.trim() == actual.trim() {
            return out;
        }
    }
    let (Some(e), Some(a)) = (split_url(expected.trim()), split_url(actual.trim())) else {
        out.push("the values differ (at least one is not a URL)".to_string());
        return out;
    };
    if !e.scheme.eq_ignore_ascii_case(&a.scheme) {
        out.push(format!(
            "scheme differs: {} instead of {}",
            a.scheme, e.scheme
        ));
    } else if e.scheme != a.scheme {
        out.push("scheme differs only in letter case".to_string());
    }
    if e.host.eq_ignore_ascii_case(&a.host) {
        if e.host != a.host {
            out.push(format!(
                "host differs only in letter case ({} vs {})",
                a.host, e.host
            ));
        }
    } else {
        out.push(host_difference(&e.host, &a.host));
    }
    let (ep, ap) = (
        e.port
            .clone()
            .unwrap_or_else(|| default_port(&e.scheme).into()),
        a.port
            .clone()
            .unwrap_or_else(|| default_port(&a.scheme).into()),
    );
    if ep != ap {
        out.push(format!("port differs: {ap} instead of {ep}"));
    } else if e.port != a.port {
        out.push(format!(
            "one URL spells out the default port :{ep}, the other does not"
        ));
    }
    out.extend(path_difference(&e.path, &a.path));
    match (&e.query, &a.query) {
        (None, Some(q)) => out.push(format!("a query string ?{q} was added")),
        (Some(q), None) => out.push(format!("the query string ?{q} is missing")),
        (Some(x), Some(y)) if x != y => {
            out.push(format!("query string differs: ?{y} instead of ?{x}"))
        }
        _ => {}
    }
    if out.is_empty() {
        out.push("the values differ".to_string());
    }
    out
}

fn host_difference(expected: &str, actual: &str) -> String {
    // `.kinde.test` is the reserved-domain stand-in for `.kinde.com` in fixtures and samples.
    let kinde = |h: &str| {
        let h = h.to_ascii_lowercase();
        h.ends_with(".kinde.com") || h.ends_with(".kinde.test")
    };
    if kinde(expected) != kinde(actual) {
        let (custom, kinde_host) = if kinde(expected) {
            (actual, expected)
        } else {
            (expected, actual)
        };
        return format!(
            "different host: {actual} instead of {expected} (a custom domain, {custom}, versus the \
             Kinde domain {kinde_host}: the IdP and Kinde must use the same one)"
        );
    }
    format!("different host: {actual} instead of {expected}")
}

fn path_difference(expected: &str, actual: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (e, a) = (expected.trim_end_matches('/'), actual.trim_end_matches('/'));
    if e == a {
        if expected != actual {
            out.push(if actual.ends_with('/') {
                "trailing slash added".to_string()
            } else {
                "trailing slash missing".to_string()
            });
        }
        return out;
    }
    if e.eq_ignore_ascii_case(a) {
        out.push(format!(
            "path differs only in letter case ({actual} vs {expected})"
        ));
    } else if a.ends_with("/login/callback") && e.ends_with("/login/saml/callback") {
        out.push(format!(
            "path {actual} is Kinde's OAuth/social callback, not the SAML ACS path {expected}"
        ));
    } else {
        out.push(format!(
            "path differs: {} instead of {}",
            show_path(actual),
            show_path(expected)
        ));
    }
    out
}

fn show_path(p: &str) -> &str {
    if p.is_empty() { "(none)" } else { p }
}

/// Explains how two entity IDs differ (trailing slash, `spn:` prefix, case, scheme, whitespace).
pub fn entity_id_differences(expected: &str, actual: &str) -> Vec<String> {
    if expected == actual {
        return Vec::new();
    }
    let mut out = Vec::new();
    if expected.trim() != expected || actual.trim() != actual {
        out.push("one value has leading or trailing whitespace".to_string());
    }
    let (e, a) = (expected.trim(), actual.trim());
    if let Some(rest) = a.strip_prefix("spn:")
        && (rest == e || rest.eq_ignore_ascii_case(e))
    {
        out.push("the received value has an `spn:` prefix (older Entra apps); Kinde's Entity ID must then include it too, or remove it from the Entra Identifier".to_string());
        return out;
    }
    if let Some(rest) = e.strip_prefix("spn:")
        && rest == a
    {
        out.push("the configured value has an `spn:` prefix the IdP does not send".to_string());
        return out;
    }
    if e.contains("://") && a.contains("://") {
        out.extend(
            url_differences(e, a)
                .into_iter()
                .filter(|d| !d.contains("whitespace")),
        );
    } else if e.eq_ignore_ascii_case(a) {
        out.push(
            "the values differ only in letter case (entity IDs are compared exactly)".to_string(),
        );
    } else if e.trim_end_matches('/') == a.trim_end_matches('/') {
        out.push("trailing slash differs".to_string());
    } else if e.contains("://") != a.contains("://") {
        out.push(
            "one is a URL and the other a plain string: they are different identifiers".to_string(),
        );
    }
    if out.is_empty() {
        out.push("the values differ".to_string());
    }
    out
}

// The email and UPN heuristics have one definition, in `identity` (shared with the simulator).
pub use crate::identity::{is_email_attribute_name, is_upn_attribute_name, looks_like_email};

/// Plain words for a SAML status code URI (top level or second level).
pub fn status_meaning(uri: &str) -> &'static str {
    let suffix = uri.trim().rsplit(':').next().unwrap_or("");
    match suffix {
        "Success" => "it worked",
        "Requester" => {
            "the request was wrong or refused because of the SP (Kinde's side of the setup)"
        }
        "Responder" => "the IdP failed or refused on its side",
        "VersionMismatch" => "the IdP cannot handle the request's SAML version",
        "AuthnFailed" => "the IdP could not authenticate the user",
        "InvalidAttrNameOrValue" => "an attribute in the request was malformed",
        "InvalidNameIDPolicy" => "the IdP can't or won't issue the requested Name ID format",
        "NoAuthnContext" => "the requested authentication context (e.g. MFA class) can't be met",
        "NoAvailableIDP" => "no identity provider behind the proxy is available",
        "NoPassive" => "passive sign-in was asked for but the user must interact",
        "NoSupportedIDP" => "no identity provider behind the proxy is supported",
        "PartialLogout" => "logout did not reach every session",
        "ProxyCountExceeded" => "the IdP would have to proxy but may not",
        "RequestDenied" => "the IdP could process the request but chose not to (policy)",
        "RequestUnsupported" => "the IdP doesn't support this kind of request",
        "RequestVersionDeprecated" => "the IdP no longer serves this protocol version",
        "RequestVersionTooHigh" => "the request's SAML version is too new for the IdP",
        "RequestVersionTooLow" => "the request's SAML version is too old for the IdP",
        "ResourceNotRecognized" => "the resource named in the request is unknown",
        "TooManyResponses" => "the answer would be too large",
        "UnknownAttrProfile" => "an attribute profile is unknown to the IdP",
        "UnknownPrincipal" => "the IdP does not know this user (not assigned or not provisioned?)",
        "UnsupportedBinding" => "the IdP can't answer over the requested binding",
        _ => "a status code outside the SAML 2.0 list",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACS: &str = "https://acme.kinde.com/login/saml/callback";

    #[test]
    fn url_near_misses() {
        let d = |a: &str| url_differences(ACS, a).join("; ");
        assert!(d("https://acme.kinde.com/login/saml/callback/").contains("trailing slash added"));
        assert!(d("http://acme.kinde.com/login/saml/callback").contains("scheme differs: http"));
        assert!(
            d("https://ACME.kinde.com/login/saml/callback")
                .contains("host differs only in letter case")
        );
        assert!(d("https://acme.kinde.com:443/login/saml/callback").contains("default port"));
        assert!(
            d("https://acme.kinde.com/login/SAML/callback")
                .contains("path differs only in letter case")
        );
        assert!(
            d("https://acme.kinde.com/login/saml/callback?x=1")
                .contains("query string ?x=1 was added")
        );
        assert!(d("https://auth.acme.test/login/saml/callback").contains("custom domain"));
        assert!(d("https://acme.kinde.com/login/callback").contains("OAuth/social callback"));
        assert!(url_differences(ACS, ACS).is_empty());
    }

    #[test]
    fn entity_id_near_misses() {
        assert!(entity_id_differences("abc", "spn:abc")[0].contains("spn:"));
        assert!(
            entity_id_differences("https://a.test", "https://a.test/")[0]
                .contains("trailing slash")
        );
        assert!(entity_id_differences("AbC", "abc")[0].contains("letter case"));
    }

    #[test]
    fn email_shapes() {
        assert!(looks_like_email("dana@example.com"));
        assert!(!looks_like_email("dana@localhost"));
        assert!(!looks_like_email("dana example@example.com"));
        assert!(!looks_like_email("DOMAIN\\dana"));
        assert!(is_email_attribute_name(
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
        ));
        assert!(is_email_attribute_name("urn:oid:0.9.2342.19200300.100.1.3"));
        assert!(is_email_attribute_name("emailAddress"));
        assert!(!is_email_attribute_name("firstName"));
    }
}
