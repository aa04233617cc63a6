//! The normalised sign-in event every source parser produces. Strings borrow from the input
//! buffer where the JSON had no escapes, so the hot path allocates only for escaped text.

use super::cause::{Cause, Outcome, Source};
use crate::time::{self, Millis};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::borrow::Cow;

/// One sign-in record after normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event<'a> {
    pub time: Option<Millis>,
    pub source: Source,
    /// UPN or email; for Kinde the user id unless a users snapshot supplied the email.
    pub user: Option<Cow<'a, str>>,
    pub app: Option<Cow<'a, str>>,
    pub ip: Option<Cow<'a, str>>,
    pub correlation_id: Option<Cow<'a, str>>,
    pub outcome: Outcome,
    /// The code as the source writes it (`50011`, `INVALID_CREDENTIALS`, `MSIS7007`).
    pub error_code: Option<Cow<'a, str>>,
    /// Raw failure text from the source.
    pub reason: Option<Cow<'a, str>>,
    pub cause: Cause,
    /// The sign-in category when the export says it (Entra diagnostic settings and Log
    /// Analytics: `interactive_user`, `non_interactive_user`, `service_principal`,
    /// `managed_identity`), so machine sign-ins are counted apart from people's.
    pub category: Option<Cow<'a, str>>,
}

impl<'a> Event<'a> {
    pub fn new(source: Source, outcome: Outcome) -> Self {
        Event {
            time: None,
            source,
            user: None,
            app: None,
            ip: None,
            correlation_id: None,
            outcome,
            error_code: None,
            reason: None,
            cause: Cause::NoFailure,
            category: None,
        }
    }
}

impl Serialize for Event<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("time", &self.time.map(time::format))?;
        map.serialize_entry("source", &self.source)?;
        map.serialize_entry("user", &self.user)?;
        map.serialize_entry("app", &self.app)?;
        map.serialize_entry("ip", &self.ip)?;
        map.serialize_entry("correlation_id", &self.correlation_id)?;
        map.serialize_entry("outcome", &self.outcome)?;
        map.serialize_entry("error_code", &self.error_code)?;
        map.serialize_entry("reason", &self.reason)?;
        map.serialize_entry("cause", &self.cause)?;
        if let Some(c) = &self.category {
            map.serialize_entry("category", c)?;
        }
        map.end()
    }
}

/// A text field read leniently: a string as is, a number or boolean as its text, anything else
/// (null, object, array) as absent. For fields where a vendor's type varies between APIs and
/// collectors (Google's `uniqueQualifier` is a string in the API and a number in some
/// pipelines): a field of an unexpected type must never make the whole record malformed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Lenient<'a>(pub Option<Cow<'a, str>>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Lenient<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Lenient<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Borrowed(if v {
                    "true"
                } else {
                    "false"
                }))))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Lenient(None))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                while a
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Lenient(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// Treats empty and whitespace-only strings as absent: exports write `""` for unknown values.
pub fn non_empty(s: Option<Cow<'_, str>>) -> Option<Cow<'_, str>> {
    s.filter(|v| !v.trim().is_empty())
}

/// Parses the timestamps the sources write: RFC 3339 (any fraction, `Z` or offset) and the US
/// display form `M/D/YYYY, h:mm:ss.fff AM` used by Log Analytics CSV and PowerShell exports.
/// The display form carries no zone; it is read as UTC (documented assumption).
pub fn parse_time(text: &str) -> Option<Millis> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    time::parse_millis(t)
        .or_else(|| parse_us_display(t))
        .or_else(|| parse_ms_json_date(t))
}

/// `/Date(1762160435018)/` (optionally with `+hhmm`): how Windows PowerShell 5.1's
/// `ConvertTo-Json` writes a DateTime (the .NET JavaScriptSerializer form; milliseconds since
/// 1970 UTC, the offset only says which local zone it was shown in).
fn parse_ms_json_date(t: &str) -> Option<Millis> {
    let inner = t.strip_prefix("/Date(")?.strip_suffix(")/")?;
    let digits_end = inner
        .char_indices()
        .skip(1)
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(inner.len(), |(i, _)| i);
    let (ms, zone) = inner.split_at(digits_end);
    let zone_ok = zone.is_empty()
        || (zone.len() == 5
            && zone.starts_with(['+', '-'])
            && zone[1..].bytes().all(|b| b.is_ascii_digit()));
    if !zone_ok {
        return None;
    }
    ms.parse().ok()
}

fn parse_us_display(text: &str) -> Option<Millis> {
    let (date, rest) = text.split_once(' ')?;
    let date = date.trim_end_matches(',');
    let mut parts = date.split('/');
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    let year: u32 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || year < 1000 {
        return None;
    }
    let rest = rest.trim();
    let (clock, meridiem) = match rest.rsplit_once(' ') {
        Some((c, m)) => (c, Some(m.to_ascii_uppercase())),
        None => (rest, None),
    };
    let mut hms = clock.split(':');
    let mut hour: u32 = hms.next()?.parse().ok()?;
    let minute: u32 = hms.next()?.parse().ok()?;
    let seconds = hms.next()?;
    let (sec, frac) = seconds.split_once('.').unwrap_or((seconds, ""));
    let sec: u32 = sec.parse().ok()?;
    match meridiem.as_deref() {
        Some("PM") if hour < 12 => hour += 12,
        Some("AM") if hour == 12 => hour = 0,
        Some("AM") | Some("PM") | None => {}
        Some(_) => return None,
    }
    let frac = if frac.is_empty() {
        String::new()
    } else {
        format!(".{frac}")
    };
    time::parse_millis(&format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{sec:02}{frac}Z"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_all_time_shapes() {
        let iso = parse_time("2025-11-03T09:23:17.995Z").unwrap();
        assert_eq!(parse_time("11/3/2025, 9:23:17.995 AM"), Some(iso));
        assert_eq!(parse_time("2025-11-03T09:23:17.9951234+00:00"), Some(iso));
        assert_eq!(
            parse_time("5/14/2026 10:01:12 PM").map(time::format),
            Some("2026-05-14T22:01:12Z".into())
        );
        assert_eq!(
            parse_time("5/14/2026 12:01:12 AM").map(time::format),
            Some("2026-05-14T00:01:12Z".to_string())
        );
        assert_eq!(
            parse_time("/Date(1762160435018)/").map(time::format),
            Some("2025-11-03T09:00:35.018Z".to_string())
        );
        assert_eq!(
            parse_time("/Date(1762160435018+0100)/"),
            Some(1762160435018)
        );
        assert_eq!(parse_time("/Date(x)/"), None);
        assert_eq!(parse_time("/Date(1+01)/"), None);
        assert_eq!(
            parse_time("5/14/2026 12:01:12 AM").map(time::format),
            Some("2026-05-14T00:01:12Z".into())
        );
        for bad in ["", "13/40/2026 1:00:00 AM", "yesterday", "1/2/3 4:5:6 XM"] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }

    #[test]
    fn serialises_in_contract_order() {
        let mut e = Event::new(Source::Entra, Outcome::Failure);
        e.time = Some(0);
        e.error_code = Some("50011".into());
        e.cause = Cause::AcsUrlMismatch;
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(
            json,
            r#"{"time":"1970-01-01T00:00:00Z","source":"entra","user":null,"app":null,"ip":null,"correlation_id":null,"outcome":"failure","error_code":"50011","reason":null,"cause":"acs_url_mismatch"}"#
        );
    }
}
