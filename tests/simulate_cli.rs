//! End-to-end tests of `sso-doctor simulate` over the fixtures in `fixtures/provision/`.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
#[path = "../examples/support/provision_synth.rs"]
mod synth;
use std::collections::BTreeMap;

const SAMPLES: &str = "fixtures/provision/samples";
const E2E: &str = "fixtures/provision/e2e";
const ORG: &str = "org_5e1f00c0de1";

fn cmd() -> Command {
    Command::cargo_bin("sso-doctor").unwrap()
}

/// `simulate` over the Kinde samples with settings set `set` (a-d).
fn samples(set: &str, format: &str) -> assert_cmd::assert::Assert {
    cmd()
        .args([
            "simulate",
            "--config",
            &format!("{SAMPLES}/conn-{set}.toml"),
        ])
        .args(["--users", &format!("{SAMPLES}/users-page.json")])
        .args([
            "--directory",
            &format!("{SAMPLES}/entra-users.csv"),
            "--id-column",
            "objectId",
        ])
        .args(["--organization", ORG, "--format", format])
        .assert()
}

fn json_of(a: &assert_cmd::assert::Assert) -> Value {
    serde_json::from_slice(&a.get_output().stdout).expect("valid JSON")
}

/// person (IdP email, else Kinde email) -> outcome.
fn outcomes(v: &Value) -> BTreeMap<String, String> {
    v["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let who = p["idp_email"]
                .as_str()
                .or(p["kinde_email"].as_str())
                .unwrap_or("");
            (
                who.trim().to_lowercase(),
                p["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The expected outcome of each sample person under settings A-D (`fixtures/provision/README.md`).
const TABLE: [(&str, [&str; 4]); 15] = [
    (
        "alice.linked@example.com",
        ["linked", "linked", "linked", "linked"],
    ),
    (
        "ben.merge@example.com",
        ["merged", "merged", "duplicate_created", "merged"],
    ),
    (
        "carla.case@example.com",
        [
            "duplicate_created",
            "not_found",
            "duplicate_created",
            "not_found",
        ],
    ),
    (
        "dev.space@example.com",
        [
            "duplicate_created",
            "not_found",
            "duplicate_created",
            "not_found",
        ],
    ),
    ("erin.early@example.com", ["pre_march_case"; 4]),
    ("farid.old@example.com", ["pre_march_case"; 4]),
    (
        "gita.feb@example.com",
        ["merged", "merged", "duplicate_created", "merged"],
    ),
    ("hugo.suspended@example.com", ["unknown"; 4]),
    (
        "iris.other@example.com",
        [
            "duplicate_created",
            "not_found",
            "duplicate_created",
            "not_found",
        ],
    ),
    ("jon.nomail@example.com", ["no_email"; 4]),
    (
        "kim.social@example.com",
        ["merged", "merged", "duplicate_created", "merged"],
    ),
    ("leo.orphan@example.com", ["not_in_directory"; 4]),
    (
        "nora.notmember@example.com",
        ["merged", "not_found", "duplicate_created", "merged"],
    ),
    ("quinn.smith@example.com", ["unknown"; 4]),
    (
        "omar.new@example.com",
        ["jit_created", "not_found", "jit_created", "not_found"],
    ),
];

#[test]
fn samples_match_the_readme_table_in_all_four_settings() {
    for (col, set) in ["a", "b", "c", "d"].into_iter().enumerate() {
        let a = samples(set, "json").code(1);
        let got = outcomes(&json_of(&a));
        for (person, want) in TABLE {
            assert_eq!(
                got.get(person).map(String::as_str),
                Some(want[col]),
                "set {set}, {person}"
            );
        }
        assert_eq!(got.len(), 15, "set {set}");
    }
}

#[test]
fn samples_set_a_counts_and_json_shape() {
    let v = json_of(&samples("a", "json").code(1));
    let s = &v["summary"];
    let counts: BTreeMap<String, u64> = serde_json::from_value(s["counts"].clone()).unwrap();
    let want = [
        ("linked", 1),
        ("merged", 4),
        ("jit_created", 1),
        ("duplicate_created", 3),
        ("pre_march_case", 2),
        ("no_email", 1),
        ("unknown", 2),
        ("not_in_directory", 1),
        ("not_found", 0),
    ];
    for (k, n) in want {
        assert_eq!(counts[k], n, "{k}");
    }
    assert_eq!(s["people"], 15);
    assert_eq!(s["failing"], 4);
    assert_eq!(s["near_matches"], 4);
    assert_eq!(s["settings"]["trust_emails"], true);
    assert_eq!(s["plan"][1]["users"][0], "ben.merge@example.com");
    let carla = v["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["idp_email"] == "carla.case@example.com")
        .unwrap();
    assert_eq!(carla["near_match"]["kind"], "case");
    assert_eq!(carla["near_match"]["kinde"], "Carla.Case@example.com");
    assert_eq!(carla["seed"], "kinde-email-to-enterprise-migration.txt");
    assert_eq!(carla["idp_source"], format!("{SAMPLES}/entra-users.csv:4"));
    let ben = v["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["idp_email"] == "ben.merge@example.com")
        .unwrap();
    assert!(
        ben["explanation"]
            .as_str()
            .unwrap()
            .contains("original email identity will be removed")
    );
}

#[test]
fn text_report_names_near_matches_and_the_plan() {
    samples("a", "text")
        .code(1)
        .stdout(predicate::str::contains(
            "Case and whitespace near-matches (4)",
        ))
        .stdout(predicate::str::contains(
            "case \"Carla.Case@example.com\" in Kinde vs \"carla.case@example.com\" from the IdP",
        ))
        .stdout(predicate::str::contains("Migration plan"))
        .stdout(predicate::str::contains("Test with one user"))
        .stdout(predicate::str::contains("turn Trust email addresses OFF"))
        .stdout(predicate::str::contains(
            "Delete the affected user in Kinde.",
        ));
}

#[test]
fn csv_report_has_one_row_per_person() {
    let a = samples("a", "csv").code(1);
    let mut r = csv::Reader::from_reader(a.get_output().stdout.as_slice());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(header, sso_doctor::provision::render::CSV_HEADER);
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 15);
    assert!(
        rows.iter()
            .any(|row| &row[0] == "pre_march_case" && &row[8] == "case")
    );
}

#[test]
fn output_is_deterministic() {
    let one = samples("a", "json").get_output().stdout.clone();
    let two = samples("a", "json").get_output().stdout.clone();
    assert_eq!(one, two);
}

#[test]
fn fail_on_controls_the_exit_code() {
    let base = |fail_on: &str| {
        cmd()
            .args([
                "simulate",
                "--config",
                &format!("{SAMPLES}/conn-a.toml"),
                "--users",
                &format!("{SAMPLES}/users-page.json"),
            ])
            .args([
                "--directory",
                &format!("{SAMPLES}/entra-users.csv"),
                "--fail-on",
                fail_on,
            ])
            .assert()
    };
    base("none").code(0);
    base("linked").code(1);
    base("not_found").code(0);
    base("bogus")
        .code(2)
        .stderr(predicate::str::contains("unknown outcome"));
}

#[test]
fn end_to_end_fifty_people_from_every_snapshot_shape() {
    // Same people as an export, an API page and an import CSV; suspension only in the API page.
    let mut want: BTreeMap<&str, u64> = BTreeMap::new();
    for i in 0..50 {
        for o in synth::expected(synth::scenario(i)) {
            *want.entry(o.as_str()).or_default() += 1;
        }
    }
    let run = |users: &str| {
        let a = cmd()
            .args([
                "simulate",
                "--config",
                &format!("{E2E}/conn.toml"),
                "--users",
                &format!("{E2E}/{users}"),
            ])
            .args([
                "--directory",
                &format!("{E2E}/entra-users.csv"),
                "--organization",
                ORG,
                "--format",
                "json",
            ])
            .assert()
            .code(1);
        let v = json_of(&a);
        serde_json::from_value::<BTreeMap<String, u64>>(v["summary"]["counts"].clone()).unwrap()
    };
    let page = run("users-page.json");
    for (k, n) in &want {
        assert_eq!(page[*k], *n, "api page: {k}");
    }
    let export = run("users.ndjson");
    assert_eq!(export["unknown"], 0, "the export carries no suspension");
    assert_eq!(export["merged"], want["merged"] + want["unknown"]);
    let import = run("users-import.csv");
    // The import CSV has no enterprise identities and no creation dates.
    assert_eq!((import["linked"], import["pre_march_case"]), (0, 0));
    assert!(import["duplicate_created"] > want["duplicate_created"]);
}

#[test]
fn events_input_reads_one_record_per_user() {
    let a = cmd()
        .args([
            "simulate",
            "--config",
            &format!("{E2E}/conn.toml"),
            "--users",
            &format!("{E2E}/users-page.json"),
        ])
        .args([
            "--events",
            &format!("{E2E}/events.ndjson"),
            "--organization",
            ORG,
            "--format",
            "json",
        ])
        .assert()
        .code(1);
    let v = json_of(&a);
    assert_eq!(v["summary"]["inputs"]["records"], 49);
    assert_eq!(
        v["summary"]["counts"]["not_in_directory"], 0,
        "events are not a full directory"
    );
    assert!(
        v["summary"]["inputs"]["notes"][0]
            .as_str()
            .unwrap()
            .contains("5 repeats")
    );
}

#[test]
fn overrides_rehearse_trust_off_and_a_renamed_attribute() {
    let base = || {
        let mut c = cmd();
        c.args([
            "simulate",
            "--config",
            &format!("{SAMPLES}/conn-a.toml"),
            "--users",
            &format!("{SAMPLES}/users-export.ndjson"),
        ])
        .args([
            "--directory",
            &format!("{SAMPLES}/entra-users.csv"),
            "--format",
            "json",
        ]);
        c
    };
    let v = json_of(&base().args(["--trust-emails", "off"]).assert().code(1));
    assert_eq!(outcomes(&v)["ben.merge@example.com"], "duplicate_created");
    let v = json_of(
        &base()
            .args(["--idp-email-attribute", "email"])
            .assert()
            .code(1),
    );
    assert_eq!(v["summary"]["counts"]["no_email"], 14);
    let fix = v["people"][0]["fix"].as_str().unwrap();
    assert!(
        fix.contains("Set the Email key attribute in Kinde to \"email\""),
        "{fix}"
    );
}

#[test]
fn unusable_inputs_exit_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad_users = dir.path().join("users.ndjson");
    std::fs::write(
        &bad_users,
        "{\"id\":\"kp_1\",\"email\":\"a@example.com\"}\n{not json\n",
    )
    .unwrap();
    let bad_dir = dir.path().join("dir.csv");
    std::fs::write(&bad_dir, "name,dept\nA,B\n").unwrap();
    let bad_conf = dir.path().join("conn.toml");
    std::fs::write(&bad_conf, "[connection]\ntrust_email = true\n").unwrap();
    let conf = format!("{SAMPLES}/conn-a.toml");
    let users = format!("{SAMPLES}/users-page.json");
    let directory = format!("{SAMPLES}/entra-users.csv");
    let s = |p: &std::path::Path| p.display().to_string();
    let cases: Vec<(Vec<String>, String)> = vec![
        (
            vec![
                "--config".into(),
                conf.clone(),
                "--users".into(),
                s(&bad_users),
                "--directory".into(),
                directory.clone(),
            ],
            format!("{}:2", s(&bad_users)),
        ),
        (
            vec![
                "--config".into(),
                conf.clone(),
                "--users".into(),
                users.clone(),
                "--directory".into(),
                s(&bad_dir),
            ],
            format!("{}:1", s(&bad_dir)),
        ),
        (
            vec![
                "--config".into(),
                s(&bad_conf),
                "--users".into(),
                users.clone(),
                "--directory".into(),
                directory.clone(),
            ],
            "trust_email".into(),
        ),
        (
            vec![
                "--config".into(),
                conf.clone(),
                "--users".into(),
                "missing.json".into(),
                "--directory".into(),
                directory.clone(),
            ],
            "missing.json".into(),
        ),
        (
            vec![
                "--config".into(),
                conf.clone(),
                "--users".into(),
                users.clone(),
                "resp.xml".into(),
            ],
            "cannot read resp.xml".into(),
        ),
        (
            vec![
                "--config".into(),
                conf.clone(),
                "--users".into(),
                users.clone(),
            ],
            "required".into(),
        ),
        (
            vec![
                "--config".into(),
                conf,
                "--users".into(),
                users,
                "--directory".into(),
                directory,
                "--email-column".into(),
                "nope".into(),
            ],
            "--email-column \"nope\"".into(),
        ),
    ];
    for (args, needle) in cases {
        cmd()
            .arg("simulate")
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(needle.clone()));
    }
}

#[test]
fn saml_responses_feed_the_simulator() {
    let dir = tempfile::tempdir().unwrap();
    let users = dir.path().join("users.ndjson");
    std::fs::write(
        &users,
        r#"{"id":"kp_1","email":"dana.reyes@example.com","created_on":"2025-06-10T09:15:22+00:00","identities":[{"type":"email","identity":"dana.reyes@example.com"}],"organizations":["org_1"]}"#.to_string() + "\n",
    )
    .unwrap();
    let conf = dir.path().join("conn.toml");
    std::fs::write(
        &conf,
        "[connection]\nemail_attribute = \"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress\"\ntrust_emails = true\njit_provisioning = true\n",
    )
    .unwrap();
    let run = |saml: &str| {
        let out = Command::cargo_bin("sso-doctor")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "simulate",
                "--config",
                conf.to_str().unwrap(),
                "--users",
                users.to_str().unwrap(),
                "--format",
                "json",
                saml,
            ])
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        (out.status.code(), v)
    };
    let (code, v) = run("fixtures/saml/entra-clean.xml");
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["people"][0]["outcome"], "merged", "{v}");
    let (code, v) = run("fixtures/saml/email-uppercase.xml");
    assert_eq!(code, Some(1), "{v}");
    assert_eq!(v["people"][0]["outcome"], "duplicate_created", "{v}");
    assert_eq!(v["people"][0]["near_match"]["kind"], "case", "{v}");
}
