//! The certificate and signature checks: `signing_certificate`, `certificate_expiry`, `signature`.

use super::{Check, DAY, Status, check, not_checked};
use crate::preflight::{IdpApp, IdpCert, KindeSide};
use crate::time::Millis;

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
pub(super) fn signing_certificate(idp: &IdpApp, kinde: &KindeSide) -> Check {
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
pub(super) fn certificate_expiry(idp: &IdpApp, kinde: &KindeSide, now: Millis) -> Check {
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
pub(super) fn signature(idp: &IdpApp, kinde: &KindeSide) -> Check {
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
