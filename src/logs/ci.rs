//! The log report in CI formats: SARIF 2.1.0 (one result per failing error code, with its count,
//! meaning and fix; one per malformed record with its file and line), JUnit (one test case per
//! cause, failing when the cause has failures) and GitHub workflow annotations. The SARIF envelope,
//! URIs and regions come from [`crate::report::sarif`], shared with `saml` and `check`.

use super::report::Report;
use crate::report::github::{escape_data, escape_property};
use crate::report::junit;
use serde_json::{Value, json};

use crate::report::sarif as common;

/// The whole of a log file, by bytes (logs can be gigabytes: no line count is taken).
fn whole_file(path: &str) -> Value {
    match std::fs::metadata(path) {
        Ok(m) if path != "-" => common::whole_bytes(m.len()),
        _ => json!({ "startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1 }),
    }
}

fn code_message(code: &str, count: u64, title: Option<&str>, fix: Option<&str>) -> String {
    let title = title.map(|t| format!(" ({t})")).unwrap_or_default();
    let fix = fix.map(|f| format!(" Fix: {f}")).unwrap_or_default();
    format!("{count} failed sign-ins with {code}{title}.{fix}")
}

/// SARIF: rules are the error codes seen (help text from the knowledge base).
pub fn sarif(report: &Report) -> String {
    let mut rules: Vec<Value> = Vec::new();
    let mut results: Vec<Value> = Vec::new();
    let artifact = report
        .files
        .first()
        .map(|f| f.path.clone())
        .unwrap_or_else(|| "-".into());
    for cause in &report.causes {
        for c in &cause.codes {
            let help = super::kb::explain(&c.code)
                .unwrap_or_else(|| format!("{} ({})", c.code, cause.summary));
            rules.push(json!({
                "id": c.code,
                "name": common::pascal(c.title.unwrap_or(cause.cause.as_str())).replace(|ch: char| !ch.is_ascii_alphanumeric(), ""),
                "shortDescription": { "text": common::sentence(c.title.unwrap_or(cause.summary)) },
                "fullDescription": { "text": common::sentence(&format!("{} failures: {}", cause.cause.as_str(), cause.summary)) },
                "help": { "text": help },
                "properties": { "cause": cause.cause.as_str() },
            }));
            results.push(json!({
                "ruleId": c.code,
                "ruleIndex": rules.len() - 1,
                "level": "error",
                "message": { "text": common::sentence(&code_message(&c.code, c.count, c.title, c.fix.or(cause.fix))) },
                "locations": [common::location(&artifact, whole_file(&artifact))],
                "properties": { "count": c.count, "cause": cause.cause.as_str() },
            }));
        }
    }
    if !report.malformed.first.is_empty() {
        rules.push(json!({
            "id": "malformed-record",
            "name": "MalformedRecord",
            "shortDescription": { "text": "A log record that could not be read." },
            "fullDescription": { "text": "A record (line, array element or event) of a log file that is not valid JSON, CSV or XML of the detected format, or is longer than --max-record-bytes." },
            "help": { "text": "The record is counted and skipped; the rest of the file is still analysed. Re-export the log if many records are malformed." },
        }));
        let index = rules.len() - 1;
        for m in &report.malformed.first {
            results.push(json!({
                "ruleId": "malformed-record",
                "ruleIndex": index,
                "level": "warning",
                "message": { "text": common::sentence(&m.error) },
                "locations": [common::location(&m.file, json!({
                    "startLine": m.line.max(1),
                    "startColumn": 1,
                    "endLine": m.line.max(1),
                    "endColumn": 2,
                }))],
            }));
        }
    }
    common::document("sso-doctor logs", rules, results, Vec::new())
}

/// JUnit: one case per cause seen, plus one for malformed records.
pub fn junit(report: &Report) -> String {
    let mut cases: Vec<junit::Case> = report
        .causes
        .iter()
        .map(|cause| junit::Case {
            name: format!("{} ({} failures)", cause.cause.as_str(), cause.count),
            classname: "sso-doctor.logs".into(),
            failures: cause
                .codes
                .iter()
                .map(|c| code_message(&c.code, c.count, c.title, c.fix.or(cause.fix)))
                .collect(),
            error: None,
            output: cause.summary.to_string(),
        })
        .collect();
    cases.push(junit::Case {
        name: format!("malformed records ({})", report.malformed.count),
        classname: "sso-doctor.logs".into(),
        failures: Vec::new(),
        error: None,
        output: report
            .malformed
            .first
            .iter()
            .map(|m| format!("{}:{}: {}", m.file, m.line, m.error))
            .collect::<Vec<_>>()
            .join("\n"),
    });
    junit::render("sso-doctor logs", &cases)
}

/// GitHub annotations: an error per failing code, a warning per malformed record (with its line).
pub fn github(report: &Report) -> String {
    let mut out = String::new();
    for cause in &report.causes {
        for c in &cause.codes {
            let title = escape_property(&format!("{} {}", c.code, cause.cause.as_str()));
            out.push_str(&format!(
                "::error title={title}::{}\n",
                escape_data(&code_message(
                    &c.code,
                    c.count,
                    c.title,
                    c.fix.or(cause.fix)
                ))
            ));
        }
    }
    for m in &report.malformed.first {
        out.push_str(&format!(
            "::warning file={},line={},title=malformed record::{}\n",
            escape_property(&m.file),
            m.line.max(1),
            escape_data(&m.error)
        ));
    }
    out
}
