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

use crate::limits::Limits;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::collections::HashMap;
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

/// Children of a node, in document order.
#[derive(Clone)]
pub struct Children<'a> {
    nodes: &'a [Node],
    next: u32,
}

impl Iterator for Children<'_> {
    type Item = NodeId;

    fn next(&mut self) -> Option<NodeId> {
        let id = self.next;
        let node = self.nodes.get(id as usize)?;
        self.next = node.next_sibling;
        Some(id as usize)
    }
}

impl Document {
    /// Parses `source`, refusing DTDs, unknown entities and anything past `limits`.
    pub fn parse(source: &str, limits: &Limits) -> Result<Document, XmlError> {
        if source.len() >= MAX_SOURCE_BYTES {
            return Err(XmlError {
                offset: MAX_SOURCE_BYTES,
                path: String::new(),
                message: "XML documents of 1 GiB or more are not supported".into(),
            });
        }
        let mut reader = Reader::from_str(source);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        config.check_comments = false;
        let mut b = Builder::new(source, limits);
        // Raw characters XML forbids are found in one pass over the source; the error is raised
        // when the parser reaches them, so that it names the element they sit in.
        let forbidden = first_forbidden_char(source);
        loop {
            let start = reader.buffer_position() as usize;
            let event = match reader.read_event() {
                Ok(e) => e,
                Err(e) => {
                    let offset = reader.error_position() as usize;
                    return Err(b.error(offset, format!("malformed XML: {e}")));
                }
            };
            let end = reader.buffer_position() as usize;
            if let Some((at, c)) = forbidden
                && (end > at || matches!(event, Event::Eof))
            {
                return Err(b.error(at, forbidden_message(c)));
            }
            let span = Span { start, end };
            match event {
                Event::Eof => break,
                Event::Decl(_) => {}
                Event::DocType(_) => {
                    return Err(b.error(
                        start,
                        "a DOCTYPE (DTD) declaration is present; DTDs and entity declarations are \
                         rejected and never expanded or fetched"
                            .into(),
                    ));
                }
                Event::Start(tag) => b.open(&tag, span, false)?,
                Event::Empty(tag) => b.open(&tag, span, true)?,
                Event::End(_) => b.close(end),
                Event::Text(t) => {
                    let text = b.store(t.xml10_content());
                    b.text(text, span)?;
                }
                Event::CData(t) => {
                    let text = b.store(t.into_inner());
                    b.text(text, span)?;
                }
                Event::GeneralRef(r) => {
                    let name = r.xml10_content();
                    let resolved = resolve_reference(&name).ok_or_else(|| {
                        b.error(
                            start,
                            format!(
                                "undeclared entity reference &{name};: only the five XML \
                                 entities and character references are accepted"
                            ),
                        )
                    })?;
                    if is_forbidden(resolved) {
                        return Err(b.error(start, forbidden_message(resolved)));
                    }
                    let text = b.store_owned(resolved.encode_utf8(&mut [0; 4]));
                    b.text(text, span)?;
                }
                Event::Comment(t) => {
                    let text = b.store(t.xml10_content());
                    b.leaf(RawKind::Comment(text), span)?;
                }
                Event::PI(pi) => {
                    let text = format!("{} {}", pi.target(), pi.content().trim_start());
                    let text = b.store_owned(&text);
                    b.leaf(RawKind::Pi(text), span)?;
                }
            }
        }
        if let Some(&(open, _)) = b.stack.last() {
            let name = b.element_name(open);
            return Err(b.error(
                source.len(),
                format!("the document ends before </{name}> closes"),
            ));
        }
        let root = b
            .root
            .ok_or_else(|| b.error(0, "no root element: the input holds no XML element".into()))?;
        Ok(Document {
            nodes: b.nodes,
            root,
            source: source.to_string(),
            pool: b.pool,
            attrs: b.attrs,
            decls: b.decls,
            line_starts: OnceLock::new(),
            char_marks: OnceLock::new(),
            sibling_pos: OnceLock::new(),
        })
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

    /// Every child node of `id` (elements, text, comments, processing instructions), in order.
    pub fn children(&self, id: NodeId) -> Children<'_> {
        Children {
            nodes: &self.nodes,
            next: self.nodes[id].first_child,
        }
    }

