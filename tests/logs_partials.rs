//! The `--partial` / `merge` contract end to end: damaged partials are refused (issue #22 item 6)
//! and merging slices of one file equals analysing it whole (issue #16).

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/logs")
        .join(rel)
}

fn cmd() -> Command {
    Command::cargo_bin("sso-doctor").unwrap()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn partial_of(file: &Path) -> String {
    let out = cmd().args(["logs", "--partial", p(file)]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_partial_with_one_digit_changed_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let text = partial_of(&fixture("entra/graph-beta.ndjson"));
    let good = dir.path().join("good.partial");
    std::fs::write(&good, &text).unwrap();
    let ok = cmd()
        .args(["merge", "--format", "json", p(&good)])
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(1), "failures found");
    let report: Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(report["events_total"], 10);
    // 10 -> 11 events, still valid JSON; then the same with the per-source count, then a cut.
    for (what, damaged) in [
        (
            "events",
            text.replacen("\"events\":10,", "\"events\":11,", 1),
        ),
        (
            "failures",
            text.replacen("\"failures\":7,", "\"failures\":8,", 1),
        ),
        ("truncated", text[..text.len() / 2].to_string()),
    ] {
        assert_ne!(damaged, text, "{what}");
        let bad = dir.path().join("bad.partial");
        std::fs::write(&bad, &damaged).unwrap();
        let out = cmd()
            .args(["merge", "--format", "json", p(&good), p(&bad)])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{what}");
        assert!(out.stdout.is_empty(), "{what}: no report may be printed");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("bad.partial"), "{what}: {err}");
        if what != "truncated" {
            assert!(err.contains("damaged partial"), "{what}: {err}");
        }
    }
}

#[test]
fn merged_partials_carry_a_checksum_and_merge_again() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.partial");
    let b = dir.path().join("b.partial");
    std::fs::write(&a, partial_of(&fixture("okta/system-log.ndjson"))).unwrap();
    std::fs::write(&b, partial_of(&fixture("entra/graph-beta.ndjson"))).unwrap();
    let out = cmd()
        .args(["merge", "--partial", p(&a), p(&b)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let env: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(env["checksum"].as_str().unwrap().starts_with("sha256:"));
    let ab = dir.path().join("ab.partial");
    std::fs::write(&ab, &out.stdout).unwrap();
    let report = cmd()
        .args(["merge", "--format", "json", p(&ab)])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(report["events_total"], 10 + 7);
}
