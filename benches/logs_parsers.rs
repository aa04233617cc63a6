//! Criterion benches for each log line parser and the two JSON framers.
//! Run: `cargo bench --bench logs_parsers`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sso_doctor::logs::frame::{Framer, JsonStream, Ndjson};
use sso_doctor::logs::{adfs, entra, google, kinde, okta};
use std::collections::HashMap;
use std::hint::black_box;
use std::path::Path;

fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/logs")
            .join(rel),
    )
    .expect("fixture")
}

fn first_line(bytes: &[u8], n: usize) -> Vec<u8> {
    bytes.split(|&b| b == b'\n').nth(n).expect("line").to_vec()
}

fn line_parsers(c: &mut Criterion) {
    let entra_line = first_line(&fixture("entra/graph-beta.ndjson"), 2);
    let storage_line = first_line(&fixture("entra/storage-PT1H.json"), 2);
    let okta_line = first_line(&fixture("okta/system-log.ndjson"), 2);
    let google_line = first_line(&fixture("google/saml-activities.ndjson"), 1);
    let kinde_hook = br#"{"data":{"user":{"id":"kp_1"}},"event_id":"event_1","ip_address":"198.51.100.7","source":"user","timestamp":"2026-11-20T09:21:30.662310+00:00","type":"user.authentication_failed"}"#;
    let adfs_xml = fixture("adfs/wevtutil.xml");
    let start = memchr::memmem::find(&adfs_xml, b"<Event ").unwrap();
    let end =
        memchr::memmem::find(&adfs_xml[start..], b"</UserData></Event>").unwrap() + start + 19;
    let adfs_event = adfs_xml[start..end].to_vec();
    let users = HashMap::new();

    let mut g = c.benchmark_group("line");
    g.throughput(Throughput::Bytes(entra_line.len() as u64));
    g.bench_function("entra_graph", |b| {
        b.iter(|| entra::parse_json(black_box(&entra_line)).unwrap().outcome)
    });
    g.throughput(Throughput::Bytes(storage_line.len() as u64));
    g.bench_function("entra_storage", |b| {
        b.iter(|| entra::parse_json(black_box(&storage_line)).unwrap().outcome)
    });
    g.throughput(Throughput::Bytes(okta_line.len() as u64));
    g.bench_function("okta", |b| {
        b.iter(|| okta::parse_json(black_box(&okta_line)).unwrap().is_some())
    });
    g.throughput(Throughput::Bytes(google_line.len() as u64));
    g.bench_function("google", |b| {
        b.iter(|| google::parse_json(black_box(&google_line)).unwrap().len())
    });
    g.throughput(Throughput::Bytes(kinde_hook.len() as u64));
    g.bench_function("kinde", |b| {
        b.iter(|| {
            kinde::parse_json(black_box(kinde_hook), &users)
                .unwrap()
                .is_some()
        })
    });
    g.throughput(Throughput::Bytes(adfs_event.len() as u64));
    g.bench_function("adfs_xml", |b| {
        b.iter(|| adfs::build(adfs::raw_from_xml(black_box(&adfs_event)).unwrap()).is_some())
    });
    g.finish();
}

fn framers(c: &mut Criterion) {
    let line = fixture("entra/graph-beta.ndjson");
    let ndjson: Vec<u8> = line.iter().copied().cycle().take(4 << 20).collect();
    let array = fixture("entra/graph-array.json");
    let mut g = c.benchmark_group("frame");
    g.throughput(Throughput::Bytes(ndjson.len() as u64));
    g.bench_function("ndjson_4MiB", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            Ndjson::default()
                .frame(black_box(&ndjson), true, &mut out)
                .unwrap();
            out.len()
        })
    });
    g.throughput(Throughput::Bytes(array.len() as u64));
    g.bench_function("json_array", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            JsonStream::default()
                .frame(black_box(&array), true, &mut out)
                .unwrap();
            out.len()
        })
    });
    g.finish();
}

criterion_group!(benches, line_parsers, framers);
criterion_main!(benches);
