//! The whole SAML pipeline (decode → parse → security → every rule → summary and reports) on
//! arbitrary input, judged against one of several full settings variants chosen by the first
//! byte, with the clock chosen by the second.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::analyze::{Analysis, Input, RunOptions, Summary, analyze};
use sso_doctor::limits::Limits;

/// 2025-11-03T09:00:00Z, the fixtures' clock.
const FIXTURE_NOW: i64 = 1_762_160_400_000;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let settings = sso_doctor_fuzz::settings(data[0]);
    let now = match data[1] % 4 {
        0 => None,
        1 => Some(FIXTURE_NOW),
        2 => Some(FIXTURE_NOW + i64::from(data[1]) * 3_600_000),
        _ => Some(i64::MAX / 2 * if data[1] & 4 != 0 { -1 } else { 1 }),
    };
    let opts = RunOptions {
        settings: &settings,
        now,
        now_source: "fuzz",
        limits: Limits::default(),
    };
    let input = Input {
        name: "fuzz".into(),
        bytes: data[2..].to_vec(),
    };
    let analysis: Analysis = analyze(&[input], &opts);
    let _ = analysis.all_findings();
    let _ = analysis.worst();
    for m in &analysis.messages {
        let _ = Summary::of(&m.message);
    }
});
