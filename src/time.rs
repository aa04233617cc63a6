//! Timestamps without a clock: parse xs:dateTime / RFC 3339, print them back, and describe
//! durations in words ("3 h 12 min"). Nothing here reads the system clock; the CLI reads it once
//! (or takes `--now`) and passes the instant down.

use jiff::civil::DateTime;
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::Offset;

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type Millis = i64;

/// How a timestamp spelled its zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// `Z`
    Utc,
    /// `+hh:mm` / `-hh:mm`
    Offset,
    /// No zone at all (SAML says UTC is meant).
    None,
}

/// A parsed timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub millis: Millis,
    pub zone: Zone,
}

/// Largest offset RFC 3339 can spell: `time-numoffset` is `time-hour ":" time-minute`, hours
/// 00-23 and minutes 00-59.
const MAX_OFFSET_SECONDS: i32 = 23 * 3600 + 59 * 60;

/// True when `t` has the one shape sign-in logs and SAML use: `YYYY-MM-DD`, then `T` (or a space,
/// which RFC 3339 §5.6 allows and SQL-style exports write), then `hh:mm:ss`, an optional
/// fraction and an optional `Z` or `±hh:mm` / `±hhmm`. Everything else that ISO 8601 or
/// Temporal accept (week dates, ordinal dates, basic format, times without seconds, bracketed
/// zone names, lower-case `t`/`z`) is refused here before `jiff` reads the value.
fn has_profile(t: &[u8]) -> bool {
    let digits = |r: std::ops::Range<usize>| t[r].iter().all(u8::is_ascii_digit);
    t.len() >= 19
        && digits(0..4)
        && t[4] == b'-'
        && digits(5..7)
        && t[7] == b'-'
        && digits(8..10)
        && matches!(t[10], b'T' | b' ')
        && digits(11..13)
        && t[13] == b':'
        && digits(14..16)
        && t[16] == b':'
        && digits(17..19)
        && !t[19..].iter().any(|b| matches!(b, b't' | b'z' | b'['))
}

/// Parses `2026-03-10T09:15:04.512Z` and its relatives (offsets, no zone, space separator).
///
/// The calendar and clock checks and the arithmetic are `jiff`'s; [`has_profile`] narrows the
/// accepted syntax to what IdPs, Kinde and SAML (xs:dateTime, SAML core §1.3.3) actually write.
/// Decisions: upper-case `T` and `Z` only (xs:dateTime allows nothing else, and every vendor
/// writes upper case; RFC 3339 merely permits lower case); offsets within ±23:59 (RFC 3339's
/// grammar; `+99:99` or `+24:00` is refused); fractions beyond milliseconds are truncated (Entra
/// writes 7 digits); a leap second `:60` reads as `:59`.
pub fn parse(text: &str) -> Option<Timestamp> {
    let t = text.trim();
    if !has_profile(t.as_bytes()) {
        return None;
    }
    let pieces = Pieces::parse(t).ok()?;
    let time = pieces.time()?;
    let (zone, offset) = match pieces.offset() {
        None => (Zone::None, Offset::UTC),
        Some(PiecesOffset::Zulu) => (Zone::Utc, Offset::UTC),
        Some(PiecesOffset::Numeric(n)) => {
            let secs = n.offset().seconds();
            if secs.abs() > MAX_OFFSET_SECONDS || secs % 60 != 0 {
                return None;
            }
            (Zone::Offset, n.offset())
        }
        Some(_) => return None,
    };
    let instant = offset
        .to_timestamp(DateTime::from_parts(pieces.date(), time))
        .ok()?;
    // Truncate toward the earlier millisecond, as a reader of the first three digits would.
    let millis = i64::try_from(instant.as_nanosecond().div_euclid(1_000_000)).ok()?;
    Some(Timestamp { millis, zone })
}

/// Parses a timestamp and returns milliseconds, or None.
pub fn parse_millis(text: &str) -> Option<Millis> {
    parse(text).map(|t| t.millis)
}

/// Formats as `2026-03-10T09:15:04Z` (milliseconds shown only when not zero).
pub fn format(millis: Millis) -> String {
    let Ok(t) = jiff::Timestamp::from_millisecond(millis) else {
        // Beyond jiff's years -9999..=9999: only a hostile partial holds such a value.
        return format!("(out of range: {millis} ms since 1970)");
    };
    let dt = Offset::UTC.to_datetime(t);
    let ms = millis.rem_euclid(1000);
    let whole = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second()
    );
    if ms == 0 {
        format!("{whole}Z")
    } else {
        format!("{whole}.{ms:03}Z")
    }
}

