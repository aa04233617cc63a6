//! A small, hardened XML tree with source positions.
//!
//! quick-xml tokenises; this module builds an arena of nodes that keeps, for every element, its
//! namespace (resolved by URI, never by prefix), its attributes, and the byte range it came from,
//! so that findings can point at the line of the original paste. DTDs and entity declarations are
//! rejected outright, unknown entity references are errors, and depth, node and attribute counts
//! are capped by [`Limits`].
//!
//! Names, values and text are not copied: a node stores byte ranges into the source, and only a
//! value the parser had to change (an entity or character reference resolved, attribute
//! whitespace normalised, adjacent text merged) is written once into a per-document pool. Parsing a
//! message is then a handful of allocations however many nodes it has, which is what keeps a
//! paste's analysis in microseconds. Readers get borrowed views ([`Element`], [`Attr`],
//! [`NodeKind`]) whose fields are plain `&str`.

mod build;
mod chars;
mod events;
mod ns;
mod position;
mod start_tag;
mod tree;
mod wf;

pub use tree::Children;

pub use position::line_col;

use crate::limits::Limits;
use build::qualified;
use std::fmt;
use std::sync::OnceLock;

/// Index of a node in [`Document::nodes`].
pub type NodeId = usize;

/// A byte range in the XML text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// A string of the document: a range of the source, or of the pool when [`POOL`] is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Str {
    start: u32,
    len: u32,
}

/// Marks a [`Str`] that lives in the pool rather than the source.
const POOL: u32 = 1 << 31;
/// Sources and pools must fit below [`POOL`].
const MAX_SOURCE_BYTES: usize = 1 << 30;
/// The pool starts with the two namespace URIs the `xml` and `xmlns` prefixes are bound to.
const XML_NS: Str = Str {
    start: POOL,
    len: XML_URI.len() as u32,
};
const XMLNS_NS: Str = Str {
    start: POOL | XML_URI.len() as u32,
    len: XMLNS_URI.len() as u32,
};
/// "No node" in the child and sibling links.
const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct RawAttr {
    prefix: Option<Str>,
    local: Str,
    ns: Option<Str>,
    value: Str,
}

#[derive(Debug, Clone, Copy)]
struct RawDecl {
    prefix: Option<Str>,
    uri: Str,
}

#[derive(Debug, Clone, Copy)]
enum RawKind {
    Element {
        prefix: Option<Str>,
        local: Str,
        ns: Option<Str>,
        /// Ranges of [`Document::attrs`] and [`Document::decls`].
        attrs: (u32, u32),
        decls: (u32, u32),
    },
    Text(Str),
    Comment(Str),
    Pi(Str),
}

/// One node of the tree.
#[derive(Debug, Clone)]
pub struct Node {
    kind: RawKind,
    pub parent: Option<NodeId>,
    /// From the first byte of the node to the byte after it (the whole element for elements).
    pub span: Span,
    first_child: u32,
    next_sibling: u32,
    /// The id after this node's last descendant: the arena is in document order, so a subtree
    /// is the id range `id + 1 .. subtree_end`.
    subtree_end: u32,
}

/// An attribute as written, with its namespace resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr<'a> {
    pub prefix: Option<&'a str>,
    pub local: &'a str,
    /// The namespace URI, for prefixed attributes (unprefixed ones are in no namespace).
    pub ns: Option<&'a str>,
    /// The normalised value.
    pub value: &'a str,
}

impl Attr<'_> {
    /// The attribute's name as written (`prefix:local` or `local`).
    pub fn qname(&self) -> String {
        qualified(self.prefix, self.local)
    }
}

/// An element, with namespace declarations kept apart from ordinary attributes.
#[derive(Debug, Clone, Copy)]
pub struct Element<'a> {
    pub prefix: Option<&'a str>,
    pub local: &'a str,
    pub ns: Option<&'a str>,
    doc: &'a Document,
    attrs: &'a [RawAttr],
    decls: &'a [RawDecl],
}

