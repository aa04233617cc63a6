//! Settings files: arbitrary TOML text must give settings or a clear error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::security::Keys;
use sso_doctor::settings::Settings;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Settings::from_toml(text, "fuzz.toml") {
        Ok(s) => {
            let _ = s.is_empty();
            let _ = Keys::from_settings(&s);
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
