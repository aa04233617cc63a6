//! The per-person join: IdP sign-ins, Kinde events and the users snapshots, decided into one
//! observed outcome per person (keyed by the email exactly as the IdP sends it, the way Kinde
//! compares it; case and whitespace variants are named as near-misses).

use super::idp::IdpSide;
use super::kinde_events::{Kind, KindeEvent};
use crate::provision::{IdpRecord, UsersSnapshot, email_key};
use crate::time::Millis;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What actually happened to one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Observed {
    DuplicateCreated,
    IdpSuccessNoKinde,
    IdpFailure,
    KindeOnly,
    CreatedNew,
    SignedInExisting,
    NotAttempted,
}

impl Observed {
    pub const ALL: [Observed; 7] = [
        Observed::DuplicateCreated,
        Observed::IdpSuccessNoKinde,
        Observed::IdpFailure,
        Observed::KindeOnly,
        Observed::CreatedNew,
        Observed::SignedInExisting,
        Observed::NotAttempted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Observed::DuplicateCreated => "duplicate_created",
            Observed::IdpSuccessNoKinde => "idp_success_no_kinde",
            Observed::IdpFailure => "idp_failure",
            Observed::KindeOnly => "kinde_only",
            Observed::CreatedNew => "created_new",
            Observed::SignedInExisting => "signed_in_existing",
            Observed::NotAttempted => "not_attempted",
        }
    }

    /// Signed in through SSO (what turning Trust email addresses off waits for).
    pub fn signed_in(self) -> bool {
        matches!(self, Observed::CreatedNew | Observed::SignedInExisting)
    }
}

/// One person's result (before the prediction is attached).
#[derive(Debug, Clone)]
pub struct Person {
    pub email: String,
    pub observed: Observed,
    pub evidence: Vec<String>,
    pub fix: Option<String>,
    pub near_misses: Vec<String>,
    /// IdP success → Kinde event, when one was joined.
    pub delay: Option<Millis>,
    /// Index into the directory records, when the person is in the directory.
    pub directory: Option<usize>,
}

/// What the join reads.
pub struct Inputs<'a> {
    pub before: &'a UsersSnapshot,
    pub after: Option<&'a UsersSnapshot>,
    pub kinde: &'a [KindeEvent],
    pub idp: &'a IdpSide,
    pub directory: Option<&'a [IdpRecord]>,
    pub window: Millis,
    pub jit: bool,
}

struct Index<'a> {
    /// id → email in BEFORE.
    before_email: BTreeMap<&'a str, &'a str>,
    /// exact email or enterprise identity → ids in BEFORE.
    exact: BTreeMap<&'a str, BTreeSet<&'a str>>,
    /// folded email → ids in BEFORE.
    folded: BTreeMap<String, BTreeSet<&'a str>>,
    /// ids new since BEFORE (user.created events, users only in AFTER) → email.
    new_users: BTreeMap<&'a str, (String, String)>,
    /// user id → Kinde events, by time.
    events: BTreeMap<&'a str, Vec<&'a KindeEvent>>,
}

fn build<'a>(inp: &Inputs<'a>) -> Index<'a> {
    let mut ix = Index {
        before_email: BTreeMap::new(),
        exact: BTreeMap::new(),
        folded: BTreeMap::new(),
        new_users: BTreeMap::new(),
        events: BTreeMap::new(),
    };
    for u in &inp.before.users {
        let Some(id) = u.id.as_deref() else { continue };
        if let Some(e) = u.email.as_deref() {
            ix.before_email.insert(id, e);
            ix.exact.entry(e).or_default().insert(id);
            ix.folded.entry(email_key(e)).or_default().insert(id);
        }
        for i in &u.identities {
            ix.exact.entry(&i.value).or_default().insert(id);
            ix.folded.entry(email_key(&i.value)).or_default().insert(id);
        }
    }
    for e in inp.kinde {
        if let Some(id) = e.user_id.as_deref() {
            ix.events.entry(id).or_default().push(e);
            if e.kind == Kind::Created
                && !ix.before_email.contains_key(id)
                && let Some(email) = &e.email
            {
                ix.new_users.insert(
                    id,
                    (
                        email.clone(),
                        format!("user.created {} ({})", e.event_id, e.at),
                    ),
                );
            }
        }
    }
    if let Some(after) = inp.after {
        for u in &after.users {
            let (Some(id), Some(e)) = (u.id.as_deref(), u.email.as_deref()) else {
                continue;
            };
            if !ix.before_email.contains_key(id) && !ix.new_users.contains_key(id) {
                ix.new_users.insert(
                    id,
                    (
                        e.to_string(),
                        format!("new in --users-after ({})", after.source_of(u)),
                    ),
                );
            }
        }
    }
    for list in ix.events.values_mut() {
        list.sort_by_key(|e| (e.time, e.event_id.as_str()));
    }
    ix
}

