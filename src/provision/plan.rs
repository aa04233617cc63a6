//! The staged migration plan of `kinde-email-to-enterprise-migration.txt`: settings for the
//! migration, one test user, fix the predicted failures, a pilot group, everyone, then trust
//! off. Each step quotes the seed sentence it follows and names the users it concerns.

use super::IdpRecord;
use super::basis::quotes;
use super::outcome::{Cmp, Outcome, Rule, SEED_MIGRATION};
use super::simulate::{Decision, Simulation, flags};
use super::users::UsersSnapshot;
use serde::Serialize;

/// Default size of the pilot group.
pub const DEFAULT_PILOT_SIZE: usize = 10;

/// One step of the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanStep {
    pub step: usize,
    pub title: String,
    pub detail: String,
    /// People the step names (emails as the IdP sends them, else Kinde ids).
    pub users: Vec<String>,
    pub seed: &'static str,
    pub quote: &'static str,
}

/// Builds the plan from a finished simulation.
pub fn build(
    sim: &Simulation,
    users: &UsersSnapshot,
    records: &[IdpRecord],
    pilot_size: usize,
) -> Vec<PlanStep> {
    let name = |d: &Decision| person_name(d, users, records);
    let test = test_user(sim);
    let mut steps = vec![settings_step(sim)];
    steps.push(test_step(sim, test.map(&name)));
    steps.push(fix_step(sim));
    steps.push(pilot_step(sim, test, pilot_size, &name));
    steps.push(everyone_step(sim));
    steps.push(trust_off_step(sim));
    if sim.count(Outcome::PreMarchCase) > 0 {
        steps.push(pre_march_step(sim, &name));
    }
    for (i, s) in steps.iter_mut().enumerate() {
        s.step = i + 1;
    }
    steps
}

fn person_name(d: &Decision, users: &UsersSnapshot, records: &[IdpRecord]) -> String {
    d.record
        .and_then(|r| records[r as usize].email.clone())
        .or_else(|| d.user.map(|u| users.users[u as usize].label()))
        .unwrap_or_default()
}

fn step(title: &str, detail: String, seed: &'static str, quote: &'static str) -> PlanStep {
    PlanStep {
        step: 0,
        title: title.into(),
        detail,
        users: Vec::new(),
        seed,
        quote,
    }
}

fn settings_step(sim: &Simulation) -> PlanStep {
    let s = &sim.settings;
    let mut detail = String::new();
    detail.push_str(if s.trust_emails {
        "Trust email addresses is ON: existing users with an exactly matching email are mapped. "
    } else {
        "Trust email addresses is OFF: users with only an email identity will not be mapped; turn it ON for the migration. "
    });
    detail.push_str(if s.jit {
        "JIT provisioning is ON: people without a Kinde user are created."
    } else {
        "JIT provisioning is OFF: people without a matching Kinde user cannot sign in, and the pre-March fix (delete, sign in again) cannot recreate users."
    });
    step(
        "Set the connection up for the migration",
        detail,
        SEED_MIGRATION,
        quotes::TRUST_ON,
    )
}

/// A clean candidate: merged (an email/password user) or linked, exact match, no notes.
fn is_clean(d: &Decision) -> bool {
    d.cmp == Some(Cmp::Exact)
        && d.others.is_empty()
        && !d.has(flags::PARTIAL_SNAPSHOT)
        && d.flags & (flags::PRE_MARCH | flags::NEAR_BOUNDARY | flags::BY_ID) == 0
}

fn test_user(sim: &Simulation) -> Option<&Decision> {
    let clean = |o: Outcome| {
        sim.decisions
            .iter()
            .find(move |d| d.outcome == o && is_clean(d))
    };
    clean(Outcome::Merged).or_else(|| clean(Outcome::Linked))
}

fn test_step(sim: &Simulation, name: Option<String>) -> PlanStep {
    let detail = match &name {
        Some(n) => format!(
            "Sign in as {n} first (predicted: {}). Check the IdP sign-in log and the Kinde logs, and that the Kinde user now shows the enterprise identity. If it fails: {} Then check the ACS URL, the Entity ID, the exact email case and the Email key attribute. {}",
            test_user(sim).map_or("", |d| d.outcome.as_str()),
            quotes::DISABLE_ON_FAIL,
            quotes::REVERT
        ),
        None => "No user is a clean candidate (an existing user whose email matches the IdP exactly, with no near-duplicates). Fix one user from the list below first, then test with them.".into(),
    };
    let mut s = step(
        "Test with one user",
        detail,
        SEED_MIGRATION,
        quotes::TEST_USER,
    );
    s.users.extend(name);
    s
}

