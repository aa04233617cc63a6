//! Mergeable aggregates. Every counter is a sum, a min/max or a map of sums, so combining two
//! aggregates is exact and order-independent: that is what lets `--partial` + `merge` split work
//! across chunks, threads, processes and machines and still equal a single run.
//!
//! State grows with the number of distinct users, apps, codes and hours, never with file size.

use super::cause::{Cause, Outcome, Source};
use super::event::Event;
pub use super::files::FileSummary;
use super::files::merge_files;
pub use super::filter::Filter;
use crate::time::Millis;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// How many malformed-record locations are kept (the smallest by file, then line).
pub const MALFORMED_KEPT: usize = 20;

/// Distinct skipped event types listed before the rest are pooled (memory bounded by this, not
/// by what an input invents).
pub const SKIPPED_TYPES_KEPT: usize = 200;

/// The key skipped types beyond [`SKIPPED_TYPES_KEPT`] are pooled under.
pub const OTHER_TYPES: &str = "(other types)";

/// Event and failure counts for one key.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub events: u64,
    pub failures: u64,
    pub interrupted: u64,
}

impl Counts {
    fn add(&mut self, outcome: Outcome) {
        self.events += 1;
        match outcome {
            Outcome::Failure => self.failures += 1,
            Outcome::Interrupted => self.interrupted += 1,
            Outcome::Success => {}
        }
    }

    /// Saturating: counts come from partial files, which may be hostile (u64::MAX twice).
    fn merge(&mut self, other: &Counts) {
        self.events = self.events.saturating_add(other.events);
        self.failures = self.failures.saturating_add(other.failures);
        self.interrupted = self.interrupted.saturating_add(other.interrupted);
    }
}

/// Where a malformed record sits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Malformed {
    pub file: String,
    pub line: u64,
    pub error: String,
}

/// Everything `logs` computes, before rendering.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    pub events: u64,
    pub successes: u64,
    pub failures: u64,
    pub interrupted: u64,
    /// Records that parsed but are not sign-in outcomes (sign-out, assignment changes, …).
    pub skipped: u64,
    /// Skipped records per `source:event type` where the source names a type (Okta), at most
    /// [`SKIPPED_TYPES_KEPT`] types; the rest are counted under `(other types)`.
    #[serde(default)]
    pub skipped_by_type: BTreeMap<String, u64>,
    /// Failures per error code.
    pub by_error_code: BTreeMap<String, u64>,
    /// Interrupts per code (not failures).
    pub interrupts_by_code: BTreeMap<String, u64>,
    /// Failures per cause.
    pub by_cause: BTreeMap<Cause, u64>,
    /// Failures per cause and code, for the report's "top codes" per cause.
    pub codes_by_cause: BTreeMap<Cause, BTreeMap<String, u64>>,
    /// The source each failing code came from (the smallest in source order when several).
    pub code_sources: BTreeMap<String, Source>,
    pub by_source: BTreeMap<Source, Counts>,
    /// Events per sign-in category, for the records whose export names one (Entra diagnostic
    /// settings and Log Analytics); machine sign-ins are shown apart from people's.
    #[serde(default)]
    pub by_category: BTreeMap<String, Counts>,
    /// Hash maps for the two per-event lookups that dominate aggregation time; serialised in
    /// key order so partials stay byte-for-byte deterministic.
    #[serde(serialize_with = "sorted")]
    pub by_app: HashMap<String, Counts>,
    /// Every user seen (lowercased), so top-N and distinct counts stay exact after merging.
    #[serde(serialize_with = "sorted")]
    pub users: HashMap<String, Counts>,
    /// Hour bucket (milliseconds / 3 600 000) → counts.
    pub hours: BTreeMap<i64, Counts>,
    pub first_seen: Option<Millis>,
    pub last_seen: Option<Millis>,
    pub malformed_count: u64,
    pub malformed: Vec<Malformed>,
    pub files: Vec<FileSummary>,
}

fn bump(map: &mut BTreeMap<String, u64>, key: &str) {
    match map.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            map.insert(key.to_string(), 1);
        }
    }
}

/// Adds `n` under `key`, pooling new keys past [`SKIPPED_TYPES_KEPT`] into [`OTHER_TYPES`].
/// Merging stays exact in the total; which types are listed can depend on merge order only once
/// an input has more than [`SKIPPED_TYPES_KEPT`] distinct types.
fn bump_type(map: &mut BTreeMap<String, u64>, key: String, n: u64) {
    let key = if map.contains_key(&key) || map.len() < SKIPPED_TYPES_KEPT {
        key
    } else {
        OTHER_TYPES.to_string()
    };
    let slot = map.entry(key).or_default();
    *slot = slot.saturating_add(n);
}

