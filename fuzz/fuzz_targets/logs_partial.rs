//! Partial aggregates read by `sso-doctor merge` (one or more concatenated partial JSON
//! documents), then the report built from them and rendered as text and JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::logs::partial;
use sso_doctor::logs::report::{Report, render_text};

fuzz_target!(|data: &[u8]| {
    if let Ok(agg) = partial::from_json(data) {
        let report = Report::build(&agg, 10, Vec::new());
        let _ = render_text(&report, &agg);
        let _ = serde_json::to_string(&report);
        let mut twice = agg.clone();
        twice.merge(agg);
    }
});
