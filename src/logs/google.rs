//! Google Workspace Admin SDK Reports API `saml` activities: one activity per `items[]` element or
//! NDJSON line. `events` may be an array (the API) or a single object (collectors that split
//! activities), so both are accepted. `login_success` / `login_failure` become events; the
//! `failure_type` parameter is the error code.

use super::cause::{Cause, Outcome, Source};
use super::event::{Event, non_empty, parse_time};
use super::kb;
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Debug, Deserialize)]
struct Id<'a> {
    #[serde(borrow)]
    time: Option<Cow<'a, str>>,
    #[serde(rename = "uniqueQualifier", borrow)]
    unique: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
struct Actor<'a> {
    #[serde(borrow)]
    email: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
struct Param<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    value: Option<Cow<'a, str>>,
}

#[derive(Debug, Deserialize)]
struct GEvent<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    parameters: Vec<Param<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Events<'a> {
    #[serde(borrow)]
    Many(Vec<GEvent<'a>>),
    #[serde(borrow)]
    One(GEvent<'a>),
}

#[derive(Debug, Deserialize)]
struct Activity<'a> {
    #[serde(borrow)]
    id: Option<Id<'a>>,
    #[serde(borrow)]
    actor: Option<Actor<'a>>,
    #[serde(rename = "ipAddress", borrow)]
    ip: Option<Cow<'a, str>>,
    #[serde(borrow)]
    events: Option<Events<'a>>,
}

/// True when a JSON object's keys look like a Reports API activity.
pub fn looks_like(keys: &[&str]) -> bool {
    keys.contains(&"events") && (keys.contains(&"id") || keys.contains(&"kind"))
}

/// Parses one activity into its login events (usually one).
pub fn parse_json(bytes: &[u8]) -> Result<Vec<Event<'_>>, String> {
    let act: Activity = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let events = match act.events {
        Some(Events::Many(v)) => v,
        Some(Events::One(e)) => vec![e],
        None => return Err("activity has no events".into()),
    };
    let (time, unique) = act.id.map_or((None, None), |i| (i.time, i.unique));
    let millis = time.as_deref().and_then(parse_time);
    let user = non_empty(act.actor.and_then(|a| a.email));
    let ip = non_empty(act.ip);
    // Google documents id.time + uniqueQualifier as the activity's identity.
    let correlation = unique.map(|u| match &time {
        Some(t) => Cow::Owned(format!("{t}/{u}")),
        None => u,
    });
    let mut out = Vec::with_capacity(events.len());
    for ev in events {
        let outcome = match ev.name.as_deref() {
            Some("login_success") => Outcome::Success,
            Some("login_failure") => Outcome::Failure,
            _ => continue,
        };
        let mut event = Event::new(Source::Google, outcome);
        event.time = millis;
        event.user = user.clone();
        event.ip = ip.clone();
        event.correlation_id = correlation.clone();
        let mut failure = None;
        for p in ev.parameters {
            match p.name.as_ref() {
                "application_name" => event.app = non_empty(p.value),
                "failure_type" => failure = non_empty(p.value),
                _ => {}
            }
        }
        if outcome == Outcome::Failure {
            let code = failure.unwrap_or(Cow::Borrowed("failure_unknown"));
            event.cause = kb::cause_of(Source::Google, &code);
            if event.cause == Cause::InterruptNotFailure {
                event.outcome = Outcome::Interrupted;
            }
            event.error_code = Some(code);
        }
        out.push(event);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_and_object_events() {
        let line = br#"{"kind":"admin#reports#activity","id":{"time":"2026-05-14T09:05:00.000Z","uniqueQualifier":"-55"},"actor":{"email":"mo@example.com"},"ipAddress":"203.0.113.110","events":[{"type":"login","name":"login_failure","parameters":[{"name":"application_name","value":"Kinde (Acme)"},{"name":"failure_type","value":"failure_app_not_enabled_for_user"}]}]}"#;
        let v = parse_json(line).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].cause, Cause::UserNotAssigned);
        assert_eq!(v[0].app.as_deref(), Some("Kinde (Acme)"));
        assert_eq!(
            v[0].correlation_id.as_deref(),
            Some("2026-05-14T09:05:00.000Z/-55")
        );
        let one = br#"{"id":{"time":"2026-05-14T09:05:00Z"},"events":{"name":"login_failure","parameters":[{"name":"failure_type","value":"failure_no_passive"}]}}"#;
        let v = parse_json(one).unwrap();
        assert_eq!(v[0].outcome, Outcome::Interrupted);
        let ok = br#"{"id":{},"events":[{"name":"login_success"},{"name":"other"}]}"#;
        assert_eq!(parse_json(ok).unwrap().len(), 1);
        assert!(parse_json(br#"{"id":{}}"#).is_err());
    }
}