fn counts<'m>(map: &'m mut HashMap<String, Counts>, key: &str) -> &'m mut Counts {
    // Look up by &str first so the common case allocates nothing.
    if !map.contains_key(key) {
        map.insert(key.to_string(), Counts::default());
    }
    map.get_mut(key).expect("inserted above")
}

fn sorted<S: serde::Serializer>(map: &HashMap<String, Counts>, s: S) -> Result<S::Ok, S::Error> {
    let ordered: BTreeMap<&String, &Counts> = map.iter().collect();
    serde::Serialize::serialize(&ordered, s)
}

impl Aggregate {
    /// Counts one event.
    pub fn add(&mut self, e: &Event<'_>) {
        self.events += 1;
        match e.outcome {
            Outcome::Success => self.successes += 1,
            Outcome::Failure => self.failures += 1,
            Outcome::Interrupted => self.interrupted += 1,
        }
        let code = e.error_code.as_deref().unwrap_or("(none)");
        match e.outcome {
            Outcome::Failure => {
                bump(&mut self.by_error_code, code);
                *self.by_cause.entry(e.cause).or_default() += 1;
                bump(self.codes_by_cause.entry(e.cause).or_default(), code);
                // The smallest source wins, as in `merge`, so results never depend on order.
                match self.code_sources.get_mut(code) {
                    Some(s) => *s = (*s).min(e.source),
                    None => {
                        self.code_sources.insert(code.to_string(), e.source);
                    }
                }
            }
            Outcome::Interrupted => bump(&mut self.interrupts_by_code, code),
            Outcome::Success => {}
        }
        self.by_source.entry(e.source).or_default().add(e.outcome);
        if let Some(c) = e.category.as_deref() {
            match self.by_category.get_mut(c) {
                Some(n) => n.add(e.outcome),
                None => {
                    let mut n = Counts::default();
                    n.add(e.outcome);
                    self.by_category.insert(c.to_string(), n);
                }
            }
        }
        if let Some(app) = e.app.as_deref() {
            counts(&mut self.by_app, app).add(e.outcome);
        }
        if let Some(user) = e.user.as_deref() {
            let user = user.trim();
            if user.bytes().any(|b| b.is_ascii_uppercase()) {
                counts(&mut self.users, &user.to_lowercase()).add(e.outcome);
            } else {
                counts(&mut self.users, user).add(e.outcome);
            }
        }
        if let Some(t) = e.time {
            self.hours
                .entry(t.div_euclid(3_600_000))
                .or_default()
                .add(e.outcome);
            self.first_seen = Some(self.first_seen.map_or(t, |f| f.min(t)));
            self.last_seen = Some(self.last_seen.map_or(t, |l| l.max(t)));
        }
    }

    /// Counts one skipped record of a named event type.
    pub fn add_skipped(&mut self, source: Source, event_type: &str) {
        self.skipped += 1;
        let key = format!("{source}:{event_type}");
        bump_type(&mut self.skipped_by_type, key, 1);
    }

    /// Records one malformed record, keeping only the first [`MALFORMED_KEPT`] locations.
    pub fn add_malformed(&mut self, m: Malformed) {
        self.malformed_count += 1;
        self.malformed.push(m);
        self.trim_malformed();
    }

    fn trim_malformed(&mut self) {
        if self.malformed.len() > MALFORMED_KEPT {
            self.malformed.sort();
            self.malformed.truncate(MALFORMED_KEPT);
        }
    }

