//! Entra sign-ins as JSON: Graph `signIn` objects (with a fast path for the plain shape),
//! diagnostic-settings storage lines (`resultType` + `properties`) and Log Analytics rows.

use super::{Code, build};
use crate::logs::cause::{Outcome, Source};
use crate::logs::event::{Event, non_empty, parse_time};
use crate::logs::fastjson;
use serde::Deserialize;
use std::borrow::Cow;

#[derive(Debug, Deserialize)]
struct Status<'a> {
    /// `ErrorCode` / `FailureReason`: the PowerShell SDK's objects through `ConvertTo-Json`.
    #[serde(rename = "errorCode", alias = "ErrorCode")]
    error_code: Option<Code<'a>>,
    #[serde(rename = "failureReason", alias = "FailureReason", borrow)]
    failure_reason: Option<Cow<'a, str>>,
}

/// `Status` in Log Analytics exports: an object, or the same object as JSON text.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum LaStatus<'a> {
    Obj(Status<'a>),
    #[serde(borrow)]
    Text(Cow<'a, str>),
}

/// Graph camelCase, storage wrapper and Log Analytics PascalCase fields in one tolerant struct.
/// Separate fields (not serde aliases) because LA rows carry both `TimeGenerated` and
/// `CreatedDateTime`, which aliases would reject as duplicates.
#[derive(Debug, Default, Deserialize)]
struct Record<'a> {
    #[serde(rename = "createdDateTime", borrow)]
    created: Option<Cow<'a, str>>,
    #[serde(rename = "userPrincipalName", borrow)]
    upn: Option<Cow<'a, str>>,
    #[serde(rename = "userDisplayName", borrow)]
    display_name: Option<Cow<'a, str>>,
    #[serde(rename = "appDisplayName", borrow)]
    app_name: Option<Cow<'a, str>>,
    #[serde(rename = "appId", borrow)]
    app_id: Option<Cow<'a, str>>,
    #[serde(rename = "ipAddress", borrow)]
    ip: Option<Cow<'a, str>>,
    #[serde(rename = "correlationId", borrow)]
    correlation: Option<Cow<'a, str>>,
    #[serde(borrow)]
    status: Option<Status<'a>>,
    // Diagnostic-settings storage wrapper.
    #[serde(borrow)]
    time: Option<Cow<'a, str>>,
    #[serde(rename = "resultType", borrow)]
    result_type: Option<Code<'a>>,
    #[serde(rename = "resultDescription", borrow)]
    result_description: Option<Cow<'a, str>>,
    #[serde(rename = "callerIpAddress", borrow)]
    caller_ip: Option<Cow<'a, str>>,
    #[serde(borrow)]
    properties: Option<Box<Record<'a>>>,
    // Log Analytics SigninLogs (PascalCase).
    #[serde(rename = "CreatedDateTime", borrow)]
    la_created: Option<Cow<'a, str>>,
    #[serde(rename = "TimeGenerated", borrow)]
    la_time: Option<Cow<'a, str>>,
    #[serde(rename = "UserPrincipalName", borrow)]
    la_upn: Option<Cow<'a, str>>,
    #[serde(rename = "AppDisplayName", borrow)]
    la_app: Option<Cow<'a, str>>,
    #[serde(rename = "IPAddress", borrow)]
    la_ip: Option<Cow<'a, str>>,
    #[serde(rename = "CorrelationId", borrow)]
    la_correlation: Option<Cow<'a, str>>,
    #[serde(rename = "ResultType", borrow)]
    la_result_type: Option<Code<'a>>,
    #[serde(rename = "ResultDescription", borrow)]
    la_result_description: Option<Cow<'a, str>>,
    #[serde(rename = "Status", borrow)]
    la_status: Option<LaStatus<'a>>,
    /// Diagnostic settings (Azure Monitor, storage): `SignInLogs`, `NonInteractiveUserSignInLogs`…
    #[serde(borrow)]
    category: Option<Cow<'a, str>>,
    /// Log Analytics: the table, `SigninLogs`, `AADNonInteractiveUserSignInLogs`…
    #[serde(rename = "Type", borrow)]
    la_type: Option<Cow<'a, str>>,
}

/// Parses one JSON sign-in record.
pub fn parse_json(bytes: &[u8]) -> Result<Event<'_>, String> {
    if let Some(rec) = scan_graph(bytes) {
        return from_record(rec);
    }
    let rec: Record = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    from_record(rec)
}

