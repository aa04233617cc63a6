//! The `--partial` file: a versioned envelope around an [`Aggregate`]. Partials from any number of
//! runs (threads, processes, machines) combine with `sso-doctor merge` into exactly the aggregate
//! one run over all inputs would produce.

use super::agg::{Aggregate, Counts, MALFORMED_KEPT};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Marks a file as an sso-doctor partial.
pub const KIND: &str = "sso-doctor.logs.partial";
/// Bumped when the envelope or the aggregate's shape changes incompatibly. 2: `checksum`.
pub const VERSION: u32 = 2;

#[derive(Debug, Deserialize)]
struct Envelope {
    kind: String,
    version: u32,
    #[serde(default)]
    checksum: Option<String>,
    aggregate: Option<serde_json::Value>,
}

#[derive(Serialize)]
struct EnvelopeRef<'a> {
    kind: &'static str,
    version: u32,
    checksum: String,
    aggregate: &'a serde_json::Value,
}

/// `sha256:` and the hex SHA-256 of the aggregate's canonical JSON: the aggregate as a JSON
/// value (object keys sorted, integers exact) printed compactly. Hashing the value rather than
/// the file's bytes keeps the check independent of whitespace, and a field added later with a
/// default does not change the digest of a partial written before it. Partials cross machines
/// (Spark, Hadoop, GNU parallel `--return`), where truncation and bit rot happen: a changed
/// digit that is still valid JSON must not merge silently into a report.
fn checksum(value: &serde_json::Value) -> String {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    let digest = Sha256::digest(&bytes);
    let mut hex = String::with_capacity(7 + 64);
    hex.push_str("sha256:");
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// Serialises an aggregate as a partial (one JSON document).
pub fn to_json(agg: &Aggregate) -> String {
    let value = serde_json::to_value(agg).unwrap_or_default();
    let env = EnvelopeRef {
        kind: KIND,
        version: VERSION,
        checksum: checksum(&value),
        aggregate: &value,
    };
    serde_json::to_string(&env).unwrap_or_default()
}

/// Reads one or more partials (concatenated or one per line, as `hadoop fs -cat part-*` or
/// `cat *.partial` produce) and merges them. Every partial must carry a matching checksum and
/// satisfy the aggregate's invariants ([`check_invariants`]); the error names the partial's
/// position in the input when there are several.
pub fn from_json(text: &[u8]) -> Result<Aggregate, String> {
    let mut total = Aggregate::default();
    let mut seen = 0;
    for env in serde_json::Deserializer::from_slice(text).into_iter::<Envelope>() {
        seen += 1;
        let at = |e: String| {
            if seen == 1 {
                e
            } else {
                format!("partial #{seen} in this input: {e}")
            }
        };
        let env = env.map_err(|e| at(format!("not an sso-doctor partial: {e}")))?;
        total.merge(check(env).map_err(at)?);
    }
    if seen == 0 {
        return Err("not an sso-doctor partial: the input is empty".into());
    }
    Ok(total)
}

/// Checks the envelope's kind, version and checksum, then the aggregate's invariants.
fn check(env: Envelope) -> Result<Aggregate, String> {
    if env.kind != KIND {
        return Err(format!("not an sso-doctor partial (kind {:?})", env.kind));
    }
    if env.version != VERSION {
        return Err(format!(
            "partial version {} is not supported (expected {VERSION}); re-run `logs --partial` \
             with this sso-doctor",
            env.version
        ));
    }
    let value = env
        .aggregate
        .ok_or("damaged partial: no aggregate in the envelope")?;
    let want = checksum(&value);
    match env.checksum {
        Some(c) if c == want => {}
        Some(c) => {
            return Err(format!(
                "damaged partial: checksum {c} does not match its content ({want}); the file \
                 was changed or truncated after it was written, re-run that map step"
            ));
        }
        None => return Err("damaged partial: no checksum in the envelope".into()),
    }
    let agg: Aggregate = serde_json::from_value(value)
        .map_err(|e| format!("not an sso-doctor partial aggregate: {e}"))?;
    check_invariants(&agg).map_err(|e| format!("damaged partial: {e}"))?;
    Ok(agg)
}

fn sum<'a>(values: impl IntoIterator<Item = &'a u64>) -> Option<u64> {
    values.into_iter().try_fold(0u64, |a, &v| a.checked_add(v))
}

