//! The URL and identifier checks: `acs_url`, `entity_id`.

use super::{Check, Status, check, not_checked};
use crate::preflight::{IdpApp, KindeSide};

/// Splits `scheme://host/rest` for comparisons.
fn parts(u: &str) -> (&str, &str, &str) {
    let (scheme, rest) = u.split_once("://").unwrap_or(("", u));
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    (scheme, host, path)
}

/// Compares one IdP URL with Kinde's ACS URL: status and why.
fn compare_url(idp: &str, acs: &str) -> (Status, String) {
    if idp == acs {
        return (Status::Ok, "equal".into());
    }
    if let Some(prefix) = idp.strip_suffix('*')
        && acs.starts_with(prefix)
    {
        return (Status::Ok, format!("matches the wildcard {idp}"));
    }
    let (s1, h1, p1) = parts(idp);
    let (s2, h2, p2) = parts(acs);
    if s1.eq_ignore_ascii_case(s2) && h1.eq_ignore_ascii_case(h2) && p1 == p2 {
        return (
            Status::Warning,
            "differs only in the letter case of scheme or host (equivalent under RFC 3986 §6.2.2.1, but SPs compare Destination as a string)".into(),
        );
    }
    let why = if idp.trim_end_matches('/') == acs.trim_end_matches('/') {
        "a trailing slash differs".to_string()
    } else if s1 != s2 && h1.eq_ignore_ascii_case(h2) && p1 == p2 {
        format!("scheme {s1} instead of {s2}")
    } else if !h1.eq_ignore_ascii_case(h2) {
        format!("host {h1} instead of {h2}")
    } else {
        format!("path {p1} instead of {p2}")
    };
    (Status::Mismatch, why)
}

/// Every URL the IdP will post to or put in Destination/Recipient must equal Kinde's ACS URL
/// (SAML core §3.2.2, profiles §4.1.4.3, §4.1.4.5).
pub(super) fn acs_url(idp: &IdpApp, kinde: &KindeSide) -> Check {
    const FIX: &str = "Set the IdP's ACS / Reply / Single sign-on URL (and any separate Recipient and Destination fields) to Kinde's ACS URL exactly, as the connection page shows it.";
    let Some(acs) = &kinde.acs_url else {
        return not_checked(
            "acs_url",
            format!(
                "{}: Kinde's ACS URL is not known (Kinde's connection JSON has no ACS URL); copy it from the connection page and pass --acs-url",
                kinde.file
            ),
        );
    };
    if !idp.carries.acs_url {
        return not_checked("acs_url", "no given IdP export carries ACS URLs".into());
    }
    if idp.acs_urls.is_empty() {
        return check(
            "acs_url",
            Status::Missing,
            None,
            Some(acs.value.clone()),
            format!("no ACS URL in {}", idp.shapes.join(", ")),
            FIX,
        );
    }
    let results: Vec<(Status, String, &str, &crate::preflight::Found)> = idp
        .acs_urls
        .iter()
        .map(|(field, f)| {
            let (s, why) = compare_url(&f.value, &acs.value);
            (s, why, field.as_str(), f)
        })
        .collect();
    let pick = if idp.acs_any_of {
        results.iter().min_by_key(|r| r.0)
    } else {
        results.iter().max_by_key(|r| r.0)
    }
    .expect("non-empty");
    let lines: Vec<String> = results
        .iter()
        .map(|(s, why, field, f)| {
            format!(
                "{field} {:?} ({}): {} — {why}",
                f.value,
                f.source,
                s.as_str()
            )
        })
        .collect();
    let rule = if idp.acs_any_of {
        "one listed URL must equal it"
    } else {
        "every URL must equal it"
    };
    check(
        "acs_url",
        pick.0,
        Some(pick.3.value.clone()),
        Some(acs.value.clone()),
        format!(
            "Kinde ACS URL {:?} ({}); {rule}:\n{}",
            acs.value,
            acs.source,
            lines.join("\n")
        ),
        FIX,
    )
}

/// Kinde's Entity ID must be one of the IdP's audience values, as a whole string (core §2.5.1.4).
pub(super) fn entity_id(idp: &IdpApp, kinde: &KindeSide) -> Check {
    const FIX: &str = "Make the IdP's Audience / Identifier (Entity ID) exactly Kinde's Entity ID (Okta: Audience URI; Entra: Identifier; AD FS: relying party identifier; Keycloak: Client ID; Ping: Partner's Entity ID).";
    let Some(want) = &kinde.entity_id else {
        return not_checked(
            "entity_id",
            format!(
                "{}: Kinde's Entity ID is not known (saml_entity_id / sp_entity_id)",
                kinde.file
            ),
        );
    };
    if !idp.carries.audience {
        return not_checked(
            "entity_id",
            "no given IdP export carries the audience".into(),
        );
    }
    let list = idp
        .audiences
        .iter()
        .map(|a| format!("{:?} ({})", a.value, a.source))
        .collect::<Vec<_>>()
        .join(", ");
    let idp_vals = idp
        .audiences
        .iter()
        .map(|a| a.value.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if idp.audiences.is_empty() {
        return check(
            "entity_id",
            Status::Missing,
            None,
            Some(want.value.clone()),
            "the IdP export names no audience".into(),
            FIX,
        );
    }
    let ev = format!(
        "Kinde Entity ID {:?} ({}); IdP audiences: {list}",
        want.value, want.source
    );
    if idp.audiences.iter().any(|a| a.value == want.value) {
        return check(
            "entity_id",
            Status::Ok,
            Some(want.value.clone()),
            Some(want.value.clone()),
            ev,
            FIX,
        );
    }
    let spn = idp.audiences.iter().any(|a| {
        a.value.strip_prefix("spn:") == Some(&want.value)
            || want.value.strip_prefix("spn:") == Some(&a.value)
    });
    if spn {
        return check(
            "entity_id",
            Status::Warning,
            Some(idp_vals),
            Some(want.value.clone()),
            format!(
                "{ev}; they differ only by the `spn:` prefix, which older Entra apps need (Kinde's custom SAML guide): Entra sends the Identifier it holds as Audience"
            ),
            "Use the same value on both sides: with an older Entra app keep `spn:` in Kinde's Entity ID and in the Identifier, otherwise drop it on both.",
        );
    }
    let slash = idp
        .audiences
        .iter()
        .any(|a| a.value.trim_end_matches('/') == want.value.trim_end_matches('/'));
    check(
        "entity_id",
        Status::Mismatch,
        Some(idp_vals),
        Some(want.value.clone()),
        if slash {
            format!("{ev}; a trailing slash differs (audiences are compared as whole strings)")
        } else {
            ev
        },
        FIX,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::preflight::checks::Status;

    #[test]
    fn url_comparisons() {
        let acs = "https://acme.kinde.com/login/saml/callback";
        assert_eq!(compare_url(acs, acs).0, Status::Ok);
        assert_eq!(
            compare_url("https://ACME.kinde.com/login/saml/callback", acs).0,
            Status::Warning
        );
        let (s, why) = compare_url("https://acme.kinde.com/login/saml/callback/", acs);
        assert_eq!(s, Status::Mismatch);
        assert!(why.contains("trailing slash"));
        assert!(
            compare_url("http://acme.kinde.com/login/saml/callback", acs)
                .1
                .contains("scheme http")
        );
        assert_eq!(compare_url("https://acme.kinde.com/*", acs).0, Status::Ok);
    }
}
