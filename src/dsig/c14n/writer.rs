//! The subtree walk: namespace declarations to render per element (inclusive or exclusive
//! rules), attribute ordering, start and end tags, text, comments and processing instructions.

use super::C14nMethod;
use super::escape::{escape_attr, escape_text};
use crate::xml::{Document, NodeId, NodeKind, XML_URI, same};

pub(super) struct Writer<'a, 'o> {
    pub(super) doc: &'a Document,
    pub(super) exclude: Option<NodeId>,
    pub(super) method: &'a C14nMethod,
    pub(super) out: &'o mut String,
    /// Namespace bindings in scope, innermost last (prefix "" = default namespace).
    pub(super) in_scope: Vec<(&'a str, &'a str)>,
    /// Namespace declarations rendered by output ancestors, innermost last.
    pub(super) rendered: Vec<(&'a str, &'a str)>,
    pub(super) scratch_decls: Vec<(&'a str, &'a str)>,
    pub(super) scratch_wanted: Vec<&'a str>,
    /// (namespace URI, local name, prefix, value) of one element's attributes.
    pub(super) scratch_attrs: Vec<(&'a str, &'a str, Option<&'a str>, &'a str)>,
}

fn lookup<'a>(scope: &[(&'a str, &'a str)], prefix: &str) -> Option<&'a str> {
    scope
        .iter()
        .rev()
        .find(|(p, _)| same(p, prefix))
        .map(|(_, u)| *u)
}

impl<'a> Writer<'a, '_> {
    pub(super) fn element(&mut self, id: NodeId, is_apex: bool, inherited: &[(&'a str, &'a str)]) {
        let doc = self.doc;
        let Some(e) = doc.element(id) else { return };
        let scope_mark = self.in_scope.len();
        for (p, uri) in e.ns_decls() {
            self.in_scope.push((p.unwrap_or(""), uri));
        }
        let rendered_mark = self.rendered.len();

        // Namespace declarations to render. The scratch lists are reused by every element (they
        // are handed back before the children are written): no allocation per element.
        let mut decls = std::mem::take(&mut self.scratch_decls);
        decls.clear();
        match self.method {
            C14nMethod::Inclusive { .. } => {
                if is_apex {
                    // Every binding in scope, nearest declaration per prefix; an empty default
                    // (`xmlns=""`) shadows outer defaults and is itself no namespace node.
                    for &(p, u) in self.in_scope.iter().rev() {
                        if p != "xml" && !decls.iter().any(|(q, _)| same(q, p)) {
                            decls.push((p, u));
                        }
                    }
                    decls.retain(|(_, u)| !u.is_empty());
                } else {
                    for (p, uri) in e.ns_decls() {
                        let p = p.unwrap_or("");
                        if p == "xml" || decls.iter().any(|(q, _)| same(q, p)) {
                            continue;
                        }
                        let before = lookup(&self.in_scope[..scope_mark], p).unwrap_or("");
                        if before != uri {
                            decls.push((p, uri));
                        }
                    }
                }
            }
            C14nMethod::Exclusive {
                inclusive_prefixes, ..
            } => {
                let mut wanted = std::mem::take(&mut self.scratch_wanted);
                wanted.clear();
                wanted.push(e.prefix.unwrap_or(""));
                for a in e.attrs() {
                    if let Some(p) = a.prefix
                        && p != "xml"
                        && !wanted.iter().any(|w| same(w, p))
                    {
                        wanted.push(p);
                    }
                }
                for p in inclusive_prefixes {
                    let p = p.as_str();
                    if p != "xml" && !wanted.iter().any(|w| same(w, p)) {
                        wanted.push(p);
                    }
                }
                for &p in &wanted {
                    let Some(uri) =
                        lookup(&self.in_scope, p).or(if p.is_empty() { Some("") } else { None })
                    else {
                        continue;
                    };
                    let shown = lookup(&self.rendered, p).unwrap_or("");
                    if !same(shown, uri) {
                        decls.push((p, uri));
                    }
                }
                self.scratch_wanted = wanted;
            }
        }
        decls.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for &d in &decls {
            self.rendered.push(d);
        }
        // Start tag.
        let out = &mut *self.out;
        out.push('<');
        push_qname(out, e.prefix, e.local);
        for (p, uri) in &decls {
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
        for &(local, value) in inherited {
            if !attrs.iter().any(|a| a.0 == XML_URI && a.1 == local) {
                attrs.push((XML_URI, local, Some("xml"), value));
            }
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
        self.scratch_decls = decls;

        let with_comments = self.method.with_comments();
        for c in doc.children(id) {
            if Some(c) == self.exclude {
                continue;
            }
            // Elements first, without building the view `kind` would: `element` builds its own.
            if doc.is_element(c) {
                self.element(c, false, &[]);
                continue;
            }
            match doc.kind(c) {
                NodeKind::Element(_) => {} // handled above
                NodeKind::Text(t) => escape_text(self.out, t),
                NodeKind::Comment(t) => {
                    if with_comments {
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

        self.rendered.truncate(rendered_mark);
        self.in_scope.truncate(scope_mark);
    }
}

fn push_qname(out: &mut String, prefix: Option<&str>, local: &str) {
    if let Some(p) = prefix {
        out.push_str(p);
        out.push(':');
    }
    out.push_str(local);
}
