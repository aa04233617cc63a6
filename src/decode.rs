//! Any paste form → SAML XML text, with the steps taken written down.
//!
//! Engineers paste whatever they captured: raw XML (BOM, UTF-16, Latin-1 declaration), base64
//! (standard or URL-safe, wrapped, unpadded, quoted), URL-encoded once or twice, a form body, a
//! full URL (HTTP-Redirect: raw DEFLATE), zlib or gzip streams, the IdP's auto-post HTML page, a
//! SAML-tracer export or a browser HAR. The form is detected by content, never by file name, and
//! every step is recorded so the report can say `url-decode → base64 → inflate`. Decompression and
//! input size are capped by [`Limits`]. Inputs that are clearly something else (an HTML login page,
//! a JWT, SAML metadata) get an error that says what they look like.

use crate::limits::Limits;
use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use std::io::Read;

/// One SAML message found in an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodedMessage {
    /// Where in a capture file it was found, e.g. `HAR entry 3: POST https://acme.test/acs`.
    pub label: Option<String>,
    /// The form field or query parameter it came from (`SAMLResponse`, `SAMLRequest`).
    pub parameter: Option<String>,
    pub relay_state: Option<String>,
    /// `SigAlg` of an HTTP-Redirect message, when present.
    pub sig_alg: Option<String>,
    /// The decoding steps, in order.
    pub steps: Vec<String>,
    /// Non-conformances noticed while decoding (zlib header on a Redirect value, …).
    pub notes: Vec<String>,
    /// The XML text.
    pub xml: String,
}

/// Why an input could not be turned into SAML XML.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("input is not a SAML message: it looks like {0}")]
    NotSaml(String),
    #[error("{step} failed: {message}")]
    Invalid { step: String, message: String },
    #[error("{what} is larger than the limit of {limit} bytes; {hint}")]
    TooLarge {
        what: String,
        limit: usize,
        hint: String,
    },
    #[error("input is empty")]
    Empty,
}

const SAML_PARAMS: [&str; 2] = ["SAMLResponse", "SAMLRequest"];

/// Decodes one input (a file's bytes or stdin) into the SAML messages it holds.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Vec<DecodedMessage>, DecodeError> {
    if bytes.len() > limits.max_input_bytes {
        return Err(DecodeError::TooLarge {
            what: "the input".into(),
            limit: limits.max_input_bytes,
            hint: "raise it with --max-input-bytes if this is really one trace".into(),
        });
    }
    let mut steps = Vec::new();
    let text = bytes_to_text(bytes, limits, &mut steps, 0)?;
    decode_text(&text, limits, steps)
}

/// Fails when the messages decoded so far from one input hold more XML in total than the larger of
/// the inflated-size and input-size limits. Each decompression is capped on its own; this stops an
/// input holding many compressed values (HAR entries, SAML-tracer requests, HTML form fields) from
/// multiplying that cap into gigabytes. Uncompressed messages never total more than the input.
pub(crate) fn check_total(found: &[DecodedMessage], limits: &Limits) -> Result<(), DecodeError> {
    let cap = limits.max_inflated_bytes.max(limits.max_input_bytes);
    let total = found
        .iter()
        .fold(0usize, |n, m| n.saturating_add(m.xml.len()));
    if total > cap {
        return Err(DecodeError::TooLarge {
            what: format!(
                "the XML of the {} SAML messages decoded from this input",
                found.len()
            ),
            limit: cap,
            hint: "each was within the limit but together they look like a decompression bomb; \
                   raise --max-inflated-bytes only for a trusted input"
                .into(),
        });
    }
    Ok(())
}

