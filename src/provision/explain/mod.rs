//! Turns a compact [`Decision`] into words: what will happen, why (with the seed rule), and the
//! fix. Rendering is done per person on demand so a million decisions never hold a million
//! explanation strings at once.

use super::IdpRecord;
use super::basis::quotes;
use super::outcome::{Cmp, Outcome, Rule};
use super::simulate::{Decision, Effective, KindeValue, Simulation, created_text, flags};
use super::users::{KindeUser, UsersSnapshot};
use serde::Serialize;
use why::explain;

mod why;

/// A case- or whitespace-only difference, reported by name (the most common real failure).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearMatch {
    /// `case` or `whitespace`.
    pub kind: &'static str,
    /// The Kinde value, exactly as stored.
    pub kinde: String,
    /// The IdP value, exactly as sent.
    pub idp: String,
}

/// An identity that only looks like another (rule L1), with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lookalike {
    /// The IdP email, exactly as sent (JSON keeps it raw; the text report escapes it).
    pub identity: String,
    /// What it imitates: the Kinde user's value, or what the email displays as.
    pub imitates: String,
    /// The Kinde user imitated, when one is.
    pub imitates_user: Option<String>,
    pub reasons: Vec<crate::identity::Reason>,
    /// The reasons in words.
    pub why: Vec<String>,
}

/// The lookalike facts of a decision under rule L1.
fn lookalike_of(f: &Facts) -> Option<Lookalike> {
    if f.d.rule != Rule::L1Lookalike {
        return None;
    }
    let (imitates, reasons) = match f.user {
        Some(_) => (
            f.kinde.clone(),
            crate::identity::lookalike::lookalike(&f.kinde, &f.idp).unwrap_or_default(),
        ),
        None => (
            crate::identity::displayed_as(&f.idp),
            crate::identity::reasons(&f.idp),
        ),
    };
    Some(Lookalike {
        identity: f.idp.clone(),
        imitates,
        imitates_user: f.user.map(KindeUser::label),
        why: reasons.iter().map(|r| r.describe()).collect(),
        reasons,
    })
}

/// One person's outcome, ready to print.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonReport {
    pub outcome: Outcome,
    pub needs_action: bool,
    pub rule: &'static str,
    /// Seed file the rule rests on (`null` where the documents do not decide).
    pub seed: Option<&'static str>,
    pub quote: &'static str,
    pub assumption: Option<&'static str>,
    pub kinde_user_id: Option<String>,
    /// The Kinde value the IdP email was compared with (profile email when none was).
    pub kinde_email: Option<String>,
    pub kinde_source: Option<String>,
    pub created_on: Option<String>,
    pub idp_email: Option<String>,
    pub idp_source: Option<String>,
    pub near_match: Option<NearMatch>,
    /// Set when the IdP email only looks like a Kinde user's, or hides characters (rule L1).
    pub lookalike: Option<Lookalike>,
    pub explanation: String,
    pub fix: String,
    pub notes: Vec<String>,
}

/// Everything the sentences of one decision need.
struct Facts<'a> {
    d: &'a Decision,
    s: &'a Effective,
    user: Option<&'a KindeUser>,
    record: Option<&'a IdpRecord>,
    who: String,
    kinde: String,
    idp: String,
}

impl Simulation {
    /// Renders decision `i` against the inputs it was computed from.
    pub fn report(&self, i: usize, users: &UsersSnapshot, records: &[IdpRecord]) -> PersonReport {
        let d = &self.decisions[i];
        let user = d.user.map(|u| &users.users[u as usize]);
        let record = d.record.map(|r| &records[r as usize]);
        let kinde = kinde_value(d, user).unwrap_or_default();
        let f = Facts {
            d,
            s: &self.settings,
            user,
            record,
            who: user.map_or_else(|| "the person".into(), who),
            kinde: kinde.clone(),
            idp: record.and_then(|r| r.email.clone()).unwrap_or_default(),
        };
        let basis = d.rule.basis();
        let (explanation, fix) = explain(&f, d.rule);
        PersonReport {
            outcome: d.outcome,
            needs_action: d.needs_action(),
            rule: basis.id,
            seed: basis.seed,
            quote: basis.quote,
            assumption: basis.assumption,
            kinde_user_id: user.map(KindeUser::label),
            kinde_email: user.map(|_| kinde).filter(|k| !k.is_empty()),
            kinde_source: user.map(|u| users.source_of(u)),
            created_on: user.and_then(created_text),
            idp_email: record.and_then(|r| r.email.clone()),
            idp_source: record.map(|r| r.source.clone()),
            near_match: near_match(&f),
            lookalike: lookalike_of(&f),
            explanation,
            fix,
            notes: notes(&f, users),
        }
    }
}