/// Formats as `2026-03-10T09` hour bucket key.
pub fn format_hour(millis: Millis) -> String {
    let text = format(millis.div_euclid(3_600_000).saturating_mul(3_600_000));
    text.get(..13).unwrap_or(&text).to_string()
}

/// Formats as `2026-03-10` day bucket key.
pub fn format_day(millis: Millis) -> String {
    let text = format(millis);
    text.get(..10).unwrap_or(&text).to_string()
}

/// A duration in words, largest two units: "3 h 12 min", "45 s", "2 d 4 h".
pub fn human_duration(millis: Millis) -> String {
    let total = millis.unsigned_abs() / 1000;
    if total == 0 {
        return format!("{} ms", millis.unsigned_abs());
    }
    let units = [(86_400, "d"), (3_600, "h"), (60, "min"), (1, "s")];
    let mut parts = Vec::new();
    let mut rest = total;
    for (size, name) in units {
        if rest >= size {
            parts.push(format!("{} {name}", rest / size));
            rest %= size;
        }
        if parts.len() == 2 {
            break;
        }
        if !parts.is_empty() && rest == 0 {
            break;
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_saml_instants() {
        let t = parse("2026-03-10T09:15:04.512Z").unwrap();
        assert_eq!(t.zone, Zone::Utc);
        assert_eq!(format(t.millis), "2026-03-10T09:15:04.512Z");
        assert_eq!(parse_millis("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_millis("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse("2026-03-10T09:15:04").unwrap().zone, Zone::None);
        assert_eq!(
            parse_millis("2026-03-10T09:15:04.1234567Z"),
            parse_millis("2026-03-10T09:15:04.123Z")
        );
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "",
            "2026-13-01T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "yesterday",
            "2026-03-10T09:15:04Zjunk",
            // Offsets RFC 3339 cannot spell, and seconds in an offset.
            "2026-03-10T09:15:04+99:99",
            "2026-03-10T09:15:04+24:00",
            "2026-03-10T09:15:04+01:60",
            "2026-03-10T09:15:04+01:00:30",
            // Lower-case separators (xs:dateTime forbids them; no vendor writes them).
            "2026-03-10t09:15:04Z",
            "2026-03-10T09:15:04z",
            // ISO 8601 / Temporal forms no log or SAML message uses.
            "20260310T091504Z",
            "2026-03-10T09:15Z",
            "2026-03-10",
            "2026-03-10T09:15:04Z[Europe/Paris]",
            "2026-03-10T25:00:00Z",
            "+002026-03-10T09:15:04Z",
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn accepts_what_vendors_write() {
        let utc = parse_millis("2026-03-10T09:15:04Z");
        for same in [
            "2026-03-10 09:15:04Z",
            "2026-03-10T10:15:04+01:00",
            "2026-03-10T10:15:04+0100",
            "2026-03-10T04:15:04-05:00",
            "2026-03-10T09:15:04-00:00",
            "2026-03-10T09:15:04.0000000Z",
            "2026-03-10T09:15:04,000Z",
            "  2026-03-10T09:15:04Z\n",
        ] {
            assert_eq!(parse_millis(same), utc, "{same}");
        }
        assert_eq!(
            parse_millis("2026-03-10T23:59:59+23:59").map(format),
            Some("2026-03-10T00:00:59Z".into())
        );
        assert_eq!(
            parse_millis("2016-12-31T23:59:60Z"),
            parse_millis("2016-12-31T23:59:59Z")
        );
        assert_eq!(parse_millis("1969-12-31T23:59:59.9995Z"), Some(-1));
    }

    #[test]
    fn formats_extremes_without_panicking() {
        assert!(format(i64::MAX).starts_with("(out of range"));
        assert_eq!(format_hour(i64::MIN).len(), 13);
        assert_eq!(format(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn round_trips_dates() {
        for s in [
            "2000-02-29T23:59:59Z",
            "1999-12-31T00:00:00Z",
            "2100-03-01T12:00:00Z",
        ] {
            assert_eq!(format(parse_millis(s).unwrap()), s);
        }
    }

    #[test]
    fn words_for_durations() {
        assert_eq!(
            human_duration((3 * 3600 + 12 * 60 + 5) * 1000),
            "3 h 12 min"
        );
        assert_eq!(human_duration(45_000), "45 s");
        assert_eq!(human_duration(-3_600_000), "1 h");
        assert_eq!(human_duration((2 * 86_400 + 4 * 3600) * 1000), "2 d 4 h");
        assert_eq!(human_duration(250), "250 ms");
    }
}
