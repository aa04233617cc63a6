//! Building the tree from the parser's events: the string pool, nodes and text merging, and the
//! node cap; start tags (attributes, declarations, one root, depth) are in `start_tag.rs`.

use super::ns::Scopes;
use super::start_tag::PendingAttr;
use super::{
    NONE, Node, NodeId, POOL, RawAttr, RawDecl, RawKind, Span, Str, XmlError, initial_pool,
    resolve_str,
};
use crate::limits::Limits;

pub(super) fn qualified(prefix: Option<&str>, local: &str) -> String {
    match prefix {
        Some(p) => format!("{p}:{local}"),
        None => local.to_string(),
    }
}

pub(super) struct Builder<'s, 'l> {
    pub(super) src: &'s str,
    pub(super) nodes: Vec<Node>,
    pub(super) pool: String,
    pub(super) attrs: Vec<RawAttr>,
    pub(super) decls: Vec<RawDecl>,
    /// Open elements, each with its last child so far (for appending and merging text).
    pub(super) stack: Vec<(NodeId, u32)>,
    pub(super) scopes: Scopes,
    pub(super) root: Option<NodeId>,
    pub(super) limits: &'l Limits,
    pub(super) pending: Vec<PendingAttr>,
}

impl<'s, 'l> Builder<'s, 'l> {
    pub(super) fn new(src: &'s str, limits: &'l Limits) -> Self {
        // Roughly one node per 16 bytes of a pretty-printed SAML message.
        let guess = (src.len() / 16).min(limits.max_xml_nodes).min(1 << 16);
        Builder {
            src,
            nodes: Vec::with_capacity(guess),
            pool: initial_pool(),
            attrs: Vec::with_capacity(guess / 4),
            decls: Vec::new(),
            stack: Vec::new(),
            scopes: Scopes::default(),
            root: None,
            limits,
            pending: Vec::new(),
        }
    }

    pub(super) fn s(&self, s: Str) -> &str {
        resolve_str(self.src, &self.pool, s)
    }

    /// Where `text` sits in the source, or a copy of it in the pool when the parser made it.
    pub(super) fn store(&mut self, text: std::borrow::Cow<'_, str>) -> Str {
        match text {
            std::borrow::Cow::Borrowed(t) => self.locate(t).unwrap_or_else(|| self.store_owned(t)),
            std::borrow::Cow::Owned(t) => self.store_owned(&t),
        }
    }

    /// The range of `sub` when it is a slice of the source.
    pub(super) fn locate(&self, sub: &str) -> Option<Str> {
        let offset = (sub.as_ptr() as usize).wrapping_sub(self.src.as_ptr() as usize);
        (offset <= self.src.len() && sub.len() <= self.src.len() - offset).then_some(Str {
            start: offset as u32,
            len: sub.len() as u32,
        })
    }

    pub(super) fn store_owned(&mut self, text: &str) -> Str {
        let start = self.pool.len();
        self.pool.push_str(text);
        Str {
            start: POOL | start as u32,
            len: text.len() as u32,
        }
    }

    /// `name` split at its colon, as ranges.
    pub(super) fn split_name(&mut self, name: &str) -> (Option<Str>, Str) {
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

    pub(super) fn error(&self, offset: usize, message: String) -> XmlError {
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

    pub(super) fn element_name(&self, id: NodeId) -> String {
        match self.nodes[id].kind {
            RawKind::Element { prefix, local, .. } => {
                qualified(prefix.map(|p| self.s(p)), self.s(local))
            }
            _ => String::new(),
        }
    }

    pub(super) fn push_node(&mut self, kind: RawKind, span: Span) -> Result<NodeId, XmlError> {
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

    pub(super) fn leaf(&mut self, kind: RawKind, span: Span) -> Result<(), XmlError> {
        if self.stack.is_empty() {
            // Comments and PIs around the root carry nothing SAML reads.
            return Ok(());
        }
        self.push_node(kind, span).map(|_| ())
    }

    pub(super) fn text(&mut self, text: Str, span: Span) -> Result<(), XmlError> {
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
    pub(super) fn concat(&mut self, a: Str, b: Str) -> Str {
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

    pub(super) fn close(&mut self, end: usize) {
        if let Some((id, _)) = self.stack.pop() {
            self.nodes[id].span.end = end;
            self.nodes[id].subtree_end = self.nodes.len() as u32;
            self.scopes.leave();
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::limits::Limits;
    use crate::xml::{Document, XmlError};

    fn parse(s: &str) -> Result<Document, XmlError> {
        Document::parse(s, &Limits::default())
    }

    #[test]
    fn long_runs_of_references_merge_into_one_text_node() {
        let body = "a&amp;".repeat(10_000);
        let doc = parse(&format!("<a>{body}</a>")).unwrap();
        assert_eq!(doc.children(doc.root).count(), 1);
        assert_eq!(doc.text(doc.root), "a&".repeat(10_000));
    }
}
