//! A small, hardened XML tree with source positions.
//!
//! quick-xml tokenises; this module builds an arena of nodes that keeps, for every element, its
//! namespace (resolved by URI, never by prefix), its attributes, and the byte range it came from,
//! so that findings can point at the line of the original paste. DTDs and entity declarations are
//! rejected outright, unknown entity references are errors, and depth, node and attribute counts
//! are capped by [`Limits`].

use crate::limits::Limits;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// Index of a node in [`Document::nodes`].
pub type NodeId = usize;

/// A byte range in the XML text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

/// An attribute as written, with its namespace resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr {
    pub prefix: Option<String>,
    pub local: String,
    /// Shared with every other use of the same namespace declaration.
    pub ns: Option<Arc<str>>,
    pub value: String,
}

impl Attr {
    /// The attribute's name as written (`prefix:local` or `local`).
    pub fn qname(&self) -> String {
        match &self.prefix {
            Some(p) => format!("{p}:{}", self.local),
            None => self.local.clone(),
        }
    }
}

/// An element, with namespace declarations kept apart from ordinary attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub prefix: Option<String>,
    pub local: String,
    pub ns: Option<Arc<str>>,
    pub attrs: Vec<Attr>,
    /// `xmlns` (prefix `None`) and `xmlns:p` declarations on this element, in document order.
    pub ns_decls: Vec<(Option<String>, String)>,
}

/// What a node is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    Element(Element),
    /// Character data, with entity and character references resolved and CDATA merged in.
    Text(String),
    Comment(String),
    /// A processing instruction: target and data as written.
    Pi(String),
}

/// One node of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub kind: NodeKind,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
    /// From the first byte of the node to the byte after it (the whole element for elements).
    pub span: Span,
}

/// A parsed document: the node arena and the source text the spans point into.
#[derive(Debug, Clone)]
pub struct Document {
    pub nodes: Vec<Node>,
    pub root: NodeId,
    pub source: String,
    /// Byte offset of the start of each line, for position lookups by binary search.
    line_starts: Vec<usize>,
    /// Characters before each [`CHAR_MARK_BYTES`] boundary of the source, so a column costs at
    /// most two blocks of counting however long the line is.
    char_marks: Vec<usize>,
    /// Per node: 1-based position among same-named element siblings, 0 when the name is unique.
    sibling_pos: Vec<u32>,
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

struct Builder<'a> {
    nodes: Vec<Node>,
    stack: Vec<NodeId>,
    /// In-scope namespace bindings; each element pushes its declarations and pops them at its end.
    scopes: Vec<(Option<String>, Arc<str>)>,
    scope_marks: Vec<usize>,
    root: Option<NodeId>,
    limits: &'a Limits,
}

