//! AD FS events forwarded as JSON: Winlogbeat / Elastic Agent (ECS: `@timestamp`, `message`,
//! `winlog.event_id`, `winlog.provider_name`, `winlog.activity_id`, `winlog.event_data`) and
//! NXLog `im_msvistalog` + `to_json()` (`EventTime`, `EventID`, `SourceName`, `Message`,
//! `ActivityID`). Both become the same [`Raw`] record the CSV and XML exports give, so the
//! mapping in [`super::adfs::build`] is shared.
//!
//! Only the fields used are read, leniently ([`Lenient`]): Winlogbeat writes `event_id` as a
//! string in current versions and as a number in older ones. NXLog's `EventTime` is the
//! forwarder's local time without a zone; it is read as UTC (same assumption as the CSV export).

use super::adfs::Raw;
use super::event::{Lenient, parse_time};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
struct Winlog<'a> {
    #[serde(borrow, default)]
    event_id: Lenient<'a>,
    #[serde(borrow, default)]
    provider_name: Lenient<'a>,
    #[serde(borrow, default)]
    channel: Lenient<'a>,
    #[serde(borrow, default)]
    activity_id: Lenient<'a>,
    #[serde(borrow, default)]
    event_data: Option<BTreeMap<String, Lenient<'a>>>,
}

#[derive(Debug, Deserialize)]
struct Forwarded<'a> {
    // Winlogbeat / ECS.
    #[serde(rename = "@timestamp", borrow, default)]
    timestamp: Lenient<'a>,
    #[serde(borrow, default)]
    message: Lenient<'a>,
    #[serde(borrow)]
    winlog: Option<Winlog<'a>>,
    // NXLog.
    #[serde(rename = "EventTime", borrow, default)]
    event_time: Lenient<'a>,
    #[serde(rename = "EventID", borrow, default)]
    event_id: Lenient<'a>,
    #[serde(rename = "SourceName", borrow, default)]
    source_name: Lenient<'a>,
    #[serde(rename = "Channel", borrow, default)]
    nx_channel: Lenient<'a>,
    #[serde(rename = "Message", borrow, default)]
    nx_message: Lenient<'a>,
    #[serde(rename = "ActivityID", borrow, default)]
    nx_activity: Lenient<'a>,
}

/// True for providers and channels AD FS writes to (`AD FS`, `AD FS Auditing`, `AD FS/Admin`).
fn is_adfs(name: Option<&str>) -> bool {
    name.is_some_and(|n| n.trim_start().starts_with("AD FS"))
}

/// True when a JSON object's keys look like a forwarded Windows event.
pub fn looks_like(keys: &[&str]) -> bool {
    let has = |k: &str| keys.contains(&k);
    (has("winlog") && has("@timestamp")) || (has("EventID") && has("SourceName"))
}

/// True when the forwarded event comes from AD FS (checked on the record, not only its keys:
/// a Winlogbeat stream also carries every other Windows event).
pub fn is_adfs_record(bytes: &[u8]) -> bool {
    let Ok(f) = serde_json::from_slice::<Forwarded>(bytes) else {
        return false;
    };
    match &f.winlog {
        Some(w) => is_adfs(w.provider_name.0.as_deref()) || is_adfs(w.channel.0.as_deref()),
        None => is_adfs(f.source_name.0.as_deref()) || is_adfs(f.nx_channel.0.as_deref()),
    }
}

/// `param2` after `param1` and before `param10`; named fields after numbered ones, by name.
fn data_order(key: &str) -> (u32, &str) {
    let digits = key.trim_start_matches(|c: char| !c.is_ascii_digit());
    (digits.parse().unwrap_or(u32::MAX), key)
}

/// Reduces a forwarded event to a [`Raw`] record; Ok(None) when it is not from AD FS.
pub fn raw_from_json(bytes: &[u8]) -> Result<Option<Raw>, String> {
    let f: Forwarded = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let (id, time, activity, message, data, adfs) = match f.winlog {
        Some(w) => {
            let mut data: Vec<(String, String)> = w
                .event_data
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(k, v)| v.0.map(|v| (k, v.into_owned())))
                .collect();
            data.sort_by(|a, b| data_order(&a.0).cmp(&data_order(&b.0)));
            let adfs = is_adfs(w.provider_name.0.as_deref()) || is_adfs(w.channel.0.as_deref());
            (
                w.event_id.0,
                f.timestamp.0,
                w.activity_id.0,
                f.message.0,
                data.into_iter().map(|(_, v)| v).collect(),
                adfs,
            )
        }
        None => {
            let adfs = is_adfs(f.source_name.0.as_deref()) || is_adfs(f.nx_channel.0.as_deref());
            (
                f.event_id.0,
                f.event_time.0,
                f.nx_activity.0,
                f.nx_message.0,
                Vec::new(),
                adfs,
            )
        }
    };
    if !adfs {
        return Ok(None);
    }
    let id = id.ok_or("forwarded event without an event id")?;
    Ok(Some(Raw {
        id: id.trim().to_string(),
        time: time.as_deref().and_then(parse_time),
        activity: activity.map(|a| a.trim_matches(['{', '}']).to_string()),
        message: message.map(|m| m.into_owned()),
        data,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winlogbeat_and_nxlog_give_the_same_raw_record() {
        let beat = br#"{"@timestamp":"2026-05-14T10:01:12.000Z","message":"Encountered error","winlog":{"channel":"AD FS/Admin","event_id":364,"provider_name":"AD FS","activity_id":"{3f1c2a90-0000-4000-8000-0000000000a1}","event_data":{"param2":"b","param10":"c","param1":"a"}},"event":{"code":"364"}}"#;
        let raw = raw_from_json(beat).unwrap().unwrap();
        assert_eq!(raw.id, "364");
        assert_eq!(raw.data, ["a", "b", "c"]);
        assert_eq!(
            raw.activity.as_deref(),
            Some("3f1c2a90-0000-4000-8000-0000000000a1")
        );
        assert!(is_adfs_record(beat));
        let nx = br#"{"EventTime":"2026-05-14 10:01:12","EventID":364,"SourceName":"AD FS","Channel":"AD FS/Admin","Message":"Encountered error","ActivityID":"{3f1c2a90-0000-4000-8000-0000000000a1}"}"#;
        let n = raw_from_json(nx).unwrap().unwrap();
        assert_eq!((n.id.as_str(), n.time), ("364", raw.time));
        let other = br#"{"@timestamp":"x","winlog":{"event_id":"4624","provider_name":"Microsoft-Windows-Security-Auditing"}}"#;
        assert_eq!(raw_from_json(other).unwrap(), None);
        assert!(!is_adfs_record(other));
    }
}