/// Joins everything into one person per email (and per unattributed Kinde user).
pub fn join(inp: &Inputs) -> Vec<Person> {
    let ix = build(inp);
    let mut emails: BTreeMap<String, Option<usize>> = BTreeMap::new();
    for e in inp.idp.people.keys() {
        emails.insert(e.clone(), None);
    }
    for (i, r) in inp.directory.into_iter().flatten().enumerate() {
        if let Some(e) = r.usable_email() {
            emails.insert(e.to_string(), Some(i));
        }
    }
    let mut attributed: BTreeSet<&str> = BTreeSet::new();
    let mut people = Vec::new();
    for (email, dir) in &emails {
        let p = decide(inp, &ix, email, *dir, &mut attributed);
        people.push(p);
    }
    people.extend(kinde_only(&ix, &attributed, &emails));
    people
}

fn decide<'a>(
    inp: &Inputs,
    ix: &Index<'a>,
    email: &str,
    dir: Option<usize>,
    attributed: &mut BTreeSet<&'a str>,
) -> Person {
    let key = email_key(email);
    let exact: BTreeSet<&str> = ix.exact.get(email).cloned().unwrap_or_default();
    let prior: BTreeSet<&str> = ix.folded.get(&key).cloned().unwrap_or_default();
    let near_misses: Vec<String> = prior
        .iter()
        .filter(|id| !exact.contains(**id))
        .map(|id| {
            format!(
                "Kinde user {id} has {:?}, which differs from {email:?} only in case or whitespace",
                ix.before_email.get(id).copied().unwrap_or("?")
            )
        })
        .collect();
    let new_ids: Vec<(&str, &(String, String))> = ix
        .new_users
        .iter()
        .filter(|(_, (e, _))| email_key(e) == key)
        .map(|(id, v)| (*id, v))
        .collect();
    for id in prior.iter().copied().chain(new_ids.iter().map(|x| x.0)) {
        attributed.insert(id);
    }
    let mut p = Person {
        email: email.to_string(),
        observed: Observed::NotAttempted,
        evidence: Vec::new(),
        fix: None,
        near_misses,
        delay: None,
        directory: dir,
    };
    let Some(idp) = inp.idp.people.get(email) else {
        p.evidence.push("no IdP sign-in in the logs".into());
        return p;
    };
    if idp.successes == 0 {
        p.observed = Observed::IdpFailure;
        if let Some((t, source, code, cause, ev)) = &idp.last_failure {
            p.evidence.push(format!(
                "IdP refused {} time(s); latest {code} ({cause}) at {}: {ev}",
                idp.failures,
                crate::time::format(*t)
            ));
            p.fix = Some(match crate::logs::kb::lookup(*source, code) {
                Some(entry) => format!("{} ({}): {}", entry.code, entry.title, entry.fix),
                None => format!(
                    "the IdP refused the sign-in ({code}); `sso-doctor explain {code}` or `sso-doctor logs` on the export gives the cause"
                ),
            });
        }
        return p;
    }
    if let Some((t, ev)) = &idp.first_success {
        p.evidence.push(format!(
            "IdP success ×{}; first at {}: {ev}",
            idp.successes,
            crate::time::format(*t)
        ));
    }
    let times = idp.success_times();
    let near = |t: Millis| {
        times
            .iter()
            .map(|s| (t - s, (t - s).abs()))
            .min_by_key(|x| x.1)
    };
    let ids_text = |ids: &BTreeSet<&str>| ids.iter().copied().collect::<Vec<_>>().join(", ");
    if !new_ids.is_empty() && (!prior.is_empty() || new_ids.len() > 1) {
        p.observed = Observed::DuplicateCreated;
        for (id, (e, how)) in &new_ids {
            p.evidence
                .push(format!("new Kinde user {id} ({e}) from {how}"));
        }
        if !prior.is_empty() {
            p.evidence.push(format!(
                "existing Kinde user(s) with the same email ignoring case/whitespace: {}",
                ids_text(&prior)
            ));
        }
        p.fix = Some(format!(
            "Two Kinde users now hold this person: keep the existing one ({}), move the enterprise identity to it and delete the new one; \
             before more people sign in, add the enterprise identity to existing users (POST /api/v1/users/{{id}}/identities, type enterprise) \
             or turn on Trust email addresses for the migration",
            if prior.is_empty() {
                new_ids[0].0.to_string()
            } else {
                ids_text(&prior)
            }
        ));
        return p;
    }
    if let Some((id, (e, how))) = new_ids.first() {
        p.observed = Observed::CreatedNew;
        p.evidence
            .push(format!("new Kinde user {id} ({e}) from {how}"));
        if let Some(ev) = ix
            .events
            .get(id)
            .and_then(|l| l.iter().find(|e| e.kind == Kind::Created))
            && let Some(t) = ev.time
        {
            p.delay = near(t).map(|x| x.0);
        }
        return p;
    }
    // A sign-in of an existing user within the window of some IdP success.
    let mut best: Option<(Millis, &KindeEvent, &str)> = None;
    let mut failed_near = Vec::new();
    let mut outside = None;
    for id in &prior {
        for ev in ix.events.get(id).into_iter().flatten() {
            let Some(t) = ev.time else { continue };
            let Some((d, abs)) = near(t) else { continue };
            match ev.kind {
                Kind::Authenticated
                    if abs <= inp.window && best.is_none_or(|b| abs < b.0.abs()) =>
                {
                    best = Some((d, ev, id));
                }
                Kind::Authenticated => outside = Some((d, ev)),
                Kind::AuthenticationFailed if abs <= inp.window => failed_near.push(ev),
                _ => {}
            }
        }
    }
    if let Some((d, ev, id)) = best {
        p.observed = Observed::SignedInExisting;
        p.delay = Some(d);
        p.evidence.push(format!(
            "Kinde user.authenticated {} for {id} ({}) at {}, {} after the IdP success ({})",
            ev.event_id,
            ix.before_email.get(id).copied().unwrap_or("?"),
            ev.time.map(crate::time::format).unwrap_or_default(),
            crate::time::human_duration(d.abs()),
            ev.at
        ));
        if !exact.contains(id) {
            p.evidence.push(format!(
                "mapped through a case/whitespace variant of the email ({id})"
            ));
        }
        return p;
    }
    p.observed = Observed::IdpSuccessNoKinde;
    if prior.is_empty() {
        p.evidence.push(if inp.jit {
            "no Kinde user with this email before, and no user.created seen".into()
        } else {
            "no Kinde user with this email before, and JIT is off: Kinde shows \"We can't find your account\"".into()
        });
    } else {
        p.evidence.push(format!(
            "existing Kinde user(s) {} show no sign-in within the window",
            ids_text(&prior)
        ));
    }
    if let Some((d, ev)) = outside {
        p.evidence.push(format!(
            "nearest Kinde sign-in {} ({}) is {} away, outside --window",
            ev.event_id,
            ev.at,
            crate::time::human_duration(d.abs())
        ));
    }
    for ev in failed_near {
        p.evidence.push(format!(
            "Kinde user.authentication_failed {} ({})",
            ev.event_id, ev.at
        ));
    }
    p.fix = Some(
        "The IdP accepted the user but Kinde did not sign them in: Kinde rejected the response (ACS URL, Entity ID, certificate or \
         Email key attribute: run `sso-doctor preflight`), or no Kinde user matched with JIT off. Capture the browser's SAML trace \
         (DevTools > Network > the POST to /login/saml/callback, or SAML-tracer) and run `sso-doctor saml` on it."
            .into(),
    );
    p
}

