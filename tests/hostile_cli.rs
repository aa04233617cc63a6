//! Hostile input through the real binary: every resource limit stops with an error that names the
//! flag to raise it (and raising it works), and DOCTYPE / entity declarations are rejected without
//! expansion or file access wherever XML is read: pastes, `--idp-metadata`, `--sp-metadata`,
//! `check` expectations that name metadata, and AD FS XML log exports.

mod common;
use common::{NOW, run, sso};
use std::path::Path;
use std::time::{Duration, Instant};

const MARKER: &str = "MARKER-51d2e8";

/// (exit code, stdout + stderr).
fn run_all(args: &[&str]) -> (i32, String) {
    let (code, out, err) = run(args);
    assert!(!err.contains("panicked"), "{args:?} panicked: {err}");
    (code, format!("{out}{err}"))
}

fn write(dir: &Path, name: &str, data: impl AsRef<[u8]>) -> String {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p.to_str().unwrap().to_string()
}

/// A file holding the marker, and an XXE DOCTYPE whose external entity points at it.
fn secret_and_doctype(dir: &Path) -> String {
    let secret = write(dir, "secret.txt", MARKER);
    format!("<!DOCTYPE r [<!ENTITY x SYSTEM \"file://{secret}\">]>")
}

const BILLION_LAUGHS: &str = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\"><!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\"><!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\"><!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\"><!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\"><!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\"><!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\"><!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">]>";

const MD: &str = "urn:oasis:names:tc:SAML:2.0:metadata";

// ---- limits: each one stops with a clear error naming its flag, and the flag raises it ----

/// `sso-doctor saml FILE --flag low` exits 2 naming the flag; `--flag high` lets the input through.
fn assert_limit(file: &str, flag: &str, low: &str, high: &str) {
    let (code, out) = run_all(&["saml", file, "--now", NOW, flag, low]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains(flag), "{out}");
    let (code, out) = run_all(&["saml", file, "--now", NOW, flag, high]);
    assert_ne!(code, 2, "{out}");
}

#[test]
fn input_size_limit_names_its_flag_and_can_be_raised() {
    assert_limit(
        "fixtures/saml/entra-clean.xml",
        "--max-input-bytes",
        "100",
        "1000000",
    );
}

#[test]
fn limits_raised_to_the_maximum_mean_unlimited() {
    // `cap + 1` overflowed for usize::MAX (a panic in debug builds, a zero-byte read in release).
    let max = usize::MAX.to_string();
    let (code, out) = run_all(&[
        "saml",
        "fixtures/saml/form-deflate.b64",
        "--now",
        NOW,
        "--max-input-bytes",
        &max,
        "--max-inflated-bytes",
        &max,
        "--max-xml-depth",
        &max,
        "--max-xml-nodes",
        &max,
        "--max-xml-attributes",
        &max,
    ]);
    assert_ne!(code, 2, "{out}");
}

