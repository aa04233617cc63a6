//! Canonical XML: inclusive C14N 1.0 and Exclusive C14N 1.0, with or without comments, of the
//! node-sets XML-DSig builds for SAML: an element subtree, optionally minus one excluded subtree
//! (the enveloped `ds:Signature`).
//!
//! The input is the parsed [`Document`], so the things a parser already normalised (attribute
//! value normalisation, line-end normalisation, entity and character references, CDATA) arrive in
//! the form C14N wants. What this module adds is the serialisation rules: namespace declarations
//! (all in scope at the apex for inclusive C14N, only visibly utilised ones plus the
//! `InclusiveNamespaces` PrefixList for exclusive C14N), attribute ordering, escaping, empty
//! elements written as start/end pairs, and the inclusive-C14N inheritance of `xml:*` attributes
//! onto the apex.
//!
//! Comments and processing instructions outside the root element are dropped by the parser; they
//! never belong to an element subtree, so no result here depends on them.

use crate::xml::{Document, NodeId, NodeKind, XML_URI, same};

/// `http://www.w3.org/TR/2001/REC-xml-c14n-20010315`
pub const C14N10: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// `http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments`
pub const C14N10_COMMENTS: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
/// `http://www.w3.org/2001/10/xml-exc-c14n#`
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// `http://www.w3.org/2001/10/xml-exc-c14n#WithComments`
pub const EXC_C14N_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";

/// A canonicalization algorithm with its parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum C14nMethod {
    /// Canonical XML 1.0.
    Inclusive { with_comments: bool },
    /// Exclusive XML Canonicalization 1.0; `inclusive_prefixes` is the PrefixList, with
    /// `#default` written as the empty string.
    Exclusive {
        with_comments: bool,
        inclusive_prefixes: Vec<String>,
    },
}

impl C14nMethod {
    /// The method named by an algorithm URI, with an optional `InclusiveNamespaces PrefixList`
    /// (ignored for inclusive C14N). `None` for any other URI (C14N 1.1 included).
    pub fn from_uri(uri: &str, prefix_list: Option<&str>) -> Option<C14nMethod> {
        let prefixes = || -> Vec<String> {
            prefix_list
                .unwrap_or("")
                .split_ascii_whitespace()
                .map(|p| {
                    if p == "#default" {
                        String::new()
                    } else {
                        p.to_string()
                    }
                })
                .collect()
        };
        match uri {
            C14N10 => Some(C14nMethod::Inclusive {
                with_comments: false,
            }),
            C14N10_COMMENTS => Some(C14nMethod::Inclusive {
                with_comments: true,
            }),
            EXC_C14N => Some(C14nMethod::Exclusive {
                with_comments: false,
                inclusive_prefixes: prefixes(),
            }),
            EXC_C14N_COMMENTS => Some(C14nMethod::Exclusive {
                with_comments: true,
                inclusive_prefixes: prefixes(),
            }),
            _ => None,
        }
    }

    /// The algorithm URI.
    pub fn uri(&self) -> &'static str {
        match self {
            C14nMethod::Inclusive {
                with_comments: false,
            } => C14N10,
            C14nMethod::Inclusive {
                with_comments: true,
            } => C14N10_COMMENTS,
            C14nMethod::Exclusive {
                with_comments: false,
                ..
            } => EXC_C14N,
            C14nMethod::Exclusive {
                with_comments: true,
                ..
            } => EXC_C14N_COMMENTS,
        }
    }

    /// Whether comment nodes are kept.
    pub fn with_comments(&self) -> bool {
        match self {
            C14nMethod::Inclusive { with_comments } => *with_comments,
            C14nMethod::Exclusive { with_comments, .. } => *with_comments,
        }
    }

    /// The same algorithm with comments dropped (what a same-document `#id` reference yields).
    pub fn without_comments(&self) -> C14nMethod {
        match self {
            C14nMethod::Inclusive { .. } => C14nMethod::Inclusive {
                with_comments: false,
            },
            C14nMethod::Exclusive {
                inclusive_prefixes, ..
            } => C14nMethod::Exclusive {
                with_comments: false,
                inclusive_prefixes: inclusive_prefixes.clone(),
            },
        }
    }
}