/// Kinde sign-ins and creations no IdP record or directory person accounts for.
fn kinde_only(
    ix: &Index,
    attributed: &BTreeSet<&str>,
    emails: &BTreeMap<String, Option<usize>>,
) -> Vec<Person> {
    let mut out = Vec::new();
    for (id, events) in &ix.events {
        if attributed.contains(id) {
            continue;
        }
        let relevant: Vec<&&KindeEvent> = events
            .iter()
            .filter(|e| matches!(e.kind, Kind::Authenticated | Kind::Created))
            .collect();
        if relevant.is_empty() {
            continue;
        }
        let email = ix
            .before_email
            .get(id)
            .map(|e| e.to_string())
            .or_else(|| ix.new_users.get(id).map(|x| x.0.clone()));
        if email.as_ref().is_some_and(|e| emails.contains_key(e)) {
            continue;
        }
        let mut evidence: Vec<String> = relevant
            .iter()
            .take(3)
            .map(|e| {
                format!(
                    "Kinde {} {} for {id} ({})",
                    kind_name(e.kind),
                    e.event_id,
                    e.at
                )
            })
            .collect();
        if email.is_none() {
            evidence.push(format!(
                "{id} is in no users snapshot and no user.created event: its email is unknown"
            ));
        }
        out.push(Person {
            email: email.unwrap_or_else(|| format!("(Kinde user {id})")),
            observed: Observed::KindeOnly,
            evidence,
            fix: Some(
                "No IdP record for this Kinde activity: the user signed in through another connection or method, or the IdP logs \
                 for this period are missing (check the export's time range and filters)"
                    .into(),
            ),
            near_misses: Vec::new(),
            delay: None,
            directory: None,
        });
    }
    out
}

fn kind_name(k: Kind) -> &'static str {
    match k {
        Kind::Authenticated => "user.authenticated",
        Kind::AuthenticationFailed => "user.authentication_failed",
        Kind::Created => "user.created",
        Kind::Other => "event",
    }
}
