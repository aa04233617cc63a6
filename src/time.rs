//! Timestamps without a clock: parse xs:dateTime / RFC 3339, print them back, and describe
//! durations in words ("3 h 12 min"). Nothing here reads the system clock; the CLI reads it once
//! (or takes `--now`) and passes the instant down.

use nom::Parser;
use nom::bytes::complete::{tag, take_while_m_n, take_while1};
use nom::character::complete::one_of;
use nom::combinator::{all_consuming, opt};

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

fn digits(n: usize) -> impl FnMut(&str) -> nom::IResult<&str, i64> {
    move |input| {
        let (rest, d) = take_while_m_n(n, n, |c: char| c.is_ascii_digit()).parse(input)?;
        Ok((rest, d.parse::<i64>().unwrap_or(0)))
    }
}

/// The fields of a timestamp as written; `zone` is the zone kind and its offset in milliseconds.
struct Fields {
    date: (i64, i64, i64),
    time: (i64, i64, i64, i64),
    zone: Option<(Zone, i64)>,
}

fn timestamp(input: &str) -> nom::IResult<&str, Fields> {
    let (input, (year, _, month, _, day)) =
        (digits(4), tag("-"), digits(2), tag("-"), digits(2)).parse(input)?;
    let (input, _) = one_of("Tt ").parse(input)?;
    let (input, (hour, _, minute, _, second)) =
        (digits(2), tag(":"), digits(2), tag(":"), digits(2)).parse(input)?;
    let (input, frac) =
        opt((one_of(".,"), take_while1(|c: char| c.is_ascii_digit()))).parse(input)?;
    let millis = frac.map_or(0, |(_, f): (char, &str)| {
        let mut padded: String = f.chars().take(3).collect();
        while padded.len() < 3 {
            padded.push('0');
        }
        padded.parse::<i64>().unwrap_or(0)
    });
    let (input, zone) = opt(zone).parse(input)?;
    Ok((
        input,
        Fields {
            date: (year, month, day),
            time: (hour, minute, second, millis),
            zone,
        },
    ))
}

fn zone(input: &str) -> nom::IResult<&str, (Zone, i64)> {
    if let Some(rest) = input.strip_prefix(['Z', 'z']) {
        return Ok((rest, (Zone::Utc, 0)));
    }
    let (input, (sign, hours, _, minutes)) =
        (one_of("+-"), digits(2), opt(tag(":")), digits(2)).parse(input)?;
    let offset = (hours * 60 + minutes) * 60_000;
    Ok((
        input,
        (Zone::Offset, if sign == '-' { -offset } else { offset }),
    ))
}

/// Parses `2026-03-10T09:15:04.512Z` and its relatives (offsets, no zone, space separator).
pub fn parse(text: &str) -> Option<Timestamp> {
    let (_, f) = all_consuming(timestamp).parse(text.trim()).ok()?;
    let ((y, mo, d), (h, mi, s, ms), zone) = (f.date, f.time, f.zone);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    let (zone, offset) = zone.unwrap_or((Zone::None, 0));
    let millis = (((days * 24 + h) * 60 + mi) * 60 + s) * 1000 + ms - offset;
    Some(Timestamp { millis, zone })
}

/// Parses a timestamp and returns milliseconds, or None.
pub fn parse_millis(text: &str) -> Option<Millis> {
    parse(text).map(|t| t.millis)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Formats as `2026-03-10T09:15:04Z` (milliseconds shown only when not zero).
pub fn format(millis: Millis) -> String {
    let days = millis.div_euclid(86_400_000);
    let rem = millis.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    let (h, mi, s, ms) = (
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000,
    );
    if ms == 0 {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{ms:03}Z")
    }
}

/// Formats as `2026-03-10T09` hour bucket key.
pub fn format_hour(millis: Millis) -> String {
    format(millis.div_euclid(3_600_000) * 3_600_000)[..13].to_string()
}

/// Formats as `2026-03-10` day bucket key.
pub fn format_day(millis: Millis) -> String {
    format(millis)[..10].to_string()
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
        ] {
            assert!(parse(bad).is_none(), "{bad}");
        }
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