#[test]
fn gzip_bomb_is_stopped_at_the_inflated_limit() {
    // 64 MiB of zeros compresses to about 64 KiB; the default cap is 16 MiB.
    let dir = tempfile::tempdir().unwrap();
    let bomb = sso_doctor::decode::encode::gzip(&vec![0u8; 64 << 20]);
    assert!(bomb.len() < 200_000);
    let path = write(dir.path(), "bomb.gz", &bomb);
    let started = Instant::now();
    let (code, out) = run_all(&["saml", &path, "--now", NOW]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--max-inflated-bytes"), "{out}");
    assert!(started.elapsed() < Duration::from_secs(20));
    // A deflated paste of a real response needs more than 1 KiB inflated: the cap bites, and
    // raising it lets the same input through.
    assert_limit(
        "fixtures/saml/form-deflate.b64",
        "--max-inflated-bytes",
        "1024",
        "1000000",
    );
}

#[test]
fn xml_depth_limit_names_its_flag_and_can_be_raised() {
    let (code, out) = run_all(&["saml", "fixtures/saml/bad-deep-nesting.xml", "--now", NOW]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--max-xml-depth"), "{out}");
    let (_, out) = run_all(&[
        "saml",
        "fixtures/saml/bad-deep-nesting.xml",
        "--now",
        NOW,
        "--max-xml-depth",
        "100000",
    ]);
    assert!(!out.contains("nest deeper"), "{out}");
}

#[test]
fn xml_node_limit_names_its_flag_and_can_be_raised() {
    assert_limit(
        "fixtures/saml/entra-clean.xml",
        "--max-xml-nodes",
        "10",
        "1000",
    );
}

#[test]
fn xml_attribute_limit_names_its_flag_and_can_be_raised() {
    let dir = tempfile::tempdir().unwrap();
    let clean = std::fs::read_to_string("fixtures/saml/entra-clean.xml").unwrap();
    let many: String = (0..300).map(|i| format!(" a{i}=\"v\"")).collect();
    let bloated = clean.replacen("<samlp:Response ", &format!("<samlp:Response{many} "), 1);
    assert_ne!(bloated, clean);
    let path = write(dir.path(), "many-attributes.xml", &bloated);
    let (code, out) = run_all(&["saml", &path, "--now", NOW]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("more than 256 attributes") && out.contains("--max-xml-attributes"),
        "{out}"
    );
    let (code, out) = run_all(&["saml", &path, "--now", NOW, "--max-xml-attributes", "400"]);
    assert_ne!(code, 2, "{out}");
    assert!(!out.contains("attributes on"), "{out}");
}

#[test]
fn check_takes_the_limit_flags_too() {
    let (code, out) = run_all(&[
        "check",
        "fixtures/saml/entra-clean.xml",
        "--max-xml-attributes",
        "1",
    ]);
    // entra-clean.xml expects a clean result: with one attribute allowed it is unusable now.
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("--max-xml-attributes"), "{out}");
    let (code, out) = run_all(&[
        "check",
        "fixtures/saml/entra-clean.xml",
        "--max-xml-attributes",
        "256",
    ]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn log_record_length_limit_names_its_flag() {
    // Counted as malformed with the flag named; see also logs_cli.rs::overlong_lines_are_counted.
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string("fixtures/logs/entra/graph-beta.ndjson").unwrap();
    let first = good.lines().next().unwrap();
    let long = format!(
        "{{\"createdDateTime\":\"2025-11-03T09:00:00Z\",\"pad\":\"{}\"}}",
        "a".repeat(100_000)
    );
    let path = write(dir.path(), "long.ndjson", format!("{first}\n{long}\n"));
    let (code, out) = run_all(&[
        "logs",
        "--format",
        "json",
        "--max-record-bytes",
        "65536",
        &path,
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("max-record-bytes"), "{out}");
    let (code, out) = run_all(&["logs", "--max-record-bytes", "10", &path]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--max-record-bytes must be at least"), "{out}");
}

#[test]
fn csv_log_line_length_is_capped_while_reading() {
    // One physical line longer than the cap stops the read there instead of buffering it whole.
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string("fixtures/logs/adfs/get-winevent.csv").unwrap();
    let long = format!("{good}\"{}\",411\n", "a".repeat(3 << 20));
    let path = write(dir.path(), "long.csv", &long);
    let (code, out) = run_all(&["logs", "--max-record-bytes", "1048576", &path]);
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("is longer than --max-record-bytes (1048576 bytes)"),
        "{out}"
    );
    // Raised, the same file is read, the long row counted.
    let (code, out) = run_all(&[
        "logs",
        "--max-record-bytes",
        "8388608",
        "--format",
        "json",
        &path,
    ]);
    assert_ne!(code, 2, "{out}");
}

// ---- DOCTYPE and entities: rejected, never expanded, never fetched ----

#[test]
fn billion_laughs_paste_is_rejected_quickly() {
    let xml = format!(
        "<?xml version=\"1.0\"?>{BILLION_LAUGHS}<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\">&lol9;</samlp:Response>"
    );
    let started = Instant::now();
    let out = sso()
        .args(["saml", "-", "--now", NOW])
        .write_stdin(xml)
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(all.contains("DOCTYPE") && !all.contains("lollol"), "{all}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn idp_metadata_with_external_entity_never_reads_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let doctype = secret_and_doctype(dir.path());
    let md = write(
        dir.path(),
        "idp.xml",
        format!(
            "<?xml version=\"1.0\"?>{doctype}<md:EntityDescriptor xmlns:md=\"{MD}\" entityID=\"&x;\"><md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\"/></md:EntityDescriptor>"
        ),
    );
    for flag in ["--idp-metadata", "--sp-metadata"] {
        let (code, out) = run_all(&[
            "saml",
            "fixtures/saml/entra-clean.xml",
            "--now",
            NOW,
            "--format",
            "json",
            flag,
            &md,
        ]);
        assert_eq!(code, 2, "{flag}: {out}");
        assert!(out.contains("DOCTYPE"), "{flag}: {out}");
        assert!(!out.contains(MARKER), "{flag}: {out}");
    }
}

#[test]
fn idp_metadata_billion_laughs_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let md = write(
        dir.path(),
        "idp.xml",
        format!(
            "{BILLION_LAUGHS}<md:EntityDescriptor xmlns:md=\"{MD}\" entityID=\"&lol9;\"><md:IDPSSODescriptor/></md:EntityDescriptor>"
        ),
    );
    let started = Instant::now();
    let (code, out) = run_all(&[
        "saml",
        "fixtures/saml/entra-clean.xml",
        "--now",
        NOW,
        "--idp-metadata",
        &md,
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("DOCTYPE"), "{out}");
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn check_expectation_naming_hostile_metadata_never_reads_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let doctype = secret_and_doctype(dir.path());
    write(
        dir.path(),
        "idp.xml",
        format!(
            "{doctype}<md:EntityDescriptor xmlns:md=\"{MD}\" entityID=\"&x;\"><md:IDPSSODescriptor/></md:EntityDescriptor>"
        ),
    );
    let clean = std::fs::read("fixtures/saml/entra-clean.xml").unwrap();
    let fixture = write(dir.path(), "r.xml", clean);
    write(
        dir.path(),
        "r.xml.expect.toml",
        "idp_metadata = \"idp.xml\"\nnow = \"2026-03-10T09:16:00Z\"\n",
    );
    let (code, out) = run_all(&["check", &fixture]);
    assert_ne!(code, 0, "{out}");
    assert!(out.contains("DOCTYPE"), "{out}");
    assert!(!out.contains(MARKER), "{out}");
}

#[test]
fn adfs_xml_log_with_entities_never_reads_the_file_or_expands() {
    let dir = tempfile::tempdir().unwrap();
    let secret = write(dir.path(), "secret.txt", MARKER);
    // One DTD with the external entity and the billion laughs declarations, before the export.
    let laughs = BILLION_LAUGHS
        .trim_start_matches("<!DOCTYPE lolz [")
        .trim_end_matches("]>");
    let doctype = format!("<!DOCTYPE Events [<!ENTITY x SYSTEM \"file://{secret}\">{laughs}]>");
    let good = std::fs::read_to_string("fixtures/logs/adfs/wevtutil.xml").unwrap();
    // A hostile event uses both entities; the genuine events follow it.
    let event = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>411</EventID></System><EventData><Data>&x;</Data><Data>&lol9;</Data></EventData></Event>";
    let hostile = good.replacen(
        "<Events>",
        &format!("<?xml version=\"1.0\"?>{doctype}\n<Events>\n{event}"),
        1,
    );
    assert!(hostile.contains("<!ENTITY lol9"));
    let log = write(dir.path(), "adfs.xml", &hostile);
    let events = dir.path().join("events.ndjson");
    let started = Instant::now();
    let (code, out) = run_all(&[
        "logs",
        "--format",
        "json",
        "--events",
        events.to_str().unwrap(),
        &log,
    ]);
    assert!(started.elapsed() < Duration::from_secs(20));
    assert_ne!(code, 2, "{out}");
    let written = std::fs::read_to_string(&events).unwrap();
    assert!(!out.contains(MARKER) && !written.contains(MARKER), "{out}");
    let report: serde_json::Value = serde_json::from_str(&out[..out.rfind('}').unwrap() + 1])
        .unwrap_or_else(|e| panic!("{e}: {out}"));
    // The hostile event is malformed (undeclared entity), the genuine ones are still counted.
    assert_eq!(report["malformed"]["count"], 1, "{out}");
    assert!(
        report["malformed"]["first"][0]["error"]
            .as_str()
            .unwrap()
            .contains("undeclared entity"),
        "{out}"
    );
    assert!(report["events_total"].as_u64().unwrap() > 0, "{out}");
}

// ---- directory walks ----

#[cfg(unix)]
#[test]
fn symlink_loops_in_input_directories_are_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let logs = dir.path().join("logs");
    std::fs::create_dir_all(logs.join("a")).unwrap();
    std::fs::copy(
        "fixtures/logs/okta/system-log.ndjson",
        logs.join("a/system-log.ndjson"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&logs, logs.join("a/back")).unwrap();
    let (code, out) = run_all(&["logs", logs.to_str().unwrap()]);
    assert_ne!(code, 2, "{out}");
    assert!(out.contains("from 1 file"), "{out}");

    let fixtures = dir.path().join("fixtures");
    std::fs::create_dir_all(fixtures.join("a")).unwrap();
    std::fs::copy("fixtures/saml/entra-clean.xml", fixtures.join("a/r.xml")).unwrap();
    std::fs::copy("fixtures/saml/entra.toml", fixtures.join("a/entra.toml")).unwrap();
    std::fs::write(
        fixtures.join("a/r.xml.expect.toml"),
        "config = \"entra.toml\"\nnow = \"2026-03-10T09:16:00Z\"\nmust = [\"SD705\"]\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&fixtures, fixtures.join("a/back")).unwrap();
    let (code, out) = run_all(&["check", fixtures.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("fixtures: 1 pass, 0 fail"), "{out}");
}

// ---- terminal escape sequences in values ----

#[test]
fn control_characters_never_reach_the_terminal() {
    let clean = std::fs::read_to_string("fixtures/saml/entra-clean.xml").unwrap();
    let issuer = "https://sts.windows.test/00000000-0000-4000-8000-0000000000a1/</Issuer>";
    for hostile in [
        "https://evil.test/&#x1b;]0;pwned&#x7;&#x1b;[2J</Issuer>",
        "https://evil.test/\u{1b}[2J</Issuer>",
    ] {
        let xml = clean.replacen(issuer, hostile, 1);
        let out = sso()
            .args([
                "saml",
                "-",
                "--now",
                NOW,
                "--config",
                "fixtures/saml/entra.toml",
            ])
            .write_stdin(xml)
            .output()
            .unwrap();
        let all = [out.stdout, out.stderr].concat();
        assert_eq!(out.status.code(), Some(2));
        assert!(!all.contains(&0x1b), "{}", String::from_utf8_lossy(&all));
        assert!(String::from_utf8_lossy(&all).contains("U+001B is not allowed"));
    }
    // Log values (JSON `\u001b` escapes) are shown escaped in the text report.
    let dir = tempfile::tempdir().unwrap();
    let log = std::fs::read_to_string("fixtures/logs/okta/system-log.ndjson")
        .unwrap()
        .replace("bob@example.com", "bob\\u001b[2J@example.com");
    let path = write(dir.path(), "esc.ndjson", log);
    let out = sso().args(["logs", &path]).output().unwrap();
    assert!(!out.stdout.contains(&0x1b));
    assert!(String::from_utf8_lossy(&out.stdout).contains("bob\\u{1b}[2j@example.com"));
}
