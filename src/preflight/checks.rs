//! The eight preflight checks and the verdict. Each check's argument from the specs is in
//! `docs/preflight.md`; the short form is in the doc comment of each function.
//!
//! `missing` means an input that can carry the value lacks it; `not_checked` means no given input
//! can carry it (and never changes the verdict).

use super::{IdpApp, IdpCert, KindeSide};
use crate::time::Millis;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    NotChecked,
    Warning,
    Missing,
    Mismatch,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NotChecked => "not_checked",
            Status::Warning => "warning",
            Status::Missing => "missing",
            Status::Mismatch => "mismatch",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ready,
    AtRisk,
    WillFail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::AtRisk => "at_risk",
            Verdict::WillFail => "will_fail",
        }
    }
}

/// One check's result.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub status: Status,
    pub idp: Option<String>,
    pub kinde: Option<String>,
    pub evidence: String,
    pub fix: String,
}

/// The check names, in report order (the JSON contract has exactly one entry per name).
pub const NAMES: &[&str] = &[
    "acs_url",
    "entity_id",
    "email_attribute",
    "name_id_format",
    "idp_entity_id",
    "signing_certificate",
    "certificate_expiry",
    "signature",
];

const DAY: Millis = 86_400_000;

fn check(
    name: &'static str,
    status: Status,
    idp: Option<String>,
    kinde: Option<String>,
    evidence: String,
    fix: &str,
) -> Check {
    Check {
        check: name,
        status,
        idp,
        kinde,
        evidence,
        fix: if matches!(status, Status::Ok | Status::NotChecked) {
            String::new()
        } else {
            fix.to_string()
        },
    }
}

fn not_checked(name: &'static str, why: String) -> Check {
    check(name, Status::NotChecked, None, None, why, "")
}

