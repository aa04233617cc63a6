//! `sso-doctor preflight` over `fixtures/preflight/` (made by `fixtures/preflight/make.py`): every
//! case's verdict and check statuses, the JSON contract, exit codes, and bad input.

mod common;

use common::run;
use serde_json::Value;
use std::path::Path;

fn cases() -> Vec<Value> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/preflight/cases.json");
    let v: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
    v.as_array().unwrap().clone()
}

fn args_of(c: &Value) -> Vec<String> {
    let dir = "fixtures/preflight/";
    let mut a = vec![
        "preflight".to_string(),
        "--config".into(),
        format!("{dir}{}", c["config"].as_str().unwrap()),
        "--now".into(),
        c["now"].as_str().unwrap().into(),
    ];
    for m in c["metadata"].as_array().unwrap() {
        a.push("--idp-metadata".into());
        a.push(format!("{dir}{}", m.as_str().unwrap()));
    }
    if let Some(u) = c["acs_url"].as_str() {
        a.push("--acs-url".into());
        a.push(u.into());
    }
    for i in c["inputs"].as_array().unwrap() {
        a.push(format!("{dir}{}", i.as_str().unwrap()));
    }
    a
}

#[test]
fn every_case_has_its_verdict_and_statuses() {
    let mut wrong = Vec::new();
    let all = cases();
    assert!(all.len() >= 30, "only {} cases", all.len());
    for c in &all {
        let mut a = args_of(c);
        a.extend(["--format".into(), "json".into()]);
        let refs: Vec<&str> = a.iter().map(String::as_str).collect();
        let (code, out, err) = run(&refs);
        let name = c["name"].as_str().unwrap();
        let Ok(j) = serde_json::from_str::<Value>(&out) else {
            wrong.push(format!("{name}: exit {code}, no JSON: {err}"));
            continue;
        };
        let verdict = j["verdict"].as_str().unwrap();
        if verdict != c["verdict"] {
            wrong.push(format!(
                "{name}: verdict {verdict}, expected {}",
                c["verdict"]
            ));
        }
        let want_code = if verdict == "ready" { 0 } else { 1 };
        if code != want_code {
            wrong.push(format!("{name}: exit {code} for {verdict}"));
        }
        for (check, status) in c["statuses"].as_object().unwrap() {
            let got = j["checks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["check"] == check.as_str())
                .map(|x| x["status"].as_str().unwrap().to_string());
            if got.as_deref() != status.as_str() {
                wrong.push(format!("{name}: {check} is {got:?}, expected {status}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn json_contract_has_one_entry_per_check_and_a_fix_for_each_failure() {
    let c = cases()
        .into_iter()
        .find(|c| c["name"] == "okta-several-faults")
        .unwrap();
    let mut a = args_of(&c);
    a.extend(["--format".into(), "json".into()]);
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let (_, out, _) = run(&refs);
    let j: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(j["schema"], "sso-doctor.preflight/1");
    let names: Vec<&str> = j["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["check"].as_str().unwrap())
        .collect();
    assert_eq!(names, sso_doctor::preflight::checks::NAMES);
    for x in j["checks"].as_array().unwrap() {
        for k in ["check", "status", "idp", "kinde", "evidence", "fix"] {
            assert!(x.get(k).is_some(), "{k} missing in {x}");
        }
        let failing = matches!(
            x["status"].as_str().unwrap(),
            "mismatch" | "missing" | "warning"
        );
        assert_eq!(failing, !x["fix"].as_str().unwrap().is_empty(), "{x}");
    }
    let acs = &j["checks"][0];
    assert!(
        acs["evidence"]
            .as_str()
            .unwrap()
            .contains("$.settings.signOn.ssoAcsUrl")
    );
    assert!(acs["evidence"].as_str().unwrap().contains("trailing slash"));
}

#[test]
fn text_report_leads_with_the_verdict_and_shows_both_sides() {
    let c = cases()
        .into_iter()
        .find(|c| c["name"] == "entra-default-claims")
        .unwrap();
    let a = args_of(&c);
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let (code, out, _) = run(&refs);
    assert_eq!(code, 1);
    assert!(out.starts_with("sso-doctor preflight: WILL FAIL"), "{out}");
    assert!(
        out.contains("IdP:   http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"),
        "{out}"
    );
    assert!(out.contains("Kinde: email"), "{out}");
    assert!(
        out.contains("Entra's default SAML claims are assumed"),
        "{out}"
    );
}

#[test]
fn output_is_deterministic() {
    let c = &cases()[0];
    let a = args_of(c);
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    assert_eq!(run(&refs).1, run(&refs).1);
}

#[test]
fn bad_inputs_say_what_and_where() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("okta.json");
    std::fs::write(
        &bad,
        "{\"signOnMode\": \"SAML_2_0\", \"settings\": {\"signOn\": ",
    )
    .unwrap();
    let (code, _, err) = run(&[
        "preflight",
        "-c",
        "fixtures/preflight/kinde-okta.toml",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("okta.json") && err.contains("line 1"), "{err}");
    let unknown = dir.path().join("x.json");
    std::fs::write(&unknown, "{\"hello\": 1}").unwrap();
    let (code, _, err) = run(&[
        "preflight",
        "-c",
        "fixtures/preflight/kinde-okta.toml",
        unknown.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown shape") && err.contains("hello"),
        "{err}"
    );
    let (code, _, err) = run(&[
        "preflight",
        "-c",
        "fixtures/preflight/kinde-okta.toml",
        "--idp-metadata",
        "https://idp.example.com/metadata.xml",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("offline"), "{err}");
    let (code, _, err) = run(&["preflight", "-c", "fixtures/preflight/kinde-okta.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("IdP side"), "{err}");
    let (code, _, err) = run(&[
        "preflight",
        "-c",
        "fixtures/preflight/kinde-okta.toml",
        "fixtures/preflight/keycloak-realm-descriptor.xml",
        "fixtures/preflight/okta-app.json",
        "fixtures/preflight/nope.json",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("nope.json"), "{err}");
}

#[test]
fn explain_resolves_preflight_and_each_check() {
    let (code, out, _) = run(&["explain", "preflight"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("## acs_url") && out.contains("RFC 3986"),
        "{out}"
    );
    for check in sso_doctor::preflight::checks::NAMES {
        let (code, out, _) = run(&["explain", &format!("preflight:{check}")]);
        assert_eq!(code, 0, "{check}");
        assert!(out.contains(check), "{out}");
    }
}

#[test]
fn html_and_markdown_reports() {
    let c = cases()
        .into_iter()
        .find(|c| c["name"] == "okta-several-faults")
        .unwrap();
    let mut a = args_of(&c);
    a.extend(["--format".into(), "html".into()]);
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let (code, out, _) = run(&refs);
    assert_eq!(code, 1);
    assert!(
        out.starts_with("<!DOCTYPE html>") && out.contains("will_fail"),
        "{out}"
    );
    assert!(
        out.contains("Content-Security-Policy")
            && !out.contains("<script")
            && !out.contains("src=")
    );
    assert!(out.contains("<td>acs_url</td><td>mismatch</td>"), "{out}");
    let mut a = args_of(&c);
    a.extend(["--format".into(), "markdown".into()]);
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    let (_, out, _) = run(&refs);
    assert!(
        out.starts_with("### sso-doctor preflight: **will_fail**"),
        "{out}"
    );
    assert!(out.contains("| `acs_url` | mismatch |"), "{out}");
    assert!(out.contains("<details>"));
}