/// Turns raw bytes into text: compressed streams are inflated, UTF-16 and Latin-1 transcoded.
fn bytes_to_text(
    bytes: &[u8],
    limits: &Limits,
    steps: &mut Vec<String>,
    depth: usize,
) -> Result<String, DecodeError> {
    if depth < 3 {
        if bytes.starts_with(&[0x1f, 0x8b]) {
            steps.push("gunzip".into());
            let out = inflate(Compression::Gzip, bytes, limits)?;
            return bytes_to_text(&out, limits, steps, depth + 1);
        }
        if is_zlib_header(bytes)
            && let Ok(out) = inflate(Compression::Zlib, bytes, limits)
        {
            steps.push("zlib-inflate".into());
            return bytes_to_text(&out, limits, steps, depth + 1);
        }
    }
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
            Err(DecodeError::Invalid {
                step: "reading the input as text".into(),
                message: format!(
                    "byte 0x{:02X} at offset {} is not valid UTF-8 (and no XML declaration names \
                     another encoding)",
                    bytes[e.valid_up_to()],
                    e.valid_up_to()
                ),
            })
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
        return Err(DecodeError::Invalid {
            step: "UTF-16 → UTF-8".into(),
            message: format!("odd number of bytes ({}) in a UTF-16 text", body.len()),
        });
    }
    let units = body.chunks_exact(2).map(|c| {
        if le {
            u16::from_le_bytes([c[0], c[1]])
        } else {
            u16::from_be_bytes([c[0], c[1]])
        }
    });
    let text: Result<String, _> = char::decode_utf16(units).collect();
    let text = text.map_err(|e| DecodeError::Invalid {
        step: "UTF-16 → UTF-8".into(),
        message: format!("unpaired surrogate 0x{:04X}", e.unpaired_surrogate()),
    })?;
    steps.push(format!("UTF-16{} → UTF-8", if le { "LE" } else { "BE" }));
    Ok(Some(text))
}

/// Dispatches on what the text looks like.
fn decode_text(
    text: &str,
    limits: &Limits,
    steps: Vec<String>,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    let t = strip_quotes(text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'));
    if t.is_empty() {
        return Err(DecodeError::Empty);
    }
    if t.starts_with('{') || t.starts_with('[') {
        return crate::capture::decode_capture(t, limits, &steps);
    }
    if t.starts_with('<') {
        // Raw XML keeps its leading lines so that positions point into the file as given.
        let keep = text.trim_end();
        let keep = if keep.trim_start().starts_with('<') {
            keep
        } else {
            t
        };
        return decode_markup(keep, limits, steps);
    }
    let lower = t.get(..8).unwrap_or(t).to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return decode_url(t, limits, steps, None);
    }
    if let Some(what) = describe_non_saml(t) {
        return Err(DecodeError::NotSaml(what));
    }
    if t.contains("SAMLResponse=") || t.contains("SAMLRequest=") {
        return decode_form(t, limits, steps, None);
    }
    let mut msg = decode_value(t, limits, steps, Binding::Unknown)?;
    msg.label = None;
    Ok(vec![msg])
}

fn strip_quotes(t: &str) -> &str {
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return t[1..t.len() - 1].trim();
        }
    }
    t
}

/// Names inputs that are plainly not SAML, so the user hears what they pasted.
fn describe_non_saml(t: &str) -> Option<String> {
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() == 3 && t.starts_with("eyJ") && !t.contains(char::is_whitespace) {
        let header = b64_engine()
            .decode(parts[0].replace('-', "+").replace('_', "/"))
            .ok()
            .map(|h| String::from_utf8_lossy(&h).into_owned())
            .unwrap_or_default();
        return Some(format!(
            "a JWT (an OIDC/OAuth token, header {header}), not a SAML message; SAML responses are \
             XML, usually base64-encoded in a SAMLResponse form field"
        ));
    }
    if t.starts_with("SAMLart=") {
        return Some(
            "an HTTP-Artifact reference (SAMLart): the message itself travels over SOAP between \
             the servers, so a browser trace cannot contain it"
                .into(),
        );
    }
    None
}

