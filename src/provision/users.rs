//! The Kinde side: a users snapshot read from any of the three shapes in `kinde.md`:
//! Management API user pages (`GET /api/v1/users?expand=organizations,identities`, §1.1), the
//! data export `users.ndjson` (§4.3) and the custom import CSV (§4.1).
//!
//! Parsing is lenient about what the spec leaves open (nulls, missing optional fields, unknown
//! fields) and strict about what makes a row unusable (not JSON, no user id in an API or export
//! row): those stop the run with the file and line. The NDJSON export is read in chunks and each
//! chunk's lines are parsed in parallel, so a million-user export never sits in memory as text.

use super::InputError;
use crate::time::{Millis, parse_millis};
use rayon::prelude::*;
use serde::Deserialize;
use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

/// Which shape a snapshot file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SnapshotFormat {
    /// One or more `GET /api/v1/users` pages (`{users[], next_token}`), concatenated or in an
    /// array; `results[]` of the search endpoint and a bare array of users are accepted too.
    ApiPages,
    /// Kinde's data export `users.ndjson`: one user object per line.
    ExportNdjson,
    /// The custom import CSV (`email,id,first_name,…`).
    ImportCsv,
}

impl SnapshotFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SnapshotFormat::ApiPages => "api-pages",
            SnapshotFormat::ExportNdjson => "export-ndjson",
            SnapshotFormat::ImportCsv => "import-csv",
        }
    }

    /// Parses a `--users-format` value; `auto` is `None`.
    pub fn parse(s: &str) -> Option<Option<SnapshotFormat>> {
        match s {
            "auto" => Some(None),
            "api" | "api-pages" | "json" => Some(Some(SnapshotFormat::ApiPages)),
            "export" | "export-ndjson" | "ndjson" => Some(Some(SnapshotFormat::ExportNdjson)),
            "import" | "import-csv" | "csv" => Some(Some(SnapshotFormat::ImportCsv)),
            _ => None,
        }
    }
}

/// What kind of identity a Kinde user holds. Responses spell enterprise and social types in
/// ways the spec does not confirm (`enterprise`, `saml:custom`, `oauth2:google`), so the raw
/// type is kept for the unusual ones and shown back to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdentityType {
    Email,
    Phone,
    Username,
    Enterprise,
    Social(Box<str>),
    Other(Box<str>),
}

impl IdentityType {
    /// Classifies a response's `type` string.
    pub fn classify(raw: &str) -> IdentityType {
        let lower = raw.trim().to_ascii_lowercase();
        match lower.as_str() {
            "email" => IdentityType::Email,
            "phone" => IdentityType::Phone,
            "username" => IdentityType::Username,
            "enterprise" => IdentityType::Enterprise,
            t if t.starts_with("saml") || t.starts_with("wsfed") || t.starts_with("enterprise") => {
                IdentityType::Enterprise
            }
            t if t.starts_with("oauth2") || t.starts_with("social") => {
                IdentityType::Social(raw.into())
            }
            _ => IdentityType::Other(raw.into()),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            IdentityType::Email => "email",
            IdentityType::Phone => "phone",
            IdentityType::Username => "username",
            IdentityType::Enterprise => "enterprise",
            IdentityType::Social(s) | IdentityType::Other(s) => s,
        }
    }
}

/// One identity of a Kinde user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    pub kind: IdentityType,
    /// The identity value (an email for email and most enterprise identities).
    pub value: Box<str>,
    /// `connection_id` (API) or `provider` (export); `None` for email, phone, username.
    pub connection_id: Option<Box<str>>,
}

/// One Kinde user, reduced to what the simulator needs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KindeUser {
    /// Kinde id (`kp_…`); `None` for import CSV rows, which are not in Kinde yet.
    pub id: Option<Box<str>>,
    /// `provided_id` (API), `external_id` (export) or `id` (import CSV).
    pub provided_id: Option<Box<str>>,
    /// The profile's default email.
    pub email: Option<Box<str>>,
    pub phone: Option<Box<str>>,
    pub created_on: Option<Millis>,
    /// `None` when the shape does not carry it (the export and the import CSV).
    pub is_suspended: Option<bool>,
    /// Organisation codes; `None` when unknown (the import CSV names external ids instead).
    pub organizations: Option<Vec<Box<str>>>,
    pub identities: Vec<Identity>,
    /// Index into [`UsersSnapshot::files`].
    pub file: u16,
    /// Line in the file (NDJSON, CSV) or 1-based position in the pages (API).
    pub position: u64,
}

