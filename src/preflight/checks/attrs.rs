//! The attribute and identity checks: `email_attribute`, `name_id_format`, `idp_entity_id`.

use super::{Check, Status, check, not_checked};
use crate::preflight::{EmailSource, IdpApp, KindeSide};

/// Kinde's Email key attribute (blank → `email`) must be the exact, case-sensitive name of an
/// attribute the IdP sends.
pub(super) fn email_attribute(idp: &IdpApp, kinde: &KindeSide) -> Check {
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
        if a.email == Some(EmailSource::Upn) {
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
                .find(|a| a.email == Some(EmailSource::Mail))
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
pub(super) fn name_id_format(idp: &IdpApp, kinde: &KindeSide) -> Check {
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
pub(super) fn idp_entity_id(idp: &IdpApp, kinde: &KindeSide) -> Check {
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