impl Document {
    /// Parses `source`, refusing DTDs, unknown entities and anything past `limits`.
    pub fn parse(source: &str, limits: &Limits) -> Result<Document, XmlError> {
        let mut reader = Reader::from_str(source);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        config.check_comments = false;
        let mut b = Builder {
            nodes: Vec::new(),
            stack: Vec::new(),
            scopes: Vec::new(),
            scope_marks: Vec::new(),
            root: None,
            limits,
        };
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
                    let text = t.xml10_content();
                    b.text(&text, span)?;
                }
                Event::CData(t) => {
                    let raw = t.into_inner().into_owned();
                    b.text(&raw, span)?;
                }
                Event::GeneralRef(r) => {
                    let resolved = resolve_reference(&r.xml10_content()).ok_or_else(|| {
                        b.error(
                            start,
                            format!(
                                "undeclared entity reference &{};: only the five XML \
                                     entities and character references are accepted",
                                r.xml10_content()
                            ),
                        )
                    })?;
                    b.text(&resolved, span)?;
                }
                Event::Comment(t) => {
                    let text = t.xml10_content().into_owned();
                    b.leaf(NodeKind::Comment(text), span)?;
                }
                Event::PI(pi) => {
                    let text = format!("{} {}", pi.target(), pi.content().trim_start());
                    b.leaf(NodeKind::Pi(text), span)?;
                }
            }
        }
        if let Some(&open) = b.stack.last() {
            let name = b.element_name(open);
            return Err(b.error(
                source.len(),
                format!("the document ends before </{name}> closes"),
            ));
        }
        let root = b
            .root
            .ok_or_else(|| b.error(0, "no root element: the input holds no XML element".into()))?;
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', source.as_bytes()).map(|p| p + 1))
            .collect();
        let mut doc = Document {
            nodes: b.nodes,
            root,
            source: source.to_string(),
            line_starts,
            char_marks: char_marks(source),
            sibling_pos: Vec::new(),
        };
        doc.sibling_pos = doc.compute_sibling_positions();
        Ok(doc)
    }

    /// A document with no nodes, a placeholder while a parsed one is moved elsewhere.
    pub fn empty() -> Document {
        Document {
            nodes: Vec::new(),
            root: 0,
            source: String::new(),
            line_starts: vec![0],
            char_marks: vec![0],
            sibling_pos: Vec::new(),
        }
    }

    /// Position of each element among its same-named siblings (0 when its name is unique there),
    /// computed once so that paths cost only a walk up the ancestors.
    fn compute_sibling_positions(&self) -> Vec<u32> {
        let mut pos = vec![0u32; self.nodes.len()];
        let key = |id: NodeId| {
            self.element(id)
                .map(|e| (e.ns.as_deref(), e.local.as_str()))
        };
        // Few distinct names per parent: a short list beats hashing. A parent with many children
        // may have as many distinct names, which made the list quadratic (150,000 differently
        // named children took 37 s), so those are counted in a hash map.
        let mut counts: Vec<((Option<&str>, &str), u32)> = Vec::new();
        let mut many: HashMap<(Option<&str>, &str), u32> = HashMap::new();
        for node in self.nodes.iter().filter(|n| n.children.len() > 1) {
            let distinct_many = node.children.len() > 32 && {
                counts.clear();
                node.children.iter().filter_map(|&c| key(c)).any(|k| {
                    if !counts.iter().any(|(x, _)| *x == k) {
                        counts.push((k, 0));
                    }
                    counts.len() > 32
                })
            };
            if distinct_many {
                many.clear();
                for &c in &node.children {
                    if let Some(k) = key(c) {
                        let n = many.entry(k).or_insert(0);
                        *n += 1;
                        pos[c] = *n;
                    }
                }
                for &c in &node.children {
                    if key(c).is_some_and(|k| many.get(&k) == Some(&1)) {
                        pos[c] = 0;
                    }
                }
                continue;
            }
            counts.clear();
            for &c in &node.children {
                let Some(k) = key(c) else { continue };
                let n = match counts.iter_mut().find(|(x, _)| *x == k) {
                    Some((_, n)) => n,
                    None => {
                        counts.push((k, 0));
                        &mut counts.last_mut().expect("just pushed").1
                    }
                };
                *n += 1;
                pos[c] = *n;
            }
            for &c in &node.children {
                if key(c).is_some_and(|k| counts.iter().any(|(x, n)| *x == k && *n == 1)) {
                    pos[c] = 0;
                }
            }
        }
        pos
    }

    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.nodes[id].kind {
            NodeKind::Element(e) => Some(e),
            _ => None,
        }
    }

    /// Child elements of `id`, in order.
    pub fn child_elements(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        self.nodes[id]
            .children
            .iter()
            .copied()
            .filter(|&c| self.element(c).is_some())
    }

    /// Child elements with the given namespace and local name.
    pub fn children_named<'a>(
        &'a self,
        id: NodeId,
        ns: &'a str,
        local: &'a str,
    ) -> impl Iterator<Item = NodeId> + 'a {
        self.child_elements(id)
            .filter(move |&c| self.is(c, ns, local))
    }

    /// The first child element with the given namespace and local name.
    pub fn child(&self, id: NodeId, ns: &str, local: &str) -> Option<NodeId> {
        self.children_named(id, ns, local).next()
    }

    /// True when `id` is an element with this namespace URI and local name.
    pub fn is(&self, id: NodeId, ns: &str, local: &str) -> bool {
        self.element(id)
            .is_some_and(|e| e.local == local && e.ns.as_deref() == Some(ns))
    }

    /// An unqualified attribute's value (SAML's own attributes carry no prefix).
    pub fn attr(&self, id: NodeId, local: &str) -> Option<&str> {
        self.element(id)?
            .attrs
            .iter()
            .find(|a| a.prefix.is_none() && a.local == local)
            .map(|a| a.value.as_str())
    }

    /// A namespaced attribute's value.
    pub fn attr_ns(&self, id: NodeId, ns: &str, local: &str) -> Option<&str> {
        self.element(id)?
            .attrs
            .iter()
            .find(|a| a.ns.as_deref() == Some(ns) && a.local == local)
            .map(|a| a.value.as_str())
    }

    /// All text below `id`, comments and processing instructions skipped (the XML infoset value).
    pub fn text(&self, id: NodeId) -> String {
        let mut out = String::new();
        self.collect_text(id, &mut out);
        out
    }

    fn collect_text(&self, id: NodeId, out: &mut String) {
        for &c in &self.nodes[id].children {
            match &self.nodes[c].kind {
                NodeKind::Text(t) => out.push_str(t),
                NodeKind::Element(_) => self.collect_text(c, out),
                _ => {}
            }
        }
    }

    /// True when `id` directly holds a comment or processing instruction among its text.
    pub fn has_comment_or_pi(&self, id: NodeId) -> bool {
        self.nodes[id]
            .children
            .iter()
            .any(|&c| matches!(self.nodes[c].kind, NodeKind::Comment(_) | NodeKind::Pi(_)))
    }

    /// A readable path such as `/samlp:Response/saml:Assertion[2]/saml:Subject`.
    pub fn path(&self, id: NodeId) -> String {
        let mut parts = Vec::new();
        let mut cur = Some(id);
        while let Some(n) = cur {
            if let Some(e) = self.element(n) {
                let name = qualified(e);
                let index = self.sibling_index(n);
                parts.push(match index {
                    Some(i) => format!("{name}[{i}]"),
                    None => name,
                });
            }
            cur = self.nodes[n].parent;
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    /// 1-based position among same-named siblings, or None when the name is unique there.
    fn sibling_index(&self, id: NodeId) -> Option<usize> {
        match self.sibling_pos.get(id).copied().unwrap_or(0) {
            0 => None,
            p => Some(p as usize),
        }
    }

    /// 1-based line and column of a byte offset in the source.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source.len());
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        // Counting the characters from the line start made evidence on a long line quadratic
        // (50,000 values on one line: seconds); the marks bound each count to one block.
        let col = self.chars_before(offset) - self.chars_before(start) + 1;
        (line, col)
    }

    /// Characters (UTF-8 lead bytes) in the source before byte `offset`.
    fn chars_before(&self, offset: usize) -> usize {
        let block = offset / CHAR_MARK_BYTES;
        let from = block * CHAR_MARK_BYTES;
        self.char_marks.get(block).copied().unwrap_or(0)
            + count_lead_bytes(&self.source.as_bytes()[from..offset])
    }

    /// Every element below `id` (not `id` itself), depth first, in document order.
    pub fn descendants(&self, id: NodeId) -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut stack: Vec<NodeId> = self.nodes[id].children.iter().rev().copied().collect();
        while let Some(n) = stack.pop() {
            if self.element(n).is_some() {
                out.push(n);
                stack.extend(self.nodes[n].children.iter().rev().copied());
            }
        }
        out
    }
}

