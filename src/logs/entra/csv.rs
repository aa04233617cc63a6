//! Entra sign-ins as CSV: the Log Analytics export and the admin-center "Download → CSV" file,
//! columns matched by normalised name.

use super::{Code, build};
use crate::logs::cause::{Cause, Outcome, Source};
use crate::logs::csvrow::Row;
use crate::logs::event::{Event, parse_time};
use std::borrow::Cow;

/// Which Entra CSV layout a header row is, if any.
pub fn csv_kind(row_has: &dyn Fn(&str) -> bool) -> Option<&'static str> {
    if row_has("resulttype") && (row_has("userprincipalname") || row_has("timegenerated")) {
        Some("entra-loganalytics-csv")
    } else if row_has("date") && (row_has("sign-in error code") || row_has("request id")) {
        Some("entra-portal-csv")
    } else {
        None
    }
}

/// Parses one CSV row of either Entra layout (columns matched by normalised name).
pub fn parse_csv<'r>(row: &Row<'r>) -> Result<Event<'r>, String> {
    let explicit = row.get("status").and_then(portal_status);
    let code = row
        .get("resulttype")
        .or_else(|| row.get("sign-in error code"))
        .filter(|c| !c.trim().is_empty());
    let reason = row
        .get("failure reason")
        .or_else(|| row.get("resultdescription"))
        .filter(|r| !r.trim().is_empty())
        .map(Cow::Borrowed);
    let mut event = match (explicit, code) {
        (Some(Outcome::Success), _) => Event::new(Source::Entra, Outcome::Success),
        (Some(outcome), Some(code)) => {
            let mut e = build(Code::Str(Cow::Borrowed(code)), reason);
            e.outcome = outcome;
            e
        }
        (Some(outcome), None) => {
            let mut e = Event::new(Source::Entra, outcome);
            e.cause = Cause::Unknown;
            e.reason = reason;
            e
        }
        (None, Some(code)) => build(Code::Str(Cow::Borrowed(code)), reason),
        (None, None) => return Err("no ResultType / Sign-in error code / Status".into()),
    };
    event.time = ["createddatetime", "date", "timegenerated"]
        .iter()
        .filter_map(|k| row.get(k))
        .find_map(parse_time);
    event.user = row
        .get_any(&["userprincipalname", "username", "user"])
        .map(Cow::Borrowed);
    event.app = row
        .get_any(&["appdisplayname", "application", "appid", "application id"])
        .map(Cow::Borrowed);
    event.ip = row.get_any(&["ipaddress", "ip address"]).map(Cow::Borrowed);
    event.correlation_id = row
        .get_any(&["correlationid", "correlation id"])
        .map(Cow::Borrowed);
    Ok(event)
}

fn portal_status(s: &str) -> Option<Outcome> {
    match s.trim().to_ascii_lowercase().as_str() {
        "success" => Some(Outcome::Success),
        "failure" => Some(Outcome::Failure),
        "interrupted" => Some(Outcome::Interrupted),
        _ => None,
    }
}
