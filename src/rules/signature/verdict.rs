//! Shared wording for signature verdicts: which element a signature covers, its algorithms and
//! the certificates compared.

use crate::finding::Evidence;
use crate::rules::Context;
use crate::security::{Security, SignatureCheck};

/// The checks of this message, or none when verification did not run.
pub(super) fn checks<'a>(ctx: &Context<'a>) -> &'a [SignatureCheck] {
    ctx.security
        .map_or(&[], |s: &Security| s.signatures.as_slice())
}

/// "assertion" / "Response" for messages.
pub(super) fn scope(s: &SignatureCheck) -> String {
    match s.scope.as_str() {
        "Assertion" => "assertion".to_string(),
        "" => "document".to_string(),
        other => other.to_string(),
    }
}

/// Evidence naming the signature, what it covers and its algorithms.
pub(super) fn signature_evidence(s: &SignatureCheck) -> Vec<Evidence> {
    let mut ev = vec![
        Evidence::new(
            "ds:Signature",
            s.algorithms.signature.clone().unwrap_or_default(),
            "",
        )
        .anchored(s.anchor),
    ];
    if let Some(p) = &s.signed_path {
        ev.push(Evidence::new(
            "signed element",
            format!("{p} (ID {})", s.reference_id.as_deref().unwrap_or("?")),
            "Reference/@URI",
        ));
    } else if let Some(id) = &s.reference_id {
        ev.push(Evidence::new(
            "Reference URI",
            format!("#{id}"),
            "SignedInfo/Reference/@URI",
        ));
    }
    ev
}

/// Evidence comparing the configured certificates with the one in KeyInfo, by fingerprint.
pub(super) fn certificate_evidence(ctx: &Context, s: &SignatureCheck) -> Vec<Evidence> {
    let mut ev = Vec::new();
    if let Some(keys) = ctx.keys {
        for (cert, source) in keys.certs.iter().zip(&keys.cert_sources) {
            ev.push(Evidence::new(
                "configured certificate SHA-256",
                format!(
                    "{} ({}, {})",
                    cert.info.sha256_fingerprint, cert.info.subject, cert.info.key
                ),
                source.clone(),
            ));
        }
    }
    match (&s.keyinfo_cert, &s.keyinfo_error) {
        (Some(k), _) => ev.push(Evidence::new(
            "KeyInfo certificate SHA-256 (not trusted by itself)",
            format!("{} ({}, {})", k.sha256_fingerprint, k.subject, k.key),
            "ds:KeyInfo/ds:X509Data/ds:X509Certificate",
        )),
        (None, Some(e)) => ev.push(Evidence::new(
            "KeyInfo certificate",
            format!("unreadable: {e}"),
            "ds:KeyInfo",
        )),
        (None, None) => ev.push(Evidence::new(
            "KeyInfo certificate",
            "(none sent)",
            "ds:KeyInfo",
        )),
    }
    ev
}