fn decode_markup(
    t: &str,
    limits: &Limits,
    steps: Vec<String>,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    let head = t.trim_start();
    let head = head
        .get(..head.len().min(512))
        .unwrap_or(head)
        .to_ascii_lowercase();
    let looks_html = head.starts_with("<!doctype html")
        || head.contains("<html")
        || head.starts_with("<form")
        || head.starts_with("<body")
        || head.starts_with("<head");
    if !looks_html {
        return Ok(vec![DecodedMessage::xml(t.to_string(), steps)]);
    }
    let fields = html_hidden_fields(t);
    let found: Vec<&(String, String)> = fields
        .iter()
        .filter(|(n, _)| SAML_PARAMS.contains(&n.as_str()))
        .collect();
    if found.is_empty() {
        let title = html_title(t)
            .map(|s| format!(" titled \"{s}\""))
            .unwrap_or_default();
        return Err(DecodeError::NotSaml(format!(
            "an HTML page{title} with no SAMLResponse or SAMLRequest form field (a login or \
             error page, perhaps); capture the POST to the ACS URL instead, e.g. with SAML-tracer"
        )));
    }
    let relay = fields
        .iter()
        .find(|(n, _)| n == "RelayState")
        .map(|(_, v)| html_unescape(v));
    let mut out = Vec::new();
    for (name, value) in found {
        let mut s = steps.clone();
        s.push(format!("HTML form field {name}"));
        let mut msg = decode_value(&html_unescape(value), limits, s, Binding::Post)?;
        msg.parameter = Some(name.clone());
        msg.relay_state = relay.clone();
        out.push(msg);
        check_total(&out, limits)?;
    }
    Ok(out)
}

fn html_title(t: &str) -> Option<String> {
    let re = regex::Regex::new(r"(?is)<title[^>]*>(.*?)</title>").ok()?;
    let title = re.captures(t)?.get(1)?.as_str().trim().to_string();
    (!title.is_empty()).then(|| title.chars().take(80).collect())
}

/// `<input type="hidden" name=".." value="..">` fields of an HTML page, attribute order free.
pub(crate) fn html_hidden_fields(html: &str) -> Vec<(String, String)> {
    let Ok(tag) = regex::Regex::new(r"(?is)<input\b[^>]*>") else {
        return Vec::new();
    };
    let Ok(attr) =
        regex::Regex::new(r#"(?is)\b(name|value)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for m in tag.find_iter(html) {
        let (mut name, mut value) = (None, None);
        for c in attr.captures_iter(m.as_str()) {
            let v = c
                .get(2)
                .or(c.get(3))
                .or(c.get(4))
                .map_or("", |g| g.as_str())
                .to_string();
            if c[1].eq_ignore_ascii_case("name") {
                name = Some(v);
            } else {
                value = Some(v);
            }
        }
        if let (Some(n), Some(v)) = (name, value) {
            out.push((n, v));
        }
    }
    out
}

/// Decodes the HTML character references that survive copying a value out of page source.
pub(crate) fn html_unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            };
            ch.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A full URL carrying SAMLRequest/SAMLResponse (HTTP-Redirect binding).
pub(crate) fn decode_url(
    url: &str,
    limits: &Limits,
    mut steps: Vec<String>,
    label: Option<String>,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let query = query.split('#').next().unwrap_or("");
    if !SAML_PARAMS.iter().any(|p| query_has(query, p)) {
        let what = if query_has(query, "SAMLart") {
            describe_non_saml("SAMLart=").unwrap_or_default()
        } else if query_has(query, "code") || query_has(query, "id_token") {
            "an OAuth/OIDC redirect URL (it carries `code` or `id_token`), not a SAML message"
                .into()
        } else {
            format!(
                "a URL without a SAMLRequest or SAMLResponse parameter ({})",
                strip_query(url)
            )
        };
        return Err(DecodeError::NotSaml(what));
    }
    steps.push("query string".into());
    decode_form(query, limits, steps, label)
}

fn query_has(query: &str, name: &str) -> bool {
    query.split('&').any(|p| p.split('=').next() == Some(name))
}

/// The URL without its query string, for labels.
pub fn strip_query(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// `a=b&c=d` pairs with values still percent-encoded.
fn raw_pairs(body: &str) -> Vec<(String, &str)> {
    body.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k.trim(), true), v.trim())
        })
        .collect()
}

