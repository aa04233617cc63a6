//! Structural issues put into words: the message and evidence of each [`WrappingIssue`].

use super::{Issue, IssueKind, anchor_of};
use crate::dsig::wrapping::WrappingIssue;
use crate::finding::Evidence;
use crate::saml::NS_ASSERTION;
use crate::xml::{Document, NodeId};

fn element_evidence(doc: &Document, label: &str, node: NodeId) -> Evidence {
    let id = crate::dsig::verify::element_id(doc, node).unwrap_or("(no ID)");
    Evidence::new(label, id, "").anchored(anchor_of(doc, node))
}

/// Words and evidence for a structural issue; `None` for issues other rules already report.
pub(super) fn describe(doc: &Document, issue: &WrappingIssue) -> Option<Issue> {
    let name = |n: NodeId| {
        doc.element(n)
            .map_or(String::new(), |e| e.local.to_string())
    };
    Some(match issue {
        WrappingIssue::SignedElementNotRead { read, covered } => {
            let mut evidence = vec![element_evidence(
                doc,
                &format!(
                    "{} that SAML processing reads (no verified signature)",
                    name(*read)
                ),
                *read,
            )];
            evidence.extend(
                covered.iter().map(|&c| {
                    element_evidence(doc, &format!("{} the signature covers", name(c)), c)
                }),
            );
            Issue {
                kind: IssueKind::Wrapping,
                message: format!(
                    "The signed {} is not the one that would be read: the signature was moved onto other content (signature wrapping)",
                    name(*read)
                ),
                evidence,
            }
        }
        WrappingIssue::HiddenElement {
            element,
            container,
            container_name,
        } => Issue {
            kind: IssueKind::Wrapping,
            message: format!(
                "An {} is hidden inside {container_name}, where no SAML data belongs (signature wrapping)",
                name(*element)
            ),
            evidence: vec![
                element_evidence(doc, &format!("hidden {}", name(*element)), *element),
                element_evidence(doc, container_name, *container),
            ],
        },
        WrappingIssue::DuplicateId { id, elements } => Issue {
            kind: IssueKind::DuplicateId,
            message: format!(
                "{} elements carry the same ID {id:?}; a signature reference to it is ambiguous",
                elements.len()
            ),
            evidence: elements
                .iter()
                .map(|&e| element_evidence(doc, &name(e), e))
                .collect(),
        },
        WrappingIssue::CommentInjection {
            element,
            element_name,
            first_text,
            full_text,
            split_by,
        } => Issue {
            kind: IssueKind::CommentInjection,
            message: format!(
                "A {} inside {element_name} splits its value: {full_text:?} is signed, a naive reader sees {first_text:?}",
                split_by.name()
            ),
            evidence: vec![
                Evidence::new(
                    format!("{element_name} value (signed, comments skipped)"),
                    full_text.clone(),
                    "",
                )
                .anchored(anchor_of(doc, *element)),
                Evidence::new(
                    format!("text before the {}", split_by.name()),
                    first_text.clone(),
                    "comparison",
                ),
            ],
        },
        WrappingIssue::UnverifiedAssertions {
            assertions,
            readable,
            any_verified,
        } => unverified(doc, assertions, *readable, *any_verified),
        WrappingIssue::LookAlike {
            element,
            namespace,
            before_read,
        } => Issue {
            kind: IssueKind::LookAlike,
            message: format!(
                "An element named {} in {} sits {} the real one: readers that select by local name (//*[local-name()='{}']) take it",
                name(*element),
                match namespace.as_deref() {
                    Some(ns) if ns.starts_with("urn:oasis:names:tc:SAML:1.") => {
                        format!("the SAML 1.x namespace {ns}")
                    }
                    Some(ns) => format!("namespace {ns}, not SAML 2.0,"),
                    None => "no namespace".to_string(),
                },
                if *before_read { "ahead of" } else { "beside" },
                name(*element)
            ),
            evidence: vec![element_evidence(
                doc,
                &format!(
                    "{} in {}",
                    name(*element),
                    namespace.as_deref().unwrap_or("no namespace")
                ),
                *element,
            )],
        },
        WrappingIssue::UnexpectedChild {
            parent,
            child,
            repeated,
        } => Issue {
            kind: IssueKind::UnexpectedChild,
            message: match repeated {
                true => format!(
                    "The {} carries a second {}; the schema allows one, and readers differ on which they take",
                    name(*parent),
                    name(*child)
                ),
                false => format!(
                    "The {} carries a {} element{} that the SAML schema does not allow there",
                    name(*parent),
                    qualified(doc, *child),
                    doc.element(*child)
                        .and_then(|e| e.ns)
                        .map_or(" in no namespace".to_string(), |ns| format!(
                            " (namespace {ns})"
                        ))
                ),
            },
            evidence: vec![
                element_evidence(doc, &format!("unexpected {}", name(*child)), *child),
                element_evidence(doc, &name(*parent), *parent),
            ],
        },
        WrappingIssue::More { like, omitted } => {
            let first = describe(doc, like)?;
            Issue {
                kind: first.kind,
                message: format!(
                    "… and {omitted} more like this ({}), not listed one by one",
                    first.message
                ),
                evidence: first.evidence,
            }
        }
        // The signature verdicts report these (SD714) and SD103 reports several assertions.
        WrappingIssue::ReferenceMissing { .. }
        | WrappingIssue::ReferenceNotParent { .. }
        | WrappingIssue::SeveralAssertions { .. } => return None,
    })
}

fn qualified(doc: &Document, n: NodeId) -> String {
    doc.element(n).map_or(String::new(), |e| e.qname())
}

/// SD723's words: which readable assertions no verified signature covers.
fn unverified(doc: &Document, assertions: &[NodeId], readable: usize, any_verified: bool) -> Issue {
    let names: Vec<String> = assertions
        .iter()
        .map(|&a| {
            let id = crate::dsig::verify::element_id(doc, a).unwrap_or("(no ID)");
            match doc.is(a, NS_ASSERTION, "EncryptedAssertion") {
                true => format!("an EncryptedAssertion ({id})"),
                false => id.to_string(),
            }
        })
        .collect();
    let message = if any_verified {
        format!(
            "{} of the {readable} assertions an SP could read ({}) {} covered by no signature that verifies with a configured IdP certificate: an SP that reads every assertion, or another one than the signed, accepts unsigned content (several assertions, one signed: the CVE-2022-41912 class)",
            assertions.len(),
            names.join(", "),
            if assertions.len() == 1 { "is" } else { "are" }
        )
    } else {
        format!(
            "The Response carries {readable} assertions and no signature verifies with a configured IdP certificate, so none of them ({}) is known to come from the IdP: a matching digest proves nothing about who signed, and a second assertion beside a signed one is the shape of signature wrapping",
            names.join(", ")
        )
    };
    Issue {
        kind: IssueKind::UnverifiedAssertion,
        message,
        evidence: assertions
            .iter()
            .map(|&a| {
                element_evidence(
                    doc,
                    &format!("{} not covered by a verified signature", qualified(doc, a)),
                    a,
                )
            })
            .collect(),
    }
}
