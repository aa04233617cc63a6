//! The text forms a trusted IdP key arrives in: PEM files with any number of `CERTIFICATE`,
//! `PUBLIC KEY` and `RSA PUBLIC KEY` blocks (RFC 7468; a rollover bundle holds the old and the
//! new certificate), bare base64 DER (settings, metadata `X509Certificate`), and raw DER files
//! (Entra's "Certificate (Raw)" download), which [`key_text_from_bytes`] turns into base64.

use super::cert::{Cert, CertError};
use base64::Engine;

/// Decodes base64 after removing all ASCII whitespace (XML values are often line-wrapped).
pub fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let clean: Vec<u8> = text.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    base64::engine::general_purpose::STANDARD.decode(clean).ok()
}

/// The text of a key file: UTF-8 as is (a BOM dropped); a binary DER file (starting with a DER
/// SEQUENCE) as its base64, which [`Cert::parse_all`] reads like any base64 certificate.
pub fn key_text_from_bytes(bytes: Vec<u8>) -> Result<String, String> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text.trim_start_matches('\u{feff}').to_string()),
        Err(e) if e.as_bytes().first() == Some(&0x30) => {
            Ok(base64::engine::general_purpose::STANDARD.encode(e.as_bytes()))
        }
        Err(e) => Err(format!(
            "neither UTF-8 text (PEM or base64) nor a DER certificate (invalid UTF-8 at byte {})",
            e.utf8_error().valid_up_to()
        )),
    }
}

/// One `-----BEGIN label----- … -----END label-----` block.
struct Block<'a> {
    label: &'a str,
    body: &'a str,
}

/// Splits PEM text into its blocks; text outside blocks (OpenSSL's `subject=` lines, bag
/// attributes) is ignored, as OpenSSL does.
fn pem_blocks(text: &str) -> Result<Vec<Block<'_>>, CertError> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let Some(label_end) = after.find("-----") else {
            return Err(CertError(format!(
                "PEM block {} has a broken BEGIN line",
                blocks.len() + 1
            )));
        };
        let label = &after[..label_end];
        let body_start = &after[label_end + 5..];
        let end_line = format!("-----END {label}-----");
        let Some(end) = body_start.find(&end_line) else {
            return Err(CertError(format!(
                "PEM block {} ({label}) has no END line (truncated paste?)",
                blocks.len() + 1
            )));
        };
        blocks.push(Block {
            label,
            body: &body_start[..end],
        });
        rest = &body_start[end + end_line.len()..];
    }
    Ok(blocks)
}

impl Cert {
    /// Reads exactly one certificate or public key (PEM or bare base64 DER); a file holding
    /// several is an error here: use [`Cert::parse_all`].
    pub fn parse(text: &str) -> Result<Cert, CertError> {
        let mut all = Cert::parse_all(text);
        if all.len() > 1 {
            return Err(CertError(format!(
                "{} PEM blocks where one certificate was expected",
                all.len()
            )));
        }
        all.pop()
            .unwrap_or_else(|| Err(CertError("no certificate".into())))
    }