impl KindeUser {
    /// A label for people: the Kinde id, else the provided id, else the email.
    pub fn label(&self) -> String {
        self.id
            .as_deref()
            .or(self.provided_id.as_deref())
            .or(self.email.as_deref())
            .unwrap_or("(no id)")
            .to_string()
    }
}

/// All users read from one or more snapshot files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UsersSnapshot {
    /// The files read, in order, with the shape each had.
    pub files: Vec<(String, SnapshotFormat)>,
    pub users: Vec<KindeUser>,
}

impl UsersSnapshot {
    /// Reads one snapshot file and appends its users; `format: None` detects the shape.
    pub fn read_file(
        &mut self,
        path: &Path,
        format: Option<SnapshotFormat>,
    ) -> Result<(), InputError> {
        let shown = path.display().to_string();
        let format = match format {
            Some(f) => f,
            None => detect_format(path)?,
        };
        let file = u16::try_from(self.files.len())
            .map_err(|_| InputError::new(&shown, None, "too many snapshot files"))?;
        let users = match format {
            SnapshotFormat::ApiPages => read_api_pages(path, &shown, file)?,
            SnapshotFormat::ExportNdjson => read_export_ndjson(path, &shown, file)?,
            SnapshotFormat::ImportCsv => read_import_csv(path, &shown, file)?,
        };
        self.files.push((shown, format));
        self.users.extend(users);
        Ok(())
    }

    /// Reads several files into one snapshot.
    pub fn read_files(
        paths: &[std::path::PathBuf],
        format: Option<SnapshotFormat>,
    ) -> Result<UsersSnapshot, InputError> {
        let mut snapshot = UsersSnapshot::default();
        for p in paths {
            snapshot.read_file(p, format)?;
        }
        Ok(snapshot)
    }

    /// `file:position` of a user, for people to find it.
    pub fn source_of(&self, user: &KindeUser) -> String {
        let (name, format) = self
            .files
            .get(user.file as usize)
            .map(|(n, f)| (n.as_str(), *f))
            .unwrap_or(("?", SnapshotFormat::ApiPages));
        match format {
            SnapshotFormat::ApiPages => format!("{name} user #{}", user.position),
            _ => format!("{name}:{}", user.position),
        }
    }
}

fn io_error(shown: &str, e: &std::io::Error) -> InputError {
    InputError::new(shown, None, format!("cannot read: {e}"))
}

/// Picks the shape from the extension, then from the first bytes.
pub fn detect_format(path: &Path) -> Result<SnapshotFormat, InputError> {
    let shown = path.display().to_string();
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" => return Ok(SnapshotFormat::ImportCsv),
        "ndjson" | "jsonl" => return Ok(SnapshotFormat::ExportNdjson),
        _ => {}
    }
    let mut head = Vec::with_capacity(64 * 1024);
    std::fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .map_err(|e| io_error(&shown, &e))?;
    Ok(sniff(&head))
}

/// Decides between pages, NDJSON and CSV from the first bytes of a file.
fn sniff(head: &[u8]) -> SnapshotFormat {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace());
    match start.map(|i| head[i]) {
        Some(b'[') => SnapshotFormat::ApiPages,
        Some(b'{') => {
            let rest = &head[start.unwrap_or(0)..];
            let first_line = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
            #[derive(Deserialize)]
            struct Probe {
                users: Option<serde::de::IgnoredAny>,
                results: Option<serde::de::IgnoredAny>,
                code: Option<serde::de::IgnoredAny>,
                next_token: Option<serde::de::IgnoredAny>,
            }
            let page_like = |p: &Probe| {
                p.users.is_some()
                    || p.results.is_some()
                    || p.code.is_some()
                    || p.next_token.is_some()
            };
            match serde_json::from_slice::<Probe>(first_line) {
                // A whole user object on the first line: the export.
                Ok(p) if !page_like(&p) => SnapshotFormat::ExportNdjson,
                // A page per line, or a pretty-printed page.
                _ => SnapshotFormat::ApiPages,
            }
        }
        _ => SnapshotFormat::ImportCsv,
    }
}

