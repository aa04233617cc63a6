//! AD FS events from `Get-WinEvent | Export-Csv` (rendered `Message` text) and from
//! `wevtutil qe /f:xml` (`EventData/Data` values). Both are reduced to a [`Raw`] record and then
//! mapped the same way: 364/320 by the first `MSISnnnn` in the exception, 411 by its
//! `<upn>-<reason>` string, the 1200 series by the `<AuditBase>` XML they carry.
//!
//! CSV `TimeCreated` is local time in the exporter's culture; it is read as US-format UTC
//! (assumption, stated in the README). XML `SystemTime` is UTC.

use super::cause::{Cause, Outcome, Source};
use super::csvrow::Row;
use super::event::{Event, parse_time};
use super::kb;
use crate::limits::Limits;
use crate::time::Millis;
use crate::xml::Document;
use regex::Regex;
use std::borrow::Cow;
use std::sync::OnceLock;

/// An AD FS event before mapping.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Raw {
    pub id: String,
    pub time: Option<Millis>,
    pub activity: Option<String>,
    /// Rendered message (CSV export).
    pub message: Option<String>,
    /// `EventData/Data` values in order (XML export).
    pub data: Vec<String>,
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("static regex"))
}

fn msis(text: &str) -> Option<String> {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"MSIS\d{4}")
        .find(text)
        .map(|m| m.as_str().to_string())
}

/// The value on the line after a `Label:` line in a rendered message.
fn labelled(text: &str, label: &str) -> Option<String> {
    let at = text.find(label)? + label.len();
    let rest = text[at..].trim_start_matches([' ', '\t']);
    let rest = rest
        .strip_prefix("\r\n")
        .or_else(|| rest.strip_prefix('\n'))
        .unwrap_or(rest);
    let line = rest.lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_string())
}

/// `<Tag>value</Tag>` inside the AuditBase XML (text form, escaped or not).
fn audit_tag(text: &str, tag: &str) -> Option<String> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = text.find(&open)? + open.len();
    let end = text[start..].find(&close)? + start;
    let v = text[start..end].trim();
    (!v.is_empty() && v != "N/A").then(|| v.to_string())
}

/// Splits 411's `"<upn>-<reason>"`; UPNs may contain `-`, so split before the reason phrase.
fn split_411(s: &str) -> (Option<String>, Option<String>) {
    let cut = s.find("-The ").or_else(|| s.rfind('-'));
    match cut {
        Some(i) => (
            Some(s[..i].trim().to_string()),
            Some(s[i + 1..].trim().to_string()),
        ),
        None => (None, Some(s.trim().to_string())),
    }
}

/// First line of an exception text, without the stack trace.
fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").trim().to_string()
}

/// Maps one raw event; None for events that are not sign-in outcomes (sign-out, service start).
pub fn build(raw: Raw) -> Option<Event<'static>> {
    let all_text = raw.message.clone().unwrap_or_else(|| raw.data.join("\n"));
    let data = |i: usize| {
        raw.data
            .get(i)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let msg = raw.message.as_deref();
    let mut e = match raw.id.as_str() {
        "1200" | "1202" => Event::new(Source::Adfs, Outcome::Success),
        "364" | "320" | "321" | "342" | "411" | "1201" | "1203" | "1210" | "324" | "516"
        | "315" | "316" | "381" | "102" => Event::new(Source::Adfs, Outcome::Failure),
        _ => return None,
    };
    e.time = raw.time;
    e.correlation_id = raw
        .activity
        .clone()
        .or_else(|| msg.and_then(|m| labelled(m, "Activity ID:")))
        .or_else(|| {
            if raw.id.starts_with("12") || raw.id == "411" {
                data(0)
            } else {
                None
            }
        })
        .map(|a| Cow::Owned(a.trim_matches(['{', '}']).to_ascii_lowercase()));
    // Relying party: 364 "Relying Party:", 320 "Message issuer:", 1200 series <RelyingParty>.
    e.app = msg
        .and_then(|m| {
            labelled(m, "Relying Party:").or_else(|| labelled_inline(m, "Message issuer:"))
        })
        .or_else(|| if raw.id == "364" { data(1) } else { None })
        .or_else(|| audit_tag(&all_text, "RelyingParty"))
        .map(Cow::Owned);
    e.user = audit_tag(&all_text, "UserId").map(Cow::Owned);
    e.ip = audit_tag(&all_text, "IpAddress")
        .or_else(|| msg.and_then(|m| labelled(m, "Client IP:")))
        .map(Cow::Owned);
    if e.outcome == Outcome::Success {
        return Some(e);
    }
    let mut code = msis(&all_text).unwrap_or_else(|| raw.id.clone());
    let mut reason = msg
        .and_then(|m| labelled(m, "Exception details:"))
        .or_else(|| {
            if raw.id == "364" {
                data(2).map(|d| first_line(&d))
            } else {
                None
            }
        });
    if raw.id == "411" {
        let text = msg
            .and_then(|m| labelled(m, "Error message:"))
            .or_else(|| data(2));
        if let Some(t) = text {
            let (user, why) = split_411(&t);
            e.user = e.user.or(user.map(Cow::Owned));
            reason = why;
        }
        e.ip = e.ip.or_else(|| data(4).map(Cow::Owned));
        code = "411".into();
    }
    if let Some(ft) = audit_tag(&all_text, "FailureType") {
        reason = Some(ft);
    }
    e.cause = kb::cause_of(Source::Adfs, &code);
    if reason
        .as_deref()
        .is_some_and(|r| r.to_ascii_lowercase().contains("locked out"))
    {
        e.cause = Cause::AccountState;
    }
    e.error_code = Some(Cow::Owned(code));
    e.reason = reason.map(Cow::Owned);
    Some(e)
}

