//! The decision logic: pairs each IdP record with Kinde users and applies the decision table of
//! `docs/decision-table.md` (first matching row wins, then the self-joining row G1).
//!
//! Users are indexed by a trimmed, lower-cased email key so near-misses are found; exactness is
//! then judged on the raw values, because the migration document says matching is
//! case-sensitive. Records are decided in parallel; the result is sorted by person, so the
//! output never depends on hash order or thread timing.

mod decide;
mod index;

pub use decide::march_2025;

use super::IdpRecord;
use super::outcome::{Cmp, Outcome, Rule};
use super::users::{KindeUser, UsersSnapshot};
use crate::settings::{KINDE_DEFAULT_EMAIL_ATTRIBUTE, Settings};
use crate::time::format;
use decide::Ctx;
use index::Index;
use rayon::prelude::*;
use std::cmp::Ordering;

/// Options that are not connection settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimOptions {
    /// The organisation code the connection signs users into; needed to tell members from
    /// non-members when self-joining is off (rule G1).
    pub organization: Option<String>,
    /// Report Kinde users no record pairs with as `not_in_directory` (rule R1). True for a full
    /// directory export; false for a handful of SAML files or events, where it would be noise.
    pub report_unmatched_users: bool,
    /// Why the Kinde snapshot is partial, when the run goes on anyway
    /// (`--allow-partial-snapshot`): every outcome a user on an unread page could change is
    /// flagged [`flags::PARTIAL_SNAPSHOT`].
    pub partial_snapshot: Option<String>,
}

/// The settings as the simulator applies them; unset ones take a stated default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Effective {
    pub trust_emails: bool,
    pub jit: bool,
    pub self_joining: bool,
    pub connection_id: Option<String>,
    pub email_attribute: String,
    pub organization: Option<String>,
}

/// Resolves the settings, returning the assumptions made for unset values.
pub fn effective(settings: &Settings, opts: &SimOptions) -> (Effective, Vec<String>) {
    let mut assumptions = Vec::new();
    let mut pick = |v: Option<bool>, default: bool, text: &str| {
        if v.is_none() {
            assumptions.push(text.to_string());
        }
        v.unwrap_or(default)
    };
    let trust_emails = pick(
        settings.trust_emails,
        false,
        "[connection] trust_emails is not set: assumed OFF (Kinde's connection default is not documented); outcomes that depend on it say so",
    );
    let jit = pick(
        settings.jit_provisioning,
        false,
        "[connection] jit_provisioning is not set: assumed OFF (\"Create a user record in Kinde\" unticked)",
    );
    let self_joining = pick(
        settings.self_joining,
        true,
        "[organization] self_joining is not set: assumed ON, so no user is refused for it",
    );
    if settings.connection_id.is_none() {
        assumptions.push("[connection] id is not set: every enterprise identity is assumed to belong to this connection (rules R4-R8 cannot tell connections apart)".into());
    }
    if !self_joining && opts.organization.is_none() {
        assumptions.push("self-joining is off but no --organization was given: existing users are assumed to be members; only new users are refused".into());
    }
    let email_attribute = settings
        .email_attribute
        .as_ref()
        .map_or(KINDE_DEFAULT_EMAIL_ATTRIBUTE.to_string(), |s| {
            s.value.clone()
        });
    let eff = Effective {
        trust_emails,
        jit,
        self_joining,
        connection_id: settings.connection_id.clone(),
        email_attribute,
        organization: opts.organization.clone(),
    };
    (eff, assumptions)
}

/// Which Kinde value an IdP email was compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindeValue {
    None,
    /// The profile's default email.
    Profile,
    /// `identities[i].value`.
    Identity(u16),
}

