//! The project's own fixtures, checked by `sso-doctor check`, plus the rule-coverage promise:
//! every rule has a fixture that triggers it and one that does not.

mod common;
use common::{run, sso};
use std::collections::BTreeSet;

#[test]
fn every_fixture_meets_its_expectation() {
    let (code, out, err) = run(&["check", "fixtures/saml", "fixtures/dsig", "--strict"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(" 0 fail"), "{out}");
}

#[test]
fn every_rule_has_a_triggering_and_a_quiet_fixture() {
    let mut triggered = BTreeSet::new();
    let mut quiet = BTreeSet::new();
    let all: Vec<&str> = sso_doctor::rules::all()
        .iter()
        .map(|r| r.meta().code)
        .collect();
    let entries = std::fs::read_dir("fixtures/saml")
        .unwrap()
        .chain(std::fs::read_dir("fixtures/dsig").unwrap())
        .chain(std::fs::read_dir("fixtures/dsig/independent").unwrap());
    for entry in entries {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".expect.toml") {
            continue;
        }
        let exp = sso_doctor::check::read_expectation(&path).unwrap();
        triggered.extend(exp.must.iter().cloned());
        quiet.extend(exp.must_not.iter().cloned());
        if exp.exact {
            quiet.extend(
                all.iter()
                    .filter(|c| !exp.must.iter().any(|m| m == *c))
                    .map(|c| c.to_string()),
            );
        }
    }
    for code in all {
        assert!(triggered.contains(code), "no fixture triggers {code}");
        assert!(
            quiet.contains(code),
            "no fixture shows {code} staying quiet"
        );
    }
}

#[test]
fn failing_folder_shows_missing_and_unexpected_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        "fixtures/saml/acs-trailing-slash.xml",
        dir.path().join("a.xml"),
    )
    .unwrap();
    std::fs::copy("fixtures/saml/entra.toml", dir.path().join("entra.toml")).unwrap();
    std::fs::write(dir.path().join("a.xml.expect.toml"), "config = \"entra.toml\"\nnow = \"2026-03-10T09:16:00Z\"\nmust = [\"SD301\"]\nmust_not = [\"SD201\"]\n").unwrap();
    let (code, out, _) = run(&["check", dir.path().to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("expected but missing") && out.contains("SD301") && out.contains("SD201"),
        "{out}"
    );
}

#[test]
fn unchecked_fixtures_pass_unless_strict() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("fixtures/saml/entra-clean.xml", dir.path().join("x.xml")).unwrap();
    assert_eq!(run(&["check", dir.path().to_str().unwrap()]).0, 0);
    assert_eq!(
        run(&["check", dir.path().to_str().unwrap(), "--strict"]).0,
        1
    );
}

#[test]
fn bless_round_trip_and_ci_refusal() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    std::fs::copy(
        "fixtures/saml/acs-trailing-slash.xml",
        dir.path().join("a.xml"),
    )
    .unwrap();
    std::fs::copy("fixtures/saml/entra.toml", dir.path().join("entra.toml")).unwrap();
    std::fs::write(
        dir.path().join("a.xml.expect.toml"),
        "config = \"entra.toml\"\nnow = \"2026-03-10T09:16:00Z\"\nmust = [\"SD301\"]\n",
    )
    .unwrap();
    let refused = sso()
        .args(["check", d, "--bless"])
        .env("CI", "true")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("refusing"));
    assert_eq!(run(&["check", d, "--bless"]).0, 0);
    let blessed = std::fs::read_to_string(dir.path().join("a.xml.expect.toml")).unwrap();
    assert!(
        blessed.contains("SD201")
            && blessed.contains("config = \"entra.toml\"")
            && !blessed.contains("SD301"),
        "{blessed}"
    );
    assert_eq!(run(&["check", d, "--strict"]).0, 0);
}

#[test]
fn malformed_expectations_name_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy("fixtures/saml/entra-clean.xml", dir.path().join("x.xml")).unwrap();
    let exp = dir.path().join("x.xml.expect.toml");
    for (text, needle) in [
        ("must = [\"SD201\"]\nmusst = []\n", "musst"),
        ("must = [\"SD999\"]\n", "SD999"),
        ("must = \"SD201\"\n", "must"),
        ("now = \"soon\"\n", "now"),
        ("[severity]\nSD201 = \"fatal\"\n", "severity.SD201"),
    ] {
        std::fs::write(&exp, text).unwrap();
        let (code, _, err) = run(&["check", dir.path().to_str().unwrap()]);
        assert_eq!(code, 2, "{text}");
        assert!(
            err.contains("x.xml.expect.toml") && err.contains(needle),
            "{text}: {err}"
        );
    }
}
