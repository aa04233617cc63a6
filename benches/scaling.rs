//! Scaling bench (issue 22, algorithmic-complexity DoS): every hostile generator at 1×, 2× and 4×
//! its base size, through the library in process, with the growth factor per doubling. Linear
//! work doubles (≈2×); the goal is ≤ 3× per doubling for every case and no input inside the
//! limits taking more than a few seconds. The verdict uses √(4×/1×), the growth per doubling
//! over the whole range, because a single step's ratio of millisecond figures is noise-prone on
//! a shared machine; both single steps are printed beside it. "parse only" rows split the XML
//! builder's share from the signature work.
//!
//! ```text
//! cargo bench --bench scaling                 # every case
//! cargo bench --bench scaling -- prefix har   # the cases whose name contains a word
//! ```
//!
//! Each figure is the fastest of several runs (at least 5, or as many as fit in ~0.5 s), so a
//! loaded machine inflates figures less than it would a mean. The generators build synthetic
//! messages on reserved names (example.com, *.test); signatures carry wrong digests or values on
//! purpose, since the canonicalization and reference work an attacker can cause happens before
//! any key decides anything.

use base64::Engine;
use sso_doctor::analyze::{Input, RunOptions, analyze};
use sso_doctor::dsig::decrypt::{self, SpKey};
use sso_doctor::dsig::verify::{self, Cert};
use sso_doctor::dsig::wrapping;
use sso_doctor::limits::Limits;
use sso_doctor::settings::Settings;
use sso_doctor::xml::Document;
use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

const SAMLP: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
const SAML: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
const DS: &str = "http://www.w3.org/2000/09/xmldsig#";
const EXC: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

