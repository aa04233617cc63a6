//! Okta System Log records.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::logs::okta;

fuzz_target!(|data: &[u8]| {
    if let Ok(Some(e)) = okta::parse_json(data) {
        sso_doctor_fuzz::aggregate([e]);
    }
});
