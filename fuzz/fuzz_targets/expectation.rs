//! `NAME.expect.toml` expectation files, read through the same function `check` uses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::check::read_expectation;

fuzz_target!(|data: &[u8]| {
    let path = sso_doctor_fuzz::scratch("x.xml.expect.toml", data);
    if let Err(e) = read_expectation(&path) {
        assert!(!e.0.is_empty());
    }
});
