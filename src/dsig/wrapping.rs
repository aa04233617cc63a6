//! Structural security checks on a SAML message: signature wrapping (XSW1–8 and relatives),
//! assertions no verified signature covers, SAML content in hiding places, look-alike elements,
//! unexpected children, duplicate IDs, split values and dangling references.
//!
//! The results are plain data ([`WrappingIssue`]); the rules layer decides wording and severity.
//!
//! "Covered" means covered by a signature that **verifies with a configured certificate**
//! ([`Outcome::verified_by`]). A matching digest alone proves nothing about who signed: anyone can
//! compute one, and an attacker can sign a forged assertion with any key and put that key's
//! certificate in `KeyInfo`. Without a configured certificate nothing is covered, so a second
//! assertion beside a signed one stays an error ([`WrappingIssue::UnverifiedAssertions`]). The
//! digest-matched set is used only as a fallback to notice a signature moved off the element that
//! is read ([`WrappingIssue::SignedElementNotRead`]) when no certificate is configured.

mod hiding;
mod injection;
#[cfg(test)]
mod tests;

pub(crate) use super::reference::is_ancestor;
use super::verify::{Outcome, SignatureReport, element_id, element_ids};
use crate::xml::{Document, NodeId};

pub use hiding::{SAML1_ASSERTION_NS, SAML1_PROTOCOL_NS};
pub use injection::SplitKind;

/// The SAML assertion and protocol namespaces.
pub use crate::ns::{SAML_ASSERTION as SAML_NS, SAML_PROTOCOL as SAMLP_NS};

/// One structural finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WrappingIssue {
    /// The element SAML processing reads (`read`) is neither covered by a verified signature nor
    /// inside a covered element, while other elements (`covered`) are: the signature was moved
    /// onto different content (XSW). Without a configured certificate, `covered` holds the
    /// digest-matched elements instead.
    SignedElementNotRead { read: NodeId, covered: Vec<NodeId> },
    /// Several assertions an SP could read (Assertion or EncryptedAssertion children of the
    /// Response) and `assertions` of them are covered by no verified signature (their own or the
    /// Response's): an SP that reads every assertion, or another one than the signed, accepts
    /// unsigned content (CVE-2022-41912 class). `readable` counts all of them;
    /// `any_verified` says whether any signature verified at all.
    UnverifiedAssertions {
        assertions: Vec<NodeId>,
        readable: usize,
        any_verified: bool,
    },
    /// SAML content sits where no SP reads it: an Assertion or Response anywhere but its place
    /// (root Response child, or inside `saml:Advice`), or any SAML-looking element inside
    /// `ds:Signature` (KeyInfo, Object, SignatureProperties…), `samlp:StatusDetail` or an
    /// `Extensions` element of any namespace. `container` is the nearest such ancestor.
    HiddenElement {
        element: NodeId,
        container: NodeId,
        container_name: String,
    },
    /// An element named like a SAML Response or Assertion but not in the SAML 2.0 namespace
    /// (SAML 1.x, no namespace, another one): readers that select by local name
    /// (`//*[local-name()='Assertion']`) take it. `before_read` is true when it comes before the
    /// assertion that is read.
    LookAlike {
        element: NodeId,
        namespace: Option<String>,
        before_read: bool,
    },
    /// An element that the SAML schema does not allow at this place as a child of the Response
    /// or of a read Assertion (or a second copy of a child allowed once).
    UnexpectedChild {
        parent: NodeId,
        child: NodeId,
        repeated: bool,
    },
    /// More than one `saml:Assertion` (anywhere in the document); `assertions` in document order.
    SeveralAssertions { assertions: Vec<NodeId> },
    /// Several elements carry the same `ID`/`Id`/`id` value.
    DuplicateId { id: String, elements: Vec<NodeId> },
    /// An identity value (NameID, Issuer, Audience, AttributeValue) that is not one plain text
    /// node: a comment, processing instruction, CDATA section or child element splits it.
    /// Exclusive C14N without comments drops comments and writes CDATA as text, so the signature
    /// still verifies while a reader that takes the first text node sees only `first_text`.
    CommentInjection {
        element: NodeId,
        /// `NameID`, `Issuer`, `Audience` or `AttributeValue`.
        element_name: String,
        /// The text before the first split (what a first-text-node reader sees).
        first_text: String,
        /// All text, comments skipped (what the signature covers).
        full_text: String,
        split_by: SplitKind,
    },
    /// More issues of one kind than are listed (see [`MAX_LISTED`]): `like` is the last one
    /// listed, `omitted` how many more there were.
    More {
        like: Box<WrappingIssue>,
        omitted: usize,
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
    /// Elements covered by a signature that verified with a configured certificate.
    pub covered: Vec<NodeId>,
    /// Elements whose signature's digest matched but whose signature did not verify with a
    /// configured certificate (unknown signer, or no certificate configured).
    pub digest_only: Vec<NodeId>,
    /// Every `saml:EncryptedAssertion`, in document order (their content is checked after
    /// decryption, on the decrypted document).
    pub encrypted_assertions: Vec<NodeId>,
    pub issues: Vec<WrappingIssue>,
}

