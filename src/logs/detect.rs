//! Content sniffing: which source and layout a file holds, decided from its first bytes (after
//! gzip decoding), never from its name.

use super::csvrow::Headers;
use super::frame::{Framer, JsonStream};
use super::{adfs, adfs_json, entra, google, kinde, okta};

/// Bytes read from the start of each file to decide its format.
pub const SNIFF_BYTES: usize = 256 * 1024;

pub use super::format::{CsvKind, Format, JsonKind, Layout};

/// The formats tried, for the "not a log" error.
pub const TRIED: &str = "Entra ID sign-ins (Graph NDJSON / JSON array / Graph pages, diagnostic \
storage JSON lines, Azure Monitor / Event Hubs `records`, Log Analytics JSON, CSV and query API \
`tables`, admin-center \
CSV, PowerShell ConvertTo-Json), Okta System Log (NDJSON / JSON array, Event Hook deliveries), \
Google Workspace saml and login activities (items pages / NDJSON), AD FS events (Get-WinEvent \
CSV, wevtutil XML, Winlogbeat / NXLog JSON), Kinde (webhook payloads as JSON or JWT, events \
API, users export)";

/// Decides the format of a file from its first bytes; `whole` says `head` is the entire file.
pub fn detect(head: &[u8], whole: bool) -> Result<Format, String> {
    let text = strip_bom(head);
    if text.starts_with(&[0xFF, 0xFE]) || text.starts_with(&[0xFE, 0xFF]) {
        return Err(
            "the file is UTF-16; re-save it as UTF-8 (e.g. PowerShell `-Encoding utf8`)".into(),
        );
    }
    let Some(first) = text.iter().position(|b| !b.is_ascii_whitespace()) else {
        return Ok(Format::Empty);
    };
    let found = match text[first] {
        b'{' | b'[' => detect_json(text, whole),
        b'<' => detect_xml(text),
        _ if text[first..].starts_with(b"eyJ") => detect_jwt(&text[first..]),
        _ => detect_csv(text),
    };
    // A map step's slice may start inside a record, or a file with a few broken lines: look
    // for the first line that is a whole record of a known kind (the broken lines before it
    // are counted as malformed by the parser, which sees every line).
    found.or_else(|e| first_good_line(text, whole).ok_or(e))
}

/// Kinde webhook bodies as JWTs, one per line: the first line's payload must be a Kinde event.
fn detect_jwt(text: &[u8]) -> Result<Format, String> {
    let line = text.split(|&b| b == b'\n').next().unwrap_or(text);
    let payload = kinde::jwt_payload(line).map_err(|e| not_a_log(&e))?;
    match classify(&payload) {
        Some(JsonKind::KindeEvents) => Ok(Format::Json(JsonKind::KindeJwt, Layout::Ndjson)),
        _ => Err(not_a_log(
            "a JWT whose payload is not a Kinde webhook event",
        )),
    }
}

/// Lines inspected when the first records are malformed (all within the sniffed head).
const MAX_LINES_TRIED: usize = 10_000;

/// NDJSON of a known kind when some line in `text` (before the cut-off last line unless
/// `whole`) is one complete JSON object that classifies.
fn first_good_line(text: &[u8], whole: bool) -> Option<Format> {
    let mut lines: Vec<&[u8]> = text.split(|&b| b == b'\n').collect();
    if !whole {
        lines.pop();
    }
    lines
        .into_iter()
        .take(MAX_LINES_TRIED)
        .map(|l| l.trim_ascii())
        .filter(|l| l.first() == Some(&b'{'))
        .find_map(classify)
        .map(|kind| Format::Json(kind, Layout::Ndjson))
}

fn strip_bom(b: &[u8]) -> &[u8] {
    b.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(b)
}

fn not_a_log(what: &str) -> String {
    format!("not a recognised log ({what}); formats tried: {TRIED}")
}

/// Top-level keys of a JSON object and its `id` when it is a string.
fn keys_of(record: &[u8]) -> Option<(Vec<String>, Option<String>)> {
    let map: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(record).ok()?;
    let id = map.get("id").and_then(|v| v.as_str()).map(str::to_string);
    Some((map.keys().cloned().collect(), id))
}

fn classify(record: &[u8]) -> Option<JsonKind> {
    let (keys, id) = keys_of(record)?;
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    if entra::looks_like(&keys) {
        Some(JsonKind::Entra)
    } else if keys.contains(&"tables") && entra::tables::looks_like(record) {
        Some(JsonKind::EntraTables)
    } else if okta::looks_like(&keys) {
        Some(JsonKind::Okta)
    } else if google::looks_like(&keys) {
        Some(JsonKind::Google)
    } else if kinde::looks_like_event(&keys) {
        Some(JsonKind::KindeEvents)
    } else if kinde::looks_like_user(&keys, id.as_deref()) {
        Some(JsonKind::KindeUsers)
    } else if adfs_json::looks_like(&keys) && adfs_json::is_adfs_record(record) {
        Some(JsonKind::Adfs)
    } else {
        None
    }
}