/// A user as the API or the export spells it; aliases cover both shapes.
#[derive(Debug, Deserialize)]
struct RawUser<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "external_id")]
    provided_id: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "preferred_email")]
    email: Option<Cow<'a, str>>,
    #[serde(borrow)]
    phone: Option<Cow<'a, str>>,
    #[serde(borrow)]
    created_on: Option<Cow<'a, str>>,
    is_suspended: Option<bool>,
    #[serde(borrow)]
    organizations: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow)]
    identities: Option<Vec<RawIdentity<'a>>>,
}

#[derive(Debug, Deserialize)]
struct RawIdentity<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "name")]
    identity: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "provider")]
    connection_id: Option<Cow<'a, str>>,
}

fn boxed(v: Option<Cow<'_, str>>) -> Option<Box<str>> {
    v.filter(|s| !s.is_empty()).map(|s| s.into())
}

impl RawUser<'_> {
    /// Converts to a [`KindeUser`]; a user without an id cannot be acted on, so it is an error.
    fn into_user(self, file: u16, position: u64) -> Result<KindeUser, String> {
        let id = boxed(self.id).ok_or("user object has no `id`")?;
        // `collect` reuses the parser's buffer in place (capacity 4 of a larger element type);
        // shrinking matters at a million users (about 250 MB).
        let mut identities: Vec<Identity> = self
            .identities
            .unwrap_or_default()
            .into_iter()
            .filter_map(|i| {
                Some(Identity {
                    kind: IdentityType::classify(i.kind.as_deref().unwrap_or("")),
                    value: boxed(i.identity)?,
                    connection_id: boxed(i.connection_id),
                })
            })
            .collect();
        identities.shrink_to_fit();
        Ok(KindeUser {
            id: Some(id),
            provided_id: boxed(self.provided_id),
            email: boxed(self.email),
            phone: boxed(self.phone),
            created_on: self.created_on.as_deref().and_then(parse_millis),
            is_suspended: self.is_suspended,
            organizations: self
                .organizations
                .map(|o| o.into_iter().map(|c| c.into()).collect::<Vec<_>>())
                .map(|mut o| {
                    o.shrink_to_fit();
                    o
                }),
            identities,
            file,
            position,
        })
    }
}

/// A page of `GET /api/v1/users` (or `results` of the search endpoint).
#[derive(Debug, Deserialize)]
struct RawPage<'a> {
    #[serde(borrow, alias = "results")]
    users: Option<Vec<RawUser<'a>>>,
}

/// A page inside an array: `users` required, so a bare user object is not taken for a page.
#[derive(Debug, Deserialize)]
struct StrictPage<'a> {
    #[serde(borrow, alias = "results")]
    users: Vec<RawUser<'a>>,
}

