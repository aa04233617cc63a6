//! The IdP side from files: a directory export (Entra "Download users" CSV, Okta users CSV, or
//! any CSV with `--email-column`/`--id-column`) or the logs command's normalised events (NDJSON).
//!
//! A directory row says what the IdP *will* send: its email column is assumed to be mapped to
//! the attribute Kinde reads (the connection's Email key attribute) unless `--idp-email-attribute`
//! names another one, in which case every row arrives without the email Kinde looks for. Values
//! are kept exactly as exported (a trailing space is a real near-miss, not noise).

mod events;

pub use events::{EventsRead, read_events};

use super::read::{LineCounter, csv_error, csv_reader, find_column};
use super::{IdpRecord, InputError};
use std::path::Path;

/// Which directory export a CSV is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryKind {
    /// Microsoft Entra ID "Download users" (`userPrincipalName,displayName,…,mail,…`).
    Entra,
    /// Okta users CSV (`login`/`Username`, `email`/`Primary email`, `id`).
    Okta,
    /// Any other CSV; needs `--email-column` unless a column is called `email` or `mail`.
    Generic,
}

impl DirectoryKind {
    /// Parses a `--directory-format` value; `auto` is `None`.
    pub fn parse(s: &str) -> Option<Option<DirectoryKind>> {
        match s {
            "auto" => Some(None),
            "entra" | "azure" => Some(Some(DirectoryKind::Entra)),
            "okta" => Some(Some(DirectoryKind::Okta)),
            "csv" | "generic" => Some(Some(DirectoryKind::Generic)),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DirectoryKind::Entra => "entra",
            DirectoryKind::Okta => "okta",
            DirectoryKind::Generic => "csv",
        }
    }

    /// Header names, in preference order, of the column the IdP sends as the email.
    fn email_columns(self) -> &'static [&'static str] {
        match self {
            // `mail` is what Entra's default email claim sends; the UPN only if there is no mail column.
            DirectoryKind::Entra => &["mail", "userPrincipalName"],
            DirectoryKind::Okta => &[
                "email",
                "Primary email",
                "primaryEmail",
                "profile.email",
                "login",
                "Username",
            ],
            DirectoryKind::Generic => &["email", "mail", "emailaddress", "email address"],
        }
    }

    /// The sign-in name column, used as the NameID stand-in and to pair rows without email.
    fn name_columns(self) -> &'static [&'static str] {
        match self {
            DirectoryKind::Entra => &["userPrincipalName"],
            DirectoryKind::Okta => &["login", "Username", "profile.login"],
            DirectoryKind::Generic => &[],
        }
    }

    fn detect(headers: &csv::StringRecord) -> DirectoryKind {
        if find_column(headers, &["userPrincipalName"]).is_some() {
            DirectoryKind::Entra
        } else if find_column(
            headers,
            &["login", "profile.login", "Username", "Primary email"],
        )
        .is_some()
        {
            DirectoryKind::Okta
        } else {
            DirectoryKind::Generic
        }
    }
}

/// How to read a directory export and what the IdP does with it.
#[derive(Debug, Clone, Default)]
pub struct DirectoryOptions {
    /// `None`: detect from the header.
    pub kind: Option<DirectoryKind>,
    /// `--email-column`: overrides the kind's default.
    pub email_column: Option<String>,
    /// `--id-column`: its value becomes `subject_id`, matched against Kinde's `provided_id`.
    pub id_column: Option<String>,
    /// The attribute name Kinde reads (`settings.email_attribute`).
    pub email_attribute: String,
    /// `--idp-email-attribute`: the name the IdP sends the email column under, if known.
    pub sent_as: Option<String>,
}

/// Records read from a directory export, and which columns were used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryRead {
    pub kind: DirectoryKind,
    pub email_column: String,
    pub id_column: Option<String>,
    pub records: Vec<IdpRecord>,
}

/// Resolved column positions for one export.
struct Columns {
    email: usize,
    id: Option<usize>,
    name: Option<usize>,
}

