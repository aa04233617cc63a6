//! Signature verdicts, profile errors and report wording through the real binary, on the
//! fixtures of `examples/make_verdict_fixtures.rs` (issues 13, 15, 19, 24).

mod common;
use common::{NOW, run};

/// Runs `saml --format json` on a signature-verdict fixture with its config.
fn verdict_json(file: &str, config: &str) -> (i32, serde_json::Value) {
    let (code, out, err) = run(&[
        "saml",
        &format!("fixtures/dsig/{file}"),
        "--config",
        &format!("fixtures/dsig/{config}"),
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    (code, v)
}

fn findings_of<'a>(v: &'a serde_json::Value, code: &str) -> Vec<&'a serde_json::Value> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == code)
        .collect()
}

#[test]
fn attacker_signed_forgery_is_wrapping_not_a_rollover() {
    let (code, v) = verdict_json("xsw3-attacker-signed.xml", "idp-rsa.toml");
    assert_eq!(code, 1);
    assert_eq!(v["most_likely_cause"], "SD720", "{v:#}");
    let key = findings_of(&v, "SD712");
    assert_eq!(key.len(), 1, "{v:#}");
    let fix = key[0]["fix"].as_str().unwrap();
    assert!(fix.contains("Do not change the certificate"), "{fix}");
    assert!(!fix.to_lowercase().contains("update"), "{fix}");
    // The valid signature is the genuine assertion's, never the forged one's.
    for f in findings_of(&v, "SD710") {
        assert!(
            !f.to_string().contains("_evil-assertion"),
            "the forged assertion is reported as validly signed: {f:#}"
        );
    }
    // Without a certificate a digest proves nothing: the second assertion is an error.
    let (code, v) = verdict_json("xsw3-attacker-signed-no-cert.xml", "no-cert.toml");
    assert_eq!(code, 1);
    let unverified = findings_of(&v, "SD723");
    assert_eq!(unverified.len(), 1, "{v:#}");
    assert_eq!(unverified[0]["severity"], "error");
    assert!(findings_of(&v, "SD710").is_empty());
}

#[test]
fn every_readable_assertion_needs_a_verified_signature() {
    for (file, config) in [
        ("two-assertions-one-signed.xml", "idp-rsa.toml"),
        ("two-assertions-second-encrypted.xml", "idp-rsa.toml"),
        (
            "two-assertions-second-encrypted-no-key.xml",
            "idp-rsa-no-sp-key.toml",
        ),
    ] {
        let (code, v) = verdict_json(file, config);
        assert_eq!(code, 1, "{file}");
        let f = findings_of(&v, "SD723");
        assert_eq!(f.len(), 1, "{file}: {v:#}");
        assert!(
            f[0]["message"].as_str().unwrap().contains("CVE-2022-41912"),
            "{file}: {:#}",
            f[0]
        );
    }
    let (_, v) = verdict_json("response-signed-second-encrypted.xml", "idp-rsa.toml");
    assert!(findings_of(&v, "SD723").is_empty(), "{v:#}");
}

#[test]
fn duplicated_email_lists_every_value_an_sp_could_pick() {
    let (code, v) = verdict_json("email-attribute-duplicated.xml", "idp-rsa.toml");
    assert_eq!(code, 1);
    let f = findings_of(&v, "SD410");
    assert_eq!(f.len(), 1, "{v:#}");
    let message = f[0]["message"].as_str().unwrap();
    assert!(
        message.contains("dana.reyes@example.com") && message.contains("attacker@evil.test"),
        "{message}"
    );
}

#[test]
fn encrypted_assertion_kinde_cannot_read_is_an_error_with_the_fix() {
    let (code, v) = verdict_json("encrypted-no-sp-key.xml", "idp-rsa-no-sp-key.toml");
    assert_eq!(code, 1, "{v:#}");
    let f = findings_of(&v, "SD718");
    assert_eq!(f.len(), 1, "{v:#}");
    let fix = f[0]["fix"].as_str().unwrap();
    assert!(
        fix.contains("encryption off") && fix.contains("Kinde's certificate"),
        "{fix}"
    );
    let (code, v) = verdict_json(
        "encrypted-expected-decrypted.xml",
        "idp-rsa-want-encrypted.toml",
    );
    assert_eq!(code, 0, "{v:#}");
}

