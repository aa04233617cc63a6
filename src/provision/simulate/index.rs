//! Lookup tables over the snapshot: Kinde users by email comparison key and by `provided_id`.

use super::KindeValue;
use crate::provision::email_key;
use crate::provision::users::{IdentityType, KindeUser};
use rayon::prelude::*;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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
pub(super) struct Index<'a> {
    users: &'a [KindeUser],
    /// (skeleton hash, user) of each match value ([`crate::identity::skeleton_hash`]), sorted;
    /// built on the first lookalike lookup, so a run where every record matches never pays
    /// for it. A sorted vector: 16 bytes a value, half a hash map's footprint.
    by_skeleton: std::sync::OnceLock<Vec<(u64, u32)>>,
    by_email: PassThroughMap<u32>,
    by_provided_id: HashMap<&'a str, u32>,
    /// User lists for keys held by several users (rare: duplicates, hash collisions).
    multi: Vec<Vec<u32>>,
}

/// The values a user can be matched on: profile email, email and enterprise identities.
pub(super) fn match_values(u: &KindeUser) -> impl Iterator<Item = (KindeValue, &str)> {
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
    pub(super) fn build(users: &'a [KindeUser], with_ids: bool) -> Index<'a> {
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
            users,
            by_skeleton: std::sync::OnceLock::new(),
            by_email,
            by_provided_id,
            multi,
        }
    }

    /// Users with a value that has the same skeleton as `email` (lookalike candidates).
    pub(super) fn by_skeleton(&self, email: &str) -> Vec<u32> {
        let sorted = self.by_skeleton.get_or_init(|| {
            let mut v: Vec<(u64, u32)> = self
                .users
                .par_iter()
                .enumerate()
                .flat_map_iter(|(i, u)| {
                    match_values(u).map(move |(_, v)| (crate::identity::skeleton_hash(v), i as u32))
                })
                .collect();
            v.par_sort_unstable();
            v.dedup();
            v.shrink_to_fit();
            v
        });
        let h = crate::identity::skeleton_hash(email);
        let start = sorted.partition_point(|(k, _)| *k < h);
        sorted[start..]
            .iter()
            .take_while(|(k, _)| *k == h)
            .map(|(_, u)| *u)
            .collect()
    }

    fn resolve<'s>(&'s self, v: Option<&'s u32>) -> &'s [u32] {
        match v {
            Some(v) if v & MULTI != 0 => &self.multi[(v & !MULTI) as usize],
            Some(v) => std::slice::from_ref(v),
            None => &[],
        }
    }

    pub(super) fn by_email(&self, email: &str) -> &[u32] {
        self.resolve(self.by_email.get(&key_hash(email)))
    }

    pub(super) fn by_id(&self, id: Option<&str>) -> &[u32] {
        self.resolve(id.and_then(|id| self.by_provided_id.get(id)))
    }
}