/// `Label: value` on the same line.
fn labelled_inline(text: &str, label: &str) -> Option<String> {
    let at = text.find(label)? + label.len();
    let line = text[at..].lines().next()?.trim();
    (!line.is_empty()).then(|| line.to_string())
}

/// True when a CSV header row is a Get-WinEvent export.
pub fn csv_matches(has: &dyn Fn(&str) -> bool) -> bool {
    has("message") && has("id") && (has("timecreated") || has("providername"))
}

/// Reads one Get-WinEvent CSV row.
pub fn raw_from_csv(row: &Row<'_>) -> Result<Raw, String> {
    let id = row.get("id").ok_or("no Id column value")?.to_string();
    Ok(Raw {
        id,
        time: row.get("timecreated").and_then(parse_time),
        activity: row.get("activityid").map(str::to_string),
        message: row.get("message").map(str::to_string),
        data: Vec::new(),
    })
}

/// Parses one `<Event>` element of a wevtutil export with the crate's hardened XML reader.
pub fn raw_from_xml(bytes: &[u8]) -> Result<Raw, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "event is not UTF-8".to_string())?;
    let doc = Document::parse(text, &Limits::default()).map_err(|e| e.message.clone())?;
    let mut raw = Raw::default();
    for id in doc.descendants(doc.root) {
        let Some(el) = doc.element(id) else { continue };
        match el.local {
            "EventID" => raw.id = doc.text(id).trim().to_string(),
            "TimeCreated" => raw.time = doc.attr(id, "SystemTime").and_then(parse_time),
            "Correlation" => raw.activity = doc.attr(id, "ActivityID").map(str::to_string),
            "Data" => raw.data.push(doc.text(id)),
            _ => {}
        }
    }
    if raw.id.is_empty() {
        return Err("<Event> without <EventID>".into());
    }
    Ok(raw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_message_364_and_411() {
        let raw = Raw {
            id: "364".into(),
            message: Some("Encountered error during federation passive request. \n\nAdditional Data \n\nProtocol Name: \nSaml\n\nRelying Party: \nk1nd3acmeentity24\n\nException details: \nMicrosoft.IdentityServer.Web.InvalidScopeException: MSIS7007: The requested relying party trust is unspecified.\n   at X()".into()),
            activity: Some("3F1C".into()),
            ..Raw::default()
        };
        let e = build(raw).unwrap();
        assert_eq!(e.error_code.as_deref(), Some("MSIS7007"));
        assert_eq!(e.cause, Cause::EntityIdNotFound);
        assert_eq!(e.app.as_deref(), Some("k1nd3acmeentity24"));
        assert_eq!(e.correlation_id.as_deref(), Some("3f1c"));
        assert!(
            e.reason
                .unwrap()
                .starts_with("Microsoft.IdentityServer.Web.InvalidScopeException")
        );

        let raw = Raw {
            id: "411".into(),
            message: Some("Token validation failed. \n\nActivity ID: abc \n\nClient IP: \n198.51.100.77 \n\nError message: \npat-x@example.com-The user name or password is incorrect \n".into()),
            ..Raw::default()
        };
        let e = build(raw).unwrap();
        assert_eq!(e.user.as_deref(), Some("pat-x@example.com"));
        assert_eq!(e.ip.as_deref(), Some("198.51.100.77"));
        assert_eq!(e.cause, Cause::BadCredentials);
        assert_eq!(e.correlation_id.as_deref(), Some("abc"));
    }

    #[test]
    fn xml_events() {
        let xml = br#"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>1200</EventID><TimeCreated SystemTime='2026-05-14T10:05:00.1204477Z'/></System><EventData><Data>act-1</Data><Data>&lt;AuditBase&gt;&lt;AuditResult&gt;Success&lt;/AuditResult&gt;&lt;RelyingParty&gt;urn:kinde&lt;/RelyingParty&gt;&lt;UserId&gt;pat@example.com&lt;/UserId&gt;&lt;/AuditBase&gt;</Data></EventData></Event>"#;
        let e = build(raw_from_xml(xml).unwrap()).unwrap();
        assert_eq!(e.outcome, Outcome::Success);
        assert_eq!(e.app.as_deref(), Some("urn:kinde"));
        assert_eq!(e.user.as_deref(), Some("pat@example.com"));
        assert_eq!(e.correlation_id.as_deref(), Some("act-1"));
        let lock = br#"<Event><System><EventID>1210</EventID></System><EventData><Data>a</Data><Data>&lt;FailureType&gt;ExtranetLockoutError&lt;/FailureType&gt;</Data></EventData></Event>"#;
        let e = build(raw_from_xml(lock).unwrap()).unwrap();
        assert_eq!(e.cause, Cause::AccountState);
        assert_eq!(e.reason.as_deref(), Some("ExtranetLockoutError"));
        let signout = br#"<Event><System><EventID>1206</EventID></System></Event>"#;
        assert!(build(raw_from_xml(signout).unwrap()).is_none());
        assert!(raw_from_xml(b"<Event><System/></Event>").is_err());
        assert!(raw_from_xml(b"<Event><unclosed></Event>").is_err());
    }
}
