//! Inputs that once crashed, hung or exhausted memory, kept under `fixtures/regressions/<target>/`
//! (one directory per fuzz target in `fuzz/`). Every file is run through the same entry point as
//! its fuzz target and must give a result or a clear error, never a panic; the tests below name
//! each one and assert what it must give now. `fixtures/regressions/README.md` lists them.
//! Time is never asserted here (a loaded CI machine would make such a test flaky); the growth of
//! each once-quadratic case is measured by `cargo bench --bench scaling`.

use sso_doctor::analyze::{Input, RunOptions, analyze};
use sso_doctor::decode::{self, DecodeError, encode};
use sso_doctor::limits::Limits;
use sso_doctor::settings::Settings;
use std::path::{Path, PathBuf};

fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/regressions")
}

fn read(target: &str, name: &str) -> Vec<u8> {
    std::fs::read(regressions().join(target).join(name)).unwrap()
}

/// Runs `data` through `target`'s entry point; Ok(a summary) or Err(the error shown to people).
fn run_target(target: &str, data: &[u8]) -> Result<String, String> {
    let limits = Limits::default();
    match target {
        "decode" => decode::decode(data, &limits)
            .map(|m| format!("{} messages", m.len()))
            .map_err(|e| e.to_string()),
        "saml_pipeline" | "xml_dsig" => {
            let settings = Settings::default();
            let opts = RunOptions {
                settings: &settings,
                now: Some(0),
                now_source: "test",
                limits,
            };
            let a = analyze(
                &[Input {
                    name: "r".into(),
                    bytes: data.to_vec(),
                }],
                &opts,
            );
            match a.errors.first() {
                Some(e) => Err(e.error.clone()),
                None => Ok(format!("{} findings", a.all_findings().len())),
            }
        }
        "logs_partial" => sso_doctor::logs::partial::from_json(data).map(|agg| {
            let report = sso_doctor::logs::report::Report::build(&agg, 10, Vec::new());
            sso_doctor::logs::report::render_text(&report, &agg)
        }),
        "settings" => Settings::from_toml(&String::from_utf8_lossy(data), "r.toml")
            .map(|_| "settings".into())
            .map_err(|e| e.to_string()),
        other => panic!("no entry point for regression target {other}"),
    }
}

#[test]
fn every_regression_input_gives_a_result_or_a_clear_error() {
    let mut seen = 0;
    for dir in std::fs::read_dir(regressions()).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let target = dir.file_name().unwrap().to_str().unwrap().to_string();
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            let data = std::fs::read(&file).unwrap();
            match run_target(&target, &data) {
                Ok(summary) => assert!(!summary.is_empty()),
                Err(e) => assert!(e.len() > 10, "{}: unclear error {e:?}", file.display()),
            }
            seen += 1;
        }
    }
    assert!(seen > 0);
}

// ---- decode ----

