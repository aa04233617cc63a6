//! The `saml`, `demo`, `explain` and `rules` commands, driven through the real binary.

mod common;
use common::{NOW, run, sso};

#[test]
fn demo_finds_several_problems_and_ranks_a_cause() {
    let (code, out, _) = run(&["demo"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("Most likely cause: SD201 destination-mismatch"),
        "{out}"
    );
    for c in [
        "SD201", "SD202", "SD301", "SD401", "SD503", "SD407", "SD704",
    ] {
        assert!(out.contains(c), "demo should report {c}:\n{out}");
    }
}

#[test]
fn clean_response_exits_zero_and_says_what_was_skipped() {
    let (code, out, _) = run(&["saml", "fixtures/saml/entra-clean.xml", "--now", NOW]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("No problems found"), "{out}");
    assert!(
        out.contains("no ACS URL configured"),
        "skipped checks must say why:\n{out}"
    );
}

#[test]
fn settings_flags_override_and_enable_checks() {
    let (code, out, _) = run(&[
        "saml",
        "fixtures/saml/entra-clean.xml",
        "--now",
        NOW,
        "--acs-url",
        "https://acme.kinde.test/login/saml/callback/",
        "--sp-entity-id",
        "kx7Qm2Rv9LpT4wZ8aN3c",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("SD201")
            && out.contains("trailing slash missing")
            && out.contains("--acs-url"),
        "{out}"
    );
}

#[test]
fn stdin_and_several_files() {
    let xml = std::fs::read("fixtures/saml/acs-trailing-slash.xml").unwrap();
    let out = sso()
        .args([
            "saml",
            "-",
            "fixtures/saml/entra-clean.xml",
            "--config",
            "fixtures/saml/entra.toml",
            "--now",
            NOW,
            "--format",
            "json",
        ])
        .write_stdin(xml)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["messages"].as_array().unwrap().len(), 2);
    assert_eq!(v["messages"][0]["input"], "-");
    let all = v["findings"].as_array().unwrap();
    assert!(
        all.iter()
            .any(|f| f["code"] == "SD201" && f["message_index"] == 0)
    );
}

#[test]
fn fail_on_warning_lowers_the_bar() {
    let args = [
        "saml",
        "fixtures/saml/email-uppercase.xml",
        "--config",
        "fixtures/saml/entra.toml",
        "--now",
        NOW,
    ];
    assert_eq!(run(&args).0, 0);
    let mut with = args.to_vec();
    with.extend(["--fail-on", "warning"]);
    assert_eq!(run(&with).0, 1);
    let mut never = args.to_vec();
    never.extend(["--fail-on", "never"]);
    assert_eq!(run(&never).0, 0);
}

#[test]
fn unusable_inputs_exit_two_with_a_clear_message() {
    let cases = [
        ("fixtures/saml/bad-doctype-xxe.xml", "DOCTYPE"),
        ("fixtures/saml/bad-truncated.b64", "truncated"),
        ("fixtures/saml/bad-corrupt-deflate.b64", "DEFLATE"),
        ("fixtures/saml/bad-not-utf8.xml", "offset 40"),
        ("fixtures/saml/bad-deep-nesting.xml", "deeper than 128"),
        ("fixtures/saml/bad-jwt.txt", "JWT"),
        (
            "fixtures/saml/bad-login-page.html",
            "Sign in to your account",
        ),
        ("fixtures/saml/bad-metadata.xml", "--idp-metadata"),
        ("fixtures/saml/does-not-exist.xml", "cannot read"),
    ];
    for (file, needle) in cases {
        let (code, out, err) = run(&["saml", file, "--now", NOW]);
        assert_eq!(code, 2, "{file}: {out}{err}");
        assert!(
            out.contains(needle) || err.contains(needle),
            "{file}: expected {needle:?} in:\n{out}{err}"
        );
        assert!(!err.contains("panicked"), "{file} panicked: {err}");
    }
}

#[test]
fn external_entity_file_is_never_read() {
    // The entity points at a file holding a marker; the marker must never appear in any output.
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.txt");
    std::fs::write(&secret, "MARKER-7f3a9c").unwrap();
    let xml = format!(
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file://{}\">]><samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">&x;</samlp:Response>",
        secret.display()
    );
    let out = sso()
        .args(["saml", "-", "--format", "json"])
        .write_stdin(xml)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("MARKER-7f3a9c"), "{all}");
}

#[test]
fn fifty_megabyte_paste_is_refused_quickly() {
    let big = vec![b'A'; 50 * 1024 * 1024];
    let out = sso().args(["saml", "-"]).write_stdin(big).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-input-bytes"));
}

