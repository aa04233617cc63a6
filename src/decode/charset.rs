//! Bytes → text: UTF-16 (byte-order mark or a leading `<` in either byte order), a UTF-8 byte-order
//! mark, UTF-8, or the Latin-1 family when the XML declaration names it. Also the last step of a
//! value's chain: the decompressed bytes must be XML text.

use super::message::{DecodeError, Layer, Next, Trail};

/// The text of `bytes`, recording any transcoding in `steps`.
pub(crate) fn to_text(bytes: &[u8], steps: &mut Vec<String>) -> Result<String, DecodeError> {
    if let Some(text) = utf16_to_text(bytes, steps)? {
        return Ok(text);
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            steps.push("strip UTF-8 BOM".into());
            rest
        }
        None => bytes,
    };
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            if declares_latin1(bytes) {
                steps.push("ISO-8859-1 → UTF-8".into());
                return Ok(bytes.iter().map(|&b| b as char).collect());
            }
            Err(DecodeError::invalid(
                "reading the input as text",
                format!(
                    "byte 0x{:02X} at offset {} is not valid UTF-8 (and no XML declaration names \
                     another encoding)",
                    bytes[e.valid_up_to()],
                    e.valid_up_to()
                ),
            ))
        }
    }
}

fn declares_latin1(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_ascii_lowercase();
    head.starts_with("<?xml")
        && ["iso-8859-1", "latin1", "windows-1252", "latin-1"]
            .iter()
            .any(|e| head.contains(e))
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
    let text = to_text(bytes, &mut trail.steps)?;
    if !text.trim_start().starts_with('<') {
        return Err(DecodeError::invalid(
            trail
                .steps
                .last()
                .cloned()
                .unwrap_or_else(|| "decoding".into()),
            format!(
                "the decoded data is not XML (it starts with {:?})",
                text.chars().take(24).collect::<String>()
            ),
        ));
    }
    Ok(vec![(Layer::Xml(text.trim().to_string()), trail)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_both_orders_and_errors() {
        let mut steps = Vec::new();
        let be: Vec<u8> = "<a/>"
            .encode_utf16()
            .flat_map(|u| u.to_be_bytes())
            .collect();
        assert_eq!(to_text(&be, &mut steps).unwrap(), "<a/>");
        assert_eq!(steps, ["UTF-16BE → UTF-8"]);
        let e = to_text(b"\xFF\xFE<\0a", &mut steps).unwrap_err();
        assert!(e.to_string().contains("odd number"), "{e}");
    }

    #[test]
    fn latin1_only_when_declared() {
        let mut steps = Vec::new();
        let t = to_text(
            b"<?xml version='1.0' encoding='ISO-8859-1'?><a>\xE9</a>",
            &mut steps,
        );
        assert!(t.unwrap().contains('é'));
        assert!(to_text(b"<a>\xE9</a>", &mut steps).is_err());
    }
}
