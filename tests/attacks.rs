//! The attack corpus in `fixtures/attacks/` (made by `fixtures/attacks/make.py`, genuine
//! signatures by xmlsec1): every published attack class is flagged, every benign control stays
//! clean. See `fixtures/attacks/README.md` for the samples and their sources.

mod common;

use common::{NOW, run};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

/// Samples today's verdict logic does not yet flag as the issue requires. The test asserts that
/// each still fails, so an entry must be removed as soon as a fix makes it pass.
const KNOWN_FAILING: &[&str] = &[];

/// Classes the corpus must cover (issue: signature verdicts that hold against published attacks).
const REQUIRED_CLASSES: &[&str] = &[
    "XSW1",
    "XSW2",
    "XSW3",
    "XSW4",
    "XSW5",
    "XSW6",
    "XSW7",
    "XSW8",
    "CVE-2022-41912",
    "CVE-2024-45409",
    "CVE-2025-25291",
    "CVE-2025-25292",
    "CVE-2025-29774",
    "CVE-2025-29775",
    "CVE-2025-47949",
    "CVE-2025-54419",
    "void canonicalisation",
    "comment injection",
    "empty CDATA section injection",
    "processing instruction injection",
    "HMACOutputLength truncation",
    "xpath transform",
    "xslt transform",
    "Reference URI=\"\"",
    "KeyInfo substitution (self-signed certificate)",
    "KeyInfo substitution (cloned subject)",
    "KeyInfo substitution (RSAKeyValue)",
    "KeyInfo substitution (RetrievalMethod)",
    "signature exclusion",
    "duplicate IDs",
    "DTD entity",
    "CRLF line ends",
    "inclusive C14N",
    "exclusive C14N with PrefixList",
    "comments between elements",
    "signed then encrypted",
];

fn manifest() -> Vec<Value> {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/attacks/manifest.json"),
    )
    .expect("fixtures/attacks/manifest.json (run python3 fixtures/attacks/make.py)");
    serde_json::from_str::<Value>(&text)
        .expect("manifest is JSON")
        .as_array()
        .expect("manifest is a list")
        .clone()
}

/// Runs one sample and says what is wrong with the verdict, or `None` when it is as required.
fn judge(entry: &Value) -> Option<String> {
    let file = entry["file"].as_str().unwrap();
    let path = format!("fixtures/attacks/{file}");
    let (code, out, err) = run(&[
        "saml",
        &path,
        "--config",
        "fixtures/attacks/idp.toml",
        "--now",
        NOW,
        "--format",
        "json",
    ]);
    let kind = entry["kind"].as_str().unwrap();
    if let Some(refused) = entry["refused"].as_str() {
        return if code == 2 && (err.contains(refused) || out.contains(refused)) {
            None
        } else {
            Some(format!(
                "expected a refusal mentioning {refused:?}, got exit {code}: {err}"
            ))
        };
    }
    let json: Value = match serde_json::from_str(&out) {
        Ok(v) => v,
        Err(_) => return Some(format!("exit {code}, no JSON report: {err}")),
    };
    let findings = json["findings"].as_array().cloned().unwrap_or_default();
    let codes: BTreeSet<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
    let errors: Vec<&str> = findings
        .iter()
        .filter(|f| f["severity"] == "error")
        .filter_map(|f| f["code"].as_str())
        .collect();
    if kind == "control" {
        if code != 0 || !errors.is_empty() || !codes.contains("SD710") {
            return Some(format!(
                "control: expected exit 0, no error and SD710; got exit {code}, errors {errors:?}, codes {codes:?}"
            ));
        }
        return None;
    }
    if code != 1 || errors.is_empty() {
        return Some(format!("attack not flagged: exit {code}, codes {codes:?}"));
    }
    let kept = entry["genuine_signature_kept"].as_bool().unwrap_or(false);
    if !kept && codes.contains("SD710") {
        return Some("attack: forged content reported with a valid signature (SD710)".into());
    }
    let top = json["most_likely_cause"].as_str().unwrap_or("");
    let wanted: Vec<&str> = entry["codes"]
        .as_array()
        .map(|a| a.iter().filter_map(|c| c.as_str()).collect())
        .unwrap_or_default();
    for w in &wanted {
        if !codes.contains(w) {
            return Some(format!("attack: {w} missing (codes {codes:?})"));
        }
    }
    let top_ok = if wanted.is_empty() {
        top.starts_with("SD7")
    } else {
        wanted.contains(&top) || top.starts_with("SD7")
    };
    if !top_ok {
        return Some(format!(
            "attack: the most likely cause is {top}, not the attack (codes {codes:?})"
        ));
    }
    None
}

