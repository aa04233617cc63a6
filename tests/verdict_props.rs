//! Signature verdicts hold under edits (issue 13, "proof, not self-agreement"): for random edits
//! of signed responses (`fixtures/dsig`, verified with `fixtures/keys/idp-rsa.crt`), whenever a
//! signature still verifies and sso-doctor reports no error, the identity it reports — NameID,
//! email attribute values, Audience, assertion Issuer, Recipient and the assertion it reads — is
//! the one the IdP signed. Put the other way: an edit that changes what a reader of the report
//! would take as the user's identity must always come with an error.
//!
//! Edits are drawn from what the published attacks do (forged assertions, unsigned or signed with
//! an attacker key, placed at every element boundary; the genuine assertion moved; SAML content
//! put in hiding places; values split by comments, CDATA or processing instructions; duplicate
//! email attributes; whitespace in compared values) and from plain byte and text edits.
//! `PROPTEST_CASES` raises the number of cases (default 256).

#[path = "verdict/sign.rs"]
mod sign;

use proptest::prelude::*;
use sso_doctor::analyze::{Input, RunOptions, analyze};
use sso_doctor::finding::Severity;
use sso_doctor::limits::Limits;
use sso_doctor::settings::Settings;
use std::sync::OnceLock;

/// What a reader of the report takes as who signed in, to whom, from whom.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Identity {
    name_id: Option<String>,
    email: Vec<String>,
    audiences: Vec<String>,
    assertion_issuer: Option<String>,
    recipient: Option<String>,
    read_assertion: Option<String>,
}

/// The verdict of one run: identity, whether a signature verified, how many errors.
struct Verdict {
    identity: Identity,
    verified: bool,
    errors: Vec<&'static str>,
}

fn settings() -> &'static Settings {
    static S: OnceLock<Settings> = OnceLock::new();
    S.get_or_init(|| {
        Settings::from_file(&sign::root().join("fixtures/dsig/idp-rsa.toml")).expect("settings")
    })
}

/// Analyses `xml`; `None` when it is not a usable message.
fn verdict(xml: &str) -> Option<Verdict> {
    let now = sso_doctor::analyze::parse_now("2026-03-10T09:16:00Z").unwrap();
    let opts = RunOptions {
        settings: settings(),
        now: Some(now),
        now_source: "--now",
        limits: Limits::default(),
    };
    let input = Input {
        name: "mutated.xml".into(),
        bytes: xml.as_bytes().to_vec(),
    };
    let analysis = analyze(&[input], &opts);
    let m = analysis.messages.first()?;
    let s = m.summary();
    let email = s
        .attributes
        .iter()
        .filter(|a| a.name == "email" || a.name.ends_with("/emailaddress"))
        .flat_map(|a| a.values.clone())
        .collect();
    Some(Verdict {
        identity: Identity {
            name_id: s.name_id.clone(),
            email,
            audiences: s.audiences.clone(),
            assertion_issuer: s.assertion_issuer.clone(),
            recipient: s.recipient.clone(),
            read_assertion: m
                .message
                .assertions
                .first()
                .and_then(|a| a.id.as_ref())
                .map(|i| i.value.clone()),
        },
        verified: m.outcome.findings.iter().any(|f| f.code == "SD710"),
        errors: m
            .outcome
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .map(|f| f.code)
            .collect(),
    })
}

/// The signed bases: (file, its identity as the IdP signed it).
fn bases() -> &'static [(String, Identity)] {
    static B: OnceLock<Vec<(String, Identity)>> = OnceLock::new();
    B.get_or_init(|| {
        [
            "clean-assertion-signed.xml",
            "clean-response-signed.xml",
            "clean-both-signed.xml",
        ]
        .iter()
        .map(|f| {
            let xml = sign::read(&format!("fixtures/dsig/{f}"));
            let v = verdict(&xml).expect("base analyses");
            assert!(v.verified && v.errors.is_empty(), "{f}: {:?}", v.errors);
            (xml, v.identity)
        })
        .collect()
    })
}

/// Pieces of XML an attacker inserts.
fn pieces() -> &'static [String] {
    static P: OnceLock<Vec<String>> = OnceLock::new();
    P.get_or_init(|| {
        let evil = sign::assertion("_evil", sign::EVIL, sign::EVIL);
        let signed_evil = sign::sign(
            &sign::clean_except(&evil, "{ASIG}"),
            "{ASIG}",
            "_evil",
            &sign::signer("attacker-rsa"),
        );
        let ns = "xmlns=\"urn:oasis:names:tc:SAML:2.0:assertion\"";
        vec![
            sign::clean(&evil),
            signed_evil,
            format!("<Subject {ns}><NameID>{}</NameID></Subject>", sign::EVIL),
            format!("<NameID {ns}>{}</NameID>", sign::EVIL),
            format!(
                "<Assertion xmlns=\"urn:oasis:names:tc:SAML:1.0:assertion\" AssertionID=\"_s1\"><AttributeStatement><Subject><NameIdentifier>{}</NameIdentifier></Subject></AttributeStatement></Assertion>",
                sign::EVIL
            ),
            sign::clean(&evil).replace(ns, "xmlns=\"\""),
            format!(
                "<Attribute {ns} Name=\"email\"><AttributeValue>{}</AttributeValue></Attribute>",
                sign::EVIL
            ),
            format!(
                "<saml2:Attribute xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" Name=\"email\"><saml2:AttributeValue>{}</saml2:AttributeValue></saml2:Attribute>",
                sign::EVIL
            ),
            format!("<Extensions xmlns=\"\">{}</Extensions>", sign::clean(&evil)),
            "<!---->".into(),
            "<![CDATA[]]>".into(),
            "<?x y?>".into(),
            "<![CDATA[.evil.test]]>".into(),
            " ".into(),
        ]
    })
}

