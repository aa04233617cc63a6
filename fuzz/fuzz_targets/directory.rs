//! Directory readers: IdP directory CSV exports (Entra, Okta, generic) and normalised events.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::provision::directory::{
    DirectoryKind, DirectoryOptions, read_directory, read_events,
};

fuzz_target!(|data: &[u8]| {
    let Some((&sel, body)) = data.split_first() else {
        return;
    };
    if sel & 1 == 1 {
        let path = sso_doctor_fuzz::scratch("events.ndjson", body);
        let _ = read_events(&path, "email");
        return;
    }
    let path = sso_doctor_fuzz::scratch("directory.csv", body);
    let opts = DirectoryOptions {
        kind: match (sel >> 1) % 4 {
            0 => None,
            1 => Some(DirectoryKind::Entra),
            2 => Some(DirectoryKind::Okta),
            _ => Some(DirectoryKind::Generic),
        },
        email_column: (sel & 8 != 0).then(|| "email".to_string()),
        id_column: (sel & 16 != 0).then(|| "id".to_string()),
        email_attribute: "email".into(),
        sent_as: (sel & 32 != 0).then(|| "mail".to_string()),
    };
    let _ = read_directory(&path, &opts);
});
