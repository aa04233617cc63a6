//! The deterministic synthetic population (`examples/support/provision_synth.rs`, used by the
//! benches and `provision_gen`) predicts its own outcomes; the simulator must agree.

#[path = "../examples/support/provision_synth.rs"]
mod synth;

use sso_doctor::provision::{Outcome, SimOptions, UsersSnapshot, simulate};
use sso_doctor::settings::Settings;

#[test]
fn synthetic_population_matches_its_expectations() {
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
    let opts = sso_doctor::provision::directory::DirectoryOptions {
        email_attribute: synth::EMAIL_CLAIM.into(),
        ..Default::default()
    };
    let records = sso_doctor::provision::directory::read_directory(&d, &opts)
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
            ..Default::default()
        },
    );
    assert_eq!(sim.counts, expected);
}

#[test]
fn same_index_same_person() {
    assert_eq!(synth::person(7), synth::person(7));
    assert_ne!(synth::person(7).kinde_id, synth::person(8).kinde_id);
    assert!(synth::person(7).kinde_id.starts_with("kp_") && synth::person(7).kinde_id.len() == 35);
}

#[test]
fn every_slot_has_an_expectation_and_every_outcome_appears() {
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..50 {
        seen.extend(synth::expected(synth::scenario(i)).iter().copied());
    }
    for o in Outcome::ALL {
        if o != Outcome::NotFound {
            assert!(seen.contains(&o), "{o:?}");
        }
    }
}

#[test]
fn writers_emit_one_line_per_person() {
    let mut a = Vec::new();
    synth::write_export(20, &mut a).unwrap();
    assert_eq!(a.iter().filter(|b| **b == b'\n').count(), 20);
    let mut c = Vec::new();
    synth::write_entra_csv(20, &mut c).unwrap();
    assert_eq!(c.iter().filter(|b| **b == b'\n').count(), 21);
}
