//! Compressed streams: gzip and zlib files given as the input, and the raw DEFLATE (RFC 1951) of
//! an HTTP-Redirect value (SAML Bindings §3.4.4.1), or the zlib/gzip wrappers some IdPs add by
//! mistake. Every decompression is capped by `Limits::max_inflated_bytes`.

use super::message::{Binding, DecodeError, Layer, Next, Trail};
use crate::limits::Limits;
use std::io::Read;

#[derive(Debug, Clone, Copy)]
pub(crate) enum Compression {
    Raw,
    Zlib,
    Gzip,
}

impl Compression {
    fn name(self) -> &'static str {
        match self {
            Compression::Raw => "inflate (raw DEFLATE)",
            Compression::Zlib => "zlib-inflate",
            Compression::Gzip => "gunzip",
        }
    }
}

/// A zlib header (RFC 1950 §2.2) with one of the four usual compression levels.
pub(crate) fn is_zlib_header(b: &[u8]) -> bool {
    b.len() >= 2 && b[0] == 0x78 && matches!(b[1], 0x01 | 0x5E | 0x9C | 0xDA)
}

/// Inflates with a hard cap on the output size.
pub(crate) fn inflate(
    kind: Compression,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Vec<u8>, DecodeError> {
    let cap = limits.max_inflated_bytes;
    let reader: Box<dyn Read + '_> = match kind {
        Compression::Raw => Box::new(flate2::read::DeflateDecoder::new(bytes)),
        Compression::Zlib => Box::new(flate2::read::ZlibDecoder::new(bytes)),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(bytes)),
    };
    let mut out = Vec::new();
    let name = kind.name();
    reader
        .take((cap as u64).saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| DecodeError::invalid(name, format!("corrupt compressed data: {e}")))?;
    if out.len() > cap {
        return Err(DecodeError::TooLarge {
            what: format!("the {name} output (from {} compressed bytes)", bytes.len()),
            limit: cap,
            hint: "this looks like a decompression bomb; raise --max-inflated-bytes only for a \
                   trusted input"
                .into(),
        });
    }
    Ok(out)
}

/// The input step's first half: a gzip or zlib file is unwrapped (`None` when the bytes are not a
/// compressed stream). A zlib-looking header that does not inflate is left to the charset step.
pub(crate) fn unwrap_stream(
    bytes: &[u8],
    limits: &Limits,
) -> Result<Option<(&'static str, Vec<u8>)>, DecodeError> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(Some(("gunzip", inflate(Compression::Gzip, bytes, limits)?)));
    }
    if is_zlib_header(bytes)
        && let Ok(out) = inflate(Compression::Zlib, bytes, limits)
    {
        return Ok(Some(("zlib-inflate", out)));
    }
    Ok(None)
}

/// The payload step: the bytes a base64 value decoded to are XML, or a compressed stream of it.
pub(crate) fn payload_step(
    bytes: Vec<u8>,
    trail: &Trail,
    limits: &Limits,
) -> Result<Next, DecodeError> {
    let mut trail = trail.clone();
    let looks_xml = |b: &[u8]| {
        let t = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
        t.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'<')
            || (t.len() > 1 && (t.starts_with(b"\xFF\xFE<") || t.starts_with(b"\xFE\xFF\0<")))
    };
    let out = if looks_xml(&bytes) {
        if trail.binding == Binding::Redirect {
            trail.notes.push(
                "the HTTP-Redirect value was not DEFLATE-compressed; the binding requires raw \
                 DEFLATE, though some SPs skip it"
                    .into(),
            );
        }
        bytes
    } else if bytes.starts_with(&[0x1f, 0x8b]) {
        trail.steps.push("gunzip".into());
        trail
            .notes
            .push("the value was gzip-compressed; SAML bindings never use gzip".into());
        inflate(Compression::Gzip, &bytes, limits)?
    } else if is_zlib_header(&bytes)
        && let Ok(out) = inflate(Compression::Zlib, &bytes, limits)
    {
        trail.steps.push("zlib-inflate".into());
        trail.notes.push(
            "the value is zlib-wrapped DEFLATE; the HTTP-Redirect binding requires raw DEFLATE \
             (RFC 1951) without the zlib header"
                .into(),
        );
        out
    } else {
        let out = inflate(Compression::Raw, &bytes, limits).map_err(|e| match e {
            DecodeError::Invalid { .. } => DecodeError::invalid(
                "inflate",
                format!(
                    "the base64 decoded to {} bytes that are neither XML nor a valid DEFLATE, \
                     zlib or gzip stream (first bytes {})",
                    bytes.len(),
                    hex_prefix(&bytes)
                ),
            ),
            other => other,
        })?;
        trail.steps.push("inflate".into());
        if trail.binding == Binding::Post {
            trail.notes.push(
                "the HTTP-POST value was DEFLATE-compressed; POST messages are plain base64".into(),
            );
        }
        out
    };
    Ok(vec![(Layer::Inflated(out), trail)])
}

fn hex_prefix(b: &[u8]) -> String {
    b.iter()
        .take(4)
        .map(|x| format!("{x:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::encode;

    #[test]
    fn streams_unwrap_and_cap() {
        let lim = Limits::default();
        let (name, out) = unwrap_stream(&encode::gzip(b"<a/>"), &lim)
            .unwrap()
            .unwrap();
        assert_eq!((name, out.as_slice()), ("gunzip", b"<a/>".as_slice()));
        assert!(unwrap_stream(b"<a/>", &lim).unwrap().is_none());
        let small = Limits {
            max_inflated_bytes: 10,
            ..Limits::default()
        };
        let e = inflate(Compression::Raw, &encode::deflate_raw(&[b' '; 100]), &small);
        assert!(matches!(e, Err(DecodeError::TooLarge { .. })));
    }

    #[test]
    fn payload_notes_what_the_binding_did_not_expect() {
        let trail = Trail {
            binding: Binding::Post,
            ..Trail::default()
        };
        let next = payload_step(encode::deflate_raw(b"<a/>"), &trail, &Limits::default()).unwrap();
        assert_eq!(next[0].1.steps, ["inflate"]);
        assert!(next[0].1.notes[0].contains("HTTP-POST"));
        let e = payload_step(vec![1, 2, 3], &trail, &Limits::default()).unwrap_err();
        assert!(e.to_string().contains("first bytes 01 02 03"), "{e}");
    }
}