    /// Child elements of `id`, in order.
    pub fn child_elements(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.children(id).filter(|&c| self.is_element(c))
    }

    /// Child elements with the given namespace and local name.
    pub fn children_named<'a>(
        &'a self,
        id: NodeId,
        ns: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = NodeId> + 'a {
        self.children(id).filter(move |&c| self.is(c, ns, local))
    }

    /// The first child element with the given namespace and local name.
    pub fn child(&self, id: NodeId, ns: &str, local: &str) -> Option<NodeId> {
        self.children_named(id, ns, local).next()
    }

    /// True when `id` is an element with this namespace URI and local name.
    pub fn is(&self, id: NodeId, ns: &str, local: &str) -> bool {
        match self.nodes[id].kind {
            RawKind::Element {
                local: l,
                ns: Some(n),
                ..
            } => same(self.str(l), local) && same(self.str(n), ns),
            _ => false,
        }
    }

    /// The ordinary attributes of element `id` (none for other nodes), in document order.
    pub fn attributes(&self, id: NodeId) -> impl ExactSizeIterator<Item = Attr<'_>> + Clone {
        self.raw_attrs(id).iter().map(|a| Attr {
            prefix: a.prefix.map(|p| self.str(p)),
            local: self.str(a.local),
            ns: a.ns.map(|n| self.str(n)),
            value: self.str(a.value),
        })
    }

    fn raw_attrs(&self, id: NodeId) -> &[RawAttr] {
        match self.nodes[id].kind {
            RawKind::Element { attrs, .. } => &self.attrs[attrs.0 as usize..attrs.1 as usize],
            _ => &[],
        }
    }

    /// An unqualified attribute's value (SAML's own attributes carry no prefix).
    pub fn attr(&self, id: NodeId, local: &str) -> Option<&str> {
        self.raw_attrs(id)
            .iter()
            .find(|a| a.prefix.is_none() && self.str(a.local) == local)
            .map(|a| self.str(a.value))
    }

    /// A namespaced attribute's value.
    pub fn attr_ns(&self, id: NodeId, ns: &str, local: &str) -> Option<&str> {
        self.raw_attrs(id)
            .iter()
            .find(|a| a.ns.is_some_and(|n| self.str(n) == ns) && self.str(a.local) == local)
            .map(|a| self.str(a.value))
    }

    /// All text below `id`, comments and processing instructions skipped (the XML infoset value).
    pub fn text(&self, id: NodeId) -> String {
        self.text_ref(id).into_owned()
    }

    /// [`Document::text`], borrowed from the document when it is one text node (or none), as
    /// almost every element's text is.
    pub fn text_ref(&self, id: NodeId) -> std::borrow::Cow<'_, str> {
        let mut children = self.children(id);
        match (children.next(), children.next()) {
            (None, _) => std::borrow::Cow::Borrowed(""),
            (Some(c), None) if !self.is_element(c) => match self.nodes[c].kind {
                RawKind::Text(s) => std::borrow::Cow::Borrowed(self.str(s)),
                _ => std::borrow::Cow::Borrowed(""),
            },
            _ => {
                let mut out = String::new();
                self.collect_text(id, &mut out);
                std::borrow::Cow::Owned(out)
            }
        }
    }

    fn collect_text(&self, id: NodeId, out: &mut String) {
        for c in self.children(id) {
            match self.nodes[c].kind {
                RawKind::Text(s) => out.push_str(self.str(s)),
                RawKind::Element { .. } => self.collect_text(c, out),
                _ => {}
            }
        }
    }

    /// True when `id` directly holds a comment or processing instruction among its text.
    pub fn has_comment_or_pi(&self, id: NodeId) -> bool {
        self.children(id)
            .any(|c| matches!(self.nodes[c].kind, RawKind::Comment(_) | RawKind::Pi(_)))
    }

    /// A readable path such as `/samlp:Response/saml:Assertion[2]/saml:Subject`.
    pub fn path(&self, id: NodeId) -> String {
        use std::fmt::Write;
        let mut chain = Vec::with_capacity(8);
        let mut cur = Some(id);
        while let Some(n) = cur {
            if self.is_element(n) {
                chain.push(n);
            }
            cur = self.nodes[n].parent;
        }
        let mut out = String::with_capacity(chain.len() * 16);
        for &n in chain.iter().rev() {
            let Some(e) = self.element(n) else { continue };
            out.push('/');
            if let Some(p) = e.prefix {
                out.push_str(p);
                out.push(':');
            }
            out.push_str(e.local);
            if let Some(i) = self.sibling_index(n) {
                let _ = write!(out, "[{i}]");
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }

    /// 1-based position among same-named siblings, or None when the name is unique there.
    fn sibling_index(&self, id: NodeId) -> Option<usize> {
        let parent = self.nodes[id].parent?;
        // A few siblings are counted on the spot; a wide parent is counted once for the whole
        // document, so that paths into it stay linear however many are asked for.
        let pos = match self.children(parent).nth(SIBLING_SCAN_LIMIT) {
            None => self.sibling_position(parent, id),
            Some(_) => {
                let all = self
                    .sibling_pos
                    .get_or_init(|| self.compute_sibling_positions());
                all.get(id).copied().unwrap_or(0)
            }
        };
        (pos > 0).then_some(pos as usize)
    }

    /// [`Document::sibling_index`] by scanning the children of `parent`: 0 when unique.
    fn sibling_position(&self, parent: NodeId, id: NodeId) -> u32 {
        let Some(me) = self.name_key(id) else {
            return 0;
        };
        let (mut before, mut total) = (0, 0);
        for c in self.children(parent) {
            if c == id {
                before = total;
            }
            if self
                .name_key(c)
                .is_some_and(|k| same(k.1, me.1) && k.0 == me.0)
            {
                total += 1;
            }
        }
        if total > 1 { before + 1 } else { 0 }
    }

    /// (namespace URI, local name) of an element.
    fn name_key(&self, id: NodeId) -> Option<(Option<&str>, &str)> {
        match self.nodes[id].kind {
            RawKind::Element { ns, local, .. } => Some((ns.map(|n| self.str(n)), self.str(local))),
            _ => None,
        }
    }

    /// Position of each element among its same-named siblings (0 when its name is unique there),
    /// computed once so that paths cost only a walk up the ancestors.
    fn compute_sibling_positions(&self) -> Vec<u32> {
        let mut pos = vec![0u32; self.nodes.len()];
        let key = |id: NodeId| match self.nodes[id].kind {
            RawKind::Element { ns, local, .. } => Some((ns.map(|n| self.str(n)), self.str(local))),
            _ => None,
        };
        // Few distinct names per parent: a short list beats hashing. A parent with many children
        // may have as many distinct names, which made the list quadratic (150,000 differently
        // named children took 37 s), so those are counted in a hash map.
        let same_key = |a: &(Option<&str>, &str), b: &(Option<&str>, &str)| {
            same(a.1, b.1) && a.0.unwrap_or("") == b.0.unwrap_or("")
        };
        let mut counts: Vec<((Option<&str>, &str), u32)> = Vec::new();
        let mut many: HashMap<(Option<&str>, &str), u32> = HashMap::new();
        let mut kids: Vec<NodeId> = Vec::new();
        for id in 0..self.nodes.len() {
            kids.clear();
            kids.extend(self.children(id).filter(|&c| self.is_element(c)));
            if kids.len() < 2 {
                continue;
            }
            let distinct_many = kids.len() > 32 && {
                counts.clear();
                kids.iter().filter_map(|&c| key(c)).any(|k| {
                    if !counts.iter().any(|(x, _)| same_key(x, &k)) {
                        counts.push((k, 0));
                    }
                    counts.len() > 32
                })
            };
            if distinct_many {
                many.clear();
                for &c in &kids {
                    if let Some(k) = key(c) {
                        let n = many.entry(k).or_insert(0);
                        *n += 1;
                        pos[c] = *n;
                    }
                }
                for &c in &kids {
                    if key(c).is_some_and(|k| many.get(&k) == Some(&1)) {
                        pos[c] = 0;
                    }
                }
                continue;
            }
            counts.clear();
            for &c in &kids {
                let Some(k) = key(c) else { continue };
                let n = match counts.iter_mut().find(|(x, _)| same_key(x, &k)) {
                    Some((_, n)) => n,
                    None => {
                        counts.push((k, 0));
                        &mut counts.last_mut().expect("just pushed").1
                    }
                };
                *n += 1;
                pos[c] = *n;
            }
            for &c in &kids {
                if key(c).is_some_and(|k| counts.iter().any(|(x, n)| same_key(x, &k) && *n == 1)) {
                    pos[c] = 0;
                }
            }
        }
        pos
    }

    /// 1-based line and column of a byte offset in the source.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source.len());
        let line_starts = self.line_starts.get_or_init(|| line_starts(&self.source));
        let line = line_starts.partition_point(|&s| s <= offset);
        let start = line_starts[line - 1];
        if offset - start <= CHAR_MARK_BYTES {
            let col = count_lead_bytes(&self.source.as_bytes()[start..offset]) + 1;
            return (line, col);
        }
        // Counting the characters from the line start made evidence on a long line quadratic
        // (50,000 values on one line: seconds); the marks bound each count to one block.
        let col = self.chars_before(offset) - self.chars_before(start) + 1;
        (line, col)
    }

    /// Characters (UTF-8 lead bytes) in the source before byte `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / CHAR_MARK_BYTES;
        let from = block * CHAR_MARK_BYTES;
        let marks = self.char_marks.get_or_init(|| char_marks(&self.source));
        marks.get(block).copied().unwrap_or(0)
            + count_lead_bytes(&self.source.as_bytes()[from..offset])
    }

    /// Every element below `id` (not `id` itself), depth first, in document order.
    pub fn descendants(&self, id: NodeId) -> Vec<NodeId> {
        self.descendants_iter(id).collect()
    }

    /// [`Document::descendants`] without collecting them.
    pub fn descendants_iter(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        (id + 1..self.nodes[id].subtree_end as usize).filter(|&n| self.is_element(n))
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

/// Parents with more children than this get their sibling positions computed all at once.
const SIBLING_SCAN_LIMIT: usize = 128;

/// Block size of [`Document`]'s character marks.
const CHAR_MARK_BYTES: usize = 4096;

fn count_lead_bytes(b: &[u8]) -> usize {
    // A sum of 0/1 rather than a filtered count: the compiler vectorises this form.
    b.iter().map(|&c| usize::from(c & 0xC0 != 0x80)).sum()
}

fn line_starts(source: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|p| p + 1))
        .collect()
}

