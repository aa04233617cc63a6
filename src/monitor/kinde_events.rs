//! Kinde events for the monitor: webhook payloads (JSON, or the raw `application/jwt` request body,
//! whose payload is decoded without a key and marked unverified), the events API wrapper
//! `{code, message, event:{…}}`, and NDJSON or JSON arrays of either. Every event type is kept
//! (the `logs` reader keeps only authentications); `user.created` carries the new user's email.

use crate::time::Millis;
use base64::Engine;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read};

/// The event types the monitor joins on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Authenticated,
    AuthenticationFailed,
    Created,
    Other,
}

/// One Kinde event, with where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KindeEvent {
    pub kind: Kind,
    pub event_id: String,
    pub time: Option<Millis>,
    pub user_id: Option<String>,
    /// `user.created` only.
    pub email: Option<String>,
    /// `file:line`.
    pub at: String,
    /// True when read from a JWT body whose signature was not checked.
    pub unverified: bool,
}

/// True when a record (the first one of a file) looks like a Kinde event.
pub fn looks_like(first: &str) -> bool {
    let t = first.trim_start();
    if t.starts_with("eyJ") && t.split('.').count() == 3 {
        return true;
    }
    let Ok(v) = serde_json::from_str::<Value>(t) else {
        return false;
    };
    let one = |v: &Value| {
        (v.get("type").is_some() && v.get("event_id").is_some() && v.get("data").is_some())
            || (v.get("event").is_some() && v.get("code").is_some())
    };
    one(&v) || v.as_array().is_some_and(|a| a.first().is_some_and(one))
}

fn jwt_payload(token: &str) -> Option<Value> {
    let payload = token.trim().split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn event_of(v: &Value, at: String, unverified: bool) -> Result<KindeEvent, String> {
    let v = v.get("event").filter(|e| e.is_object()).unwrap_or(v);
    let kind_text = v
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{at}: Kinde event without `type`"))?;
    let kind = match kind_text {
        "user.authenticated" => Kind::Authenticated,
        "user.authentication_failed" => Kind::AuthenticationFailed,
        "user.created" => Kind::Created,
        _ => Kind::Other,
    };
    let time = match v.get("timestamp").or_else(|| v.get("event_timestamp")) {
        Some(Value::String(s)) => crate::logs::event::parse_time(s),
        Some(Value::Number(n)) => n.as_i64().and_then(|s| s.checked_mul(1000)),
        _ => None,
    };
    let user = v.pointer("/data/user");
    let text = |p: &str| {
        user.and_then(|u| u.get(p))
            .and_then(Value::as_str)
            .map(str::to_string)
            .filter(|s| !s.trim().is_empty())
    };
    Ok(KindeEvent {
        kind,
        event_id: v
            .get("event_id")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
        time,
        user_id: text("id"),
        email: text("email"),
        at,
        unverified,
    })
}

/// What one file held.
#[derive(Debug, Default)]
pub struct KindeRead {
    pub events: Vec<KindeEvent>,
    /// Malformed records: `file:line: why`.
    pub malformed: Vec<String>,
}

/// Reads one file of Kinde events: NDJSON (one event or JWT per line), or one JSON document
/// (an event, an events API response, or an array of events).
pub fn read(name: &str, reader: impl Read, out: &mut KindeRead) -> Result<(), String> {
    let mut r = BufReader::new(reader);
    let mut first = String::new();
    let mut line_no = 0u64;
    // Skip leading blank lines to find the shape.
    loop {
        first.clear();
        let n = r
            .read_line(&mut first)
            .map_err(|e| format!("{name}: {e}"))?;
        line_no += 1;
        if n == 0 || !first.trim().is_empty() {
            break;
        }
    }
    let t = first.trim_start();
    if t.starts_with('[') || (t.starts_with('{') && serde_json::from_str::<Value>(t).is_err()) {
        // One document spread over lines.
        let mut rest = String::new();
        r.read_to_string(&mut rest)
            .map_err(|e| format!("{name}: {e}"))?;
        let doc = format!("{first}{rest}");
        let v: Value = serde_json::from_str(&doc).map_err(|e| {
            format!(
                "{name}: not valid JSON: {e} (line {})",
                e.line() as u64 + line_no - 1
            )
        })?;
        let list: Vec<&Value> = match &v {
            Value::Array(a) => a.iter().collect(),
            Value::Object(o) if o.get("events").is_some_and(Value::is_array) => {
                o["events"].as_array().into_iter().flatten().collect()
            }
            other => vec![other],
        };
        for (i, e) in list.into_iter().enumerate() {
            match event_of(e, format!("{name} [{i}]"), false) {
                Ok(ev) => out.events.push(ev),
                Err(m) => out.malformed.push(m),
            }
        }
        return Ok(());
    }
    let mut line = first;
    loop {
        let s = line.trim();
        if !s.is_empty() {
            let at = format!("{name}:{line_no}");
            let (value, unverified) = if s.starts_with("eyJ") {
                (jwt_payload(s), true)
            } else {
                (serde_json::from_str::<Value>(s).ok(), false)
            };
            match value {
                Some(v) => match event_of(&v, at, unverified) {
                    Ok(ev) => out.events.push(ev),
                    Err(m) => out.malformed.push(m),
                },
                None => out.malformed.push(format!("{at}: not a JSON event or JWT")),
            }
        }
        line.clear();
        let n = r.read_line(&mut line).map_err(|e| format!("{name}: {e}"))?;
        if n == 0 {
            break;
        }
        line_no += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndjson_jwt_and_documents() {
        let created = r#"{"type":"user.created","event_id":"e1","timestamp":"2026-11-20T09:12:03+00:00","data":{"user":{"id":"kp_1","email":"a@example.com"}}}"#;
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
            r#"{"type":"user.authenticated","event_id":"e2","timestamp":"2026-11-20T09:14:00+00:00","data":{"user":{"id":"kp_1"}}}"#,
        );
        let text = format!("\n{created}\neyJhbGciOiJSUzI1NiJ9.{payload}.c2ln\nnot json\n");
        assert!(looks_like(created));
        let mut out = KindeRead::default();
        read("k.ndjson", text.as_bytes(), &mut out).unwrap();
        assert_eq!(out.events.len(), 2);
        assert_eq!(out.events[0].kind, Kind::Created);
        assert_eq!(out.events[0].email.as_deref(), Some("a@example.com"));
        assert_eq!(out.events[0].at, "k.ndjson:2");
        assert!(out.events[1].unverified);
        assert_eq!(out.malformed, vec!["k.ndjson:4: not a JSON event or JWT"]);
        let doc = format!("[\n{created}\n]\n");
        let mut out = KindeRead::default();
        read("k.json", doc.as_bytes(), &mut out).unwrap();
        assert_eq!(out.events.len(), 1);
    }
}