fn fix_step(sim: &Simulation) -> PlanStep {
    let failing: Vec<String> = Outcome::ALL
        .into_iter()
        .filter(|o| o.needs_action() && sim.count(*o) > 0)
        .map(|o| format!("{} {}", sim.count(o), o.as_str()))
        .collect();
    let detail = if failing.is_empty() {
        "Nothing predicted to fail.".to_string()
    } else {
        format!(
            "Before widening the rollout, fix the people predicted to fail ({}): each has a fix in the list above. Re-run the simulation until the list is empty or accepted.",
            failing.join(", ")
        )
    };
    step(
        "Fix the predicted failures",
        detail,
        SEED_MIGRATION,
        quotes::MONITOR,
    )
}

fn pilot_step(
    sim: &Simulation,
    test: Option<&Decision>,
    size: usize,
    name: &dyn Fn(&Decision) -> String,
) -> PlanStep {
    let eligible: Vec<&Decision> = sim
        .decisions
        .iter()
        .filter(|d| {
            matches!(
                d.outcome,
                Outcome::Merged | Outcome::Linked | Outcome::JitCreated
            )
        })
        .filter(|d| !d.has(flags::PARTIAL_SNAPSHOT) && d.rule != Rule::L1Lookalike)
        .filter(|d| test.is_none_or(|t| !std::ptr::eq(*d, t)))
        .collect();
    // Spread the pilot over the sorted list so it is not one alphabetical corner of the company.
    let stride = eligible.len().div_ceil(size.max(1)).max(1);
    let pilot: Vec<String> = eligible
        .iter()
        .step_by(stride)
        .take(size)
        .map(|d| name(d))
        .collect();
    let detail = format!(
        "Expand to a pilot group of {} people predicted to sign in cleanly, across teams and browsers; watch the IdP and Kinde logs.",
        pilot.len()
    );
    let mut s = step("Pilot group", detail, SEED_MIGRATION, quotes::PILOT);
    s.users = pilot;
    s
}

fn everyone_step(sim: &Simulation) -> PlanStep {
    let clean =
        sim.count(Outcome::Linked) + sim.count(Outcome::Merged) + sim.count(Outcome::JitCreated);
    let detail = format!(
        "Enable the connection for the production applications: {clean} people are predicted to sign in cleanly ({} linked, {} merged, {} created by JIT).",
        sim.count(Outcome::Linked),
        sim.count(Outcome::Merged),
        sim.count(Outcome::JitCreated)
    );
    step("Everyone", detail, SEED_MIGRATION, quotes::MONITOR)
}

fn trust_off_step(sim: &Simulation) -> PlanStep {
    let mut detail = String::from(
        "Once every user has signed in at least once, turn Trust email addresses OFF (and optionally disable email/password for migrated accounts). Re-run this simulation with --trust-emails off: everyone should then be linked.",
    );
    let missing = sim.count(Outcome::NotInDirectory);
    if missing > 0 {
        detail.push_str(&format!(
            " {missing} Kinde user(s) are not in the directory and lose access when email/password is disabled."
        ));
    }
    step(
        "After the migration: trust off",
        detail,
        SEED_MIGRATION,
        quotes::TRUST_OFF,
    )
}

fn pre_march_step(sim: &Simulation, name: &dyn Fn(&Decision) -> String) -> PlanStep {
    let users = sim
        .decisions
        .iter()
        .filter(|d| d.outcome == Outcome::PreMarchCase)
        .map(name)
        .collect();
    let detail = format!(
        "{} {} Note their roles and organisations first: the deleted user's do not carry over.",
        quotes::DELETE_USER,
        quotes::SSO_SIGN_IN
    );
    let mut s = step(
        "Users created before March 2025 with a capitalisation mismatch",
        detail,
        SEED_MIGRATION,
        quotes::PRE_MARCH_TAKEAWAY,
    );
    s.users = users;
    s
}
