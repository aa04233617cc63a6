//! The IdP side from files: a directory export (Entra "Download users" CSV, Okta users CSV, or
//! any CSV with `--email-column`/`--id-column`) or the logs command's normalised events (NDJSON).
//!
//! A directory row says what the IdP *will* send: its email column is assumed to be mapped to
//! the attribute Kinde reads (the connection's Email key attribute) unless `--idp-email-attribute`
//! names another one, in which case every row arrives without the email Kinde looks for. Values
//! are kept exactly as exported (a trailing space is a real near-miss, not noise).

use super::users::{LineCounter, csv_error, find_column, for_each_ndjson_chunk};
use super::{IdpRecord, InputError};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashSet;
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
            // kinde.md §6: `mail` is what Entra's default claim sends; UPN only if no mail column.
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
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| csv_error(&shown, &e))?;
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

/// What reading the events file found besides the records.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventsRead {
    pub records: Vec<IdpRecord>,
    /// Non-blank lines read.
    pub lines: u64,
    /// Lines with no user, email or attributes (not about a person).
    pub without_user: u64,
    /// Lines about a person already seen (the first line is kept as the source).
    pub repeats: u64,
}

/// The parts of a normalised event the simulator reads; everything else is ignored.
#[derive(Debug, Deserialize)]
struct RawEvent {
    user: Option<Value>,
    email: Option<String>,
    user_email: Option<String>,
    upn: Option<String>,
    name_id: Option<String>,
    #[serde(alias = "user_id", alias = "subject")]
    subject_id: Option<String>,
    attributes: Option<Value>,
}

/// Reads the logs command's NDJSON events, one record per distinct person, in first-seen order.
pub fn read_events(path: &Path, email_attribute: &str) -> Result<EventsRead, InputError> {
    let shown = path.display().to_string();
    let mut out = EventsRead::default();
    let mut seen: HashSet<(Option<String>, Option<String>, Option<String>)> = HashSet::new();
    for_each_ndjson_chunk(path, &shown, |lines| {
        for (line_no, line) in lines {
            let text = String::from_utf8_lossy(line);
            let text = text.trim().trim_start_matches('\u{feff}');
            if text.is_empty() {
                continue;
            }
            out.lines += 1;
            let event: RawEvent = serde_json::from_str(text).map_err(|e| {
                InputError::new(&shown, Some(*line_no), format!("not a JSON event: {e}"))
            })?;
            let Some(record) = event_record(event, email_attribute, &shown, *line_no) else {
                out.without_user += 1;
                continue;
            };
            let key = (
                record.email.clone(),
                record.subject_id.clone(),
                record.name_id.clone(),
            );
            if seen.insert(key) {
                out.records.push(record);
            } else {
                out.repeats += 1;
            }
        }
        Ok(())
    })?;
    Ok(out)
}

/// The `user` field may be a string (email/UPN) or an object with `email`/`upn`/`id`.
fn user_field(v: Option<&Value>, key: &str) -> Option<String> {
    match v? {
        Value::String(s) if key == "email" => Some(s.clone()),
        Value::Object(o) => o.get(key)?.as_str().map(str::to_string),
        _ => None,
    }
}

/// Attributes as `{name: value | [values]}` or `[{name, values|value}]`.
fn event_attributes(v: Option<Value>) -> Vec<(String, Vec<String>)> {
    let strings = |v: &Value| -> Vec<String> {
        match v {
            Value::Array(a) => a
                .iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect(),
            Value::String(s) => vec![s.clone()],
            _ => Vec::new(),
        }
    };
    let mut out: Vec<(String, Vec<String>)> = match v {
        Some(Value::Object(o)) => o.iter().map(|(k, v)| (k.clone(), strings(v))).collect(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|item| {
                let name = item.get("name")?.as_str()?.to_string();
                let values = item.get("values").or_else(|| item.get("value"))?;
                Some((name, strings(values)))
            })
            .collect(),
        _ => Vec::new(),
    };
    out.sort();
    out
}

