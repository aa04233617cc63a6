//! Canonical XML: inclusive C14N 1.0 and Exclusive C14N 1.0, with or without comments, of the
//! node-sets XML-DSig builds for SAML: an element subtree, optionally minus one excluded subtree
//! (the enveloped `ds:Signature`).
//!
//! The input is the parsed [`Document`], so the things a parser already normalised (attribute
//! value normalisation, line-end normalisation, entity and character references, CDATA) arrive in
//! the form C14N wants. What this module adds is the serialisation rules: namespace declarations
//! (all in scope at the apex for inclusive C14N, only visibly utilised ones plus the
//! `InclusiveNamespaces` PrefixList for exclusive C14N), attribute ordering, escaping, empty
//! elements written as start/end pairs, and the inclusive-C14N inheritance of `xml:*` attributes
//! onto the apex.
//!
//! Comments and processing instructions outside the root element are dropped by the parser; they
//! never belong to an element subtree, so no result here depends on them.
//!
//! The module is split by responsibility: this file holds the algorithm identifiers and the
//! entry point, [`writer`] walks the subtree and writes tags, [`scope`] keeps namespace
//! bindings per prefix, [`escape`] escapes text and attribute values.
//!
//! Cost: linear in the subtree plus its context, whatever the number of prefixes declared or
//! listed (issue 22; `benches/scaling.rs` measures it, `oracle.rs` pins the output to the direct
//! statement of the rules).

mod escape;
#[cfg(test)]
mod oracle;
mod scope;
#[cfg(test)]
mod tests;
mod writer;

use crate::xml::{Document, NodeId, XML_URI};
use foldhash::HashSet;
use scope::{Bindings, Prefixes};
use writer::Writer;

/// `http://www.w3.org/TR/2001/REC-xml-c14n-20010315`
pub const C14N10: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// `http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments`
pub const C14N10_COMMENTS: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
/// `http://www.w3.org/2001/10/xml-exc-c14n#`
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// `http://www.w3.org/2001/10/xml-exc-c14n#WithComments`
pub const EXC_C14N_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";

/// A canonicalization algorithm with its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum C14nMethod {
    /// Canonical XML 1.0.
    Inclusive { with_comments: bool },
    /// Exclusive XML Canonicalization 1.0; `inclusive_prefixes` is the PrefixList, with
    /// `#default` written as the empty string.
    Exclusive {
        with_comments: bool,
        inclusive_prefixes: Vec<String>,
    },
}

impl C14nMethod {
    /// The method named by an algorithm URI, with an optional `InclusiveNamespaces PrefixList`
    /// (ignored for inclusive C14N). `None` for any other URI (C14N 1.1 included).
    pub fn from_uri(uri: &str, prefix_list: Option<&str>) -> Option<C14nMethod> {
        let prefixes = || -> Vec<String> {
            prefix_list
                .unwrap_or("")
                .split_ascii_whitespace()
                .map(|p| {
                    if p == "#default" {
                        String::new()
                    } else {
                        p.to_string()
                    }
                })
                .collect()
        };
        match uri {
            C14N10 => Some(C14nMethod::Inclusive {
                with_comments: false,
            }),
            C14N10_COMMENTS => Some(C14nMethod::Inclusive {
                with_comments: true,
            }),
            EXC_C14N => Some(C14nMethod::Exclusive {
                with_comments: false,
                inclusive_prefixes: prefixes(),
            }),
            EXC_C14N_COMMENTS => Some(C14nMethod::Exclusive {
                with_comments: true,
                inclusive_prefixes: prefixes(),
            }),
            _ => None,
        }
    }

    /// The algorithm URI.
    pub fn uri(&self) -> &'static str {
        match self {
            C14nMethod::Inclusive {
                with_comments: false,
            } => C14N10,
            C14nMethod::Inclusive {
                with_comments: true,
            } => C14N10_COMMENTS,
            C14nMethod::Exclusive {
                with_comments: false,
                ..
            } => EXC_C14N,
            C14nMethod::Exclusive {
                with_comments: true,
                ..
            } => EXC_C14N_COMMENTS,
        }
    }

    /// Whether comment nodes are kept.
    pub fn with_comments(&self) -> bool {
        match self {
            C14nMethod::Inclusive { with_comments } => *with_comments,
            C14nMethod::Exclusive { with_comments, .. } => *with_comments,
        }
    }

    /// The same algorithm with comments dropped (what a same-document `#id` reference yields).
    pub fn without_comments(&self) -> C14nMethod {
        match self {
            C14nMethod::Inclusive { .. } => C14nMethod::Inclusive {
                with_comments: false,
            },
            C14nMethod::Exclusive {
                inclusive_prefixes, ..
            } => C14nMethod::Exclusive {
                with_comments: false,
                inclusive_prefixes: inclusive_prefixes.clone(),
            },
        }
    }
}

