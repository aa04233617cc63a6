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
    fn copy_form_lookalikes_never_panic(
        prefix in proptest::sample::select(vec!["curl ", "curl ^\"", "fetch(\"", "await fetch(", "Invoke-WebRequest -Body \"", "```xml\n", "~~~\n", "SAMLResponse: ", "SAMLResponse\t", "<html><form>", "<?xml version='1.0' encoding='"]),
        rest in "\\PC{0,300}",
    ) {
        let _ = decode::decode(format!("{prefix}{rest}").as_bytes(), &Limits::default());
    }

    #[test]
    fn arbitrary_text_never_panics_the_whole_pipeline(text in "[ -~\\n<>/=\"%+&#;]{0,400}") {
        let settings = sso_doctor::settings::Settings::default();
        let opts = sso_doctor::analyze::RunOptions { settings: &settings, now: Some(0), now_source: "test", limits: Limits::default() };
        let _ = sso_doctor::analyze::analyze(&[sso_doctor::analyze::Input { name: "p".into(), bytes: text.into_bytes() }], &opts);
    }
}

mod common;

/// Runs `saml` on a fixture with the signing certificate configured; (exit code, JSON report).
fn saml_json(args: &[&str]) -> (i32, String) {
    let mut all = vec![
        "saml",
        "--config",
        "fixtures/saml/entra-cert.toml",
        "--now",
        common::NOW,
        "--format",
        "json",
    ];
    all.extend_from_slice(args);
    let (code, out, err) = common::run(&all);
    (code, format!("{out}{err}"))
}

/// Every copy form a browser or a copy button gives decodes to the signed message, which verifies,
/// and the report names the form as the first decoding step.
#[test]
fn browser_copy_forms_reach_the_signed_message() {
    let cases = [
        (
            "copy-devtools-payload.txt",
            "DevTools payload line SAMLResponse (line 1)",
        ),
        (
            "copy-tab-separated.tsv",
            "tab-separated line SAMLResponse (line 2)",
        ),
        ("copy-curl-bash.sh", "cURL command (bash) --data-raw"),
        ("copy-curl-cmd.bat", "cURL command (cmd) --data-raw"),
        ("copy-fetch-chrome.js", "fetch() call body"),
        ("copy-fetch-firefox.js", "fetch() call body"),
        ("copy-powershell.ps1", "PowerShell -Body"),
        (
            "copy-firefox-form-data.json",
            "DevTools form data copy (JSON) field SAMLResponse",
        ),
        (
            "copy-markdown-fence.txt",
            "Markdown code fence `xml` (line 3)",
        ),
    ];
    for (file, first_step) in cases {
        let (code, out) = saml_json(&[&format!("fixtures/saml/{file}")]);
        assert_eq!(code, 0, "{file}: {out}");
        assert!(
            out.contains(&format!("\"decoding\": [\n    \"{first_step}\"")),
            "{file}: {out}"
        );
        assert!(
            out.contains("\"SD710\"") && !out.contains("\"SD711\""),
            "{file}: {out}"
        );
        assert!(
            out.contains("\"relay_state\": \"r1\"") || file.ends_with("fence.txt"),
            "{file}: {out}"
        );
    }
}

/// A redirect URL given as the argument is the trace; any other URL is explained, not fetched.
#[test]
fn a_url_argument_is_a_redirect_trace_or_explained() {
    let url = std::fs::read_to_string("fixtures/saml/form-redirect-url.txt").unwrap();
    let (code, out, err) = common::run(&["saml", url.trim(), "--now", common::NOW]);
    assert!(code == 0 || code == 1, "{out}{err}");
    assert!(
        out.contains("decoded: query string → field SAMLRequest → url-decode → base64 → inflate"),
        "{out}"
    );
    assert!(out.contains("AuthnRequest"), "{out}");
    let (code, out, err) = common::run(&["saml", "https://idp.test/app/sso/saml/metadata"]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("offline by design") && err.contains("HAR"),
        "{err}"
    );
}

/// What a browser posts from an auto-post page is what gets analysed, and the report says which
/// form and field it came from.
#[test]
fn auto_post_pages_are_read_as_a_browser_reads_them() {
    for file in [
        "html-duplicate-value.html",
        "html-data-value.html",
        "html-commented-input.html",
        "html-template-input.html",
        "html-second-form-submitted.html",
    ] {
        let (code, out) = saml_json(&[&format!("fixtures/saml/{file}")]);
        assert_eq!(code, 1, "{file}: {out}");
        assert!(
            out.contains("\"SD711\"") && !out.contains("\"SD710\""),
            "{file}: {out}"
        );
        assert!(
            out.contains("admin@example.com") && !out.contains("dana.reyes@example.com\""),
            "{file}: {out}"
        );
        assert!(
            out.contains("form field SAMLResponse of the HTML page (form "),
            "{file}: {out}"
        );
    }
    let (code, out) = saml_json(&["fixtures/saml/html-double-escaped.html"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("→ base64 failed: character '&'"), "{out}");
}
