//! Where SAML content must not be, and what the schema does not allow where it is.
//!
//! - An `Assertion` belongs directly under the root `Response`, or inside `saml:Advice` of an
//!   assertion that is itself in place (SAML core §2.6.1 allows assertions as advice; they are
//!   evidence, never the assertion an SP reads). A `Response` belongs only at the root.
//! - Nothing SAML-looking belongs anywhere inside `ds:Signature` (XML-DSig §4: KeyInfo,
//!   X509Data, Object and SignatureProperties hold keys and signature metadata), inside
//!   `samlp:StatusDetail` (core §3.2.2.4: error detail) or inside an `Extensions` element of any
//!   namespace (core §3.2.1: protocol extensions; SAML Raider's XSW7 uses one without the
//!   protocol namespace). Readers that take "the first Subject in the document" find it there.
//! - Children of the Response (core §3.2.2, §3.3.3) and of an Assertion (core §2.3.3) are a
//!   closed list; anything else, or a second copy of a child allowed once, is an error.

use super::{SAML_NS, SAMLP_NS, WrappingIssue};
use crate::dsig::verify::DSIG_NS;
use crate::xml::{Document, Element, NodeId};

/// The SAML 1.x assertion namespace.
pub const SAML1_ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:1.0:assertion";
/// The SAML 1.x protocol namespace.
pub const SAML1_PROTOCOL_NS: &str = "urn:oasis:names:tc:SAML:1.0:protocol";

/// Local names that carry identity or assertion content in SAML, in any namespace.
const SAML_LOCAL_NAMES: &[&str] = &[
    "Assertion",
    "EncryptedAssertion",
    "Response",
    "Subject",
    "NameID",
    "NameIdentifier",
    "SubjectConfirmation",
    "SubjectConfirmationData",
    "Conditions",
    "AudienceRestriction",
    "Audience",
    "AttributeStatement",
    "Attribute",
    "AttributeValue",
    "AuthnStatement",
    "Issuer",
];

fn saml_looking(e: &Element) -> bool {
    matches!(
        e.ns,
        Some(SAML_NS | SAMLP_NS | SAML1_ASSERTION_NS | SAML1_PROTOCOL_NS)
    ) || SAML_LOCAL_NAMES.contains(&e.local)
}

/// `ds:Signature`, `samlp:StatusDetail` and `Extensions` of any namespace.
fn forbidden_container(doc: &Document, n: NodeId) -> bool {
    let Some(e) = doc.element(n) else {
        return false;
    };
    (e.ns == Some(DSIG_NS) && e.local == "Signature")
        || (e.ns == Some(SAMLP_NS) && e.local == "StatusDetail")
        || e.local == "Extensions"
}

/// The nearest ancestor worth naming as the place something hides in.
fn container(doc: &Document, n: NodeId) -> Option<NodeId> {
    let mut cur = doc.nodes[n].parent;
    while let Some(a) = cur {
        if let Some(e) = doc.element(a) {
            let named = e.ns == Some(DSIG_NS)
                || e.local == "Extensions"
                || e.local == "StatusDetail"
                || (e.ns == Some(SAML_NS) && matches!(e.local, "AttributeValue" | "Assertion"));
            if named {
                return Some(a);
            }
        }
        cur = doc.nodes[a].parent;
    }
    None
}

/// True when the Assertion `n` sits where SAML puts assertions.
fn assertion_in_place(doc: &Document, n: NodeId) -> bool {
    let Some(parent) = doc.nodes[n].parent else {
        return true;
    };
    if parent == doc.root && doc.is(parent, SAMLP_NS, "Response") {
        return true;
    }
    doc.is(parent, SAML_NS, "Advice")
        && doc.nodes[parent]
            .parent
            .is_some_and(|a| doc.is(a, SAML_NS, "Assertion") && assertion_in_place(doc, a))
}

fn hidden(doc: &Document, n: NodeId, at: NodeId, issues: &mut Vec<WrappingIssue>) {
    let container_name = doc
        .element(at)
        .map(|e| e.local.to_string())
        .unwrap_or_default();
    issues.push(WrappingIssue::HiddenElement {
        element: n,
        container: at,
        container_name,
    });
}

