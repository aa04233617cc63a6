//! A user object as the API pages and the export spell it (aliases cover both shapes), and its
//! conversion to a [`KindeUser`].

use super::{Identity, IdentityType, KindeUser};
use crate::time::parse_millis;
use serde::Deserialize;
use std::borrow::Cow;

/// A user as the API or the export spells it; aliases cover both shapes.
#[derive(Debug, Deserialize)]
pub(super) struct RawUser<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "external_id")]
    provided_id: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "preferred_email")]
    email: Option<Cow<'a, str>>,
    #[serde(borrow)]
    phone: Option<Cow<'a, str>>,
    #[serde(borrow)]
    created_on: Option<Cow<'a, str>>,
    is_suspended: Option<bool>,
    #[serde(borrow)]
    organizations: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow)]
    identities: Option<Vec<RawIdentity<'a>>>,
}

#[derive(Debug, Deserialize)]
struct RawIdentity<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "name")]
    identity: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "provider")]
    connection_id: Option<Cow<'a, str>>,
}

fn boxed(v: Option<Cow<'_, str>>) -> Option<Box<str>> {
    v.filter(|s| !s.is_empty()).map(|s| s.into())
}

impl RawUser<'_> {
    /// Converts to a [`KindeUser`]; a user without an id cannot be acted on, so it is an error.
    pub(super) fn into_user(self, file: u16, position: u64) -> Result<KindeUser, String> {
        let id = boxed(self.id).ok_or("user object has no `id`")?;
        // `collect` reuses the parser's buffer in place (capacity 4 of a larger element type);
        // shrinking matters at a million users (about 250 MB).
        let mut identities: Vec<Identity> = self
            .identities
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| {
                Some(Identity {
                    kind: IdentityType::classify(i.kind.as_deref().unwrap_or("")),
                    value: boxed(i.identity)?,
                    connection_id: boxed(i.connection_id),
                })
            })
            .collect();
        identities.shrink_to_fit();
        Ok(KindeUser {
            id: Some(id),
            provided_id: boxed(self.provided_id),
            email: boxed(self.email),
            phone: boxed(self.phone),
            created_on: self.created_on.as_deref().and_then(parse_millis),
            is_suspended: self.is_suspended,
            organizations: self
                .organizations
                .map(|o| o.into_iter().map(|c| c.into()).collect::<Vec<_>>())
                .map(|mut o| {
                    o.shrink_to_fit();
                    o
                }),
            identities,
            file,
            position,
        })
    }
}