fn char_marks(source: &str) -> Vec<usize> {
    let mut marks = Vec::with_capacity(source.len() / CHAR_MARK_BYTES + 1);
    let mut total = 0;
    marks.push(0);
    for block in source.as_bytes().chunks(CHAR_MARK_BYTES) {
        total += count_lead_bytes(block);
        marks.push(total);
    }
    marks
}

/// XML 1.0 allows no control characters but tab, newline and carriage return, neither raw nor as
/// character references (`&#x1b;`), and not U+FFFE or U+FFFF. They were once accepted, and an
/// escape sequence in an Issuer or attribute value reached the terminal through the text report.
fn is_forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

fn forbidden_message(c: char) -> String {
    format!(
        "character U+{:04X} is not allowed in XML 1.0 (raw or as a character reference)",
        c as u32
    )
}

/// The first character XML 1.0 forbids, with its byte offset.
fn first_forbidden_char(text: &str) -> Option<(usize, char)> {
    // Every forbidden character is an ASCII control byte or starts with 0xEF (U+FFFE, U+FFFF).
    // Blocks are screened with a branch-free fold the compiler vectorises; only a block that
    // holds a suspect byte is decoded.
    const BLOCK: usize = 64;
    let suspect = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0xEF);
    for (i, block) in text.as_bytes().chunks(BLOCK).enumerate() {
        if !block.iter().fold(false, |acc, &b| acc | suspect(b)) {
            continue;
        }
        // Decode from a character boundary at or before the block.
        let mut from = i * BLOCK;
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let to = ((i + 1) * BLOCK + 3).min(text.len());
        let mut to = to;
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        if let Some((off, c)) = text[from..to]
            .char_indices()
            .find(|&(_, c)| is_forbidden(c))
        {
            return Some((from + off, c));
        }
    }
    None
}

