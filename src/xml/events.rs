//! The parse loop: quick-xml's events, each checked (see [`super::wf`] for the XML 1.0 rules
//! quick-xml leaves to us) and handed to the [`Builder`].

use super::build::Builder;
use super::chars::{first_forbidden_char, forbidden_message, is_forbidden, resolve_reference};
use super::wf::{
    bad_comment, cdata_end_in_text, check_pi_target, check_xml_decl, normalize_line_ends,
};
use super::{Document, MAX_SOURCE_BYTES, RawKind, Span, XmlError};
use crate::limits::Limits;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use std::sync::OnceLock;

/// Parses `source`, refusing DTDs, unknown entities and anything past `limits`.
pub(super) fn parse(source: &str, limits: &Limits) -> Result<Document, XmlError> {
    if source.len() >= MAX_SOURCE_BYTES {
        return Err(XmlError {
            offset: MAX_SOURCE_BYTES,
            path: String::new(),
            message: "XML documents of 1 GiB or more are not supported".into(),
        });
    }
    let mut reader = Reader::from_str(source);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = false;
    config.check_comments = false;
    let mut b = Builder::new(source, limits);
    // Raw characters XML forbids are found in one pass over the source; the error is raised
    // when the parser reaches them, so that it names the element they sit in.
    let forbidden = first_forbidden_char(source);
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
        if let Some((at, c)) = forbidden
            && (end > at || matches!(event, Event::Eof))
        {
            return Err(b.error(at, forbidden_message(c)));
        }
        let span = Span { start, end };
        match event {
            Event::Eof => break,
            Event::Decl(decl) => {
                // A UTF-8 byte order mark may precede it (the reader skips the mark, and may
                // count from after it); nothing else.
                let bom = if source.starts_with('\u{FEFF}') { 3 } else { 0 };
                if start != 0 && start != bom {
                    return Err(b.error(
                        start,
                        "an XML declaration (<?xml ...?>) is only allowed at the very start of \
                         the document; anywhere else the document is not well-formed (XML 1.0 \
                         §2.8), and readers that drop it would merge the text around it"
                            .into(),
                    ));
                }
                let content = decl.get(3..).unwrap_or("");
                if let Err((at, why)) = check_xml_decl(content) {
                    return Err(b.error(
                        start + 5 + at,
                        format!("malformed XML declaration: {why} (XML 1.0 §2.8)"),
                    ));
                }
            }
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
                if let Some(at) = cdata_end_in_text(&t) {
                    return Err(b.error(
                        start + at,
                        "`]]>` in character data: it may only close a CDATA section; write \
                         `]]&gt;` (XML 1.0 §2.4)"
                            .into(),
                    ));
                }
                let text = b.store(t.xml10_content());
                b.text(text, span)?;
            }
            Event::CData(t) => {
                let text = b.store(t.xml10_content());
                b.text(text, span)?;
            }
            Event::GeneralRef(r) => {
                let name = r.xml10_content();
                let resolved = resolve_reference(&name).ok_or_else(|| {
                    b.error(
                        start,
                        format!(
                            "undeclared entity reference &{name};: only the five XML \
                             entities and character references are accepted"
                        ),
                    )
                })?;
                if is_forbidden(resolved) {
                    return Err(b.error(start, forbidden_message(resolved)));
                }
                let text = b.store_owned(resolved.encode_utf8(&mut [0; 4]));
                b.text(text, span)?;
            }
            Event::Comment(t) => {
                if let Some(at) = bad_comment(&t) {
                    return Err(b.error(
                        start + 4 + at,
                        "`--` inside a comment, or a comment ending in `--->`: not well-formed \
                         (XML 1.0 §2.5)"
                            .into(),
                    ));
                }
                let text = b.store(t.xml10_content());
                b.leaf(RawKind::Comment(text), span)?;
            }
            Event::PI(pi) => {
                if let Err(why) = check_pi_target(pi.target()) {
                    return Err(b.error(start, why));
                }
                let data = normalize_line_ends(pi.content().trim_start());
                let text = format!("{} {data}", pi.target());
                let text = b.store_owned(&text);
                b.leaf(RawKind::Pi(text), span)?;
            }
        }
    }
    if let Some(&(open, _)) = b.stack.last() {
        let name = b.element_name(open);
        return Err(b.error(
            source.len(),
            format!("the document ends before </{name}> closes"),
        ));
    }
    let root = b
        .root
        .ok_or_else(|| b.error(0, "no root element: the input holds no XML element".into()))?;
    Ok(Document {
        nodes: b.nodes,
        root,
        source: source.to_string(),
        pool: b.pool,
        attrs: b.attrs,
        decls: b.decls,
        line_starts: OnceLock::new(),
        char_marks: OnceLock::new(),
        sibling_pos: OnceLock::new(),
    })
}