impl WrappingReport {
    /// True when `n` is a covered element or inside one.
    pub fn is_covered(&self, doc: &Document, n: NodeId) -> bool {
        self.covered
            .iter()
            .any(|&c| c == n || is_ancestor(doc, c, n))
    }
}

/// Most issues of one kind listed: a hostile document with thousands of hidden or split elements
/// gets the first ones and a count, so the report stays proportionate.
pub const MAX_LISTED: usize = 16;

/// The assertion SAML processing reads (see [`WrappingReport::read_assertion`]).
pub fn read_assertion(doc: &Document) -> Option<NodeId> {
    if doc.is(doc.root, SAML_NS, "Assertion") {
        return Some(doc.root);
    }
    doc.child(doc.root, SAML_NS, "Assertion")
}

/// The assertions an SP could read: the root when it is an Assertion, else the `Assertion` and
/// `EncryptedAssertion` children of the root, in document order.
pub fn readable_assertions(doc: &Document) -> Vec<NodeId> {
    if doc.is(doc.root, SAML_NS, "Assertion") {
        return vec![doc.root];
    }
    doc.child_elements(doc.root)
        .filter(|&c| doc.is(c, SAML_NS, "Assertion") || doc.is(c, SAML_NS, "EncryptedAssertion"))
        .collect()
}

/// Runs every structural check; `signatures` comes from [`super::verify::verify_all`].
pub fn check(doc: &Document, signatures: &[SignatureReport]) -> WrappingReport {
    check_with(doc, signatures, &[])
}