/// 1-based line and column (in characters) of a byte offset in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, col)
}

fn qualified(prefix: Option<&str>, local: &str) -> String {
    match prefix {
        Some(p) => format!("{p}:{local}"),
        None => local.to_string(),
    }
}

fn resolve_reference(name: &str) -> Option<char> {
    let ch = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            char::from_u32(code).filter(|&c| c != '\0')?
        }
    };
    Some(ch)
}

/// An attribute read from a start tag, before its namespace is resolved.
struct PendingAttr {
    prefix: Option<Str>,
    local: Str,
    value: Str,
    qname: Str,
}

struct Builder<'s, 'l> {
    src: &'s str,
    nodes: Vec<Node>,
    pool: String,
    attrs: Vec<RawAttr>,
    decls: Vec<RawDecl>,
    /// Open elements, each with its last child so far (for appending and merging text).
    stack: Vec<(NodeId, u32)>,
    /// In-scope namespace bindings; each element pushes its declarations and pops them at its end.
    scopes: Vec<(Option<Str>, Str)>,
    scope_marks: Vec<usize>,
    root: Option<NodeId>,
    limits: &'l Limits,
    pending: Vec<PendingAttr>,
}

impl<'s, 'l> Builder<'s, 'l> {
    fn new(src: &'s str, limits: &'l Limits) -> Self {
        // Roughly one node per 16 bytes of a pretty-printed SAML message.
        let guess = (src.len() / 16).min(limits.max_xml_nodes).min(1 << 16);
        Builder {
            src,
            nodes: Vec::with_capacity(guess),
            pool: initial_pool(),
            attrs: Vec::with_capacity(guess / 4),
            decls: Vec::new(),
            stack: Vec::new(),
            scopes: Vec::new(),
            scope_marks: Vec::new(),
            root: None,
            limits,
            pending: Vec::new(),
        }
    }