/// Block size of [`Document`]'s character marks.
const CHAR_MARK_BYTES: usize = 4096;

fn count_lead_bytes(b: &[u8]) -> usize {
    b.iter().filter(|&&c| c & 0xC0 != 0x80).count()
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

fn qualified(e: &Element) -> String {
    match &e.prefix {
        Some(p) => format!("{p}:{}", e.local),
        None => e.local.clone(),
    }
}

fn resolve_reference(name: &str) -> Option<String> {
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
    Some(ch.to_string())
}

fn split_qname(name: &str) -> (Option<String>, String) {
    match name.split_once(':') {
        Some((p, l)) => (Some(p.to_string()), l.to_string()),
        None => (None, name.to_string()),
    }
}

impl Builder<'_> {
    fn error(&self, offset: usize, message: String) -> XmlError {
        let path = self
            .stack
            .last()
            .map(|&n| self.partial_path(n))
            .unwrap_or_default();
        XmlError {
            offset,
            path,
            message,
        }
    }

    fn element_name(&self, id: NodeId) -> String {
        match &self.nodes[id].kind {
            NodeKind::Element(e) => qualified(e),
            _ => String::new(),
        }
    }

    fn partial_path(&self, id: NodeId) -> String {
        let names: Vec<String> = self.stack.iter().map(|&n| self.element_name(n)).collect();
        let _ = id;
        format!("/{}", names.join("/"))
    }

    fn push_node(&mut self, kind: NodeKind, span: Span) -> Result<NodeId, XmlError> {
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
        let parent = self.stack.last().copied();
        self.nodes.push(Node {
            kind,
            parent,
            children: Vec::new(),
            span,
        });
        if let Some(p) = parent {
            self.nodes[p].children.push(id);
        }
        Ok(id)
    }

    /// XML 1.0 allows no control characters but tab, newline and carriage return, neither raw
    /// nor as character references (`&#x1b;`). They were accepted, and an escape sequence in an
    /// Issuer or attribute value reached the terminal through the text report.
    fn check_chars(&self, text: &str, span: Span) -> Result<(), XmlError> {
        // Every forbidden character is an ASCII control byte or starts with 0xEF (U+FFFE, U+FFFF):
        // a byte scan clears ordinary text without decoding it.
        if !text.bytes().any(|b| b < 0x20 || b == 0xEF) {
            return Ok(());
        }
        match text
            .chars()
            .find(|&c| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}'))
        {
            Some(c) => Err(self.error(
                span.start,
                format!(
                    "character U+{:04X} is not allowed in XML 1.0 (raw or as a character reference)",
                    c as u32
                ),
            )),
            None => Ok(()),
        }
    }

    fn leaf(&mut self, kind: NodeKind, span: Span) -> Result<(), XmlError> {
        if let NodeKind::Comment(t) | NodeKind::Pi(t) = &kind {
            self.check_chars(t, span)?;
        }
        if self.stack.is_empty() {
            // Comments and PIs around the root carry nothing SAML reads.
            return Ok(());
        }
        self.push_node(kind, span).map(|_| ())
    }

    fn text(&mut self, text: &str, span: Span) -> Result<(), XmlError> {
        self.check_chars(text, span)?;
        let Some(&parent) = self.stack.last() else {
            if text.trim().is_empty() {
                return Ok(());
            }
            return Err(self.error(span.start, "text outside the root element".into()));
        };
        // Adjacent text, references and CDATA form one text node, as in the XML infoset.
        if let Some(&last) = self.nodes[parent].children.last()
            && let NodeKind::Text(prev) = &mut self.nodes[last].kind
        {
            prev.push_str(text);
            self.nodes[last].span.end = span.end;
            return Ok(());
        }
        self.push_node(NodeKind::Text(text.to_string()), span)
            .map(|_| ())
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
        let (prefix, local) = split_qname(name.0);
        let mut raw_attrs = Vec::new();
        let mut ns_decls = Vec::new();
        for attr in tag.attributes() {
            let attr = attr.map_err(|e| self.error(span.start, format!("bad attribute: {e}")))?;
            let key = attr.key.0.to_string();
            let value = attr
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| self.error(span.start, format!("bad value in attribute {key}: {e}")))?
                .into_owned();
            if key == "xmlns" {
                ns_decls.push((None, value));
            } else if let Some(p) = key.strip_prefix("xmlns:") {
                ns_decls.push((Some(p.to_string()), value));
            } else {
                raw_attrs.push((key, value));
            }
            if raw_attrs.len() + ns_decls.len() > self.limits.max_xml_attributes {
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
        self.scopes.extend(
            ns_decls
                .iter()
                .map(|(p, u)| (p.clone(), Arc::from(u.as_str()))),
        );
        let ns = self.resolve(prefix.as_deref(), true);
        if prefix.is_some() && ns.is_none() {
            let p = prefix.clone().unwrap_or_default();
            return Err(self.error(
                span.start,
                format!("namespace prefix `{p}` is not declared"),
            ));
        }
        let mut attrs = Vec::with_capacity(raw_attrs.len());
        for (key, value) in raw_attrs {
            let (aprefix, alocal) = split_qname(&key);
            let ans = match aprefix.as_deref() {
                None => None,
                Some(p) => Some(self.resolve(Some(p), false).ok_or_else(|| {
                    self.error(
                        span.start,
                        format!("namespace prefix `{p}` is not declared"),
                    )
                })?),
            };
            if attrs
                .iter()
                .any(|a: &Attr| a.local == alocal && a.ns == ans)
            {
                return Err(self.error(span.start, format!("attribute {key} appears twice")));
            }
            self.check_chars(&value, span)?;
            attrs.push(Attr {
                prefix: aprefix,
                local: alocal,
                ns: ans,
                value,
            });
        }
        let element = Element {
            prefix,
            local,
            ns,
            attrs,
            ns_decls,
        };
        let id = self.push_node(NodeKind::Element(element), span)?;
        if self.stack.is_empty() {
            self.root = Some(id);
        }
        if empty {
            self.pop_scope();
        } else {
            self.stack.push(id);
        }
        Ok(())
    }

    fn close(&mut self, end: usize) {
        if let Some(id) = self.stack.pop() {
            self.nodes[id].span.end = end;
            self.pop_scope();
        }
    }

    fn pop_scope(&mut self) {
        if let Some(mark) = self.scope_marks.pop() {
            self.scopes.truncate(mark);
        }
    }

    fn resolve(&self, prefix: Option<&str>, element: bool) -> Option<Arc<str>> {
        match prefix {
            Some("xml") => return Some(Arc::from(XML_URI)),
            Some("xmlns") => return Some(Arc::from(XMLNS_URI)),
            None if !element => return None,
            _ => {}
        }
        self.scopes
            .iter()
            .rev()
            .find(|(p, _)| p.as_deref() == prefix)
            .map(|(_, uri)| uri.clone())
            .filter(|uri| !uri.is_empty())
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
        assert_eq!(doc.nodes[doc.root].children.len(), 3);
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
    fn line_and_column() {
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
        assert_eq!(line_col("ab", 0), (1, 1));
    }
}
