//! Test oracle: the first, direct implementation of the namespace rules (one flat list of
//! bindings scanned per lookup, the PrefixList scanned per element), kept to check on random
//! documents that the linear-time writer produces the same bytes. Quadratic on hostile input;
//! test-only.

use super::C14nMethod;
use super::escape::{escape_attr, escape_text};
use crate::xml::{Document, NodeId, NodeKind, XML_URI, same};

pub(super) fn canonicalize_naive(
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
    if doc.element(apex).is_none() {
        return out;
    }
    // In-scope namespace bindings from the ancestors (outermost first; later entries win).
    let mut ancestors = Vec::new();
    let mut cur = doc.nodes[apex].parent;
    while let Some(a) = cur {
        ancestors.push(a);
        cur = doc.nodes[a].parent;
    }
    ancestors.reverse();
    let mut in_scope: Vec<(&str, &str)> = Vec::new();
    for &a in &ancestors {
        if let Some(e) = doc.element(a) {
            for (p, uri) in e.ns_decls() {
                in_scope.push((p.unwrap_or(""), uri));
            }
        }
    }
    let mut inherited_xml_attrs: Vec<(&str, &str)> = Vec::new();
    if matches!(method, C14nMethod::Inclusive { .. }) {
        // Nearest ancestor wins; attributes on the apex itself win over all.
        for &a in ancestors.iter().rev() {
            if let Some(e) = doc.element(a) {
                for at in e.attrs() {
                    if at.ns == Some(XML_URI)
                        && !inherited_xml_attrs.iter().any(|(l, _)| *l == at.local)
                    {
                        inherited_xml_attrs.push((at.local, at.value));
                    }
                }
            }
        }
    }
    let mut w = Writer {
        doc,
        exclude,
        method,
        out: &mut out,
        in_scope,
        rendered: Vec::new(),
        scratch_decls: Vec::new(),
        scratch_wanted: Vec::new(),
        scratch_attrs: Vec::new(),
    };
    w.element(apex, true, &inherited_xml_attrs);
    out
}

struct Writer<'a, 'o> {
    doc: &'a Document,
    exclude: Option<NodeId>,
    method: &'a C14nMethod,
    out: &'o mut String,
    /// Namespace bindings in scope, innermost last (prefix "" = default namespace).
    in_scope: Vec<(&'a str, &'a str)>,
    /// Namespace declarations rendered by output ancestors, innermost last.
    rendered: Vec<(&'a str, &'a str)>,
    scratch_decls: Vec<(&'a str, &'a str)>,
    scratch_wanted: Vec<&'a str>,
    /// (namespace URI, local name, prefix, value) of one element's attributes.
    scratch_attrs: Vec<(&'a str, &'a str, Option<&'a str>, &'a str)>,
}

fn lookup<'a>(scope: &[(&'a str, &'a str)], prefix: &str) -> Option<&'a str> {
    scope
        .iter()
        .rev()
        .find(|(p, _)| same(p, prefix))
        .map(|(_, u)| *u)
}

impl<'a> Writer<'a, '_> {
    fn element(&mut self, id: NodeId, is_apex: bool, inherited: &[(&'a str, &'a str)]) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsig::c14n::{EXC_C14N, EXC_C14N_COMMENTS, canonicalize};
    use crate::limits::Limits;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};

    const PREFIXES: [&str; 4] = ["a", "b", "c", "xml"];
    const URIS: [&str; 3] = [
        "urn:1",
        "urn:2",
        "http://example.com/x?a=1&amp;b=&quot;2&quot;&#9;",
    ];

    /// A random namespace-well-formed element tree: redeclarations, `xmlns=""`, prefixed and
    /// `xml:*` attributes, comments, PIs and text needing escapes.
    fn element(rng: &mut StdRng, out: &mut String, depth: u32, bound: &mut Vec<&'static str>) {
        let mark = bound.len();
        let mut decls = String::new();
        for _ in 0..rng.gen_range(0..3) {
            let p = PREFIXES[rng.gen_range(0..3)];
            if !decls.contains(&format!("xmlns:{p}=")) {
                decls.push_str(&format!(" xmlns:{p}=\"{}\"", URIS[rng.gen_range(0..3)]));
                bound.push(p);
            }
        }
        match rng.gen_range(0..4) {
            0 => decls.push_str(" xmlns=\"\""),
            1 => decls.push_str(&format!(" xmlns=\"{}\"", URIS[rng.gen_range(0..3)])),
            _ => {}
        }
        let prefix = if !bound.is_empty() && rng.gen_bool(0.5) {
            format!("{}:", bound[rng.gen_range(0..bound.len())])
        } else {
            String::new()
        };
        let name = format!("{prefix}e{}", rng.gen_range(0..3));
        let mut attrs = String::new();
        let mut usable = vec!["", "xml"];
        for p in bound.iter() {
            if !usable.contains(p) {
                usable.push(p);
            }
        }
        for (i, p) in usable.into_iter().enumerate() {
            if rng.gen_bool(0.3) {
                let q = if p.is_empty() {
                    String::new()
                } else {
                    format!("{p}:")
                };
                // A local name per prefix: two prefixes bound to one URI must not make two
                // attributes with the same expanded name.
                let local = if p == "xml" {
                    ["lang", "space"][rng.gen_range(0..2)].to_string()
                } else {
                    format!("v{p}")
                };
                attrs.push_str(&format!(" {q}{local}=\"x&lt;{i}&#9;\""));
            }
        }
        out.push_str(&format!("<{name}{decls}{attrs}>"));
        if depth > 0 {
            for _ in 0..rng.gen_range(0..4) {
                match rng.gen_range(0..5) {
                    0 => out.push_str("t&amp;x&#13;>"),
                    1 => out.push_str("<!-- c -->"),
                    2 => out.push_str("<?pi d?>"),
                    _ => element(rng, out, depth - 1, bound),
                }
            }
        }
        out.push_str(&format!("</{name}>"));
        bound.truncate(mark);
    }

    #[test]
    fn linear_writer_matches_the_direct_rules_on_random_documents() {
        let mut rng = StdRng::seed_from_u64(22);
        let limits = Limits::default();
        let mut compared = 0;
        for _ in 0..1500 {
            let mut xml = String::new();
            element(&mut rng, &mut xml, 4, &mut Vec::new());
            let doc = Document::parse(&xml, &limits).unwrap_or_else(|e| panic!("{e}: {xml}"));
            let elements: Vec<NodeId> = (0..doc.nodes.len())
                .filter(|&n| doc.is_element(n))
                .collect();
            let apex = elements[rng.gen_range(0..elements.len())];
            let exclude = Some(elements[rng.gen_range(0..elements.len())]).filter(|&x| x != apex);
            let list: Vec<&str> = (0..rng.gen_range(0..5))
                .map(|_| ["a", "b", "c", "xml", "#default", "zz"][rng.gen_range(0..6)])
                .collect();
            let list = list.join(" ");
            let methods = [
                C14nMethod::Inclusive {
                    with_comments: false,
                },
                C14nMethod::Inclusive {
                    with_comments: true,
                },
                C14nMethod::from_uri(EXC_C14N, Some(&list)).unwrap(),
                C14nMethod::from_uri(EXC_C14N_COMMENTS, Some(&list)).unwrap(),
            ];
            for m in &methods {
                assert_eq!(
                    canonicalize(&doc, apex, exclude, m),
                    canonicalize_naive(&doc, apex, exclude, m),
                    "{m:?} of node {apex} in {xml}"
                );
                compared += 1;
            }
        }
        assert_eq!(compared, 6000);
    }
}