    fn s(&self, s: Str) -> &str {
        resolve_str(self.src, &self.pool, s)
    }

    /// Where `text` sits in the source, or a copy of it in the pool when the parser made it.
    fn store(&mut self, text: std::borrow::Cow<'_, str>) -> Str {
        match text {
            std::borrow::Cow::Borrowed(t) => self.locate(t).unwrap_or_else(|| self.store_owned(t)),
            std::borrow::Cow::Owned(t) => self.store_owned(&t),
        }
    }

    /// The range of `sub` when it is a slice of the source.
    fn locate(&self, sub: &str) -> Option<Str> {
        let offset = (sub.as_ptr() as usize).wrapping_sub(self.src.as_ptr() as usize);
        (offset <= self.src.len() && sub.len() <= self.src.len() - offset).then_some(Str {
            start: offset as u32,
            len: sub.len() as u32,
        })
    }

    fn store_owned(&mut self, text: &str) -> Str {
        let start = self.pool.len();
        self.pool.push_str(text);
        Str {
            start: POOL | start as u32,
            len: text.len() as u32,
        }
    }

    /// `name` split at its colon, as ranges.
    fn split_name(&mut self, name: &str) -> (Option<Str>, Str) {
        let whole = self.store(std::borrow::Cow::Borrowed(name));
        // Names are short: a plain byte scan beats the general `str::find` machinery.
        match name.bytes().position(|b| b == b':') {
            Some(i) => (
                Some(Str {
                    start: whole.start,
                    len: i as u32,
                }),
                Str {
                    start: whole.start + i as u32 + 1,
                    len: whole.len - i as u32 - 1,
                },
            ),
            None => (None, whole),
        }
    }

