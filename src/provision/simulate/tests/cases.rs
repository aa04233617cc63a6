//! Cases beyond the table: no email, self-joining, duplicates, ids, dates, order, reports.

use super::*;

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
        ..UsersSnapshot::default()
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
        ..UsersSnapshot::default()
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