/// A form body or query string: `SAMLResponse=...&RelayState=...`.
pub(crate) fn decode_form(
    body: &str,
    limits: &Limits,
    steps: Vec<String>,
    label: Option<String>,
) -> Result<Vec<DecodedMessage>, DecodeError> {
    let pairs = raw_pairs(body);
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| percent_decode(v, true))
    };
    let relay = get("RelayState");
    let sig_alg = get("SigAlg");
    let mut out = Vec::new();
    for (name, value) in pairs
        .iter()
        .filter(|(k, _)| SAML_PARAMS.contains(&k.as_str()))
    {
        let binding = if sig_alg.is_some()
            || label_is_get(&label)
            || steps.iter().any(|s| s == "query string")
        {
            Binding::Redirect
        } else {
            Binding::Unknown
        };
        let mut s = steps.clone();
        s.push(format!("field {name}"));
        let mut msg = decode_value(value, limits, s, binding)?;
        msg.parameter = Some(name.clone());
        msg.relay_state = relay.clone();
        msg.sig_alg = sig_alg.clone();
        msg.label = label.clone();
        out.push(msg);
        check_total(&out, limits)?;
    }
    if out.is_empty() {
        return Err(DecodeError::NotSaml(
            "form data without a SAMLRequest or SAMLResponse field".into(),
        ));
    }
    Ok(out)
}

fn label_is_get(label: &Option<String>) -> bool {
    label.as_deref().is_some_and(|l| l.contains(": GET "))
}

/// How the value travelled, which decides whether inflation is expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Binding {
    Post,
    Redirect,
    Unknown,
}

/// A single encoded value: percent/HTML escapes, then base64, then optional inflation.
pub(crate) fn decode_value(
    value: &str,
    limits: &Limits,
    mut steps: Vec<String>,
    binding: Binding,
) -> Result<DecodedMessage, DecodeError> {
    let mut v = strip_quotes(value.trim()).to_string();
    if v.contains("&#") || v.contains("&amp;") || v.contains("&quot;") {
        v = html_unescape(&v);
        steps.push("html-unescape".into());
    }
    if v.starts_with('<') {
        return Ok(DecodedMessage::xml(v, steps));
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
        1 => steps.push("url-decode".into()),
        n => steps.push(format!("url-decode ×{n}")),
    }
    if v.trim_start().starts_with('<') {
        return Ok(DecodedMessage::xml(v.trim().to_string(), steps));
    }
    let bytes = base64_tolerant(&v, &mut steps)?;
    let mut notes = Vec::new();
    let xml = inflate_if_needed(&bytes, limits, binding, &mut steps, &mut notes)?;
    let mut msg = DecodedMessage::xml(xml, steps);
    msg.notes = notes;
    Ok(msg)
}

fn has_percent_escape(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'%', b).any(|i| {
        b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    })
}

/// Percent-decodes; `plus_is_space` applies the form-encoding meaning of `+`.
pub(crate) fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let special = |i: usize| {
        if plus_is_space {
            memchr::memchr2(b'%', b'+', &b[i..])
        } else {
            memchr::memchr(b'%', &b[i..])
        }
    };
    while let Some(rel) = special(i) {
        out.extend_from_slice(&b[i..i + rel]);
        i += rel;
        if b[i] == b'+' {
            out.push(b' ');
            i += 1;
            continue;
        }
        match (
            b.get(i + 1).and_then(|&h| hex_val(h)),
            b.get(i + 2).and_then(|&l| hex_val(l)),
        ) {
            (Some(h), Some(l)) => {
                out.push(h << 4 | l);
                i += 3;
            }
            _ => {
                out.push(b'%');
                i += 1;
            }
        }
    }
    out.extend_from_slice(&b[i..]);
    // Valid UTF-8 (the usual case) is kept without a second copy.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn hex_val(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

fn b64_engine() -> GeneralPurpose {
    GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    )
}

/// Base64 with the usual damage repaired: wrapping, URL-safe alphabet, lost padding, and `+`
/// signs that a form decoder turned into spaces.
pub(crate) fn base64_tolerant(v: &str, steps: &mut Vec<String>) -> Result<Vec<u8>, DecodeError> {
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
        if restored.trim_end_matches('=').len() % 4 != 1 && b64_engine().decode(&restored).is_ok() {
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
        return Err(DecodeError::Invalid {
            step: "base64".into(),
            message: "the value is empty".into(),
        });
    }
    let decoded = b64_engine()
        .decode(&cleaned)
        .map_err(|e| DecodeError::Invalid {
            step: "base64".into(),
            message: describe_base64_error(&e, &cleaned),
        })?;
    if !cleaned.ends_with('=') && cleaned.len() % 4 != 0 {
        steps.push("base64 (padding restored)".into());
    } else {
        steps.push("base64".into());
    }
    Ok(decoded)
}