/// Bit flags that add notes to a decision.
pub mod flags {
    /// Created before 2025-03-01T00:00:00Z.
    pub const PRE_MARCH: u16 = 1;
    /// Created within a day of the boundary (time zone not stated, U10).
    pub const NEAR_BOUNDARY: u16 = 1 << 1;
    /// The snapshot has no creation date and the emails differ in case.
    pub const CREATED_UNKNOWN: u16 = 1 << 2;
    /// Paired through `subject_id` = `provided_id`.
    pub const BY_ID: u16 = 1 << 3;
    /// A record without email paired through an email-shaped attribute or NameID.
    pub const BY_ATTRIBUTE: u16 = 1 << 4;
    /// Self-joining off, membership unknown, assumed member.
    pub const ASSUMED_MEMBER: u16 = 1 << 5;
    /// Enterprise identity assumed to be this connection's (no id to compare).
    pub const ASSUMED_CONNECTION: u16 = 1 << 6;
    /// The email attribute was sent with an empty value.
    pub const EMPTY_EMAIL: u16 = 1 << 7;
    /// The snapshot is partial and no Kinde user matched exactly: a user on an unread page
    /// could change the outcome.
    pub const PARTIAL_SNAPSHOT: u16 = 1 << 8;
}

/// One person's predicted outcome, by reference into the snapshot and the records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub outcome: Outcome,
    pub rule: Rule,
    /// The outcome and rule before G1 refused the sign-in.
    pub before_g1: Option<(Outcome, Rule)>,
    /// Index into the records passed to [`simulate`].
    pub record: Option<u32>,
    /// Index into `UsersSnapshot::users`.
    pub user: Option<u32>,
    pub cmp: Option<Cmp>,
    pub kinde_value: KindeValue,
    pub flags: u16,
    /// Other Kinde users equal to the IdP email ignoring case/whitespace (U12).
    pub others: Box<[u32]>,
    /// First 16 bytes of the person's folded email, so sorting rarely touches the strings.
    sort_key: u128,
}

impl Decision {
    fn new(outcome: Outcome, rule: Rule, record: Option<u32>, user: Option<u32>) -> Decision {
        Decision {
            outcome,
            rule,
            before_g1: None,
            record,
            user,
            cmp: None,
            kinde_value: KindeValue::None,
            flags: 0,
            others: Box::new([]),
            sort_key: 0,
        }
    }

    pub fn has(&self, flag: u16) -> bool {
        self.flags & flag != 0
    }

    /// A clean outcome that still deserves a look: near the March 2025 boundary, unknown
    /// creation date with a case difference, an assumed connection, near-duplicate Kinde users,
    /// or a linked identity whose case differs.
    pub fn has_warning(&self) -> bool {
        self.has(
            flags::NEAR_BOUNDARY
                | flags::CREATED_UNKNOWN
                | flags::ASSUMED_CONNECTION
                | flags::PARTIAL_SNAPSHOT,
        ) || !self.others.is_empty()
            || self.rule == Rule::R6LinkedCaseWarning
            || self.rule == Rule::L1Lookalike
    }

    /// Whether the person appears in the "needing action" list.
    pub fn needs_action(&self) -> bool {
        self.outcome.needs_action() || self.has_warning()
    }
}

/// The result of a simulation: sorted decisions, counts and the assumptions made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Simulation {
    pub settings: Effective,
    pub decisions: Vec<Decision>,
    /// Indexed by [`Outcome::index`].
    pub counts: [usize; Outcome::ALL.len()],
    pub assumptions: Vec<String>,
}

impl Simulation {
    pub fn count(&self, o: Outcome) -> usize {
        self.counts[o.index()]
    }
}

