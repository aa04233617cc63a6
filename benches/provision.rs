//! Criterion benches for the provisioning simulator: reading a users export and a directory
//! export, and the decision pass, over the deterministic synthetic population of
//! `examples/support/provision_synth.rs`. The 1,000,000 × 1,000,000 end-to-end figure comes from
//! `benches/provision.sh` (wall time and peak RSS via /usr/bin/time -v).

use criterion::{Criterion, criterion_group, criterion_main};
use sso_doctor::provision::directory::{DirectoryOptions, read_directory};
use sso_doctor::provision::{SimOptions, UsersSnapshot, simulate};
use sso_doctor::settings::Settings;
use std::hint::black_box;

#[path = "../examples/support/provision_synth.rs"]
mod synth;

const PEOPLE: u64 = 50_000;

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.ndjson");
    let directory = dir.path().join("entra-users.csv");
    synth::write_export(
        PEOPLE,
        &mut std::io::BufWriter::new(std::fs::File::create(&users).unwrap()),
    )
    .unwrap();
    synth::write_entra_csv(
        PEOPLE,
        &mut std::io::BufWriter::new(std::fs::File::create(&directory).unwrap()),
    )
    .unwrap();
    let settings = Settings::from_toml(&synth::conn_toml(), "conn.toml").unwrap();
    let opts = DirectoryOptions {
        email_attribute: synth::EMAIL_CLAIM.into(),
        ..Default::default()
    };
    let sim_opts = SimOptions {
        organization: Some(synth::ORG.into()),
        report_unmatched_users: true,
        ..Default::default()
    };

    let mut g = c.benchmark_group("provision_50k");
    g.sample_size(10);
    g.bench_function("read_export_ndjson", |b| {
        b.iter(|| UsersSnapshot::read_files(black_box(std::slice::from_ref(&users)), None).unwrap())
    });
    g.bench_function("read_entra_csv", |b| {
        b.iter(|| read_directory(black_box(&directory), &opts).unwrap())
    });
    let snapshot = UsersSnapshot::read_files(std::slice::from_ref(&users), None).unwrap();
    let records = read_directory(&directory, &opts).unwrap().records;
    g.bench_function("simulate", |b| {
        b.iter(|| {
            simulate(
                &settings,
                black_box(&snapshot),
                black_box(&records),
                &sim_opts,
            )
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
