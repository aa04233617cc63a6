//! The subtree walk: start and end tags with their namespace declarations and sorted
//! attributes, text, comments and processing instructions.
//!
//! The work per element is proportional to the element's own attributes and namespace
//! declarations (plus a sort of those): bindings are looked up per prefix in O(1) ([`super::scope`]),
//! and the exclusive-C14N PrefixList is consulted only where it can change the output (see
//! [`Writer::exclusive_decls`]), so neither the number of prefixes in scope nor the length of the
//! PrefixList multiplies the number of elements.

use super::escape::{escape_attr, escape_text};
use super::scope::{Bindings, Prefixes, Slot};
use crate::xml::{Document, Element, NodeId, NodeKind, XML_URI};

/// (namespace URI, local name, prefix, value) of one attribute.
type SortableAttr<'a> = (&'a str, &'a str, Option<&'a str>, &'a str);

pub(super) struct Writer<'a, 'o> {
    pub(super) doc: &'a Document,
    pub(super) exclude: Option<NodeId>,
    pub(super) exclusive: bool,
    pub(super) with_comments: bool,
    pub(super) out: &'o mut String,
    /// Every prefix declared on the apex, its ancestors and its subtree.
    pub(super) prefixes: Prefixes<'a>,
    /// Namespace bindings in scope (an empty URI is `xmlns=""`).
    pub(super) in_scope: Bindings<'a>,
    /// Namespace declarations rendered by output ancestors (exclusive C14N).
    pub(super) rendered: Bindings<'a>,
    /// Per slot: named in the `InclusiveNamespaces` PrefixList (exclusive C14N).
    pub(super) listed: Vec<bool>,
    /// The listed slots, each once.
    pub(super) listed_slots: Vec<Slot>,
    /// `xml:*` attributes the apex inherits (inclusive C14N), minus those it carries itself.
    pub(super) inherited: Vec<(&'a str, &'a str)>,
    pub(super) scratch_decls: Vec<(&'a str, &'a str)>,
    pub(super) scratch_slots: Vec<Slot>,
    pub(super) scratch_attrs: Vec<SortableAttr<'a>>,
}