fn sum_counts<'a>(values: impl IntoIterator<Item = &'a Counts>) -> Option<Counts> {
    values.into_iter().try_fold(Counts::default(), |a, c| {
        Some(Counts {
            events: a.events.checked_add(c.events)?,
            failures: a.failures.checked_add(c.failures)?,
            interrupted: a.interrupted.checked_add(c.interrupted)?,
        })
    })
}

fn expect(what: &str, got: Option<u64>, want: u64) -> Result<(), String> {
    match got {
        Some(g) if g == want => Ok(()),
        Some(g) => Err(format!("{what} add up to {g}, not {want}")),
        None => Err(format!("{what} overflow")),
    }
}

/// The identities every aggregate built by `logs` satisfies, checked on every partial read
/// (with overflow-checked sums, since a partial may be hostile):
/// events = successes + failures + interrupted; per-source, per-code, per-cause and per-file sums
/// equal the totals; per-key counts never exceed the totals; `first_seen <= last_seen`.
pub fn check_invariants(a: &Aggregate) -> Result<(), String> {
    expect(
        "successes + failures + interrupted",
        sum([&a.successes, &a.failures, &a.interrupted]),
        a.events,
    )?;
    let by_source = sum_counts(a.by_source.values()).ok_or("per-source counts overflow")?;
    expect("per-source events", Some(by_source.events), a.events)?;
    expect("per-source failures", Some(by_source.failures), a.failures)?;
    expect(
        "per-source interrupts",
        Some(by_source.interrupted),
        a.interrupted,
    )?;
    expect(
        "failures per error code",
        sum(a.by_error_code.values()),
        a.failures,
    )?;
    expect("failures per cause", sum(a.by_cause.values()), a.failures)?;
    expect(
        "failures per cause and code",
        sum(a.codes_by_cause.values().flat_map(|m| m.values())),
        a.failures,
    )?;
    expect(
        "interrupts per code",
        sum(a.interrupts_by_code.values()),
        a.interrupted,
    )?;
    for (cause, codes) in &a.codes_by_cause {
        expect(
            &format!("codes of cause {cause}"),
            sum(codes.values()),
            a.by_cause.get(cause).copied().unwrap_or(0),
        )?;
    }
    for (what, counts) in [
        ("per-user", sum_counts(a.users.values())),
        ("per-app", sum_counts(a.by_app.values())),
        ("per-hour", sum_counts(a.hours.values())),
        ("per-category", sum_counts(a.by_category.values())),
    ] {
        let c = counts.ok_or(format!("{what} counts overflow"))?;
        if c.events > a.events || c.failures > a.failures || c.interrupted > a.interrupted {
            return Err(format!("{what} counts exceed the totals"));
        }
    }
    let per_key = a
        .users
        .values()
        .chain(a.by_app.values())
        .chain(a.hours.values());
    for c in per_key.chain(a.by_source.values()) {
        if c.failures
            .checked_add(c.interrupted)
            .is_none_or(|n| n > c.events)
        {
            return Err("a per-key count has more failures and interrupts than events".into());
        }
    }
    expect(
        "per-file events",
        sum(a.files.iter().map(|f| &f.events)),
        a.events,
    )?;
    expect(
        "per-file skipped records",
        sum(a.files.iter().map(|f| &f.skipped)),
        a.skipped,
    )?;
    expect(
        "per-file malformed records",
        sum(a.files.iter().map(|f| &f.malformed)),
        a.malformed_count,
    )?;
    match sum(a.skipped_by_type.values()) {
        Some(n) if n <= a.skipped => {}
        _ => return Err("skipped records per type exceed the skipped total".into()),
    }
    if a.malformed.len() > MALFORMED_KEPT || a.malformed.len() as u64 > a.malformed_count {
        return Err("more malformed-record locations than malformed records".into());
    }
    match (a.first_seen, a.last_seen) {
        (Some(f), Some(l)) if f <= l => {}
        (None, None) if a.hours.is_empty() => {}
        _ => return Err("first_seen / last_seen are inconsistent".into()),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::agg::FileSummary;
    use crate::logs::cause::{Cause, Outcome, Source};
    use crate::logs::event::Event;

    fn sample() -> Aggregate {
        let mut agg = Aggregate::default();
        for (i, outcome) in [Outcome::Failure, Outcome::Success, Outcome::Interrupted]
            .into_iter()
            .enumerate()
        {
            let mut e = Event::new(Source::Okta, outcome);
            if outcome != Outcome::Success {
                e.error_code = Some("LOCKED_OUT".into());
                e.cause = Cause::AccountState;
            }
            e.time = Some(1_000 * i as i64);
            e.user = Some("u@example.com".into());
            agg.add(&e);
        }
        agg.skipped = 2;
        agg.files
            .push(FileSummary::new("a.ndjson", "okta-ndjson".into(), 3, 2, 0));
        agg
    }

    #[test]
    fn round_trips_and_concatenates() {
        let agg = sample();
        let text = to_json(&agg);
        assert_eq!(from_json(text.as_bytes()).unwrap(), agg);
        let two = format!("{text}\n{text}\n");
        let mut doubled = agg.clone();
        doubled.merge(agg.clone());
        assert_eq!(from_json(two.as_bytes()).unwrap(), doubled);
        assert!(from_json(b"{}").is_err());
        assert!(from_json(b"").is_err());
        assert!(from_json(br#"{"kind":"other","version":2,"aggregate":{}}"#).is_err());
    }

    #[test]
    fn a_changed_digit_is_refused() {
        let text = to_json(&sample());
        let bad = text.replacen("\"events\":3", "\"events\":4", 1);
        assert_ne!(bad, text);
        let err = from_json(bad.as_bytes()).unwrap_err();
        assert!(err.contains("checksum"), "{err}");
        let second = format!("{text}\n{bad}");
        let err = from_json(second.as_bytes()).unwrap_err();
        assert!(err.starts_with("partial #2"), "{err}");
        let unsigned = text.replacen("\"checksum\"", "\"x\"", 1);
        assert!(
            from_json(unsigned.as_bytes())
                .unwrap_err()
                .contains("no checksum")
        );
    }

    #[test]
    fn invariants_catch_inconsistent_aggregates_even_with_a_fresh_checksum() {
        let good = sample();
        check_invariants(&good).unwrap();
        let mut cases: Vec<(Aggregate, &str)> = Vec::new();
        let mut a = good.clone();
        a.events += 1;
        cases.push((a, "successes + failures + interrupted"));
        let mut a = good.clone();
        a.by_source.get_mut(&Source::Okta).unwrap().events += 1;
        cases.push((a, "per-source events"));
        let mut a = good.clone();
        *a.by_error_code.get_mut("LOCKED_OUT").unwrap() += 1;
        cases.push((a, "per error code"));
        let mut a = good.clone();
        a.files[0].events = 2;
        cases.push((a, "per-file events"));
        let mut a = good.clone();
        a.users.get_mut("u@example.com").unwrap().events = u64::MAX;
        cases.push((a, "per-user"));
        let mut a = good.clone();
        a.first_seen = Some(5_000);
        cases.push((a, "first_seen"));
        for (agg, want) in cases {
            let err = from_json(to_json(&agg).as_bytes()).unwrap_err();
            assert!(
                err.contains("damaged partial") && err.contains(want),
                "{want}: {err}"
            );
        }
    }
}