fn describe_base64_error(e: &base64::DecodeError, s: &str) -> String {
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

#[derive(Debug, Clone, Copy)]
enum Compression {
    Raw,
    Zlib,
    Gzip,
}

fn is_zlib_header(b: &[u8]) -> bool {
    b.len() >= 2 && b[0] == 0x78 && matches!(b[1], 0x01 | 0x5E | 0x9C | 0xDA)
}

/// Inflates with a hard cap on the output size.
fn inflate(kind: Compression, bytes: &[u8], limits: &Limits) -> Result<Vec<u8>, DecodeError> {
    let cap = limits.max_inflated_bytes;
    let reader: Box<dyn Read + '_> = match kind {
        Compression::Raw => Box::new(flate2::read::DeflateDecoder::new(bytes)),
        Compression::Zlib => Box::new(flate2::read::ZlibDecoder::new(bytes)),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(bytes)),
    };
    let mut out = Vec::new();
    let name = match kind {
        Compression::Raw => "inflate (raw DEFLATE)",
        Compression::Zlib => "zlib-inflate",
        Compression::Gzip => "gunzip",
    };
    reader
        .take((cap as u64).saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::Invalid {
            step: name.into(),
            message: format!("corrupt compressed data: {e}"),
        })?;
    if out.len() > cap {
        return Err(DecodeError::TooLarge {
            what: format!("the {name} output (from {} compressed bytes)", bytes.len()),
            limit: cap,
            hint: "this looks like a decompression bomb; raise --max-inflated-bytes only for a trusted input".into(),
        });
    }
    Ok(out)
}

/// Decoded base64 bytes → XML text, inflating when the bytes are compressed.
fn inflate_if_needed(
    bytes: &[u8],
    limits: &Limits,
    binding: Binding,
    steps: &mut Vec<String>,
    notes: &mut Vec<String>,
) -> Result<String, DecodeError> {
    let looks_xml = |b: &[u8]| {
        let t = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
        t.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
            || (t.len() > 1 && (t.starts_with(b"\xFF\xFE<") || t.starts_with(b"\xFE\xFF\0<")))
    };
    let out = if looks_xml(bytes) {
        if binding == Binding::Redirect {
            notes.push(
                "the HTTP-Redirect value was not DEFLATE-compressed; the binding requires raw \
                 DEFLATE, though some SPs skip it"
                    .into(),
            );
        }
        bytes.to_vec()
    } else if bytes.starts_with(&[0x1f, 0x8b]) {
        steps.push("gunzip".into());
        notes.push("the value was gzip-compressed; SAML bindings never use gzip".into());
        inflate(Compression::Gzip, bytes, limits)?
    } else if is_zlib_header(bytes) && inflate(Compression::Zlib, bytes, limits).is_ok() {
        steps.push("zlib-inflate".into());
        notes.push(
            "the value is zlib-wrapped DEFLATE; the HTTP-Redirect binding requires raw DEFLATE \
             (RFC 1951) without the zlib header"
                .into(),
        );
        inflate(Compression::Zlib, bytes, limits)?
    } else {
        let out = inflate(Compression::Raw, bytes, limits).map_err(|e| match e {
            DecodeError::Invalid { .. } => DecodeError::Invalid {
                step: "base64 → inflate".into(),
                message: format!(
                    "the base64 decoded to {} bytes that are neither XML nor a valid DEFLATE, \
                     zlib or gzip stream (first bytes {})",
                    bytes.len(),
                    hex_prefix(bytes)
                ),
            },
            other => other,
        })?;
        steps.push("inflate".into());
        if binding == Binding::Post {
            notes.push(
                "the HTTP-POST value was DEFLATE-compressed; POST messages are plain base64".into(),
            );
        }
        out
    };
    let mut inner_steps = Vec::new();
    let text = bytes_to_text(&out, limits, &mut inner_steps, 3)?;
    steps.extend(inner_steps);
    if !text.trim_start().starts_with('<') {
        return Err(DecodeError::Invalid {
            step: steps.last().cloned().unwrap_or_else(|| "decoding".into()),
            message: format!(
                "the decoded data is not XML (it starts with {:?})",
                text.chars().take(24).collect::<String>()
            ),
        });
    }
    Ok(text.trim().to_string())
}