fn required_column(
    headers: &csv::StringRecord,
    name: &str,
    flag: &str,
    shown: &str,
) -> Result<usize, InputError> {
    find_column(headers, &[name]).ok_or_else(|| {
        let have: Vec<&str> = headers.iter().collect();
        InputError::new(
            shown,
            Some(1),
            format!(
                "{flag} {name:?} is not a column; the header has: {}",
                have.join(", ")
            ),
        )
    })
}

fn resolve_columns(
    headers: &csv::StringRecord,
    kind: DirectoryKind,
    opts: &DirectoryOptions,
    shown: &str,
) -> Result<Columns, InputError> {
    let email = match &opts.email_column {
        Some(c) => required_column(headers, c, "--email-column", shown)?,
        None => find_column(headers, kind.email_columns()).ok_or_else(|| {
            InputError::new(
                shown,
                Some(1),
                format!(
                    "no email column (looked for {}); name it with --email-column",
                    kind.email_columns().join(", ")
                ),
            )
        })?,
    };
    let id = match &opts.id_column {
        Some(c) => Some(required_column(headers, c, "--id-column", shown)?),
        None => None,
    };
    let name = find_column(headers, kind.name_columns()).filter(|n| *n != email);
    Ok(Columns { email, id, name })
}

/// Reads a directory CSV into one [`IdpRecord`] per row.
pub fn read_directory(path: &Path, opts: &DirectoryOptions) -> Result<DirectoryRead, InputError> {
    let shown = path.display().to_string();
    let mut reader = csv_reader(path, &shown)?;
    let headers = reader.headers().map_err(|e| csv_error(&shown, &e))?.clone();
    let kind = opts.kind.unwrap_or_else(|| DirectoryKind::detect(&headers));
    let cols = resolve_columns(&headers, kind, opts, &shown)?;
    let header_name = |i: usize| {
        headers
            .get(i)
            .unwrap_or("")
            .trim_start_matches('\u{feff}')
            .to_string()
    };
    let mut records = Vec::new();
    let mut row = csv::StringRecord::new();
    let mut lines = LineCounter::open(path, &shown)?;
    while reader
        .read_record(&mut row)
        .map_err(|e| csv_error(&shown, &e))?
    {
        let line = lines.line_of(row.position());
        if records.len() == 1024 {
            reserve_rest(&mut records, path, row.position());
        }
        records.push(row_record(&row, line, &cols, &shown, opts));
    }
    Ok(DirectoryRead {
        kind,
        email_column: header_name(cols.email),
        id_column: cols.id.map(header_name),
        records,
    })
}

/// Reserves room for the remaining rows from the first rows' size (avoids doubling copies).
fn reserve_rest(records: &mut Vec<IdpRecord>, path: &Path, pos: Option<&csv::Position>) {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if let Some(done) = pos.map(|p| p.byte()).filter(|b| *b > 0) {
        let estimate = size.saturating_mul(records.len() as u64) / done;
        records.reserve((estimate + estimate / 50) as usize);
    }
}

/// One row as the IdP will send it.
fn row_record(
    row: &csv::StringRecord,
    line: u64,
    cols: &Columns,
    shown: &str,
    opts: &DirectoryOptions,
) -> IdpRecord {
    let cell = |i: Option<usize>| i.and_then(|i| row.get(i)).filter(|v| !v.trim().is_empty());
    let value = cell(Some(cols.email));
    let name_id = cell(cols.name).map(str::to_string);
    let renamed = opts
        .sent_as
        .as_deref()
        .filter(|sent| *sent != opts.email_attribute);
    let mut record = IdpRecord {
        source: format!("{shown}:{line}"),
        subject_id: cell(cols.id).map(str::to_string),
        name_id,
        ..IdpRecord::default()
    };
    match (value, renamed) {
        (Some(v), None) => {
            record.email = Some(v.to_string());
            record.email_attribute_present = true;
            // The sign-in name only pairs rows without an email; dropping it elsewhere keeps a
            // million-row export about 50 MB smaller.
            record.name_id = None;
        }
        (Some(v), Some(sent)) => record
            .attributes
            .push((sent.to_string(), vec![v.to_string()])),
        // An empty directory value means the claim is not emitted (Entra omits empty `mail`).
        (None, _) => {}
    }
    record
}

#[cfg(test)]
mod tests;
