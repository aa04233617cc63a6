//! Google Workspace Admin SDK Reports API activities of the `saml` and `login` applications: one
//! activity per `items[]` element or NDJSON line. `events` may be an array (the API) or a single
//! object (collectors that split activities), so both are accepted. `login_success` /
//! `login_failure` become events (and `login_challenge`, an interrupt, for `login`); the error
//! code is the `failure_type` parameter (`saml`) or `login_failure_type` (`login`), with
//! `login_challenge_method` kept as the reason. Only the fields used are read, and leniently
//! ([`Lenient`]): `uniqueQualifier` as a number, a `multiValue` parameter or any other field of
//! an unexpected type never makes the activity malformed.

use super::cause::{Cause, Outcome, Source};
use super::event::{Event, Lenient, non_empty, parse_time};
use super::kb;
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Debug, Deserialize)]
struct Id<'a> {
    #[serde(borrow, default)]
    time: Lenient<'a>,
    #[serde(rename = "uniqueQualifier", borrow, default)]
    unique: Lenient<'a>,
}

#[derive(Debug, Deserialize)]
struct Actor<'a> {
    #[serde(borrow, default)]
    email: Lenient<'a>,
}

#[derive(Debug, Deserialize)]
struct Param<'a> {
    #[serde(borrow, default)]
    name: Lenient<'a>,
    #[serde(borrow, default)]
    value: Lenient<'a>,
    /// `login_challenge_method` and other list-valued parameters.
    #[serde(rename = "multiValue", borrow, default)]
    multi: Option<Vec<Lenient<'a>>>,
}

#[derive(Debug, Deserialize)]
struct GEvent<'a> {
    #[serde(borrow, default)]
    name: Lenient<'a>,
    #[serde(borrow, default)]
    parameters: Option<Vec<Param<'a>>>,
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
    #[serde(rename = "ipAddress", borrow, default)]
    ip: Lenient<'a>,
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
    let (time, unique) = act.id.map_or((None, None), |i| (i.time.0, i.unique.0));
    let millis = time.as_deref().and_then(parse_time);
    let user = non_empty(act.actor.and_then(|a| a.email.0));
    let ip = non_empty(act.ip.0);
    // Google documents id.time + uniqueQualifier as the activity's identity.
    let correlation = unique.map(|u| match &time {
        Some(t) => Cow::Owned(format!("{t}/{u}")),
        None => u,
    });
    let mut out = Vec::with_capacity(events.len());
    for ev in events {
        let outcome = match ev.name.0.as_deref() {
            Some("login_success") => Outcome::Success,
            Some("login_failure") => Outcome::Failure,
            // `login` application: a second-factor or verification step, not a failure.
            Some("login_challenge") => Outcome::Interrupted,
            _ => continue,
        };
        let mut event = Event::new(Source::Google, outcome);
        event.time = millis;
        event.user = user.clone();
        event.ip = ip.clone();
        event.correlation_id = correlation.clone();
        let mut failure = None;
        let mut methods: Vec<Cow<str>> = Vec::new();
        for p in ev.parameters.unwrap_or_default() {
            match p.name.0.as_deref() {
                Some("application_name") => event.app = non_empty(p.value.0),
                Some("failure_type" | "login_failure_type") => failure = non_empty(p.value.0),
                Some("login_challenge_method") => {
                    let values = p.multi.unwrap_or_default().into_iter().map(|v| v.0);
                    methods.extend(values.chain([p.value.0]).flatten());
                }
                _ => {}
            }
        }
        if !methods.is_empty() {
            event.reason = Some(Cow::Owned(format!("challenge: {}", methods.join(", "))));
        }
        match outcome {
            Outcome::Failure => {
                let code = failure.unwrap_or(Cow::Borrowed("failure_unknown"));
                event.cause = kb::cause_of(Source::Google, &code);
                if event.cause == Cause::InterruptNotFailure {
                    event.outcome = Outcome::Interrupted;
                }
                event.error_code = Some(code);
            }
            Outcome::Interrupted => {
                event.cause = Cause::InterruptNotFailure;
                event.error_code = Some(Cow::Borrowed("login_challenge"));
            }
            Outcome::Success => {}
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

    #[test]
    fn login_application_failures_and_odd_types() {
        let line = br#"{"kind":"admin#reports#activity","id":{"time":"2026-05-14T09:05:00.000Z","uniqueQualifier":-5512,"applicationName":"login","customerId":"C0"},"actor":{"email":"mo@example.com","profileId":12},"ipAddress":"203.0.113.110","events":[{"type":"login","name":"login_failure","parameters":[{"name":"login_type","value":"google_password"},{"name":"login_challenge_method","multiValue":["password","totp"]},{"name":"login_failure_type","value":"login_failure_invalid_password"},{"name":"is_suspicious","boolValue":false}]}]}"#;
        let v = parse_json(line).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(
            v[0].error_code.as_deref(),
            Some("login_failure_invalid_password")
        );
        assert_eq!(v[0].cause, Cause::BadCredentials);
        assert_eq!(v[0].reason.as_deref(), Some("challenge: password, totp"));
        assert_eq!(
            v[0].correlation_id.as_deref(),
            Some("2026-05-14T09:05:00.000Z/-5512")
        );
        let challenge = br#"{"id":{"time":"2026-05-14T09:05:00Z"},"events":[{"name":"login_challenge","parameters":[{"name":"login_challenge_method","value":"idv_preregistered_phone"}]},{"name":"logout"}]}"#;
        let v = parse_json(challenge).unwrap();
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].outcome, Outcome::Interrupted);
    }
}
