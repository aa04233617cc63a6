//! Bytes → text, as an XML processor reads them (XML 1.0 §4.3.3 and Appendix F): UTF-16 (byte-order
//! mark, or a leading `<` in either byte order), a UTF-8 byte-order mark, else the encoding the XML
//! declaration names, else UTF-8. Also the last step of a value's chain: the decompressed bytes
//! must be XML text.
//!
//! Declared encodings go through `encoding_rs` (the WHATWG Encoding Standard), with two exceptions
//! where WHATWG's web-compatibility aliases differ from what XML processors (libxml2/iconv, Java)
//! do: `ISO-8859-1` and its aliases are ISO-8859-1 (bytes 0x80–0x9F are C1 controls, not
//! windows-1252 punctuation), and `US-ASCII` is ASCII (a byte over 0x7F is an error). A declaration
//! is honoured even when the bytes are also valid UTF-8 (libxml2 does), with a note; a name
//! `encoding_rs` does not know, or a UTF-16 name on single-byte text, is refused by name.

use super::message::{DecodeError, Layer, Next, Trail};
use encoding_rs::Encoding;

/// Names XML processors read as ISO-8859-1 proper (the IANA aliases).
const LATIN1: [&str; 10] = [
    "iso-8859-1",
    "iso8859-1",
    "iso_8859-1",
    "iso_8859-1:1987",
    "latin1",
    "latin-1",
    "l1",
    "iso-ir-100",
    "cp819",
    "ibm819",
];

/// The text of `bytes`, recording any transcoding in the trail's steps and notes; an error names
/// the steps taken before it.
pub(crate) fn to_text(bytes: &[u8], trail: &mut Trail) -> Result<String, DecodeError> {
    let start = trail.steps.len();
    read_text(bytes, trail).map_err(|e| e.after(&trail.steps[start..]))
}

fn read_text(bytes: &[u8], trail: &mut Trail) -> Result<String, DecodeError> {
    if let Some(text) = utf16_to_text(bytes, &mut trail.steps)? {
        return Ok(text);
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            trail.steps.push("strip UTF-8 BOM".into());
            return utf8(rest);
        }
        None => bytes,
    };
    match declared_encoding(bytes) {
        Some(label) => declared(bytes, &label, trail),
        None => utf8(bytes),
    }
}

fn utf8(bytes: &[u8]) -> Result<String, DecodeError> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(DecodeError::invalid(
            "reading the input as text",
            format!(
                "byte 0x{:02X} at offset {} is not valid UTF-8 (and no XML declaration names \
                 another encoding)",
                bytes[e.valid_up_to()],
                e.valid_up_to()
            ),
        )),
    }
}

/// The `encoding` of an XML declaration at the very start of single-byte text.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    if !bytes.starts_with(b"<?xml") {
        return None;
    }
    let head = &bytes[..bytes.len().min(256)];
    let end = memchr::memmem::find(head, b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let at = decl.find("encoding")? + "encoding".len();
    let rest = decl[at..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &rest[1..];
    Some(value[..value.find(quote)?].to_string())
}

/// Decodes single-byte-declared text as its declaration says.
fn declared(bytes: &[u8], label: &str, trail: &mut Trail) -> Result<String, DecodeError> {
    let lower = label.trim().to_ascii_lowercase();
    if lower == "utf-8" || lower == "utf8" {
        return utf8(bytes);
    }
    let step = format!("decoding as {label} (the XML declaration)");
    let unsupported = |why: &str| {
        DecodeError::invalid(
            step.clone(),
            format!(
                "the XML declaration names the encoding {label:?}, {why}; re-save the message \
                 as UTF-8 or capture it again as the IdP sent it"
            ),
        )
    };
    let ascii_only = bytes.is_ascii();
    let text = if LATIN1.contains(&lower.as_str()) {
        bytes.iter().map(|&b| b as char).collect()
    } else if lower == "us-ascii" || lower == "ascii" {
        if let Some(at) = bytes.iter().position(|b| !b.is_ascii()) {
            return Err(DecodeError::invalid(
                step,
                format!("byte 0x{:02X} at offset {at} is not ASCII", bytes[at]),
            ));
        }
        String::from_utf8_lossy(bytes).into_owned()
    } else {
        let Some(enc) = Encoding::for_label(lower.as_bytes()) else {
            return Err(unsupported("which is not an encoding this tool knows"));
        };
        if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
            return Err(unsupported(
                "but the bytes are single-byte text, not UTF-16",
            ));
        }
        if enc == encoding_rs::REPLACEMENT || enc.is_single_byte() && !enc.is_ascii_compatible() {
            return Err(unsupported("which XML processors do not read"));
        }
        match enc.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(t) => t.into_owned(),
            None => {
                return Err(DecodeError::invalid(
                    step,
                    format!("the bytes are not valid {} text", enc.name()),
                ));
            }
        }
    };
    if !ascii_only {
        trail
            .steps
            .push(format!("{} → UTF-8", display_name(&lower, label)));
        if std::str::from_utf8(bytes).is_ok() {
            trail.notes.push(format!(
                "the bytes are also valid UTF-8, but the XML declaration names {label}; decoded \
                 as declared, as libxml2 does (if the IdP sent UTF-8, its declaration is wrong)"
            ));
        }
    }
    Ok(text)
}