    /// Reads every certificate and public key in `text`, in order: each PEM block
    /// (`CERTIFICATE`, `PUBLIC KEY`, `RSA PUBLIC KEY`), or the whole text as base64 DER of a
    /// certificate or a `SubjectPublicKeyInfo`. A block that is neither (a private key, a
    /// request) is an error naming its position and label; the others are still read.
    pub fn parse_all(text: &str) -> Vec<Result<Cert, CertError>> {
        let text = text.trim();
        if !text.contains("-----BEGIN") {
            return vec![Cert::from_base64(text)];
        }
        let blocks = match pem_blocks(text) {
            Ok(b) => b,
            Err(e) => return vec![Err(e)],
        };
        let n = blocks.len();
        blocks
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let at = |what: String| {
                    if n > 1 {
                        CertError(format!("PEM block {} of {n} ({}): {what}", i + 1, b.label))
                    } else {
                        CertError(what)
                    }
                };
                let der = decode_base64(b.body)
                    .ok_or_else(|| at(format!("{} is not valid base64", b.label)))?;
                match b.label {
                    "CERTIFICATE" | "X509 CERTIFICATE" => Cert::from_der(&der),
                    "PUBLIC KEY" => Cert::from_spki_der(&der),
                    "RSA PUBLIC KEY" => Cert::from_pkcs1_der(&der),
                    other => Err(CertError(format!(
                        "PEM block {} of {n} is {other}, neither a CERTIFICATE nor a PUBLIC KEY \
                         (a private key or request was given?)",
                        i + 1
                    ))),
                }
                .map_err(|e| {
                    if e.0.starts_with("PEM block") {
                        e
                    } else {
                        at(e.0)
                    }
                })
            })
            .collect()
    }

    /// Base64 DER of a certificate, else of a `SubjectPublicKeyInfo`.
    fn from_base64(text: &str) -> Result<Cert, CertError> {
        if text.is_empty() {
            return Err(CertError("empty: no certificate given".into()));
        }
        let der = decode_base64(text)
            .ok_or_else(|| CertError("certificate is not valid base64".into()))?;
        Cert::from_der(&der).or_else(|e| Cert::from_spki_der(&der).map_err(|_| e))
    }
}

