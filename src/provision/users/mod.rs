//! The Kinde side: a users snapshot read from any of the three shapes Kinde produces:
//! Management API user pages (`GET /api/v1/users?expand=organizations,identities`, in
//! [`api`]), the data export `users.ndjson` ([`export`]) and the custom import CSV
//! ([`import_csv`]).
//!
//! Parsing is lenient about what the API leaves open (nulls, missing optional fields, unknown
//! fields) and strict about what makes a row unusable (not JSON, no user id in an API or export
//! row): those stop the run with the file and line.

mod api;
mod complete;
mod export;
mod import_csv;
mod raw;

pub use api::Paging;
pub use complete::{Duplicate, FETCH_ALL_PAGES};

use super::InputError;
use super::read::{io_error, open_text};
use crate::time::Millis;
use serde::Deserialize;
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
    /// Paging facts of each API-pages file read, by file name.
    pub paging: Vec<(String, Paging)>,
    /// Users two files both described, dropped from `users` by [`UsersSnapshot::read_files`].
    pub duplicates: Vec<Duplicate>,
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
            SnapshotFormat::ApiPages => {
                let (users, paging) = api::read_api_pages(path, &shown, file)?;
                self.paging.push((shown.clone(), paging));
                users
            }
            SnapshotFormat::ExportNdjson => export::read_export_ndjson(path, &shown, file)?,
            SnapshotFormat::ImportCsv => import_csv::read_import_csv(path, &shown, file)?,
        };
        self.files.push((shown, format));
        self.users.extend(users);
        Ok(())
    }

    /// Reads several files into one snapshot. A user that two files both describe (the
    /// import CSV and the export, say) is kept once and listed in `duplicates`.
    pub fn read_files(
        paths: &[std::path::PathBuf],
        format: Option<SnapshotFormat>,
    ) -> Result<UsersSnapshot, InputError> {
        let mut snapshot = UsersSnapshot::default();
        for p in paths {
            snapshot.read_file(p, format)?;
        }
        if snapshot.files.len() > 1 {
            complete::drop_cross_file_duplicates(&mut snapshot);
        }
        Ok(snapshot)
    }

    /// Why the snapshot is not the whole tenant (API pages with more to fetch, or fewer users
    /// than a declared total), or `None` when nothing says so.
    pub fn incomplete(&self) -> Option<String> {
        complete::incomplete(&self.paging)
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
    open_text(path, &shown)?
        .take(64 * 1024)
        .read_to_end(&mut head)
        .map_err(|e| io_error(&shown, &e))?;
    Ok(sniff(&head))
}

/// Decides between pages, NDJSON and CSV from the first bytes of a file.
fn sniff(head: &[u8]) -> SnapshotFormat {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if head.starts_with(b"HTTP/") {
        // A saved response (`curl -i`): status line and headers, then a users page.
        return SnapshotFormat::ApiPages;
    }
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

#[cfg(test)]
mod tests;