/// Fast path for plain Graph `signIn` objects: pick the eight fields we use without validating
/// the other forty, and stop once all eight are found (Graph writes them before the large nested
/// objects). Returns None (use serde) for any other shape or anything surprising, so both paths
/// yield the same event for every well-formed input the fast path accepts.
fn scan_graph(bytes: &[u8]) -> Option<Record<'_>> {
    const WANTED: u32 = 8;
    let mut rec = Record::default();
    let mut status = None;
    let mut ok = true;
    let mut found = 0;
    fastjson::members(bytes, |key, raw| {
        if !ok {
            return false;
        }
        let slot = match key {
            b"createdDateTime" => &mut rec.created,
            b"userPrincipalName" => &mut rec.upn,
            b"userDisplayName" => &mut rec.display_name,
            b"appDisplayName" => &mut rec.app_name,
            b"appId" => &mut rec.app_id,
            b"ipAddress" => &mut rec.ip,
            b"correlationId" => &mut rec.correlation,
            b"status" => {
                ok = status.is_none();
                status = Some(raw);
                found += 1;
                return ok && found < WANTED;
            }
            b"time" | b"resultType" | b"resultDescription" | b"callerIpAddress" | b"properties"
            | b"CreatedDateTime" | b"TimeGenerated" | b"UserPrincipalName" | b"AppDisplayName"
            | b"IPAddress" | b"CorrelationId" | b"ResultType" | b"ResultDescription"
            | b"Status" | b"category" | b"Type" => {
                ok = false;
                return false;
            }
            _ => return true,
        };
        match fastjson::string(raw) {
            // A duplicate key goes to serde, which rejects it.
            Some(v) if slot.is_none() => *slot = v,
            _ => ok = false,
        }
        found += 1;
        ok && found < WANTED
    })?;
    if !ok {
        return None;
    }
    rec.status = serde_json::from_slice::<Option<Status>>(status?).ok()?;
    Some(rec)
}

