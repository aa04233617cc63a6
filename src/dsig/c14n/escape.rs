//! Escaping of character data and attribute values (Canonical XML 1.0 §2.3, "Character
//! references" and the attribute-value rules).

/// Escapes character data: `&`, `<`, `>` and carriage return.
pub(super) fn escape_text(out: &mut String, text: &str) {
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
pub(super) fn escape_attr(out: &mut String, text: &str) {
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
