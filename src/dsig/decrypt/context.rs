//! Parsing a decrypted fragment in the namespace context of the element it replaces (XML-Enc
//! 1.0 §4.3, "decrypt and replace" in context).

use crate::limits::Limits;
use crate::xml::{Document, NodeId, XmlError};
use std::collections::HashSet;

/// Parses decrypted XML in the context of the element it replaces: namespace bindings in scope
/// at `encrypted` (default namespace included) that the plaintext's root element does not
/// declare itself are added to that root before parsing, as XML-Enc's "parse in context" asks.
/// Exclusive and inclusive C14N of the result equal those of the element in place, so signatures
/// inside verify. Spans in the result point into the (possibly amended) plaintext.
pub fn parse_decrypted(
    doc: &Document,
    encrypted: NodeId,
    plaintext: &str,
    limits: &Limits,
) -> Result<Document, XmlError> {
    // Locate the root start tag: skip an XML declaration, comments, PIs and whitespace.
    let mut pos = 0;
    let bytes = plaintext.as_bytes();
    loop {
        while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let rest = &plaintext[pos..];
        if rest.starts_with("<?") {
            pos += rest.find("?>").map_or(rest.len(), |e| e + 2);
        } else if rest.starts_with("<!--") {
            pos += rest.find("-->").map_or(rest.len(), |e| e + 3);
        } else {
            break;
        }
    }
    let rest = &plaintext[pos..];
    if !rest.starts_with('<') {
        return Document::parse(plaintext, limits);
    }
    let name_end = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
        .unwrap_or(rest.len());
    let tag_end = rest.find('>').unwrap_or(rest.len());
    let start_tag = &rest[..tag_end];
    // In-scope bindings at `encrypted`, nearest declaration winning.
    let mut chain = Vec::new();
    let mut cur = Some(encrypted);
    while let Some(n) = cur {
        chain.push(n);
        cur = doc.nodes[n].parent;
    }
    // Sets, not list scans: an attacker picks both the number of bindings in scope and the
    // number of declarations on the plaintext's root (issue 22).
    let mut seen: HashSet<Option<&str>> = HashSet::new();
    let mut bindings: Vec<(Option<&str>, &str)> = Vec::new();
    for &n in &chain {
        if let Some(e) = doc.element(n) {
            for (p, uri) in e.ns_decls() {
                if seen.insert(p) {
                    bindings.push((p, uri));
                }
            }
        }
    }
    let declared_here: HashSet<&str> = start_tag
        .split_ascii_whitespace()
        .filter_map(|tok| tok.split_once('=').map(|(name, _)| name))
        .filter(|name| name.starts_with("xmlns"))
        .collect();
    let mut extra = String::new();
    for (p, uri) in bindings {
        let name = match p {
            Some(p) => format!("xmlns:{p}"),
            None => "xmlns".to_string(),
        };
        if declared_here.contains(name.as_str()) || (p.is_none() && uri.is_empty()) {
            continue;
        }
        let attr = name + "=";
        let value = uri
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;");
        extra.push(' ');
        extra.push_str(&attr);
        extra.push('"');
        extra.push_str(&value);
        extra.push('"');
    }
    if extra.is_empty() {
        return Document::parse(plaintext, limits);
    }
    let at = pos + name_end;
    let amended = format!("{}{extra}{}", &plaintext[..at], &plaintext[at..]);
    Document::parse(&amended, limits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsig::decrypt::SAML_NS;

    #[test]
    fn decrypted_fragments_are_parsed_in_context() {
        let outer = Document::parse(
            r#"<p:R xmlns:p="urn:p" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns="urn:d"><saml:EncryptedAssertion/></p:R>"#,
            &Limits::default(),
        )
        .unwrap();
        let enc = outer
            .child(outer.root, SAML_NS, "EncryptedAssertion")
            .unwrap();
        let limits = Limits::default();
        // Uses the outer `saml:` prefix and default namespace.
        let d = parse_decrypted(
            &outer,
            enc,
            "<?xml version=\"1.0\"?>\n<saml:Assertion ID=\"a\"><x/></saml:Assertion>",
            &limits,
        )
        .unwrap();
        assert!(d.is(d.root, SAML_NS, "Assertion"));
        let x = d.child_elements(d.root).next().unwrap();
        assert!(d.is(x, "urn:d", "x"));
        // Its own declarations win.
        let d = parse_decrypted(
            &outer,
            enc,
            r#"<saml:Assertion xmlns:saml="urn:other" xmlns="urn:own"/>"#,
            &limits,
        )
        .unwrap();
        assert!(d.is(d.root, "urn:other", "Assertion"));
        assert!(parse_decrypted(&outer, enc, "not xml", &limits).is_err());
    }
}
