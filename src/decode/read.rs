//! Reading inputs at the edge: a file or stdin, capped at the input limit before anything is
//! decoded, so every front end (the CLI, the simulator's SAML records) reads the same way.

use crate::limits::Limits;
use std::io::Read;
use std::path::Path;

/// Reads a file (or stdin for `-`) up to the input limit.
pub fn read_input(path: &str, limits: &Limits) -> Result<Vec<u8>, String> {
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
