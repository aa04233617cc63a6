//! Reading a certificate that the `x509-cert` crate refuses, as OpenSSL would: the DER is
//! walked element by element to the `SubjectPublicKeyInfo`, and the fields the key does not
//! depend on (names, dates, algorithm OIDs) are read when they can be, noted when they cannot.

use super::cert::{Cert, CertError, Fields, algorithm_notes};
use crate::time::Millis;
use der::asn1::AnyRef;
use der::{Decode, Encode, Reader, SliceReader, Tag, TagNumber, Tagged};

/// The DER elements inside a constructed element.
fn children<'a>(any: &AnyRef<'a>) -> der::Result<Vec<AnyRef<'a>>> {
    let mut r = SliceReader::new(any.value())?;
    let mut out = Vec::new();
    while !r.is_finished() {
        out.push(AnyRef::decode(&mut r)?);
    }
    Ok(out)
}

/// Walks `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }` and
/// `tbsCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer,
/// validity, subject, subjectPublicKeyInfo, … }` (RFC 5280 §4.1) without judging the fields
/// the key does not depend on.
pub(super) fn certificate(der: &[u8], strict: &str) -> Result<Cert, CertError> {
    let refuse = |why: &str| {
        CertError(format!(
            "not an X.509 certificate: {strict} (and no public key could be found: {why})"
        ))
    };
    let outer = AnyRef::from_der(der).map_err(|e| refuse(&e.to_string()))?;
    if outer.tag() != Tag::Sequence {
        return Err(refuse("not a DER SEQUENCE"));
    }
    let parts = children(&outer).map_err(|e| refuse(&e.to_string()))?;
    let [tbs, alg, _sig] = parts.as_slice() else {
        return Err(refuse("a certificate has three parts"));
    };
    let mut tbs = children(tbs).map_err(|e| refuse(&e.to_string()))?;
    let version0 = Tag::ContextSpecific {
        constructed: true,
        number: TagNumber::N0,
    };
    if tbs.first().is_some_and(|f| f.tag() == version0) {
        tbs.remove(0);
    }
    let [_serial, inner_alg, issuer, validity, subject, spki, ..] = tbs.as_slice() else {
        return Err(refuse("tbsCertificate has too few fields"));
    };
    let to_der = |a: &AnyRef| a.to_der().map_err(|e| refuse(&e.to_string()));
    let spki = to_der(spki)?;
    let oid_of = |a: &AnyRef| -> Option<String> {
        let first = children(a).ok()?.into_iter().next()?;
        (first.tag() == Tag::ObjectIdentifier).then(|| oid_text(first.value()))
    };
    let name = |a: &AnyRef| {
        a.to_der()
            .ok()
            .and_then(|d| x509_cert::name::Name::from_der(&d).ok())
            .map_or("(unreadable name)".to_string(), |n| n.to_string())
    };
    let mut notes = vec![format!(
        "the certificate is not strict DER X.509 ({strict}); its public key was read field by \
         field, as OpenSSL reads it"
    )];
    notes.extend(algorithm_notes(
        &oid_of(alg).unwrap_or_else(|| "(unreadable)".into()),
        oid_of(inner_alg).as_deref(),
    ));
    let validity = to_der(validity)
        .ok()
        .and_then(|d| x509_cert::time::Validity::from_der(&d).ok());
    let (not_before, not_after) = match validity {
        Some(v) => (
            i64::try_from(v.not_before.to_unix_duration().as_millis()).unwrap_or(i64::MAX),
            i64::try_from(v.not_after.to_unix_duration().as_millis()).unwrap_or(i64::MAX),
        ),
        None => {
            notes.push("the certificate's validity dates are unreadable".into());
            (Millis::MIN, Millis::MAX)
        }
    };
    let fields = Fields {
        subject: name(subject),
        issuer: name(issuer),
        not_before,
        not_after,
        notes,
    };
    Cert::build(der, spki, fields)
}

/// Dotted text of OID content octets (X.690 §8.19), written out here because `const-oid`
/// refuses exactly the odd OIDs (such as `0.0`) a note must name.
fn oid_text(bytes: &[u8]) -> String {
    let mut arcs: Vec<u128> = Vec::new();
    let mut value: u128 = 0;
    for &b in bytes {
        value = value.saturating_mul(128) | u128::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let top = (value / 40).min(2);
                arcs.push(top);
                arcs.push(value - top * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    if arcs.is_empty() || bytes.last().is_some_and(|b| b & 0x80 != 0) {
        return format!("(malformed OID {bytes:02X?})");
    }
    arcs.iter()
        .map(u128::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_texts() {
        assert_eq!(oid_text(&[0x00]), "0.0");
        assert_eq!(
            oid_text(&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]),
            "1.2.840.113549.1.1.11"
        );
        assert_eq!(oid_text(&[0x88, 0x37]), "2.999");
        assert!(oid_text(&[0x86]).starts_with("(malformed"));
        assert!(oid_text(&[]).starts_with("(malformed"));
    }
}
