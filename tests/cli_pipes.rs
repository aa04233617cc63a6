//! Every command that prints, run with its standard output connected to a pipe whose reader is
//! already closed (what `| head -1` becomes once head has its line): the process must end quietly,
//! with no panic (exit 101) and nothing about the pipe on stderr.

mod common;

use std::process::{Command, Stdio};

fn saml_fixtures() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/saml");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    files
}

/// Runs the binary with stdout on a pipe nobody reads; returns (exit code, stderr).
fn run_closed(args: &[String]) -> (i32, String) {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let out = Command::new(env!("CARGO_BIN_EXE_sso-doctor"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("CI")
        .stdin(Stdio::null())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_quiet(args: &[&str], allowed: &[i32]) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let (code, err) = run_closed(&args);
    assert_ne!(code, 101, "{args:?} panicked: {err}");
    assert!(allowed.contains(&code), "{args:?}: exit {code}: {err}");
    assert!(
        !err.contains("Broken pipe") && !err.contains("panicked"),
        "{args:?} complained about the pipe: {err}"
    );
}

#[test]
fn saml_over_many_fixtures_into_a_closed_pipe() {
    let mut args = vec!["saml".to_string(), "--now".into(), common::NOW.into()];
    args.extend(saml_fixtures());
    let (code, err) = run_closed(&args);
    assert_ne!(code, 101, "panicked: {err}");
    assert!(
        !err.contains("Broken pipe") && !err.contains("panicked"),
        "{err}"
    );
}

#[test]
fn every_printing_command_is_quiet_on_a_closed_pipe() {
    assert_quiet(&["demo"], &[1]);
    assert_quiet(&["demo", "--show-input"], &[0]);
    assert_quiet(&["demo", "--format", "json"], &[1]);
    assert_quiet(&["rules"], &[0]);
    assert_quiet(&["explain", "SD201"], &[0]);
    assert_quiet(&["check", "fixtures/saml", "--format", "sarif"], &[0, 1]);
    assert_quiet(&["check", "fixtures/saml"], &[0, 1]);
    assert_quiet(&["logs", "fixtures/logs", "--no-progress"], &[0, 1, 2]);
}

#[test]
fn dash_means_standard_output_for_o_and_events() {
    let dir = tempfile::tempdir().unwrap();
    let log = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/logs/entra");
    let first = std::fs::read_dir(log)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ndjson" || x == "json"))
        .min()
        .expect("a JSON log fixture");
    let out = common::sso()
        .current_dir(dir.path())
        .args(["logs", "--no-progress", "--fail-on", "never", "-o", "-"])
        .arg(&first)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("sso-doctor logs:"));
    let out = common::sso()
        .current_dir(dir.path())
        .args([
            "logs",
            "--no-progress",
            "--fail-on",
            "never",
            "--events",
            "-",
        ])
        .arg(&first)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.is_empty());
    for line in stdout.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("events on stdout are NDJSON");
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("sso-doctor logs:"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(
        leftovers.is_empty(),
        "no file named - is created: {leftovers:?}"
    );
    // The events of a closed pipe are dropped quietly.
    let (code, err) = run_closed(&[
        "logs".into(),
        "--no-progress".into(),
        "--fail-on".into(),
        "never".into(),
        "--events".into(),
        "-".into(),
        first.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("Broken pipe"), "{err}");
}

#[test]
fn counts_are_singular_for_one() {
    let (_, out, _) = common::run(&["saml", "--now", common::NOW, "fixtures/saml/adfs-clean.xml"]);
    assert!(!out.contains(" 1 checks"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("one.ndjson");
    std::fs::write(
        &log,
        "{\"createdDateTime\":\"2025-11-03T09:00:00Z\",\"userPrincipalName\":\"kim@example.com\",\"appDisplayName\":\"Kinde\",\"status\":{\"errorCode\":50011}}\n",
    )
    .unwrap();
    let out = common::sso()
        .args(["logs", "--no-progress", "--fail-on", "never"])
        .arg(&log)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 sign-in event from 1 file"), "{text}");
    assert!(
        !text.contains("1 failures") && !text.contains("1 events"),
        "{text}"
    );
}
