//! Okta System Log `LogEvent` objects (NDJSON or the JSON array `/api/v1/logs` returns), and
//! Event Hook deliveries (`{"eventType":"com.okta.event_hook","data":{"events":[…]}}`, the
//! request body Okta POSTs to a hook endpoint), whose `data.events` are the same `LogEvent`s.
//!
//! Only sign-in related event types become events; the rest (sign-out, assignment changes, …)
//! are skipped. The error code is the event type when the event type itself says what went wrong
//! (e.g. `app.generic.unauth_app_access_attempt`), otherwise the `outcome.reason` token
//! (`INVALID_CREDENTIALS`). Unknown `outcome.result` values never fail the parse.

use super::cause::{Cause, Outcome, Source};
use super::event::{Event, non_empty, parse_time};
use super::kb;
use serde::Deserialize;
use std::borrow::Cow;

/// Event types that are part of signing in (reference §1.4).
const SIGN_IN_TYPES: [&str; 13] = [
    "user.session.start",
    "policy.evaluate_sign_on",
    "user.authentication.sso",
    "user.authentication.auth_via_mfa",
    "user.authentication.verify",
    "app.generic.unauth_app_access_attempt",
    "application.policy.sign_on.deny_access",
    "user.account.lock",
    "user.account.lock.limit",
    "user.mfa.okta_verify.deny_push",
    "security.request.blocked",
    "system.org.rate_limit.violation",
    "system.client.rate_limit.violation",
];

#[derive(Debug, Deserialize)]
struct Actor<'a> {
    #[serde(rename = "alternateId", borrow)]
    alternate_id: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
struct Client<'a> {
    #[serde(rename = "ipAddress", borrow)]
    ip: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
struct OutcomeField<'a> {
    #[serde(borrow)]
    result: Option<Cow<'a, str>>,
    #[serde(borrow)]
    reason: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
struct Target<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(rename = "displayName", borrow)]
    display_name: Option<Cow<'a, str>>,
    #[serde(rename = "alternateId", borrow)]
    alternate_id: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
struct Transaction<'a> {
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
struct LogEvent<'a> {
    #[serde(borrow)]
    published: Option<Cow<'a, str>>,
    #[serde(rename = "eventType", borrow)]
    event_type: Cow<'a, str>,
    #[serde(borrow)]
    actor: Option<Actor<'a>>,
    #[serde(borrow)]
    client: Option<Client<'a>>,
    #[serde(borrow)]
    outcome: Option<OutcomeField<'a>>,
    #[serde(borrow)]
    target: Option<Vec<Target<'a>>>,
    #[serde(borrow)]
    transaction: Option<Transaction<'a>>,
    #[serde(rename = "displayMessage", borrow)]
    display_message: Option<Cow<'a, str>>,
}

/// True when a JSON object's keys look like an Okta `LogEvent` or an Event Hook delivery.
pub fn looks_like(keys: &[&str]) -> bool {
    let has = |k: &str| keys.contains(&k);
    has("eventType")
        && (has("published")
            || has("outcome")
            || (has("data") && (has("eventTime") || has("cloudEventsVersion"))))
}

/// True for every `user.authentication.*` type (SSO, MFA, `auth_via_IDP`, `auth_via_social`,
/// `auth_via_radius`, … when Okta sits behind another IdP) and the other sign-in types.
fn is_sign_in(event_type: &str) -> bool {
    event_type.starts_with("user.authentication.") || SIGN_IN_TYPES.contains(&event_type)
}

/// What one `LogEvent` gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Read<'a> {
    Event(Event<'a>),
    /// Not a sign-in outcome; the event type, for the per-type skipped counts.
    Skipped(Cow<'a, str>),
}

#[derive(Debug, Deserialize)]
struct HookData<'a> {
    #[serde(borrow, default)]
    events: Vec<LogEvent<'a>>,
}

