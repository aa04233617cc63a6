//! Lookalike identities in `simulate` (issue 22 item 7): a Kelvin-sign `kim@`, a Cyrillic `а` in
//! `аnna@`, a zero-width space and a right-to-left override are flagged as lookalikes (rule L1)
//! with the identity they imitate and why, never merged into the imitated user, never proposed
//! for the pilot; the text report never prints format or bidi controls raw, JSON keeps them.
//! Fixtures: `fixtures/provision/lookalike/` (see its README).

use assert_cmd::Command;
use serde_json::Value;

const L: &str = "fixtures/provision/lookalike";

fn run(format: &str) -> Vec<u8> {
    let out = Command::cargo_bin("sso-doctor")
        .unwrap()
        .args(["simulate", "--config", &format!("{L}/conn.toml")])
        .args(["--users", &format!("{L}/users-page.json")])
        .args(["--directory", &format!("{L}/directory.csv")])
        .args(["--format", format])
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

fn person<'a>(v: &'a Value, idp_email: &str) -> &'a Value {
    v["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["idp_email"] == idp_email)
        .unwrap_or_else(|| panic!("{idp_email:?} not in the report"))
}

fn reason_kinds(p: &Value) -> Vec<String> {
    p["lookalike"]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_lookalike_names_what_it_imitates_and_why() {
    let v: Value = serde_json::from_slice(&run("json")).unwrap();
    // (IdP email as sent, imitated Kinde value, imitated user, reason kinds)
    let cases = [
        (
            "\u{212A}im@contoso.test",
            "kim@contoso.test",
            Some("kp_100ca11ce00000000000000000000001"),
            vec!["compatibility"],
        ),
        (
            "\u{0430}nna@contoso.test",
            "anna@contoso.test",
            Some("kp_100ca11ce00000000000000000000002"),
            vec!["mixed_script", "confusable"],
        ),
        (
            "carol\u{200B}@contoso.test",
            "carol@contoso.test",
            Some("kp_100ca11ce00000000000000000000003"),
            vec!["invisible"],
        ),
        (
            "\u{202E}tset.osotnoc@evad",
            "dave@contoso.test",
            Some("kp_100ca11ce00000000000000000000004"),
            vec!["bidi"],
        ),
        (
            "zoe\u{200D}@contoso.test",
            "zoe@contoso.test",
            None,
            vec!["invisible"],
        ),
    ];
    for (sent, imitates, user, kinds) in cases {
        let p = person(&v, sent);
        assert_eq!(p["rule"], "L1", "{p}");
        // Never the imitated person: a new user (JIT on), not merged or linked.
        assert_eq!(p["outcome"], "jit_created", "{p}");
        assert_eq!(p["needs_action"], true);
        assert_eq!(p["near_match"], Value::Null, "not a case difference: {p}");
        assert!(
            !p["explanation"]
                .as_str()
                .unwrap()
                .contains("capitalisation"),
            "{p}"
        );
        let l = &p["lookalike"];
        assert_eq!(l["identity"], sent, "JSON keeps the raw value");
        assert_eq!(l["imitates"], imitates, "{p}");
        assert_eq!(l["imitates_user"].as_str(), user, "{p}");
        assert_eq!(reason_kinds(p), kinds, "{p}");
    }
    let kelvin = person(&v, "\u{212A}im@contoso.test");
    assert_eq!(kelvin["lookalike"]["reasons"][0]["code_point"], "U+212A");
    // The real people are untouched, and nobody is folded into them.
    for real in ["carol@contoso.test", "erin@contoso.test"] {
        assert_eq!(person(&v, real)["outcome"], "merged");
    }
    let s = &v["summary"];
    assert_eq!(s["counts"]["merged"], 2);
    assert_eq!(s["counts"]["jit_created"], 5);
    assert_eq!(s["near_matches"], 0);
    // No lookalike is the test user or in the pilot group.
    for step in s["plan"].as_array().unwrap() {
        for u in step["users"].as_array().unwrap() {
            let u = u.as_str().unwrap();
            assert!(u.is_ascii(), "plan step {} proposes {u:?}", step["title"]);
        }
    }
}

#[test]
fn the_text_report_never_prints_controls_raw() {
    let text = String::from_utf8(run("text")).unwrap();
    for c in ['\u{202E}', '\u{200B}', '\u{200D}'] {
        assert!(
            !text.contains(c),
            "raw U+{:04X} in the text report",
            c as u32
        );
    }
    for shown in [
        "<U+202E>tset.osotnoc@evad",
        "carol<U+200B>@contoso.test",
        "zoe<U+200D>@contoso.test",
    ] {
        assert!(text.contains(shown), "{shown} missing");
    }
    assert!(
        text.contains("lookalike: \"\u{0430}nna@contoso.test\" imitates \"anna@contoso.test\"")
    );
    assert!(text.contains("compatibility character U+212A"));
    assert!(!text.contains("differ only in capitalisation"));
    // The CSV is data, like JSON: raw values, for a spreadsheet to compare.
    let csv = String::from_utf8(run("csv")).unwrap();
    assert!(csv.contains("\u{202E}tset.osotnoc@evad"));
}

#[test]
fn explain_l1_and_u14_resolve() {
    for id in ["L1", "U14"] {
        let out = Command::cargo_bin("sso-doctor")
            .unwrap()
            .args(["explain", id])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(
            String::from_utf8(out.stdout)
                .unwrap()
                .starts_with(&format!("{id}:"))
        );
    }
}
