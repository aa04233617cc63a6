//! SARIF 2.1.0: every rule with its documentation, every finding as a result pointing at the file
//! (and line, when the file holds the XML as-is), unusable inputs as tool notifications.

use super::Placed;
use crate::finding::Severity;
use crate::rules;
use serde_json::{Value, json};

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Rule descriptors for the driver, in code order; also used to look up `ruleIndex`.
fn rule_descriptors() -> Vec<Value> {
    rules::all()
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": m.summary },
                "help": { "text": m.docs, "markdown": m.docs },
                "defaultConfiguration": { "level": level(m.severity) },
            })
        })
        .collect()
}

/// Renders results; `errors` are (file, message) pairs for inputs that could not be used.
pub fn render(items: &[Placed], errors: &[(String, String)]) -> String {
    let descriptors = rule_descriptors();
    let index_of = |code: &str| descriptors.iter().position(|d| d["id"] == code);
    let results: Vec<Value> = items
        .iter()
        .map(|p| {
            let f = p.finding;
            let mut physical = json!({ "artifactLocation": { "uri": uri(p.file) } });
            if let Some(loc) = p.location {
                physical["region"] = json!({ "startLine": loc.line, "startColumn": loc.column });
            }
            let path = f
                .evidence
                .iter()
                .find(|e| e.location.is_some())
                .map(|e| e.source.clone());
            let mut location = json!({ "physicalLocation": physical });
            if let Some(path) = path {
                location["logicalLocations"] =
                    json!([{ "fullyQualifiedName": path, "kind": "element" }]);
            }
            let mut result = json!({
                "ruleId": f.code,
                "level": level(f.severity),
                "message": { "text": format!("{} Fix: {}", f.message, f.fix) },
                "locations": [location],
                "properties": { "rule": f.rule, "evidence": f.evidence },
            });
            if let Some(i) = index_of(f.code) {
                result["ruleIndex"] = json!(i);
            }
            result
        })
        .collect();
    let notifications: Vec<Value> = errors
        .iter()
        .map(|(file, e)| {
            json!({
                "level": "error",
                "message": { "text": e },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri(file) } } }],
            })
        })
        .collect();
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "sso-doctor",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": descriptors,
            }},
            "invocations": [{
                "executionSuccessful": errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    out.push('\n');
    out
}

/// A relative URI reference for a path (`-` for stdin becomes `stdin`).
fn uri(path: &str) -> String {
    if path == "-" {
        return "stdin".into();
    }
    path.replace('\\', "/").replace(' ', "%20")
}