/// An element of a top-level JSON array: a page or a bare user.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum PageOrUser<'a> {
    #[serde(borrow)]
    Page(StrictPage<'a>),
    #[serde(borrow)]
    User(RawUser<'a>),
}

fn json_error(shown: &str, e: &serde_json::Error) -> InputError {
    let line = (e.line() > 0).then_some(e.line() as u64);
    InputError::new(shown, line, format!("not valid JSON: {e}"))
}

/// Reads API pages: a file is read whole (pages are small), then each page object in turn.
fn read_api_pages(path: &Path, shown: &str, file: u16) -> Result<Vec<KindeUser>, InputError> {
    let owned = std::fs::read_to_string(path).map_err(|e| io_error(shown, &e))?;
    let text = owned.strip_prefix('\u{feff}').unwrap_or(&owned);
    let mut raw: Vec<RawUser> = Vec::new();
    if text.trim_start().starts_with('[') {
        let items: Vec<PageOrUser> =
            serde_json::from_str(text).map_err(|e| json_error(shown, &e))?;
        for item in items {
            match item {
                PageOrUser::Page(p) => raw.extend(p.users),
                PageOrUser::User(u) => raw.push(u),
            }
        }
    } else {
        for page in serde_json::Deserializer::from_str(text).into_iter::<RawPage>() {
            let page = page.map_err(|e| json_error(shown, &e))?;
            raw.extend(page_users(page, shown)?);
        }
    }
    raw.into_iter()
        .enumerate()
        .map(|(i, u)| {
            let position = i as u64 + 1;
            u.into_user(file, position).map_err(|m| {
                InputError::new(shown, None, format!("user #{position} in the pages: {m}"))
            })
        })
        .collect()
}

fn page_users<'a>(page: RawPage<'a>, shown: &str) -> Result<Vec<RawUser<'a>>, InputError> {
    page.users.ok_or_else(|| {
        InputError::new(
            shown,
            None,
            "a JSON object without a `users` array: expected GET /api/v1/users pages \
             (use --users-format export for the NDJSON export)",
        )
    })
}

/// Bytes read per NDJSON chunk; lines of one chunk are parsed in parallel.
const CHUNK_BYTES: usize = 8 * 1024 * 1024;

/// Reads the export NDJSON in chunks, parsing each chunk's lines on all cores.
fn read_export_ndjson(path: &Path, shown: &str, file: u16) -> Result<Vec<KindeUser>, InputError> {
    let parse = |line_no: u64, line: &[u8]| -> Result<Option<KindeUser>, InputError> {
        parse_export_line(line, file, line_no).map_err(|m| InputError::new(shown, Some(line_no), m))
    };
    let mut users = Vec::new();
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    for_each_ndjson_chunk(path, shown, |lines| {
        if users.is_empty() {
            reserve_for(&mut users, size, lines);
        }
        let parsed: Vec<Result<Option<KindeUser>, InputError>> =
            lines.par_iter().map(|(n, l)| parse(*n, l)).collect();
        for p in parsed {
            users.extend(p?);
        }
        Ok(())
    })?;
    Ok(users)
}

/// Reserves room for the whole file from the first chunk's line length, so a million users are
/// not copied through doubling reallocations (which briefly hold 1.5 times the data).
fn reserve_for<T>(v: &mut Vec<T>, file_size: u64, first: &[(u64, &[u8])]) {
    let bytes: u64 = first.iter().map(|(_, l)| l.len() as u64 + 1).sum();
    if let Some(estimate) = file_size
        .saturating_mul(first.len() as u64)
        .checked_div(bytes)
    {
        v.reserve((estimate + estimate / 50 + 16) as usize);
    }
}

/// Parses one export line; blank lines are skipped.
fn parse_export_line(line: &[u8], file: u16, line_no: u64) -> Result<Option<KindeUser>, String> {
    let line = trim_ascii(line);
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    if line.is_empty() {
        return Ok(None);
    }
    let raw: RawUser = serde_json::from_slice(line).map_err(|e| format!("not a JSON user: {e}"))?;
    raw.into_user(file, line_no).map(Some)
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let end = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(start, |e| e + 1);
    &b[start..end.max(start)]
}

/// Calls `handle` with the complete lines of each chunk of the file, numbered from 1.
pub(crate) fn for_each_ndjson_chunk(
    path: &Path,
    shown: &str,
    mut handle: impl FnMut(&[(u64, &[u8])]) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let mut f = std::fs::File::open(path).map_err(|e| io_error(shown, &e))?;
    let mut buf: Vec<u8> = Vec::with_capacity(CHUNK_BYTES + 4096);
    let mut next_line: u64 = 1;
    loop {
        let got = (&mut f)
            .take(CHUNK_BYTES as u64)
            .read_to_end(&mut buf)
            .map_err(|e| io_error(shown, &e))?;
        let eof = got == 0;
        // Only whole lines are handed on; the tail waits for the next read.
        let cut = if eof {
            buf.len()
        } else {
            match memchr::memrchr(b'\n', &buf) {
                Some(i) => i + 1,
                None => continue,
            }
        };
        let lines = split_lines(&buf[..cut], next_line);
        next_line += lines.len() as u64;
        handle(&lines)?;
        buf.drain(..cut);
        if eof {
            return Ok(());
        }
    }
}