fn event_record(ev: RawEvent, email_attribute: &str, shown: &str, line: u64) -> Option<IdpRecord> {
    let attributes = event_attributes(ev.attributes);
    let user_email = user_field(ev.user.as_ref(), "email")
        .or(ev.email)
        .or(ev.user_email)
        .or(ev.upn.clone())
        .or_else(|| user_field(ev.user.as_ref(), "upn"));
    let subject_id = ev.subject_id.or_else(|| user_field(ev.user.as_ref(), "id"));
    if user_email.is_none() && attributes.is_empty() && subject_id.is_none() && ev.name_id.is_none()
    {
        return None;
    }
    // With attributes, the email is what sits under the configured key; without, the event's
    // user is taken as the email the IdP sends (an assumption stated in the README).
    let (email, present) = if attributes.is_empty() {
        let e = user_email.clone().filter(|e| !e.trim().is_empty());
        (e.clone(), e.is_some())
    } else {
        match attributes.iter().find(|(k, _)| k == email_attribute) {
            Some((_, v)) => (v.first().cloned().filter(|e| !e.trim().is_empty()), true),
            None => (None, false),
        }
    };
    let name_id = ev.name_id.or(if attributes.is_empty() {
        None
    } else {
        user_email
    });
    Some(IdpRecord {
        source: format!("{shown}:{line}"),
        subject_id,
        email,
        email_attribute_present: present,
        attributes,
        name_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const EMAIL_CLAIM: &str = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";

    fn temp(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::File::create(&path)
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        (dir, path)
    }

    fn opts() -> DirectoryOptions {
        DirectoryOptions {
            email_attribute: EMAIL_CLAIM.into(),
            ..Default::default()
        }
    }

    const ENTRA: &str = "userPrincipalName,displayName,surname,mail,givenName,objectId\r\n\
        dev.space@example.com,Dev,Space,\"dev.space@example.com \",Dev,oid-4\r\n\
        jon.nomail@example.com,Jon,NoMail,,Jon,oid-10\r\n";

    #[test]
    fn entra_export_keeps_values_exact_and_flags_empty_mail() {
        let (_d, p) = temp("entra.csv", ENTRA);
        let r = read_directory(&p, &opts()).unwrap();
        assert_eq!(r.kind, DirectoryKind::Entra);
        assert_eq!(r.email_column, "mail");
        let dev = &r.records[0];
        assert_eq!(dev.email.as_deref(), Some("dev.space@example.com "));
        assert!(dev.email_attribute_present);
        assert!(dev.source.ends_with("entra.csv:2"), "{}", dev.source);
        assert_eq!(
            dev.subject_id, None,
            "ids are matched only with --id-column"
        );
        let jon = &r.records[1];
        assert_eq!(jon.email, None);
        assert!(!jon.email_attribute_present);
        // The directory's columns are not attributes the IdP sends; the UPN only pairs the row.
        assert!(jon.attributes.is_empty());
        assert!(jon.source.ends_with("entra.csv:3"), "{}", jon.source);
        assert_eq!(jon.name_id.as_deref(), Some("jon.nomail@example.com"));
    }

    #[test]
    fn every_directory_shape_finds_its_columns() {
        // (file text, options tweak, kind, email column, first email, subject id)
        type Tweak = fn(&mut DirectoryOptions);
        type Case<'a> = (
            &'a str,
            Tweak,
            DirectoryKind,
            &'a str,
            Option<&'a str>,
            Option<&'a str>,
        );
        let none: Tweak = |_| {};
        let cases: Vec<Case> = vec![
            (
                ENTRA,
                |o| o.id_column = Some("objectId".into()),
                DirectoryKind::Entra,
                "mail",
                Some("dev.space@example.com "),
                Some("oid-4"),
            ),
            (
                "userPrincipalName,id\na@example.com,1\n",
                none,
                DirectoryKind::Entra,
                "userPrincipalName",
                Some("a@example.com"),
                None,
            ),
            (
                "id,status,login,email,firstName\n00u1,ACTIVE,a@example.com,A@example.com,A\n",
                |o| o.id_column = Some("id".into()),
                DirectoryKind::Okta,
                "email",
                Some("A@example.com"),
                Some("00u1"),
            ),
            (
                "Username,Primary email,Status\na@example.com,b@example.com,ACTIVE\n",
                none,
                DirectoryKind::Okta,
                "Primary email",
                Some("b@example.com"),
                None,
            ),
            (
                "Email,Employee\na@example.test,7\n",
                none,
                DirectoryKind::Generic,
                "Email",
                Some("a@example.test"),
                None,
            ),
            (
                "work_mail,emp\na@example.test,7\n",
                |o| {
                    o.email_column = Some("work_mail".into());
                    o.id_column = Some("emp".into());
                },
                DirectoryKind::Generic,
                "work_mail",
                Some("a@example.test"),
                Some("7"),
            ),
        ];
        for (text, tweak, kind, col, email, id) in cases {
            let (_d, p) = temp("dir.csv", text);
            let mut o = opts();
            tweak(&mut o);
            let r = read_directory(&p, &o).unwrap();
            assert_eq!((r.kind, r.email_column.as_str()), (kind, col), "{text}");
            assert_eq!(r.records[0].email.as_deref(), email, "{text}");
            assert_eq!(r.records[0].subject_id.as_deref(), id, "{text}");
        }
    }

    #[test]
    fn renamed_attribute_sends_no_email() {
        let (_d, p) = temp("entra.csv", ENTRA);
        let mut o = opts();
        o.sent_as = Some("email".into());
        let r = read_directory(&p, &o).unwrap();
        let dev = &r.records[0];
        assert_eq!(dev.email, None);
        assert!(!dev.email_attribute_present);
        assert_eq!(dev.attributes[0].0, "email");
        // Sending it under the name Kinde reads changes nothing.
        o.sent_as = Some(EMAIL_CLAIM.into());
        let r = read_directory(&p, &o).unwrap();
        assert!(r.records[0].email_attribute_present);
    }

    #[test]
    fn directory_errors_name_the_file() {
        let cases: &[(&str, DirectoryOptions, &str)] = &[
            ("a,b\n1,2\n", opts(), "no email column"),
            (
                "email\nx@example.com\n",
                DirectoryOptions {
                    email_column: Some("mail".into()),
                    ..opts()
                },
                "--email-column \"mail\"",
            ),
            (
                "email\nx@example.com\n",
                DirectoryOptions {
                    id_column: Some("oid".into()),
                    ..opts()
                },
                "--id-column \"oid\"",
            ),
        ];
        for (text, o, msg) in cases {
            let (_d, p) = temp("dir.csv", text);
            let e = read_directory(&p, o).unwrap_err();
            assert!(
                e.to_string().contains("dir.csv:1") && e.message.contains(msg),
                "{e}"
            );
        }
    }

    #[test]
    fn events_shapes_become_deduplicated_records() {
        let text = format!(
            "{{\"user\":\"a@example.com\",\"result\":\"success\",\"extra\":{{\"x\":1}}}}\n\
             {{\"user\":\"a@example.com\"}}\n\
             {{\"kind\":\"summary\"}}\n\
             \n\
             {{\"user\":{{\"email\":\"B@example.com\",\"id\":\"u2\"}}}}\n\
             {{\"user\":\"c@example.com\",\"attributes\":{{\"email\":[\"c@example.com\"]}}}}\n\
             {{\"upn\":\"d@example.com\",\"attributes\":[{{\"name\":\"{EMAIL_CLAIM}\",\"values\":[\"D@example.com\"]}}]}}\n"
        );
        let (_d, p) = temp("events.ndjson", &text);
        let r = read_events(&p, EMAIL_CLAIM).unwrap();
        assert_eq!((r.lines, r.without_user, r.repeats), (6, 1, 1));
        let emails: Vec<Option<&str>> = r.records.iter().map(|x| x.email.as_deref()).collect();
        assert_eq!(
            emails,
            vec![
                Some("a@example.com"),
                Some("B@example.com"),
                None,
                Some("D@example.com")
            ]
        );
        assert!(r.records[0].source.ends_with("events.ndjson:1"));
        assert_eq!(r.records[1].subject_id.as_deref(), Some("u2"));
        let c = &r.records[2];
        assert!(!c.email_attribute_present);
        assert_eq!(c.attributes[0].0, "email");
        assert_eq!(c.name_id.as_deref(), Some("c@example.com"));
        assert!(r.records[3].email_attribute_present);
    }

    #[test]
    fn bad_event_line_names_file_and_line() {
        let (_d, p) = temp("events.ndjson", "{\"user\":\"a@example.com\"}\n{nope\n");
        let e = read_events(&p, "email").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("not a JSON event"), "{e}");
    }
}
