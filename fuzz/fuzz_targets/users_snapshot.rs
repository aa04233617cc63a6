//! Kinde users snapshot readers (API pages, export NDJSON, import CSV), each forced and detected.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::provision::users::{SnapshotFormat, UsersSnapshot};

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    let (name, format) = match sel % 5 {
        0 => ("users.json", Some(SnapshotFormat::ApiPages)),
        1 => ("users.ndjson", Some(SnapshotFormat::ExportNdjson)),
        2 => ("users.csv", Some(SnapshotFormat::ImportCsv)),
        3 => ("users.json", None),
        _ => ("users.ndjson", None),
    };
    let path = sso_doctor_fuzz::scratch(name, body);
    let mut snapshot = UsersSnapshot::default();
    if snapshot.read_file(&path, format).is_ok() {
        for u in &snapshot.users {
            let _ = snapshot.source_of(u);
            let _ = u.label();
        }
    }
});