#[test]
fn audience_with_whitespace_is_a_near_miss_error() {
    let dir = tempfile::tempdir().unwrap();
    let xml = std::fs::read_to_string("fixtures/dsig/clean-assertion-signed.xml")
        .unwrap()
        .replace(
            "<Audience>kx7Qm2Rv9LpT4wZ8aN3c</Audience>",
            "<Audience> kx7Qm2Rv9LpT4wZ8aN3c</Audience>",
        );
    let file = dir.path().join("a.xml");
    std::fs::write(&file, xml).unwrap();
    let (code, out, _) = run(&[
        "saml",
        file.to_str().unwrap(),
        "--sp-entity-id",
        "kx7Qm2Rv9LpT4wZ8aN3c",
        "--now",
        NOW,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("error[SD301]") && out.contains("whitespace"),
        "{out}"
    );
}

#[test]
fn a_success_with_warnings_has_no_cause_of_failure() {
    let args = [
        "saml",
        "fixtures/dsig/signed-warning-only.xml",
        "--config",
        "fixtures/dsig/idp-rsa.toml",
        "--now",
        NOW,
    ];
    let (code, out, _) = run(&args);
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("Most likely cause"), "{out}");
    assert!(
        out.contains("would sign the user in") && out.contains("2 warnings below"),
        "{out}"
    );
    let (_, v) = verdict_json("signed-warning-only.xml", "idp-rsa.toml");
    assert!(v["most_likely_cause"].is_null(), "{v:#}");
    let (_, v) = verdict_json("confirmation-not-yet-valid.xml", "idp-rsa.toml");
    assert_eq!(v["most_likely_cause"], "SD506");
}

#[test]
fn logout_messages_are_worded_for_their_kind_and_direction() {
    let (code, v) = verdict_json("logout-response-failed.xml", "idp-rsa.toml");
    assert_eq!(code, 1);
    let status = findings_of(&v, "SD101")[0]["message"].as_str().unwrap();
    assert!(status.starts_with("The logout failed"), "{status}");
    assert!(!status.contains("sign-in"), "{status}");
    let kind = findings_of(&v, "SD109")[0]["message"].as_str().unwrap();
    assert!(
        kind.contains("a LogoutResponse sent by the IdP to Kinde")
            && !kind.contains("an LogoutResponse"),
        "{kind}"
    );
}

#[test]
fn a_forged_identity_is_never_shown_as_the_user() {
    let (code, out, _) = run(&[
        "saml",
        "fixtures/dsig/two-assertions-one-signed.xml",
        "--config",
        "fixtures/dsig/idp-rsa.toml",
        "--now",
        NOW,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("(not trustworthy: see SD723)"), "{out}");
    let (_, out, _) = run(&[
        "saml",
        "fixtures/dsig/clean-assertion-signed.xml",
        "--config",
        "fixtures/dsig/idp-rsa.toml",
        "--now",
        NOW,
    ]);
    assert!(!out.contains("not trustworthy"), "{out}");
}

#[test]
fn thousands_of_hidden_elements_give_a_bounded_report() {
    let dir = tempfile::tempdir().unwrap();
    let hidden = "<NameID xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\">x@evil.test</NameID>"
        .repeat(20_000);
    let xml = std::fs::read_to_string("fixtures/dsig/clean-assertion-signed.xml")
        .unwrap()
        .replacen("<KeyInfo>", &format!("<KeyInfo>{hidden}"), 1);
    let file = dir.path().join("hidden.xml");
    std::fs::write(&file, xml).unwrap();
    let (code, out, _) = run(&[
        "saml",
        file.to_str().unwrap(),
        "--config",
        "fixtures/dsig/idp-rsa.toml",
        "--now",
        NOW,
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("and 19984 more like this"),
        "{}",
        &out[..2000.min(out.len())]
    );
    assert!(out.len() < 64 * 1024, "report of {} bytes", out.len());
}

#[test]
fn destination_with_whitespace_is_a_near_miss_error_on_a_valid_message() {
    let dir = tempfile::tempdir().unwrap();
    // Only the assertion is signed, so the Response's Destination can differ and the signature
    // still verifies: the comparison alone must catch it.
    let xml = std::fs::read_to_string("fixtures/dsig/clean-assertion-signed.xml")
        .unwrap()
        .replacen(
            "Destination=\"https://acme.kinde.test/login/saml/callback\"",
            "Destination=\"https://acme.kinde.test/login/saml/callback \"",
            1,
        );
    let file = dir.path().join("d.xml");
    std::fs::write(&file, xml).unwrap();
    let (code, out, _) = run(&[
        "saml",
        file.to_str().unwrap(),
        "--config",
        "fixtures/dsig/idp-rsa.toml",
        "--now",
        NOW,
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("info[SD710]"), "{out}");
    assert!(
        out.contains("error[SD201]") && out.contains("leading or trailing whitespace"),
        "{out}"
    );
}