/// Canonicalizes the subtree rooted at element `apex`, leaving out the subtree rooted at
/// `exclude` (when it lies inside), in the document context of `apex` (ancestors' namespace
/// declarations, and for inclusive C14N their `xml:*` attributes). Non-element apexes yield an
/// empty string.
///
/// Linear in the size of the subtree plus the declarations and `xml:*` attributes of the apex's
/// ancestors plus the PrefixList (up to sorting each element's attributes and declarations).
pub fn canonicalize(
    doc: &Document,
    apex: NodeId,
    exclude: Option<NodeId>,
    method: &C14nMethod,
) -> String {
    let mut out = String::with_capacity(
        doc.nodes[apex]
            .span
            .end
            .saturating_sub(doc.nodes[apex].span.start)
            + 64,
    );
    let Some(apex_element) = doc.element(apex) else {
        return out;
    };
    let mut ancestors = Vec::new();
    let mut cur = doc.nodes[apex].parent;
    while let Some(a) = cur {
        ancestors.push(a);
        cur = doc.nodes[a].parent;
    }
    ancestors.reverse();
    // Prefixes get their numbers as they are declared. With a PrefixList, every prefix declared
    // in the subtree is numbered up front, so the list can be cut to the declared ones.
    let mut prefixes = Prefixes::new();
    let has_list = matches!(method, C14nMethod::Exclusive { inclusive_prefixes, .. } if !inclusive_prefixes.is_empty());
    if has_list {
        for n in std::iter::once(apex).chain(doc.descendants_iter(apex)) {
            if let Some(e) = doc.element(n) {
                for (p, _) in e.ns_decls() {
                    prefixes.intern(p.unwrap_or(""));
                }
            }
        }
    }
    let mut in_scope = Bindings::new(prefixes.len());
    for &a in &ancestors {
        if let Some(e) = doc.element(a) {
            for (p, uri) in e.ns_decls() {
                let slot = prefixes.intern(p.unwrap_or(""));
                in_scope.push(slot, uri);
            }
        }
    }
    // The PrefixList once, without repeats and without prefixes nobody declares in the context
    // or the subtree (they can never be rendered); `xml` is never rendered.
    let mut listed = vec![false; prefixes.len()];
    let mut listed_slots = Vec::new();
    if let C14nMethod::Exclusive {
        inclusive_prefixes, ..
    } = method
    {
        for p in inclusive_prefixes {
            if p != "xml"
                && let Some(slot) = prefixes.get(p)
                && !listed[slot]
            {
                listed[slot] = true;
                listed_slots.push(slot);
            }
        }
    }
    let exclusive = matches!(method, C14nMethod::Exclusive { .. });
    let mut inherited: Vec<(&str, &str)> = Vec::new();
    if !exclusive {
        // Nearest ancestor wins; attributes on the apex itself win over all.
        let mut seen: HashSet<&str> = apex_element
            .attrs()
            .filter(|a| a.ns == Some(XML_URI))
            .map(|a| a.local)
            .collect();
        for &a in ancestors.iter().rev() {
            if let Some(e) = doc.element(a) {
                for at in e.attrs() {
                    if at.ns == Some(XML_URI) && seen.insert(at.local) {
                        inherited.push((at.local, at.value));
                    }
                }
            }
        }
    }
    let slots = prefixes.len();
    let mut w = Writer {
        doc,
        exclude,
        exclusive,
        with_comments: method.with_comments(),
        out: &mut out,
        prefixes,
        in_scope,
        rendered: Bindings::new(slots),
        listed,
        listed_slots,
        inherited,
        scratch_decls: Vec::new(),
        scratch_slots: Vec::new(),
        scratch_attrs: Vec::new(),
    };
    w.element(apex, true);
    out
}
