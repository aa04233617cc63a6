//! Character-level rules of XML 1.0: the characters a document may hold (§2.2) and the
//! references it may use (§4.1, §4.6).

/// XML 1.0 allows no control characters but tab, newline and carriage return, neither raw nor as
/// character references (`&#x1b;`), and not U+FFFE or U+FFFF. They were once accepted, and an
/// escape sequence in an Issuer or attribute value reached the terminal through the text report.
pub(super) fn is_forbidden(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

pub(super) fn forbidden_message(c: char) -> String {
    format!(
        "character U+{:04X} is not allowed in XML 1.0 (raw or as a character reference)",
        c as u32
    )
}

/// The first character XML 1.0 forbids, with its byte offset.
pub(super) fn first_forbidden_char(text: &str) -> Option<(usize, char)> {
    // Every forbidden character is an ASCII control byte or starts with 0xEF (U+FFFE, U+FFFF).
    // Blocks are screened with a branch-free fold the compiler vectorises; only a block that
    // holds a suspect byte is decoded.
    const BLOCK: usize = 64;
    let suspect = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r') | (b == 0xEF);
    for (i, block) in text.as_bytes().chunks(BLOCK).enumerate() {
        if !block.iter().fold(false, |acc, &b| acc | suspect(b)) {
            continue;
        }
        // Decode from a character boundary at or before the block.
        let mut from = i * BLOCK;
        while !text.is_char_boundary(from) {
            from -= 1;
        }
        let to = ((i + 1) * BLOCK + 3).min(text.len());
        let mut to = to;
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        if let Some((off, c)) = text[from..to]
            .char_indices()
            .find(|&(_, c)| is_forbidden(c))
        {
            return Some((from + off, c));
        }
    }
    None
}

pub(super) fn resolve_reference(name: &str) -> Option<char> {
    let ch = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            char::from_u32(code).filter(|&c| c != '\0')?
        }
    };
    Some(ch)
}

#[cfg(test)]
mod tests {
    use crate::limits::Limits;
    use crate::xml::{Document, XmlError};

    fn parse(s: &str) -> Result<Document, XmlError> {
        Document::parse(s, &Limits::default())
    }

    #[test]
    fn forbidden_characters_are_reported_where_they_are() {
        let err = parse("<a><b>ok\u{1b}[31m</b></a>").unwrap_err();
        assert_eq!(err.offset, 8, "{err}");
        assert_eq!(err.path, "/a/b");
        assert!(err.message.contains("U+001B"), "{err}");
        let err = parse("<a v=\"&#x7;\"/>").unwrap_err();
        assert!(err.message.contains("U+0007"), "{err}");
        let err = parse("<a>&#xFFFF;</a>").unwrap_err();
        assert!(err.message.contains("U+FFFF"), "{err}");
        // U+FF01 shares the lead byte of U+FFFF and is fine.
        assert_eq!(parse("<a>\u{FF01}</a>").unwrap().text(0), "\u{FF01}");
    }
}
