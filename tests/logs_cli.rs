//! End-to-end tests of `sso-doctor logs` and `sso-doctor merge` against the fixtures in
//! `fixtures/logs/` (see its README for how each file was made).

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/logs")
        .join(rel)
}

fn cmd() -> Command {
    Command::cargo_bin("sso-doctor").expect("binary builds")
}

/// Runs `logs --format json` and returns (exit code, parsed report).
fn logs_json(args: &[&str]) -> (i32, Value) {
    let out = cmd()
        .arg("logs")
        .arg("--format")
        .arg("json")
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "bad JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, json)
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The report without per-file paths (which differ between a whole file and its parts).
fn without_files(mut v: Value) -> Value {
    v.as_object_mut().unwrap().remove("files");
    v
}

#[test]
fn every_fixture_shape_is_detected_and_counted() {
    // (file, format, events, failures, interrupted, skipped)
    let cases = [
        ("entra/graph-beta.ndjson", "entra-ndjson", 10, 7, 1, 0),
        ("entra/graph-array.json", "entra-json", 10, 7, 1, 0),
        ("entra/graph-pages.json", "entra-json", 10, 7, 1, 0),
        ("entra/storage-PT1H.json", "entra-ndjson", 10, 7, 1, 0),
        ("entra/la-signinlogs.json", "entra-json", 10, 7, 1, 0),
        (
            "entra/la-signinlogs.csv",
            "entra-loganalytics-csv",
            10,
            7,
            1,
            0,
        ),
        (
            "entra/portal-InteractiveSignIns.csv",
            "entra-portal-csv",
            10,
            7,
            1,
            0,
        ),
        ("okta/system-log.ndjson", "okta-ndjson", 7, 4, 1, 1),
        ("okta/logs-page.json", "okta-json", 7, 4, 1, 1),
        ("google/saml-activities.json", "google-json", 5, 3, 1, 0),
        ("google/saml-activities.ndjson", "google-ndjson", 5, 3, 1, 0),
        ("adfs/get-winevent.csv", "adfs-csv", 6, 5, 0, 1),
        ("adfs/wevtutil.xml", "adfs-xml", 4, 3, 0, 0),
        ("kinde/webhooks.json", "kinde-events-json", 2, 1, 0, 1),
    ];
    for (file, format, events, failures, interrupted, skipped) in cases {
        let (code, r) = logs_json(&[p(&fixture(file))]);
        assert_eq!(code, 1, "{file}: failures present → exit 1");
        assert_eq!(r["files"][0]["format"], format, "{file}");
        assert_eq!(r["events_total"], events, "{file}");
        assert_eq!(r["failures_total"], failures, "{file}");
        assert_eq!(r["interrupted_total"], interrupted, "{file}");
        assert_eq!(r["skipped_total"], skipped, "{file}");
        assert_eq!(r["malformed"]["count"], 0, "{file}");
    }
}

#[test]
fn all_entra_shapes_agree_on_codes_and_causes() {
    let mut seen = Vec::new();
    for file in [
        "graph-beta.ndjson",
        "graph-array.json",
        "graph-pages.json",
        "storage-PT1H.json",
        "la-signinlogs.json",
        "la-signinlogs.csv",
        "portal-InteractiveSignIns.csv",
    ] {
        let (_, r) = logs_json(&[p(&fixture(&format!("entra/{file}")))]);
        seen.push((
            file,
            r["by_error_code"].clone(),
            r["by_cause"].clone(),
            r["top_users"].clone(),
        ));
    }
    let expected_codes =
        serde_json::json!({"4242424":1,"50011":2,"50105":1,"50126":1,"53003":1,"700016":1});
    let expected_causes = serde_json::json!({
        "acs_url_mismatch":2,"entity_id_not_found":1,"user_not_assigned":1,"bad_credentials":1,
        "mfa_or_conditional_access":1,"unknown":1});
    for (file, codes, causes, users) in &seen {
        assert_eq!(codes, &expected_codes, "{file}");
        assert_eq!(causes, &expected_causes, "{file}");
        assert_eq!(users, &seen[0].3, "{file}");
    }
}

#[test]
fn cause_mapping_per_source_end_to_end() {
    let (_, r) = logs_json(&[p(&fixture("okta/system-log.ndjson"))]);
    assert_eq!(
        r["by_cause"],
        serde_json::json!({"bad_credentials":1,"account_state":1,"user_not_assigned":1,"mfa_or_conditional_access":1})
    );
    let (_, r) = logs_json(&[p(&fixture("google/saml-activities.json"))]);
    assert_eq!(
        r["by_cause"],
        serde_json::json!({"entity_id_not_found":1,"user_not_assigned":1,"binding_or_request_malformed":1})
    );
    assert_eq!(
        r["interrupts_by_code"],
        serde_json::json!({"failure_no_passive":1})
    );
    let (_, r) = logs_json(&[p(&fixture("adfs/get-winevent.csv"))]);
    assert_eq!(
        r["by_error_code"],
        serde_json::json!({"411":1,"1210":1,"MSIS7007":1,"MSIS7042":1,"MSIS7086":1})
    );
    assert_eq!(r["by_cause"]["signing_certificate"], 1);
    assert_eq!(r["top_users"][0]["user"], "pat-x@example.com");
    // Kinde ids are joined to emails from the users export in the same run.
    let (_, r) = logs_json(&[
        p(&fixture("kinde/webhooks.json")),
        p(&fixture("kinde/users-export.ndjson")),
    ]);
    assert_eq!(r["top_users"][0]["user"], "hugo@example.com");
    assert_eq!(r["by_cause"]["unknown"], 1);
}

#[test]
fn mixed_source_directory_skips_non_logs_with_a_note() {
    let (code, r) = logs_json(&[p(&fixture(""))]);
    assert_eq!(code, 1);
    assert_eq!(r["files"].as_array().unwrap().len(), 26);
    let sources: Vec<_> = r["by_source"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    assert_eq!(sources, ["adfs", "entra", "google", "kinde", "okta"]);
    let notes = r["notes"].to_string();
    assert!(notes.contains("not-a-log/notes.txt"), "{notes}");
    assert_eq!(r["malformed"]["count"], 2);
}

#[test]
fn json_contract_fields_are_present() {
    let (_, r) = logs_json(&[p(&fixture("entra/graph-beta.ndjson"))]);
    for key in [
        "events_total",
        "failures_total",
        "by_error_code",
        "by_cause",
        "by_app",
        "top_users",
        "malformed",
        "distinct_users",
        "distinct_users_affected",
        "success_rate",
        "first_seen",
        "last_seen",
        "histogram",
    ] {
        assert!(r.get(key).is_some(), "missing {key}");
    }
    assert_eq!(r["by_app"]["Kinde SSO (contoso)"]["failures"], 7);
    assert_eq!(r["success_rate"], 0.2222);
    assert_eq!(r["distinct_users_affected"], 6);
    assert_eq!(r["first_seen"], "2025-11-03T09:00:35.018Z");
    assert_eq!(r["histogram"]["bucket"], "hour");
    assert_eq!(r["histogram"]["counts"]["2025-11-03T09"]["failures"], 7);
    assert_eq!(
        r["top_users"][0],
        serde_json::json!({"user":"bob@contoso.test","failures":2,"interrupted":0,"events":2})
    );
    assert_eq!(r["causes"][0]["cause"], "acs_url_mismatch");
    assert!(
        r["causes"][0]["fix"]
            .as_str()
            .unwrap()
            .contains("Kinde: ACS URL")
    );
}

#[test]
fn gzip_is_detected_by_magic_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let plain = std::fs::read(fixture("entra/graph-array.json")).unwrap();
    // Two gzip members back to back, as `cat a.gz b.gz` produces; and no .gz extension.
    let gz = dir.path().join("signins.bin");
    let mut f = std::fs::File::create(&gz).unwrap();
    let (a, b) = plain.split_at(plain.len() / 2);
    for part in [a, b] {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(part).unwrap();
        f.write_all(&enc.finish().unwrap()).unwrap();
    }
    drop(f);
    let (_, whole) = logs_json(&[p(&fixture("entra/graph-array.json"))]);
    let (code, zipped) = logs_json(&[p(&gz)]);
    assert_eq!(code, 1);
    assert_eq!(without_files(zipped), without_files(whole));
}

#[test]
fn malformed_lines_are_counted_not_fatal() {
    let file = fixture("malformed/entra-bad-lines.ndjson");
    let (code, r) = logs_json(&[p(&file)]);
    assert_eq!(code, 1, "exit reflects failures, not malformed lines");
    assert_eq!(r["events_total"], 3);
    assert_eq!(r["malformed"]["count"], 2);
    let lines: Vec<_> = r["malformed"]["first"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [2, 4]);
    cmd().args(["logs", "--strict", p(&file)]).assert().code(2);
    cmd().args(["logs", p(&file)]).assert().code(1).stdout(
        predicate::str::contains("Malformed records: 2")
            .and(predicate::str::contains("entra-bad-lines.ndjson:2:")),
    );
}

#[test]
fn overlong_lines_are_counted_with_their_line_number() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("long.ndjson");
    let good = std::fs::read_to_string(fixture("entra/graph-beta.ndjson")).unwrap();
    let first = good.lines().next().unwrap();
    let long = format!(
        "{{\"createdDateTime\":\"x\",\"pad\":\"{}\"}}",
        "a".repeat(200_000)
    );
    std::fs::write(&file, format!("{first}\n{long}\n{first}\n")).unwrap();
    let (code, r) = logs_json(&[
        "--max-record-bytes",
        "4096",
        "--chunk-size",
        "1024",
        p(&file),
    ]);
    assert_eq!(code, 0);
    assert_eq!(r["events_total"], 2);
    assert_eq!(r["malformed"]["count"], 1);
    assert_eq!(r["malformed"]["first"][0]["line"], 2);
    assert!(
        r["malformed"]["first"][0]["error"]
            .as_str()
            .unwrap()
            .contains("max-record-bytes")
    );
}

