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

/// Graph NDJSON with every kind of bad line: text first, a record cut in half, a blank line, a
/// JSON object of no known kind, and a bad last line.
fn mixed_lines() -> Vec<String> {
    let good = std::fs::read_to_string(fixture("entra/graph-beta.ndjson")).unwrap();
    let good: Vec<&str> = good.lines().collect();
    let mut lines = vec!["not json at all, a cut line".to_string()];
    lines.extend(good[..2].iter().map(|s| s.to_string()));
    lines.push(good[2][..good[2].len() / 2].to_string());
    lines.extend(good[2..5].iter().map(|s| s.to_string()));
    lines.push(String::new());
    lines.push(r#"{"foo":1}"#.into());
    lines.extend(good[5..].iter().map(|s| s.to_string()));
    lines.push("rorCode\":0}}".into());
    lines
}

/// `logs --partial` over standard input named `source`.
fn partial_stdin(text: &str, source: &str) -> Vec<u8> {
    let out = cmd()
        .args(["logs", "--partial", "--source-name", source, "-"])
        .write_stdin(text.to_string())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn merge_json(partials: &[u8], extra: &[&str]) -> (i32, Value, String) {
    let out = cmd()
        .args(["merge", "--format", "json", "--fail-on", "never"])
        .args(extra)
        .arg("-")
        .write_stdin(partials.to_vec())
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap(), v, err)
}

/// The report without the fields documented (docs/logs.md) to differ between a whole-file run
/// and a merge of its slices: malformed-record locations (slice-relative lines), per-source
/// slice counts and the notes that mention unrecognised slices.
fn comparable(mut v: Value) -> Value {
    let o = v.as_object_mut().unwrap();
    o["malformed"].as_object_mut().unwrap().remove("first");
    o.remove("notes");
    for f in o["files"].as_array_mut().unwrap() {
        let f = f.as_object_mut().unwrap();
        f.remove("slices");
        f.remove("unrecognised");
    }
    v
}

#[test]
fn merge_of_slices_cut_at_every_line_boundary_equals_the_whole_file() {
    let lines = mixed_lines();
    let join = |ls: &[String]| ls.iter().map(|l| format!("{l}\n")).collect::<String>();
    let (_, whole, _) = merge_json(&partial_stdin(&join(&lines), "signins.ndjson"), &[]);
    assert_eq!(whole["events_total"], 10);
    assert_eq!(whole["malformed"]["count"], 4);
    assert_eq!(whole["files"].as_array().unwrap().len(), 1);
    let n = lines.len();
    let mut unrecognised_seen = false;
    // Two cuts anywhere: every slice starts before, on or after each bad line, and single-line
    // slices of each bad line alone occur too.
    for i in 0..=n {
        for j in i..=n {
            let mut partials = Vec::new();
            for slice in [&lines[..i], &lines[i..j], &lines[j..]] {
                partials.extend(partial_stdin(&join(slice), "signins.ndjson"));
            }
            let (code, merged, err) = merge_json(&partials, &[]);
            assert_eq!(code, 0, "cuts {i},{j}: {err}");
            assert_eq!(
                comparable(merged.clone()),
                comparable(whole.clone()),
                "cuts {i},{j}"
            );
            assert_eq!(merged["files"][0]["slices"], 3, "one source, three slices");
            if merged["files"][0]["unrecognised"].as_u64().unwrap() > 0 {
                unrecognised_seen = true;
                assert!(err.contains("no recognisable record"), "{err}");
                let (code, _, _) = merge_json(&partials, &["--strict"]);
                assert_eq!(code, 2, "--strict fails on unrecognised slices");
            }
        }
    }
    assert!(unrecognised_seen);
}

#[test]
fn a_slice_of_only_bad_lines_is_a_partial_not_a_failed_task() {
    let text = "not json\n{\"foo\":1}\n";
    let out = cmd()
        .args(["logs", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "without --partial: unusable");
    let partial = partial_stdin(text, "-");
    let env: Value = serde_json::from_slice(&partial).unwrap();
    let files = &env["aggregate"]["files"];
    assert_eq!(files[0]["format"], "unrecognised");
    assert_eq!(files[0]["unrecognised"], 1);
    assert_eq!(env["aggregate"]["malformed_count"], 2);
}

#[test]
fn input_format_forces_a_format_detection_cannot_see() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture("entra/graph-beta.ndjson")).unwrap();
    // More broken lines than the 256 KiB detection window holds.
    let junk = "x,y,z broken line\n".repeat(20_000);
    let file = dir.path().join("late.ndjson");
    std::fs::write(&file, format!("{junk}{good}")).unwrap();
    cmd().args(["logs", p(&file)]).assert().code(2);
    let out = cmd()
        .args(["logs", "--format", "json", "--fail-on", "never"])
        .args(["--input-format", "entra-ndjson", p(&file)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["events_total"], 10);
    assert_eq!(r["malformed"]["count"], 20_000);
    assert_eq!(r["files"][0]["format"], "entra-ndjson");
    let bad = cmd()
        .args(["logs", "--input-format", "nope", p(&file)])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("okta-ndjson"));
}