#[test]
fn every_attack_is_flagged_and_every_control_stays_clean() {
    let mut unexpected = Vec::new();
    let mut now_passing = Vec::new();
    for entry in manifest() {
        let file = entry["file"].as_str().unwrap().to_string();
        let verdict = judge(&entry);
        match (verdict, KNOWN_FAILING.contains(&file.as_str())) {
            (Some(why), false) => unexpected.push(format!("{file}: {why}")),
            (None, true) => now_passing.push(file),
            _ => {}
        }
    }
    assert!(
        unexpected.is_empty(),
        "samples with a wrong verdict:\n{}",
        unexpected.join("\n")
    );
    assert!(
        now_passing.is_empty(),
        "these samples now pass: remove them from KNOWN_FAILING in tests/attacks.rs: {now_passing:?}"
    );
}

#[test]
fn corpus_covers_every_required_class() {
    let m = manifest();
    let classes: BTreeSet<&str> = m.iter().filter_map(|e| e["class"].as_str()).collect();
    let missing: Vec<&&str> = REQUIRED_CLASSES
        .iter()
        .filter(|c| !classes.contains(**c))
        .collect();
    assert!(missing.is_empty(), "classes without a sample: {missing:?}");
    for e in &m {
        let f = e["file"].as_str().unwrap();
        assert!(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/attacks")
                .join(format!("{f}.expect.toml"))
                .exists(),
            "{f} has no expectation file"
        );
    }
    for k in KNOWN_FAILING {
        assert!(
            m.iter().any(|e| e["file"] == *k),
            "KNOWN_FAILING names {k}, which is not in the corpus"
        );
    }
}

#[test]
fn check_mode_passes_on_the_corpus() {
    let (code, out, err) = run(&["check", "fixtures/attacks"]);
    assert_eq!(
        code, 0,
        "sso-doctor check fixtures/attacks failed:\n{out}\n{err}"
    );
    assert!(out.contains("0 fail"), "{out}");
}

/// The controls are signed by xmlsec1; xmlsec1 must verify them and so must we (both ways).
#[test]
fn controls_verify_with_xmlsec1_too() {
    if std::process::Command::new("xmlsec1")
        .arg("--version")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "xmlsec1 is required under CI (bash .ci/run installs it)"
        );
        eprintln!("xmlsec1 not installed: cross-check not run (install Debian's xmlsec1)");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for e in manifest() {
        if e["kind"] != "control" {
            continue;
        }
        let file = e["file"].as_str().unwrap();
        let text = std::fs::read_to_string(root.join("fixtures/attacks").join(file)).unwrap();
        if text.contains("EncryptedAssertion") {
            continue;
        }
        let out = std::process::Command::new("xmlsec1")
            .args([
                "--verify",
                "--pubkey-cert-pem",
                "fixtures/keys/idp-rsa.crt",
                "--id-attr:ID",
                "urn:oasis:names:tc:SAML:2.0:assertion:Assertion",
                "--id-attr:ID",
                "urn:oasis:names:tc:SAML:2.0:protocol:Response",
            ])
            .arg(root.join("fixtures/attacks").join(file))
            .current_dir(root)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "xmlsec1 rejects control {file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} controls cross-checked");
}
