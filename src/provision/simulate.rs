//! The decision logic: pairs each IdP record with Kinde users and applies the decision table of
//! `kinde.md` §5.2 (first matching row wins, then the self-joining row G1).
//!
//! Users are indexed by a trimmed, lower-cased email key so near-misses are found; exactness is
//! then judged on the raw values, because the migration document says matching is
//! case-sensitive. Records are decided in parallel; the result is sorted by person, so the
//! output never depends on hash order or thread timing.

use super::outcome::{Cmp, Outcome, Rule};
use super::users::{IdentityType, KindeUser, UsersSnapshot};
use super::{IdpRecord, email_key};
use crate::settings::{KINDE_DEFAULT_EMAIL_ATTRIBUTE, Settings};
use crate::time::{Millis, format, parse_millis};
use rayon::prelude::*;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Options that are not connection settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SimOptions {
    /// The organisation code the connection signs users into; needed to tell members from
    /// non-members when self-joining is off (rule G1).
    pub organization: Option<String>,
    /// Report Kinde users no record pairs with as `not_in_directory` (rule R1). True for a full
    /// directory export; false for a handful of SAML files or events, where it would be noise.
    pub report_unmatched_users: bool,
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
        self.has(flags::NEAR_BOUNDARY | flags::CREATED_UNKNOWN | flags::ASSUMED_CONNECTION)
            || !self.others.is_empty()
            || self.rule == Rule::R6LinkedCaseWarning
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

/// A `Hasher` for keys that are already well-mixed 64-bit hashes.
#[derive(Debug, Default, Clone, Copy)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = v;
    }
}

type PassThroughMap<V> = HashMap<u64, V, BuildHasherDefault<PassThrough>>;

/// Marks an index value as "several users": the rest is an index into `Index::multi`.
const MULTI: u32 = 1 << 31;

/// 64-bit hash of an email's comparison key (trimmed, lower-cased) without allocating for ASCII.
/// FNV-1a, then a splitmix finaliser so the hash map's bucket bits are well spread.
fn key_hash(v: &str) -> u64 {
    let t = v.trim();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |b: u8| h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    if t.is_ascii() {
        t.bytes().for_each(|b| eat(b.to_ascii_lowercase()));
    } else {
        email_key(t).bytes().for_each(eat);
    }
    let mut z = h;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Lookup tables over the snapshot: users by email key (hash → user, 16 bytes an entry, so a
/// million users cost tens of megabytes) and by `provided_id`.
struct Index<'a> {
    by_email: PassThroughMap<u32>,
    by_provided_id: HashMap<&'a str, u32>,
    /// User lists for keys held by several users (rare: duplicates, hash collisions).
    multi: Vec<Vec<u32>>,
}

/// The values a user can be matched on: profile email, email and enterprise identities.
fn match_values(u: &KindeUser) -> impl Iterator<Item = (KindeValue, &str)> {
    let profile = u.email.as_deref().map(|e| (KindeValue::Profile, e));
    let identities = u.identities.iter().enumerate().filter_map(|(i, id)| {
        let usable = matches!(id.kind, IdentityType::Email | IdentityType::Enterprise)
            || (matches!(id.kind, IdentityType::Other(_)) && id.connection_id.is_some());
        usable.then(|| (KindeValue::Identity(i as u16), id.value.as_ref()))
    });
    profile.into_iter().chain(identities)
}

fn add(map_value: &mut u32, multi: &mut Vec<Vec<u32>>, user: u32) {
    if *map_value & MULTI != 0 {
        let list = &mut multi[(*map_value & !MULTI) as usize];
        if list.last() != Some(&user) {
            list.push(user);
        }
    } else if *map_value != user {
        multi.push(vec![*map_value, user]);
        *map_value = MULTI | (multi.len() - 1) as u32;
    }
}

impl<'a> Index<'a> {
    fn build(users: &'a [KindeUser], with_ids: bool) -> Index<'a> {
        // Hashing is the costly part, so it runs on all cores; inserting stays sequential.
        let hashes: Vec<(u32, u64)> = users
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, u)| match_values(u).map(move |(_, v)| (i as u32, key_hash(v))))
            .collect();
        let mut by_email =
            PassThroughMap::with_capacity_and_hasher(users.len(), Default::default());
        let mut by_provided_id: HashMap<&'a str, u32> = HashMap::new();
        let mut multi = Vec::new();
        for &(i, h) in &hashes {
            by_email
                .entry(h)
                .and_modify(|v| add(v, &mut multi, i))
                .or_insert(i);
        }
        drop(hashes);
        for (i, u) in users.iter().enumerate() {
            let i = i as u32;
            if let (true, Some(p)) = (with_ids, u.provided_id.as_deref()) {
                by_provided_id
                    .entry(p)
                    .and_modify(|v| add(v, &mut multi, i))
                    .or_insert(i);
            }
        }
        Index {
            by_email,
            by_provided_id,
            multi,
        }
    }

    fn resolve<'s>(&'s self, v: Option<&'s u32>) -> &'s [u32] {
        match v {
            Some(v) if v & MULTI != 0 => &self.multi[(v & !MULTI) as usize],
            Some(v) => std::slice::from_ref(v),
            None => &[],
        }
    }

    fn by_email(&self, email: &str) -> &[u32] {
        self.resolve(self.by_email.get(&key_hash(email)))
    }

    fn by_id(&self, id: Option<&str>) -> &[u32] {
        self.resolve(id.and_then(|id| self.by_provided_id.get(id)))
    }
}

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
        (Class::None, Cmp::Different) => (new_or_refused, Rule::X1IdOnly),
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

struct Ctx<'a> {
    users: &'a [KindeUser],
    index: Index<'a>,
    settings: &'a Effective,
    boundary: Millis,
}

impl Ctx<'_> {
    /// Decides one record (rows R2-R13 and X1/U12, before G1).
    fn decide(&self, ri: u32, r: &IdpRecord) -> Decision {
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
        if scored.is_empty() {
            let o = if self.settings.jit {
                Outcome::JitCreated
            } else {
                Outcome::NotFound
            };
            return Decision::new(o, Rule::R13NoCandidate, Some(ri), None);
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
            .filter(|v| v.contains('@'))
            .find_map(|v| self.index.by_email(v).first().copied());
        if let Some(u) = hint {
            d.user = Some(u);
            d.flags |= flags::BY_ATTRIBUTE;
        }
        d
    }

    /// Row G1: self-joining off refuses users who would not already be members.
    fn apply_g1(&self, d: &mut Decision) {
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
