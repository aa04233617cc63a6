//! Deciding one record: pick the Kinde candidate, then apply the decision table's rows
//! (R2-R13, X1, U12) and the self-joining row G1.

use super::index::{Index, match_values};
use super::{Decision, Effective, KindeValue, flags};
use crate::provision::IdpRecord;
use crate::provision::outcome::{Cmp, Outcome, Rule};
use crate::provision::users::{IdentityType, KindeUser};
use crate::time::{Millis, parse_millis};

/// How a user relates to this connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Holds this connection's enterprise identity (index); `assumed` when no id to compare.
    This(u16, bool),
    Other,
    None,
}

fn classify(u: &KindeUser, conn: Option<&str>) -> Class {
    let mut found = Class::None;
    for (i, id) in u.identities.iter().enumerate() {
        let same = match (conn, id.connection_id.as_deref()) {
            (Some(c), Some(ic)) => Some(c == ic),
            _ => None,
        };
        let enterprise = id.kind == IdentityType::Enterprise
            || (matches!(id.kind, IdentityType::Other(_)) && same == Some(true));
        match (enterprise, same) {
            (false, _) => {}
            (true, Some(true)) => return Class::This(i as u16, false),
            (true, None) => return Class::This(i as u16, true),
            (true, Some(false)) => found = Class::Other,
        }
    }
    found
}

/// The best comparison between the IdP email and the user's values.
fn compare(u: &KindeUser, email: &str, class: Class) -> (Cmp, KindeValue) {
    if let Class::This(i, _) = class {
        return (
            Cmp::of(&u.identities[i as usize].value, email),
            KindeValue::Identity(i),
        );
    }
    match_values(u)
        .filter(|(k, _)| match k {
            KindeValue::Identity(i) => u.identities[*i as usize].kind != IdentityType::Enterprise,
            _ => true,
        })
        .map(|(k, v)| (Cmp::of(v, email), k))
        .min_by_key(|(c, _)| *c)
        .unwrap_or((Cmp::Different, KindeValue::None))
}

/// 2025-03-01T00:00:00Z, the seed's "before March 2025" boundary (U10: UTC assumed).
pub fn march_2025() -> Millis {
    parse_millis("2025-03-01T00:00:00Z").unwrap_or(0)
}

const DAY_MS: Millis = 86_400_000;

fn created_flags(u: &KindeUser, boundary: Millis) -> u16 {
    match u.created_on {
        Some(c) if c < boundary => {
            flags::PRE_MARCH
                | if boundary - c < DAY_MS {
                    flags::NEAR_BOUNDARY
                } else {
                    0
                }
        }
        Some(c) if c - boundary < DAY_MS => flags::NEAR_BOUNDARY,
        _ => 0,
    }
}

/// Rows R3-R12 and X1 for a chosen candidate.
fn apply_rules(u: &KindeUser, cmp: Cmp, class: Class, pre: bool, s: &Effective) -> (Outcome, Rule) {
    use Outcome::*;
    let new_or_refused = if s.jit { DuplicateCreated } else { NotFound };
    if cmp == Cmp::Lookalike {
        // A different identity to Kinde's exact comparison: a new user, never this one.
        return (if s.jit { JitCreated } else { NotFound }, Rule::L1Lookalike);
    }
    if u.is_suspended == Some(true) {
        return (Unknown, Rule::R3Suspended);
    }
    match (class, cmp) {
        (Class::This(..), Cmp::Exact) => (Linked, Rule::R4Linked),
        (Class::This(..) | Class::None, Cmp::Case) if pre => (PreMarchCase, Rule::R5PreMarch),
        (Class::This(..), Cmp::Case) => (Linked, Rule::R6LinkedCaseWarning),
        (Class::This(..), _) => (Unknown, Rule::R7EnterpriseEmailDiffers),
        (Class::Other, _) => (new_or_refused, Rule::R8OtherConnection),
        (Class::None, Cmp::Exact) if s.trust_emails => (Merged, Rule::R9Merged),
        (Class::None, Cmp::Exact) if s.jit => (DuplicateCreated, Rule::R10TrustOffDuplicate),
        (Class::None, Cmp::Exact) => (NotFound, Rule::R11TrustOffNotFound),
        (Class::None, Cmp::Case | Cmp::Space) => (new_or_refused, Rule::R12NearMiss),
        (Class::None, Cmp::Different | Cmp::Lookalike) => (new_or_refused, Rule::X1IdOnly),
    }
}

/// Candidates for an email: email-key matches plus id matches, without repeats.
fn candidates<'i>(index: &'i Index, email: &str, subject: Option<&str>) -> (&'i [u32], Vec<u32>) {
    let by_email = index.by_email(email);
    let by_id: Vec<u32> = index
        .by_id(subject)
        .iter()
        .copied()
        .filter(|u| !by_email.contains(u))
        .collect();
    (by_email, by_id)
}

pub(super) struct Ctx<'a> {
    pub(super) users: &'a [KindeUser],
    pub(super) index: Index<'a>,
    pub(super) settings: &'a Effective,
    pub(super) boundary: Millis,
}

