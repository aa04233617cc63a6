//! Namespace scopes: which URI a prefix is bound to at each element (Namespaces in XML 1.0 §5),
//! and the namespace constraints on declarations (§3).
//!
//! Each prefix has its own stack of bindings, linked through [`Binding::prev`], so resolving a
//! prefix costs one lookup of the prefix and one read of its innermost binding however many
//! bindings are in scope. (Scanning one scope vector backwards made 120 nested elements declaring
//! 255 prefixes each cost about 95 s for an 11 MB file; `benches/xml_scaling.rs` measures it.)
//! Leaving an element pops exactly the bindings it pushed.

use super::{Str, XML_NS, XML_URI, XMLNS_NS, XMLNS_URI, resolve_str, same};
use std::collections::HashMap;

/// "No binding" in [`Scopes::top`] and [`Binding::prev`].
const NONE: u32 = u32::MAX;
/// Up to this many distinct prefixes are found by a short scan, as almost every message has a
/// handful (`samlp`, `saml`, `ds`, `xs`, `xsi`); past it a hash map takes over.
const FEW: usize = 16;

#[derive(Debug, Clone, Copy)]
struct Binding {
    slot: u32,
    uri: Str,
    /// The binding of the same prefix this one hides, or [`NONE`].
    prev: u32,
}

/// The namespace bindings in scope while the tree is built.
pub(super) struct Scopes {
    /// Distinct prefixes seen so far and their slots; slot 0 is the default namespace.
    few: Vec<(Str, u32)>,
    many: HashMap<Box<str>, u32>,
    /// Per slot: index in `bindings` of the innermost binding in scope, or [`NONE`].
    top: Vec<u32>,
    bindings: Vec<Binding>,
    /// Per open element: the length of `bindings` before its declarations.
    marks: Vec<u32>,
}

impl Default for Scopes {
    fn default() -> Self {
        Scopes {
            few: Vec::new(),
            many: HashMap::new(),
            top: vec![NONE],
            bindings: Vec::new(),
            marks: Vec::new(),
        }
    }
}

/// The same prefix (or the default namespace) declared twice on one element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Duplicate;

impl Scopes {
    /// Opens the scope of an element whose declarations follow through [`Scopes::bind`].
    pub(super) fn enter(&mut self) {
        self.marks.push(self.bindings.len() as u32);
    }

    /// Binds `prefix` (`None`: the default namespace) to `uri` on the element last entered.
    pub(super) fn bind(
        &mut self,
        src: &str,
        pool: &str,
        prefix: Option<Str>,
        uri: Str,
    ) -> Result<(), Duplicate> {
        let slot = match prefix {
            None => 0,
            Some(p) => self.slot(src, pool, p),
        };
        let prev = self.top[slot as usize];
        let mark = self.marks.last().copied().unwrap_or(0);
        if prev != NONE && prev >= mark {
            return Err(Duplicate);
        }
        self.top[slot as usize] = self.bindings.len() as u32;
        self.bindings.push(Binding { slot, uri, prev });
        Ok(())
    }

    /// Closes the innermost element's scope.
    pub(super) fn leave(&mut self) {
        let Some(mark) = self.marks.pop() else { return };
        for b in self.bindings.drain(mark as usize..).rev() {
            self.top[b.slot as usize] = b.prev;
        }
    }

    /// The URI `prefix` is bound to; the default namespace applies to elements only.
    pub(super) fn resolve(
        &self,
        src: &str,
        pool: &str,
        prefix: Option<Str>,
        element: bool,
    ) -> Option<Str> {
        let slot = match prefix.map(|p| resolve_str(src, pool, p)) {
            Some("xml") => return Some(XML_NS),
            Some("xmlns") => return Some(XMLNS_NS),
            None if !element => return None,
            None => 0,
            Some(p) => self.find(src, pool, p)?,
        };
        match self.top[slot as usize] {
            NONE => None,
            b => Some(self.bindings[b as usize].uri).filter(|uri| uri.len > 0),
        }
    }

    /// The slot of a prefix already seen.
    fn find(&self, src: &str, pool: &str, prefix: &str) -> Option<u32> {
        match self.few.len() < FEW {
            true => self
                .few
                .iter()
                .find(|(p, _)| same(resolve_str(src, pool, *p), prefix))
                .map(|&(_, slot)| slot),
            false => self.many.get(prefix).copied(),
        }
    }

