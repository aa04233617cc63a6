//! Same-document references (XML-DSig 1.1 §4.4.3.3, SAML core 5.4.2): finding the element an
//! `ID`, `Id` or `id` attribute names, ancestry, and the `ds:Signature` schema shape
//! (XML-DSig 1.1 §4.1) that matters for wrapping.

use super::algorithm::DSIG_NS;
use super::verify::Outcome;
use crate::xml::{Attr, Document, NodeId, NodeKind};

/// What a same-document `Reference/@URI` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UriTarget {
    /// The ID named (`#id` without `#`); `None` for `URI=""` and `#xpointer(/)` (the document).
    pub id: Option<String>,
    /// True for the XPointer forms, which keep comments (XML-DSig 1.1 §4.4.3.3).
    pub keep_comments: bool,
}

/// Reads a `Reference/@URI`: `""` (the whole document), `#id`, `#xpointer(id('id'))` and
/// `#xpointer(/)`; anything else is not a same-document reference and is not supported.
pub fn parse_uri(uri: &str) -> Result<UriTarget, Outcome> {
    let (id, keep_comments) = if uri.is_empty() {
        (None, false)
    } else if let Some(rest) = uri.strip_prefix("#xpointer(id(") {
        let inner = rest
            .strip_suffix("))")
            .map(|s| s.trim_matches(|c| c == '\'' || c == '"'))
            .ok_or_else(|| Outcome::UnsupportedAlgorithm(format!("Reference URI {uri}")))?;
        (Some(inner.to_string()), true)
    } else if uri == "#xpointer(/)" {
        (None, true)
    } else if let Some(bare) = uri.strip_prefix('#') {
        (Some(bare.to_string()), false)
    } else {
        return Err(Outcome::UnsupportedAlgorithm(format!(
            "Reference URI {uri} (not a same-document reference)"
        )));
    };
    Ok(UriTarget { id, keep_comments })
}

/// The element a reference names: the root for the whole document, else the one element
/// carrying the ID (none or several is an error: SAML core 5.4.2 wants exactly one).
pub fn find_target(doc: &Document, id: Option<&str>) -> Result<NodeId, Outcome> {
    let Some(id) = id else {
        return Ok(doc.root);
    };
    match elements_with_id(doc, id).as_slice() {
        [] => Err(Outcome::ReferenceNotFound(id.to_string())),
        [one] => Ok(*one),
        many => Err(Outcome::ReferenceAmbiguous(id.to_string(), many.len())),
    }
}

/// Elements with an unprefixed `ID`, `Id` or `id` attribute equal to `id`, in document order.
/// Any of the three counts, so an element smuggling a second ID-like attribute makes the
/// reference ambiguous rather than silently resolved.
pub fn elements_with_id(doc: &Document, id: &str) -> Vec<NodeId> {
    (0..doc.nodes.len())
        .filter(|&n| element_ids(doc, n).any(|v| v == id))
        .collect()
}

/// All distinct values of the element's unprefixed `ID`, `Id` and `id` attributes.
pub fn element_ids(doc: &Document, n: NodeId) -> impl Iterator<Item = &str> {
    let is_id = |a: &Attr| a.prefix.is_none() && matches!(a.local, "ID" | "Id" | "id");
    doc.attributes(n).enumerate().filter_map(move |(i, a)| {
        let first = is_id(&a)
            && !doc
                .attributes(n)
                .take(i)
                .any(|b| is_id(&b) && b.value == a.value);
        first.then_some(a.value)
    })
}

/// The element's ID: its unprefixed `ID`, `Id` or `id` attribute, in that order of preference.
pub fn element_id(doc: &Document, n: NodeId) -> Option<&str> {
    let e = doc.element(n)?;
    ["ID", "Id", "id"].iter().find_map(|name| {
        e.attrs()
            .find(|a| a.prefix.is_none() && a.local == *name)
            .map(|a| a.value)
    })
}

/// True when `ancestor` is a proper ancestor of `node`.
pub fn is_ancestor(doc: &Document, ancestor: NodeId, mut node: NodeId) -> bool {
    while let Some(p) = doc.nodes[node].parent {
        if p == ancestor {
            return true;
        }
        node = p;
    }
    false
}

