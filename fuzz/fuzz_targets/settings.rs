//! Settings files: arbitrary TOML text must give settings or a clear error, and settings that
//! parse must judge a real response without trouble (every rule reads them: skews, URLs, flags).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::analyze::{Input, RunOptions, analyze};
use sso_doctor::limits::Limits;
use sso_doctor::security::Keys;
use sso_doctor::settings::Settings;

const RESPONSE: &[u8] = include_bytes!("../../fixtures/saml/entra-clean.xml");
/// 2026-03-10T09:16:00Z, the fixture's clock.
const NOW: i64 = 1_773_134_160_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Settings::from_toml(text, "fuzz.toml") {
        Ok(s) => {
            let _ = s.is_empty();
            let _ = Keys::from_settings(&s);
            for now in [
                Some(NOW),
                Some(i64::from(data.len() as u32) * -86_400_000),
                None,
            ] {
                let opts = RunOptions {
                    settings: &s,
                    now,
                    now_source: "fuzz",
                    limits: Limits::default(),
                };
                let input = Input {
                    name: "entra-clean.xml".into(),
                    bytes: RESPONSE.to_vec(),
                };
                let _ = analyze(&[input], &opts).all_findings();
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