#[test]
fn empty_file_is_fine() {
    let (code, r) = logs_json(&[p(&fixture("empty/empty.ndjson"))]);
    assert_eq!(code, 0);
    assert_eq!(r["events_total"], 0);
    assert_eq!(r["files"][0]["format"], "empty");
}

#[test]
fn a_named_file_that_is_not_a_log_is_unusable() {
    cmd()
        .args(["logs", p(&fixture("not-a-log/notes.txt"))])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("not a recognised log")
                .and(predicate::str::contains("formats tried"))
                .and(predicate::str::contains("Okta System Log"))
                .and(predicate::str::contains("AD FS")),
        );
    cmd()
        .args(["logs", "/nonexistent/sso-doctor-logs"])
        .assert()
        .code(2);
}

#[test]
fn small_chunks_give_identical_results() {
    for file in [
        "entra/graph-pages.json",
        "entra/graph-beta.ndjson",
        "adfs/wevtutil.xml",
        "kinde/webhooks.json",
        "google/saml-activities.json",
    ] {
        let (_, big) = logs_json(&[p(&fixture(file))]);
        let (_, small) = logs_json(&["--chunk-size", "64", p(&fixture(file))]);
        assert_eq!(small, big, "{file}");
    }
}

#[test]
fn events_file_and_filters() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events.ndjson");
    let file = fixture("entra/graph-beta.ndjson");
    let (_, r) = logs_json(&["--events", p(&events), "--user", "BOB", p(&file)]);
    assert_eq!(r["events_total"], 2);
    let text = std::fs::read_to_string(&events).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["error_code"], "50011");
    assert_eq!(lines[0]["cause"], "acs_url_mismatch");
    assert_eq!(lines[0]["source"], "entra");
    assert_eq!(lines[0]["outcome"], "failure");
    assert_eq!(lines[0]["time"], "2025-11-03T09:02:35.018Z");

    let (_, r) = logs_json(&[
        "--since",
        "2025-11-03T09:05:00Z",
        "--until",
        "2025-11-03T09:08:00Z",
        p(&file),
    ]);
    assert_eq!(r["events_total"], 3);
    let (_, r) = logs_json(&["--app", "no such app", p(&file)]);
    assert_eq!(r["events_total"], 0);
    let (_, r) = logs_json(&["--since", "2025-11-04", p(&file)]);
    assert_eq!(r["events_total"], 0);
    cmd()
        .args(["logs", "--since", "tomorrow", p(&file)])
        .assert()
        .code(2);
}