/// The `ds:` child named `local`.
pub(crate) fn ds_child(doc: &Document, n: NodeId, local: &str) -> Option<NodeId> {
    doc.child(n, DSIG_NS, local)
}

/// True when `target` is an element and the signature's parent.
pub(crate) fn parent_is(doc: &Document, signature: NodeId, target: NodeId) -> bool {
    doc.nodes[signature].parent == Some(target) && doc.element(target).is_some()
}

/// Checks the XML-DSig schema shape that matters for wrapping: `Signature` holds `SignedInfo`,
/// `SignatureValue`, an optional `KeyInfo` and `Object`s, in that order, and nothing else; and
/// `SignedInfo` holds only DSig elements. Text other than whitespace is refused too.
pub(crate) fn schema_problem(
    doc: &Document,
    signature: NodeId,
    signed_info: NodeId,
) -> Option<String> {
    let mut stage = 0;
    for c in doc.children(signature) {
        match doc.kind(c) {
            NodeKind::Element(e) => {
                let in_ds = e.ns == Some(DSIG_NS);
                let want = match (in_ds, e.local) {
                    (true, "SignedInfo") => 1,
                    (true, "SignatureValue") => 2,
                    (true, "KeyInfo") => 3,
                    (true, "Object") => 4,
                    _ => 0,
                };
                if want == 0 || want < stage || (want == stage && want != 4) {
                    return Some(format!(
                        "unexpected <{}> inside Signature (allowed: SignedInfo, SignatureValue, \
                         KeyInfo, Object, in that order)",
                        e.local
                    ));
                }
                stage = want;
            }
            NodeKind::Text(t) if !t.trim().is_empty() => {
                return Some("text directly inside Signature".into());
            }
            _ => {}
        }
    }
    for c in doc.child_elements(signed_info) {
        if doc.element(c).is_some_and(|e| e.ns != Some(DSIG_NS)) {
            return Some("a non-DSig element inside SignedInfo".into());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn parse(s: &str) -> Document {
        Document::parse(s, &Limits::default()).unwrap()
    }

    #[test]
    fn ids_and_ancestry() {
        let d = parse(r#"<a ID="a1"><b ID="dup"><c/></b><d Id="dup"/></a>"#);
        assert_eq!(elements_with_id(&d, "dup").len(), 2);
        assert_eq!(element_id(&d, d.root), Some("a1"));
        let two = parse(r#"<a ID="x" id="y"><b Id="y"/><c ID="z" Id="z"/></a>"#);
        assert_eq!(elements_with_id(&two, "y").len(), 2);
        assert_eq!(element_ids(&two, two.root).collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(element_ids(&two, 2).count(), 1);
        let b = elements_with_id(&d, "a1")[0];
        let c = d
            .descendants(d.root)
            .into_iter()
            .find(|&n| d.element(n).is_some_and(|e| e.local == "c"))
            .unwrap();
        assert!(is_ancestor(&d, b, c));
        assert!(!is_ancestor(&d, c, b));
        assert!(!is_ancestor(&d, c, c));
    }

    #[test]
    fn uris() {
        let d = parse(r#"<a ID="a1"><b ID="dup"/><d Id="dup"/></a>"#);
        let target = |uri: &str| {
            let u = parse_uri(uri)?;
            Ok::<_, Outcome>((find_target(&d, u.id.as_deref())?, u.keep_comments))
        };
        assert_eq!(target(""), Ok((d.root, false)));
        assert_eq!(target("#a1"), Ok((d.root, false)));
        assert_eq!(target("#xpointer(id('a1'))"), Ok((d.root, true)));
        assert_eq!(target("#xpointer(/)"), Ok((d.root, true)));
        assert_eq!(
            target("#nope"),
            Err(Outcome::ReferenceNotFound("nope".into()))
        );
        assert_eq!(
            target("#dup"),
            Err(Outcome::ReferenceAmbiguous("dup".into(), 2))
        );
        for bad in ["https://example.com/x", "#xpointer(id('a1')"] {
            assert!(
                matches!(target(bad), Err(Outcome::UnsupportedAlgorithm(_))),
                "{bad}"
            );
        }
    }
}
