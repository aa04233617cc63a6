//! Table-driven tests: one row per rule of the decision table (`docs/decision-table.md`) under
//! each settings combination.

mod cases;

use super::*;
use crate::provision::users::{Identity, IdentityType};
use crate::time::parse_millis;

const CONN: &str = "conn_this";
const OTHER: &str = "conn_other";
const ORG: &str = "org_this";

fn settings(trust: bool, jit: bool, sj: bool) -> Settings {
    Settings {
        trust_emails: Some(trust),
        jit_provisioning: Some(jit),
        self_joining: Some(sj),
        connection_id: Some(CONN.into()),
        ..Settings::default()
    }
}

fn identity(kind: &str, value: &str, conn: Option<&str>) -> Identity {
    Identity {
        kind: IdentityType::classify(kind),
        value: value.into(),
        connection_id: conn.map(Into::into),
    }
}

/// A Kinde user with a profile email, identities and a creation date.
fn user(id: &str, email: &str, identities: Vec<Identity>, created: &str) -> KindeUser {
    KindeUser {
        id: Some(id.into()),
        email: Some(email.into()),
        created_on: parse_millis(created),
        is_suspended: Some(false),
        organizations: Some(vec![ORG.into()]),
        identities,
        ..KindeUser::default()
    }
}

fn email_user(id: &str, email: &str, created: &str) -> KindeUser {
    user(id, email, vec![identity("email", email, None)], created)
}

fn record(email: &str) -> IdpRecord {
    IdpRecord {
        source: "dir.csv:2".into(),
        email: Some(email.into()),
        email_attribute_present: true,
        ..IdpRecord::default()
    }
}

/// (name, settings, user, IdP email, outcome, rule, comparison)
type TableRow<'a> = (
    &'a str,
    &'a Settings,
    Option<KindeUser>,
    &'a str,
    Outcome,
    Rule,
    Option<Cmp>,
);
/// (name, user, IdP email, outcome, outcome before G1)
type JoinRow<'a> = (
    &'a str,
    Option<KindeUser>,
    &'a str,
    Outcome,
    Option<Outcome>,
);

const POST: &str = "2025-06-01T00:00:00Z";
const PRE: &str = "2024-11-05T16:31:07Z";

fn run(
    s: &Settings,
    users: Vec<KindeUser>,
    records: Vec<IdpRecord>,
) -> (Simulation, UsersSnapshot, Vec<IdpRecord>) {
    let snapshot = UsersSnapshot {
        files: vec![(
            "u.json".into(),
            crate::provision::users::SnapshotFormat::ApiPages,
        )],
        users,
        ..UsersSnapshot::default()
    };
    let opts = SimOptions {
        organization: Some(ORG.into()),
        report_unmatched_users: true,
        ..Default::default()
    };
    let sim = simulate(s, &snapshot, &records, &opts);
    (sim, snapshot, records)
}

/// One user, one record: the single decision about the record.
fn decide(s: &Settings, u: Option<KindeUser>, r: IdpRecord) -> Decision {
    let (sim, _, _) = run(s, u.into_iter().collect(), vec![r]);
    sim.decisions
        .into_iter()
        .find(|d| d.record.is_some())
        .unwrap()
}