fn fixture(rel: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A `ds:Signature` over `#_a` with the given transforms and c14n PrefixList.
fn signature(references: usize, transforms: &str) -> String {
    let mut s = format!(
        "<ds:Signature xmlns:ds=\"{DS}\"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"{EXC}\"/>\
         <ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>"
    );
    for _ in 0..references {
        write!(
            s,
            "<ds:Reference URI=\"#_a\"><ds:Transforms>{transforms}</ds:Transforms>\
             <ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>\
             <ds:DigestValue>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=</ds:DigestValue></ds:Reference>"
        )
        .unwrap();
    }
    s.push_str("</ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>");
    s
}

fn exc_transform(prefix_list: &str) -> String {
    let list = if prefix_list.is_empty() {
        String::new()
    } else {
        format!("<ec:InclusiveNamespaces xmlns:ec=\"{EXC}\" PrefixList=\"{prefix_list}\"/>")
    };
    format!(
        "<ds:Transform Algorithm=\"{ENVELOPED}\"/><ds:Transform Algorithm=\"{EXC}\">{list}</ds:Transform>"
    )
}

/// A Response whose assertion `_a` holds `sig` and then `body`; `root_decls` go on the Response.
fn response(root_decls: &str, sig: &str, body: &str) -> String {
    format!(
        "<samlp:Response xmlns:samlp=\"{SAMLP}\" xmlns:saml=\"{SAML}\"{root_decls} ID=\"_r\" Version=\"2.0\" \
         IssueInstant=\"2026-01-01T00:00:00Z\"><saml:Issuer>https://idp.example.com</saml:Issuer>\
         <samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/></samlp:Status>\
         <saml:Assertion ID=\"_a\" Version=\"2.0\" IssueInstant=\"2026-01-01T00:00:00Z\">\
         <saml:Issuer>https://idp.example.com</saml:Issuer>{sig}{body}</saml:Assertion></samlp:Response>"
    )
}

// ---- generators: each takes the scale (1, 2, 4) and returns the input and a size note ----

/// Exclusive C14N with a PrefixList naming every one of N prefixes, declared 250 to an element
/// (the attribute limit counts declarations) on nested wrappers around E elements.
fn gen_prefix_list(k: usize) -> (String, String) {
    let n = 2500 * k;
    let e = 1000 * k;
    let mut list = String::new();
    let mut body = String::new();
    let mut depth = 0;
    for i in 0..n {
        if i % 250 == 0 {
            if i > 0 {
                body.push('>');
            }
            body.push_str("<saml:Advice");
            depth += 1;
        }
        write!(body, " xmlns:p{i}=\"urn:example:p{i}\"").unwrap();
        write!(list, "p{i} ").unwrap();
    }
    body.push('>');
    list.push_str("#default");
    for i in 0..e {
        write!(body, "<saml:AttributeValue>v{i}</saml:AttributeValue>").unwrap();
    }
    body.push_str(&"</saml:Advice>".repeat(depth));
    let xml = response("", &signature(1, &exc_transform(&list)), &body);
    (xml, format!("{n} prefixes, {e} elements"))
}

/// The same PrefixList, with prefixes nobody declares (the issue's 60 KB example shape).
fn gen_prefix_list_undeclared(k: usize) -> (String, String) {
    let n = 2500 * k;
    let e = 1000 * k;
    let list: Vec<String> = (0..n).map(|i| format!("u{i}")).collect();
    let mut body = String::new();
    for i in 0..e {
        write!(body, "<saml:AttributeValue>v{i}</saml:AttributeValue>").unwrap();
    }
    let xml = response("", &signature(1, &exc_transform(&list.join(" "))), &body);
    (xml, format!("{n} prefixes, {e} elements"))
}

/// Many signatures (past the cap of 16), each with several References, all to one element.
fn gen_references(k: usize) -> (String, String) {
    let sigs = 250 * k;
    let mut body = String::new();
    for _ in 0..sigs {
        body.push_str(&signature(8, &exc_transform("")));
    }
    let xml = response("", &signature(1, &exc_transform("")), &body);
    (xml, format!("{sigs} signatures × 8 references"))
}

/// One Reference with thousands of transforms.
fn gen_transforms(k: usize) -> (String, String) {
    let t = 20_000 * k;
    let transforms =
        format!("<ds:Transform Algorithm=\"{ENVELOPED}\"/>").repeat(t) + &exc_transform("");
    let xml = response("", &signature(1, &transforms), "<saml:Subject/>");
    (xml, format!("{t} transforms"))
}

/// Nested elements declaring 255 prefixes each, wide leaves using them (signed subtree).
fn gen_namespaces(k: usize) -> (String, String) {
    let depth = 30 * k;
    let leaves = 1000 * k;
    let mut body = String::new();
    for d in 0..depth {
        body.push_str("<saml:Advice");
        for p in 0..255 {
            write!(body, " xmlns:n{p}=\"urn:example:{d}:{p}\"").unwrap();
        }
        body.push('>');
    }
    for i in 0..leaves {
        let p = i % 255;
        write!(body, "<n{p}:leaf n{p}:a=\"{i}\"/>").unwrap();
    }
    body.push_str(&"</saml:Advice>".repeat(depth));
    let xml = response("", &signature(1, &exc_transform("")), &body);
    (
        xml,
        format!("{depth} levels × 255 prefixes, {leaves} leaves"),
    )
}

/// Thousands of elements with IDs, duplicates among them, one signature.
fn gen_ids(k: usize) -> (String, String) {
    let e = 20_000 * k;
    let mut body = String::new();
    for i in 0..e {
        // Every tenth ID repeats the previous one: duplicate-ID detection has work to do.
        let id = if i % 10 == 9 { i - 1 } else { i };
        write!(
            body,
            "<saml:Attribute ID=\"_i{id}\" Id=\"_j{i}\" id=\"_k{i}\"/>"
        )
        .unwrap();
    }
    let xml = response("", &signature(1, &exc_transform("")), &body);
    (xml, format!("{e} elements with 3 ID attributes"))
}

/// Elements at the attribute limit (256), prefixed and `xml:*` attributes mixed.
fn gen_attributes(k: usize) -> (String, String) {
    let e = 250 * k;
    let mut decls = String::new();
    for p in 0..16 {
        write!(decls, " xmlns:q{p}=\"urn:example:q{p}\"").unwrap();
    }
    let mut body = String::new();
    for i in 0..e {
        body.push_str("<saml:Attribute xml:lang=\"en\"");
        for a in 0..255 {
            write!(body, " q{}:a{a}=\"{i}\"", a % 16).unwrap();
        }
        body.push_str("/>");
    }
    let xml = response(&decls, &signature(1, &exc_transform("q1 q2 q3")), &body);
    (xml, format!("{e} elements × 256 attributes"))
}

/// An EncryptedAssertion offering N EncryptedKeys (none for our key) and N RetrievalMethods.
fn gen_encrypted_keys(k: usize) -> (String, String) {
    let n = 500 * k;
    let xenc = "http://www.w3.org/2001/04/xmlenc#";
    let garbage = base64::engine::general_purpose::STANDARD.encode([7u8; 256]);
    let mut keys = String::new();
    let mut methods = String::new();
    for i in 0..n {
        write!(
            keys,
            "<xenc:EncryptedKey Id=\"_k{i}\"><xenc:EncryptionMethod Algorithm=\"{xenc}rsa-1_5\"/>\
             <xenc:CipherData><xenc:CipherValue>{garbage}</xenc:CipherValue></xenc:CipherData></xenc:EncryptedKey>"
        )
        .unwrap();
        write!(methods, "<ds:RetrievalMethod URI=\"#_k{i}\"/>").unwrap();
    }
    let xml = format!(
        "<samlp:Response xmlns:samlp=\"{SAMLP}\" xmlns:saml=\"{SAML}\" xmlns:xenc=\"{xenc}\" xmlns:ds=\"{DS}\" ID=\"_r\">\
         <saml:EncryptedAssertion><xenc:EncryptedData><xenc:EncryptionMethod Algorithm=\"{xenc}aes128-cbc\"/>\
         <ds:KeyInfo>{methods}</ds:KeyInfo><xenc:CipherData><xenc:CipherValue>{garbage}</xenc:CipherValue>\
         </xenc:CipherData></xenc:EncryptedData>{keys}</saml:EncryptedAssertion></samlp:Response>"
    );
    (xml, format!("{n} EncryptedKeys + {n} RetrievalMethods"))
}

/// A HAR with N AuthnRequests and N Responses answering none of them.
fn gen_har(k: usize) -> (String, String) {
    let n = 150 * k;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut entries = Vec::new();
    for i in 0..n {
        let request = format!(
            "<samlp:AuthnRequest xmlns:samlp=\"{SAMLP}\" xmlns:saml=\"{SAML}\" ID=\"_req{i:06}\" Version=\"2.0\" \
             IssueInstant=\"2026-01-01T00:00:00Z\" Destination=\"https://idp.example.com/sso\" \
             AssertionConsumerServiceURL=\"https://acme.kinde.test/login/saml/callback\">\
             <saml:Issuer>https://acme.kinde.test</saml:Issuer></samlp:AuthnRequest>"
        );
        let response = format!(
            "<samlp:Response xmlns:samlp=\"{SAMLP}\" xmlns:saml=\"{SAML}\" ID=\"_resp{i:06}\" Version=\"2.0\" \
             IssueInstant=\"2026-01-01T00:00:00Z\" InResponseTo=\"_other{i:06}\" \
             Destination=\"https://acme.kinde.test/login/saml/callback\"><saml:Issuer>https://idp.example.com</saml:Issuer>\
             <samlp:Status><samlp:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Requester\"/></samlp:Status>\
             </samlp:Response>"
        );
        for (field, xml) in [("SAMLRequest", request), ("SAMLResponse", response)] {
            let body = format!(
                "{field}={}",
                b64.encode(xml).replace('+', "%2B").replace('=', "%3D")
            );
            entries.push(serde_json::json!({
                "startedDateTime": "2026-01-01T00:00:00.000Z",
                "request": {
                    "method": "POST",
                    "url": "https://acme.kinde.test/login/saml/callback",
                    "headers": [],
                    "postData": {"mimeType": "application/x-www-form-urlencoded", "text": body}
                },
                "response": {"status": 200, "headers": [], "content": {"size": 0, "mimeType": "text/html"}}
            }));
        }
    }
    let har = serde_json::json!({"log": {"version": "1.2", "creator": {"name": "bench", "version": "1"}, "entries": entries}});
    (
        har.to_string(),
        format!("{n} requests + {n} unmatched responses"),
    )
}

// ---- measured operations ----

struct Env {
    certs: Vec<Cert>,
    sp_key: SpKey,
    limits: Limits,
}

/// Parse, verify every signature, run the wrapping checks: the unauthenticated signature work.
fn signature_work(env: &Env, xml: &str) -> usize {
    let doc = Document::parse(xml, &env.limits).expect("generator output parses");
    let reports = verify::verify_all_with(&doc, &env.certs);
    let structure = wrapping::check(&doc, &reports);
    reports.len() + structure.issues.len()
}

/// Parsing alone, to tell the XML builder's share from the signature work's.
fn parse_only(env: &Env, xml: &str) -> usize {
    Document::parse(xml, &env.limits)
        .expect("generator output parses")
        .nodes
        .len()
}

fn decryption_work(env: &Env, xml: &str) -> usize {
    let doc = Document::parse(xml, &env.limits).expect("generator output parses");
    decrypt::decrypt_all(&doc, &env.sp_key)
        .iter()
        .filter(|(_, r)| r.is_err())
        .count()
}

/// Whole analysis plus the JSON report; returns the report's size.
fn capture_work(env: &Env, har: &str) -> usize {
    let settings = Settings::default();
    let opts = RunOptions {
        settings: &settings,
        now: None,
        now_source: "bench",
        limits: env.limits,
    };
    let input = Input {
        name: "capture.har".into(),
        bytes: har.as_bytes().to_vec(),
    };
    let analysis = analyze(&[input], &opts);
    assert!(
        analysis.messages.len() >= 2,
        "{:?}",
        analysis.errors.first()
    );
    sso_doctor::report::json::render(&analysis).len()
}

type Generator = fn(usize) -> (String, String);
type Work = fn(&Env, &str) -> usize;

/// Each XML case twice: the whole unauthenticated signature work (parse, verify, wrapping
/// checks), then parsing alone, so that a slow row says which layer is to blame.
const CASES: &[(&str, Generator, Work)] = &[
    ("prefix-list (declared)", gen_prefix_list, signature_work),
    ("  parse only", gen_prefix_list, parse_only),
    (
        "prefix-list (undeclared)",
        gen_prefix_list_undeclared,
        signature_work,
    ),
    ("  parse only", gen_prefix_list_undeclared, parse_only),
    ("many references", gen_references, signature_work),
    ("  parse only", gen_references, parse_only),
    ("many transforms", gen_transforms, signature_work),
    ("  parse only", gen_transforms, parse_only),
    ("deep/wide namespaces", gen_namespaces, signature_work),
    ("  parse only", gen_namespaces, parse_only),
    ("many IDs", gen_ids, signature_work),
    ("  parse only", gen_ids, parse_only),
    ("many attributes", gen_attributes, signature_work),
    ("  parse only", gen_attributes, parse_only),
    ("many EncryptedKeys", gen_encrypted_keys, decryption_work),
    ("HAR cross-product", gen_har, capture_work),
];

fn time(env: &Env, work: Work, input: &str) -> (Duration, usize) {
    let mut best = Duration::MAX;
    let mut out = 0;
    let started = Instant::now();
    let mut runs = 0;
    while runs < 5 || (started.elapsed() < Duration::from_millis(500) && runs < 50) {
        let t = Instant::now();
        out = black_box(work(env, black_box(input)));
        best = best.min(t.elapsed());
        runs += 1;
        if best > Duration::from_secs(5) {
            break; // one very slow run says enough
        }
    }
    (best, out)
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let env = Env {
        certs: vec![Cert::parse(&fixture("fixtures/keys/idp-rsa.crt")).unwrap()],
        sp_key: SpKey::parse(&fixture("fixtures/keys/sp-rsa.key")).unwrap(),
        limits: Limits::default(),
    };
    println!(
        "{:<26} {:>10} {:>10} {:>10} {:>7} {:>7} {:>7}  {:<6} size at 1× (input bytes at 4×)",
        "case", "1×", "2×", "4×", "2×/1×", "4×/2×", "√(4×/1×)", "verdict"
    );
    let mut worst: f64 = 0.0;
    let mut shown_last = false;
    for (name, generate, work) in CASES {
        // A "parse only" row follows its case.
        if !name.starts_with(' ') {
            shown_last = filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()));
        }
        if !shown_last {
            continue;
        }
        let mut times = Vec::new();
        let mut note = String::new();
        let mut bytes = 0;
        for k in [1, 2, 4] {
            let (input, size) = generate(k);
            if k == 1 {
                note = size;
            }
            bytes = input.len();
            times.push(time(&env, *work, &input).0);
        }
        let secs: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
        let g1 = secs[1] / secs[0].max(1e-9);
        let g2 = secs[2] / secs[1].max(1e-9);
        // Per doubling over the whole range: one step's factor is at the mercy of the scheduler
        // on a shared machine (a few ms of preemption doubles a 5 ms figure), the 1×→4× ratio
        // much less so. Both steps are printed.
        let overall = (secs[2] / secs[0].max(1e-9)).sqrt();
        let ok = overall <= 3.0 && secs[2] < 3.0;
        worst = worst.max(overall);
        println!(
            "{name:<26} {:>10} {:>10} {:>10} {g1:>6.2}× {g2:>6.2}× {overall:>6.2}×  {:<7} {note} ({bytes} B)",
            fmt(times[0]),
            fmt(times[1]),
            fmt(times[2]),
            if ok { "ok" } else { "SLOW" },
        );
    }
    println!("worst growth per doubling, √(4×/1×): {worst:.2}× (goal ≤ 3×)");
}

fn fmt(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 1.0 {
        format!("{s:.2} s")
    } else if s >= 1e-3 {
        format!("{:.2} ms", s * 1e3)
    } else {
        format!("{:.1} µs", s * 1e6)
    }
}