/// `ISO-8859-1` keeps the name the steps always showed; others as declared, upper-cased.
fn display_name(lower: &str, label: &str) -> String {
    if LATIN1.contains(&lower) {
        "ISO-8859-1".into()
    } else {
        label.to_ascii_uppercase()
    }
}

fn utf16_to_text(bytes: &[u8], steps: &mut Vec<String>) -> Result<Option<String>, DecodeError> {
    let (le, body) = if let Some(b) = bytes.strip_prefix(b"\xFF\xFE") {
        (true, b)
    } else if let Some(b) = bytes.strip_prefix(b"\xFE\xFF") {
        (false, b)
    } else if bytes.len() >= 4 && bytes[0] == b'<' && bytes[1] == 0 && bytes[2] != 0 {
        (true, bytes)
    } else if bytes.len() >= 4 && bytes[0] == 0 && bytes[1] == b'<' && bytes[3] != 0 {
        (false, bytes)
    } else {
        return Ok(None);
    };
    if body.len() % 2 != 0 {
        return Err(DecodeError::invalid(
            "UTF-16 → UTF-8",
            format!("odd number of bytes ({}) in a UTF-16 text", body.len()),
        ));
    }
    let units = body.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let text: Result<String, _> = char::decode_utf16(units).collect();
    let text = text.map_err(|e| {
        DecodeError::invalid(
            "UTF-16 → UTF-8",
            format!("unpaired surrogate 0x{:04X}", e.unpaired_surrogate()),
        )
    })?;
    steps.push(format!("UTF-16{} → UTF-8", if le { "LE" } else { "BE" }));
    Ok(Some(text))
}

/// The last step of a value: decompressed (or plain) bytes → the message's XML text.
pub(crate) fn xml_step(bytes: &[u8], trail: &Trail) -> Result<Next, DecodeError> {
    let mut trail = trail.clone();
    let start = trail.steps.len();
    let text = to_text(bytes, &mut trail)?;
    if !text.trim_start().starts_with('<') {
        let before = &trail.steps[start..];
        return Err(DecodeError::after(
            DecodeError::invalid(
                "reading the result as XML",
                format!(
                    "the decoded data is not XML (it starts with {:?})",
                    text.chars().take(24).collect::<String>()
                ),
            ),
            before,
        ));
    }
    Ok(vec![(Layer::Xml(text.trim().to_string()), trail)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> Result<(String, Trail), DecodeError> {
        let mut t = Trail::default();
        to_text(bytes, &mut t).map(|s| (s, t))
    }

    #[test]
    fn utf16_both_orders_and_errors() {
        let be: Vec<u8> = "<a/>"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        let (s, t) = text(&be).unwrap();
        assert_eq!(
            (s.as_str(), t.steps.as_slice()),
            ("<a/>", ["UTF-16BE → UTF-8".to_string()].as_slice())
        );
        let e = text(b"\xFF\xFE<\0a").unwrap_err();
        assert!(e.to_string().contains("odd number"), "{e}");
    }

    #[test]
    fn latin1_only_when_declared() {
        let (s, t) = text(b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xE9\x92</a>").unwrap();
        assert!(s.contains("é\u{92}"), "{s}");
        assert_eq!(t.steps, ["ISO-8859-1 → UTF-8"]);
        let e = text(b"<a>\xE9</a>").unwrap_err().to_string();
        assert!(e.contains("offset 3") && e.contains("UTF-8"), "{e}");
    }

    #[test]
    fn windows_1252_is_honoured() {
        let (s, t) =
            text(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>O\x92Brien</a>").unwrap();
        assert!(s.contains("O\u{2019}Brien"), "{s}");
        assert_eq!(t.steps, ["WINDOWS-1252 → UTF-8"]);
        assert!(t.notes.is_empty());
    }

    #[test]
    fn valid_utf8_declared_otherwise_is_decoded_as_declared_with_a_note() {
        let doc = "<?xml version=\"1.0\" encoding=\"windows-1252\"?><a>é</a>";
        let (s, t) = text(doc.as_bytes()).unwrap();
        assert!(s.contains("Ã©"), "{s}");
        assert!(t.notes[0].contains("also valid UTF-8"), "{:?}", t.notes);
        // Pure ASCII reads the same in every ASCII-compatible encoding: nothing to record.
        let (_, t) = text(b"<?xml version='1.0' encoding='windows-1252'?><a/>").unwrap();
        assert!(t.steps.is_empty() && t.notes.is_empty());
    }

    #[test]
    fn unsupported_or_impossible_encodings_are_refused_by_name() {
        let e = text(b"<?xml version='1.0' encoding='EBCDIC-XYZ'?><a/>")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("\"EBCDIC-XYZ\"") && e.contains("not an encoding"),
            "{e}"
        );
        let e = text(b"<?xml version='1.0' encoding='UTF-16'?><a/>")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not UTF-16"), "{e}");
        let e = text(b"<?xml version='1.0' encoding='us-ascii'?><a>\xE9</a>")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not ASCII") && e.contains("offset"), "{e}");
        let e = text(b"<?xml version='1.0' encoding='shift_jis'?><a>\x82</a>")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not valid Shift_JIS"), "{e}");
        let (s, _) = text("<?xml version='1.0' encoding='utf-8'?><a>é</a>".as_bytes()).unwrap();
        assert!(s.contains('é'));
    }
}