/// [`check`], with elements already known to be covered by a verified signature judged on
/// another document: the Response signature of an encrypted original, for its decrypted copy
/// (whose Response digest no longer matches because the plaintext replaced the ciphertext).
pub fn check_with(
    doc: &Document,
    signatures: &[SignatureReport],
    also_covered: &[NodeId],
) -> WrappingReport {
    let mut report = WrappingReport {
        read_response: doc.is(doc.root, SAMLP_NS, "Response").then_some(doc.root),
        read_assertion: read_assertion(doc),
        ..WrappingReport::default()
    };
    for s in signatures {
        let Some(e) = s.signed_element else { continue };
        if s.outcome.verified_by().is_some() {
            push_unique(&mut report.covered, e);
        } else if s.digest_matched {
            push_unique(&mut report.digest_only, e);
        }
    }
    for &e in also_covered {
        push_unique(&mut report.covered, e);
    }
    report.digest_only.retain(|e| !report.covered.contains(e));

    let read = report.read_assertion.or(report.read_response);
    let basis = if report.covered.is_empty() {
        &report.digest_only
    } else {
        &report.covered
    };
    let mut read_flagged = false;
    if let Some(read) = read
        && !basis.is_empty()
        && !basis
            .iter()
            .any(|&c| c == read || is_ancestor(doc, c, read))
    {
        report.issues.push(WrappingIssue::SignedElementNotRead {
            read,
            covered: basis.clone(),
        });
        read_flagged = true;
    }

    let readable = readable_assertions(doc);
    if readable.len() > 1 {
        let unverified: Vec<NodeId> = readable
            .iter()
            .copied()
            .filter(|&a| !report.is_covered(doc, a))
            .filter(|&a| !(read_flagged && Some(a) == read))
            .collect();
        if !unverified.is_empty() {
            report.issues.push(WrappingIssue::UnverifiedAssertions {
                assertions: unverified,
                readable: readable.len(),
                any_verified: !report.covered.is_empty(),
            });
        }
    }

    // One pass over the elements: hiding places, look-alikes, IDs, split values.
    let mut assertions: Vec<NodeId> = Vec::new();
    let mut ids: Vec<(&str, NodeId)> = Vec::new();
    let mut injections: Vec<WrappingIssue> = Vec::new();
    let read_offset = report
        .read_assertion
        .map(|a| doc.nodes[a].span.start)
        .unwrap_or(usize::MAX);
    for n in std::iter::once(doc.root).chain(doc.descendants_iter(doc.root)) {
        let Some(e) = doc.element(n) else { continue };
        let in_saml = e.ns == Some(SAML_NS);
        if in_saml && e.local == "Assertion" {
            assertions.push(n);
        }
        if in_saml && e.local == "EncryptedAssertion" {
            report.encrypted_assertions.push(n);
        }
        hiding::hiding_place(doc, n, &mut report.issues);
        hiding::look_alike(doc, n, read_offset, &mut report.issues);
        ids.extend(element_ids(doc, n).map(|id| (id, n)));
        if in_saml && matches!(e.local, "NameID" | "Issuer" | "Audience" | "AttributeValue") {
            injection::split_value(doc, n, e.local, &mut injections);
        }
    }
    hiding::unexpected_children(doc, &readable, &mut report.issues);
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
    references(doc, signatures, &mut report.issues);
    report.issues = cap(std::mem::take(&mut report.issues));
    report
}

/// Keeps the first [`MAX_LISTED`] issues of each kind and folds the rest into one
/// [`WrappingIssue::More`].
fn cap(issues: Vec<WrappingIssue>) -> Vec<WrappingIssue> {
    let mut out: Vec<WrappingIssue> = Vec::with_capacity(issues.len().min(64));
    let mut counts: Vec<(std::mem::Discriminant<WrappingIssue>, usize)> = Vec::new();
    for issue in issues {
        let d = std::mem::discriminant(&issue);
        let n = match counts.iter_mut().find(|(k, _)| *k == d) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                counts.push((d, 1));
                1
            }
        };
        if n <= MAX_LISTED {
            out.push(issue);
            continue;
        }
        let last = out.iter().rposition(|i| {
            std::mem::discriminant(i) == d
                || matches!(i, WrappingIssue::More { like, .. } if std::mem::discriminant(&**like) == d)
        });
        match last.map(|i| &mut out[i]) {
            Some(WrappingIssue::More { omitted, .. }) => *omitted += 1,
            Some(_) | None => out.push(WrappingIssue::More {
                like: Box::new(issue),
                omitted: 1,
            }),
        }
    }
    out
}

fn push_unique(list: &mut Vec<NodeId>, n: NodeId) {
    if !list.contains(&n) {
        list.push(n);
    }
}

/// Dangling and foreign references.
fn references(doc: &Document, signatures: &[SignatureReport], issues: &mut Vec<WrappingIssue>) {
    for s in signatures {
        if let Outcome::ReferenceNotFound(id) = &s.outcome {
            issues.push(WrappingIssue::ReferenceMissing {
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
                issues.push(WrappingIssue::ReferenceNotParent {
                    signature: s.signature,
                    reference_id: rid.clone(),
                    parent_id,
                });
            }
        }
    }
}
