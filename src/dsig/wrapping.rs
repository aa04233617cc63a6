//! Structural security checks on a SAML message: signature wrapping (XSW1–8 and relatives),
//! several assertions, duplicate IDs, comment injection and dangling references.
//!
//! The results are plain data ([`WrappingIssue`]); the rules layer decides wording and severity.
//! "Covered" means a signature whose reference resolved to exactly one element and whose digest
//! matched: the check does not need a trusted certificate, so wrapping is found even when the IdP
//! certificate is not configured (the signature verdict itself comes from [`super::verify`]).

use super::reference::is_ancestor;
use super::verify::{DSIG_NS, Outcome, SignatureReport, element_id, element_ids};
use crate::xml::{Document, NodeId, NodeKind};

/// The SAML assertion namespace.
pub const SAML_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// The SAML protocol namespace.
pub const SAMLP_NS: &str = "urn:oasis:names:tc:SAML:2.0:protocol";

/// One structural finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WrappingIssue {
    /// The element SAML processing reads (`read`) is neither covered by a digest-checked
    /// signature nor inside a covered element, while other elements (`covered`) are: the
    /// signature was moved onto different content (XSW).
    SignedElementNotRead { read: NodeId, covered: Vec<NodeId> },
    /// An `Assertion` or `Response` sits where SAML data must not hide: under `ds:Signature`,
    /// `ds:Object`, `samlp:Extensions`, `saml:Advice`, `saml:AttributeValue`, inside another
    /// Assertion, or a Response that is not the document root. `container` is the nearest such
    /// ancestor and `container_name` its local name.
    HiddenElement {
        element: NodeId,
        container: NodeId,
        container_name: String,
    },
    /// More than one `saml:Assertion` (anywhere in the document); `assertions` in document order.
    SeveralAssertions { assertions: Vec<NodeId> },
    /// Several elements carry the same `ID`/`Id`/`id` value.
    DuplicateId { id: String, elements: Vec<NodeId> },
    /// A comment or processing instruction inside a value element (NameID, Issuer, Audience,
    /// AttributeValue): exclusive C14N without comments ignores it, so the signature still
    /// verifies while a naive reader may see only `first_text`.
    CommentInjection {
        element: NodeId,
        /// `NameID`, `Issuer`, `Audience` or `AttributeValue`.
        element_name: String,
        /// The text before the first comment/PI (what a first-text-node reader sees).
        first_text: String,
        /// All text, comments skipped (what the signature covers).
        full_text: String,
        /// True for a processing instruction, false for a comment.
        processing_instruction: bool,
    },
    /// A signature's Reference names an ID no element carries.
    ReferenceMissing { signature: NodeId, id: String },
    /// A signature's Reference does not name its parent's ID (foreign or wrapped reference).
    ReferenceNotParent {
        signature: NodeId,
        reference_id: String,
        parent_id: Option<String>,
    },
}

/// What the structural checks found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WrappingReport {
    /// The root, when it is a `samlp:Response`.
    pub read_response: Option<NodeId>,
    /// The assertion SAML rules read: the first `saml:Assertion` child of the root Response, or
    /// the root itself when it is an Assertion.
    pub read_assertion: Option<NodeId>,
    /// Elements covered by a signature whose digest matched.
    pub covered: Vec<NodeId>,
    /// Every `saml:EncryptedAssertion`, in document order (their content is checked after
    /// decryption, on the decrypted document).
    pub encrypted_assertions: Vec<NodeId>,
    pub issues: Vec<WrappingIssue>,
}

/// The assertion SAML processing reads (see [`WrappingReport::read_assertion`]).
pub fn read_assertion(doc: &Document) -> Option<NodeId> {
    if doc.is(doc.root, SAML_NS, "Assertion") {
        return Some(doc.root);
    }
    doc.child(doc.root, SAML_NS, "Assertion")
}