#[test]
fn bad_settings_are_errors_naming_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("conn.toml");
    std::fs::write(&typo, "[connection]\nacs_ulr = \"https://a.test\"\n").unwrap();
    let (code, _, err) = run(&[
        "saml",
        "fixtures/saml/entra-clean.xml",
        "--config",
        typo.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("acs_ulr") && err.contains("conn.toml"),
        "{err}"
    );
    std::fs::write(&typo, "[connection\n").unwrap();
    let (code, _, err) = run(&[
        "saml",
        "fixtures/saml/entra-clean.xml",
        "--config",
        typo.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = run(&[
        "saml",
        "fixtures/saml/entra-clean.xml",
        "--now",
        "yesterday",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("RFC 3339"), "{err}");
}

#[test]
fn idp_and_sp_metadata_feed_the_checks() {
    let dir = tempfile::tempdir().unwrap();
    let idp = dir.path().join("idp.xml");
    std::fs::write(&idp, r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sts.windows.test/other/"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>"#).unwrap();
    let sp = dir.path().join("sp.xml");
    std::fs::write(&sp, r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="kx7Qm2Rv9LpT4wZ8aN3c"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://acme.kinde.test/login/saml/callback" index="0"/></md:SPSSODescriptor></md:EntityDescriptor>"#).unwrap();
    let (code, out, _) = run(&[
        "saml",
        "fixtures/saml/entra-clean.xml",
        "--now",
        NOW,
        "--idp-metadata",
        idp.to_str().unwrap(),
        "--sp-metadata",
        sp.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"SD303"), "{codes:?}");
    assert!(
        !codes.contains(&"SD201") && !codes.contains(&"SD301"),
        "{codes:?}"
    );
}

#[test]
fn decoding_steps_are_reported() {
    let (_, out, _) = run(&[
        "saml",
        "fixtures/saml/form-body-double.txt",
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let steps: Vec<&str> = v["decoding"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(steps, ["field SAMLResponse", "url-decode ×2", "base64"]);
    let (_, out, _) = run(&["saml", "fixtures/saml/form-redirect-url.txt", "--now", NOW]);
    assert!(out.contains("url-decode → base64 → inflate"), "{out}");
}

#[test]
fn capture_files_label_and_pair_messages() {
    let (_, out, _) = run(&[
        "saml",
        "fixtures/saml/capture.har",
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let msgs = v["messages"].as_array().unwrap();
    assert_eq!(msgs.len(), 2);
    assert!(
        msgs[0]["label"]
            .as_str()
            .unwrap()
            .starts_with("HAR entry 1: GET https://login.microsoftonline.test/")
    );
    assert_eq!(
        msgs[1]["summary"]["paired_request"].as_str().unwrap(),
        msgs[0]["label"].as_str().unwrap()
    );
    let (_, out, _) = run(&["saml", "fixtures/saml/capture-stale.har", "--now", NOW]);
    assert!(
        out.contains("SD106") && out.contains("not the AuthnRequest in the capture"),
        "{out}"
    );
}

#[test]
fn explain_and_rules() {
    let (code, out, _) = run(&["explain", "SD201"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("# SD201 destination-mismatch") && out.contains("## Fix"),
        "{out}"
    );
    assert_eq!(run(&["explain", "recipient-mismatch"]).0, 0);
    let (code, _, err) = run(&["explain", "SD999"]);
    assert_eq!(code, 2);
    assert!(err.contains("sso-doctor rules"));
    let (code, out, _) = run(&["rules", "--format", "json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v.as_array().unwrap().len(), sso_doctor::rules::all().len());
    let (_, text, _) = run(&["rules"]);
    assert_eq!(text.lines().count(), sso_doctor::rules::all().len());
}

#[test]
fn colour_only_when_asked() {
    let (_, plain, _) = run(&["demo"]);
    assert!(!plain.contains('\x1b'));
    let (_, coloured, _) = run(&["demo", "--color", "always"]);
    assert!(coloured.contains("\x1b[1;31m"));
}

#[test]
fn output_is_deterministic() {
    let args = [
        "saml",
        "fixtures/saml/capture.har",
        "fixtures/saml/acs-trailing-slash.xml",
        "--config",
        "fixtures/saml/entra.toml",
        "--now",
        NOW,
        "--format",
        "json",
    ];
    assert_eq!(run(&args).1, run(&args).1);
}

/// Trojan Source (CVE-2021-42574): a bidi override or zero-width character from the message never
/// reaches the text report raw; it is spelt `<U+202E>`. JSON keeps the raw value.
#[test]
fn text_report_spells_out_bidi_and_invisible_characters() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("rlo.xml");
    std::fs::write(
        &p,
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"_r\" Version=\"2.0\" IssueInstant=\"2026-03-10T09:15:04Z\"><samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status><saml:Assertion ID=\"_a\" Version=\"2.0\" IssueInstant=\"2026-03-10T09:15:04Z\"><saml:Issuer>x</saml:Issuer><saml:Subject><saml:NameID>carol\u{202E}\u{200B}@example.com</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>",
    )
    .unwrap();
    let (_, out, _) = common::run(&["saml", p.to_str().unwrap(), "--now", common::NOW]);
    assert!(
        !out.contains('\u{202E}') && !out.contains('\u{200B}'),
        "{out}"
    );
    assert!(out.contains("carol<U+202E><U+200B>@example.com"), "{out}");
    let (_, json, _) = common::run(&[
        "saml",
        p.to_str().unwrap(),
        "--now",
        common::NOW,
        "-f",
        "json",
    ]);
    assert!(
        json.contains("\\u202e") || json.contains('\u{202E}'),
        "{json}"
    );
}
