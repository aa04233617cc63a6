//! Kinde records: webhook / events API payloads and users-snapshot records (id → email map).
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::logs::kinde;
use std::collections::HashMap;

fuzz_target!(|data: &[u8]| {
    let mut users = HashMap::new();
    let _ = kinde::add_user(data, &mut users);
    users.insert("kp_1".to_string(), "a@example.test".to_string());
    if let Ok(Some(e)) = kinde::parse_json(data, &users) {
        sso_doctor_fuzz::aggregate([e]);
    }
});