/// Parses every configured certificate text; a bundle contributes each of its certificates and
/// keys. Each result comes with the position of its text in `certs`.
pub fn parse_certificates(certs: &[String]) -> Vec<(usize, Result<Cert, CertError>)> {
    certs
        .iter()
        .enumerate()
        .flat_map(|(i, c)| Cert::parse_all(c).into_iter().map(move |r| (i, r)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::Millis;

    const KEYS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/keys/");

    fn file(name: &str) -> String {
        std::fs::read_to_string(format!("{KEYS}{name}")).unwrap()
    }

    fn pem(name: &str) -> String {
        file(&format!("{name}.crt"))
    }

    #[test]
    fn certificates_from_pem_and_bare_base64() {
        let p = pem("idp-rsa");
        let a = Cert::parse(&p).unwrap();
        let body: String = p
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .join("\n  ");
        let b = Cert::parse(&format!("  {body}\n")).unwrap();
        assert_eq!(a.info, b.info);
        assert_eq!(a.info.key, "RSA 2048");
        assert!(!a.info.weak && a.info.certificate && a.info.notes.is_empty());
        assert!(
            a.info.subject.contains("CN=idp.example.com"),
            "{}",
            a.info.subject
        );
        assert_eq!(a.info.subject, a.info.issuer);
        assert_eq!(a.info.sha1_fingerprint.len(), 20 * 3 - 1);
        assert_eq!(a.info.sha256_fingerprint.len(), 32 * 3 - 1);
        assert!(a.info.not_before < a.info.not_after);
        assert!(!a.info.expired_at(a.info.not_before + 1));
        assert!(a.info.expired_at(a.info.not_after + 1));
        let weak = Cert::parse(&pem("weak-rsa1024")).unwrap();
        assert_eq!(weak.info.key, "RSA 1024");
        assert!(weak.info.weak);
        assert_eq!(Cert::parse(&pem("idp-p256")).unwrap().info.key, "EC P-256");
        assert_eq!(Cert::parse(&pem("idp-p384")).unwrap().info.key, "EC P-384");
    }

    #[test]
    fn raw_der_files_read_like_pem() {
        let der = std::fs::read(format!("{KEYS}idp-rsa.der")).unwrap();
        let text = key_text_from_bytes(der).unwrap();
        let a = Cert::parse(&text).unwrap();
        assert_eq!(a.info, Cert::parse(&pem("idp-rsa")).unwrap().info);
        let bom = format!("\u{feff}{}", pem("idp-rsa"));
        assert_eq!(
            key_text_from_bytes(bom.into_bytes()).unwrap(),
            pem("idp-rsa")
        );
        let err = key_text_from_bytes(vec![0xff, 0xfe, 0x41]).unwrap_err();
        assert!(err.contains("neither UTF-8"), "{err}");
    }

    #[test]
    fn bare_public_keys() {
        let cert = Cert::parse(&pem("idp-rsa")).unwrap();
        for name in ["idp-rsa.pub.pem", "idp-rsa.rsapub.pem"] {
            let k = Cert::parse(&file(name)).unwrap();
            assert_eq!(k.info.key, "RSA 2048", "{name}");
            assert!(!k.info.certificate);
            assert!(
                k.info.subject.contains("bare public key"),
                "{}",
                k.info.subject
            );
            assert_eq!(k.spki, cert.spki, "{name}");
            assert!(!k.info.expired_at(0) && !k.info.expired_at(Millis::MAX));
        }
        // Bare base64 of a SubjectPublicKeyInfo, as pasted from a metadata tool.
        let body: String = file("idp-p256.pub.pem")
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        assert_eq!(Cert::parse(&body).unwrap().info.key, "EC P-256");
    }

    #[test]
    fn bundles_give_every_certificate_and_name_bad_blocks() {
        let all = Cert::parse_all(&file("idp-rsa-bundle.pem"));
        assert_eq!(all.len(), 2);
        let subjects: Vec<String> = all
            .iter()
            .map(|c| c.as_ref().unwrap().info.subject.clone())
            .collect();
        assert!(subjects[1].contains("rollover"), "{subjects:?}");
        assert!(Cert::parse(&file("idp-rsa-bundle.pem")).is_err());
        let mixed = format!(
            "subject=CN=idp\n{}{}{}",
            pem("idp-rsa"),
            file("idp-rsa.key"),
            file("idp-rsa.pub.pem")
        );
        let all = Cert::parse_all(&mixed);
        assert_eq!(all.len(), 3);
        assert!(all[0].is_ok() && all[2].is_ok());
        let e = all[1].as_ref().unwrap_err();
        assert!(
            e.0.starts_with("PEM block 2 of 3 is PRIVATE KEY, neither"),
            "{e}"
        );
        let broken = format!("{}-----BEGIN CERTIFICATE-----\nMIIB", pem("idp-rsa"));
        assert!(
            Cert::parse_all(&broken)[0]
                .as_ref()
                .unwrap_err()
                .0
                .contains("block 2 (CERTIFICATE) has no END line")
        );
    }

    #[test]
    fn odd_signature_oid_still_gives_the_key_with_a_note() {
        let odd = Cert::parse(&file("idp-rsa-odd-oid.crt")).unwrap();
        let good = Cert::parse(&pem("idp-rsa")).unwrap();
        assert_eq!(odd.spki, good.spki);
        assert_eq!(odd.info.subject, good.info.subject);
        assert_eq!(odd.info.not_after, good.info.not_after);
        assert!(
            odd.info.notes.iter().any(|n| n.contains("0.0 (unknown)")),
            "{:?}",
            odd.info.notes
        );
        assert!(
            odd.info.notes.iter().any(|n| n.contains("RFC 5280")),
            "{:?}",
            odd.info.notes
        );
    }

    #[test]
    fn certificate_errors_are_errors() {
        assert!(Cert::parse("").is_err());
        assert!(Cert::parse("not base64 at all!").is_err());
        assert!(Cert::parse("AAAA").is_err());
        assert!(Cert::parse("-----BEGIN CERTIFICATE-----\nMIIB").is_err());
        let key = file("idp-rsa.key");
        let e = Cert::parse(&key).unwrap_err();
        assert!(
            e.0.contains("neither a CERTIFICATE nor a PUBLIC KEY"),
            "{e}"
        );
        let parsed = parse_certificates(&["junk".into(), pem("idp-rsa")]);
        assert!(parsed[0].1.is_err() && parsed[1].1.is_ok());
        assert_eq!(parsed[1].0, 1);
    }
}
