//! Entra sign-in log records: one JSON record (Graph / Log Analytics / storage), and the same
//! bytes as a CSV export (portal or Log Analytics), aggregated like the logs command does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::logs::{Aggregate, entra};

fuzz_target!(|data: &[u8]| {
    let mut agg = Aggregate::default();
    if let Ok(e) = entra::parse_json(data) {
        agg.add(&e);
    }
    sso_doctor_fuzz::for_each_csv_row(data, |row| {
        if let Ok(e) = entra::parse_csv(row) {
            agg.add(&e);
        }
    });
    sso_doctor_fuzz::report(&agg);
});
