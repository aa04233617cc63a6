//! Report formats: snapshots of the text and JSON reports, the SARIF report validated against the
//! official SARIF 2.1.0 schema, JUnit parsed as XML, GitHub annotations.

mod common;
use common::{NOW, run};

fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(include_str!("schemas/sarif-schema-2.1.0.json")).unwrap();
    jsonschema::draft4::new(&schema).expect("the SARIF schema compiles")
}

fn assert_valid_sarif(text: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(text).unwrap();
    let validator = sarif_validator();
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");
    v
}

#[test]
fn demo_text_report_snapshot() {
    let (_, out, _) = run(&["demo"]);
    insta::assert_snapshot!("demo_text", out);
}

#[test]
fn demo_json_report_snapshot() {
    let (_, out, _) = run(&["demo", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in ["findings", "decoding", "summary", "skipped"] {
        assert!(v.get(key).is_some(), "JSON contract key {key} missing");
    }
    for f in v["findings"].as_array().unwrap() {
        for key in ["code", "severity", "message", "evidence", "fix"] {
            assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
        }
        assert!(["error", "warning", "info"].contains(&f["severity"].as_str().unwrap()));
    }
    for key in [
        "issuer",
        "audiences",
        "destination",
        "recipient",
        "name_id",
        "name_id_format",
        "attributes",
        "signed_parts",
        "validity",
    ] {
        assert!(v["summary"].get(key).is_some(), "summary lacks {key}");
    }
    insta::assert_snapshot!("demo_json", out);
}

#[test]
fn fixture_text_snapshots() {
    for (name, config) in [
        ("status-requester.xml", "entra.toml"),
        ("google-nameid-only.xml", "google.toml"),
        ("capture.har", "entra.toml"),
    ] {
        let (_, out, _) = run(&[
            "saml",
            &format!("fixtures/saml/{name}"),
            "--config",
            &format!("fixtures/saml/{config}"),
            "--now",
            NOW,
        ]);
        insta::assert_snapshot!(format!("text_{name}"), out);
    }
}

#[test]
fn sarif_is_valid_and_points_at_lines() {
    let (_, out, _) = run(&[
        "saml",
        "fixtures/saml/acs-trailing-slash.xml",
        "fixtures/saml/form-base64.b64",
        "--config",
        "fixtures/saml/entra.toml",
        "--now",
        NOW,
        "--format",
        "sarif",
    ]);
    let v = assert_valid_sarif(&out);
    let results = v["runs"][0]["results"].as_array().unwrap();
    let dest = results.iter().find(|r| r["ruleId"] == "SD201").unwrap();
    let loc = &dest["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "fixtures/saml/acs-trailing-slash.xml"
    );
    assert_eq!(loc["region"]["startLine"], 1);
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), sso_doctor::rules::all().len());
    assert_eq!(
        rules[dest["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "SD201"
    );
}

#[test]
fn sarif_with_input_errors_and_from_check_is_valid() {
    let (_, out, _) = run(&["saml", "fixtures/saml/bad-jwt.txt", "--format", "sarif"]);
    let v = assert_valid_sarif(&out);
    assert_eq!(v["runs"][0]["invocations"][0]["executionSuccessful"], false);
    let (_, out, _) = run(&["check", "fixtures/saml", "--format", "sarif"]);
    assert_valid_sarif(&out);
}

#[test]
fn junit_parses_with_one_case_per_fixture() {
    let (_, out, _) = run(&["check", "fixtures/saml", "--format", "junit"]);
    let doc = sso_doctor::xml::Document::parse(&out, &Default::default())
        .expect("JUnit output is well-formed XML");
    let fixtures = std::fs::read_dir("fixtures/saml")
        .unwrap()
        .filter(|e| {
            let n = e
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .into_owned();
            !n.ends_with(".toml") && !n.ends_with(".md")
        })
        .count();
    assert_eq!(doc.attr(doc.root, "tests").unwrap(), fixtures.to_string());
    assert_eq!(doc.attr(doc.root, "failures"), Some("0"));
    let (_, out, _) = run(&[
        "saml",
        "fixtures/saml/acs-trailing-slash.xml",
        "fixtures/saml/bad-jwt.txt",
        "--config",
        "fixtures/saml/entra.toml",
        "--now",
        NOW,
        "--format",
        "junit",
    ]);
    let doc = sso_doctor::xml::Document::parse(&out, &Default::default()).unwrap();
    assert_eq!(doc.attr(doc.root, "failures"), Some("1"));
    assert_eq!(doc.attr(doc.root, "errors"), Some("1"));
}

#[test]
fn github_annotations() {
    let (_, out, _) = run(&[
        "saml",
        "fixtures/saml/acs-trailing-slash.xml",
        "--config",
        "fixtures/saml/entra.toml",
        "--now",
        NOW,
        "--format",
        "github",
    ]);
    assert!(out.lines().any(|l| l.starts_with("::error file=fixtures/saml/acs-trailing-slash.xml,line=1,col=1,title=SD201 destination-mismatch::")), "{out}");
    assert!(out.lines().all(|l| l.starts_with("::")), "{out}");
}

#[test]
fn logs_in_ci_formats() {
    let (_, out, _) = run(&[
        "logs",
        "fixtures/logs/entra",
        "fixtures/logs/malformed",
        "--format",
        "sarif",
    ]);
    let v = assert_valid_sarif(&out);
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["ruleId"] == "50011"
            && r["message"]["text"].as_str().unwrap().contains("Reply URL")),
        "{out}"
    );
    let bad = results
        .iter()
        .find(|r| r["ruleId"] == "malformed-record")
        .expect("malformed records reported");
    assert!(
        bad["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap()
            >= 1
    );
    let (_, out, _) = run(&["logs", "fixtures/logs/entra", "--format", "junit"]);
    let doc =
        sso_doctor::xml::Document::parse(&out, &Default::default()).expect("well-formed JUnit");
    assert!(
        doc.attr(doc.root, "failures")
            .unwrap()
            .parse::<u32>()
            .unwrap()
            > 0
    );
    let (_, out, _) = run(&[
        "logs",
        "fixtures/logs/entra",
        "fixtures/logs/malformed",
        "--format",
        "github",
    ]);
    assert!(
        out.lines()
            .any(|l| l.starts_with("::error title=50011 acs_url_mismatch::")),
        "{out}"
    );
    assert!(
        out.lines().any(|l| l
            .starts_with("::warning file=fixtures/logs/malformed/entra-bad-lines.ndjson,line=")),
        "{out}"
    );
}