#[derive(Debug, Clone)]
enum Edit {
    /// Insert piece `piece` before the `at`-th `<` of the document (an element boundary).
    Insert { piece: usize, at: usize },
    /// Insert piece `piece` at character position `at` (anywhere, values included).
    InsertAnywhere { piece: usize, at: usize },
    /// Move the first signed element's subtree (Assertion or Response child) before the
    /// `at`-th `<`, optionally leaving the forged assertion in its place.
    MoveAssertion { at: usize, leave_forgery: bool },
    /// Replace the character at `at` by `with`.
    Byte { at: usize, with: char },
}

fn edit() -> impl Strategy<Value = Edit> {
    let n = pieces().len();
    prop_oneof![
        4 => (0..n, any::<usize>()).prop_map(|(piece, at)| Edit::Insert { piece, at }),
        2 => (0..n, any::<usize>()).prop_map(|(piece, at)| Edit::InsertAnywhere { piece, at }),
        2 => (any::<usize>(), any::<bool>()).prop_map(|(at, leave_forgery)| Edit::MoveAssertion { at, leave_forgery }),
        1 => (any::<usize>(), prop::sample::select(vec!['a', 'Z', '0', ' ', '"', '/', '<', '>', '=', '@']))
            .prop_map(|(at, with)| Edit::Byte { at, with }),
    ]
}

fn boundaries(xml: &str) -> Vec<usize> {
    xml.match_indices('<').map(|(i, _)| i).collect()
}

fn char_at(xml: &str, at: usize) -> usize {
    let chars: Vec<usize> = xml.char_indices().map(|(i, _)| i).collect();
    chars[at % chars.len()]
}

/// The span of the first `<Assertion`/`<saml2:Assertion` element (non-nested close assumed:
/// the bases hold one assertion).
fn assertion_span(xml: &str) -> Option<(usize, usize)> {
    let start = xml
        .find("<Assertion ")
        .or_else(|| xml.find("<saml2:Assertion "))?;
    let close = if xml[start..].starts_with("<saml2:") {
        "</saml2:Assertion>"
    } else {
        "</Assertion>"
    };
    let end = start + xml[start..].find(close)? + close.len();
    Some((start, end))
}

fn apply(xml: &str, e: &Edit) -> String {
    let mut out = xml.to_string();
    match e {
        Edit::Insert { piece, at } => {
            let b = boundaries(&out);
            out.insert_str(b[at % b.len()], &pieces()[*piece]);
        }
        Edit::InsertAnywhere { piece, at } => {
            let i = char_at(&out, *at);
            out.insert_str(i, &pieces()[*piece]);
        }
        Edit::MoveAssertion { at, leave_forgery } => {
            let Some((s, t)) = assertion_span(&out) else {
                return out;
            };
            let genuine = out[s..t].to_string();
            let filler = if *leave_forgery {
                pieces()[0].clone()
            } else {
                String::new()
            };
            out.replace_range(s..t, &filler);
            let b = boundaries(&out);
            out.insert_str(b[at % b.len()], &genuine);
        }
        Edit::Byte { at, with } => {
            let i = char_at(&out, *at);
            let len = out[i..].chars().next().map_or(0, char::len_utf8);
            out.replace_range(i..i + len, &with.to_string());
        }
    }
    out
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn a_clean_verified_verdict_reports_the_signed_identity(
        base in 0..3usize,
        edits in proptest::collection::vec(edit(), 1..4),
    ) {
        let (xml, signed) = &bases()[base];
        let mutated = edits.iter().fold(xml.clone(), |x, e| apply(&x, e));
        if let Some(v) = verdict(&mutated)
            && v.verified
            && v.errors.is_empty()
        {
            prop_assert_eq!(&v.identity, signed, "edits {:?} changed the identity with no error:\n{}", edits, mutated);
        }
    }
}

/// Two attacks as edits of a base: the signature still verifies and each is an error (the
/// property above could not hold without these errors: the forged assertion is what is read).
#[test]
fn known_attacks_change_the_identity_and_are_errors() {
    let (xml, signed) = &bases()[0];
    let evil_first = Edit::Insert {
        piece: 1,
        at: boundaries(xml)
            .iter()
            .position(|&i| xml[i..].starts_with("<Assertion"))
            .unwrap(),
    };
    let split = xml.replacen(
        &format!(">{}</NameID>", sign::USER),
        ">dana.reyes@example<![CDATA[]]>.com</NameID>",
        1,
    );
    let v = verdict(&apply(xml, &evil_first)).unwrap();
    assert!(v.verified, "the genuine signature still verifies");
    assert_ne!(v.identity, *signed, "the forged assertion is the one read");
    assert!(v.errors.contains(&"SD720"), "{:?}", v.errors);
    let v = verdict(&split).unwrap();
    assert!(v.verified, "C14N writes CDATA as text: the signature holds");
    assert!(v.errors.contains(&"SD722"), "{:?}", v.errors);
}
