//! The IdP side from the logs command's normalised events (NDJSON): one record per distinct
//! person, in first-seen order.

use crate::provision::read::for_each_ndjson_chunk;
use crate::provision::{IdpRecord, InputError};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;

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
