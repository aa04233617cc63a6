//! JSON report (a contract other tools rely on).
//!
//! One message: `{input, label, decoding, notes, summary, findings, skipped, errors}`.
//! Several: `{messages: [that object without errors…], findings: [all, with message_index], errors}`.

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

/// Renders the analysis as pretty JSON.
pub fn render(analysis: &Analysis) -> String {
    let value = if analysis.messages.len() == 1 {
        let mut v = message_object(&analysis.messages[0], None);
        v["errors"] = json!(analysis.errors);
        v
    } else {
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
        json!({ "messages": messages, "findings": all, "errors": analysis.errors })
    };
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}
