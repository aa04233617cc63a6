//! One field value → the bytes it encodes: escapes first (HTML references, percent-encoding once
//! or twice), then base64 with the usual damage repaired (wrapping, URL-safe alphabet, lost
//! padding, `+` signs a form decoder turned into spaces). A value that is already XML ends here.

use super::escape::{has_percent_escape, html_unescape, percent_decode, strip_quotes};
use super::message::{DecodeError, Layer, Next, Trail};
use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// The standard alphabet, padding optional, trailing bits tolerated.
pub(crate) fn engine() -> GeneralPurpose {
    GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    )
}

/// The value step: escapes, then base64 → [`Layer::Payload`], or [`Layer::Xml`] for a plain value.
pub(crate) fn value_step(value: &str, trail: &Trail) -> Result<Next, DecodeError> {
    let mut trail = trail.clone();
    let start = trail.steps.len();
    let mut v = strip_quotes(value.trim()).to_string();
    if !trail.html_decoded && (v.contains("&#") || v.contains("&amp;") || v.contains("&quot;")) {
        v = html_unescape(&v);
        trail.steps.push("html-unescape".into());
    }
    if v.starts_with('<') {
        return Ok(vec![(Layer::Xml(v), trail)]);
    }
    // `+` is a base64 character and a form-encoded space. A value whose own `+` signs were
    // escaped as %2B was form-encoded, so any bare `+` in it can only be a space.
    let form_encoded = v.contains("%2B") || v.contains("%2b");
    let mut rounds = 0;
    while has_percent_escape(&v) && rounds < 3 {
        v = percent_decode(&v, form_encoded && rounds == 0);
        rounds += 1;
    }
    match rounds {
        0 => {}
        1 => trail.steps.push("url-decode".into()),
        n => trail.steps.push(format!("url-decode ×{n}")),
    }
    if v.trim_start().starts_with('<') {
        return Ok(vec![(Layer::Xml(v.trim().to_string()), trail)]);
    }
    let bytes = tolerant(&v, &mut trail.steps).map_err(|e| e.after(&trail.steps[start..]))?;
    Ok(vec![(Layer::Payload(bytes), trail)])
}

/// Base64 with the usual damage repaired: wrapping, URL-safe alphabet, lost padding, and `+`
/// signs that a form decoder turned into spaces.
pub(crate) fn tolerant(v: &str, steps: &mut Vec<String>) -> Result<Vec<u8>, DecodeError> {
    let mut s: String = v.trim().to_string();
    let has = |s: &str, a: u8, b: u8| memchr::memchr2(a, b, s.as_bytes()).is_some();
    if has(&s, b'-', b'_') && !has(&s, b'+', b'/') {
        s = s.replace('-', "+").replace('_', "/");
        steps.push("base64url → base64".into());
    }
    // Inner spaces (not line breaks) are `+` signs lost to form decoding when putting them back
    // yields whole base64; otherwise they are wrapping and are dropped.
    let strip = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
    // A branch-free fold (vectorised): a pasted value is often tens of kilobytes.
    let has_whitespace = s
        .bytes()
        .fold(false, |acc, b| acc | b.is_ascii_whitespace());
    let mut restored_plus = false;
    let cleaned = if !has_whitespace {
        s
    } else if s.trim().contains(' ') {
        let restored = strip(&s.replace(' ', "+"));
        if restored.trim_end_matches('=').len() % 4 != 1 && engine().decode(&restored).is_ok() {
            restored_plus = true;
            restored
        } else {
            strip(&s)
        }
    } else {
        strip(&s)
    };
    if restored_plus {
        steps.push("spaces restored to '+'".into());
    }
    if cleaned.is_empty() {
        return Err(DecodeError::invalid("base64", "the value is empty"));
    }
    let decoded = engine()
        .decode(&cleaned)
        .map_err(|e| DecodeError::invalid("base64", describe_error(&e, &cleaned)))?;
    if !cleaned.ends_with('=') && cleaned.len() % 4 != 0 {
        steps.push("base64 (padding restored)".into());
    } else {
        steps.push("base64".into());
    }
    Ok(decoded)
}

fn describe_error(e: &base64::DecodeError, s: &str) -> String {
    match e {
        base64::DecodeError::InvalidByte(at, byte) => format!(
            "character {:?} at position {at} is not base64 (the value may be cut or mixed with \
             other text)",
            *byte as char
        ),
        base64::DecodeError::InvalidLength(len) => format!(
            "{len} base64 characters cannot be a whole encoding: the value looks truncated \
             (copied only in part?)"
        ),
        base64::DecodeError::InvalidLastSymbol { offset, symbol, .. } => format!(
            "last symbol {:?} at position {offset} is not valid: the value looks truncated",
            *symbol as char
        ),
        base64::DecodeError::InvalidPadding => {
            format!("misplaced '=' padding in {} characters", s.len())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repairs_and_records() {
        let mut steps = Vec::new();
        assert_eq!(tolerant("PGEv\nPg==", &mut steps).unwrap(), b"<a/>");
        assert_eq!(steps, ["base64"]);
        let mut steps = Vec::new();
        assert_eq!(tolerant("PGEvPg", &mut steps).unwrap(), b"<a/>");
        assert_eq!(steps, ["base64 (padding restored)"]);
        let mut steps = Vec::new();
        assert_eq!(tolerant("PD94_w", &mut steps).unwrap(), b"<?x\xff");
        assert_eq!(steps[0], "base64url → base64");
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let e = tolerant("abc!", &mut Vec::new()).unwrap_err().to_string();
        assert!(e.contains("'!'") && e.contains("position 3"), "{e}");
        let e = tolerant("   ", &mut Vec::new()).unwrap_err().to_string();
        assert!(e.contains("empty"), "{e}");
    }
}