fn hex_prefix(b: &[u8]) -> String {
    b.iter()
        .take(4)
        .map(|x| format!("{x:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl DecodedMessage {
    pub(crate) fn xml(xml: String, steps: Vec<String>) -> Self {
        DecodedMessage {
            label: None,
            parameter: None,
            relay_state: None,
            sig_alg: None,
            steps,
            notes: Vec::new(),
            xml,
        }
    }

    /// The steps as one line, e.g. `url-decode → base64 → inflate` (or `raw XML`).
    pub fn steps_line(&self) -> String {
        if self.steps.is_empty() {
            "raw XML".to_string()
        } else {
            self.steps.join(" → ")
        }
    }
}

/// Encodes XML the way each binding would, for round-trip tests and fixtures.
pub mod encode {
    use super::*;
    use std::io::Write;

    pub fn base64(xml: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(xml.as_bytes())
    }

    pub fn deflate_raw(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = e.write_all(data);
        e.finish().unwrap_or_default()
    }

    pub fn zlib(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = e.write_all(data);
        e.finish().unwrap_or_default()
    }

    pub fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        let _ = e.write_all(data);
        e.finish().unwrap_or_default()
    }

    /// Percent-encodes everything outside the unreserved set (as a form or query value).
    pub fn url(s: &str) -> String {
        let mut out = String::with_capacity(s.len() * 3);
        for b in s.bytes() {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    /// HTTP-Redirect encoding: raw DEFLATE → base64 → URL-encode.
    pub fn redirect_value(xml: &str) -> String {
        url(&base64::engine::general_purpose::STANDARD.encode(deflate_raw(xml.as_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::encode;
    use super::*;

    const XML: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_1">é+/?</samlp:Response>"#;

    fn one(input: &[u8]) -> DecodedMessage {
        let mut v = decode(input, &Limits::default()).unwrap();
        assert_eq!(v.len(), 1);
        v.remove(0)
    }

    #[test]
    fn raw_xml_passes_through() {
        let m = one(XML.as_bytes());
        assert_eq!(m.xml, XML);
        assert_eq!(m.steps_line(), "raw XML");
    }

    #[test]
    fn base64_forms() {
        let b = encode::base64(XML);
        assert_eq!(one(b.as_bytes()).xml, XML);
        let wrapped: String = b
            .as_bytes()
            .chunks(10)
            .map(|c| String::from_utf8_lossy(c) + "\n")
            .collect();
        assert_eq!(one(wrapped.as_bytes()).xml, XML);
        let unpadded = b.trim_end_matches('=');
        assert_eq!(one(unpadded.as_bytes()).xml, XML);
        let urlsafe = b.replace('+', "-").replace('/', "_");
        assert_eq!(one(urlsafe.as_bytes()).xml, XML);
        assert_eq!(one(format!("  \"{b}\"  ").as_bytes()).xml, XML);
    }

    #[test]
    fn form_body_and_plus_handling() {
        let b = encode::base64(XML);
        assert!(b.contains('+'), "fixture should exercise '+': {b}");
        let body = format!("SAMLResponse={}&RelayState=abc", encode::url(&b));
        let m = one(body.as_bytes());
        assert_eq!(m.xml, XML);
        assert_eq!(m.relay_state.as_deref(), Some("abc"));
        assert!(m.steps.contains(&"url-decode".to_string()));
        // Unencoded base64 in a form body: '+' must stay '+'.
        let raw = format!("SAMLResponse={b}&RelayState=abc");
        assert_eq!(one(raw.as_bytes()).xml, XML);
        // '+' turned into spaces by a form decoder.
        let spaced = b.replace('+', " ");
        assert_eq!(one(spaced.as_bytes()).xml, XML);
        // Double encoding.
        let double = encode::url(&encode::url(&b));
        assert!(
            one(double.as_bytes())
                .steps_line()
                .contains("url-decode ×2")
        );
    }

    #[test]
    fn redirect_url_is_inflated() {
        let url = format!(
            "https://idp.test/sso?SAMLRequest={}&RelayState=x",
            encode::redirect_value(XML)
        );
        let m = one(url.as_bytes());
        assert_eq!(m.xml, XML);
        assert_eq!(
            m.steps_line(),
            "query string → field SAMLRequest → url-decode → base64 → inflate"
        );
    }

    #[test]
    fn zlib_and_gzip_streams() {
        assert_eq!(one(&encode::gzip(XML.as_bytes())).xml, XML);
        assert_eq!(one(&encode::zlib(XML.as_bytes())).xml, XML);
        let b = base64::engine::general_purpose::STANDARD.encode(encode::zlib(XML.as_bytes()));
        let m = one(b.as_bytes());
        assert_eq!(m.xml, XML);
        assert!(m.notes[0].contains("zlib"));
    }

    #[test]
    fn utf16_and_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend(XML.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(one(&le).xml, XML);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(XML.as_bytes());
        assert_eq!(one(&bom).xml, XML);
    }

    #[test]
    fn html_autopost_page() {
        let page = format!(
            "<!DOCTYPE html><html><body><form method=\"post\" action=\"https://a.test/acs\">\
             <input type=\"hidden\" value=\"{}\" name=\"SAMLResponse\"/>\
             <input type=hidden name=RelayState value=\"r&amp;1\"></form></body></html>",
            encode::base64(XML).replace('+', "&#x2b;")
        );
        let m = one(page.as_bytes());
        assert_eq!(m.xml, XML);
        assert_eq!(m.relay_state.as_deref(), Some("r&1"));
    }

    #[test]
    fn says_what_non_saml_looks_like() {
        let err = |s: &str| {
            decode(s.as_bytes(), &Limits::default())
                .unwrap_err()
                .to_string()
        };
        assert!(err("<html><head><title>Sign in</title></head></html>").contains("\"Sign in\""));
        assert!(err("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln").contains("JWT"));
        assert!(err("https://a.test/cb?code=1&state=2").contains("OAuth"));
        assert!(err("").contains("empty"));
    }

    #[test]
    fn bad_input_gets_clear_errors() {
        let lim = Limits::default();
        let trunc = &encode::base64(XML)[..21];
        let e = decode(trunc.as_bytes(), &lim).unwrap_err().to_string();
        assert!(
            e.contains("truncated") || e.contains("not XML") || e.contains("DEFLATE"),
            "{e}"
        );
        let e = decode(b"not base64 at all!!", &lim)
            .unwrap_err()
            .to_string();
        assert!(e.contains("base64"), "{e}");
        let e = decode(b"<a>\xff\xfe</a>", &lim).unwrap_err().to_string();
        assert!(e.contains("UTF-8") && e.contains("offset 3"), "{e}");
        let corrupt = base64::engine::general_purpose::STANDARD.encode([0x78, 0x9c, 1, 2, 3, 4, 5]);
        assert!(decode(corrupt.as_bytes(), &lim).is_err());
    }

    #[test]
    fn decompression_bomb_is_capped() {
        let zeros = vec![b' '; 40 * 1024 * 1024];
        let bomb = encode::gzip(&zeros);
        let e = decode(&bomb, &Limits::default()).unwrap_err();
        assert!(matches!(e, DecodeError::TooLarge { .. }), "{e}");
    }

    #[test]
    fn percent_decode_edge_cases() {
        assert_eq!(percent_decode("a%2", false), "a%2");
        assert_eq!(percent_decode("%zz%41", false), "%zzA");
        assert_eq!(percent_decode("a+b", true), "a b");
        assert_eq!(percent_decode("%", false), "%");
    }
}
