//! Kinde-side evidence: authentication webhook payloads (decoded JWT bodies), the events API
//! wrapper `{code, message, event:{…}}`, and users snapshots (`users.ndjson` export or a
//! `GET /api/v1/users` page) used only to turn a user id into an email.
//!
//! Kinde events carry a user id and an IP, no connection and no reason (kinde.md §3.2), so a
//! `user.authentication_failed` has cause `unknown` and the fix points at the join with IdP logs.

use super::cause::{Outcome, Source};
use super::event::{Event, non_empty, parse_time};
use super::kb;
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashMap;

#[derive(Debug, Deserialize)]
struct User<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    email: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
struct Data<'a> {
    #[serde(borrow)]
    user: Option<User<'a>>,
}

#[derive(Debug, Deserialize)]
struct Webhook<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    event_id: Option<Cow<'a, str>>,
    timestamp: Option<serde_json::Value>,
    #[serde(borrow)]
    ip_address: Option<Cow<'a, str>>,
    #[serde(borrow)]
    data: Option<Data<'a>>,
    /// Events API wrapper.
    #[serde(borrow)]
    event: Option<Box<Webhook<'a>>>,
}

/// True for a webhook payload or an events API response.
pub fn looks_like_event(keys: &[&str]) -> bool {
    (keys.contains(&"type") && keys.contains(&"event_id") && keys.contains(&"data"))
        || (keys.contains(&"event") && keys.contains(&"code"))
}

/// The JSON payload of a webhook request body sent as a JWT (`application/jwt`): the middle of
/// three base64url segments, decoded without checking the signature. Callers must say the
/// result is unverified (no `--kinde-jwks` verification is done yet).
pub fn jwt_payload(token: &[u8]) -> Result<Vec<u8>, String> {
    use base64::Engine;
    let token = token.trim_ascii();
    let mut parts = token.split(|&b| b == b'.');
    let (Some(header), Some(payload), Some(_sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("not a JWT (expected three dot-separated parts)".into());
    };
    if !header.starts_with(b"eyJ") {
        return Err("not a JWT (the header is not base64url JSON)".into());
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::URL_SAFE,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    engine
        .decode(payload)
        .map_err(|e| format!("JWT payload is not base64url: {e}"))
}

/// True for one user of a users export / users page.
pub fn looks_like_user(keys: &[&str], id: Option<&str>) -> bool {
    keys.contains(&"email") && id.is_some_and(|i| i.starts_with("kp_"))
}

/// Parses one Kinde event; Ok(None) for non-authentication types.
pub fn parse_json<'a>(
    bytes: &'a [u8],
    users: &HashMap<String, String>,
) -> Result<Option<Event<'a>>, String> {
    let mut hook: Webhook = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if let Some(inner) = hook.event.take() {
        hook = *inner;
    }
    let outcome = match hook.kind.as_deref() {
        Some("user.authenticated") => Outcome::Success,
        Some("user.authentication_failed") => Outcome::Failure,
        Some(_) => return Ok(None),
        None => return Err("Kinde event without `type`".into()),
    };
    let mut event = Event::new(Source::Kinde, outcome);
    // The events API types `timestamp` as an integer in places (seconds); accept both.
    event.time = match &hook.timestamp {
        Some(serde_json::Value::String(s)) => parse_time(s),
        Some(serde_json::Value::Number(n)) => n.as_i64().and_then(|s| s.checked_mul(1000)),
        _ => None,
    };
    let user_id = non_empty(hook.data.and_then(|d| d.user).and_then(|u| u.id));
    event.user = user_id.map(|id| match users.get(id.as_ref()) {
        Some(email) => Cow::Owned(email.clone()),
        None => id,
    });
    event.ip = non_empty(hook.ip_address);
    event.correlation_id = non_empty(hook.event_id);
    if outcome == Outcome::Failure {
        let code = "user.authentication_failed";
        event.cause = kb::cause_of(Source::Kinde, code);
        event.error_code = Some(Cow::Borrowed(code));
    }
    Ok(Some(event))
}

/// Adds one users-snapshot record to the id → email map (emails lowercased for matching).
pub fn add_user(bytes: &[u8], users: &mut HashMap<String, String>) -> Result<(), String> {
    let user: User = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if let (Some(id), Some(email)) = (non_empty(user.id), non_empty(user.email)) {
        users.insert(id.into_owned(), email.trim().to_lowercase());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::cause::Cause;

    #[test]
    fn webhook_and_events_api() {
        let mut users = HashMap::new();
        add_user(br#"{"id":"kp_1","email":"Hugo@Example.com"}"#, &mut users).unwrap();
        let failed = br#"{"data":{"user":{"id":"kp_1"}},"event_id":"event_1","ip_address":"198.51.100.7","source":"user","timestamp":"2026-11-20T09:21:30.662310+00:00","type":"user.authentication_failed"}"#;
        let e = parse_json(failed, &users).unwrap().unwrap();
        assert_eq!(e.outcome, Outcome::Failure);
        assert_eq!(e.cause, Cause::Unknown);
        assert_eq!(e.user.as_deref(), Some("hugo@example.com"));
        assert!(e.time.is_some());
        let api = br#"{"code":"OK","message":"ok","event":{"type":"user.authenticated","event_id":"e2","timestamp":1700000000,"data":{"user":{"id":"kp_2"}}}}"#;
        let e = parse_json(api, &users).unwrap().unwrap();
        assert_eq!(e.outcome, Outcome::Success);
        assert_eq!(e.user.as_deref(), Some("kp_2"));
        assert_eq!(e.time, Some(1_700_000_000_000));
        let created = br#"{"type":"user.created","event_id":"e3","data":{}}"#;
        assert!(parse_json(created, &users).unwrap().is_none());
    }
}