/// A HAR whose entries each hold a compressed SAMLRequest inflating to just under the cap: each
/// one passed the per-decompression limit, so memory grew with the number of entries (a 0.8 MB
/// HAR took 1.9 GB; a 16 MB one would take tens of GB). The messages of one input now share one
/// budget (`decode::check_total`).
#[test]
fn many_compressed_values_in_one_har_share_one_budget() {
    let data = read("decode", "har-many-deflate-bombs.har");
    // Three 1 MB messages: fine under the default limits.
    assert_eq!(decode::decode(&data, &Limits::default()).unwrap().len(), 3);
    // With a 1.5 MB budget the second message already goes over it.
    let small = Limits {
        max_inflated_bytes: 1_500_000,
        max_input_bytes: 1_000_000,
        ..Limits::default()
    };
    let err = decode::decode(&data, &small).unwrap_err();
    assert!(matches!(err, DecodeError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("--max-inflated-bytes"), "{err}");
}

#[test]
fn har_with_forty_near_cap_values_stops_at_the_second() {
    // Each value inflates to 15 MiB (under the 16 MiB cap); forty of them used to need 600 MiB+.
    let xml = format!(
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">{}</samlp:AuthnRequest>",
        " ".repeat(15 << 20)
    );
    let value = encode::redirect_value(&xml);
    let entry = format!(
        "{{\"request\":{{\"method\":\"GET\",\"url\":\"https://idp.test/sso?SAMLRequest={value}\"}},\"response\":{{\"status\":200}}}}"
    );
    let entries = vec![entry; 40].join(",");
    let har = format!("{{\"log\":{{\"version\":\"1.2\",\"entries\":[{entries}]}}}}");
    assert!(har.len() < Limits::default().max_input_bytes);
    let err = decode::decode(har.as_bytes(), &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("2 SAML messages"), "{err}");
}

#[test]
fn html_page_and_form_body_with_many_compressed_fields_share_one_budget() {
    let xml = format!(
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">{}</samlp:Response>",
        " ".repeat(600_000)
    );
    let small = Limits {
        max_inflated_bytes: 1_000_000,
        max_input_bytes: 100_000,
        ..Limits::default()
    };
    let value = encode::redirect_value(&xml);
    let form = format!("SAMLResponse={value}&SAMLResponse={value}");
    let err = decode::decode(form.as_bytes(), &small).unwrap_err();
    assert!(err.to_string().contains("--max-inflated-bytes"), "{err}");
    let html = format!(
        "<html><body><form><input type=\"hidden\" name=\"SAMLResponse\" value=\"{value}\"/><input type=\"hidden\" name=\"SAMLRequest\" value=\"{value}\"/></form></body></html>"
    );
    let err = decode::decode(html.as_bytes(), &small).unwrap_err();
    assert!(err.to_string().contains("--max-inflated-bytes"), "{err}");
}

// ---- saml_pipeline / xml_dsig ----

/// An element with many children that all have different names: sibling positions (for paths
/// in evidence) were counted with a linear list per parent, quadratic in the number of distinct
/// names (150,000 children: 37 s). Found by review of the `xml_dsig` / `saml_pipeline` hot path;
/// `xml::Document::compute_sibling_positions` now counts wide parents in a hash map.
#[test]
fn wide_parent_with_distinct_child_names_parses_with_right_paths() {
    let small = read("saml_pipeline", "wide-distinct-children.xml");
    assert!(run_target("saml_pipeline", &small).is_ok());
    let wide = format!(
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">{}</samlp:Response>",
        (0..150_000).map(|i| format!("<e{i}/>")).collect::<String>()
    );
    let doc = sso_doctor::xml::Document::parse(&wide, &Limits::default()).unwrap();
    // Sibling positions are computed on the first path.
    let last = doc.children(doc.root).last().unwrap();
    assert_eq!(doc.path(last), "/samlp:Response/e149999");
}

#[test]
fn sibling_positions_agree_for_narrow_and_wide_parents() {
    // The same mix of repeated and unique names under a narrow parent (counted on the spot), a
    // wider one and a wide one (counted once for the document, by list and by map).
    for n in [3usize, 40, 400] {
        let kids: String = (0..n)
            .map(|i| match i % 3 {
                0 => "<a/>".to_string(),
                1 => format!("<u{i}/>"),
                _ => "<p:a xmlns:p=\"urn:p\"/>".to_string(),
            })
            .collect();
        let doc = sso_doctor::xml::Document::parse(&format!("<r>{kids}</r>"), &Limits::default())
            .unwrap();
        let paths: Vec<String> = doc.children(doc.root).map(|c| doc.path(c)).collect();
        assert_eq!(paths[0], if n > 3 { "/r/a[1]" } else { "/r/a" }, "{n}");
        assert_eq!(paths[1], "/r/u1", "{n}");
        assert_eq!(paths[2], if n > 3 { "/r/p:a[1]" } else { "/r/p:a" }, "{n}");
        if n > 3 {
            assert_eq!(paths[3], "/r/a[2]");
            assert_eq!(paths[5], "/r/p:a[2]");
        }
    }
}

/// Thousands of `ds:Signature` elements all referencing the root: each verification
/// canonicalized and hashed the whole document, and the text report then copied the whole
/// (single) source line for each of the thousands of findings — 5,000 signatures in a 3 MB paste
/// took a minute. `dsig::verify` now checks at most `MAX_SIGNATURES` per document (the rest are
/// reported as not checked), and `report::text` reads a bounded window of the line per finding.
#[test]
fn many_signatures_are_capped_and_reported_quickly() {
    use sso_doctor::dsig::verify::{self, MAX_SIGNATURES, Outcome};
    let data = read("xml_dsig", "forty-signatures-on-the-root.xml");
    let text = String::from_utf8(data.clone()).unwrap();
    let doc = sso_doctor::xml::Document::parse(&text, &Limits::default()).unwrap();
    let reports = verify::verify_all(&doc, &[]);
    assert_eq!(reports.len(), 40);
    for (i, r) in reports.iter().enumerate() {
        let capped = matches!(&r.outcome, Outcome::Malformed(m) if m.contains("not checked"));
        assert_eq!(
            capped,
            i >= MAX_SIGNATURES,
            "signature {i}: {:?}",
            r.outcome
        );
    }
    assert!(run_target("xml_dsig", &data).is_ok());

    // Through the binary with the text report, 2,000 signatures (1.2 MB on one line).
    let sig =
        &text[text.find("<ds:Signature").unwrap()..text.find("</ds:Signature>").unwrap() + 15];
    let big = format!(
        "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"r\">{}</samlp:Response>",
        sig.repeat(2000)
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.xml");
    std::fs::write(&path, big).unwrap();
    let out = assert_cmd::Command::cargo_bin("sso-doctor")
        .unwrap()
        .args([
            "saml",
            path.to_str().unwrap(),
            "--now",
            "2026-03-10T09:16:00Z",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("not checked"), "{stdout}");
}

/// Tens of thousands of evidence items on one long line (an element ID repeated 100,000 times,
/// or 50,000 values of one attribute): each item's column was counted from the start of its line,
/// quadratic in the line length (100,000 duplicate IDs: 8.6 s). `xml::Document::line_col` now
/// counts from per-4 KiB character marks.
#[test]
fn evidence_columns_on_a_long_line_are_cheap_and_right() {
    let data = read("saml_pipeline", "duplicate-ids-on-one-line.xml");
    assert!(run_target("saml_pipeline", &data).is_ok());

    let clean = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/saml/entra-clean.xml"),
    )
    .unwrap();
    let at = clean.find("<AttributeStatement>").unwrap() + "<AttributeStatement>".len();
    let ids = "<e ID=\"_5e9d2a7c-1b3f-4d6e-8a90-2c4e6f8a0b13\"/>".repeat(40_000);
    let big = format!(
        "{}</AttributeStatement><Advice>{ids}</Advice><AttributeStatement>{}",
        &clean[..at],
        &clean[at..]
    );
    let settings = Settings::default();
    let opts = RunOptions {
        settings: &settings,
        now: Some(0),
        now_source: "test",
        limits: Limits::default(),
    };
    let a = analyze(
        &[Input {
            name: "r".into(),
            bytes: big.into_bytes(),
        }],
        &opts,
    );
    assert!(a.errors.is_empty(), "{:?}", a.errors);

    // Columns are characters, not bytes, on either side of the 4 KiB marks.
    let line = format!(
        "<r a=\"{}\">{}<x/></r>",
        "é€".repeat(3000),
        "ü".repeat(5000)
    );
    let doc = sso_doctor::xml::Document::parse(&line, &Limits::default()).unwrap();
    for offset in [
        0,
        1,
        4095,
        4096,
        4097,
        9000,
        line.find("<x/>").unwrap(),
        line.len(),
    ] {
        if !line.is_char_boundary(offset) {
            continue;
        }
        let naive = line[..offset].chars().count() + 1;
        assert_eq!(doc.line_col(offset), (1, naive), "offset {offset}");
        assert_eq!(sso_doctor::xml::line_col(&line, offset), (1, naive));
    }
}

// ---- logs_partial ----

/// Two concatenated partials whose counts are u64::MAX and whose hours and times sit at the ends
/// of i64: merging added the counts with overflow (a panic in debug builds, wrapped totals in
/// release), and the report then overflowed on the success-rate total, the time span, the hour
/// keys and the histogram bars. Found by review (the `merge` input); `logs::agg` merges and
/// `logs::report` sums now saturate.
#[test]
fn partials_with_extreme_counts_merge_and_report_without_overflow() {
    let data = read("logs_partial", "two-partials-with-max-counts.json");
    let agg = sso_doctor::logs::partial::from_json(&data).unwrap();
    assert_eq!(agg.events, u64::MAX);
    let text = run_target("logs_partial", &data).unwrap();
    assert!(text.contains("18446744073709551615"), "{text}");
    let out = assert_cmd::Command::cargo_bin("sso-doctor")
        .unwrap()
        .args(["merge", "--format", "json"])
        .arg(regressions().join("logs_partial/two-partials-with-max-counts.json"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["events_total"], u64::MAX);
}

// ---- settings ----

/// `clock_skew_seconds = 18446744073709551615`: the skew in milliseconds overflowed (a panic in
/// debug builds, a negative skew that flagged everything in release). Found by review of what the
/// `settings` target parses; `rules::Context::skew_millis` now saturates and caps at
/// `rules::MAX_SKEW_MILLIS`, so a huge skew accepts any timestamp.
#[test]
fn huge_clock_skew_accepts_everything_without_overflow() {
    let data = read("settings", "huge-clock-skew.toml");
    assert!(run_target("settings", &data).is_ok());
    let settings = Settings::from_toml(&String::from_utf8(data).unwrap(), "huge.toml").unwrap();
    assert_eq!(settings.clock_skew_seconds, u64::MAX);
    let expired =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/saml/expired.xml"))
            .unwrap();
    for now in [
        "0001-01-01T00:00:00Z",
        "2026-03-10T13:30:00Z",
        "9999-12-31T23:59:59Z",
    ] {
        let opts = RunOptions {
            settings: &settings,
            now: sso_doctor::time::parse_millis(now),
            now_source: "test",
            limits: Limits::default(),
        };
        let a = analyze(
            &[Input {
                name: "expired.xml".into(),
                bytes: expired.clone(),
            }],
            &opts,
        );
        assert!(a.errors.is_empty(), "{:?}", a.errors);
        let codes: Vec<&str> = a.all_findings().iter().map(|f| f.code).collect();
        for timing in ["SD501", "SD502", "SD503", "SD504"] {
            assert!(!codes.contains(&timing), "{now}: {codes:?}");
        }
    }
}