#[derive(Debug, Deserialize)]
struct Hook<'a> {
    #[serde(borrow)]
    data: Option<HookData<'a>>,
}

/// Parses one Okta record: a `LogEvent` (one result) or an Event Hook delivery (one per event).
pub fn parse_record(bytes: &[u8]) -> Result<Vec<Read<'_>>, String> {
    if memchr::memmem::find(bytes, b"com.okta.event_hook").is_some() {
        let hook: Hook = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        let events = hook
            .data
            .ok_or("Event Hook delivery without `data.events`")?
            .events;
        return events.into_iter().map(from_log_event).collect();
    }
    let ev: LogEvent = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    Ok(vec![from_log_event(ev)?])
}

fn outcome_of(result: &str) -> Option<Outcome> {
    match result {
        "SUCCESS" | "ALLOW" => Some(Outcome::Success),
        "CHALLENGE" => Some(Outcome::Interrupted),
        "FAILURE" | "DENY" | "RATE_LIMIT" | "ABANDONED" | "UNANSWERED" => Some(Outcome::Failure),
        // SKIPPED, UNKNOWN, DEFERRED, SCHEDULED and future values say nothing about sign-in.
        _ => None,
    }
}

/// A reason is a code when it is an UPPER_SNAKE token; free text stays in `reason` only.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b == b'_' || b.is_ascii_digit())
}

/// Parses one `LogEvent`; Ok(None) when it is not a sign-in event.
pub fn parse_json(bytes: &[u8]) -> Result<Option<Event<'_>>, String> {
    let ev: LogEvent = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    Ok(match from_log_event(ev)? {
        Read::Event(e) => Some(e),
        Read::Skipped(_) => None,
    })
}

