//! Well-formedness rules of XML 1.0 that quick-xml does not enforce itself, and line-end
//! normalisation where it does not apply it (processing instructions).
//!
//! Each check returns the byte offset (relative to the slice it was given) and the reason, so the
//! parse loop can report it with the element path. A document that breaks any of these is not
//! XML, and libxml2, Xerces and expat refuse it; accepting it let a node vanish (an `<?xml ...?>`
//! inside a NameID was dropped and the two halves of the text merged into a forged identity).

use std::borrow::Cow;

/// The XML declaration's pseudo-attributes (§2.8 `XMLDecl`): `version` first and required, then
/// `encoding` and `standalone`, each optional and in that order. `content` is what follows
/// `<?xml` up to `?>`; the error offset is relative to it.
pub(super) fn check_xml_decl(content: &str) -> Result<(), (usize, String)> {
    let mut p = DeclReader { s: content, at: 0 };
    let mut last: Option<usize> = None;
    loop {
        let had_space = p.space();
        if p.at == content.len() {
            break;
        }
        if !had_space {
            return Err((
                p.at,
                "whitespace is required between pseudo-attributes".into(),
            ));
        }
        let name_at = p.at;
        let name = p.name();
        let rank = match name {
            "version" => 0,
            "encoding" => 1,
            "standalone" => 2,
            _ => {
                return Err((
                    name_at,
                    format!(
                        "`{name}` is not a pseudo-attribute of the XML declaration (only version, \
                         encoding and standalone, in that order)"
                    ),
                ));
            }
        };
        match last {
            None if rank != 0 => {
                return Err((
                    name_at,
                    "the XML declaration must start with version=".into(),
                ));
            }
            Some(l) if rank <= l => {
                return Err((
                    name_at,
                    format!("`{name}` is out of order or repeated in the XML declaration"),
                ));
            }
            _ => {}
        }
        p.space();
        if !p.eat('=') {
            return Err((p.at, format!("`=` expected after {name}")));
        }
        p.space();
        let value_at = p.at;
        let value = p
            .quoted()
            .ok_or((value_at, format!("quoted value expected for {name}")))?;
        let ok = match rank {
            0 => value.strip_prefix("1.").is_some_and(|minor| {
                !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit())
            }),
            1 => is_enc_name(value),
            _ => matches!(value, "yes" | "no"),
        };
        if !ok {
            let expected = ["1.0", "an encoding name", "yes or no"][rank];
            return Err((
                value_at,
                format!("{name}=\"{value}\" is not valid here (expected {expected})"),
            ));
        }
        last = Some(rank);
    }
    if last.is_none() {
        return Err((0, "the XML declaration must give version=\"1.0\"".into()));
    }
    Ok(())
}

/// `EncName ::= [A-Za-z] ([A-Za-z0-9._] | '-')*` (§4.3.3).
fn is_enc_name(s: &str) -> bool {
    let mut b = s.bytes();
    b.next().is_some_and(|c| c.is_ascii_alphabetic())
        && b.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

struct DeclReader<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> DeclReader<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.at..]
    }

    fn space(&mut self) -> bool {
        let n = self
            .rest()
            .bytes()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
            .count();
        self.at += n;
        n > 0
    }

    fn name(&mut self) -> &'a str {
        let n = self
            .rest()
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        let name = &self.rest()[..n];
        self.at += n;
        name
    }

    fn eat(&mut self, c: char) -> bool {
        let hit = self.rest().starts_with(c);
        if hit {
            self.at += c.len_utf8();
        }
        hit
    }

    fn quoted(&mut self) -> Option<&'a str> {
        let q = self
            .rest()
            .chars()
            .next()
            .filter(|&c| c == '"' || c == '\'')?;
        let body = &self.rest()[1..];
        let end = body.find(q)?;
        self.at += end + 2;
        Some(&body[..end])
    }
}

