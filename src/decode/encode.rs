//! Encodes XML the way each binding would, for round-trip tests and fixtures.

use ::base64::Engine;
use std::io::Write;

pub fn base64(xml: &str) -> String {
    ::base64::engine::general_purpose::STANDARD.encode(xml.as_bytes())
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
    url(&::base64::engine::general_purpose::STANDARD.encode(deflate_raw(xml.as_bytes())))
}