    /// The slot of `prefix`, made on its first declaration.
    fn slot(&mut self, src: &str, pool: &str, prefix: Str) -> u32 {
        let text = resolve_str(src, pool, prefix);
        if let Some(slot) = self.find(src, pool, text) {
            return slot;
        }
        let slot = self.top.len() as u32;
        self.top.push(NONE);
        if self.few.len() + 1 < FEW {
            self.few.push((prefix, slot));
        } else {
            // Past a handful, every prefix moves to the map (the scan is then never used).
            if self.few.len() + 1 == FEW {
                for &(p, s) in &self.few {
                    self.many.insert(resolve_str(src, pool, p).into(), s);
                }
                self.few.push((prefix, slot));
            }
            self.many.insert(text.into(), slot);
        }
        slot
    }
}

/// The namespace constraints of Namespaces in XML 1.0 §3 on one declaration: `xmlns` (prefix
/// `None`) or `xmlns:prefix`, bound to `uri`; the error says which constraint it breaks.
pub(super) fn check_decl(prefix: Option<&str>, uri: &str) -> Result<(), &'static str> {
    match prefix {
        Some("xmlns") => Err("the prefix xmlns is bound by definition and must not be declared"),
        Some("xml") if uri != XML_URI => {
            Err("the prefix xml may only be bound to http://www.w3.org/XML/1998/namespace")
        }
        Some("xml") => Ok(()),
        _ if uri == XML_URI => Err(
            "the XML namespace may only be bound to the prefix xml, never to another prefix or \
             as the default namespace",
        ),
        _ if uri == XMLNS_URI => Err(
            "the xmlns namespace must not be declared for any prefix or as the default namespace",
        ),
        Some(_) if uri.is_empty() => Err(
            "a prefix cannot be bound to the empty name (undeclaring a prefix is Namespaces in \
             XML 1.1 only; use xmlns=\"\" for the default namespace)",
        ),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use crate::limits::Limits;
    use crate::xml::{Document, XML_URI, XmlError};

    fn parse(s: &str) -> Result<Document, XmlError> {
        Document::parse(s, &Limits::default())
    }

    #[test]
    fn undeclared_prefix_is_an_error() {
        assert!(parse("<p:a/>").is_err());
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

    /// Many prefixes (past the short scan), each declared at several depths: every element and
    /// attribute resolves to the innermost binding, and leaving an element restores the outer one.
    #[test]
    fn per_prefix_stacks_shadow_and_restore() {
        let decls = |level: usize| -> String {
            (0..40)
                .map(|p| format!(" xmlns:p{p}=\"urn:{level}:{p}\""))
                .collect()
        };
        let mut xml = String::new();
        for level in 0..5 {
            xml.push_str(&format!("<p{level}:e{level}{}>", decls(level)));
        }
        // Inside the innermost level: p39 is bound at level 4; p0 too.
        xml.push_str("<p39:leaf p0:a=\"x\"/>");
        for level in (0..5).rev() {
            xml.push_str(&format!("</p{level}:e{level}>"));
            // After closing level L, the next sibling sees level L-1's bindings.
            if level > 0 {
                xml.push_str("<p7:after/>");
            }
        }
        let doc = parse(&xml).unwrap();
        let mut seen = Vec::new();
        for id in std::iter::once(doc.root).chain(doc.descendants_iter(doc.root)) {
            let e = doc.element(id).unwrap();
            seen.push((e.local.to_string(), e.ns.unwrap().to_string()));
        }
        let leaf = seen.iter().find(|(l, _)| l == "leaf").unwrap();
        assert_eq!(leaf.1, "urn:4:39");
        for (level, (local, ns)) in seen.iter().take(5).enumerate() {
            assert_eq!(
                (local.as_str(), ns.as_str()),
                (&*format!("e{level}"), &*format!("urn:{level}:{level}"))
            );
        }
        // The `after` elements close levels 4, 3, 2, 1 in turn: they sit in levels 3, 2, 1, 0.
        let after: Vec<&str> = seen
            .iter()
            .filter(|(l, _)| l == "after")
            .map(|(_, n)| n.as_str())
            .collect();
        assert_eq!(after, ["urn:3:7", "urn:2:7", "urn:1:7", "urn:0:7"]);
        let leaf_id = doc
            .descendants_iter(doc.root)
            .find(|&n| doc.element(n).unwrap().local == "leaf")
            .unwrap();
        assert_eq!(doc.attr_ns(leaf_id, "urn:4:0", "a"), Some("x"));
    }

    #[test]
    fn a_prefix_declared_only_in_a_closed_sibling_is_out_of_scope() {
        assert!(parse("<r><a xmlns:q=\"urn:q\"/><q:b/></r>").is_err());
        // The default namespace set on a sibling does not leak either.
        let doc = parse("<r><a xmlns=\"urn:d\"/><b/></r>").unwrap();
        let b = doc.child_elements(doc.root).nth(1).unwrap();
        assert_eq!(doc.element(b).unwrap().ns, None);
    }

    /// Namespaces in XML 1.0 §3: each of these is refused with the element's path and the byte
    /// of the offending declaration (libxml2 refuses every one too).
    #[test]
    fn declarations_that_are_not_namespace_well_formed() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "<r><a xmlns:q=\"urn:1\" xmlns:q=\"urn:2\"/></r>",
                "xmlns:q=\"urn:2",
                "twice",
            ),
            (
                "<r><a xmlns=\"urn:1\" xmlns=\"urn:2\"/></r>",
                "xmlns=\"urn:2",
                "twice",
            ),
            (
                "<r><a xmlns:q=\"urn:1\" xmlns:q=\"urn:1\"/></r>",
                "xmlns:q=\"urn:1\"/",
                "twice",
            ),
            (
                "<r><a xmlns:xml=\"urn:1\"/></r>",
                "xmlns:xml",
                "prefix xml may only",
            ),
            (
                "<r><a xmlns:xmlns=\"urn:1\"/></r>",
                "xmlns:xmlns",
                "prefix xmlns",
            ),
            (
                "<r><a xmlns:p=\"http://www.w3.org/XML/1998/namespace\"/></r>",
                "xmlns:p",
                "XML namespace",
            ),
            (
                "<r><a xmlns=\"http://www.w3.org/XML/1998/namespace\"/></r>",
                "xmlns=",
                "XML namespace",
            ),
            (
                "<r><a xmlns:p=\"http://www.w3.org/2000/xmlns/\"/></r>",
                "xmlns:p",
                "xmlns namespace",
            ),
            (
                "<r><a xmlns=\"http://www.w3.org/2000/xmlns/\"/></r>",
                "xmlns=",
                "xmlns namespace",
            ),
            ("<r><a xmlns:p=\"\"/></r>", "xmlns:p", "empty name"),
            // The value is checked after references are resolved.
            (
                "<r><a xmlns:p=\"http://www.w3.org/2000/xmlns&#x2F;\"/></r>",
                "xmlns:p",
                "xmlns namespace",
            ),
        ];
        for (xml, at, why) in cases {
            let err = parse(xml).unwrap_err();
            assert_eq!(err.offset, xml.find(at).unwrap(), "{xml}: {err}");
            assert_eq!(err.path, "/r/a", "{xml}: {err}");
            assert!(err.message.contains(why), "{xml}: {err}");
            assert!(
                err.message.contains("namespace-well-formed"),
                "{xml}: {err}"
            );
        }
    }

    #[test]
    fn legitimate_declarations_stay_accepted() {
        let ok = [
            "<a xmlns:xml=\"http://www.w3.org/XML/1998/namespace\" xml:lang=\"en\"/>",
            "<a xmlns=\"urn:d\"><b xmlns=\"\"/></a>",
            "<a xmlns:q=\"urn:1\"><b xmlns:q=\"urn:2\"/></a>",
            "<a xmlns:q=\"urn:1\" xmlns=\"urn:1\"/>",
            "<a xmlns:xmlfoo=\"urn:x\"/>",
        ];
        for xml in ok {
            parse(xml).unwrap_or_else(|e| panic!("{xml}: {e}"));
        }
    }

    /// Duplicate attributes are compared by expanded name (namespace URI, local name), so two
    /// prefixes bound to one URI cannot smuggle the same attribute twice (Namespaces §6.3).
    #[test]
    fn duplicate_attributes_by_expanded_name() {
        let err = parse("<r xmlns:a=\"urn:x\" xmlns:b=\"urn:x\"><e a:k=\"1\" b:k=\"2\"/></r>")
            .unwrap_err();
        assert!(err.message.contains("b:k appears twice"), "{err}");
        // Same local name in different namespaces, or unprefixed beside prefixed, is fine.
        parse("<r xmlns:a=\"urn:x\" xmlns:b=\"urn:y\"><e a:k=\"1\" b:k=\"2\" k=\"3\"/></r>")
            .unwrap();
    }
}