fn split_lines(data: &[u8], first: u64) -> Vec<(u64, &[u8])> {
    let mut out = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', data) {
        out.push((first + out.len() as u64, &data[start..end]));
        start = end + 1;
    }
    if start < data.len() {
        out.push((first + out.len() as u64, &data[start..]));
    }
    out
}

/// Finds a header case-insensitively (BOM and surrounding space ignored).
pub(crate) fn find_column(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    names.iter().find_map(|want| {
        headers.iter().position(|h| {
            h.trim_start_matches('\u{feff}')
                .trim()
                .eq_ignore_ascii_case(want)
        })
    })
}

pub(crate) fn csv_error(shown: &str, e: &csv::Error) -> InputError {
    let line = e.position().map(|p| p.line());
    InputError::new(shown, line, format!("not a readable CSV row: {e}"))
}

/// Line numbers for CSV records. The csv crate's own line count is one short for CRLF files
/// (Entra's download uses CRLF), so lines are counted from the record's byte offset on a second
/// handle that reads forward in step with the parser: `1 + newlines in bytes[..=offset]`.
pub(crate) struct LineCounter {
    reader: std::io::BufReader<std::fs::File>,
    offset: u64,
    newlines: u64,
}

impl LineCounter {
    pub(crate) fn open(path: &Path, shown: &str) -> Result<LineCounter, InputError> {
        let f = std::fs::File::open(path).map_err(|e| io_error(shown, &e))?;
        Ok(LineCounter {
            reader: std::io::BufReader::with_capacity(1 << 16, f),
            offset: 0,
            newlines: 0,
        })
    }

    /// The 1-based line of the record starting at byte `offset` (offsets must not decrease).
    pub(crate) fn line_at(&mut self, offset: u64) -> u64 {
        use std::io::BufRead;
        let target = offset + 1;
        while self.offset < target {
            let Ok(buf) = self.reader.fill_buf() else {
                break;
            };
            if buf.is_empty() {
                break;
            }
            let take = buf.len().min((target - self.offset) as usize);
            self.newlines += memchr::memchr_iter(b'\n', &buf[..take]).count() as u64;
            self.reader.consume(take);
            self.offset += take as u64;
        }
        1 + self.newlines
    }

    /// Line of a record, from its position.
    pub(crate) fn line_of(&mut self, pos: Option<&csv::Position>) -> u64 {
        pos.map_or(0, |p| self.line_at(p.byte()))
    }
}