fn detect_json(text: &[u8], whole: bool) -> Result<Format, String> {
    let mut scanner = JsonStream::default();
    let mut recs = Vec::new();
    // Framing errors past the first records are the parser's business, not detection's; but
    // they say the text may not be one JSON stream at all (NDJSON after a cut first line).
    let framed = scanner.frame(text, whole, &mut recs);
    if recs.is_empty() {
        return if whole && !text.iter().any(|b| !b"[]{} \t\r\n".contains(b)) {
            Ok(Format::Empty)
        } else {
            Err(not_a_log(
                "JSON without a recognisable record in its first 256 KiB",
            ))
        };
    }
    let kind = recs
        .iter()
        .take(5)
        .find_map(|r| classify(&text[r.start..r.end]))
        .ok_or_else(|| not_a_log("JSON records with unknown fields"))?;
    let layout = json_layout(text);
    if layout == Layout::Stream
        && framed.is_err()
        && let Some(lines) = first_good_line(text, whole)
    {
        return Ok(lines);
    }
    Ok(Format::Json(kind, layout))
}

/// NDJSON when the first line is one whole object that is not a wrapper page.
fn json_layout(text: &[u8]) -> Layout {
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let line_end = memchr::memchr(b'\n', &text[start..]).map_or(text.len(), |p| start + p);
    let line = &text[start..line_end];
    if line.first() != Some(&b'{') {
        return Layout::Stream;
    }
    match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(line) {
        Ok(map)
            if !["value", "items", "users", "records"]
                .iter()
                .any(|k| map.get(*k).is_some_and(|v| v.is_array())) =>
        {
            Layout::Ndjson
        }
        _ => Layout::Stream,
    }
}

fn detect_xml(text: &[u8]) -> Result<Format, String> {
    let finder = memchr::memmem::find;
    if finder(text, b"<Event").is_some()
        && (finder(text, b"<EventID").is_some()
            || finder(text, b"schemas.microsoft.com/win/2004/08/events/event").is_some())
    {
        Ok(Format::AdfsXml)
    } else {
        Err(not_a_log("XML, but not a Windows event export"))
    }
}

fn detect_csv(text: &[u8]) -> Result<Format, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text);
    let mut record = csv::StringRecord::new();
    let ok = reader.read_record(&mut record).unwrap_or(false);
    if !ok || record.len() < 3 {
        return Err(not_a_log("neither JSON, XML nor a CSV with a known header"));
    }
    let headers = Headers::new(record.iter());
    let has = |n: &str| headers.has(n);
    if adfs::csv_matches(&has) {
        return Ok(Format::Csv(CsvKind::Adfs));
    }
    match entra::csv_kind(&has) {
        Some("entra-loganalytics-csv") => Ok(Format::Csv(CsvKind::EntraLogAnalytics)),
        Some(_) => Ok(Format::Csv(CsvKind::EntraPortal)),
        None => Err(not_a_log("CSV with an unknown header")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_each_shape() {
        let cases: [(&[u8], &str); 9] = [
            (
                b"{\"createdDateTime\":\"x\",\"status\":{}}\n",
                "entra-ndjson",
            ),
            (b"[{\"createdDateTime\":\"x\",\"status\":{}}]", "entra-json"),
            (
                b"{\"@odata.context\":\"c\",\"value\":[{\"createdDateTime\":\"x\",\"status\":{}}]}",
                "entra-json",
            ),
            (b"{\"eventType\":\"a\",\"published\":\"b\"}", "okta-ndjson"),
            (
                b"{\n \"kind\":\"k\",\n \"items\":[{\"id\":{},\"events\":[]}]}",
                "google-json",
            ),
            (
                b"{\n\"type\":\"user.authenticated\",\"event_id\":\"e\",\"data\":{}}",
                "kinde-events-json",
            ),
            (
                b"{\"id\":\"kp_1\",\"email\":\"a@example.com\"}",
                "kinde-users-ndjson",
            ),
            (
                b"\xEF\xBB\xBF#TYPE x\n\"Message\",\"Id\",\"TimeCreated\"\n",
                "adfs-csv",
            ),
            (
                b"<Events><Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>",
                "adfs-xml",
            ),
        ];
        for (input, want) in cases {
            assert_eq!(
                detect(input, true).map(Format::name),
                Ok(want.to_string()),
                "{}",
                String::from_utf8_lossy(input)
            );
        }
        assert_eq!(detect(b"  \n", true), Ok(Format::Empty));
        for f in Format::all() {
            assert_eq!(Format::from_name(&f.name()), Ok(f));
        }
        assert!(
            Format::from_name("nope")
                .unwrap_err()
                .contains("entra-ndjson")
        );
        assert_eq!(detect(b"[]", true), Ok(Format::Empty));
    }

    #[test]
    fn leading_malformed_lines_are_skipped_while_detecting() {
        let good = b"{\"createdDateTime\":\"x\",\"status\":{}}";
        for bad in [
            &b"rorCode\":0}}"[..],
            b"{\"createdDateTime\":\"2025-",
            b"[not json",
            b"{\"foo\":1}",
            b"<html>",
        ] {
            let text = [bad, b"\n", bad, b"\n", good, b"\n"].concat();
            assert_eq!(
                detect(&text, true).map(Format::name),
                Ok("entra-ndjson".to_string()),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        // The last line of a head that is not the whole file may be cut: it is not trusted.
        assert!(detect(&[&b"garbage\n"[..], good].concat(), false).is_err());
        assert!(detect(b"garbage\nmore garbage\n", true).is_err());
    }

    #[test]
    fn rejects_non_logs_naming_formats() {
        for input in [
            &b"hello world, this is, text"[..],
            b"<samlp:Response/>",
            b"{\"foo\":1}",
            b"a,b\n",
        ] {
            let err = detect(input, true).unwrap_err();
            assert!(
                err.contains("formats tried") && err.contains("Okta"),
                "{err}"
            );
        }
        assert!(
            detect(b"\xFF\xFEa\x00", true)
                .unwrap_err()
                .contains("UTF-16")
        );
    }
}
