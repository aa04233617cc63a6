//! `monitor`: what actually happened to each person during an SSO migration, checked against what
//! `simulate` predicted from the same settings and the users snapshot taken before.
//!
//! Data flow: IdP logs go through the `logs` pipeline into per-person state ([`idp`]); Kinde
//! events are read with every type kept ([`kinde_events`]); [`join`] decides one observed outcome
//! per person through the users snapshots (Kinde's `user.authenticated` carries only a user id);
//! the simulator supplies `predicted`; [`render`] prints text, JSON (`sso-doctor.monitor/1`) or CSV.
//! State is per person, never per record.

pub mod html;
pub mod idp;
pub mod join;
pub mod kinde_events;
pub mod render;

pub use join::{Observed, Person};

use crate::provision::{IdpRecord, Outcome, SimOptions, UsersSnapshot, simulate};
use crate::settings::Settings;
use crate::time::Millis;
use std::collections::BTreeMap;

/// One person in the report.
#[derive(Debug, Clone)]
pub struct Row {
    pub person: Person,
    pub predicted: Option<Outcome>,
    /// `None` when the observation cannot test the prediction (no sign-in yet, IdP refused).
    pub matches: Option<bool>,
}

/// Whether Trust email addresses can be turned off, and who blocks it.
#[derive(Debug, Clone)]
pub struct Readiness {
    /// `None` without a directory: who has not tried yet is unknown.
    pub ready: Option<bool>,
    pub blockers: Vec<String>,
    pub signed_in: usize,
    pub total: usize,
    pub stage: &'static str,
}

#[derive(Debug, Clone)]
pub struct Report {
    pub rows: Vec<Row>,
    pub counts: BTreeMap<Observed, usize>,
    pub pairs: BTreeMap<(String, Observed), usize>,
    pub median_delay: Option<Millis>,
    pub readiness: Readiness,
    pub window: Millis,
    pub notes: Vec<String>,
}

/// Does an observation agree with the prediction?
pub fn agrees(predicted: Outcome, observed: Observed) -> Option<bool> {
    use Observed as O;
    use Outcome as P;
    match observed {
        O::NotAttempted | O::IdpFailure | O::KindeOnly => return None,
        _ => {}
    }
    Some(match predicted {
        P::Linked | P::Merged => observed == O::SignedInExisting,
        P::JitCreated => observed == O::CreatedNew,
        P::DuplicateCreated => observed == O::DuplicateCreated,
        P::NotFound | P::NoEmail => observed == O::IdpSuccessNoKinde,
        P::PreMarchCase => matches!(observed, O::DuplicateCreated | O::IdpSuccessNoKinde),
        P::Unknown | P::NotInDirectory => return None,
    })
}

/// Everything the monitor reads, already loaded.
pub struct Loaded<'a> {
    pub settings: &'a Settings,
    pub before: &'a UsersSnapshot,
    pub after: Option<&'a UsersSnapshot>,
    pub kinde: &'a [kinde_events::KindeEvent],
    pub idp: &'a idp::IdpSide,
    pub directory: Option<&'a [IdpRecord]>,
    pub window: Millis,
}

pub fn run(l: &Loaded) -> Report {
    let (eff, mut notes) =
        crate::provision::simulate::effective(l.settings, &SimOptions::default());
    let people = join::join(&join::Inputs {
        before: l.before,
        after: l.after,
        kinde: l.kinde,
        idp: l.idp,
        directory: l.directory,
        window: l.window,
        jit: eff.jit,
    });
    // The prediction: directory rows when given, else what the IdP logs show for each person.
    let records: Vec<IdpRecord> = people
        .iter()
        .map(|p| match (p.directory, l.directory) {
            (Some(i), Some(d)) => d[i].clone(),
            _ => IdpRecord {
                source: format!("IdP logs ({})", p.email),
                email: Some(p.email.clone()),
                email_attribute_present: true,
                ..IdpRecord::default()
            },
        })
        .collect();
    let sim = simulate(l.settings, l.before, &records, &SimOptions::default());
    let mut predicted: Vec<Option<Outcome>> = vec![None; people.len()];
    for d in &sim.decisions {
        if let Some(r) = d.record {
            predicted[r as usize] = Some(d.outcome);
        }
    }
    let rows: Vec<Row> = people
        .into_iter()
        .zip(predicted)
        .map(|(person, predicted)| {
            let predicted = if person.observed == Observed::KindeOnly {
                None
            } else {
                predicted
            };
            let matches = predicted.and_then(|p| agrees(p, person.observed));
            Row {
                person,
                predicted,
                matches,
            }
        })
        .collect();
    let mut counts = BTreeMap::new();
    let mut pairs = BTreeMap::new();
    let mut delays = Vec::new();
    for r in &rows {
        *counts.entry(r.person.observed).or_insert(0) += 1;
        let pred = r
            .predicted
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "none".into());
        *pairs.entry((pred, r.person.observed)).or_insert(0) += 1;
        delays.extend(r.person.delay);
    }
    delays.sort_unstable();
    let median_delay = (!delays.is_empty()).then(|| delays[delays.len() / 2]);
    let readiness = readiness(&rows, l.directory.is_some());
    if l.kinde.iter().any(|e| e.unverified) {
        notes.push(
            "Kinde webhook JWT bodies were decoded without checking their signature (unverified)"
                .into(),
        );
    }
    Report {
        rows,
        counts,
        pairs,
        median_delay,
        readiness,
        window: l.window,
        notes,
    }
}

fn readiness(rows: &[Row], with_directory: bool) -> Readiness {
    let people: Vec<&Row> = rows
        .iter()
        .filter(|r| r.person.observed != Observed::KindeOnly)
        .collect();
    let signed_in = people
        .iter()
        .filter(|r| r.person.observed.signed_in())
        .count();
    let total = people.len();
    let mut blockers: Vec<String> = rows
        .iter()
        .filter(|r| !r.person.observed.signed_in() && r.person.observed != Observed::KindeOnly)
        .map(|r| format!("{} ({})", r.person.email, r.person.observed.as_str()))
        .collect();
    blockers.sort_by_key(|b| !b.contains("duplicate_created"));
    let duplicates = rows
        .iter()
        .any(|r| r.person.observed == Observed::DuplicateCreated);
    let ready = if with_directory {
        Some(signed_in == total && !duplicates && total > 0)
    } else if duplicates {
        Some(false)
    } else {
        None
    };
    let stage = match signed_in {
        0 => "not started",
        1 if total > 1 => "test user",
        n if n < total => "pilot",
        _ => "everyone",
    };
    Readiness {
        ready,
        blockers,
        signed_in,
        total,
        stage,
    }
}
