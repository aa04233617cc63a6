//! Settings users have (issue 15, "Inputs users have"): Kinde's connection JSON as `--config`, a
//! `sso-doctor.toml` found without `--config` (or `$SSO_DOCTOR_CONFIG`), `sso-doctor init`, and the
//! clock for old captures (`--now issued`, a plain date, the capture-age headline).

mod common;
use common::{NOW, sso};
use std::path::Path;

fn root(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(rel)
        .display()
        .to_string()
}

fn out_of(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let o = cmd.output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

const KINDE_GET: &str = r#"{"code":"OK","message":"Success","connection":{"id":"conn_0123456789abcdef","name":"acme-entra","display_name":"Acme SSO","strategy":"saml:microsoft","options":{"saml_entity_id":"kx7Qm2Rv9LpT4wZ8aN3c","saml_acs_url":"https://acme.kinde.test/login/saml/callback","saml_email_key_attr":"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress","name_id_format":"Email address","is_create_missing_user":true,"is_trusted":false}}}"#;

#[test]
fn kinde_connection_json_is_read_as_settings() {
    let dir = tempfile::tempdir().unwrap();
    let conn = dir.path().join("connection.json");
    std::fs::write(&conn, KINDE_GET).unwrap();
    let (code, out, err) = out_of(sso().args([
        "saml",
        "fixtures/saml/acs-trailing-slash.xml",
        "-c",
        conn.to_str().unwrap(),
        "--now",
        NOW,
        "-f",
        "json",
    ]));
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sd201 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "SD201")
        .expect("the ACS URL from options.saml_acs_url is compared");
    assert!(
        sd201.to_string().contains("options.saml_acs_url"),
        "{sd201}"
    );
    assert_eq!(v["settings_file"], conn.display().to_string());
    // A GET without options says what to do instead.
    std::fs::write(
        &conn,
        r#"{"code":"OK","connection":{"id":"c","name":"x","strategy":"saml:custom"}}"#,
    )
    .unwrap();
    let (code, _, err) = out_of(sso().args([
        "saml",
        "fixtures/saml/acs-trailing-slash.xml",
        "-c",
        conn.to_str().unwrap(),
    ]));
    assert_eq!(code, 2);
    assert!(
        err.contains("options") && err.contains("sso-doctor init"),
        "{err}"
    );
}

#[test]
fn settings_file_is_found_without_config_and_named_in_the_report() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        root("fixtures/saml/entra.toml"),
        dir.path().join("sso-doctor.toml"),
    )
    .unwrap();
    let fixture = root("fixtures/saml/acs-trailing-slash.xml");
    let (code, out, err) = out_of(
        sso()
            .current_dir(dir.path())
            .args(["saml", &fixture, "--now", NOW]),
    );
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("settings: sso-doctor.toml\n"), "{out}");
    assert!(out.contains("SD201"), "{out}");
    // $SSO_DOCTOR_CONFIG wins over the folder's file; a wrong one is an error naming the variable.
    let other = tempfile::tempdir().unwrap();
    let (_, out, _) = out_of(
        sso()
            .current_dir(other.path())
            .env("SSO_DOCTOR_CONFIG", root("fixtures/saml/entra.toml"))
            .args(["saml", &fixture, "--now", NOW]),
    );
    assert!(
        out.contains("settings: ") && out.contains("entra.toml"),
        "{out}"
    );
    let (code, _, err) = out_of(
        sso()
            .current_dir(other.path())
            .env("SSO_DOCTOR_CONFIG", "/nonexistent/x.toml")
            .args(["saml", &fixture]),
    );
    assert_eq!(code, 2);
    assert!(err.contains("SSO_DOCTOR_CONFIG"), "{err}");
    // Without any settings there is no settings line.
    let (_, out, _) = out_of(
        sso()
            .current_dir(other.path())
            .args(["saml", &fixture, "--now", NOW]),
    );
    assert!(!out.contains("settings:"), "{out}");
}

#[test]
fn init_writes_a_template_that_saml_then_uses() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("idp.xml");
    std::fs::write(&md, r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sts.windows.test/00000000-0000-4000-8000-0000000000a1/"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.example.test/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>"#).unwrap();
    let (code, _, err) =
        out_of(
            sso()
                .current_dir(dir.path())
                .args(["init", "--idp-metadata", "idp.xml"]),
        );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(dir.path().join("sso-doctor.toml")).unwrap();
    assert!(
        text.contains(
            "idp_entity_id = \"https://sts.windows.test/00000000-0000-4000-8000-0000000000a1/\""
        ),
        "{text}"
    );
    assert!(text.contains("# acs_url ="), "{text}");
    let (code, _, err) = out_of(sso().current_dir(dir.path()).args(["init"]));
    assert_eq!(code, 2, "an existing file is not replaced without --force");
    assert!(err.contains("--force"), "{err}");
    let (code, out, _) = out_of(sso().current_dir(dir.path()).args(["init", "-o", "-"]));
    assert_eq!(code, 0);
    assert!(out.contains("[connection]"));
    let (_, out, err) = out_of(sso().current_dir(dir.path()).args([
        "saml",
        &root("fixtures/saml/acs-trailing-slash.xml"),
        "--now",
        NOW,
    ]));
    assert!(out.starts_with("settings: sso-doctor.toml"), "{out}{err}");
}

#[test]
fn old_captures_say_so_and_now_issued_judges_at_issue() {
    let args = [
        "saml",
        "fixtures/saml/adfs-clean.xml",
        "-c",
        "fixtures/saml/adfs.toml",
    ];
    // System clock: the fixture was issued in March 2026, long before any run of this test.
    let (_, out, _) = out_of(sso().args(args));
    let note = out
        .lines()
        .find(|l| l.starts_with("note: captured"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        note.contains(
            " days ago; timing judged as of now — rerun with --now issued to see the rest"
        ),
        "{note}"
    );
    let first = out
        .lines()
        .position(|l| l.starts_with("info[SD705]"))
        .unwrap();
    let expired = out
        .lines()
        .position(|l| l.starts_with("error[SD501]"))
        .unwrap();
    assert!(
        first < expired,
        "timing findings are ranked after the others:\n{out}"
    );
    let (code, out, err) = out_of(sso().args(args).args(["--now", "issued"]));
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains("SD501") && !out.contains("note: captured"),
        "{out}"
    );
    let (_, out, _) = out_of(sso().args(args).args(["--now", "issued", "-f", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["capture_age_seconds"], 0);
    assert!(
        v["now_source"]
            .as_str()
            .unwrap()
            .starts_with("--now issued")
    );
    // A plain date is midnight UTC; with an explicit --now there is no capture-age note.
    let (_, out, _) = out_of(sso().args(args).args(["--now", "2026-03-10", "-f", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["now"], "2026-03-10T00:00:00Z");
    assert!(v["headline"].is_null());
}