    fn error(&self, offset: usize, message: String) -> XmlError {
        let names: Vec<String> = self
            .stack
            .iter()
            .map(|&(n, _)| self.element_name(n))
            .collect();
        let path = match names.is_empty() {
            true => String::new(),
            false => format!("/{}", names.join("/")),
        };
        XmlError {
            offset,
            path,
            message,
        }
    }

    fn element_name(&self, id: NodeId) -> String {
        match self.nodes[id].kind {
            RawKind::Element { prefix, local, .. } => {
                qualified(prefix.map(|p| self.s(p)), self.s(local))
            }
            _ => String::new(),
        }
    }

    fn push_node(&mut self, kind: RawKind, span: Span) -> Result<NodeId, XmlError> {
        if self.nodes.len() >= self.limits.max_xml_nodes {
            return Err(self.error(
                span.start,
                format!(
                    "more than {} XML nodes; raise --max-xml-nodes if this is genuine",
                    self.limits.max_xml_nodes
                ),
            ));
        }
        let id = self.nodes.len();
        let parent = self.stack.last().map(|&(p, _)| p);
        self.nodes.push(Node {
            kind,
            parent,
            span,
            first_child: NONE,
            next_sibling: NONE,
            subtree_end: id as u32 + 1,
        });
        if let Some((p, last)) = self.stack.last_mut() {
            match *last {
                NONE => self.nodes[*p].first_child = id as u32,
                prev => self.nodes[prev as usize].next_sibling = id as u32,
            }
            *last = id as u32;
        }
        Ok(id)
    }

    fn leaf(&mut self, kind: RawKind, span: Span) -> Result<(), XmlError> {
        if self.stack.is_empty() {
            // Comments and PIs around the root carry nothing SAML reads.
            return Ok(());
        }
        self.push_node(kind, span).map(|_| ())
    }

    fn text(&mut self, text: Str, span: Span) -> Result<(), XmlError> {
        let Some(&(_, last)) = self.stack.last() else {
            if self.s(text).trim().is_empty() {
                return Ok(());
            }
            return Err(self.error(span.start, "text outside the root element".into()));
        };
        // Adjacent text, references and CDATA form one text node, as in the XML infoset.
        if let Some(RawKind::Text(prev)) = self.nodes.get(last as usize).map(|n| n.kind) {
            let merged = self.concat(prev, text);
            let node = &mut self.nodes[last as usize];
            node.kind = RawKind::Text(merged);
            node.span.end = span.end;
            return Ok(());
        }
        self.push_node(RawKind::Text(text), span).map(|_| ())
    }

    /// `a` followed by `b`, in the pool; appends in place when `a` already ends the pool, so that
    /// long runs of references stay linear.
    fn concat(&mut self, a: Str, b: Str) -> Str {
        let a_ends_pool =
            a.start & POOL != 0 && (a.start & !POOL) as usize + a.len as usize == self.pool.len();
        let start = match a_ends_pool {
            true => a.start,
            false => {
                let copy = self.s(a).to_string();
                self.store_owned(&copy).start
            }
        };
        let tail = self.s(b).to_string();
        let added = self.store_owned(&tail);
        Str {
            start,
            len: a.len + added.len,
        }
    }