#[test]
fn decision_table_rows() {
    use Outcome::*;
    let on = settings(true, true, true);
    let trust_off = settings(false, true, true);
    let jit_off = settings(true, false, true);
    let both_off = settings(false, false, true);
    let ent = |v: &str, c: &str| vec![identity("enterprise", v, Some(c))];
    let suspended = KindeUser {
        is_suspended: Some(true),
        ..email_user("kp_s", "s@example.com", POST)
    };
    // (name, settings, user, IdP email, outcome, rule, cmp)
    let rows: Vec<TableRow> = vec![
        (
            "R3 suspended",
            &on,
            Some(suspended),
            "s@example.com",
            Unknown,
            Rule::R3Suspended,
            Some(Cmp::Exact),
        ),
        (
            "R4 linked",
            &on,
            Some(user(
                "kp_a",
                "a@example.com",
                ent("a@example.com", CONN),
                POST,
            )),
            "a@example.com",
            Linked,
            Rule::R4Linked,
            Some(Cmp::Exact),
        ),
        (
            "R4 linked, trust off",
            &both_off,
            Some(user(
                "kp_a",
                "a@example.com",
                ent("a@example.com", CONN),
                POST,
            )),
            "a@example.com",
            Linked,
            Rule::R4Linked,
            Some(Cmp::Exact),
        ),
        (
            "R5 enterprise pre-March",
            &on,
            Some(user(
                "kp_e",
                "erin@example.com",
                ent("erin@example.com", CONN),
                PRE,
            )),
            "Erin@example.com",
            PreMarchCase,
            Rule::R5PreMarch,
            Some(Cmp::Case),
        ),
        (
            "R5 email identity pre-March, JIT off",
            &jit_off,
            Some(email_user("kp_f", "Farid@example.com", PRE)),
            "farid@example.com",
            PreMarchCase,
            Rule::R5PreMarch,
            Some(Cmp::Case),
        ),
        (
            "R6 enterprise case post-March",
            &on,
            Some(user(
                "kp_e",
                "erin@example.com",
                ent("erin@example.com", CONN),
                POST,
            )),
            "Erin@example.com",
            Linked,
            Rule::R6LinkedCaseWarning,
            Some(Cmp::Case),
        ),
        (
            "R7 enterprise whitespace",
            &on,
            Some(user(
                "kp_q",
                "q@example.com",
                ent("q@example.com", CONN),
                POST,
            )),
            "q@example.com ",
            Unknown,
            Rule::R7EnterpriseEmailDiffers,
            Some(Cmp::Space),
        ),
        (
            "R8 other connection, JIT on",
            &on,
            Some(user(
                "kp_i",
                "i@example.com",
                ent("i@example.com", OTHER),
                POST,
            )),
            "i@example.com",
            DuplicateCreated,
            Rule::R8OtherConnection,
            Some(Cmp::Exact),
        ),
        (
            "R8 other connection, JIT off",
            &jit_off,
            Some(user(
                "kp_i",
                "i@example.com",
                ent("i@example.com", OTHER),
                POST,
            )),
            "i@example.com",
            NotFound,
            Rule::R8OtherConnection,
            Some(Cmp::Exact),
        ),
        (
            "R9 merged",
            &on,
            Some(email_user("kp_b", "b@example.com", POST)),
            "b@example.com",
            Merged,
            Rule::R9Merged,
            Some(Cmp::Exact),
        ),
        (
            "R9 merged, JIT off (U1)",
            &jit_off,
            Some(email_user("kp_b", "b@example.com", POST)),
            "b@example.com",
            Merged,
            Rule::R9Merged,
            Some(Cmp::Exact),
        ),
        (
            "R9 merged pre-March exact",
            &on,
            Some(email_user("kp_g", "g@example.com", PRE)),
            "g@example.com",
            Merged,
            Rule::R9Merged,
            Some(Cmp::Exact),
        ),
        (
            "R10 trust off duplicate",
            &trust_off,
            Some(email_user("kp_b", "b@example.com", POST)),
            "b@example.com",
            DuplicateCreated,
            Rule::R10TrustOffDuplicate,
            Some(Cmp::Exact),
        ),
        (
            "R11 trust and JIT off",
            &both_off,
            Some(email_user("kp_b", "b@example.com", POST)),
            "b@example.com",
            NotFound,
            Rule::R11TrustOffNotFound,
            Some(Cmp::Exact),
        ),
        (
            "R12 case near-miss",
            &on,
            Some(email_user("kp_c", "Carla@example.com", POST)),
            "carla@example.com",
            DuplicateCreated,
            Rule::R12NearMiss,
            Some(Cmp::Case),
        ),
        (
            "R12 whitespace near-miss",
            &on,
            Some(email_user("kp_d", "dev@example.com", POST)),
            "dev@example.com ",
            DuplicateCreated,
            Rule::R12NearMiss,
            Some(Cmp::Space),
        ),
        (
            "R12 whitespace pre-March stays R12",
            &on,
            Some(email_user("kp_d", "dev@example.com", PRE)),
            " dev@example.com",
            DuplicateCreated,
            Rule::R12NearMiss,
            Some(Cmp::Space),
        ),
        (
            "R12 near-miss, JIT off",
            &jit_off,
            Some(email_user("kp_c", "Carla@example.com", POST)),
            "carla@example.com",
            NotFound,
            Rule::R12NearMiss,
            Some(Cmp::Case),
        ),
        (
            "R13 JIT",
            &on,
            None,
            "new@example.com",
            JitCreated,
            Rule::R13NoCandidate,
            None,
        ),
        (
            "R13 JIT off",
            &jit_off,
            None,
            "new@example.com",
            NotFound,
            Rule::R13NoCandidate,
            None,
        ),
    ];
    for (name, s, u, email, outcome, rule, cmp) in rows {
        let d = decide(s, u, record(email));
        assert_eq!((d.outcome, d.rule, d.cmp), (outcome, rule, cmp), "{name}");
    }
}
