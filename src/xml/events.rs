//! The parse loop: quick-xml's events, each checked and handed to the [`Builder`].

use super::build::Builder;
use super::chars::{first_forbidden_char, forbidden_message, is_forbidden, resolve_reference};
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
            Event::Decl(_) => {}
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
                let text = b.store(t.xml10_content());
                b.text(text, span)?;
            }
            Event::CData(t) => {
                let text = b.store(t.into_inner());
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
                let text = b.store(t.xml10_content());
                b.leaf(RawKind::Comment(text), span)?;
            }
            Event::PI(pi) => {
                let text = format!("{} {}", pi.target(), pi.content().trim_start());
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
}