    /// Adds `other` into `self`. Exact: merge(a, b) counts what one pass over both would.
    /// Counts saturate: `merge` reads partial files, which may be hostile.
    pub fn merge(&mut self, other: Aggregate) {
        fn add(into: &mut u64, v: u64) {
            *into = into.saturating_add(v);
        }
        add(&mut self.events, other.events);
        add(&mut self.successes, other.successes);
        add(&mut self.failures, other.failures);
        add(&mut self.interrupted, other.interrupted);
        add(&mut self.skipped, other.skipped);
        for (k, v) in other.skipped_by_type {
            bump_type(&mut self.skipped_by_type, k, v);
        }
        for (k, v) in other.by_error_code {
            add(self.by_error_code.entry(k).or_default(), v);
        }
        for (k, v) in other.interrupts_by_code {
            add(self.interrupts_by_code.entry(k).or_default(), v);
        }
        for (k, v) in other.by_cause {
            add(self.by_cause.entry(k).or_default(), v);
        }
        for (cause, codes) in other.codes_by_cause {
            let mine = self.codes_by_cause.entry(cause).or_default();
            for (k, v) in codes {
                add(mine.entry(k).or_default(), v);
            }
        }
        for (k, v) in other.code_sources {
            // Keep the smallest source so the result does not depend on merge order.
            let slot = self.code_sources.entry(k).or_insert(v);
            *slot = (*slot).min(v);
        }
        for (k, v) in other.by_source {
            self.by_source.entry(k).or_default().merge(&v);
        }
        for (k, v) in other.by_category {
            self.by_category.entry(k).or_default().merge(&v);
        }
        merge_counts(&mut self.by_app, other.by_app);
        merge_counts(&mut self.users, other.users);
        for (k, v) in other.hours {
            self.hours.entry(k).or_default().merge(&v);
        }
        self.first_seen = min_opt(self.first_seen, other.first_seen);
        self.last_seen = match (self.last_seen, other.last_seen) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        add(&mut self.malformed_count, other.malformed_count);
        self.malformed.extend(other.malformed);
        self.malformed.sort();
        self.malformed.truncate(MALFORMED_KEPT);
        merge_files(&mut self.files, other.files);
    }
}

fn merge_counts(into: &mut HashMap<String, Counts>, from: HashMap<String, Counts>) {
    if into.is_empty() {
        *into = from;
        return;
    }
    for (k, v) in from {
        into.entry(k).or_default().merge(&v);
    }
}

fn min_opt(a: Option<Millis>, b: Option<Millis>) -> Option<Millis> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn event(i: u64) -> Event<'static> {
        let outcome = match i % 3 {
            0 => Outcome::Success,
            1 => Outcome::Failure,
            _ => Outcome::Interrupted,
        };
        let mut e = Event::new(Source::ALL[(i % 5) as usize], outcome);
        e.time = Some((i as i64 % 97) * 1_000_000);
        e.user = Some(format!("User{}@Example.com", i % 7).into());
        e.app = (!i.is_multiple_of(4)).then(|| format!("app{}", i % 2).into());
        if outcome != Outcome::Success {
            e.error_code = Some(format!("{}", 50000 + i % 11).into());
            e.cause = Cause::ALL[(i % 17) as usize];
        }
        e
    }

    proptest! {
        #[test]
        fn merge_of_splits_equals_whole(ids in proptest::collection::vec(0u64..1000, 0..200), cut in 0usize..200) {
            let cut = cut.min(ids.len());
            let mut whole = Aggregate::default();
            ids.iter().for_each(|&i| whole.add(&event(i)));
            let (mut a, mut b) = (Aggregate::default(), Aggregate::default());
            ids[..cut].iter().for_each(|&i| a.add(&event(i)));
            ids[cut..].iter().for_each(|&i| b.add(&event(i)));
            let mut ba = b.clone();
            a.merge(b);
            ba.merge({ let mut x = Aggregate::default(); ids[..cut].iter().for_each(|&i| x.add(&event(i))); x });
            prop_assert_eq!(&a, &whole);
            prop_assert_eq!(&ba, &whole);
        }
    }

    #[test]
    fn users_are_case_folded_and_filters_apply() {
        let mut agg = Aggregate::default();
        agg.add(&event(1));
        agg.add(&event(8));
        assert_eq!(agg.users.len(), 1);
        assert!(agg.users.contains_key("user1@example.com"));
        let f = Filter {
            app: Some("app1".into()),
            ..Filter::default()
        };
        assert!(f.accepts(&event(1)));
        assert!(!f.accepts(&event(2)));
        let f = Filter {
            since: Some(5_000_000),
            ..Filter::default()
        };
        assert!(!f.accepts(&event(1)));
        assert!(f.accepts(&event(5)));
        let mut untimed = event(5);
        untimed.time = None;
        assert!(!f.accepts(&untimed));
    }

    #[test]
    fn malformed_keeps_smallest_locations() {
        let mut agg = Aggregate::default();
        for line in (0..50).rev() {
            agg.add_malformed(Malformed {
                file: "f".into(),
                line,
                error: "x".into(),
            });
        }
        assert_eq!(agg.malformed_count, 50);
        assert_eq!(agg.malformed.len(), MALFORMED_KEPT);
        assert_eq!(agg.malformed[0].line, 0);
    }
}
