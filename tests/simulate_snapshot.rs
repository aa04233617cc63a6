//! `simulate` must not answer from half a snapshot (issue 15): a users page that says more pages
//! follow, or fewer users than a declared total, stops the run unless `--allow-partial-snapshot`
//! is given; users that two snapshot files both describe are counted once, with a warning; CSVs
//! saved as UTF-16 read like UTF-8. Fixtures: `fixtures/provision/partial/` (see its README).

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const P: &str = "fixtures/provision/partial";

fn simulate(users: &[&str], directory: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    let mut c = Command::cargo_bin("sso-doctor").unwrap();
    c.args(["simulate", "--config", &format!("{P}/conn.toml")]);
    for u in users {
        c.args(["--users", &format!("{P}/{u}")]);
    }
    c.args(["--directory", &format!("{P}/{directory}")]);
    c.args(extra).assert()
}

fn json(a: &assert_cmd::assert::Assert) -> Value {
    serde_json::from_slice(&a.get_output().stdout).expect("valid JSON")
}

fn outcome_of<'a>(v: &'a Value, email: &str) -> &'a Value {
    v["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["idp_email"] == email)
        .unwrap_or_else(|| panic!("{email} not in the report"))
}

#[test]
fn a_page_with_next_token_stops_the_run_and_says_how_to_fetch_every_page() {
    simulate(&["page-1.json"], "directory.csv", &[])
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(
            predicate::str::contains("incomplete users snapshot")
                .and(predicate::str::contains(
                    "page-1.json: page 1 has next_token",
                ))
                .and(predicate::str::contains("GET /api/v1/users"))
                .and(predicate::str::contains("&next_token="))
                .and(predicate::str::contains("--allow-partial-snapshot")),
        );
}

#[test]
fn has_more_and_a_declared_total_are_incomplete_too() {
    simulate(&["has-more.json"], "directory.csv", &[])
        .code(2)
        .stderr(predicate::str::contains("has_more: true"));
    simulate(&["total-header.http"], "directory.csv", &[])
        .code(2)
        .stderr(predicate::str::contains(
            "declares 5 users but the pages hold 3",
        ));
}

#[test]
fn every_page_read_is_a_whole_snapshot() {
    let a = simulate(
        &["page-1.json", "page-2.json"],
        "directory.csv",
        &["--format", "json"],
    )
    .code(0)
    .stderr(predicate::str::is_empty());
    let v = json(&a);
    assert_eq!(v["summary"]["counts"]["merged"], 5, "{}", v["summary"]);
    assert_eq!(v["summary"]["inputs"]["partial_snapshot"], Value::Null);
    // The order of the page files does not matter: one of them is the last page.
    simulate(&["page-2.json", "page-1.json"], "directory.csv", &[]).code(0);
}

#[test]
fn allow_partial_snapshot_goes_on_and_flags_every_outcome_it_may_change() {
    let a = simulate(
        &["page-1.json"],
        "directory.csv",
        &["--allow-partial-snapshot", "--format", "json"],
    )
    .code(0)
    .stderr(predicate::str::contains("warning: partial users snapshot"));
    let v = json(&a);
    let s = &v["summary"];
    assert!(
        s["inputs"]["partial_snapshot"]
            .as_str()
            .unwrap()
            .contains("next_token"),
        "{s}"
    );
    // Users on the unread page 2 come out as new: flagged, not clean.
    for email in ["di.page@example.com", "ed.page@example.com"] {
        let p = outcome_of(&v, email);
        assert_eq!(p["outcome"], "jit_created");
        assert_eq!(p["needs_action"], true, "{p}");
        let notes = p["notes"].as_array().unwrap();
        assert!(
            notes
                .iter()
                .any(|n| n.as_str().unwrap().contains("snapshot is partial")),
            "{p}"
        );
    }
    // An exact match cannot be undone by a missing page: no warning there.
    let ann = outcome_of(&v, "ann.page@example.com");
    assert_eq!(ann["outcome"], "merged");
    assert_eq!(ann["needs_action"], false);
    // Flagged people are not proposed for the pilot.
    let pilot = s["plan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|st| st["title"] == "Pilot group")
        .unwrap();
    let users = pilot["users"].to_string();
    assert!(
        !users.contains("di.page") && !users.contains("ed.page"),
        "{users}"
    );
    // The text report says so in its header.
    simulate(
        &["page-1.json"],
        "directory.csv",
        &["--allow-partial-snapshot"],
    )
    .code(0)
    .stdout(predicate::str::contains(
        "WARNING:     partial Kinde snapshot",
    ));
}

#[test]
fn a_user_in_two_snapshot_files_is_counted_once_with_a_warning() {
    let a = simulate(
        &["users-import.csv", "users-export.ndjson"],
        "directory.csv",
        &["--format", "json"],
    )
    .code(0)
    .stderr(predicate::str::contains(
        "2 user(s) appear in two snapshot files",
    ));
    let v = json(&a);
    let s = &v["summary"];
    // 3 exported users + 3 import rows, 2 of which are exported users: 4 users.
    assert_eq!(s["inputs"]["users"], 4, "{s}");
    assert_eq!(s["inputs"]["duplicate_users"], 2);
    let note = s["inputs"]["notes"][0].as_str().unwrap();
    assert!(
        note.contains("users-import.csv:2 = fixtures/provision/partial/users-export.ndjson:1 (provided_id legacy-1)")
            && note.contains("users-import.csv:3 = fixtures/provision/partial/users-export.ndjson:2 (email bo.page@example.com)"),
        "{note}"
    );
    // Counted once: no ambiguity between two copies of one person.
    assert_eq!(s["counts"]["unknown"], 0);
    assert_eq!(s["counts"]["merged"], 4);
    let ann = outcome_of(&v, "ann.page@example.com");
    assert_eq!(ann["kinde_user_id"], "kp_0a11ce00000000000000000000000001");
    assert!(ann["notes"].as_array().unwrap().is_empty(), "{ann}");
}

#[test]
fn utf16_csvs_read_like_utf8() {
    let reference = json(
        &simulate(
            &["users-import.csv"],
            "directory.csv",
            &["--format", "json"],
        )
        .code(0),
    );
    let summary = |v: &Value| {
        let mut s = v["summary"].clone();
        s["inputs"] = Value::Null;
        s
    };
    for (users, directory) in [
        ("users-import-utf16le.csv", "directory.csv"),
        ("users-import-utf16be.csv", "directory.csv"),
        ("users-import.csv", "directory-utf16le.csv"),
        ("users-import-utf16le.csv", "directory-utf16le.csv"),
    ] {
        let v = json(&simulate(&[users], directory, &["--format", "json"]).code(0));
        assert_eq!(summary(&v), summary(&reference), "{users} {directory}");
        let ann = outcome_of(&v, "ann.page@example.com");
        // Line numbers count lines of the text, whatever its encoding (CRLF in the LE files).
        assert!(
            ann["kinde_source"].as_str().unwrap().ends_with(":2"),
            "{ann}"
        );
        assert!(ann["idp_source"].as_str().unwrap().ends_with(":2"), "{ann}");
        assert_eq!(ann["outcome"], "merged");
    }
}