impl<'a> Element<'a> {
    /// The ordinary attributes (namespace declarations excluded), in document order.
    pub fn attrs(self) -> impl ExactSizeIterator<Item = Attr<'a>> + Clone + 'a {
        let doc = self.doc;
        self.attrs.iter().map(move |a| Attr {
            prefix: a.prefix.map(|p| doc.str(p)),
            local: doc.str(a.local),
            ns: a.ns.map(|n| doc.str(n)),
            value: doc.str(a.value),
        })
    }

    /// `xmlns` (prefix `None`) and `xmlns:p` declarations on this element, in document order.
    pub fn ns_decls(
        self,
    ) -> impl ExactSizeIterator<Item = (Option<&'a str>, &'a str)> + Clone + 'a {
        let doc = self.doc;
        self.decls
            .iter()
            .map(move |d| (d.prefix.map(|p| doc.str(p)), doc.str(d.uri)))
    }

    /// The element's name as written (`prefix:local` or `local`).
    pub fn qname(&self) -> String {
        qualified(self.prefix, self.local)
    }
}

/// What a node is.
#[derive(Debug, Clone, Copy)]
pub enum NodeKind<'a> {
    Element(Element<'a>),
    /// Character data, with entity and character references resolved and CDATA merged in.
    Text(&'a str),
    Comment(&'a str),
    /// A processing instruction: target and data as written, separated by one space.
    Pi(&'a str),
}

/// A parsed document: the node arena and the source text the spans point into.
#[derive(Debug, Clone)]
pub struct Document {
    pub nodes: Vec<Node>,
    pub root: NodeId,
    pub source: String,
    /// Values the parser changed, and the `xml`/`xmlns` namespace URIs.
    pool: String,
    attrs: Vec<RawAttr>,
    decls: Vec<RawDecl>,
    /// Byte offset of the start of each line, for position lookups by binary search; built on
    /// first use like the fields below it, as only reported findings need positions and paths.
    line_starts: OnceLock<Vec<usize>>,
    /// Characters before each [`CHAR_MARK_BYTES`] boundary of the source, so a column on a long
    /// line costs at most two blocks of counting.
    char_marks: OnceLock<Vec<usize>>,
    /// Per node: 1-based position among same-named element siblings, 0 when the name is unique.
    sibling_pos: OnceLock<Vec<u32>>,
}

/// Why XML could not be read, with where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError {
    pub offset: usize,
    pub path: String,
    pub message: String,
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)?;
        if !self.path.is_empty() {
            write!(f, " (inside {})", self.path)?;
        }
        Ok(())
    }
}

impl std::error::Error for XmlError {}

pub const XMLNS_URI: &str = "http://www.w3.org/2000/xmlns/";
pub const XML_URI: &str = "http://www.w3.org/XML/1998/namespace";

impl Document {
    /// Parses `source`, refusing DTDs, unknown entities and anything past `limits`.
    pub fn parse(source: &str, limits: &Limits) -> Result<Document, XmlError> {
        events::parse(source, limits)
    }

    /// A document with no nodes, a placeholder while a parsed one is moved elsewhere.
    pub fn empty() -> Document {
        Document {
            nodes: Vec::new(),
            root: 0,
            source: String::new(),
            pool: initial_pool(),
            attrs: Vec::new(),
            decls: Vec::new(),
            line_starts: OnceLock::new(),
            char_marks: OnceLock::new(),
            sibling_pos: OnceLock::new(),
        }
    }

    fn str(&self, s: Str) -> &str {
        resolve_str(&self.source, &self.pool, s)
    }

    /// What node `id` is, with its strings.
    pub fn kind(&self, id: NodeId) -> NodeKind<'_> {
        match self.nodes[id].kind {
            RawKind::Element { .. } => {
                NodeKind::Element(self.element(id).expect("element node has an element view"))
            }
            RawKind::Text(s) => NodeKind::Text(self.str(s)),
            RawKind::Comment(s) => NodeKind::Comment(self.str(s)),
            RawKind::Pi(s) => NodeKind::Pi(self.str(s)),
        }
    }

    pub fn element(&self, id: NodeId) -> Option<Element<'_>> {
        match self.nodes[id].kind {
            RawKind::Element {
                prefix,
                local,
                ns,
                attrs,
                decls,
            } => Some(Element {
                prefix: prefix.map(|p| self.str(p)),
                local: self.str(local),
                ns: ns.map(|n| self.str(n)),
                doc: self,
                attrs: &self.attrs[attrs.0 as usize..attrs.1 as usize],
                decls: &self.decls[decls.0 as usize..decls.1 as usize],
            }),
            _ => None,
        }
    }

    /// True when `id` is an element (not text, a comment or a processing instruction).
    pub fn is_element(&self, id: NodeId) -> bool {
        matches!(self.nodes[id].kind, RawKind::Element { .. })
    }
}

