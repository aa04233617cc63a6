//! `sso-doctor monitor` over the synthetic tenants in `fixtures/monitor/` (made by
//! `fixtures/monitor/make.py`): every person's observed outcome, the prediction join, the window,
//! the JSON contract and bad input.

mod common;

use common::run;
use serde_json::Value;
use std::collections::BTreeMap;

const TENANTS: &[&str] = &["trust-on-jit-on", "trust-off-jit-off"];

fn monitor(tenant: &str, extra: &[&str]) -> (i32, Value) {
    let d = format!("fixtures/monitor/{tenant}");
    let (c, u, a, dir, logs) = (
        format!("{d}/conn.toml"),
        format!("{d}/users-before.ndjson"),
        format!("{d}/users-after.ndjson"),
        format!("{d}/entra-users.csv"),
        format!("{d}/logs"),
    );
    let mut args = vec![
        "monitor",
        "-c",
        &c,
        "--users",
        &u,
        "--users-after",
        &a,
        "--directory",
        &dir,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    args.push(&logs);
    let (code, out, err) = run(&args);
    let v = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{tenant}: {e}: {err}"));
    (code, v)
}

fn observed(v: &Value) -> BTreeMap<String, String> {
    v["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["email"].as_str().unwrap().to_string(),
                p["observed"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_person_gets_the_expected_outcome() {
    for t in TENANTS {
        let expected: BTreeMap<String, String> = serde_json::from_str(
            &std::fs::read_to_string(format!(
                "{}/fixtures/monitor/{t}/expected.json",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap(),
        )
        .unwrap();
        let (code, v) = monitor(t, &[]);
        assert_eq!(code, 1, "{t}: problems present, exit 1");
        assert_eq!(v["schema"], "sso-doctor.monitor/1");
        let got = observed(&v);
        let wrong: Vec<String> = expected
            .iter()
            .filter(|(e, o)| got.get(*e) != Some(o))
            .map(|(e, o)| format!("{e}: expected {o}, got {:?}", got.get(e)))
            .collect();
        assert!(wrong.is_empty(), "{t}:\n{}", wrong.join("\n"));
        assert_eq!(got.len(), expected.len(), "{t}: extra people in the report");
    }
}

#[test]
fn predictions_are_joined_and_compared() {
    let (_, v) = monitor("trust-on-jit-on", &[]);
    for p in v["people"].as_array().unwrap() {
        let (email, obs) = (
            p["email"].as_str().unwrap(),
            p["observed"].as_str().unwrap(),
        );
        for k in [
            "email",
            "observed",
            "predicted",
            "matches",
            "evidence",
            "fix",
        ] {
            assert!(p.get(k).is_some(), "{k} missing for {email}");
        }
        match obs {
            "kinde_only" | "not_attempted" | "idp_failure" => {
                assert!(p["matches"].is_null(), "{email}")
            }
            "created_new" => {
                assert_eq!(p["predicted"], "jit_created", "{email}");
                assert_eq!(p["matches"], true, "{email}");
            }
            "signed_in_existing" => assert_eq!(p["matches"], true, "{email}"),
            "duplicate_created" => {
                assert!(
                    p["evidence"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|e| e.as_str().unwrap().contains("kp_")),
                    "{email}"
                );
                assert!(p["fix"].is_string());
            }
            _ => {}
        }
        if email.starts_with("late.") {
            assert_eq!(
                p["matches"], false,
                "late events differ from the prediction"
            );
        }
    }
    let s = &v["summary"];
    assert_eq!(s["trust_off_ready"], false);
    assert!(s["median_idp_to_kinde_delay_ms"].as_i64().unwrap().abs() <= 60_000);
    assert!(
        s["blockers"].as_array().unwrap()[0]
            .as_str()
            .unwrap()
            .contains("duplicate_created")
    );
    // the people who differ from the prediction come first
    assert_eq!(v["people"][0]["matches"], false);
}

#[test]
fn a_wider_window_joins_late_kinde_events() {
    let (_, v) = monitor("trust-on-jit-on", &["--window", "1h"]);
    let got = observed(&v);
    assert_eq!(got["late.0@example.com"], "signed_in_existing");
    let (_, v) = monitor("trust-on-jit-on", &["--until", "2026-11-02T12:00:00Z"]);
    let got = observed(&v);
    assert_eq!(
        got["new.0@example.com"], "not_attempted",
        "sign-ins after --until are not read"
    );
}

#[test]
fn jwt_bodies_are_read_and_marked_unverified() {
    let (_, v) = monitor("trust-on-jit-on", &[]);
    assert!(
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().contains("unverified"))
    );
}

#[test]
fn deterministic_and_csv() {
    let (_, a) = monitor("trust-off-jit-off", &[]);
    let (_, b) = monitor("trust-off-jit-off", &[]);
    assert_eq!(a, b);
    let d = "fixtures/monitor/trust-off-jit-off";
    let (_, out, _) = run(&[
        "monitor",
        "-c",
        &format!("{d}/conn.toml"),
        "--users",
        &format!("{d}/users-before.ndjson"),
        "--format",
        "csv",
        &format!("{d}/logs"),
    ]);
    assert!(
        out.starts_with("email,observed,predicted,matches,evidence,fix\n"),
        "{out}"
    );
}

#[test]
fn bad_input_is_named_and_malformed_records_counted() {
    let dir = tempfile::tempdir().unwrap();
    let src = "fixtures/monitor/trust-on-jit-on";
    let logs = dir.path().join("logs");
    std::fs::create_dir(&logs).unwrap();
    let mut kinde = std::fs::read_to_string(format!("{src}/logs/kinde-events.ndjson")).unwrap();
    kinde.push_str("{not json\n");
    std::fs::write(logs.join("kinde.ndjson"), kinde).unwrap();
    std::fs::copy(
        format!("{src}/logs/entra-signins.ndjson"),
        logs.join("entra.ndjson"),
    )
    .unwrap();
    let (code, out, _) = run(&[
        "monitor",
        "-c",
        &format!("{src}/conn.toml"),
        "--users",
        &format!("{src}/users-before.ndjson"),
        logs.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("1 malformed records skipped") && out.contains("kinde.ndjson:"),
        "{out}"
    );
    let (code, _, err) = run(&[
        "monitor",
        "-c",
        &format!("{src}/conn.toml"),
        "--users",
        "nope.ndjson",
        logs.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("nope.ndjson"), "{err}");
    let (code, _, err) = run(&[
        "monitor",
        "-c",
        &format!("{src}/conn.toml"),
        "--users",
        &format!("{src}/users-before.ndjson"),
        "--window",
        "ten",
        logs.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("ten"), "{err}");
}

#[test]
fn idp_logs_on_standard_input() {
    let d = "fixtures/monitor/trust-on-jit-on";
    let logs = std::fs::read(format!(
        "{}/{d}/logs/entra-signins.ndjson",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let out = common::sso()
        .args([
            "monitor",
            "-c",
            &format!("{d}/conn.toml"),
            "--users",
            &format!("{d}/users-before.ndjson"),
            "--format",
            "json",
            "-",
            &format!("{d}/logs/kinde-events.ndjson"),
        ])
        .write_stdin(logs)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got = observed(&v);
    assert_eq!(got["existing.1@example.com"], "signed_in_existing");
    assert_eq!(got["new.0@example.com"], "created_new");
}

#[test]
fn html_report_is_self_contained_and_escaped() {
    let d = "fixtures/monitor/trust-on-jit-on";
    let (code, out, _) = run(&[
        "monitor",
        "-c",
        &format!("{d}/conn.toml"),
        "--users",
        &format!("{d}/users-before.ndjson"),
        "--directory",
        &format!("{d}/entra-users.csv"),
        "--format",
        "html",
        &format!("{d}/logs"),
    ]);
    assert_eq!(code, 1);
    assert!(out.starts_with("<!DOCTYPE html>"), "{out}");
    assert!(out.contains("Not ready to turn Trust email addresses off"));
    assert!(out.contains("<code>case.0@example.com</code>") && out.contains("duplicate_created"));
    assert!(
        !out.contains("<script") && !out.contains("src=") && !out.contains("href="),
        "no script or external resource"
    );
    assert!(out.contains("Content-Security-Policy"));
}