/// Canonicalizes the subtree rooted at element `apex`, leaving out the subtree rooted at
/// `exclude` (when it lies inside), in the document context of `apex` (ancestors' namespace
/// declarations, and for inclusive C14N their `xml:*` attributes). Non-element apexes yield an
/// empty string.
pub fn canonicalize(
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

/// Escapes character data: `&`, `<`, `>` and carriage return.
fn escape_text(out: &mut String, text: &str) {
    let special = |b: u8| (b == b'&') | (b == b'<') | (b == b'>') | (b == b'\r');
    if !any_byte(text.as_bytes(), special) {
        out.push_str(text);
        return;
    }
    escape_with(out, text, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'\r' => Some("&#xD;"),
        _ => None,
    });
}

/// Escapes an attribute value: `&`, `<`, `"`, tab, line feed and carriage return.
fn escape_attr(out: &mut String, text: &str) {
    let special = |b: u8| (b == b'&') | (b == b'<') | (b == b'"') | (b < 0x20);
    if !any_byte(text.as_bytes(), special) {
        out.push_str(text);
        return;
    }
    escape_with(out, text, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'"' => Some("&quot;"),
        b'\t' => Some("&#x9;"),
        b'\n' => Some("&#xA;"),
        b'\r' => Some("&#xD;"),
        _ => None,
    });
}

/// True when some byte satisfies `pred`. Fixed blocks of 16 with no early exit inside let the
/// compiler turn the test into vector compares; most text needs no escaping at all.
fn any_byte(bytes: &[u8], pred: impl Fn(u8) -> bool) -> bool {
    let mut blocks = bytes.chunks_exact(16);
    for block in &mut blocks {
        if block.iter().fold(false, |acc, &b| acc | pred(b)) {
            return true;
        }
    }
    blocks.remainder().iter().any(|&b| pred(b))
}