impl Ctx<'_> {
    /// Decides one record (rows R2-R13 and X1/U12, before G1).
    pub(super) fn decide(&self, ri: u32, r: &IdpRecord) -> Decision {
        let Some(email) = r.usable_email() else {
            return self.no_email(ri, r);
        };
        let (by_email, by_id) = candidates(&self.index, email, r.subject_id.as_deref());
        let conn = self.settings.connection_id.as_deref();
        let score = |ui: u32| {
            let u = &self.users[ui as usize];
            let class = classify(u, conn);
            let (cmp, kv) = compare(u, email, class);
            (cmp, ui, class, kv)
        };
        // An email candidate that compares `Different` only shared a hash bucket: drop it.
        let mut scored: Vec<(Cmp, u32, Class, KindeValue)> = by_email
            .iter()
            .map(|&ui| score(ui))
            .filter(|s| s.0 != Cmp::Different)
            .chain(by_id.iter().map(|&ui| score(ui)))
            .collect();
        if scored.iter().all(|s| s.0 > Cmp::Space) {
            // No exact or near match: look for Kinde users this email only looks like (L1).
            let seen: Vec<u32> = scored.iter().map(|s| s.1).collect();
            scored.extend(
                self.index
                    .by_skeleton(email)
                    .iter()
                    .filter(|ui| !seen.contains(ui))
                    .map(|&ui| score(ui))
                    .filter(|s| s.0 == Cmp::Lookalike),
            );
        }
        let new_or_refused = if self.settings.jit {
            Outcome::JitCreated
        } else {
            Outcome::NotFound
        };
        if scored.is_empty() {
            // Suspicious on its own (a bidi override, an invisible character): still flagged.
            let rule = if crate::identity::reasons(email).is_empty() {
                Rule::R13NoCandidate
            } else {
                Rule::L1Lookalike
            };
            return Decision::new(new_or_refused, rule, Some(ri), None);
        }
        scored.sort_by_key(|(c, ui, _, _)| (*c, *ui));
        let exact = scored.iter().filter(|s| s.0 == Cmp::Exact).count();
        let (cmp, ui, class, kv) = scored[0];
        let u = &self.users[ui as usize];
        let pre = u.created_on.is_some_and(|c| c < self.boundary);
        let (outcome, rule) = if exact > 1 {
            (Outcome::Unknown, Rule::U12Ambiguous)
        } else {
            apply_rules(u, cmp, class, pre, self.settings)
        };
        let mut d = Decision::new(outcome, rule, Some(ri), Some(ui));
        d.cmp = Some(cmp);
        d.kinde_value = kv;
        d.flags = created_flags(u, self.boundary);
        if u.created_on.is_none() && cmp == Cmp::Case {
            d.flags |= flags::CREATED_UNKNOWN;
        }
        if by_id.contains(&ui) {
            d.flags |= flags::BY_ID;
        }
        if matches!(class, Class::This(_, true)) {
            d.flags |= flags::ASSUMED_CONNECTION;
        }
        d.others = scored[1..].iter().map(|s| s.1).collect();
        d
    }

    /// Row R2, pairing the record with its Kinde user through any email-shaped value it sent.
    fn no_email(&self, ri: u32, r: &IdpRecord) -> Decision {
        let mut d = Decision::new(Outcome::NoEmail, Rule::R2NoEmail, Some(ri), None);
        if r.email_attribute_present {
            d.flags |= flags::EMPTY_EMAIL;
        }
        if let Some(&u) = self.index.by_id(r.subject_id.as_deref()).first() {
            d.user = Some(u);
            d.flags |= flags::BY_ID;
            return d;
        }
        let sent = r.attributes.iter().flat_map(|(_, v)| v.iter());
        let hint = sent
            .chain(r.name_id.iter())
            .filter(|v| crate::identity::looks_like_email(v))
            .find_map(|v| self.index.by_email(v).first().copied());
        if let Some(u) = hint {
            d.user = Some(u);
            d.flags |= flags::BY_ATTRIBUTE;
        }
        d
    }

    /// Row G1: self-joining off refuses users who would not already be members.
    pub(super) fn apply_g1(&self, d: &mut Decision) {
        if self.settings.self_joining {
            return;
        }
        let member = d.user.map(|u| self.is_member(&self.users[u as usize]));
        let refuse = match d.outcome {
            Outcome::JitCreated | Outcome::DuplicateCreated => true,
            Outcome::Linked | Outcome::Merged => match member.flatten() {
                Some(m) => !m,
                None => {
                    d.flags |= flags::ASSUMED_MEMBER;
                    false
                }
            },
            _ => false,
        };
        if refuse {
            d.before_g1 = Some((d.outcome, d.rule));
            d.outcome = Outcome::NotFound;
            d.rule = Rule::G1SelfJoining;
        }
    }

    /// `None` when membership cannot be known (no org code, or the shape lacks organisations).
    fn is_member(&self, u: &KindeUser) -> Option<bool> {
        let org = self.settings.organization.as_deref()?;
        let orgs = u.organizations.as_ref()?;
        Some(orgs.iter().any(|o| o.as_ref() == org))
    }
}
