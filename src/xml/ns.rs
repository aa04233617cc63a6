//! Namespace scopes: which URI a prefix is bound to at each element (Namespaces in XML 1.0 §5).

use super::{Str, XML_NS, XMLNS_NS, resolve_str, same};

/// The namespace bindings in scope while the tree is built.
#[derive(Default)]
pub(super) struct Scopes {
    /// In-scope namespace bindings; each element pushes its declarations and pops them at its end.
    bindings: Vec<(Option<Str>, Str)>,
    marks: Vec<usize>,
}

impl Scopes {
    /// Opens the scope of an element whose declarations follow through [`Scopes::bind`].
    pub(super) fn enter(&mut self) {
        self.marks.push(self.bindings.len());
    }

    pub(super) fn bind(&mut self, prefix: Option<Str>, uri: Str) {
        self.bindings.push((prefix, uri));
    }

    /// Closes the innermost element's scope.
    pub(super) fn leave(&mut self) {
        if let Some(mark) = self.marks.pop() {
            self.bindings.truncate(mark);
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
        let s = |x: Str| resolve_str(src, pool, x);
        let prefix = prefix.map(s);
        match prefix {
            Some("xml") => return Some(XML_NS),
            Some("xmlns") => return Some(XMLNS_NS),
            None if !element => return None,
            _ => {}
        }
        self.bindings
            .iter()
            .rev()
            .find(|(p, _)| match (p, prefix) {
                (None, None) => true,
                (Some(p), Some(q)) => same(s(*p), q),
                _ => false,
            })
            .map(|(_, uri)| *uri)
            .filter(|uri| uri.len > 0)
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
}
