//! Walking the tree: children, descendants, attributes and the text of a node.

use super::{Attr, Document, Node, NodeId, RawAttr, RawKind, same};

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

    /// Every element below `id` (not `id` itself), depth first, in document order.
    pub fn descendants(&self, id: NodeId) -> Vec<NodeId> {
        self.descendants_iter(id).collect()
    }

    /// [`Document::descendants`] without collecting them.
    pub fn descendants_iter(&self, id: NodeId) -> impl Iterator<Item = NodeId> + '_ {
        (id + 1..self.nodes[id].subtree_end as usize).filter(|&n| self.is_element(n))
    }
}
