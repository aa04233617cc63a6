//! Reading inputs at the edge: a file or stdin, capped at the input limit before anything is
//! decoded, so every front end (the CLI, the simulator's SAML records) reads the same way. The
//! tool is offline: a URL given where a file is expected is never fetched. A trace argument that
//! is an HTTP-Redirect URL (it carries SAMLRequest or SAMLResponse) is the trace itself; any
//! other URL gets an error saying how to save what the browser got.

use super::form::url_carries_saml;
use crate::limits::Limits;
use std::io::Read;
use std::path::Path;

fn is_url(path: &str) -> bool {
    let lower = path.get(..8).unwrap_or(path).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")) && !Path::new(path).exists()
}

fn offline(url: &str) -> String {
    format!(
        "{url} is a URL, and sso-doctor is offline by design: it never fetches anything. Save what \
         the browser got and pass the file: in DevTools' Network tab, right-click the request → \
         \"Save all as HAR\" (or \"Copy as cURL\" into a file), or save the page (Ctrl+S); for \
         metadata or a certificate, download it first (curl -o idp-metadata.xml '{url}'). A URL \
         that carries SAMLRequest or SAMLResponse can be given to `sso-doctor saml` as it is"
    )
}

/// Reads a trace argument: an HTTP-Redirect URL is the trace itself; else as [`read_input`].
pub fn read_trace(path: &str, limits: &Limits) -> Result<Vec<u8>, String> {
    if is_url(path) && url_carries_saml(path) {
        if path.len() > limits.max_input_bytes {
            return Err(format!(
                "the URL is larger than the input limit of {} bytes",
                limits.max_input_bytes
            ));
        }
        return Ok(path.as_bytes().to_vec());
    }
    read_input(path, limits)
}

/// Reads a file (or stdin for `-`) up to the input limit; a URL is refused with what to do.
pub fn read_input(path: &str, limits: &Limits) -> Result<Vec<u8>, String> {
    if is_url(path) {
        return Err(offline(path));
    }
    let mut buf = Vec::new();
    let cap = (limits.max_input_bytes as u64).saturating_add(1);
    let result = if path == "-" {
        std::io::stdin().lock().take(cap).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(cap).read_to_end(&mut buf))
    };
    result.map_err(|e| format!("cannot read {path}: {e}"))?;
    if buf.len() > limits.max_input_bytes {
        return Err(format!(
            "{path} is larger than the input limit of {} bytes; raise it with --max-input-bytes if this is really one trace",
            limits.max_input_bytes
        ));
    }
    Ok(buf)
}

/// Reads a UTF-8 text file (settings, metadata, keys) up to the input limit.
pub fn read_text(path: &Path, limits: &Limits) -> Result<String, String> {
    let bytes = read_input(&path.display().to_string(), limits)?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 text (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_and_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.txt");
        std::fs::write(&p, b"hello \xff").unwrap();
        let small = Limits {
            max_input_bytes: 3,
            ..Limits::default()
        };
        let shown = p.display().to_string();
        assert!(
            read_input(&shown, &small)
                .unwrap_err()
                .contains("input limit of 3")
        );
        let e = read_text(&p, &Limits::default()).unwrap_err();
        assert!(e.contains("not UTF-8") && e.contains("byte 6"), "{e}");
        assert!(
            read_input("/nonexistent/x", &small)
                .unwrap_err()
                .contains("cannot read")
        );
    }
}