impl<'a> Writer<'a, '_> {
    pub(super) fn element(&mut self, id: NodeId, is_apex: bool) {
        let doc = self.doc;
        let Some(e) = doc.element(id) else { return };
        let scope_mark = self.in_scope.mark();
        let rendered_mark = self.rendered.mark();

        // The scratch lists are reused by every element (they are handed back before the
        // children are written): no allocation per element.
        let mut decls = std::mem::take(&mut self.scratch_decls);
        decls.clear();
        if self.exclusive {
            self.push_scope(e);
            self.exclusive_decls(e, is_apex, &mut decls);
        } else if is_apex {
            self.push_scope(e);
            self.inclusive_apex_decls(&mut decls);
        } else {
            // Below the apex, inclusive C14N compares with the bindings the parent had.
            self.inclusive_decls(e, &mut decls);
            self.push_scope(e);
        }
        decls.sort_unstable_by(|a, b| a.0.cmp(b.0));
        self.start_tag(e, is_apex, &decls);
        self.scratch_decls = decls;

        for c in doc.children(id) {
            if Some(c) == self.exclude {
                continue;
            }
            // Elements first, without building the view `kind` would: `element` builds its own.
            if doc.is_element(c) {
                self.element(c, false);
                continue;
            }
            match doc.kind(c) {
                NodeKind::Element(_) => {} // handled above
                NodeKind::Text(t) => escape_text(self.out, t),
                NodeKind::Comment(t) => {
                    if self.with_comments {
                        self.out.push_str("<!--");
                        self.out.push_str(t);
                        self.out.push_str("-->");
                    }
                }
                NodeKind::Pi(t) => {
                    let (target, data) = t.split_once(' ').unwrap_or((t, ""));
                    self.out.push_str("<?");
                    self.out.push_str(target);
                    if !data.is_empty() {
                        self.out.push(' ');
                        self.out.push_str(data);
                    }
                    self.out.push_str("?>");
                }
            }
        }
        let out = &mut *self.out;
        out.push_str("</");
        push_qname(out, e.prefix, e.local);
        out.push('>');

        self.rendered.pop_to(rendered_mark);
        self.in_scope.pop_to(scope_mark);
    }

    fn push_scope(&mut self, e: Element<'a>) {
        for (p, uri) in e.ns_decls() {
            let slot = self.prefixes.intern(p.unwrap_or(""));
            self.in_scope.push(slot, uri);
        }
    }

    /// Canonical XML 1.0 §2.3: the apex gets every namespace in scope, the nearest declaration
    /// per prefix; an empty default (`xmlns=""`) shadows outer defaults and is itself no
    /// namespace node.
    fn inclusive_apex_decls(&self, decls: &mut Vec<(&'a str, &'a str)>) {
        for (slot, uri) in self.in_scope.innermost() {
            let p = self.prefixes.name(slot);
            if p != "xml" && !uri.is_empty() {
                decls.push((p, uri));
            }
        }
    }

    /// Canonical XML 1.0 §2.3 below the apex: a declaration is written where it changes the
    /// binding the parent element had.
    fn inclusive_decls(&self, e: Element<'a>, decls: &mut Vec<(&'a str, &'a str)>) {
        for (p, uri) in e.ns_decls() {
            let p = p.unwrap_or("");
            if p == "xml" {
                continue;
            }
            let before = self
                .prefixes
                .get(p)
                .and_then(|s| self.in_scope.get(s))
                .unwrap_or("");
            if before != uri {
                decls.push((p, uri));
            }
        }
        // A prefix declared twice on one element (refused by namespace-aware parsers) keeps its
        // first rendered declaration.
        if decls.len() > 1 {
            decls.sort_by(|a, b| a.0.cmp(b.0));
            decls.dedup_by(|later, earlier| later.0 == earlier.0);
        }
    }

    /// Exclusive C14N 1.0 §3: a namespace is rendered on an element that visibly utilizes it
    /// (its own prefix, an attribute's prefix) or, for a prefix of the PrefixList, on an element
    /// in whose namespace axis it is, unless the nearest output ancestor rendered the same
    /// binding.
    ///
    /// A listed prefix can need rendering only on the apex or where its binding changes, i.e.
    /// on an element declaring it: once rendered on the apex (or where declared), the rendered
    /// binding equals the binding in scope until a descendant redeclares the prefix. So below
    /// the apex only the element's own declarations are checked against the list, and the work
    /// per element does not depend on the list's length.
    fn exclusive_decls(
        &mut self,
        e: Element<'a>,
        is_apex: bool,
        decls: &mut Vec<(&'a str, &'a str)>,
    ) {
        let mut wanted = std::mem::take(&mut self.scratch_slots);
        wanted.clear();
        if let Some(s) = self.prefixes.get(e.prefix.unwrap_or("")) {
            wanted.push(s);
        }
        for a in e.attrs() {
            if let Some(p) = a.prefix
                && p != "xml"
                && let Some(s) = self.prefixes.get(p)
            {
                wanted.push(s);
            }
        }
        if is_apex {
            wanted.extend_from_slice(&self.listed_slots);
        } else {
            for (p, _) in e.ns_decls() {
                if let Some(s) = self.prefixes.get(p.unwrap_or(""))
                    && self.listed.get(s).copied().unwrap_or(false)
                {
                    wanted.push(s);
                }
            }
        }
        wanted.sort_unstable();
        wanted.dedup();
        for &s in &wanted {
            let Some(uri) = self.in_scope.get(s).or((s == 0).then_some("")) else {
                continue;
            };
            let shown = self.rendered.get(s).unwrap_or("");
            if shown != uri {
                decls.push((self.prefixes.name(s), uri));
                self.rendered.push(s, uri);
            }
        }
        self.scratch_slots = wanted;
    }

    fn start_tag(&mut self, e: Element<'a>, is_apex: bool, decls: &[(&'a str, &'a str)]) {
        let out = &mut *self.out;
        out.push('<');
        push_qname(out, e.prefix, e.local);
        for (p, uri) in decls {
            if p.is_empty() {
                out.push_str(" xmlns=\"");
            } else {
                out.push_str(" xmlns:");
                out.push_str(p);
                out.push_str("=\"");
            }
            escape_attr(out, uri);
            out.push('"');
        }
        let mut attrs = std::mem::take(&mut self.scratch_attrs);
        attrs.clear();
        attrs.extend(
            e.attrs()
                .map(|a| (a.ns.unwrap_or(""), a.local, a.prefix, a.value)),
        );
        if is_apex {
            attrs.extend(
                self.inherited
                    .iter()
                    .map(|&(local, value)| (XML_URI, local, Some("xml"), value)),
            );
        }
        attrs.sort_unstable_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));
        for &(_, local, prefix, value) in &attrs {
            out.push(' ');
            push_qname(out, prefix, local);
            out.push_str("=\"");
            escape_attr(out, value);
            out.push('"');
        }
        out.push('>');
        self.scratch_attrs = attrs;
    }
}

fn push_qname(out: &mut String, prefix: Option<&str>, local: &str) {
    if let Some(p) = prefix {
        out.push_str(p);
        out.push(':');
    }
    out.push_str(local);
}
