//! SARIF from `saml`, `check` and `logs` passes Microsoft's SARIF multitool
//! (`validate --rule-kind "Gh;Sarif"`: the SARIF spec rules and GitHub code scanning's) with no
//! error or warning, and `check` reports fixture failures, not passing fixtures' findings.
//!
//! The multitool is an npm package (`npm i -g @microsoft/sarif-multitool`). It is found through
//! `$SARIF_MULTITOOL` (the native binary), a global npm install, or `node_modules/` here. When it
//! is missing the validation test FAILS under `CI` and is skipped with a message otherwise.

mod common;
use common::{NOW, sso};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The native multitool binary (the npm wrapper runs it through a shell, which splits `Gh;Sarif`).
fn multitool() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("SARIF_MULTITOOL") {
        return Some(PathBuf::from(p));
    }
    let mut roots: Vec<PathBuf> = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules")];
    if let Ok(out) = Command::new("npm").args(["root", "-g"]).output() {
        let root = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !root.is_empty() {
            roots.push(PathBuf::from(root));
        }
    }
    for root in roots {
        let pkg = root.join("@microsoft/sarif-multitool");
        if !pkg.exists() {
            continue;
        }
        let out = Command::new("node")
            .arg("-e")
            .arg("process.stdout.write(require(process.argv[1]))")
            .arg(&pkg)
            .output()
            .ok()?;
        let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if path.is_file() {
            return Some(path);
        }
    }
    None
}

fn validate(tool: &Path, name: &str, sarif: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(format!("{name}.sarif"));
    std::fs::write(&file, sarif).unwrap();
    let out = Command::new(tool)
        .args(["validate", "--rule-kind", "Gh;Sarif"])
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {}: {e} (is it executable? chmod u+x it)",
                tool.display()
            )
        });
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let problems: Vec<&str> = text
        .lines()
        .filter(|l| l.contains(": error ") || l.contains(": warning "))
        .collect();
    assert!(out.status.success(), "multitool failed on {name}: {text}");
    assert!(
        text.contains("1 files scanned"),
        "multitool did not scan {name}: {text}"
    );
    assert!(problems.is_empty(), "{name}: {problems:#?}");
}

fn stdout(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.output().unwrap().stdout).unwrap()
}

fn failing_fixture_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/saml/acs-trailing-slash.xml"),
        dir.path().join("x.xml"),
    )
    .unwrap();
    // SD201 needs an ACS URL and no settings are named: the expectation cannot be met.
    std::fs::write(
        dir.path().join("x.xml.expect.toml"),
        format!("must = [\"SD201\"]\nnow = \"{NOW}\"\n"),
    )
    .unwrap();
    dir
}

#[test]
fn check_reports_failures_only() {
    let passing = stdout(sso().args(["check", "fixtures/saml", "-f", "sarif"]));
    let v: serde_json::Value = serde_json::from_str(&passing).unwrap();
    assert_eq!(
        v["runs"][0]["results"].as_array().unwrap().len(),
        0,
        "passing fixtures are not results"
    );
    assert_eq!(
        stdout(sso().args(["check", "fixtures/saml", "-f", "github"])),
        ""
    );
    let dir = failing_fixture_dir();
    let out = stdout(
        sso()
            .current_dir(dir.path())
            .args(["check", ".", "-f", "sarif"]),
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{out}");
    let r = &results[0];
    assert_eq!(r["ruleId"], "fixture-expectation-failed");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "x.xml"
    );
    assert!(
        r["locations"][0]["physicalLocation"]["region"]["endLine"]
            .as_u64()
            .unwrap()
            >= 1
    );
    assert_eq!(
        r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "x.xml.expect.toml"
    );
    assert!(
        r["message"]["text"]
            .as_str()
            .unwrap()
            .contains("expected but missing: SD201")
    );
    let gh = stdout(
        sso()
            .current_dir(dir.path())
            .args(["check", ".", "-f", "github"]),
    );
    assert_eq!(gh.lines().count(), 1, "{gh}");
    assert!(
        gh.starts_with("::error file=x.xml,line=1,title=fixture failed its expectation::"),
        "{gh}"
    );
    assert!(
        gh.contains("x.xml.expect.toml") && !gh.contains("unusable input"),
        "{gh}"
    );
}

#[test]
fn every_saml_result_has_a_region_and_relative_uri() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let abs = here.join("fixtures/saml/form-base64.b64");
    let out = stdout(sso().args([
        "saml",
        "fixtures/saml/acs-trailing-slash.xml",
        abs.to_str().unwrap(),
        "-c",
        "fixtures/saml/entra.toml",
        "--now",
        NOW,
        "-f",
        "sarif",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        v["runs"][0]["tool"]["driver"]["informationUri"]
            .as_str()
            .unwrap()
            .starts_with("https://")
    );
    for r in v["runs"][0]["results"].as_array().unwrap() {
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1, "{r}");
        assert!(loc["region"]["endLine"].as_u64().is_some(), "{r}");
        let uri = loc["artifactLocation"]["uri"].as_str().unwrap();
        assert!(
            uri.starts_with("fixtures/saml/"),
            "relative to the working directory: {uri}"
        );
    }
}

#[test]
fn sarif_passes_the_multitool() {
    let Some(tool) = multitool() else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "the SARIF multitool is missing: .ci/run must install it (npm i -g @microsoft/sarif-multitool) or set SARIF_MULTITOOL"
            );
        }
        eprintln!(
            "SKIPPED sarif_passes_the_multitool: install with `npm i -g @microsoft/sarif-multitool` (or set SARIF_MULTITOOL)"
        );
        return;
    };
    let saml = stdout(sso().args([
        "saml",
        "fixtures/saml/acs-trailing-slash.xml",
        "fixtures/saml/form-base64.b64",
        "fixtures/saml/capture.har",
        "fixtures/saml/bad-jwt.txt",
        "-c",
        "fixtures/saml/entra.toml",
        "--now",
        NOW,
        "-f",
        "sarif",
    ]));
    validate(&tool, "saml", &saml);
    validate(
        &tool,
        "check-pass",
        &stdout(sso().args(["check", "fixtures/saml", "-f", "sarif"])),
    );
    let dir = failing_fixture_dir();
    validate(
        &tool,
        "check-fail",
        &stdout(
            sso()
                .current_dir(dir.path())
                .args(["check", ".", "-f", "sarif"]),
        ),
    );
    validate(
        &tool,
        "logs",
        &stdout(sso().args([
            "logs",
            "fixtures/logs/entra",
            "fixtures/logs/malformed",
            "--no-progress",
            "-f",
            "sarif",
        ])),
    );
}
