//! Property tests for the paste decoder: every paste form round-trips any XML, and arbitrary
//! bytes give an answer (Ok or Err), never a panic.

use proptest::prelude::*;
use sso_doctor::decode::{self, encode};
use sso_doctor::limits::Limits;

fn xml_strategy() -> impl Strategy<Value = String> {
    ("[a-zA-Z][a-zA-Z0-9]{0,8}", "[ -~äéü€+/=%&<>\"']{0,200}").prop_map(|(name, text)| {
        let escaped = text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        format!("<samlp:{name} xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">{escaped}</samlp:{name}>")
    })
}

fn decoded(input: &[u8]) -> String {
    let mut msgs = decode::decode(input, &Limits::default()).expect("decodes");
    assert_eq!(msgs.len(), 1);
    msgs.remove(0).xml
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_paste_form_round_trips(xml in xml_strategy()) {
        let b64 = encode::base64(&xml);
        prop_assert_eq!(decoded(xml.as_bytes()), xml.clone());
        prop_assert_eq!(decoded(b64.as_bytes()), xml.clone());
        prop_assert_eq!(decoded(b64.replace('+', "-").replace('/', "_").trim_end_matches('=').as_bytes()), xml.clone());
        let wrapped: String = b64.as_bytes().chunks(64).map(|c| format!("{}\r\n", String::from_utf8_lossy(c))).collect();
        prop_assert_eq!(decoded(wrapped.as_bytes()), xml.clone());
        prop_assert_eq!(decoded(format!("SAMLResponse={}&RelayState=r", encode::url(&b64)).as_bytes()), xml.clone());
        prop_assert_eq!(decoded(encode::url(&encode::url(&b64)).as_bytes()), xml.clone());
        prop_assert_eq!(decoded(format!("https://idp.test/sso?SAMLRequest={}", encode::redirect_value(&xml)).as_bytes()), xml.clone());
        prop_assert_eq!(decoded(&encode::gzip(xml.as_bytes())), xml.clone());
        prop_assert_eq!(decoded(&encode::zlib(xml.as_bytes())), xml.clone());
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(xml.encode_utf16().flat_map(|u| u.to_le_bytes()));
        prop_assert_eq!(decoded(&utf16), xml.clone());
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = decode::decode(&bytes, &Limits::default());
    }

    #[test]
    fn arbitrary_text_never_panics_the_whole_pipeline(text in "[ -~\\n<>/=\"%+&#;]{0,400}") {
        let settings = sso_doctor::settings::Settings::default();
        let opts = sso_doctor::analyze::RunOptions { settings: &settings, now: Some(0), now_source: "test", limits: Limits::default() };
        let _ = sso_doctor::analyze::analyze(&[sso_doctor::analyze::Input { name: "p".into(), bytes: text.into_bytes() }], &opts);
    }
}
