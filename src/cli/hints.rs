//! "This looks like X; try `sso-doctor Y`": an input given to the wrong command gets pointed at the
//! right one instead of that command's parser error. Each check reads only the first bytes the log
//! detector reads (256 KiB), so a hint costs no more than detection does.

use crate::limits::Limits;
use crate::logs::detect::{self, Format, JsonKind, SNIFF_BYTES};
use std::io::Read;
use std::path::Path;

/// What an input looks like, when it is something another command reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A sign-in log export (the detector's format name).
    Log(String),
    /// A Kinde users export: the simulator's input.
    Users,
    /// A partial aggregate from `logs --partial`.
    Partial,
    /// A SAML message in some paste form.
    Saml,
}

/// Sorts the first bytes of an input.
pub fn classify(head: &[u8], whole: bool) -> Option<Kind> {
    let text = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    if text.trim_start().starts_with('{') && text.contains(crate::logs::partial::KIND) {
        return Some(Kind::Partial);
    }
    match detect::detect(head, whole) {
        Ok(Format::Json(JsonKind::KindeUsers, _)) => return Some(Kind::Users),
        Ok(Format::Empty) | Err(_) => {}
        Ok(f) => return Some(Kind::Log(f.name())),
    }
    let saml_markers = [
        "urn:oasis:names:tc:SAML:2.0:protocol",
        "SAMLResponse",
        "SAMLRequest",
    ];
    if saml_markers.iter().any(|m| text.contains(m))
        || crate::decode::decode(head, &Limits::default()).is_ok_and(|m| !m.is_empty())
    {
        return Some(Kind::Saml);
    }
    None
}

/// The first bytes of a file (not decompressed: gzip is left to the log reader).
pub fn head_of(path: &Path) -> Option<(Vec<u8>, bool)> {
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut buf)
        .ok()?;
    let whole = buf.len() < SNIFF_BYTES;
    Some((buf, whole))
}

/// The sentence for an input `name` that the command `here` cannot read, when another can.
pub fn sentence(kind: &Kind, name: &str, here: &str) -> Option<String> {
    let (what, cmd) = match kind {
        Kind::Log(f) => (
            format!("a sign-in log export ({f})"),
            format!("sso-doctor logs {name}"),
        ),
        Kind::Users => (
            "a Kinde users export".to_string(),
            format!("sso-doctor simulate --config CONNECTION --users {name}"),
        ),
        Kind::Partial => (
            "a partial aggregate from `sso-doctor logs --partial`".to_string(),
            format!("sso-doctor merge {name}"),
        ),
        Kind::Saml => (
            "a SAML trace".to_string(),
            format!("sso-doctor saml {name}"),
        ),
    };
    let same = matches!(
        (kind, here),
        (Kind::Saml, "saml")
            | (Kind::Log(_), "logs")
            | (Kind::Users, "logs")
            | (Kind::Partial, "merge")
    );
    let not = match here {
        "merge" => "not an sso-doctor partial".to_string(),
        "saml" => "not a SAML trace".to_string(),
        other => format!("not input for `sso-doctor {other}`"),
    };
    (!same).then(|| format!("{name} looks like {what}, {not}; try `{cmd}`"))
}

/// For a named file: the hint, if it belongs to another command.
pub fn for_file(path: &Path, here: &str) -> Option<String> {
    if path.as_os_str() == "-" {
        return None;
    }
    let (head, whole) = head_of(path)?;
    sentence(&classify(&head, whole)?, &path.display().to_string(), here)
}

/// For bytes already read (standard input, a merge partial).
pub fn for_bytes(bytes: &[u8], name: &str, here: &str) -> Option<String> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    sentence(&classify(head, head.len() == bytes.len())?, name, here)
}

/// `--idp-metadata https://…`: the tool never fetches anything; say how to get the file.
pub fn offline(flag: &str, value: &Path) -> Option<String> {
    let v = value.to_string_lossy();
    let lower = v.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| {
        format!(
            "{flag} takes a file, and sso-doctor is offline by design: it never fetches URLs (a trace \
             and its settings stay on this machine). Download it first, then pass the file:\n  \
             curl -fsSL '{v}' -o downloaded.xml\n  sso-doctor … {flag} downloaded.xml"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_inputs_and_only_hints_at_other_commands() {
        let log = br#"{"createdDateTime":"2025-11-03T09:00:00Z","userPrincipalName":"a@example.com","status":{"errorCode":50011}}
"#;
        let k = classify(log, true).unwrap();
        assert!(matches!(k, Kind::Log(_)), "{k:?}");
        assert!(
            sentence(&k, "a.ndjson", "saml")
                .unwrap()
                .contains("try `sso-doctor logs a.ndjson`")
        );
        assert_eq!(sentence(&k, "a.ndjson", "logs"), None);
        let saml =
            b"<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_1\"/>";
        assert_eq!(classify(saml, true), Some(Kind::Saml));
        let partial = br#"{"kind":"sso-doctor.logs.partial","version":1,"aggregate":{}}"#;
        assert_eq!(classify(partial, true), Some(Kind::Partial));
        assert_eq!(classify(b"hello world", true), None);
    }

    #[test]
    fn urls_get_the_offline_sentence() {
        let s = offline(
            "--idp-metadata",
            Path::new("https://login.example.com/m.xml"),
        )
        .unwrap();
        assert!(s.contains("offline by design") && s.contains("curl -fsSL"));
        assert_eq!(offline("--idp-metadata", Path::new("idp.xml")), None);
    }
}
