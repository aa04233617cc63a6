//! SAML metadata (`EntityDescriptor`) as a source of settings: the IdP's entity ID, signing
//! certificates (or bare `RSAKeyValue` / `ECKeyValue` keys) and SSO endpoints, or the SP's entity
//! ID, ACS URL and signing wishes.

use crate::dsig::cert::decode_base64;
use crate::dsig::key::PublicKey;
use crate::limits::Limits;
use crate::saml::{NS_DSIG, NS_METADATA};
use crate::settings::{Settings, Sourced};
use crate::xml::{Document, NodeId};
use base64::Engine;

const POST_BINDING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
/// The XML-DSig 1.1 namespace of `ECKeyValue`.
const NS_DSIG11: &str = "http://www.w3.org/2009/xmldsig11#";

/// The DER `SubjectPublicKeyInfo` of the first `RSAKeyValue` (XML-DSig 1.1 §4.5.2.2) or
/// `ECKeyValue` (§4.5.2.3, named curves) under `kd`; `None` when it holds neither.
fn key_value(doc: &Document, kd: NodeId) -> Result<Option<Vec<u8>>, String> {
    let b64 = |parent: NodeId, ns: &str, local: &str| -> Result<Vec<u8>, String> {
        let n = doc
            .child(parent, ns, local)
            .ok_or_else(|| format!("no {local}"))?;
        decode_base64(&doc.text(n)).ok_or_else(|| format!("{local} is not valid base64"))
    };
    for n in doc.descendants(kd) {
        if doc.is(n, NS_DSIG, "RSAKeyValue") {
            let modulus = b64(n, NS_DSIG, "Modulus")?;
            let exponent = b64(n, NS_DSIG, "Exponent")?;
            return PublicKey::rsa_spki_der(&modulus, &exponent)
                .map(Some)
                .map_err(|e| e.0);
        }
        if doc.is(n, NS_DSIG11, "ECKeyValue") {
            let curve = doc
                .child(n, NS_DSIG11, "NamedCurve")
                .and_then(|c| doc.attr(c, "URI"))
                .ok_or("no NamedCurve URI (explicit curve parameters are not supported)")?;
            let point = b64(n, NS_DSIG11, "PublicKey")?;
            return PublicKey::ec_spki_der(curve, &point)
                .map(Some)
                .map_err(|e| e.0);
        }
    }
    Ok(None)
}

/// Reads metadata text, finding the `EntityDescriptor` with the wanted role descriptor.
fn entity(doc: &Document, role: &str, name: &str) -> Result<(NodeId, NodeId), String> {
    let candidates: Vec<NodeId> = if doc.is(doc.root, NS_METADATA, "EntityDescriptor") {
        vec![doc.root]
    } else if doc.is(doc.root, NS_METADATA, "EntitiesDescriptor") {
        doc.descendants(doc.root)
            .into_iter()
            .filter(|&n| doc.is(n, NS_METADATA, "EntityDescriptor"))
            .collect()
    } else {
        return Err(format!(
            "{name} is not SAML metadata: its root is not an md:EntityDescriptor"
        ));
    };
    candidates
        .into_iter()
        .find_map(|e| doc.child(e, NS_METADATA, role).map(|r| (e, r)))
        .ok_or_else(|| format!("{name} has no {role} (is it the other party's metadata?)"))
}

/// Parses metadata and finds the role descriptor; returns it with the entity's `entityID`.
fn read_role(
    text: &str,
    name: &str,
    limits: &Limits,
    role: &str,
) -> Result<(Document, NodeId, Option<Sourced<String>>), String> {
    let doc = Document::parse(text, limits).map_err(|e| format!("{name}: {e}"))?;
    let (entity, descriptor) = entity(&doc, role, name)?;
    let id = doc.attr(entity, "entityID").map(|id| Sourced {
        value: id.trim().to_string(),
        source: format!("{name} (entityID)"),
    });
    Ok((doc, descriptor, id))
}

/// Applies IdP metadata: entity ID, signing certificates, SSO endpoints.
pub fn apply_idp(
    settings: &mut Settings,
    text: &str,
    name: &str,
    limits: &Limits,
) -> Result<(), String> {
    let (doc, idp, entity_id) = read_role(text, name, limits, "IDPSSODescriptor")?;
    let source = |what: &str| format!("{name} ({what})");
    if entity_id.is_some() {
        settings.idp_entity_id = entity_id;
    }
    for (i, kd) in doc
        .children_named(idp, NS_METADATA, "KeyDescriptor")
        .enumerate()
    {
        if doc
            .attr(kd, "use")
            .is_some_and(|u| u.trim() == "encryption")
        {
            continue;
        }
        let before = settings.idp_certificates.len();
        for cert in doc
            .descendants(kd)
            .into_iter()
            .filter(|&n| doc.is(n, NS_DSIG, "X509Certificate"))
        {
            let value: String = doc.text(cert).split_whitespace().collect();
            if !value.is_empty() {
                settings.idp_certificates.push(Sourced {
                    value,
                    source: source("KeyDescriptor signing certificate"),
                });
            }
        }
        if settings.idp_certificates.len() > before {
            continue;
        }
        // No certificate: a bare key (XML-DSig 1.1 §4.5.2), as some IdPs publish.
        if let Some(spki) = key_value(&doc, kd)
            .map_err(|e| format!("{name}: KeyDescriptor {} (signing) KeyValue: {e}", i + 1))?
        {
            settings.idp_certificates.push(Sourced {
                value: base64::engine::general_purpose::STANDARD.encode(spki),
                source: source("KeyDescriptor signing KeyValue"),
            });
        }
    }
    settings.idp_sso_urls = doc
        .children_named(idp, NS_METADATA, "SingleSignOnService")
        .filter_map(|s| doc.attr(s, "Location").map(|l| l.trim().to_string()))
        .collect();
    Ok(())
}