/// Reports `n` when it is SAML content in a place SAML processing does not read.
pub(super) fn hiding_place(doc: &Document, n: NodeId, issues: &mut Vec<WrappingIssue>) {
    let Some(e) = doc.element(n) else { return };
    let parent = doc.nodes[n].parent;
    if e.ns == Some(SAML_NS) && e.local == "Assertion" {
        if !assertion_in_place(doc, n) {
            let at = container(doc, n).or(parent).unwrap_or(n);
            hidden(doc, n, at, issues);
        }
        return;
    }
    if e.ns == Some(SAMLP_NS) && e.local == "Response" {
        if let Some(p) = parent {
            hidden(doc, n, container(doc, n).unwrap_or(p), issues);
        }
        return;
    }
    if !saml_looking(&e) || forbidden_container(doc, n) {
        return;
    }
    // Only the outermost SAML-looking element of a hidden subtree is reported.
    if let Some(p) = parent
        && doc.element(p).is_some_and(|pe| saml_looking(&pe))
        && !forbidden_container(doc, p)
    {
        return;
    }
    let mut cur = parent;
    while let Some(a) = cur {
        if forbidden_container(doc, a) {
            let at = container(doc, n).unwrap_or(a);
            hidden(doc, n, at, issues);
            return;
        }
        cur = doc.nodes[a].parent;
    }
}

/// True for an element named `Assertion`, `EncryptedAssertion` or `Response` outside the SAML 2.0
/// namespace it belongs to.
fn is_look_alike(e: &Element) -> bool {
    let expected = match e.local {
        "Assertion" | "EncryptedAssertion" => SAML_NS,
        "Response" => SAMLP_NS,
        _ => return false,
    };
    e.ns != Some(expected)
}

/// Reports an element named `Assertion` or `Response` outside the SAML 2.0 namespace.
pub(super) fn look_alike(
    doc: &Document,
    n: NodeId,
    read_offset: usize,
    issues: &mut Vec<WrappingIssue>,
) {
    let Some(e) = doc.element(n) else { return };
    if !is_look_alike(&e) || n == doc.root {
        return;
    }
    issues.push(WrappingIssue::LookAlike {
        element: n,
        namespace: e.ns.map(str::to_string),
        before_read: doc.nodes[n].span.start < read_offset,
    });
}

/// (namespace, local name, may repeat) of the children a Response may have.
const RESPONSE_CHILDREN: &[(&str, &str, bool)] = &[
    (SAML_NS, "Issuer", false),
    (DSIG_NS, "Signature", false),
    (SAMLP_NS, "Extensions", false),
    (SAMLP_NS, "Status", false),
    (SAML_NS, "Assertion", true),
    (SAML_NS, "EncryptedAssertion", true),
];

/// The children an Assertion may have.
const ASSERTION_CHILDREN: &[(&str, &str, bool)] = &[
    (SAML_NS, "Issuer", false),
    (DSIG_NS, "Signature", false),
    (SAML_NS, "Subject", false),
    (SAML_NS, "Conditions", false),
    (SAML_NS, "Advice", false),
    (SAML_NS, "Statement", true),
    (SAML_NS, "AuthnStatement", true),
    (SAML_NS, "AuthzDecisionStatement", true),
    (SAML_NS, "AttributeStatement", true),
];

/// Reports children of the root Response and of the readable assertions that the schema does
/// not allow. Look-alike Assertions and Responses are left to [`look_alike`].
pub(super) fn unexpected_children(
    doc: &Document,
    readable: &[NodeId],
    issues: &mut Vec<WrappingIssue>,
) {
    if doc.is(doc.root, SAMLP_NS, "Response") {
        closed_list(doc, doc.root, RESPONSE_CHILDREN, issues);
    }
    for &a in readable {
        if doc.is(a, SAML_NS, "Assertion") {
            closed_list(doc, a, ASSERTION_CHILDREN, issues);
        }
    }
}

fn closed_list(
    doc: &Document,
    parent: NodeId,
    allowed: &[(&str, &str, bool)],
    issues: &mut Vec<WrappingIssue>,
) {
    let mut seen: Vec<usize> = Vec::new();
    for child in doc.child_elements(parent) {
        let Some(e) = doc.element(child) else {
            continue;
        };
        let slot = allowed
            .iter()
            .position(|(ns, local, _)| e.ns == Some(*ns) && e.local == *local);
        match slot {
            Some(i) if allowed[i].2 => {}
            Some(i) if !seen.contains(&i) => seen.push(i),
            Some(_) => issues.push(WrappingIssue::UnexpectedChild {
                parent,
                child,
                repeated: true,
            }),
            // A SAML assertion out of place is a hiding place; a look-alike is reported as one.
            None if e.ns == Some(SAML_NS) && e.local == "Assertion" => {}
            None if is_look_alike(&e) => {}
            None => issues.push(WrappingIssue::UnexpectedChild {
                parent,
                child,
                repeated: false,
            }),
        }
    }
}