/// Predicts every person's outcome.
///
/// `records` are what the IdP will send (one per person); `users` is the Kinde snapshot. Each
/// record becomes one decision; with `opts.report_unmatched_users`, every Kinde user no record
/// paired with becomes a `not_in_directory` decision too. Decisions are sorted by email
/// (case-insensitively), then Kinde id, then record source, so output is deterministic.
pub fn simulate(
    settings: &Settings,
    users: &UsersSnapshot,
    records: &[IdpRecord],
    opts: &SimOptions,
) -> Simulation {
    let (eff, assumptions) = effective(settings, opts);
    let with_ids = records.iter().any(|r| r.subject_id.is_some());
    let ctx = Ctx {
        users: &users.users,
        index: Index::build(&users.users, with_ids),
        settings: &eff,
        boundary: march_2025(),
    };
    let mut decisions: Vec<Decision> = records
        .par_iter()
        .enumerate()
        .map(|(i, r)| {
            let mut d = ctx.decide(i as u32, r);
            ctx.apply_g1(&mut d);
            if opts.partial_snapshot.is_some() && d.cmp != Some(Cmp::Exact) {
                d.flags |= flags::PARTIAL_SNAPSHOT;
            }
            d
        })
        .collect();
    if opts.report_unmatched_users {
        let extra = unmatched(&users.users, &decisions);
        // Exact reservation: growing a million-entry Vec by doubling would double its memory.
        decisions.reserve_exact(extra.len());
        decisions.extend(extra);
    }
    drop(ctx);
    sort_decisions(&mut decisions, &users.users, records);
    let mut counts = [0; Outcome::ALL.len()];
    for d in &decisions {
        counts[d.outcome.index()] += 1;
    }
    Simulation {
        settings: eff,
        decisions,
        counts,
        assumptions,
    }
}

/// Row R1: Kinde users no record was paired with.
fn unmatched(users: &[KindeUser], decisions: &[Decision]) -> Vec<Decision> {
    let mut seen = vec![false; users.len()];
    for u in decisions.iter().filter_map(|d| d.user) {
        seen[u as usize] = true;
    }
    seen.iter()
        .enumerate()
        .filter(|(_, s)| !**s)
        .map(|(i, _)| {
            let mut d = Decision::new(
                Outcome::NotInDirectory,
                Rule::R1NotInDirectory,
                None,
                Some(i as u32),
            );
            d.kinde_value = KindeValue::Profile;
            d
        })
        .collect()
}

/// The email a decision is sorted and shown by.
fn person_email<'a>(d: &Decision, users: &'a [KindeUser], records: &'a [IdpRecord]) -> &'a str {
    let rec = d.record.map(|r| &records[r as usize]);
    rec.and_then(|r| r.email.as_deref().or(r.name_id.as_deref()))
        .or_else(|| d.user.and_then(|u| users[u as usize].email.as_deref()))
        .unwrap_or("")
}

/// Compares trimmed emails ignoring ASCII case, byte by byte.
fn cmp_ci(a: &str, b: &str) -> Ordering {
    let (a, b) = (a.trim().as_bytes(), b.trim().as_bytes());
    for (x, y) in a.iter().zip(b) {
        let o = x.to_ascii_lowercase().cmp(&y.to_ascii_lowercase());
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

/// The first sixteen bytes of the folded email, big-endian: orders like [`cmp_ci`] on them.
fn sort_prefix(email: &str) -> u128 {
    let mut b = [0u8; 16];
    for (slot, c) in b.iter_mut().zip(email.trim().bytes()) {
        *slot = c.to_ascii_lowercase();
    }
    u128::from_be_bytes(b)
}

fn sort_decisions(decisions: &mut [Decision], users: &[KindeUser], records: &[IdpRecord]) {
    let user_id = |d: &Decision| d.user.and_then(|u| users[u as usize].id.as_deref());
    decisions
        .par_iter_mut()
        .for_each(|d| d.sort_key = sort_prefix(person_email(d, users, records)));
    decisions.par_sort_unstable_by(|a, b| {
        a.sort_key.cmp(&b.sort_key).then_with(|| {
            let (ea, eb) = (
                person_email(a, users, records),
                person_email(b, users, records),
            );
            cmp_ci(ea, eb)
                .then_with(|| ea.cmp(eb))
                .then_with(|| user_id(a).cmp(&user_id(b)))
                .then_with(|| a.user.cmp(&b.user))
                .then_with(|| a.record.cmp(&b.record))
        })
    });
}

/// Formats a creation time as a date for people.
pub fn created_text(u: &KindeUser) -> Option<String> {
    u.created_on.map(format)
}

#[cfg(test)]
mod tests;
