//! Unit tests of the structural checks.
use super::*;
use crate::dsig::verify;
use crate::limits::Limits;

fn run(xml: &str) -> (Document, WrappingReport) {
    let d = Document::parse(xml, &Limits::default()).unwrap();
    let sigs = verify::verify_all(&d, &[]);
    let r = check(&d, &sigs);
    (d, r)
}

const HEAD: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" ID="r1">"#;

#[test]
fn read_assertion_is_the_first_assertion_child() {
    let (d, r) = run(&format!(
        "{HEAD}<saml:Assertion ID=\"a1\"/><saml:Assertion ID=\"a2\"/></samlp:Response>"
    ));
    assert_eq!(r.read_response, Some(d.root));
    assert_eq!(r.read_assertion.and_then(|a| d.attr(a, "ID")), Some("a1"));
    assert!(r.issues.iter().any(
        |i| matches!(i, WrappingIssue::SeveralAssertions { assertions } if assertions.len() == 2)
    ));
    let (d, r) =
        run(r#"<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="a"/>"#);
    assert_eq!(r.read_assertion, Some(d.root));
    assert_eq!(r.read_response, None);
    assert!(r.issues.is_empty());
}

#[test]
fn hiding_places() {
    for (container, xml) in [
        (
            "AttributeValue",
            "<saml:Assertion ID=\"a\"><saml:AttributeStatement><saml:Attribute><saml:AttributeValue><saml:Assertion ID=\"b\"/></saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion>",
        ),
        (
            "Extensions",
            "<samlp:Extensions><saml:Assertion ID=\"b\"/></samlp:Extensions>",
        ),
        (
            "Object",
            "<ds:Signature><ds:Object><saml:Assertion ID=\"b\"/></ds:Object></ds:Signature>",
        ),
        (
            "Extensions",
            "<Extensions xmlns=\"\"><saml:Assertion ID=\"b\"/></Extensions>",
        ),
        (
            "StatusDetail",
            "<samlp:Status><samlp:StatusCode Value=\"x\"/><samlp:StatusDetail><saml:Assertion ID=\"b\"/></samlp:StatusDetail></samlp:Status>",
        ),
        (
            "KeyInfo",
            "<ds:Signature><ds:KeyInfo><saml:Subject><saml:NameID>x@evil.test</saml:NameID></saml:Subject></ds:KeyInfo></ds:Signature>",
        ),
        (
            "X509Data",
            "<ds:Signature><ds:KeyInfo><ds:X509Data><NameID xmlns=\"urn:x\">x@evil.test</NameID></ds:X509Data></ds:KeyInfo></ds:Signature>",
        ),
        (
            "SignatureProperty",
            "<ds:Signature><ds:Object><ds:SignatureProperties><ds:SignatureProperty><saml:Attribute Name=\"email\"/></ds:SignatureProperty></ds:SignatureProperties></ds:Object></ds:Signature>",
        ),
    ] {
        let (_, r) = run(&format!("{HEAD}{xml}</samlp:Response>"));
        assert!(
            r.issues.iter().any(|i| matches!(i, WrappingIssue::HiddenElement { container_name, .. } if container_name == container)),
            "{container}: {:#?}",
            r.issues
        );
    }
}

#[test]
fn duplicate_ids_and_pi_injection() {
    let (_, r) = run(&format!(
        "{HEAD}<saml:Issuer>idp<?x y?>.test</saml:Issuer><saml:Assertion ID=\"r1\"><saml:Subject><saml:NameID>a@example.com</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>"
    ));
    assert!(r.issues.iter().any(|i| matches!(i, WrappingIssue::DuplicateId { id, elements } if id == "r1" && elements.len() == 2)));
    let pi = r.issues.iter().find_map(|i| match i {
        WrappingIssue::CommentInjection {
            element_name,
            first_text,
            full_text,
            split_by: SplitKind::ProcessingInstruction,
            ..
        } => Some((element_name.clone(), first_text.clone(), full_text.clone())),
        _ => None,
    });
    assert_eq!(pi, Some(("Issuer".into(), "idp".into(), "idp.test".into())));
    assert_eq!(
        r.issues
            .iter()
            .filter(|i| matches!(i, WrappingIssue::CommentInjection { .. }))
            .count(),
        1
    );
}

#[test]
fn references_to_missing_or_foreign_ids() {
    let sig = |uri: &str| {
        format!(
            "<ds:Signature><ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/><ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/><ds:Reference URI=\"{uri}\"><ds:DigestMethod Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>"
        )
    };
    let (_, r) = run(&format!("{HEAD}{}</samlp:Response>", sig("#nowhere")));
    assert!(
        r.issues
            .iter()
            .any(|i| matches!(i, WrappingIssue::ReferenceMissing { id, .. } if id == "nowhere"))
    );
    assert!(r.issues.iter().any(|i| matches!(i, WrappingIssue::ReferenceNotParent { reference_id, parent_id, .. } if reference_id == "nowhere" && parent_id.as_deref() == Some("r1"))));
    let (_, r) = run(&format!("{HEAD}{}</samlp:Response>", sig("#r1")));
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
    assert!(r.covered.is_empty(), "a dummy digest covers nothing");
    let (_, r) = run(&format!("{HEAD}{}</samlp:Response>", sig("")));
    assert!(r.issues.is_empty(), "{:#?}", r.issues);
}

#[test]
fn hidden_subtree_reported_once_at_its_top() {
    let (_, r) = run(&format!(
        "{HEAD}<ds:Signature><ds:KeyInfo><saml:Subject><saml:NameID>x@evil.test</saml:NameID></saml:Subject></ds:KeyInfo></ds:Signature></samlp:Response>"
    ));
    let hidden = r
        .issues
        .iter()
        .filter(|i| matches!(i, WrappingIssue::HiddenElement { .. }))
        .count();
    assert_eq!(hidden, 1, "{:#?}", r.issues);
}

#[test]
fn advice_assertion_and_schema_children_are_fine() {
    let (_, r) = run(&format!(
        "{HEAD}<saml:Issuer>i</saml:Issuer><samlp:Status><samlp:StatusCode Value=\"x\"/></samlp:Status><saml:Assertion ID=\"a\"><saml:Issuer>i</saml:Issuer><saml:Subject/><saml:Conditions/><saml:Advice><saml:Assertion ID=\"b\"/></saml:Advice><saml:AuthnStatement/><saml:AttributeStatement/></saml:Assertion></samlp:Response>"
    ));
    assert!(
        !r.issues.iter().any(|i| matches!(
            i,
            WrappingIssue::HiddenElement { .. } | WrappingIssue::UnexpectedChild { .. }
        )),
        "{:#?}",
        r.issues
    );
}

#[test]
fn look_alikes_and_unexpected_children() {
    let (d, r) = run(&format!(
        "{HEAD}<Assertion xmlns=\"urn:oasis:names:tc:SAML:1.0:assertion\" ID=\"s1\"/><Assertion xmlns=\"\" ID=\"n1\"/><saml:Assertion ID=\"a\"><saml:Subject/><saml:Subject/><saml:Foo/><saml:EncryptedAssertion/></saml:Assertion><samlp:Bar/></samlp:Response>"
    ));
    let looks: Vec<(Option<String>, bool)> = r
        .issues
        .iter()
        .filter_map(|i| match i {
            WrappingIssue::LookAlike {
                namespace,
                before_read,
                ..
            } => Some((namespace.clone(), *before_read)),
            _ => None,
        })
        .collect();
    assert_eq!(
        looks,
        vec![(Some(SAML1_ASSERTION_NS.to_string()), true), (None, true)]
    );
    let unexpected: Vec<(String, bool)> = r
        .issues
        .iter()
        .filter_map(|i| match i {
            WrappingIssue::UnexpectedChild {
                child, repeated, ..
            } => Some((d.element(*child).unwrap().local.to_string(), *repeated)),
            _ => None,
        })
        .collect();
    assert_eq!(
        unexpected,
        vec![
            ("Bar".to_string(), false),
            ("Subject".to_string(), true),
            ("Foo".to_string(), false),
            ("EncryptedAssertion".to_string(), false)
        ]
    );
}

#[test]
fn cdata_and_element_splits() {
    let split = |value: &str| {
        let (_, r) = run(&format!(
            "{HEAD}<saml:Assertion ID=\"a\"><saml:Subject><saml:NameID>{value}</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>"
        ));
        r.issues.iter().find_map(|i| match i {
            WrappingIssue::CommentInjection {
                first_text,
                full_text,
                split_by,
                ..
            } => Some((first_text.clone(), full_text.clone(), *split_by)),
            _ => None,
        })
    };
    assert_eq!(
        split("admin@x<![CDATA[]]>.evil.test"),
        Some((
            "admin@x".into(),
            "admin@x.evil.test".into(),
            SplitKind::Cdata
        ))
    );
    assert_eq!(
        split("<![CDATA[admin@x]]>.evil.test"),
        Some((
            "admin@x".into(),
            "admin@x.evil.test".into(),
            SplitKind::Cdata
        ))
    );
    assert_eq!(
        split("a&amp;b<![CDATA[c]]>"),
        Some(("a&b".into(), "a&bc".into(), SplitKind::Cdata))
    );
    assert_eq!(
        split("admin@x<b/>.evil.test").map(|s| s.2),
        Some(SplitKind::Element)
    );
    assert_eq!(split("<![CDATA[whole@example.com]]>"), None);
    assert_eq!(split("plain@example.com"), None);
}

#[test]
fn several_assertions_without_a_verified_signature() {
    let (_, r) = run(&format!(
        "{HEAD}<saml:Assertion ID=\"a1\"/><saml:EncryptedAssertion/></samlp:Response>"
    ));
    assert!(r.issues.iter().any(|i| matches!(
        i,
        WrappingIssue::UnverifiedAssertions { assertions, readable: 2, any_verified: false } if assertions.len() == 2
    )));
    let (d, _) = run(&format!(
        "{HEAD}<saml:Assertion ID=\"a1\"/><saml:Assertion ID=\"a2\"/></samlp:Response>"
    ));
    let sigs = verify::verify_all(&d, &[]);
    let r = check_with(&d, &sigs, &[d.root]);
    assert!(
        !r.issues
            .iter()
            .any(|i| matches!(i, WrappingIssue::UnverifiedAssertions { .. })),
        "a verified Response signature covers both"
    );
}

#[test]
fn many_issues_of_one_kind_are_capped_with_a_count() {
    let hidden = "<saml:NameID>x@evil.test</saml:NameID>".repeat(100);
    let (_, r) = run(&format!(
        "{HEAD}<ds:Signature><ds:KeyInfo>{hidden}</ds:KeyInfo></ds:Signature></samlp:Response>"
    ));
    let listed = r
        .issues
        .iter()
        .filter(|i| matches!(i, WrappingIssue::HiddenElement { .. }))
        .count();
    assert_eq!(listed, MAX_LISTED);
    let more: Vec<usize> = r
        .issues
        .iter()
        .filter_map(|i| match i {
            WrappingIssue::More { omitted, like } => {
                assert!(matches!(**like, WrappingIssue::HiddenElement { .. }));
                Some(*omitted)
            }
            _ => None,
        })
        .collect();
    assert_eq!(more, vec![100 - MAX_LISTED]);
}