#[test]
fn fail_on_controls_exit_status() {
    let file = fixture("entra/graph-beta.ndjson");
    cmd()
        .args(["logs", "--fail-on", "never", p(&file)])
        .assert()
        .code(0);
    cmd()
        .args(["logs", "--fail-on", "8", p(&file)])
        .assert()
        .code(0);
    cmd()
        .args(["logs", "--fail-on", "7", p(&file)])
        .assert()
        .code(1);
    cmd()
        .args(["logs", "--fail-on", "zero", p(&file)])
        .assert()
        .code(2);
}

#[test]
fn text_report_lists_top_causes_first() {
    let out = cmd()
        .args(["logs", p(&fixture("entra/graph-beta.ndjson"))])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let causes = text.find("Top causes").expect("causes section");
    assert!(causes < text.find("Applications").unwrap());
    assert!(text.contains("1. acs_url_mismatch — 2 failures"), "{text}");
    assert!(text.contains("AADSTS50011 InvalidReplyTo ×2"), "{text}");
}

#[test]
fn output_is_deterministic() {
    let a = cmd()
        .args(["logs", "--format", "json", p(&fixture(""))])
        .output()
        .unwrap()
        .stdout;
    let b = cmd()
        .args([
            "logs",
            "--format",
            "json",
            "--chunk-size",
            "128",
            p(&fixture("")),
        ])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(a, b);
}