fn resolve_str<'a>(source: &'a str, pool: &'a str, s: Str) -> &'a str {
    let (text, start) = match s.start & POOL {
        0 => (source, s.start as usize),
        _ => (pool, (s.start & !POOL) as usize),
    };
    text.get(start..start + s.len as usize).unwrap_or("")
}

fn initial_pool() -> String {
    let mut pool = String::with_capacity(256);
    pool.push_str(XML_URI);
    pool.push_str(XMLNS_URI);
    pool
}

/// String equality for the short names and prefixes XML compares all the time: most pairs differ
/// in length or at an end, which settles them without a call to `memcmp` (that call was a fifth of
/// the time of analysing a message, most of it on empty or one-byte prefixes).
#[inline]
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len()
        && match (a.first(), a.last()) {
            (None, _) => true,
            (Some(x), Some(y)) => *x == b[0] && *y == b[b.len() - 1] && a == b,
            _ => a == b,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Document, XmlError> {
        Document::parse(s, &Limits::default())
    }

    #[test]
    fn resolves_namespaces_by_uri() {
        let doc = parse(r#"<p:a xmlns:p="urn:x"><b xmlns="urn:y" c="1"/></p:a>"#).unwrap();
        assert!(doc.is(doc.root, "urn:x", "a"));
        let b = doc.child(doc.root, "urn:y", "b").unwrap();
        assert_eq!(doc.attr(b, "c"), Some("1"));
        assert_eq!(doc.path(b), "/p:a/b");
    }

    #[test]
    fn merges_text_and_references_but_keeps_comments_apart() {
        let doc = parse("<a>x&amp;y<![CDATA[z]]><!--c-->w&#x41;</a>").unwrap();
        assert_eq!(doc.text(doc.root), "x&yzwA");
        assert!(doc.has_comment_or_pi(doc.root));
        assert_eq!(doc.children(doc.root).count(), 3);
    }

    #[test]
    fn values_are_borrowed_unless_the_parser_changed_them() {
        let doc =
            parse("<a x=\"plain\" y=\"a&amp;b\" z=\"t\tab\">one<b>two</b>x&lt;y</a>").unwrap();
        assert_eq!(doc.attr(doc.root, "x"), Some("plain"));
        assert_eq!(doc.attr(doc.root, "y"), Some("a&b"));
        // Attribute-value normalisation turns the tab into a space.
        assert_eq!(doc.attr(doc.root, "z"), Some("t ab"));
        assert_eq!(doc.text(doc.root), "onetwox<y");
        let b = doc.child_elements(doc.root).next().unwrap();
        assert!(matches!(doc.text_ref(b), std::borrow::Cow::Borrowed("two")));
        assert!(matches!(doc.text_ref(doc.root), std::borrow::Cow::Owned(_)));
    }

    #[test]
    fn subtrees_are_id_ranges_in_document_order() {
        let doc = parse("<r><a><b/>t<c><d/></c></a><e/></r>").unwrap();
        let names = |ids: Vec<NodeId>| -> Vec<String> {
            ids.into_iter()
                .map(|n| doc.element(n).unwrap().local.to_string())
                .collect()
        };
        assert_eq!(names(doc.descendants(doc.root)), ["a", "b", "c", "d", "e"]);
        let a = doc.child_elements(doc.root).next().unwrap();
        assert_eq!(names(doc.descendants(a)), ["b", "c", "d"]);
        assert_eq!(doc.path(doc.descendants(a)[2]), "/r/a/c/d");
    }
}
