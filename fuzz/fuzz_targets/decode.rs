//! The paste decoder on arbitrary bytes: every form (XML, base64, URL/form encoding, deflate,
//! zlib, gzip, HAR, SAML-tracer, HTML form, JWT detection) must return messages or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::decode;
use sso_doctor::limits::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(messages) = decode::decode(data, &limits) {
        for m in messages {
            let _ = m.steps_line();
            let _ = sso_doctor::saml::parse_message(&m.xml, &limits);
        }
    }
});