/// Writes `lines[range]` of a file into a new file.
fn split_file(src: &Path, dir: &Path, parts: usize) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(src).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let per = lines.len().div_ceil(parts);
    lines
        .chunks(per)
        .enumerate()
        .map(|(i, chunk)| {
            let path = dir.join(format!("part-{i}.ndjson"));
            std::fs::write(&path, chunk.join("\n") + "\n").unwrap();
            path
        })
        .collect()
}

#[test]
fn merge_of_partials_of_split_files_equals_whole() {
    let dir = tempfile::tempdir().unwrap();
    for (src, parts) in [
        ("entra/graph-beta.ndjson", 3),
        ("okta/system-log.ndjson", 2),
    ] {
        let whole_file = fixture(src);
        let pieces = split_file(&whole_file, dir.path(), parts);
        let mut partials = Vec::new();
        for (i, piece) in pieces.iter().enumerate() {
            let out = dir.path().join(format!("p{i}.json"));
            cmd()
                .args(["logs", "--partial", "-o", p(&out), p(piece)])
                .assert()
                .code(0);
            partials.push(out);
        }
        let (_, whole) = logs_json(&[p(&whole_file)]);
        let out = cmd()
            .args(["merge", "--format", "json"])
            .args(partials.iter().map(|x| p(x)))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let merged: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(without_files(merged.clone()), without_files(whole), "{src}");
        assert_eq!(merged["files"].as_array().unwrap().len(), parts);
    }
}

#[test]
fn merge_of_per_file_partials_equals_one_run_over_all() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        "entra/graph-pages.json",
        "okta/logs-page.json",
        "adfs/get-winevent.csv",
        "google/saml-activities.ndjson",
        "malformed/entra-bad-lines.ndjson",
    ];
    let mut partials = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let out = dir.path().join(format!("{i}.partial"));
        cmd()
            .args(["logs", "--partial", "-o", p(&out), p(&fixture(f))])
            .assert()
            .code(0);
        partials.push(out);
    }
    // Merge in a tree: (0+1) then with the rest, through stdin for one of them.
    let left = dir.path().join("left.partial");
    cmd()
        .args([
            "merge",
            "--partial",
            "-o",
            p(&left),
            p(&partials[0]),
            p(&partials[1]),
        ])
        .assert()
        .code(0);
    let out = cmd()
        .args([
            "merge",
            "--format",
            "json",
            p(&left),
            p(&partials[2]),
            p(&partials[3]),
            "-",
        ])
        .pipe_stdin(&partials[4])
        .unwrap()
        .output()
        .unwrap();
    let merged: Value = serde_json::from_slice(&out.stdout).unwrap();
    let all: Vec<String> = files.iter().map(|f| p(&fixture(f)).to_string()).collect();
    let (_, whole) = logs_json(&all.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(merged, whole);
}

#[test]
fn merge_rejects_non_partials() {
    cmd()
        .args(["merge", p(&fixture("entra/graph-array.json"))])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an sso-doctor partial"));
}

#[test]
fn stdin_map_step_and_concatenated_partials() {
    // Hadoop streaming / Spark pipe: records arrive on stdin, one partial line leaves on stdout.
    let data = std::fs::read(fixture("entra/graph-beta.ndjson")).unwrap();
    let text = String::from_utf8(data.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut partials = Vec::new();
    for shard in lines.chunks(4) {
        let out = cmd()
            .args(["logs", "--partial", "-"])
            .write_stdin(shard.join("\n"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            out.stdout.iter().filter(|&&b| b == b'\n').count(),
            1,
            "one line per partial"
        );
        partials.extend(out.stdout);
    }
    let merged = cmd()
        .args(["merge", "--format", "json", "-"])
        .write_stdin(partials)
        .output()
        .unwrap();
    assert_eq!(merged.status.code(), Some(1));
    let merged: Value = serde_json::from_slice(&merged.stdout).unwrap();
    let (_, whole) = logs_json(&[p(&fixture("entra/graph-beta.ndjson"))]);
    assert_eq!(without_files(merged), without_files(whole));
    // Gzipped stdin works too.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&data).unwrap();
    let out = cmd()
        .args(["logs", "--format", "json", "-"])
        .write_stdin(enc.finish().unwrap())
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["events_total"], 10);
    assert_eq!(r["files"][0]["path"], "-");
}

#[test]
fn byte_order_marks_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    for file in [
        "entra/graph-beta.ndjson",
        "entra/graph-array.json",
        "adfs/wevtutil.xml",
        "entra/portal-InteractiveSignIns.csv",
    ] {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend(std::fs::read(fixture(file)).unwrap());
        let path = dir.path().join("bom");
        std::fs::write(&path, bytes).unwrap();
        let (_, with_bom) = logs_json(&[p(&path)]);
        let (_, plain) = logs_json(&[p(&fixture(file))]);
        assert_eq!(without_files(with_bom), without_files(plain), "{file}");
    }
}