/// Copies `text` (which holds at least one byte to replace: callers screen the common case of
/// nothing to escape with [`any_byte`]), replacing the bytes `replacement` names (all ASCII, so slicing stays on
/// character boundaries).
fn escape_with(out: &mut String, text: &str, replacement: impl Fn(u8) -> Option<&'static str>) {
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let Some(rep) = replacement(b) else { continue };
        out.push_str(&text[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::Limits;

    fn doc(s: &str) -> Document {
        Document::parse(s, &Limits::default()).unwrap()
    }

    fn inc(d: &Document, apex: NodeId) -> String {
        canonicalize(
            d,
            apex,
            None,
            &C14nMethod::Inclusive {
                with_comments: false,
            },
        )
    }

    fn exc(d: &Document, apex: NodeId, list: &str, comments: bool) -> String {
        let uri = if comments {
            EXC_C14N_COMMENTS
        } else {
            EXC_C14N
        };
        canonicalize(
            d,
            apex,
            None,
            &C14nMethod::from_uri(uri, Some(list)).unwrap(),
        )
    }

    fn find(d: &Document, local: &str) -> NodeId {
        (0..d.nodes.len())
            .find(|&n| d.element(n).is_some_and(|e| e.local == local))
            .unwrap()
    }

    /// Canonical XML 1.0 §3.3 (start and end tags), without its DTD-supplied default attribute.
    #[test]
    fn w3c_c14n_3_3_start_and_end_tags() {
        let d = doc(r#"<doc>
   <e1   />
   <e2   ></e2>
   <e3   name = "elem3"   id="elem3"   />
   <e4   name="elem4"   id="elem4"   ></e4>
   <e5 a:attr="out" b:attr="sorted" attr2="all" attr="I'm"
      xmlns:b="http://www.ietf.org"
      xmlns:a="http://www.w3.org"
      xmlns="http://example.org"/>
   <e6 xmlns="" xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="" xmlns:a="http://www.w3.org">
            <e9 xmlns="" xmlns:a="http://www.ietf.org"/>
         </e8>
      </e7>
   </e6>
</doc>"#);
        let expected = r#"<doc>
   <e1></e1>
   <e2></e2>
   <e3 id="elem3" name="elem3"></e3>
   <e4 id="elem4" name="elem4"></e4>
   <e5 xmlns="http://example.org" xmlns:a="http://www.w3.org" xmlns:b="http://www.ietf.org" attr="I'm" attr2="all" b:attr="sorted" a:attr="out"></e5>
   <e6 xmlns:a="http://www.w3.org">
      <e7 xmlns="http://www.ietf.org">
         <e8 xmlns="">
            <e9 xmlns:a="http://www.ietf.org"></e9>
         </e8>
      </e7>
   </e6>
</doc>"#;
        assert_eq!(inc(&d, d.root), expected);
    }

    /// Canonical XML 1.0 §3.4 (character modifications and character references), DTD-free.
    #[test]
    fn w3c_c14n_3_4_character_modifications() {
        let d = doc(concat!(
            "<doc><text>First line&#x0d;&#10;Second line</text><value>&#x32;</value>",
            "<compute><![CDATA[value>\"0\" && value<\"10\" ?\"valid\":\"error\"]]></compute>",
            "<compute expr='value>\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"'>valid</compute>",
            "<norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/></doc>"
        ));
        let expected = concat!(
            "<doc><text>First line&#xD;\nSecond line</text><value>2</value>",
            "<compute>value&gt;\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"</compute>",
            "<compute expr=\"value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;\">valid</compute>",
            "<norm attr=\" '    &#xD;&#xA;&#x9;   ' \"></norm></doc>"
        );
        assert_eq!(inc(&d, d.root), expected);
    }

    /// Exclusive C14N 1.0 §2.2: the same subtree under inclusive and exclusive canonicalization.
    #[test]
    fn w3c_exc_c14n_2_2_subtree() {
        let d = doc(
            r#"<n0:local xmlns:n0="foo:bar" xmlns:n3="ftp://example.org">
  <n1:elem2 xmlns:n1="http://example.net" xml:lang="en">
    <n3:stuff xmlns:n3="ftp://example.org"/>
  </n1:elem2>
</n0:local>"#,
        );
        let apex = find(&d, "elem2");
        assert_eq!(
            inc(&d, apex),
            "<n1:elem2 xmlns:n0=\"foo:bar\" xmlns:n1=\"http://example.net\" xmlns:n3=\"ftp://example.org\" xml:lang=\"en\">\n    <n3:stuff></n3:stuff>\n  </n1:elem2>"
        );
        assert_eq!(
            exc(&d, apex, "", false),
            "<n1:elem2 xmlns:n1=\"http://example.net\" xml:lang=\"en\">\n    <n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n  </n1:elem2>"
        );
        // With n0 in the PrefixList it is rendered although unused.
        assert_eq!(
            exc(&d, apex, "n0", false),
            "<n1:elem2 xmlns:n0=\"foo:bar\" xmlns:n1=\"http://example.net\" xml:lang=\"en\">\n    <n3:stuff xmlns:n3=\"ftp://example.org\"></n3:stuff>\n  </n1:elem2>"
        );
    }

    #[test]
    fn inclusive_inherits_xml_attributes_onto_the_apex() {
        let d = doc(r#"<a xml:lang="fr" xml:space="preserve"><b xml:lang="de"><c/></b></a>"#);
        let c = find(&d, "c");
        assert_eq!(inc(&d, c), "<c xml:lang=\"de\" xml:space=\"preserve\"></c>");
        assert_eq!(exc(&d, c, "", false), "<c></c>");
    }

    #[test]
    fn exclusive_default_namespace_rules() {
        let d = doc(r#"<a xmlns="urn:a" xmlns:x="urn:x"><b xmlns=""><c/></b><x:d><e/></x:d></a>"#);
        assert_eq!(
            exc(&d, d.root, "", false),
            "<a xmlns=\"urn:a\"><b xmlns=\"\"><c></c></b><x:d xmlns:x=\"urn:x\"><e></e></x:d></a>"
        );
        let b = find(&d, "b");
        assert_eq!(exc(&d, b, "", false), "<b><c></c></b>");
        let xd = find(&d, "d");
        assert_eq!(
            exc(&d, xd, "", false),
            "<x:d xmlns:x=\"urn:x\"><e xmlns=\"urn:a\"></e></x:d>"
        );
        assert_eq!(
            exc(&d, xd, "#default", false),
            "<x:d xmlns=\"urn:a\" xmlns:x=\"urn:x\"><e></e></x:d>"
        );
    }

    #[test]
    fn exclusive_prefix_list_used_by_saml_xsi_types() {
        let d = doc(
            r#"<p:R xmlns:p="urn:p" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><p:V xsi:type="xs:string">v</p:V></p:R>"#,
        );
        let v = find(&d, "V");
        assert_eq!(
            exc(&d, v, "", false),
            "<p:V xmlns:p=\"urn:p\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"xs:string\">v</p:V>"
        );
        assert_eq!(
            exc(&d, v, "xs", false),
            "<p:V xmlns:p=\"urn:p\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:type=\"xs:string\">v</p:V>"
        );
    }

    #[test]
    fn comments_and_pis() {
        let d = doc("<a><!-- c1 --><b>x<!---->y<?pi  data ?><?empty?></b></a>");
        assert_eq!(
            exc(&d, d.root, "", false),
            "<a><b>xy<?pi data ?><?empty?></b></a>"
        );
        assert_eq!(
            exc(&d, d.root, "", true),
            "<a><!-- c1 --><b>x<!---->y<?pi data ?><?empty?></b></a>"
        );
        let with = C14nMethod::Inclusive {
            with_comments: true,
        };
        assert_eq!(
            canonicalize(&d, d.root, None, &with),
            "<a><!-- c1 --><b>x<!---->y<?pi data ?><?empty?></b></a>"
        );
    }

    #[test]
    fn excludes_a_subtree() {
        let d = doc(r#"<a ID="x"><s:Signature xmlns:s="urn:s"><s:v/></s:Signature><b/></a>"#);
        let s = find(&d, "Signature");
        let m = C14nMethod::from_uri(EXC_C14N, None).unwrap();
        assert_eq!(
            canonicalize(&d, d.root, Some(s), &m),
            "<a ID=\"x\"><b></b></a>"
        );
        assert_eq!(
            canonicalize(&d, s, None, &m),
            "<s:Signature xmlns:s=\"urn:s\"><s:v></s:v></s:Signature>"
        );
    }

    #[test]
    fn attribute_order_is_by_namespace_uri_then_local_name() {
        let d = doc(r#"<e xmlns:z="urn:a" xmlns:a="urn:z" a:x="1" z:y="2" b="3" a="4"/>"#);
        assert_eq!(
            exc(&d, d.root, "", false),
            "<e xmlns:a=\"urn:z\" xmlns:z=\"urn:a\" a=\"4\" b=\"3\" z:y=\"2\" a:x=\"1\"></e>"
        );
    }

    #[test]
    fn method_uris_round_trip() {
        for uri in [C14N10, C14N10_COMMENTS, EXC_C14N, EXC_C14N_COMMENTS] {
            assert_eq!(C14nMethod::from_uri(uri, None).unwrap().uri(), uri);
        }
        assert!(C14nMethod::from_uri("http://www.w3.org/2006/12/xml-c14n11", None).is_none());
    }
}