fn from_record(rec: Record<'_>) -> Result<Event<'_>, String> {
    let Record {
        created,
        upn,
        display_name,
        app_name,
        app_id,
        ip,
        correlation,
        status,
        time,
        result_type,
        result_description,
        caller_ip,
        properties,
        la_created,
        la_time,
        la_upn,
        la_app,
        la_ip,
        la_correlation,
        la_result_type,
        la_result_description,
        la_status,
        category,
        la_type,
    } = rec;
    // The storage wrapper's `properties` holds the full signIn; take it and fill gaps from
    // the wrapper fields.
    let inner = properties
        .map(|p| from_record(*p))
        .transpose()
        .ok()
        .flatten();
    let (status_code, status_reason) = match status {
        Some(s) => (s.error_code, s.failure_reason),
        None => match la_status {
            Some(LaStatus::Obj(s)) => (s.error_code, s.failure_reason),
            Some(LaStatus::Text(t)) => parse_status_text(&t),
            None => (None, None),
        },
    };
    let code = result_type.or(la_result_type).or(status_code);
    let reason = non_empty(status_reason)
        .or(non_empty(result_description))
        .or(non_empty(la_result_description));
    let mut event = match (code, inner.as_ref()) {
        (Some(code), _) => build(code, reason),
        (None, Some(_)) => Event::new(Source::Entra, Outcome::Success),
        (None, None) => return Err("no status.errorCode / resultType".into()),
    };
    event.time = [created, la_created, time, la_time]
        .into_iter()
        .flatten()
        .find_map(|t| parse_time(&t));
    event.user = non_empty(upn)
        .or(non_empty(la_upn))
        .or(non_empty(display_name));
    event.app = non_empty(app_name)
        .or(non_empty(la_app))
        .or(non_empty(app_id));
    event.ip = non_empty(ip).or(non_empty(la_ip)).or(non_empty(caller_ip));
    event.correlation_id = non_empty(correlation).or(non_empty(la_correlation));
    event.category = non_empty(category)
        .or(non_empty(la_type))
        .map(|c| Cow::Borrowed(super::category_name(&c)));
    if let Some(inner) = inner {
        event = merge_inner(event, inner);
    }
    Ok(event)
}

/// Prefers the inner signIn's values (they are the richer record) over the wrapper's.
fn merge_inner<'a>(outer: Event<'a>, inner: Event<'a>) -> Event<'a> {
    let keep_outer_code = outer.error_code.is_some() && inner.error_code.is_none();
    let (outcome, cause) = if keep_outer_code {
        (outer.outcome, outer.cause)
    } else {
        (inner.outcome, inner.cause)
    };
    Event {
        time: inner.time.or(outer.time),
        source: Source::Entra,
        user: inner.user.or(outer.user),
        app: inner.app.or(outer.app),
        ip: inner.ip.or(outer.ip),
        correlation_id: inner.correlation_id.or(outer.correlation_id),
        category: outer.category.or(inner.category),
        outcome,
        error_code: if keep_outer_code {
            outer.error_code
        } else {
            inner.error_code
        },
        reason: inner.reason.or(outer.reason),
        cause,
    }
}

fn parse_status_text(text: &str) -> (Option<Code<'static>>, Option<Cow<'static, str>>) {
    match serde_json::from_str::<Status>(text) {
        Ok(s) => (
            s.error_code.map(|c| match c {
                Code::Num(n) => Code::Num(n),
                Code::Str(s) => Code::Str(Cow::Owned(s.into_owned())),
            }),
            s.failure_reason.map(|r| Cow::Owned(r.into_owned())),
        ),
        Err(_) => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::cause::Cause;

    #[test]
    fn graph_failure_maps_code_and_fields() {
        let line = br#"{"createdDateTime":"2025-11-03T09:00:35.0185198Z","userPrincipalName":"a@example.com","appDisplayName":"Kinde","ipAddress":"203.0.113.1","correlationId":"c1","status":{"errorCode":50011,"failureReason":"reply url"}}"#;
        let e = parse_json(line).unwrap();
        assert_eq!(e.outcome, Outcome::Failure);
        assert_eq!(e.error_code.as_deref(), Some("50011"));
        assert_eq!(e.cause, Cause::AcsUrlMismatch);
        assert_eq!(e.user.as_deref(), Some("a@example.com"));
        assert_eq!(e.reason.as_deref(), Some("reply url"));
        assert!(e.time.is_some());
    }

    #[test]
    fn success_interrupt_and_unknown() {
        let ok =
            parse_json(br#"{"createdDateTime":"2025-11-03T09:00:35Z","status":{"errorCode":0}}"#)
                .unwrap();
        assert_eq!((ok.outcome, ok.cause), (Outcome::Success, Cause::NoFailure));
        let int = parse_json(br#"{"createdDateTime":"x","status":{"errorCode":50140}}"#).unwrap();
        assert_eq!(int.outcome, Outcome::Interrupted);
        assert_eq!(int.time, None);
        let unk = parse_json(br#"{"createdDateTime":"x","status":{"errorCode":4242}}"#).unwrap();
        assert_eq!(unk.cause, Cause::Unknown);
        assert!(parse_json(br#"{"createdDateTime":"x"}"#).is_err());
        assert!(parse_json(b"{not json").is_err());
    }

    #[test]
    fn storage_wrapper_and_log_analytics_json() {
        let storage = br#"{"time":"2025-11-03T09:00:35Z","resultType":"50105","callerIpAddress":"198.51.100.2","properties":{"createdDateTime":"2025-11-03T09:00:35+00:00","userPrincipalName":"b@example.com","appDisplayName":"Kinde","status":{"errorCode":50105}}}"#;
        let e = parse_json(storage).unwrap();
        assert_eq!(e.cause, Cause::UserNotAssigned);
        assert_eq!(e.ip.as_deref(), Some("198.51.100.2"));
        assert_eq!(e.user.as_deref(), Some("b@example.com"));
        let la = br#"{"TimeGenerated":"2025-11-03T09:00:35Z","CreatedDateTime":"2025-11-03T09:00:30Z","UserPrincipalName":"c@example.com","ResultType":"50126","Status":"{\"errorCode\":50126,\"failureReason\":\"bad pw\"}"}"#;
        let e = parse_json(la).unwrap();
        assert_eq!(e.cause, Cause::BadCredentials);
        assert_eq!(e.reason.as_deref(), Some("bad pw"));
        assert_eq!(e.time, parse_time("2025-11-03T09:00:30Z"));
    }

    #[test]
    fn fast_path_matches_serde_on_fixtures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/logs");
        let mut fast = 0;
        for file in [
            "entra/graph-beta.ndjson",
            "entra/storage-PT1H.json",
            "malformed/entra-bad-lines.ndjson",
        ] {
            let text = std::fs::read(root.join(file)).unwrap();
            for line in text.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
                let slow = serde_json::from_slice::<Record>(line)
                    .map_err(|e| e.to_string())
                    .and_then(from_record);
                if let Some(rec) = scan_graph(line) {
                    fast += 1;
                    assert_eq!(from_record(rec), slow, "{}", String::from_utf8_lossy(line));
                }
            }
        }
        assert!(fast >= 10, "fast path used {fast} times");
        // Escaped keys, duplicate fields and odd types all go to serde.
        assert!(scan_graph(br#"{"\u0063reatedDateTime":"x","status":{"errorCode":0}}"#).is_none());
        assert!(scan_graph(br#"{"appId":1,"status":{"errorCode":0}}"#).is_none());
        assert!(scan_graph(br#"{"appId":"a","appId":"b","status":{"errorCode":0}}"#).is_none());
        assert!(scan_graph(br#"{"appId":"a"}"#).is_none());
    }
}