#[cfg(test)]
mod tests {
    use crate::limits::Limits;
    use crate::xml::{Document, XmlError};

    fn parse(s: &str) -> Result<Document, XmlError> {
        Document::parse(s, &Limits::default())
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

    /// Issue 24: each construct XML 1.0 forbids is refused at its byte, inside its element.
    #[test]
    fn not_well_formed_constructs_are_refused_where_they_are() {
        let cases: &[(&str, &str, &str, &str)] = &[
            // An XML declaration inside NameID text used to vanish, merging the halves.
            (
                "<r><NameID>admin@<?xml version=\"1.0\"?>evil.test</NameID></r>",
                "<?xml",
                "/r/NameID",
                "very start",
            ),
            (
                "<r><a>x<?XML version=\"1.0\"?></a></r>",
                "<?XML",
                "/r/a",
                "reserved",
            ),
            ("<r><a><?xMl x?></a></r>", "<?xMl", "/r/a", "reserved"),
            ("<r/><?xml version=\"1.0\"?>", "<?xml", "", "very start"),
            (" <?xml version=\"1.0\"?><r/>", "<?xml", "", "very start"),
            (
                "<?xml version=\"1.0\"?><?xml version=\"1.0\"?><r/>",
                "<?xml version=\"1.0\"?><r",
                "",
                "very start",
            ),
            ("<r><a>x]]>y</a></r>", "]]>", "/r/a", "]]>"),
            ("<r><a><!-- a--b --></a></r>", "--b", "/r/a", "--"),
            ("<r><a><!-- a ---></a></r>", "-->", "/r/a", "--->"),
            ("<r><a x=\"1<2\"/></r>", "<2", "/r/a", "&lt;"),
            ("<?xml version=\"2.0\"?><r/>", "\"2.0", "", "version"),
            ("<?xml encoding=\"UTF-8\"?><r/>", "encoding", "", "version"),
            (
                "<?xml version=\"1.0\" standalone=\"maybe\"?><r/>",
                "\"maybe",
                "",
                "standalone",
            ),
        ];
        for (xml, at, path, why) in cases {
            let err = parse(xml).unwrap_err();
            let want = match *at {
                "-->" => xml.find(at).unwrap() - 1,
                _ => xml.rfind(at).unwrap(),
            };
            assert_eq!(err.offset, want, "{xml}: {err}");
            assert_eq!(err.path, *path, "{xml}: {err}");
            assert!(err.message.contains(why), "{xml}: {err}");
        }
    }

    #[test]
    fn legitimate_declarations_pis_and_comments_stay_accepted() {
        for xml in [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><r/>",
            "\u{FEFF}<?xml version=\"1.0\"?><r/>",
            "<r><?xml-stylesheet href=\"a\"?><!----><!-- - --><a x=\"]]>\">]]&gt;</a></r>",
            "<r><![CDATA[x]]>]]&gt;</r>",
        ] {
            parse(xml).unwrap_or_else(|e| panic!("{xml}: {e}"));
        }
    }

    /// XML 1.0 §2.11 and §3.3.3: CRLF and lone CR reach no reader, in any kind of content.
    #[test]
    fn line_ends_are_normalised_in_all_content() {
        use crate::xml::NodeKind;
        let doc = parse(
            "<r a=\"1\r\n2\r3\" c=\"x&#13;y\">t\r\nu\rv<![CDATA[c\r\nd\re]]><!--m\r\nn--><?p q\r\nr\rs?></r>",
        )
        .unwrap();
        assert_eq!(doc.attr(doc.root, "a"), Some("1 2 3"));
        assert_eq!(
            doc.attr(doc.root, "c"),
            Some("x\ry"),
            "a character reference stays a CR"
        );
        assert_eq!(doc.text(doc.root), "t\nu\nvc\nd\ne");
        let kinds: Vec<String> = doc
            .children(doc.root)
            .map(|c| match doc.kind(c) {
                NodeKind::Comment(t) => format!("comment {t}"),
                NodeKind::Pi(t) => format!("pi {t}"),
                NodeKind::Text(t) => format!("text {t}"),
                NodeKind::Element(_) => "element".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            ["text t\nu\nvc\nd\ne", "comment m\nn", "pi p q\nr\ns"]
        );
    }
}