/// A processing instruction's target (§2.6): a name, and not `xml` in any case, which XML
/// reserves (the declaration is only allowed at the very start and is reported separately).
pub(super) fn check_pi_target(target: &str) -> Result<(), String> {
    if target.is_empty() {
        return Err(
            "a processing instruction must start with a target name (`<?name ...?>`)".into(),
        );
    }
    if target.eq_ignore_ascii_case("xml") {
        return Err(format!(
            "processing-instruction target `{target}` is reserved: `xml` in any case is only \
             allowed as the XML declaration at the very start of the document (XML 1.0 §2.6, \
             §2.8)"
        ));
    }
    Ok(())
}

/// `]]>` may not appear in character data (§2.4): it only ends a CDATA section. `raw` is the text
/// as written; the offset of the first `]]>` is returned.
pub(super) fn cdata_end_in_text(raw: &str) -> Option<usize> {
    memchr::memmem::find(raw.as_bytes(), b"]]>")
}

/// A comment's text may not contain `--` nor end with `-` (§2.5, so `--->` is no ending either).
/// Returns the offset in `body` of the offending hyphens.
pub(super) fn bad_comment(body: &str) -> Option<usize> {
    memchr::memmem::find(body.as_bytes(), b"--")
        .or_else(|| body.ends_with('-').then(|| body.len() - 1))
}

/// XML 1.0 §2.11: every `\r\n` and every `\r` not followed by `\n` becomes `\n`, in all parsed
/// content. quick-xml applies it to text, CDATA and comments; processing instructions go here.
pub(super) fn normalize_line_ends(s: &str) -> Cow<'_, str> {
    if memchr::memchr(b'\r', s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = memchr::memchr(b'\r', rest.as_bytes()) {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('\n') {
            rest = r;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_declarations() {
        for ok in [
            " version=\"1.0\"",
            " version='1.0' encoding='UTF-8'",
            " version=\"1.0\" encoding=\"ISO-8859-1\" standalone=\"no\" ",
            " version = \"1.1\"",
            " version=\"1.0\" standalone='yes'",
        ] {
            assert_eq!(check_xml_decl(ok), Ok(()), "{ok}");
        }
        for (bad, at) in [
            ("", 0),
            (" encoding=\"UTF-8\"", 1),
            (" version=\"2.0\"", 9),
            (" version=\"1.\"", 9),
            (" version=\"1.0\" standalone=\"maybe\"", 26),
            (" version=\"1.0\" standalone=\"no\" encoding=\"UTF-8\"", 31),
            (" version=\"1.0\" version=\"1.0\"", 15),
            (" version=\"1.0\"encoding=\"UTF-8\"", 14),
            (" version=\"1.0\" encoding=\"8bit\"", 24),
            (" version=\"1.0\" lang=\"en\"", 15),
            (" version=1.0", 9),
        ] {
            let err = check_xml_decl(bad).unwrap_err();
            assert_eq!(err.0, at, "{bad}: {}", err.1);
        }
    }

    #[test]
    fn pi_targets_and_comments() {
        assert!(check_pi_target("xml-stylesheet").is_ok());
        assert!(check_pi_target("xmlfoo").is_ok());
        for bad in ["xml", "XML", "xMl", ""] {
            assert!(check_pi_target(bad).is_err(), "{bad}");
        }
        assert_eq!(bad_comment(" fine - here "), None);
        assert_eq!(bad_comment(""), None);
        assert_eq!(bad_comment(" a--b "), Some(2));
        assert_eq!(bad_comment(" ends -"), Some(6));
        assert_eq!(cdata_end_in_text("a]]b]]>c"), Some(4));
        assert_eq!(cdata_end_in_text("a]] >"), None);
    }

    #[test]
    fn line_ends() {
        assert!(matches!(normalize_line_ends("a\nb"), Cow::Borrowed("a\nb")));
        assert_eq!(normalize_line_ends("a\r\nb\rc\r\r\nd\r"), "a\nb\nc\n\nd\n");
    }
}
