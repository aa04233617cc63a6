//! The `--partial` file: a versioned envelope around an [`Aggregate`]. Partials from any number of
//! runs (threads, processes, machines) combine with `sso-doctor merge` into exactly the aggregate
//! one run over all inputs would produce.

use super::agg::Aggregate;
use serde::{Deserialize, Serialize};

/// Marks a file as an sso-doctor partial.
pub const KIND: &str = "sso-doctor.logs.partial";
/// Bumped when the aggregate's shape changes incompatibly.
pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    kind: String,
    version: u32,
    aggregate: Aggregate,
}

/// Serialises an aggregate as a partial (one JSON document).
pub fn to_json(agg: &Aggregate) -> String {
    let env = EnvelopeRef {
        kind: KIND,
        version: VERSION,
        aggregate: agg,
    };
    serde_json::to_string(&env).unwrap_or_default()
}

#[derive(Serialize)]
struct EnvelopeRef<'a> {
    kind: &'static str,
    version: u32,
    aggregate: &'a Aggregate,
}

/// Reads one or more partials (concatenated or one per line, as `hadoop fs -cat part-*` or
/// `cat *.partial` produce) and merges them.
pub fn from_json(text: &[u8]) -> Result<Aggregate, String> {
    let mut total = Aggregate::default();
    let mut seen = 0;
    for env in serde_json::Deserializer::from_slice(text).into_iter::<Envelope>() {
        let env = env.map_err(|e| format!("not an sso-doctor partial: {e}"))?;
        total.merge(check(env)?);
        seen += 1;
    }
    if seen == 0 {
        return Err("not an sso-doctor partial: the input is empty".into());
    }
    Ok(total)
}

/// Checks the envelope's kind and version.
fn check(env: Envelope) -> Result<Aggregate, String> {
    if env.kind != KIND {
        return Err(format!("not an sso-doctor partial (kind {:?})", env.kind));
    }
    if env.version != VERSION {
        return Err(format!(
            "partial version {} is not supported (expected {VERSION})",
            env.version
        ));
    }
    Ok(env.aggregate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::cause::{Cause, Outcome, Source};
    use crate::logs::event::Event;

    #[test]
    fn round_trips() {
        let mut agg = Aggregate::default();
        let mut e = Event::new(Source::Okta, Outcome::Failure);
        e.error_code = Some("LOCKED_OUT".into());
        e.cause = Cause::AccountState;
        e.time = Some(1_000);
        e.user = Some("u@example.com".into());
        agg.add(&e);
        let text = to_json(&agg);
        assert_eq!(from_json(text.as_bytes()).unwrap(), agg);
        assert!(from_json(b"{}").is_err());
        assert!(from_json(b"").is_err());
        let two = format!("{text}\n{text}\n");
        let mut doubled = agg.clone();
        doubled.merge(agg.clone());
        assert_eq!(from_json(two.as_bytes()).unwrap(), doubled);
        assert!(from_json(b"").is_err());
        let two = format!("{text}\n{text}\n");
        let mut doubled = agg.clone();
        doubled.merge(agg.clone());
        assert_eq!(from_json(two.as_bytes()).unwrap(), doubled);
        assert!(from_json(br#"{"kind":"other","version":1,"aggregate":{}}"#).is_err());
    }
}
