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

/// Reads a partial, checking its kind and version.
pub fn from_json(text: &[u8]) -> Result<Aggregate, String> {
    let env: Envelope =
        serde_json::from_slice(text).map_err(|e| format!("not an sso-doctor partial: {e}"))?;
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
        assert!(from_json(br#"{"kind":"other","version":1,"aggregate":{}}"#).is_err());
    }
}