/// Applies SP metadata: entity ID, ACS URL (HTTP-POST, default or lowest index), signing wishes.
pub fn apply_sp(
    settings: &mut Settings,
    text: &str,
    name: &str,
    limits: &Limits,
) -> Result<(), String> {
    let (doc, sp, entity_id) = read_role(text, name, limits, "SPSSODescriptor")?;
    let source = |what: &str| format!("{name} ({what})");
    if entity_id.is_some() {
        settings.sp_entity_id = entity_id;
    }
    let mut acs: Vec<(bool, u32, String)> = doc
        .children_named(sp, NS_METADATA, "AssertionConsumerService")
        .filter(|&n| {
            doc.attr(n, "Binding")
                .is_none_or(|b| b.trim() == POST_BINDING)
        })
        .filter_map(|n| {
            let default = doc.attr(n, "isDefault").is_some_and(|d| d.trim() == "true");
            let index = doc
                .attr(n, "index")
                .and_then(|i| i.trim().parse().ok())
                .unwrap_or(u32::MAX);
            Some((!default, index, doc.attr(n, "Location")?.trim().to_string()))
        })
        .collect();
    acs.sort();
    if let Some((_, _, url)) = acs.into_iter().next() {
        settings.acs_url = Some(Sourced {
            value: url,
            source: source("AssertionConsumerService HTTP-POST"),
        });
    }
    if doc
        .attr(sp, "WantAssertionsSigned")
        .is_some_and(|w| w.trim() == "true")
    {
        settings.want_assertions_signed = true;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const IDP: &str = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://idp.example.com/">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>MIIB
AAAA</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:KeyDescriptor use="encryption"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>ENC</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.com/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"#;

    #[test]
    fn idp_metadata() {
        let mut s = Settings::default();
        apply_idp(&mut s, IDP, "idp.xml", &Limits::default()).unwrap();
        assert_eq!(s.idp_entity_id.unwrap().value, "https://idp.example.com/");
        assert_eq!(s.idp_certificates.len(), 1);
        assert_eq!(s.idp_certificates[0].value, "MIIBAAAA");
        assert_eq!(s.idp_sso_urls, vec!["https://idp.example.com/sso"]);
    }

    #[test]
    fn sp_metadata_and_wrong_role() {
        let sp = r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="kx7"><md:SPSSODescriptor WantAssertionsSigned="true">
<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://b.test/acs" index="1"/>
<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://a.test/acs" index="0" isDefault="true"/>
</md:SPSSODescriptor></md:EntityDescriptor>"#;
        let mut s = Settings::default();
        apply_sp(&mut s, sp, "sp.xml", &Limits::default()).unwrap();
        assert_eq!(s.acs_url.unwrap().value, "https://a.test/acs");
        assert!(s.want_assertions_signed);
        let err =
            apply_sp(&mut Settings::default(), IDP, "idp.xml", &Limits::default()).unwrap_err();
        assert!(err.contains("no SPSSODescriptor"), "{err}");
    }

    #[test]
    fn idp_metadata_with_bare_keys() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/keys/idp-keyvalue-metadata.xml"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let mut s = Settings::default();
        apply_idp(&mut s, &text, "md.xml", &Limits::default()).unwrap();
        assert_eq!(s.idp_certificates.len(), 2);
        let keys: Vec<String> = s
            .idp_certificates
            .iter()
            .map(|c| crate::dsig::cert::Cert::parse(&c.value).unwrap().info.key)
            .collect();
        assert_eq!(keys, ["RSA 2048", "EC P-256"]);
        assert!(s.idp_certificates[0].source.contains("KeyValue"));
        let broken = text.replacen("<ds:Exponent>", "<ds:Exponent>!", 1);
        let err = apply_idp(
            &mut Settings::default(),
            &broken,
            "md.xml",
            &Limits::default(),
        )
        .unwrap_err();
        assert!(
            err.contains(
                "md.xml: KeyDescriptor 1 (signing) KeyValue: Exponent is not valid base64"
            ),
            "{err}"
        );
        let curve = text.replace("urn:oid:1.2.840.10045.3.1.7", "urn:oid:1.3.132.0.35");
        let err = apply_idp(
            &mut Settings::default(),
            &curve,
            "md.xml",
            &Limits::default(),
        )
        .unwrap_err();
        assert!(
            err.contains("KeyDescriptor 2") && err.contains("not supported"),
            "{err}"
        );
    }
}