/// Runs every structural check; `signatures` comes from [`super::verify::verify_all`].
pub fn check(doc: &Document, signatures: &[SignatureReport]) -> WrappingReport {
    let mut report = WrappingReport {
        read_response: doc.is(doc.root, SAMLP_NS, "Response").then_some(doc.root),
        read_assertion: read_assertion(doc),
        ..WrappingReport::default()
    };
    let all: Vec<NodeId> = std::iter::once(doc.root)
        .chain(doc.descendants(doc.root))
        .collect();

    // Which element does each signature cover?
    for s in signatures {
        if s.digest_matched
            && let Some(e) = s.signed_element
            && !report.covered.contains(&e)
        {
            report.covered.push(e);
        }
    }
    let covered_or_inside = |n: NodeId| {
        report
            .covered
            .iter()
            .any(|&c| c == n || is_ancestor(doc, c, n))
    };
    if !report.covered.is_empty() {
        let read = report.read_assertion.or(report.read_response);
        if let Some(read) = read {
            let ok = covered_or_inside(read)
                || report
                    .read_response
                    .is_some_and(|r| report.covered.contains(&r));
            if !ok {
                report.issues.push(WrappingIssue::SignedElementNotRead {
                    read,
                    covered: report.covered.clone(),
                });
            }
        }
    }

    // One pass over the elements: assertions and responses in hiding places, IDs, comment
    // injection.
    let mut assertions: Vec<NodeId> = Vec::new();
    let mut ids: Vec<(&str, NodeId)> = Vec::new();
    // Reported after the other issues of this pass, as before it was one pass.
    let mut injections: Vec<WrappingIssue> = Vec::new();
    for &n in &all {
        let Some(e) = doc.element(n) else { continue };
        let in_saml = e.ns == Some(SAML_NS);
        let is_assertion = in_saml && e.local == "Assertion";
        let is_response = e.ns == Some(SAMLP_NS) && e.local == "Response";
        if is_assertion {
            assertions.push(n);
        }
        if in_saml && e.local == "EncryptedAssertion" {
            report.encrypted_assertions.push(n);
        }
        if is_assertion || is_response {
            hiding_place(doc, n, is_response, &mut report.issues);
        }
        ids.extend(element_ids(doc, n).map(|id| (id, n)));
        let watched =
            in_saml && matches!(e.local, "NameID" | "Issuer" | "Audience" | "AttributeValue");
        if watched {
            comment_injection(doc, n, e.local, &mut injections);
        }
    }
    if assertions.len() > 1 {
        report
            .issues
            .push(WrappingIssue::SeveralAssertions { assertions });
    }
    ids.sort_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(&b.1)));
    for group in ids.chunk_by(|a, b| a.0 == b.0) {
        if group.len() > 1 {
            report.issues.push(WrappingIssue::DuplicateId {
                id: group[0].0.to_string(),
                elements: group.iter().map(|g| g.1).collect(),
            });
        }
    }
    report.issues.append(&mut injections);

    // References.
    for s in signatures {
        if let Outcome::ReferenceNotFound(id) = &s.outcome {
            report.issues.push(WrappingIssue::ReferenceMissing {
                signature: s.signature,
                id: id.clone(),
            });
        }
        if let Some(rid) = &s.reference_id {
            let parent_id = s
                .parent
                .and_then(|p| element_id(doc, p))
                .map(str::to_string);
            let whole_doc = rid.is_empty() && s.parent == Some(doc.root);
            if parent_id.as_deref() != Some(rid.as_str()) && !whole_doc {
                report.issues.push(WrappingIssue::ReferenceNotParent {
                    signature: s.signature,
                    reference_id: rid.clone(),
                    parent_id,
                });
            }
        }
    }
    report
}

/// Reports an Assertion or Response `n` sitting inside a place SAML processing does not read.
fn hiding_place(doc: &Document, n: NodeId, is_response: bool, issues: &mut Vec<WrappingIssue>) {
    let mut cur = doc.nodes[n].parent;
    while let Some(a) = cur {
        let hiding = doc.is(a, DSIG_NS, "Signature")
            || doc.is(a, DSIG_NS, "Object")
            || doc.is(a, SAMLP_NS, "Extensions")
            || doc.is(a, SAML_NS, "Advice")
            || doc.is(a, SAML_NS, "AttributeValue")
            || doc.is(a, SAML_NS, "Assertion")
            || (is_response && doc.element(a).is_some());
        if hiding {
            let name = doc
                .element(a)
                .map(|e| e.local.to_string())
                .unwrap_or_default();
            issues.push(WrappingIssue::HiddenElement {
                element: n,
                container: a,
                container_name: name,
            });
            return;
        }
        cur = doc.nodes[a].parent;
    }
}

/// Reports a comment or processing instruction splitting the text of element `n`.
fn comment_injection(doc: &Document, n: NodeId, local: &str, issues: &mut Vec<WrappingIssue>) {
    if !doc.has_comment_or_pi(n) {
        return;
    }
    let mut first_text = String::new();
    for c in doc.children(n) {
        let pi = match doc.kind(c) {
            NodeKind::Comment(_) => false,
            NodeKind::Pi(_) => true,
            NodeKind::Text(t) => {
                first_text.push_str(t);
                continue;
            }
            NodeKind::Element(_) => continue,
        };
        issues.push(WrappingIssue::CommentInjection {
            element: n,
            element_name: local.to_string(),
            first_text,
            full_text: doc.text(n),
            processing_instruction: pi,
        });
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn run(xml: &str) -> (Document, WrappingReport) {
        let d = Document::parse(xml, &Limits::default()).unwrap();
        let sigs = super::super::verify::verify_all(&d, &[]);
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
                "Advice",
                "<saml:Assertion ID=\"a\"><saml:Advice><saml:Assertion ID=\"b\"/></saml:Advice></saml:Assertion>",
            ),
            (
                "Extensions",
                "<samlp:Extensions><saml:Assertion ID=\"b\"/></samlp:Extensions>",
            ),
            (
                "Object",
                "<ds:Signature><ds:Object><saml:Assertion ID=\"b\"/></ds:Object></ds:Signature>",
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
                processing_instruction: true,
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
            r.issues.iter().any(
                |i| matches!(i, WrappingIssue::ReferenceMissing { id, .. } if id == "nowhere")
            )
        );
        assert!(r.issues.iter().any(|i| matches!(i, WrappingIssue::ReferenceNotParent { reference_id, parent_id, .. } if reference_id == "nowhere" && parent_id.as_deref() == Some("r1"))));
        let (_, r) = run(&format!("{HEAD}{}</samlp:Response>", sig("#r1")));
        assert!(r.issues.is_empty(), "{:#?}", r.issues);
        assert!(r.covered.is_empty(), "a dummy digest covers nothing");
        let (_, r) = run(&format!("{HEAD}{}</samlp:Response>", sig("")));
        assert!(r.issues.is_empty(), "{:#?}", r.issues);
    }
}
