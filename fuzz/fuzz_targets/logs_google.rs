//! Google Workspace SAML activity records (one record can hold several events).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::logs::google;

fuzz_target!(|data: &[u8]| {
    if let Ok(events) = google::parse_json(data) {
        sso_doctor_fuzz::aggregate(events);
    }
});
