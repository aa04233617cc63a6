//! The hardened XML parser, then XML-DSig over the tree: verify every signature against the test
//! IdP certificates, the wrapping checks, every C14N method on every element, and decryption of
//! EncryptedAssertions with the test SP key.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sso_doctor::dsig::c14n::{self, C14nMethod};
use sso_doctor::dsig::decrypt::{self, SpKey};
use sso_doctor::dsig::{verify, wrapping};
use sso_doctor::limits::Limits;
use sso_doctor::xml::Document;
use std::sync::OnceLock;

fn key() -> &'static SpKey {
    static KEY: OnceLock<SpKey> = OnceLock::new();
    KEY.get_or_init(|| {
        SpKey::parse(include_str!("../../fixtures/keys/sp-rsa.key")).expect("test SP key")
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let limits = Limits::default();
    let Ok(doc) = Document::parse(&text, &limits) else {
        return;
    };
    let certs = sso_doctor_fuzz::idp_certs();
    let reports = verify::verify_all(&doc, &certs);
    let _ = wrapping::check(&doc, &reports);
    let methods = [
        C14nMethod::Inclusive {
            with_comments: false,
        },
        C14nMethod::Inclusive {
            with_comments: true,
        },
        C14nMethod::Exclusive {
            with_comments: false,
            inclusive_prefixes: vec![String::new(), "ds".into(), "saml".into()],
        },
        C14nMethod::Exclusive {
            with_comments: true,
            inclusive_prefixes: Vec::new(),
        },
    ];
    let elements: Vec<_> = doc.descendants(doc.root).into_iter().take(64).collect();
    for (i, &apex) in elements.iter().enumerate() {
        let exclude = elements.get(i + 1).copied();
        for m in &methods {
            let _ = c14n::canonicalize(&doc, apex, exclude, m);
        }
    }
    for (node, res) in decrypt::decrypt_all(&doc, key()) {
        if let Ok(plain) = res
            && let Ok(inner) = decrypt::parse_decrypted(&doc, node, &plain.xml, &limits)
        {
            let r = verify::verify_all(&inner, &certs);
            let _ = wrapping::check(&inner, &r);
        }
    }
});
