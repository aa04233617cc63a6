//! Table-driven tests: one row per rule of `kinde.md` §5.2 under each settings combination.

use super::*;
use crate::provision::users::Identity;

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
    };
    let opts = SimOptions {
        organization: Some(ORG.into()),
        report_unmatched_users: true,
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

#[test]
fn no_email_rows() {
    let on = settings(true, true, true);
    let u = email_user("kp_j", "jon@example.com", POST);
    let absent = IdpRecord {
        source: "r.xml".into(),
        attributes: vec![("emailaddress".into(), vec!["jon@example.com".into()])],
        ..IdpRecord::default()
    };
    let empty = IdpRecord {
        email: Some(String::new()),
        email_attribute_present: true,
        name_id: Some("jon@example.com".into()),
        ..IdpRecord::default()
    };
    let by_id = IdpRecord {
        subject_id: Some("legacy-1".into()),
        ..IdpRecord::default()
    };
    let with_pid = KindeUser {
        provided_id: Some("legacy-1".into()),
        ..u.clone()
    };
    let cases = [
        (
            "absent, paired by attribute",
            u.clone(),
            absent,
            flags::BY_ATTRIBUTE,
        ),
        (
            "present but empty, paired by NameID",
            u.clone(),
            empty,
            flags::BY_ATTRIBUTE | flags::EMPTY_EMAIL,
        ),
        ("paired by id", with_pid, by_id, flags::BY_ID),
    ];
    for (name, user, rec, want) in cases {
        let d = decide(&on, Some(user), rec);
        assert_eq!(
            (d.outcome, d.rule),
            (Outcome::NoEmail, Rule::R2NoEmail),
            "{name}"
        );
        assert_eq!(d.user, Some(0), "{name}");
        assert_eq!(d.flags & want, want, "{name}");
    }
}

#[test]
fn self_joining_off_refuses_new_and_non_member_users() {
    use Outcome::*;
    let sj_off = settings(true, true, false);
    let outsider = KindeUser {
        organizations: Some(vec!["org_else".into()]),
        ..email_user("kp_n", "n@example.com", POST)
    };
    let rows: Vec<JoinRow> = vec![
        (
            "JIT user refused",
            None,
            "new@example.com",
            NotFound,
            Some(JitCreated),
        ),
        (
            "duplicate refused",
            Some(email_user("kp_c", "C@example.com", POST)),
            "c@example.com",
            NotFound,
            Some(DuplicateCreated),
        ),
        (
            "member merges",
            Some(email_user("kp_b", "b@example.com", POST)),
            "b@example.com",
            Merged,
            None,
        ),
        (
            "non-member refused",
            Some(outsider),
            "n@example.com",
            NotFound,
            Some(Merged),
        ),
        (
            "pre-March untouched",
            Some(email_user("kp_f", "F@example.com", PRE)),
            "f@example.com",
            PreMarchCase,
            None,
        ),
    ];
    for (name, u, email, outcome, before) in rows {
        let d = decide(&sj_off, u, record(email));
        assert_eq!(d.outcome, outcome, "{name}");
        assert_eq!(d.before_g1.map(|b| b.0), before, "{name}");
        if before.is_some() {
            assert_eq!(d.rule, Rule::G1SelfJoining, "{name}");
        }
    }
}

#[test]
fn membership_unknown_is_assumed_and_flagged() {
    let s = settings(true, true, false);
    let u = email_user("kp_b", "b@example.com", POST);
    let snapshot = UsersSnapshot {
        files: vec![],
        users: vec![u],
    };
    let sim = simulate(
        &s,
        &snapshot,
        &[record("b@example.com")],
        &SimOptions::default(),
    );
    let d = &sim.decisions[0];
    assert_eq!(d.outcome, Outcome::Merged);
    assert!(d.has(flags::ASSUMED_MEMBER));
    assert!(sim.assumptions.iter().any(|a| a.contains("--organization")));
}

#[test]
fn exact_match_wins_over_near_duplicates_and_two_exact_are_unknown() {
    let on = settings(true, true, true);
    let (sim, _, _) = run(
        &on,
        vec![
            email_user("kp_1", "A@example.com", POST),
            email_user("kp_2", "a@example.com", POST),
        ],
        vec![record("a@example.com")],
    );
    let d = sim.decisions.iter().find(|d| d.record.is_some()).unwrap();
    assert_eq!((d.outcome, d.user), (Outcome::Merged, Some(1)));
    assert_eq!(&*d.others, &[0]);
    assert!(d.has_warning());
    let (sim, _, _) = run(
        &on,
        vec![
            email_user("kp_1", "a@example.com", POST),
            email_user("kp_2", "a@example.com", POST),
        ],
        vec![record("a@example.com")],
    );
    let d = sim.decisions.iter().find(|d| d.record.is_some()).unwrap();
    assert_eq!((d.outcome, d.rule), (Outcome::Unknown, Rule::U12Ambiguous));
}

#[test]
fn id_only_pairing_with_different_email() {
    let on = settings(true, true, true);
    let u = KindeUser {
        provided_id: Some("oid-1".into()),
        ..email_user("kp_x", "old@example.com", POST)
    };
    let r = IdpRecord {
        subject_id: Some("oid-1".into()),
        ..record("new@example.com")
    };
    let d = decide(&on, Some(u), r);
    assert_eq!(
        (d.outcome, d.rule, d.cmp),
        (
            Outcome::DuplicateCreated,
            Rule::X1IdOnly,
            Some(Cmp::Different)
        )
    );
    assert!(d.has(flags::BY_ID));
}

#[test]
fn connection_id_missing_assumes_this_connection() {
    let mut s = settings(true, true, true);
    s.connection_id = None;
    let u = user(
        "kp_a",
        "a@example.com",
        vec![identity("enterprise", "a@example.com", Some(OTHER))],
        POST,
    );
    let d = decide(&s, Some(u), record("a@example.com"));
    assert_eq!(d.outcome, Outcome::Linked);
    assert!(d.has(flags::ASSUMED_CONNECTION));
}

#[test]
fn boundary_and_unknown_dates_are_flagged() {
    let on = settings(true, true, true);
    let gita = email_user("kp_g", "g@example.com", "2025-02-28T23:30:00Z");
    let d = decide(&on, Some(gita), record("g@example.com"));
    assert_eq!(d.outcome, Outcome::Merged);
    assert!(d.has(flags::PRE_MARCH) && d.has(flags::NEAR_BOUNDARY) && d.needs_action());
    let just_after = email_user("kp_h", "h@example.com", "2025-03-01T00:00:00Z");
    let d = decide(&on, Some(just_after), record("h@example.com"));
    assert!(!d.has(flags::PRE_MARCH) && d.has(flags::NEAR_BOUNDARY));
    let imported = KindeUser {
        created_on: None,
        ..email_user("kp_i", "I@example.com", POST)
    };
    let d = decide(&on, Some(imported), record("i@example.com"));
    assert_eq!(d.outcome, Outcome::DuplicateCreated);
    assert!(d.has(flags::CREATED_UNKNOWN));
}

#[test]
fn unmatched_users_only_when_asked_and_output_is_sorted() {
    let on = settings(true, true, true);
    let users = vec![
        email_user("kp_z", "zed@example.com", POST),
        email_user("kp_b", "Bob@example.com", POST),
        email_user("kp_l", "leo@example.com", POST),
    ];
    let records = vec![
        record("zed@example.com"),
        record("bob@example.com"),
        record("amy@example.com"),
    ];
    let (sim, snap, recs) = run(&on, users.clone(), records.clone());
    let order: Vec<&str> = sim
        .decisions
        .iter()
        .map(|d| person_email(d, &snap.users, &recs))
        .collect();
    assert_eq!(
        order,
        [
            "amy@example.com",
            "bob@example.com",
            "leo@example.com",
            "zed@example.com"
        ]
    );
    assert_eq!(sim.count(Outcome::NotInDirectory), 1);
    assert_eq!(sim.counts.iter().sum::<usize>(), 4);
    let snapshot = UsersSnapshot {
        files: vec![],
        users,
    };
    let sim = simulate(&on, &snapshot, &records, &SimOptions::default());
    assert_eq!(sim.count(Outcome::NotInDirectory), 0);
}

#[test]
fn result_does_not_depend_on_input_order() {
    let on = settings(true, true, true);
    let users: Vec<KindeUser> = (0..40)
        .map(|i| email_user(&format!("kp_{i:02}"), &format!("u{i}@example.com"), POST))
        .collect();
    let records: Vec<IdpRecord> = (0..40)
        .map(|i| record(&format!("U{i}@example.com")))
        .collect();
    let render = |users: Vec<KindeUser>, records: Vec<IdpRecord>| {
        let (sim, snap, recs) = run(&on, users, records);
        (0..sim.decisions.len())
            .map(|i| {
                let p = sim.report(i, &snap, &recs);
                format!("{:?} {:?} {:?}", p.outcome, p.kinde_user_id, p.idp_email)
            })
            .collect::<Vec<_>>()
    };
    let a = render(users.clone(), records.clone());
    let b = render(
        users.into_iter().rev().collect(),
        records.into_iter().rev().collect(),
    );
    assert_eq!(a, b);
}

#[test]
fn unset_settings_are_stated_assumptions() {
    let (eff, assumptions) = effective(&Settings::default(), &SimOptions::default());
    assert!(!eff.trust_emails && !eff.jit && eff.self_joining);
    assert_eq!(eff.email_attribute, "email");
    assert_eq!(assumptions.len(), 4, "{assumptions:?}");
}

#[test]
fn reports_explain_merges_and_near_matches() {
    let on = settings(true, true, true);
    let ben = KindeUser {
        phone: Some("+15555550142".into()),
        identities: vec![
            identity("email", "ben@example.com", None),
            identity("oauth2:google", "ben@example.com", Some("conn_g")),
        ],
        ..email_user("kp_b", "ben@example.com", POST)
    };
    let (sim, snap, recs) = run(
        &on,
        vec![ben, email_user("kp_c", "Carla@example.com", POST)],
        vec![record("ben@example.com"), record("carla@example.com")],
    );
    let ben = sim.report(0, &snap, &recs);
    assert_eq!(ben.outcome, Outcome::Merged);
    assert!(
        ben.explanation
            .contains("original email identity will be removed"),
        "{}",
        ben.explanation
    );
    assert!(ben.explanation.contains("+15555550142") && ben.explanation.contains("oauth2:google"));
    assert_eq!(ben.seed, Some(crate::provision::outcome::SEED_PROVISIONING));
    let carla = sim.report(1, &snap, &recs);
    let near = carla.near_match.unwrap();
    assert_eq!(
        (near.kind, near.kinde.as_str(), near.idp.as_str()),
        ("case", "Carla@example.com", "carla@example.com")
    );
    assert!(carla.explanation.starts_with("Case-insensitive near-match"));
    assert!(carla.needs_action);
}

#[test]
fn synthetic_population_matches_its_expectations() {
    use crate::provision::synth;
    let n = 500u64;
    let mut expected = [0usize; Outcome::ALL.len()];
    for i in 0..n {
        for o in synth::expected(synth::scenario(i)) {
            expected[o.index()] += 1;
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let (u, d) = (dir.path().join("u.json"), dir.path().join("d.csv"));
    synth::write_api_page(n, &mut std::fs::File::create(&u).unwrap()).unwrap();
    synth::write_entra_csv(n, &mut std::fs::File::create(&d).unwrap()).unwrap();
    let snapshot = UsersSnapshot::read_files(&[u], None).unwrap();
    let opts = crate::provision::directory::DirectoryOptions {
        email_attribute: synth::EMAIL_CLAIM.into(),
        ..Default::default()
    };
    let records = crate::provision::directory::read_directory(&d, &opts)
        .unwrap()
        .records;
    let s = Settings::from_toml(&synth::conn_toml(), "conn.toml").unwrap();
    let sim = simulate(
        &s,
        &snapshot,
        &records,
        &SimOptions {
            organization: Some(synth::ORG.into()),
            report_unmatched_users: true,
        },
    );
    assert_eq!(sim.counts, expected);
}
