//! Property tests for hostile input:
//!
//! * every parser answers arbitrary bytes with a value or an error, never a panic: the paste
//!   decoder, the XML reader, the SAML parser, each log source's record parser (JSON, CSV, XML),
//!   detection and framing, settings and expectation files, users snapshot and directory readers;
//! * findings do not depend on the order of XML attributes (namespace declarations included) on
//!   any element, nor on the order of `Attribute` elements in an `AttributeStatement`, both of
//!   which the SAML spec leaves free;
//! * log analysis gives the same aggregate whatever the chunk size and the rayon thread count,
//!   with or without malformed lines mixed in.

use proptest::prelude::*;
use sso_doctor::analyze::{Input, RunOptions, analyze};
use sso_doctor::limits::Limits;
use sso_doctor::logs::csvrow::{Headers, Row};
use sso_doctor::logs::detect;
use sso_doctor::logs::frame::{Framer, JsonStream, Ndjson, XmlEvents};
use sso_doctor::logs::{adfs, entra, google, ingest, kinde, okta, partial};
use sso_doctor::provision::directory::{DirectoryOptions, read_directory, read_events};
use sso_doctor::provision::users::{SnapshotFormat, UsersSnapshot};
use sso_doctor::settings::Settings;
use sso_doctor::xml::{Document, NodeId, NodeKind};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------
// Arbitrary bytes: Ok or Err, never a panic.
// ---------------------------------------------------------------------------------------------

/// Bytes that are sometimes random, sometimes text made of the characters the formats use.
fn hostile_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..1024),
        r#"[<>/=":,\[\]{}a-zA-Z0-9 \n\r\t&#;!?%+\-_.'\\]{0,600}"#.prop_map(String::into_bytes),
    ]
}

/// Fixture bytes cut at an arbitrary point and with an arbitrary byte overwritten.
fn mangled(files: &'static [&'static str]) -> impl Strategy<Value = Vec<u8>> {
    (
        0..files.len(),
        any::<prop::sample::Index>(),
        any::<prop::sample::Index>(),
        any::<u8>(),
    )
        .prop_map(move |(f, cut, at, byte)| {
            let mut data = std::fs::read(root().join(files[f])).unwrap();
            let cut = cut.index(data.len() + 1);
            data.truncate(cut);
            if !data.is_empty() {
                let i = at.index(data.len());
                data[i] = byte;
            }
            data
        })
}

const SAML_FILES: &[&str] = &[
    "fixtures/saml/entra-clean.xml",
    "fixtures/saml/okta-clean.xml",
    "fixtures/saml/form-deflate.b64",
    "fixtures/saml/capture.har",
    "fixtures/dsig/rsa-sha256-assertion-signed.xml",
    "fixtures/dsig/encrypted-assertion-gcm.xml",
    "fixtures/dsig/xsw3.xml",
];

const LOG_FILES: &[&str] = &[
    "fixtures/logs/entra/graph-beta.ndjson",
    "fixtures/logs/entra/la-signinlogs.csv",
    "fixtures/logs/entra/portal-InteractiveSignIns.csv",
    "fixtures/logs/okta/system-log.ndjson",
    "fixtures/logs/google/saml-activities.ndjson",
    "fixtures/logs/adfs/wevtutil.xml",
    "fixtures/logs/adfs/get-winevent.csv",
    "fixtures/logs/kinde/webhooks.json",
    "fixtures/logs/kinde/users-export.ndjson",
];

