//! `sso-doctor logs` on legal but unlucky inputs (issue #22 item 3): exports after a long run of
//! whitespace, and records exactly at or just over `--max-record-bytes`. Inputs are generated
//! here from the fixtures in `fixtures/logs/`.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/logs")
        .join(rel)
}

fn logs_json(args: &[&str]) -> (i32, Value, String) {
    let out = Command::cargo_bin("sso-doctor")
        .unwrap()
        .args(["logs", "--format", "json", "--fail-on", "never"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), json, stderr)
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// 256 KiB of whitespace and a little more, mixing blank lines, spaces, tabs and CRLFs.
fn whitespace_prefix(newlines: usize) -> String {
    let mut s = "\n".repeat(newlines);
    while s.len() < 256 * 1024 + 300 {
        s.push_str("    \t \r\n");
    }
    s
}

#[test]
fn exports_after_long_whitespace_are_read_not_called_empty() {
    let dir = tempfile::tempdir().unwrap();
    for (rel, format) in [
        ("entra/graph-beta.ndjson", "entra-ndjson"),
        ("entra/graph-array.json", "entra-json"),
        ("okta/logs-page.json", "okta-json"),
        ("adfs/wevtutil.xml", "adfs-xml"),
    ] {
        let (_, want, _) = logs_json(&[p(&fixture(rel))]);
        let body = std::fs::read_to_string(fixture(rel)).unwrap();
        let file = dir.path().join("padded");
        std::fs::write(&file, format!("{}{body}", whitespace_prefix(10))).unwrap();
        let (code, got, err) = logs_json(&[p(&file)]);
        assert_eq!(code, 0, "{rel}: {err}");
        assert_eq!(got["files"][0]["format"], format, "{rel}");
        assert_eq!(got["events_total"], want["events_total"], "{rel}");
        assert!(got["events_total"].as_u64().unwrap() > 0, "{rel}");
        assert_eq!(got["failures_total"], want["failures_total"], "{rel}");
    }
}

#[test]
fn line_numbers_count_the_skipped_blank_lines() {
    let dir = tempfile::tempdir().unwrap();
    let body = std::fs::read_to_string(fixture("malformed/entra-bad-lines.ndjson")).unwrap();
    let prefix = whitespace_prefix(1000);
    let blank_lines = prefix.matches('\n').count() as u64;
    let file = dir.path().join("padded.ndjson");
    std::fs::write(&file, format!("{prefix}{body}")).unwrap();
    let (_, got, _) = logs_json(&[p(&file)]);
    let (_, plain, _) = logs_json(&[p(&fixture("malformed/entra-bad-lines.ndjson"))]);
    assert_eq!(got["malformed"]["count"], plain["malformed"]["count"]);
    let first = plain["malformed"]["first"][0]["line"].as_u64().unwrap();
    assert_eq!(
        got["malformed"]["first"][0]["line"].as_u64().unwrap(),
        first + blank_lines
    );
}

#[test]
fn whitespace_then_something_unrecognised_is_unusable() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(
        &file,
        format!("{}hello, world, notes", whitespace_prefix(3)),
    )
    .unwrap();
    let (code, _, err) = logs_json(&[p(&file)]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("notes.txt") && err.contains("not a recognised log"),
        "{err}"
    );
}

#[test]
fn only_whitespace_is_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("blank.ndjson");
    std::fs::write(&file, whitespace_prefix(5)).unwrap();
    let (code, got, err) = logs_json(&[p(&file)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(got["files"][0]["format"], "empty");
    assert_eq!(got["events_total"], 0);
}

/// An Entra Graph record of exactly `len` bytes.
fn record(len: usize) -> String {
    let head = r#"{"createdDateTime":"2025-11-03T09:00:00Z","status":{"errorCode":50011},"pad":""#;
    let tail = "\"}";
    assert!(len >= head.len() + tail.len());
    format!("{head}{}{tail}", "a".repeat(len - head.len() - tail.len()))
}

#[test]
fn a_record_exactly_the_cap_is_accepted_and_one_byte_more_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let short = record(100);
    for cap in [1024usize, 4096 + 7, 8 << 20, (8 << 20) + 1, 9 << 20] {
        for eol in ["\n", "\r\n"] {
            let file = dir.path().join("cap.ndjson");
            let text = [short.clone(), record(cap), record(cap + 1), short.clone()].join(eol);
            std::fs::write(&file, text).unwrap();
            let cap_arg = cap.to_string();
            let (code, got, err) = logs_json(&["--max-record-bytes", &cap_arg, p(&file)]);
            assert_eq!(code, 0, "cap {cap}: {err}");
            assert_eq!(got["events_total"], 3, "cap {cap} eol {eol:?}");
            assert_eq!(got["malformed"]["count"], 1, "cap {cap} eol {eol:?}");
            let bad = &got["malformed"]["first"][0];
            assert_eq!(bad["line"], 3, "cap {cap} eol {eol:?}");
            let msg = bad["error"].as_str().unwrap();
            assert!(
                msg.contains("--max-record-bytes") && msg.contains(&cap_arg),
                "cap {cap}: {msg}"
            );
        }
    }
}

#[test]
fn csv_lines_exactly_the_cap_are_accepted_with_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("entra/la-signinlogs.csv")).unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| l.trim_end_matches('\r').into())
        .collect();
    let cap = 2000;
    // Pad the first data row with an unnamed trailing cell to exactly `cap` bytes.
    let pad = cap - lines[1].len() - 1;
    lines[1] = format!("{},{}", lines[1], "a".repeat(pad));
    assert_eq!(lines[1].len(), cap);
    let file = dir.path().join("la.csv");
    std::fs::write(&file, lines.join("\r\n") + "\r\n").unwrap();
    let (_, want, _) = logs_json(&[p(&fixture("entra/la-signinlogs.csv"))]);
    let (code, got, err) = logs_json(&["--max-record-bytes", &cap.to_string(), p(&file)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(got["events_total"], want["events_total"]);
    assert_eq!(got["malformed"]["count"], 0);
    let under = (cap - 1).to_string();
    let (code, _, err) = logs_json(&["--max-record-bytes", &under, p(&file)]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("line 2") && err.contains("--max-record-bytes") && err.contains(&under),
        "{err}"
    );
}