fn from_log_event(ev: LogEvent<'_>) -> Result<Read<'_>, String> {
    if !is_sign_in(&ev.event_type) {
        return Ok(Read::Skipped(ev.event_type));
    }
    let (result, reason) = ev.outcome.map_or((None, None), |o| (o.result, o.reason));
    let Some(outcome) = result.as_deref().and_then(outcome_of) else {
        return Ok(Read::Skipped(ev.event_type));
    };
    let mut event = Event::new(Source::Okta, outcome);
    event.time = ev.published.as_deref().and_then(parse_time);
    let mut targets = ev.target.unwrap_or_default();
    let app_pos = targets
        .iter()
        .position(|t| t.kind.as_deref() == Some("AppInstance"));
    let user_pos = targets
        .iter()
        .position(|t| t.kind.as_deref() == Some("AppUser"));
    let app_user = user_pos.and_then(|i| targets[i].alternate_id.take());
    event.app = app_pos.and_then(|i| {
        let t = &mut targets[i];
        non_empty(t.display_name.take()).or(non_empty(t.alternate_id.take()))
    });
    event.user = non_empty(ev.actor.and_then(|a| a.alternate_id)).or(non_empty(app_user));
    event.ip = non_empty(ev.client.and_then(|c| c.ip));
    event.correlation_id = non_empty(ev.transaction.and_then(|t| t.id));
    let reason = non_empty(reason);
    if outcome != Outcome::Success {
        let by_type = kb::lookup(Source::Okta, &ev.event_type).is_some();
        let code: Cow<str> = match &reason {
            Some(r) if !by_type && is_token(r) => r.clone(),
            _ => ev.event_type.clone(),
        };
        event.cause = match outcome {
            Outcome::Interrupted => Cause::InterruptNotFailure,
            _ => kb::cause_of(Source::Okta, &code),
        };
        event.error_code = Some(code);
        event.reason = reason.or(non_empty(ev.display_message));
    }
    Ok(Read::Event(event))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t: &str, result: &str, reason: &str) -> String {
        format!(
            r#"{{"published":"2026-05-14T08:00:01.101Z","eventType":"{t}","actor":{{"alternateId":"alice@example.com"}},"client":{{"ipAddress":"203.0.113.10"}},"outcome":{{"result":"{result}","reason":{reason}}},"target":[{{"type":"AppUser","alternateId":"a"}},{{"type":"AppInstance","displayName":"Kinde (Acme)"}}],"transaction":{{"id":"tx1"}}}}"#
        )
    }

    #[test]
    fn maps_reasons_and_event_types() {
        let line = ev("user.session.start", "FAILURE", "\"INVALID_CREDENTIALS\"");
        let e = parse_json(line.as_bytes()).unwrap().unwrap();
        assert_eq!(e.error_code.as_deref(), Some("INVALID_CREDENTIALS"));
        assert_eq!(e.cause, Cause::BadCredentials);
        assert_eq!(e.app.as_deref(), Some("Kinde (Acme)"));
        assert_eq!(e.correlation_id.as_deref(), Some("tx1"));

        let line = ev("app.generic.unauth_app_access_attempt", "FAILURE", "null");
        let e = parse_json(line.as_bytes()).unwrap().unwrap();
        assert_eq!(e.cause, Cause::UserNotAssigned);

        let line = ev(
            "user.authentication.auth_via_mfa",
            "FAILURE",
            "\"INVALID_CREDENTIALS\"",
        );
        let e = parse_json(line.as_bytes()).unwrap().unwrap();
        assert_eq!(e.cause, Cause::MfaOrConditionalAccess);
        assert_eq!(e.reason.as_deref(), Some("INVALID_CREDENTIALS"));

        let line = ev(
            "policy.evaluate_sign_on",
            "CHALLENGE",
            "\"Sign-on policy evaluation resulted in CHALLENGE\"",
        );
        let e = parse_json(line.as_bytes()).unwrap().unwrap();
        assert_eq!(e.outcome, Outcome::Interrupted);

        let line = ev("user.authentication.sso", "SUCCESS", "null");
        assert_eq!(
            parse_json(line.as_bytes()).unwrap().unwrap().outcome,
            Outcome::Success
        );
    }

    #[test]
    fn event_hook_deliveries_and_idp_types() {
        let inner = [
            ev(
                "user.authentication.auth_via_IDP",
                "FAILURE",
                "\"INVALID_CREDENTIALS\"",
            ),
            ev("user.authentication.auth_via_social", "SUCCESS", "null"),
            ev("user.session.end", "SUCCESS", "null"),
        ]
        .join(",");
        let hook = format!(
            r#"{{"eventType":"com.okta.event_hook","eventTypeVersion":"1.0","cloudEventsVersion":"0.1","source":"https://example.okta.com/api/v1/eventHooks/who","eventId":"e1","data":{{"events":[{inner}]}},"eventTime":"2026-05-14T08:00:02.000Z","contentType":"application/json"}}"#
        );
        let keys = ["eventType", "eventTypeVersion", "data", "eventTime"];
        assert!(looks_like(&keys));
        let got = parse_record(hook.as_bytes()).unwrap();
        assert_eq!(got.len(), 3);
        let Read::Event(e) = &got[0] else {
            panic!("{got:?}")
        };
        assert_eq!(e.error_code.as_deref(), Some("INVALID_CREDENTIALS"));
        assert!(matches!(&got[1], Read::Event(e) if e.outcome == Outcome::Success));
        assert_eq!(got[2], Read::Skipped("user.session.end".into()));
        assert!(parse_record(br#"{"eventType":"com.okta.event_hook"}"#).is_err());
    }

    #[test]
    fn skips_non_sign_in_events() {
        let line = ev("user.session.end", "SUCCESS", "null");
        assert!(parse_json(line.as_bytes()).unwrap().is_none());
        let line = ev("user.session.start", "SKIPPED", "null");
        assert!(parse_json(line.as_bytes()).unwrap().is_none());
        assert!(parse_json(b"{\"eventType\":1}").is_err());
    }
}
