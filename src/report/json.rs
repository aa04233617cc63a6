//! JSON report (a contract other tools rely on).
//!
//! `{schema, messages: [{input, label, parameter, relay_state, decoding, decoding_notes, summary,
//! most_likely_cause, findings, skipped}], findings: [all, with message_index], errors}`, plus the
//! first message's keys repeated at the top. Every key is documented in `docs/json.md`.

use crate::analyze::{Analysis, Analyzed};
use serde_json::{Value, json};

fn message_object(m: &Analyzed, index: Option<usize>) -> Value {
    let findings: Vec<Value> = m
        .outcome
        .findings
        .iter()
        .map(|f| {
            let mut f = f.clone();
            f.message_index = index;
            serde_json::to_value(&f).unwrap_or(Value::Null)
        })
        .collect();
    json!({
        "input": m.input,
        "label": m.decoded.label,
        "parameter": m.decoded.parameter,
        "relay_state": m.decoded.relay_state,
        "decoding": m.decoded.steps,
        "decoding_notes": m.decoded.notes,
        "summary": m.summary(),
        // Only an error can be the cause of a failure: without one there is none.
        "most_likely_cause": m
            .outcome
            .findings
            .first()
            .filter(|f| f.severity == crate::finding::Severity::Error)
            .map(|f| f.code),
        "findings": findings,
        "skipped": m.outcome.skipped,
    })
}

/// The `schema` value: bumped only when a key changes meaning or goes away.
pub const SCHEMA: &str = "sso-doctor.saml/1";

/// What a run was judged against, for the report's header keys.
#[derive(Debug, Clone, Default)]
pub struct RunInfo {
    /// The settings file used, if any.
    pub settings_file: Option<String>,
    pub now: Option<crate::time::Millis>,
    pub now_source: String,
    /// A sentence about how the run was judged (an old capture judged as of now), or `None`.
    pub headline: Option<String>,
    /// The text shape of each input file by name, for SARIF regions.
    pub extents: std::collections::BTreeMap<String, crate::report::sarif::Extent>,
}

/// Seconds from the first message's IssueInstant to `now`.
pub fn capture_age_seconds(analysis: &Analysis, now: Option<crate::time::Millis>) -> Option<i64> {
    let issued = analysis
        .messages
        .first()?
        .message
        .issue_instant
        .as_ref()
        .and_then(|i| crate::time::parse_millis(i.value.trim()))?;
    Some((now? - issued).div_euclid(1000))
}

/// Renders the analysis as pretty JSON: always `messages[]`, whatever their number, with every
/// finding also listed at the top (with `message_index`) and the first message's keys repeated at
/// the top for convenience (`null` when no message could be read).
pub fn render(analysis: &Analysis, run: &RunInfo) -> String {
    let messages: Vec<Value> = analysis
        .messages
        .iter()
        .enumerate()
        .map(|(i, m)| message_object(m, Some(i)))
        .collect();
    let all: Vec<Value> = analysis
        .all_findings()
        .iter()
        .map(|f| serde_json::to_value(f).unwrap_or(Value::Null))
        .collect();
    let mut value = json!({
        "schema": SCHEMA,
        "settings_file": run.settings_file,
        "now": run.now.map(crate::time::format),
        "now_source": run.now_source,
        "capture_age_seconds": capture_age_seconds(analysis, run.now),
        "headline": run.headline,
    });
    let first = messages.first().cloned().unwrap_or(Value::Null);
    for key in [
        "input",
        "label",
        "parameter",
        "relay_state",
        "decoding",
        "decoding_notes",
        "summary",
        "most_likely_cause",
        "skipped",
    ] {
        value[key] = first.get(key).cloned().unwrap_or(Value::Null);
    }
    value["messages"] = Value::Array(messages);
    value["findings"] = Value::Array(all);
    value["errors"] = json!(analysis.errors);
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}