fn csv_rows(data: &[u8], mut f: impl FnMut(&Row<'_>)) {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(data);
    let Ok(names) = rdr.headers().cloned() else {
        return;
    };
    let headers = Headers::new(names.iter());
    let mut record = csv::StringRecord::new();
    while let Ok(true) = rdr.read_record(&mut record) {
        f(&Row::new(&headers, &record));
    }
}

fn every_log_parser(data: &[u8]) {
    let _ = entra::parse_json(data);
    let _ = okta::parse_json(data);
    let _ = google::parse_json(data);
    let _ = adfs::raw_from_xml(data).map(adfs::build);
    let users = HashMap::from([("kp_1".to_string(), "a@example.test".to_string())]);
    let _ = kinde::parse_json(data, &users);
    let _ = kinde::add_user(data, &mut HashMap::new());
    csv_rows(data, |row| {
        let _ = entra::parse_csv(row);
        let _ = adfs::raw_from_csv(row).map(adfs::build);
    });
    let _ = detect::detect(data, true);
    let _ = detect::detect(data, false);
    for mut framer in [
        Box::new(Ndjson::default()) as Box<dyn Framer>,
        Box::new(JsonStream::default()),
        Box::new(XmlEvents::default()),
    ] {
        let mut out = Vec::new();
        if let Ok(used) = framer.frame(data, true, &mut out) {
            assert!(used <= data.len());
            assert!(out.iter().all(|r| r.start <= r.end && r.end <= data.len()));
        }
    }
}

fn every_file_reader(dir: &Path, data: &[u8]) {
    for (name, format) in [
        ("u.json", Some(SnapshotFormat::ApiPages)),
        ("u.ndjson", Some(SnapshotFormat::ExportNdjson)),
        ("u.csv", Some(SnapshotFormat::ImportCsv)),
        ("u.dat", None),
    ] {
        let p = dir.join(name);
        std::fs::write(&p, data).unwrap();
        if let Err(e) = UsersSnapshot::default().read_file(&p, format) {
            assert!(!e.message.is_empty());
        }
    }
    let p = dir.join("d.csv");
    std::fs::write(&p, data).unwrap();
    let opts = DirectoryOptions {
        kind: None,
        email_column: None,
        id_column: None,
        email_attribute: "email".into(),
        sent_as: None,
    };
    let _ = read_directory(&p, &opts);
    let _ = read_events(&p, "email");
    let p = dir.join("x.xml.expect.toml");
    std::fs::write(&p, data).unwrap();
    if let Err(e) = sso_doctor::check::read_expectation(&p) {
        assert!(!e.0.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn decode_xml_and_saml_parse_never_panic(data in prop_oneof![hostile_bytes(), mangled(SAML_FILES)]) {
        let limits = Limits::default();
        let _ = sso_doctor::decode::decode(&data, &limits);
        let text = String::from_utf8_lossy(&data);
        if let Err(e) = Document::parse(&text, &limits) {
            prop_assert!(!e.message.is_empty());
        }
        let _ = sso_doctor::saml::parse_message(&text, &limits);
    }

    #[test]
    fn log_parsers_never_panic(data in prop_oneof![hostile_bytes(), mangled(LOG_FILES)]) {
        every_log_parser(&data);
    }

    #[test]
    fn settings_never_panic(text in prop_oneof![
        r#"[\[\]a-z_=". 0-9\n{},#'-]{0,300}"#,
        "\\[connection\\]\n(acs_url|sp_entity_id|clock_skew_seconds|idp_certificates|want_assertions_signed) = (\"[a-z:/.]{0,20}\"|[0-9]{1,25}|true|\\[\"x\"\\]|-1)\n",
    ]) {
        if let Err(e) = Settings::from_toml(&text, "p.toml") {
            prop_assert!(!e.to_string().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn file_readers_never_panic(data in prop_oneof![
        hostile_bytes(),
        mangled(&[
            "fixtures/provision/samples/users-page.json",
            "fixtures/provision/samples/users-export.ndjson",
            "fixtures/provision/samples/users-import.csv",
            "fixtures/provision/samples/entra-users.csv",
            "fixtures/provision/e2e/events.ndjson",
            "fixtures/saml/entra-clean.xml.expect.toml",
        ]),
    ]) {
        let dir = tempfile::tempdir().unwrap();
        every_file_reader(dir.path(), &data);
    }
}

// ---------------------------------------------------------------------------------------------
// Findings do not depend on attribute order or on Attribute element order.
// ---------------------------------------------------------------------------------------------

const SAML_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// A tiny deterministic shuffle (xorshift), so one `u64` from proptest picks every permutation.
struct Shuffler(u64);

impl Shuffler {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        if self.0 == 0 {
            return; // seed 0: document order
        }
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

fn escape(text: &str, attr: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' if !attr => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\t' if attr => out.push_str("&#9;"),
            '\n' if attr => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// Serialises `doc`, shuffling every element's attributes (namespace declarations mixed in) with
/// `attrs`, and the `Attribute` children of every `AttributeStatement` with `statements`.
/// Reordering elements changes what a signature digests (SD711 rightly says so), so those
/// comparisons leave `ds:Signature` elements out (`unsigned`); attribute order alone leaves
/// signatures intact because canonicalization sorts attributes.
fn serialise(
    doc: &Document,
    attrs: &mut Shuffler,
    statements: &mut Shuffler,
    unsigned: bool,
) -> String {
    fn walk(
        doc: &Document,
        id: NodeId,
        a: &mut Shuffler,
        s: &mut Shuffler,
        unsigned: bool,
        out: &mut String,
    ) {
        if unsigned && doc.is(id, DSIG_NS, "Signature") {
            return;
        }
        match doc.kind(id) {
            NodeKind::Text(t) => out.push_str(&escape(t, false)),
            NodeKind::Comment(c) => {
                out.push_str("<!--");
                out.push_str(c);
                out.push_str("-->");
            }
            NodeKind::Pi(p) => {
                out.push_str("<?");
                out.push_str(p);
                out.push_str("?>");
            }
            NodeKind::Element(e) => {
                let name = e.qname();
                let mut written: Vec<String> = e
                    .ns_decls()
                    .map(|(p, uri)| match p {
                        Some(p) => format!("xmlns:{p}=\"{}\"", escape(uri, true)),
                        None => format!("xmlns=\"{}\"", escape(uri, true)),
                    })
                    .chain(
                        e.attrs()
                            .map(|at| format!("{}=\"{}\"", at.qname(), escape(at.value, true))),
                    )
                    .collect();
                a.shuffle(&mut written);
                out.push('<');
                out.push_str(&name);
                for w in &written {
                    out.push(' ');
                    out.push_str(w);
                }
                out.push('>');
                let mut children: Vec<NodeId> = doc.children(id).collect();
                if doc.is(id, SAML_NS, "AttributeStatement") {
                    let slots: Vec<usize> = (0..children.len())
                        .filter(|&i| doc.is(children[i], SAML_NS, "Attribute"))
                        .collect();
                    let mut picked: Vec<NodeId> = slots.iter().map(|&i| children[i]).collect();
                    s.shuffle(&mut picked);
                    for (slot, node) in slots.into_iter().zip(picked) {
                        children[slot] = node;
                    }
                }
                for c in children {
                    walk(doc, c, a, s, unsigned, out);
                }
                out.push_str("</");
                out.push_str(&name);
                out.push('>');
            }
        }
    }
    let mut out = String::new();
    walk(doc, doc.root, attrs, statements, unsigned, &mut out);
    out
}

/// Sorted `code: message` of every finding for `xml` under `config`, at the fixtures' clock.
fn findings(xml: &str, config: &str) -> Vec<String> {
    let settings = Settings::from_file(&root().join("fixtures/saml").join(config)).unwrap();
    let opts = RunOptions {
        settings: &settings,
        now: Some(sso_doctor::time::parse_millis("2026-03-10T09:16:00Z").unwrap()),
        now_source: "test",
        limits: Limits::default(),
    };
    let analysis = analyze(
        &[Input {
            name: "x".into(),
            bytes: xml.as_bytes().to_vec(),
        }],
        &opts,
    );
    assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
    let mut out: Vec<String> = analysis
        .all_findings()
        .iter()
        .map(|f| format!("{}: {}", f.code, f.message))
        .collect();
    out.sort();
    out
}

const ORDER_CASES: &[(&str, &str)] = &[
    ("entra-clean.xml", "entra.toml"),
    ("acs-trailing-slash.xml", "entra.toml"),
    ("okta-clean.xml", "okta.toml"),
    ("upn-mail-disagree.xml", "entra.toml"),
    ("unsigned.xml", "entra.toml"),
    // Verified for real: attribute order must not break the signature (C14N sorts attributes).
    ("entra-clean-cert.xml", "entra-cert.toml"),
];

#[test]
fn serialiser_in_document_order_keeps_the_findings() {
    for (file, config) in ORDER_CASES {
        let text = std::fs::read_to_string(root().join("fixtures/saml").join(file)).unwrap();
        let doc = Document::parse(&text, &Limits::default()).unwrap();
        let same = serialise(&doc, &mut Shuffler(0), &mut Shuffler(0), false);
        assert_eq!(findings(&same, config), findings(&text, config), "{file}");
        // The shuffles really move things.
        let unsigned = serialise(&doc, &mut Shuffler(0), &mut Shuffler(0), true);
        assert!(
            (1..20)
                .any(|seed| serialise(&doc, &mut Shuffler(seed), &mut Shuffler(0), false) != same),
            "{file}"
        );
        assert!(
            (1..20).any(
                |seed| serialise(&doc, &mut Shuffler(0), &mut Shuffler(seed), true) != unsigned
            ),
            "{file}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn findings_ignore_attribute_and_attribute_element_order(
        case in 0..ORDER_CASES.len(),
        attr_seed in any::<u64>(),
        statement_seed in any::<u64>(),
    ) {
        let (file, config) = ORDER_CASES[case];
        let text = std::fs::read_to_string(root().join("fixtures/saml").join(file)).unwrap();
        let doc = Document::parse(&text, &Limits::default()).unwrap();
        let base = findings(&serialise(&doc, &mut Shuffler(0), &mut Shuffler(0), false), config);
        let attrs_only = serialise(&doc, &mut Shuffler(attr_seed), &mut Shuffler(0), false);
        prop_assert_eq!(&findings(&attrs_only, config), &base, "{} attributes", file);
        // Without signatures (see `serialise`), against the unsigned document in document order.
        let unsigned = findings(&serialise(&doc, &mut Shuffler(0), &mut Shuffler(0), true), config);
        let both = serialise(&doc, &mut Shuffler(attr_seed), &mut Shuffler(statement_seed), true);
        prop_assert_eq!(&findings(&both, config), &unsigned, "{} attributes and Attribute elements", file);
    }
}

// ---------------------------------------------------------------------------------------------
// Log analysis is independent of chunk boundaries and thread count.
// ---------------------------------------------------------------------------------------------

const AGG_FILES: &[&str] = &[
    "entra/graph-beta.ndjson",
    "entra/graph-pages.json",
    "entra/graph-array.json",
    "entra/storage-PT1H.json",
    "entra/la-signinlogs.json",
    "entra/la-signinlogs.csv",
    "okta/system-log.ndjson",
    "okta/logs-page.json",
    "google/saml-activities.json",
    "google/saml-activities.ndjson",
    "adfs/wevtutil.xml",
    "adfs/get-winevent.csv",
    "kinde/webhooks.json",
    "malformed/entra-bad-lines.ndjson",
];

/// The aggregate (as its partial JSON) of `path` read in `chunk`-byte chunks on `threads` threads.
fn aggregate(path: &Path, chunk: usize, threads: usize) -> String {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let inputs = ingest::expand(&[PathBuf::from(path)]).unwrap();
    let opts = ingest::Options {
        chunk_bytes: chunk,
        ..ingest::Options::default()
    };
    let out = pool.install(|| ingest::analyze(&inputs, &opts, None));
    assert!(out.errors.is_empty(), "{path:?}: {:?}", out.errors);
    partial::to_json(&out.aggregate)
}

/// `file` with `junk` lines inserted after line numbers picked by `at` (NDJSON only).
fn with_junk(text: &str, junk: &[(prop::sample::Index, String)]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for (at, line) in junk {
        let i = at.index(lines.len() + 1).max(1);
        lines.insert(i, line.clone());
    }
    lines.join("\n")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(40))]

    #[test]
    fn log_aggregate_ignores_chunk_size_and_threads(
        file in 0..AGG_FILES.len(),
        chunk in 64usize..6000,
        threads in 1usize..5,
    ) {
        let path = root().join("fixtures/logs").join(AGG_FILES[file]);
        let whole = aggregate(&path, 8 << 20, 1);
        prop_assert_eq!(aggregate(&path, chunk, threads), whole, "{}", AGG_FILES[file]);
    }

    #[test]
    fn malformed_lines_count_the_same_whatever_the_chunking(
        file in prop_oneof![Just("entra/graph-beta.ndjson"), Just("okta/system-log.ndjson"), Just("google/saml-activities.ndjson")],
        junk in proptest::collection::vec((any::<prop::sample::Index>(), r#"[{}\[\]":a-z0-9 ,]{1,80}"#), 0..6),
        chunk in 64usize..3000,
        threads in 1usize..5,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let text = std::fs::read_to_string(root().join("fixtures/logs").join(file)).unwrap();
        let path = dir.path().join("mixed.ndjson");
        std::fs::write(&path, with_junk(&text, &junk)).unwrap();
        let whole = aggregate(&path, 8 << 20, 1);
        prop_assert_eq!(aggregate(&path, chunk, threads), whole);
    }
}

// ---------------------------------------------------------------------------------------------
// Deep nesting in the non-XML formats: bounded by the parsers' recursion limits, an error.
// ---------------------------------------------------------------------------------------------

#[test]
fn deeply_nested_toml_and_json_are_errors_not_stack_overflows() {
    let deep_toml = format!(
        "[connection]\nacs_url = {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let err = Settings::from_toml(&deep_toml, "deep.toml").unwrap_err();
    assert!(err.to_string().contains("deep.toml"), "{err}");
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(entra::parse_json(deep_json.as_bytes()).is_err());
    assert!(okta::parse_json(deep_json.as_bytes()).is_err());
    assert!(google::parse_json(deep_json.as_bytes()).is_err());
    assert!(kinde::parse_json(deep_json.as_bytes(), &HashMap::new()).is_err());
    let record = format!(
        "{{\"id\":\"kp_1\",\"identities\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let dir = tempfile::tempdir().unwrap();
    for (name, data) in [("u.json", &deep_json), ("u.ndjson", &record)] {
        let p = dir.path().join(name);
        std::fs::write(&p, data).unwrap();
        assert!(
            UsersSnapshot::default().read_file(&p, None).is_err(),
            "{name}"
        );
    }
    // Through the whole logs pipeline: a malformed record, not a crash.
    let p = dir.path().join("deep.ndjson");
    let good =
        std::fs::read_to_string(root().join("fixtures/logs/okta/system-log.ndjson")).unwrap();
    let first = good.lines().next().unwrap();
    std::fs::write(&p, format!("{first}\n{{\"a\":{deep_json}}}\n")).unwrap();
    let out = ingest::analyze(
        &ingest::expand(&[p]).unwrap(),
        &ingest::Options::default(),
        None,
    );
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    assert_eq!(out.aggregate.malformed_count, 1);
}