/// Reads the import CSV: each row becomes a pre-provisioned user with one email identity.
fn read_import_csv(path: &Path, shown: &str, file: u16) -> Result<Vec<KindeUser>, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| csv_error(shown, &e))?;
    let headers = reader.headers().map_err(|e| csv_error(shown, &e))?.clone();
    let email = find_column(&headers, &["email"]).ok_or_else(|| {
        InputError::new(
            shown,
            Some(1),
            "import CSV has no `email` column (Kinde's import requires it)",
        )
    })?;
    let id = find_column(&headers, &["id"]);
    let phone = find_column(&headers, &["phone"]);
    let mut users = Vec::new();
    let mut lines = LineCounter::open(path, shown)?;
    for row in reader.records() {
        let row = row.map_err(|e| csv_error(shown, &e))?;
        let line = lines.line_of(row.position());
        let cell = |i: Option<usize>| -> Option<Box<str>> {
            i.and_then(|i| row.get(i))
                .filter(|v| !v.is_empty())
                .map(Into::into)
        };
        let email = cell(Some(email));
        let identities = email
            .iter()
            .map(|e| Identity {
                kind: IdentityType::Email,
                value: e.clone(),
                connection_id: None,
            })
            .collect();
        users.push(KindeUser {
            provided_id: cell(id),
            phone: cell(phone),
            email,
            identities,
            file,
            position: line,
            ..KindeUser::default()
        });
    }
    Ok(users)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn temp(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        (dir, path)
    }

    const PAGE: &str = r#"{"code":"OK","users":[{"id":"kp_1","provided_id":null,"email":"a@example.com",
      "phone":"+15555550100","is_suspended":true,"created_on":"2025-02-12T18:02:23.614638+00:00",
      "organizations":["org_1"],"identities":[{"type":"enterprise","identity":"a@example.com",
      "connection_id":"conn_1"},{"type":"oauth2:google","identity":"a@example.com","connection_id":"conn_g"}],
      "unknown_field":1}],"next_token":null}"#;

    #[test]
    fn detects_every_shape() {
        let cases: &[(&str, &str, SnapshotFormat)] = &[
            ("u.csv", "email,id\n", SnapshotFormat::ImportCsv),
            ("u.ndjson", "{}", SnapshotFormat::ExportNdjson),
            ("u.jsonl", "{}", SnapshotFormat::ExportNdjson),
            ("u.json", PAGE, SnapshotFormat::ApiPages),
            ("u.json", "[{\"users\":[]}]", SnapshotFormat::ApiPages),
            (
                "u.json",
                "{\"id\":\"kp_1\"}\n{\"id\":\"kp_2\"}\n",
                SnapshotFormat::ExportNdjson,
            ),
            (
                "u.json",
                "{\"users\":[]}\n{\"users\":[]}\n",
                SnapshotFormat::ApiPages,
            ),
            (
                "u.txt",
                "email,id\nx@example.com,1\n",
                SnapshotFormat::ImportCsv,
            ),
        ];
        for (name, text, want) in cases {
            let (_d, p) = temp(name, text);
            assert_eq!(detect_format(&p).unwrap(), *want, "{name}: {text}");
        }
    }

    #[test]
    fn reads_api_page_with_identities() {
        let (_d, p) = temp("u.json", PAGE);
        let s = UsersSnapshot::read_files(&[p], None).unwrap();
        let u = &s.users[0];
        assert_eq!(u.id.as_deref(), Some("kp_1"));
        assert_eq!(u.is_suspended, Some(true));
        assert_eq!(u.phone.as_deref(), Some("+15555550100"));
        assert_eq!(u.organizations.as_ref().unwrap()[0].as_ref(), "org_1");
        assert_eq!(u.identities[0].kind, IdentityType::Enterprise);
        assert_eq!(u.identities[0].connection_id.as_deref(), Some("conn_1"));
        assert_eq!(
            u.identities[1].kind,
            IdentityType::Social("oauth2:google".into())
        );
        assert!(u.created_on.unwrap() < parse_millis("2025-03-01T00:00:00Z").unwrap());
        assert_eq!(s.source_of(u), format!("{} user #1", s.files[0].0));
    }

    #[test]
    fn reads_pages_in_every_container() {
        let user = r#"{"id":"kp_1","email":"a@example.com"}"#;
        let texts = [
            format!("{{\"users\":[{user}]}}\n{{\"users\":[{user}]}}"),
            format!("[{{\"users\":[{user}]}},{{\"users\":[{user}]}}]"),
            format!("[{user},{user}]"),
            format!("{{\"results\":[{user},{user}]}}"),
        ];
        for t in texts {
            let (_d, p) = temp("u.json", &t);
            let s = UsersSnapshot::read_files(&[p], Some(SnapshotFormat::ApiPages)).unwrap();
            assert_eq!(s.users.len(), 2, "{t}");
            assert_eq!(s.users[1].position, 2);
        }
    }

    #[test]
    fn reads_export_ndjson_with_provider_as_connection() {
        let text = "{\"id\":\"kp_1\",\"email\":\"a@example.com\",\"created_on\":\"2025-06-10T09:15:22+00:00\",\
            \"identities\":[{\"type\":\"enterprise\",\"identity\":\"a@example.com\",\"provider\":\"conn_1\"}],\
            \"external_id\":\"legacy-1\",\"business_code\":\"bus_1\",\"organizations\":[\"org_1\"],\"email_verified\":true}\n\
            \n{\"id\":\"kp_2\",\"email\":null,\"identities\":[]}\n";
        let (_d, p) = temp("users.ndjson", text);
        let s = UsersSnapshot::read_files(&[p], None).unwrap();
        assert_eq!(s.users.len(), 2);
        assert_eq!(s.users[0].provided_id.as_deref(), Some("legacy-1"));
        assert_eq!(
            s.users[0].identities[0].connection_id.as_deref(),
            Some("conn_1")
        );
        assert_eq!(s.users[0].is_suspended, None);
        assert_eq!(s.users[1].position, 3);
        assert_eq!(s.users[1].email, None);
    }

    #[test]
    fn ndjson_chunks_keep_line_numbers_across_boundaries() {
        // Lines longer than nothing special, but many of them: exercise split_lines numbering.
        let lines = split_lines(b"a\nb\n\nc", 10);
        let nums: Vec<u64> = lines.iter().map(|(n, _)| *n).collect();
        assert_eq!(nums, vec![10, 11, 12, 13]);
        assert_eq!(lines[3].1, b"c");
    }

    #[test]
    fn bad_rows_name_file_and_line() {
        let cases: &[(&str, &str, Option<u64>, &str)] = &[
            (
                "u.ndjson",
                "{\"id\":\"kp_1\"}\n{oops\n",
                Some(2),
                "not a JSON user",
            ),
            (
                "u.ndjson",
                "{\"email\":\"a@example.com\"}\n",
                Some(1),
                "no `id`",
            ),
            (
                "u.json",
                "{\"users\":[{\"id\":\"kp_1\"}]\n",
                Some(2),
                "not valid JSON",
            ),
            (
                "u.json",
                "{\"code\":\"OK\"}",
                None,
                "without a `users` array",
            ),
            (
                "u.csv",
                "mail,id\nx@example.com,1\n",
                Some(1),
                "no `email` column",
            ),
        ];
        for (name, text, line, msg) in cases {
            let (_d, p) = temp(name, text);
            let e = UsersSnapshot::read_files(&[p], None).unwrap_err();
            assert_eq!(e.line, *line, "{name}: {e}");
            assert!(e.message.contains(msg), "{name}: {e}");
        }
    }

    #[test]
    fn reads_import_csv_as_email_identities() {
        let (_d, p) = temp(
            "users-import.csv",
            "\u{feff}email,id,first_name,phone\nCarla.Case@example.com,legacy-3,Carla,\n,legacy-4,NoEmail,+15555550101\n",
        );
        let s = UsersSnapshot::read_files(&[p], None).unwrap();
        assert_eq!(s.users.len(), 2);
        let u = &s.users[0];
        assert_eq!(u.id, None);
        assert_eq!(u.provided_id.as_deref(), Some("legacy-3"));
        assert_eq!(u.identities[0].kind, IdentityType::Email);
        assert_eq!(u.position, 2);
        assert_eq!(u.label(), "legacy-3");
        assert!(s.users[1].identities.is_empty());
        assert_eq!(s.users[1].phone.as_deref(), Some("+15555550101"));
    }

    #[test]
    fn classifies_identity_types() {
        let cases = [
            ("email", IdentityType::Email),
            ("Phone", IdentityType::Phone),
            ("username", IdentityType::Username),
            ("enterprise", IdentityType::Enterprise),
            ("saml:custom", IdentityType::Enterprise),
            ("wsfed:azure_ad", IdentityType::Enterprise),
            (
                "oauth2:google",
                IdentityType::Social("oauth2:google".into()),
            ),
            ("passkey", IdentityType::Other("passkey".into())),
        ];
        for (raw, want) in cases {
            assert_eq!(IdentityType::classify(raw), want, "{raw}");
        }
    }
}
