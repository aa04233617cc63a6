//! Identity values that are not one plain text node.
//!
//! Exclusive C14N without comments drops comments; C14N writes a CDATA section as escaped text
//! (C14N 1.0 §1.1, §2.3), so `admin@example.com<!---->.evil.test` and
//! `admin@example.com<![CDATA[]]>.evil.test` keep a signature over
//! `admin@example.com.evil.test` valid, while a DOM reader that takes the first text node sees
//! `admin@example.com` (Duo Labs 2018 for comments; CDATA and PIs split text nodes the same way
//! in libxml2, Xerces and .NET's XmlDocument). The XML reader merges CDATA into text as the
//! infoset does, so CDATA sections are found in the element's source bytes; `<` cannot appear
//! raw in an attribute value, so `<![CDATA[` inside the element's span is always a section.

use super::WrappingIssue;
use crate::xml::{Document, NodeId, NodeKind};

/// What splits the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitKind {
    Comment,
    ProcessingInstruction,
    Cdata,
    /// A child element (NameID, Issuer and Audience hold text only).
    Element,
}

impl SplitKind {
    pub fn name(self) -> &'static str {
        match self {
            SplitKind::Comment => "comment",
            SplitKind::ProcessingInstruction => "processing instruction",
            SplitKind::Cdata => "CDATA section",
            SplitKind::Element => "child element",
        }
    }
}

const CDATA_OPEN: &str = "<![CDATA[";

/// Reports a value element `n` whose text is not one plain text node.
pub(super) fn split_value(doc: &Document, n: NodeId, local: &str, issues: &mut Vec<WrappingIssue>) {
    let text_only = local != "AttributeValue";
    let mut first_text = String::new();
    let mut split = None;
    for c in doc.children(n) {
        let kind = match doc.kind(c) {
            NodeKind::Comment(_) => SplitKind::Comment,
            NodeKind::Pi(_) => SplitKind::ProcessingInstruction,
            NodeKind::Element(_) if text_only => SplitKind::Element,
            NodeKind::Element(_) => continue,
            NodeKind::Text(t) => {
                let span = doc.nodes[c].span;
                let raw = doc.source.get(span.start..span.end).unwrap_or("");
                if let Some(at) = raw.find(CDATA_OPEN) {
                    let body = &raw[at + CDATA_OPEN.len()..];
                    let close = body.find("]]>").unwrap_or(body.len());
                    // One CDATA section holding the whole value is one node: not a split.
                    if at == 0 && close + 3 == body.len() && first_text.is_empty() {
                        first_text.push_str(t);
                        continue;
                    }
                    // A first-text-node reader sees the text before the section, or the
                    // section itself when it comes first.
                    match at {
                        0 => first_text.push_str(&body[..close]),
                        _ => first_text.push_str(&unescape(&raw[..at])),
                    }
                    split = Some(SplitKind::Cdata);
                    break;
                }
                first_text.push_str(t);
                continue;
            }
        };
        split = Some(kind);
        break;
    }
    let Some(split_by) = split else { return };
    issues.push(WrappingIssue::CommentInjection {
        element: n,
        element_name: local.to_string(),
        first_text,
        full_text: doc.text(n),
        split_by,
    });
}

/// Resolves the predefined entities and character references of raw character data.
fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let Some(end) = tail.find(';') else {
            out.push_str(tail);
            return out;
        };
        let name = &tail[1..end];
        let ch = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => name
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => out.push(c),
            None => out.push_str(&tail[..=end]),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::unescape;

    #[test]
    fn unescapes_references() {
        assert_eq!(unescape("a&amp;b&#64;c&#x41;&bogus;"), "a&b@cA&bogus;");
    }
}
