//! Everything `simulate` points a user to ships with the tool (issue 15): every rule id and
//! assumption id it prints resolves with `sso-doctor explain ID` and has an anchor in
//! `docs/decision-table.md`, and no output points to notes users do not have.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;

fn sso() -> Command {
    Command::cargo_bin("sso-doctor").unwrap()
}

/// JSON and text reports of the sample and end-to-end fixtures under several settings.
fn reports() -> Vec<(Value, String)> {
    let s = "fixtures/provision/samples";
    let e = "fixtures/provision/e2e";
    let runs: Vec<Vec<String>> = ["a", "b", "c", "d"]
        .iter()
        .map(|set| {
            vec![
                format!("--config={s}/conn-{set}.toml"),
                format!("--users={s}/users-page.json"),
                format!("--directory={s}/entra-users.csv"),
                "--id-column=objectId".into(),
                "--organization=org_5e1f00c0de1".into(),
            ]
        })
        .chain([
            vec![
                format!("--config={e}/conn.toml"),
                format!("--users={e}/users.ndjson"),
                format!("--directory={e}/entra-users.csv"),
                "--trust-emails=off".into(),
                "--jit=off".into(),
                "--self-joining=off".into(),
            ],
            vec![
                format!("--config={e}/conn.toml"),
                format!("--users={e}/users-page.json"),
                format!("--events={e}/events.ndjson"),
            ],
        ])
        .collect();
    runs.iter()
        .map(|args| {
            let run = |format: &str| {
                sso()
                    .arg("simulate")
                    .args(args)
                    .args(["--format", format, "--all"])
                    .output()
                    .unwrap()
                    .stdout
            };
            let json: Value = serde_json::from_slice(&run("json")).expect("JSON");
            (json, String::from_utf8(run("text")).unwrap())
        })
        .collect()
}

/// Ids like R12, U7, X1, G1 in a piece of text.
fn ids_in(text: &str, out: &mut BTreeSet<String>) {
    for word in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let (Some(first), rest) = (word.chars().next(), word.get(1..).unwrap_or("")) else {
            continue;
        };
        if matches!(first, 'R' | 'U' | 'X' | 'G' | 'L')
            && !rest.is_empty()
            && rest.len() <= 2
            && rest.bytes().all(|b| b.is_ascii_digit())
        {
            out.insert(word.to_string());
        }
    }
}

#[test]
fn every_printed_rule_and_assumption_id_resolves() {
    let docs = std::fs::read_to_string("docs/decision-table.md").unwrap();
    let mut ids = BTreeSet::new();
    for (json, text) in reports() {
        for p in json["people"].as_array().unwrap() {
            ids.insert(p["rule"].as_str().unwrap().to_string());
            ids_in(&p.to_string(), &mut ids);
        }
        ids_in(&json["summary"].to_string(), &mut ids);
        ids_in(&text, &mut ids);
    }
    // The fixtures reach every kind of id.
    for want in ["R2", "R3", "R9", "R12", "R13", "G1", "U7", "U8"] {
        assert!(ids.contains(want), "{want} never printed: {ids:?}");
    }
    for id in &ids {
        let out = sso().args(["explain", id]).output().unwrap();
        assert!(out.status.success(), "explain {id} failed");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.starts_with(&format!("{id}:")), "{id}: {text}");
        let anchor = format!("<a id=\"{}\"></a>", id.to_ascii_lowercase());
        assert!(
            docs.contains(&anchor),
            "docs/decision-table.md has no {anchor}"
        );
    }
}

#[test]
fn no_output_points_to_notes_users_do_not_have() {
    for (json, text) in reports() {
        for out in [json.to_string(), text] {
            for bad in ["kinde.md", "§", "shared/reference", "team notes"] {
                assert!(!out.contains(bad), "output mentions {bad:?}");
            }
        }
    }
    let help = sso().args(["simulate", "--help"]).output().unwrap().stdout;
    assert!(!String::from_utf8(help).unwrap().contains("kinde.md"));
}

#[test]
fn the_text_report_names_the_explain_command_for_each_rule() {
    let (_, text) = reports().remove(0);
    assert!(text.contains("(sso-doctor explain R9)"), "{text}");
}