    fn open(&mut self, tag: &BytesStart, span: Span, empty: bool) -> Result<(), XmlError> {
        if self.stack.is_empty() && self.root.is_some() {
            return Err(self.error(span.start, "a second root element after the first".into()));
        }
        if self.stack.len() >= self.limits.max_xml_depth {
            return Err(self.error(
                span.start,
                format!(
                    "elements nest deeper than {} levels; raise --max-xml-depth if this is genuine",
                    self.limits.max_xml_depth
                ),
            ));
        }
        let name = tag.name();
        let (prefix, local) = self.split_name(name.0);
        let mut pending = std::mem::take(&mut self.pending);
        pending.clear();
        let decls_start = self.decls.len();
        // Duplicates are checked below on namespace-resolved names, which also catches the
        // same name written twice; quick-xml's own check would be a second quadratic pass.
        for attr in tag.attributes().with_checks(false) {
            let attr = attr.map_err(|e| self.error(span.start, format!("bad attribute: {e}")))?;
            let key = attr.key.0;
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| {
                    self.error(span.start, format!("bad value in attribute {key}: {e}"))
                })?;
            if let std::borrow::Cow::Owned(v) = &value
                && let Some(c) = v.chars().find(|&c| is_forbidden(c))
            {
                return Err(self.error(span.start, forbidden_message(c)));
            }
            let value = self.store(value);
            if key == "xmlns" {
                self.decls.push(RawDecl {
                    prefix: None,
                    uri: value,
                });
            } else if key.starts_with("xmlns:") {
                let (_, p) = self.split_name(key);
                self.decls.push(RawDecl {
                    prefix: Some(p),
                    uri: value,
                });
            } else {
                let qname = self.store(std::borrow::Cow::Borrowed(key));
                let (aprefix, alocal) = self.split_name(key);
                pending.push(PendingAttr {
                    prefix: aprefix,
                    local: alocal,
                    value,
                    qname,
                });
            }
            if pending.len() + self.decls.len() - decls_start > self.limits.max_xml_attributes {
                return Err(self.error(
                    span.start,
                    format!(
                        "more than {} attributes on <{}>; raise --max-xml-attributes if this \
                         is genuine",
                        self.limits.max_xml_attributes, name.0
                    ),
                ));
            }
        }
        self.scope_marks.push(self.scopes.len());
        for i in decls_start..self.decls.len() {
            let d = self.decls[i];
            self.scopes.push((d.prefix, d.uri));
        }
        let ns = self.resolve(prefix, true);
        if let Some(p) = prefix
            && ns.is_none()
        {
            let p = self.s(p);
            return Err(self.error(
                span.start,
                format!("namespace prefix `{p}` is not declared"),
            ));
        }
        let attrs_start = self.attrs.len();
        for a in &pending {
            let ans = match a.prefix {
                None => None,
                Some(p) => Some(self.resolve(Some(p), false).ok_or_else(|| {
                    self.error(
                        span.start,
                        format!("namespace prefix `{}` is not declared", self.s(p)),
                    )
                })?),
            };
            let duplicate = self.attrs[attrs_start..].iter().any(|b| {
                self.s(b.local) == self.s(a.local)
                    && b.ns.map(|n| self.s(n)) == ans.map(|n| self.s(n))
            });
            if duplicate {
                let key = self.s(a.qname);
                return Err(self.error(span.start, format!("attribute {key} appears twice")));
            }
            self.attrs.push(RawAttr {
                prefix: a.prefix,
                local: a.local,
                ns: ans,
                value: a.value,
            });
        }
        self.pending = pending;
        let kind = RawKind::Element {
            prefix,
            local,
            ns,
            attrs: (attrs_start as u32, self.attrs.len() as u32),
            decls: (decls_start as u32, self.decls.len() as u32),
        };
        let id = self.push_node(kind, span)?;
        if self.stack.is_empty() {
            self.root = Some(id);
        }
        if empty {
            self.pop_scope();
        } else {
            self.stack.push((id, NONE));
        }
        Ok(())
    }

    fn close(&mut self, end: usize) {
        if let Some((id, _)) = self.stack.pop() {
            self.nodes[id].span.end = end;
            self.nodes[id].subtree_end = self.nodes.len() as u32;
            self.pop_scope();
        }
    }

    fn pop_scope(&mut self) {
        if let Some(mark) = self.scope_marks.pop() {
            self.scopes.truncate(mark);
        }
    }

    fn resolve(&self, prefix: Option<Str>, element: bool) -> Option<Str> {
        let prefix = prefix.map(|p| self.s(p));
        match prefix {
            Some("xml") => return Some(XML_NS),
            Some("xmlns") => return Some(XMLNS_NS),
            None if !element => return None,
            _ => {}
        }
        self.scopes
            .iter()
            .rev()
            .find(|(p, _)| match (p, prefix) {
                (None, None) => true,
                (Some(p), Some(q)) => same(self.s(*p), q),
                _ => false,
            })
            .map(|(_, uri)| *uri)
            .filter(|uri| uri.len > 0)
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
    fn rejects_doctype_without_expanding() {
        let err = parse("<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>")
            .unwrap_err();
        assert!(err.message.contains("DOCTYPE"), "{err}");
        assert_eq!(err.offset, 0);
    }

    #[test]
    fn rejects_unknown_entity() {
        let err = parse("<a>&x;</a>").unwrap_err();
        assert!(err.message.contains("&x;"), "{err}");
        assert_eq!(err.path, "/a");
    }

    #[test]
    fn merges_text_and_references_but_keeps_comments_apart() {
        let doc = parse("<a>x&amp;y<![CDATA[z]]><!--c-->w&#x41;</a>").unwrap();
        assert_eq!(doc.text(doc.root), "x&yzwA");
        assert!(doc.has_comment_or_pi(doc.root));
        assert_eq!(doc.children(doc.root).count(), 3);
    }

    #[test]
    fn caps_depth() {
        let deep = "<a>".repeat(500) + &"</a>".repeat(500);
        let err = parse(&deep).unwrap_err();
        assert!(err.message.contains("deeper"), "{err}");
    }

    #[test]
    fn reports_mismatched_end_with_position() {
        let err = parse("<a><b></a>").unwrap_err();
        assert!(err.message.contains("malformed"), "{err}");
        assert!(err.offset > 0);
    }

    #[test]
    fn reports_unclosed_root() {
        let err = parse("<a><b/>").unwrap_err();
        assert!(err.message.contains("</a>"), "{err}");
    }

    #[test]
    fn undeclared_prefix_is_an_error() {
        assert!(parse("<p:a/>").is_err());
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
    fn long_runs_of_references_merge_into_one_text_node() {
        let body = "a&amp;".repeat(10_000);
        let doc = parse(&format!("<a>{body}</a>")).unwrap();
        assert_eq!(doc.children(doc.root).count(), 1);
        assert_eq!(doc.text(doc.root), "a&".repeat(10_000));
    }

    #[test]
    fn forbidden_characters_are_reported_where_they_are() {
        let err = parse("<a><b>ok\u{1b}[31m</b></a>").unwrap_err();
        assert_eq!(err.offset, 8, "{err}");
        assert_eq!(err.path, "/a/b");
        assert!(err.message.contains("U+001B"), "{err}");
        let err = parse("<a v=\"&#x7;\"/>").unwrap_err();
        assert!(err.message.contains("U+0007"), "{err}");
        let err = parse("<a>&#xFFFF;</a>").unwrap_err();
        assert!(err.message.contains("U+FFFF"), "{err}");
        // U+FF01 shares the lead byte of U+FFFF and is fine.
        assert_eq!(parse("<a>\u{FF01}</a>").unwrap().text(0), "\u{FF01}");
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

    #[test]
    fn namespace_declarations_and_prefixed_attributes_resolve() {
        let doc = parse(
            "<p:a xmlns:p=\"urn:p\" xmlns=\"urn:d\" p:x=\"1\" xml:lang=\"en\"><b xmlns=\"\"/></p:a>",
        )
        .unwrap();
        let e = doc.element(doc.root).unwrap();
        assert_eq!(
            e.ns_decls().collect::<Vec<_>>(),
            [(Some("p"), "urn:p"), (None, "urn:d")]
        );
        assert_eq!(doc.attr_ns(doc.root, "urn:p", "x"), Some("1"));
        assert_eq!(doc.attr_ns(doc.root, XML_URI, "lang"), Some("en"));
        let b = doc.child_elements(doc.root).next().unwrap();
        assert_eq!(
            doc.element(b).unwrap().ns,
            None,
            "xmlns=\"\" undeclares the default"
        );
        assert!(parse("<a p:x=\"1\"/>").is_err());
        assert!(parse("<a x=\"1\" x=\"2\"/>").is_err());
        assert!(parse("<a xmlns:p=\"urn:p\" xmlns:q=\"urn:p\" p:x=\"1\" q:x=\"2\"/>").is_err());
    }

    #[test]
    fn line_and_column() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
    }
}