fn who(u: &KindeUser) -> String {
    match (&u.id, &u.email) {
        (Some(id), Some(e)) => format!("Kinde user {id} ({e})"),
        (None, Some(e)) => format!("the imported user {e}"),
        _ => format!("Kinde user {}", u.label()),
    }
}

fn kinde_value(d: &Decision, u: Option<&KindeUser>) -> Option<String> {
    let u = u?;
    match d.kinde_value {
        KindeValue::Identity(i) => u.identities.get(i as usize).map(|x| x.value.to_string()),
        _ => u.email.as_deref().map(str::to_string),
    }
}

fn near_match(f: &Facts) -> Option<NearMatch> {
    let kind = match f.d.cmp? {
        Cmp::Case => "case",
        Cmp::Space => "whitespace",
        _ => return None,
    };
    Some(NearMatch {
        kind,
        kinde: f.kinde.clone(),
        idp: f.idp.clone(),
    })
}

fn difference(f: &Facts) -> &'static str {
    match f.d.cmp {
        Some(Cmp::Space) => "surrounding whitespace",
        _ => "capitalisation",
    }
}

fn notes(f: &Facts, users: &UsersSnapshot) -> Vec<String> {
    let d = f.d;
    let mut out = Vec::new();
    let created = f.user.and_then(created_text).unwrap_or_default();
    if d.has(flags::NEAR_BOUNDARY) {
        out.push(format!("Created {created}, within a day of the 1 March 2025 boundary; the documents give no time zone, so check capitalisation by hand."));
    }
    if d.has(flags::PRE_MARCH) && d.cmp == Some(Cmp::Exact) {
        out.push(format!("{}; the emails match exactly here, but check the enterprise identity after the first sign-in.", quotes::PRE_MARCH_TAKEAWAY));
    }
    if d.has(flags::CREATED_UNKNOWN) {
        out.push("The snapshot has no creation date: if this user was created before March 2025, the documented fix is to delete them and have them sign in via SSO.".into());
    }
    if d.has(flags::BY_ID) {
        out.push(format!(
            "Paired with the Kinde user through the id column ({} = provided_id).",
            f.record.and_then(|r| r.subject_id.as_deref()).unwrap_or("")
        ));
    }
    if d.has(flags::BY_ATTRIBUTE) {
        out.push("Paired with the Kinde user through an email-shaped value the IdP sends under another name.".into());
    }
    if d.has(flags::ASSUMED_MEMBER) {
        out.push("Self-joining is off and membership could not be checked (no --organization, or the snapshot has no organisations): assumed the user is already a member.".into());
    }
    if d.has(flags::ASSUMED_CONNECTION) {
        out.push("The enterprise identity could not be tied to a connection id; assumed it is this connection's.".into());
    }
    if d.has(flags::PARTIAL_SNAPSHOT) {
        out.push("The Kinde snapshot is partial (--allow-partial-snapshot): a user on a page that was not read could match this person, so this outcome may be wrong.".into());
    }
    if d.rule == Rule::R9Merged && !f.s.jit {
        out.push("JIT is off: the documents run the migration with JIT on; merging is assumed to depend on trust alone (U1).".into());
    }
    for &o in d.others.iter() {
        let u = &users.users[o as usize];
        let looks = u
            .email
            .as_deref()
            .and_then(|e| crate::identity::lookalike::lookalike(e, &f.idp));
        match looks {
            Some(why) => out.push(format!(
                "Kinde user {} only looks like this email ({}): a different identity, possibly an impersonation; it is not this person.",
                who(u),
                why.iter().map(|r| r.describe()).collect::<Vec<_>>().join("; ")
            )),
            None => out.push(format!("Another Kinde user, {}, also matches this person (same email ignoring case or whitespace, or the same id): an existing duplicate to clean up.", who(u))),
        }
    }
    out
}