pub fn all(idp: &IdpApp, kinde: &KindeSide, now: Millis) -> Vec<Check> {
    vec![
        acs_url(idp, kinde),
        entity_id(idp, kinde),
        email_attribute(idp, kinde),
        name_id_format(idp, kinde),
        idp_entity_id(idp, kinde),
        signing_certificate(idp, kinde),
        certificate_expiry(idp, kinde, now),
        signature(idp, kinde),
    ]
}

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
fn acs_url(idp: &IdpApp, kinde: &KindeSide) -> Check {
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
    let results: Vec<(Status, String, &str, &super::Found)> = idp
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
fn entity_id(idp: &IdpApp, kinde: &KindeSide) -> Check {
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

/// Kinde's Email key attribute (blank → `email`) must be the exact, case-sensitive name of an
/// attribute the IdP sends.
fn email_attribute(idp: &IdpApp, kinde: &KindeSide) -> Check {
    let key = kinde.email_key.as_ref().expect("always set");
    if !idp.carries.attributes {
        return not_checked(
            "email_attribute",
            "no given IdP export lists the attributes it sends".into(),
        );
    }
    let sent = idp
        .attributes
        .iter()
        .map(|a| format!("{} (from {})", a.name.value, a.from))
        .collect::<Vec<_>>()
        .join(", ");
    let ev = format!(
        "Kinde Email key attribute {:?} ({}); the IdP sends: {}",
        key.value,
        key.source,
        if sent.is_empty() {
            "nothing".into()
        } else {
            sent
        }
    );
    if let Some(a) = idp.attributes.iter().find(|a| a.name.value == key.value) {
        if a.email == Some(super::EmailSource::Upn) {
            return check(
                "email_attribute",
                Status::Warning,
                Some(a.name.value.clone()),
                Some(key.value.clone()),
                format!(
                    "{ev}; {:?} is filled from {} ({}), the sign-in name, not the mailbox: users whose UPN differs from their email get the wrong Kinde account or a new one",
                    a.name.value, a.from, a.name.source
                ),
                "Fill the attribute from the user's mailbox (user.mail / user.email / LDAP mail) at the IdP.",
            );
        }
        return check(
            "email_attribute",
            Status::Ok,
            Some(a.name.value.clone()),
            Some(key.value.clone()),
            ev,
            "",
        );
    }
    let other = idp
        .attributes
        .iter()
        .find(|a| a.name.value.eq_ignore_ascii_case(&key.value))
        .or_else(|| {
            idp.attributes
                .iter()
                .find(|a| a.email == Some(super::EmailSource::Mail))
        })
        .or_else(|| idp.attributes.iter().find(|a| a.email.is_some()));
    match other {
        Some(a) => check(
            "email_attribute",
            Status::Mismatch,
            Some(a.name.value.clone()),
            Some(key.value.clone()),
            format!(
                "{ev}; the email goes out as {:?} ({}), which Kinde does not read",
                a.name.value, a.name.source
            ),
            &format!(
                "Set Kinde's Email key attribute to `{}` exactly, or rename the attribute at the IdP to `{}`.",
                a.name.value, key.value
            ),
        ),
        None => check(
            "email_attribute",
            Status::Missing,
            None,
            Some(key.value.clone()),
            format!("{ev}; no attribute carries the email"),
            &format!(
                "Add an attribute named `{}` filled from the user's email at the IdP.",
                key.value
            ),
        ),
    }
}

/// The IdP's configured NameID format against Kinde's.
fn name_id_format(idp: &IdpApp, kinde: &KindeSide) -> Check {
    let Some(want) = &kinde.name_id_format else {
        return not_checked(
            "name_id_format",
            format!("{}: Kinde's Name ID format is not known", kinde.file),
        );
    };
    if !idp.carries.name_id_format {
        return not_checked(
            "name_id_format",
            "no given IdP export carries the NameID format".into(),
        );
    }
    let Some(got) = &idp.name_id_format else {
        return check(
            "name_id_format",
            Status::Missing,
            None,
            Some(want.value.clone()),
            "the IdP export names no NameID format".into(),
            "Set the IdP's NameID format to the one Kinde's connection uses.",
        );
    };
    let status = if got.value == want.value {
        Status::Ok
    } else {
        Status::Mismatch
    };
    check(
        "name_id_format",
        status,
        Some(got.value.clone()),
        Some(want.value.clone()),
        format!(
            "IdP {:?} ({}); Kinde {:?} ({})",
            got.value, got.source, want.value, want.source
        ),
        "Use the same NameID format on both sides (Kinde recommends Persistent).",
    )
}

/// The IdP's entity ID (metadata `entityID`, Terraform `entity_url`) against the one Kinde trusts.
fn idp_entity_id(idp: &IdpApp, kinde: &KindeSide) -> Check {
    let Some(want) = &kinde.idp_entity_id else {
        return not_checked(
            "idp_entity_id",
            format!(
                "{}: the IdP entity ID Kinde trusts is not known (give saml_idp_metadata_xml or idp_entity_id)",
                kinde.file
            ),
        );
    };
    let Some(got) = &idp.entity_id else {
        if idp.carries.entity_id {
            return check(
                "idp_entity_id",
                Status::Missing,
                None,
                Some(want.value.clone()),
                "the IdP input names no entity ID".into(),
                "",
            );
        }
        return not_checked(
            "idp_entity_id",
            "no given IdP input carries its entity ID (give --idp-metadata)".into(),
        );
    };
    let status = if got.value == want.value {
        Status::Ok
    } else {
        Status::Mismatch
    };
    check(
        "idp_entity_id",
        status,
        Some(got.value.clone()),
        Some(want.value.clone()),
        format!(
            "IdP {:?} ({}); Kinde trusts {:?} ({})",
            got.value, got.source, want.value, want.source
        ),
        "Re-import the IdP's current metadata into Kinde's connection (or fix the IdP Entity ID there).",
    )
}

/// Upper-case hex SHA-1 of a certificate given as base64 DER or PEM text.
fn sha1_of(text: &str) -> Option<(String, Option<Millis>)> {
    let c = crate::dsig::verify::Cert::parse(text).ok()?;
    Some((
        c.info.sha1_fingerprint.replace(':', ""),
        Some(c.info.not_after),
    ))
}

fn idp_sha1(c: &IdpCert) -> Option<String> {
    c.sha1_hex
        .clone()
        .or_else(|| sha1_of(&c.der_b64).map(|x| x.0))
}

/// Signing certificates only; the active one when the export names it, else every published one.
fn signing_certificate(idp: &IdpApp, kinde: &KindeSide) -> Check {
    const FIX: &str = "Upload the IdP's current signing certificate to Kinde's connection (or re-import the IdP metadata there).";
    if kinde.certificates.is_empty() {
        return not_checked(
            "signing_certificate",
            format!(
                "{}: no certificate Kinde trusts is known (idp_certificates / saml_idp_metadata_xml)",
                kinde.file
            ),
        );
    }
    if idp.certificates.is_empty() {
        if idp.carries.certificates {
            return check(
                "signing_certificate",
                Status::Missing,
                None,
                None,
                "the IdP input publishes no signing certificate".into(),
                FIX,
            );
        }
        return not_checked(
            "signing_certificate",
            "no given IdP input carries certificates (give --idp-metadata)".into(),
        );
    }
    let trusted: Vec<String> = kinde
        .certificates
        .iter()
        .filter_map(|c| sha1_of(&c.value).map(|x| x.0))
        .collect();
    let label = |c: &IdpCert| {
        format!(
            "SHA-1 {} ({})",
            idp_sha1(c).unwrap_or_else(|| "unreadable".into()),
            c.source
        )
    };
    let is_trusted = |c: &IdpCert| idp_sha1(c).is_some_and(|h| trusted.contains(&h));
    let kinde_list = trusted.join(", ");
    if idp.active_named {
        let active: Vec<&IdpCert> = idp.certificates.iter().filter(|c| c.active).collect();
        if active.is_empty() {
            return check("signing_certificate", Status::Warning, None, Some(kinde_list), "the export names an active signing certificate, but none of its certificates is that one".into(), FIX);
        }
        let ok = active.iter().any(|c| is_trusted(c));
        return check(
            "signing_certificate",
            if ok { Status::Ok } else { Status::Mismatch },
            Some(
                active
                    .iter()
                    .map(|c| label(c))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            Some(kinde_list),
            format!(
                "active signing certificate {}; Kinde trusts SHA-1 {}",
                active
                    .iter()
                    .map(|c| label(c))
                    .collect::<Vec<_>>()
                    .join(", "),
                trusted.join(", ")
            ),
            FIX,
        );
    }
    let n = idp.certificates.iter().filter(|c| is_trusted(c)).count();
    let status = match n {
        0 => Status::Mismatch,
        n if n == idp.certificates.len() => Status::Ok,
        _ => Status::Warning,
    };
    check(
        "signing_certificate",
        status,
        Some(
            idp.certificates
                .iter()
                .map(label)
                .collect::<Vec<_>>()
                .join(", "),
        ),
        Some(kinde_list),
        format!(
            "{n} of {} published signing certificates are trusted by Kinde{}",
            idp.certificates.len(),
            if status == Status::Warning {
                " (a rollover in progress: the IdP may switch to the other one at any time)"
            } else {
                ""
            }
        ),
        FIX,
    )
}

/// The certificates sign-in depends on, at `now`: expired → mismatch, within 30 days → warning.
fn certificate_expiry(idp: &IdpApp, kinde: &KindeSide, now: Millis) -> Check {
    let mut certs: Vec<(String, Millis)> = Vec::new();
    let active: Vec<&IdpCert> = idp.certificates.iter().filter(|c| c.active).collect();
    let idp_set: Vec<&IdpCert> = if active.is_empty() {
        idp.certificates.iter().collect()
    } else {
        active
    };
    for c in idp_set {
        let end = c
            .not_after
            .or_else(|| sha1_of(&c.der_b64).and_then(|x| x.1));
        if let Some(end) = end {
            certs.push((c.source.clone(), end));
        }
    }
    if certs.is_empty() {
        for c in &kinde.certificates {
            if let Some((_, Some(end))) = sha1_of(&c.value) {
                certs.push((c.source.clone(), end));
            }
        }
    }
    if certs.is_empty() {
        return not_checked(
            "certificate_expiry",
            "no certificate with a readable validity period".into(),
        );
    }
    let (worst_src, worst) = certs
        .iter()
        .min_by_key(|c| c.1)
        .cloned()
        .expect("non-empty");
    let when = crate::time::format(worst);
    let (status, what) = if worst < now {
        (Status::Mismatch, format!("expired on {when}"))
    } else if worst - now < 30 * DAY {
        (
            Status::Warning,
            format!("expires on {when}, in {} days", (worst - now) / DAY),
        )
    } else {
        (Status::Ok, format!("valid until {when}"))
    };
    check(
        "certificate_expiry",
        status,
        Some(when.clone()),
        None,
        format!(
            "the earliest-expiring signing certificate ({worst_src}) {what}; judged at {}",
            crate::time::format(now)
        ),
        "Roll the IdP's signing certificate (make a new one active) and upload it to Kinde before the old one expires.",
    )
}

/// What Kinde requires signed against what the IdP signs. Over HTTP-POST every assertion must be
/// protected by a signature on it or on the Response (profiles §4.1.3.5, §4.1.4.5).
fn signature(idp: &IdpApp, kinde: &KindeSide) -> Check {
    let s = idp.signing;
    if !idp.carries.signature || (s.response.is_none() && s.assertion.is_none()) {
        return not_checked("signature", "no given IdP export says what it signs".into());
    }
    let src = idp.signing_source.clone().unwrap_or_default();
    let yes = |b: Option<bool>| b == Some(true);
    let idp_says = format!(
        "Response {}, assertion {}",
        if yes(s.response) {
            "signed"
        } else {
            "not signed"
        },
        if yes(s.assertion) {
            "signed"
        } else {
            "not signed"
        }
    );
    let kinde_says = format!(
        "requires {}",
        match (kinde.want_response_signed, kinde.want_assertions_signed) {
            (true, true) => "Response and assertion signed",
            (true, false) => "the Response signed",
            (false, true) => "the assertion signed",
            (false, false) => "a signature on the Response or the assertion",
        }
    );
    let problem = if !yes(s.response) && !yes(s.assertion) {
        Some(
            "the IdP signs neither the Response nor the assertion; Kinde rejects unsigned responses",
        )
    } else if kinde.want_assertions_signed && !yes(s.assertion) {
        Some("Kinde requires the assertion signed and the IdP does not sign it")
    } else if kinde.want_response_signed && !yes(s.response) {
        Some("Kinde requires the Response signed and the IdP does not sign it")
    } else {
        None
    };
    check(
        "signature",
        if problem.is_some() {
            Status::Mismatch
        } else {
            Status::Ok
        },
        Some(idp_says.clone()),
        Some(kinde_says.clone()),
        format!(
            "IdP: {idp_says} ({src}); Kinde {kinde_says}{}",
            problem.map(|p| format!("; {p}")).unwrap_or_default()
        ),
        "Turn on signing at the IdP for the part Kinde requires (Okta: Response/Assertion Signature; AD FS: Set-AdfsRelyingPartyTrust -SamlResponseSignature MessageAndAssertion; Keycloak: Sign documents / Sign assertions).",
    )
}

/// `will_fail` when sign-in cannot work; `at_risk` on a warning or a mismatch elsewhere.
pub fn verdict(checks: &[Check]) -> Verdict {
    let bad = |c: &Check| matches!(c.status, Status::Mismatch | Status::Missing);
    let fatal = checks.iter().any(|c| {
        bad(c)
            && matches!(
                c.check,
                "acs_url"
                    | "entity_id"
                    | "email_attribute"
                    | "signing_certificate"
                    | "certificate_expiry"
                    | "signature"
            )
    });
    if fatal {
        Verdict::WillFail
    } else if checks.iter().any(|c| bad(c) || c.status == Status::Warning) {
        Verdict::AtRisk
    } else {
        Verdict::Ready
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
