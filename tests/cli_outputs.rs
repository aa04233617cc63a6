//! Outputs that are also inputs are refused before anything is written (the input stays
//! byte-identical), and outputs are replaced whole: after a kill the target is the old file or the
//! complete new one (issue 22, items 4 and 5).

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;

const LOG: &str = "{\"createdDateTime\":\"2025-11-03T09:00:00Z\",\"userPrincipalName\":\"kim@example.com\",\"appDisplayName\":\"Kinde\",\"status\":{\"errorCode\":50011}}\n{\"createdDateTime\":\"2025-11-03T09:01:00Z\",\"userPrincipalName\":\"kim@example.com\",\"appDisplayName\":\"Kinde\",\"status\":{\"errorCode\":0}}\n";

fn setup() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ndjson");
    std::fs::write(&input, LOG).unwrap();
    (dir, input)
}

fn run_in(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = common::sso().current_dir(dir).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_refused(dir: &Path, args: &[&str], input: &Path, original: &[u8], names: &[&str]) {
    let (code, err) = run_in(dir, args);
    assert_eq!(code, 2, "{args:?} must be refused: {err}");
    assert!(err.contains("are the same file"), "{args:?}: {err}");
    for n in names {
        assert!(err.contains(n), "{args:?}: the message names {n}: {err}");
    }
    assert_eq!(
        std::fs::read(input).unwrap(),
        original,
        "{args:?} changed the input"
    );
}

#[test]
fn logs_refuses_to_write_over_its_input() {
    let (dir, input) = setup();
    let d = dir.path();
    let original = LOG.as_bytes();
    assert_refused(
        d,
        &["logs", "in.ndjson", "--events", "in.ndjson"],
        &input,
        original,
        &["in.ndjson", "--events"],
    );
    assert_refused(
        d,
        &["logs", "in.ndjson", "-o", "in.ndjson"],
        &input,
        original,
        &["in.ndjson", "-o"],
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("in.ndjson", d.join("link.json")).unwrap();
        assert_refused(
            d,
            &["logs", "in.ndjson", "-o", "link.json"],
            &input,
            original,
            &["link.json", "in.ndjson"],
        );
    }
    std::fs::hard_link(&input, d.join("hard.json")).unwrap();
    assert_refused(
        d,
        &["logs", "in.ndjson", "--events", "hard.json"],
        &input,
        original,
        &["hard.json", "in.ndjson"],
    );
    // A file found by walking an input folder.
    std::fs::create_dir(d.join("exports")).unwrap();
    let walked = d.join("exports/day1.ndjson");
    std::fs::write(&walked, LOG).unwrap();
    assert_refused(
        d,
        &["logs", "exports", "-o", "exports/day1.ndjson"],
        &walked,
        original,
        &["exports/day1.ndjson", "found in a folder"],
    );
    // Standard input redirected from the file.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sso-doctor"))
        .current_dir(d)
        .args(["logs", "-", "-o", "in.ndjson"])
        .stdin(std::fs::File::open(&input).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard input"));
    assert_eq!(std::fs::read(&input).unwrap(), original);
    // Two outputs on one file.
    let (code, err) = run_in(
        d,
        &["logs", "in.ndjson", "-o", "r.txt", "--events", "r.txt"],
    );
    assert_eq!(code, 2, "{err}");
    assert!(!d.join("r.txt").exists());
}

#[test]
fn merge_refuses_to_write_over_a_partial() {
    let (dir, _) = setup();
    let d = dir.path();
    let (code, err) = run_in(d, &["logs", "--partial", "-o", "p.partial", "in.ndjson"]);
    assert_eq!(code, 0, "{err}");
    let partial = d.join("p.partial");
    let original = std::fs::read(&partial).unwrap();
    assert_refused(
        d,
        &["merge", "p.partial", "-o", "p.partial"],
        &partial,
        &original,
        &["p.partial", "partial"],
    );
    assert_refused(
        d,
        &["merge", "p.partial", "--partial", "-o", "p.partial"],
        &partial,
        &original,
        &["p.partial"],
    );
}

#[test]
fn check_bless_refuses_an_expectation_that_is_an_input_and_records_its_run() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/saml");
    std::fs::copy(src.join("adfs-clean.xml"), d.join("a.xml")).unwrap();
    std::fs::copy(src.join("adfs.toml"), d.join("conn.toml")).unwrap();
    // A second fixture that is, by name, a.xml's expectation file.
    std::fs::write(d.join("a.xml.expect.toml"), "must = []\n").unwrap();
    let before = std::fs::read(d.join("a.xml.expect.toml")).unwrap();
    assert_refused(
        d,
        &[
            "check",
            "a.xml",
            "a.xml.expect.toml",
            "--bless",
            "--now",
            common::NOW,
        ],
        &d.join("a.xml.expect.toml"),
        &before,
        &["a.xml.expect.toml"],
    );
    // A plain bless writes the expectation whole, with the clock and settings it ran with.
    std::fs::remove_file(d.join("a.xml.expect.toml")).unwrap();
    let (code, err) = run_in(
        d,
        &[
            "check",
            "a.xml",
            "--bless",
            "-c",
            "conn.toml",
            "--now",
            common::NOW,
        ],
    );
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read_to_string(d.join("a.xml.expect.toml")).unwrap();
    assert!(
        written.contains(&format!("now = \"{}\"", common::NOW)),
        "{written}"
    );
    assert!(written.contains("config = \"conn.toml\""), "{written}");
    let (code, err) = run_in(d, &["check", "a.xml"]);
    assert_eq!(
        code, 0,
        "the blessed expectation replays without flags: {err}"
    );
    let names: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn a_killed_run_leaves_the_old_output_or_the_whole_new_one() {
    let (dir, _) = setup();
    let d = dir.path();
    let mut big = String::with_capacity(LOG.len() * 40_000);
    for _ in 0..40_000 {
        big.push_str(LOG);
    }
    std::fs::write(d.join("big.ndjson"), &big).unwrap();
    let args = [
        "logs",
        "--no-progress",
        "--fail-on",
        "never",
        "big.ndjson",
        "--events",
        "ev.ndjson",
    ];
    let (code, err) = run_in(d, &args);
    assert_eq!(code, 0, "{err}");
    let complete = std::fs::read(d.join("ev.ndjson")).unwrap();
    std::fs::write(d.join("ev.ndjson"), b"old\n").unwrap();
    for delay_ms in [5u64, 40, 150] {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sso-doctor"))
            .current_dir(d)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(d.join("ev.ndjson")).unwrap();
        assert!(
            now == b"old\n" || now == complete,
            "after a kill at {delay_ms} ms the target is {} bytes: neither the old file nor the whole new one",
            now.len()
        );
        std::fs::write(d.join("ev.ndjson"), b"old\n").unwrap();
    }
}

#[test]
fn saml_refuses_to_write_over_its_trace_or_its_settings() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/saml");
    std::fs::copy(src.join("acs-trailing-slash.xml"), d.join("r.xml")).unwrap();
    std::fs::copy(src.join("entra.toml"), d.join("sso-doctor.toml")).unwrap();
    let trace = std::fs::read(d.join("r.xml")).unwrap();
    assert_refused(
        d,
        &["saml", "r.xml", "-o", "r.xml"],
        &d.join("r.xml"),
        &trace,
        &["r.xml", "-o"],
    );
    let settings = std::fs::read(d.join("sso-doctor.toml")).unwrap();
    // The settings file found in the folder counts as an input too.
    assert_refused(
        d,
        &["saml", "r.xml", "-f", "json", "-o", "sso-doctor.toml"],
        &d.join("sso-doctor.toml"),
        &settings,
        &["sso-doctor.toml", "settings file"],
    );
    let (code, err) = run_in(
        d,
        &["saml", "r.xml", "--now", common::NOW, "-o", "report.txt"],
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        std::fs::read_to_string(d.join("report.txt"))
            .unwrap()
            .contains("SD201")
    );
}
