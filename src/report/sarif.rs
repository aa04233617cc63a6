//! SARIF 2.1.0, shared by `saml`, `check` and `logs`: the envelope (tool, rules, invocation,
//! `informationUri`), relative URIs from the working directory, and a region for every result — the
//! finding's line for raw-XML files, the whole file otherwise — so the output passes Microsoft's SARIF
//! multitool (`validate --rule-kind "Gh;Sarif"`) with no error or warning (tests/cli_sarif.rs).
//!
//! `saml` renders every finding as a result; `check` renders only fixture failures (see
//! `cli/check.rs`); `logs` maps its report in `logs/ci.rs`.

use super::Placed;
use crate::finding::Severity;
use crate::rules;
use serde_json::{Value, json};
use std::path::Path;

/// Where the tool's documentation lives (`informationUri`): the package's repository when
/// Cargo.toml names one, else its homepage, else Kinde's documentation of enterprise connections.
pub fn information_uri() -> &'static str {
    let repo = env!("CARGO_PKG_REPOSITORY");
    let home = env!("CARGO_PKG_HOMEPAGE");
    if !repo.is_empty() {
        repo
    } else if !home.is_empty() {
        home
    } else {
        "https://docs.kinde.com/authenticate/enterprise-connections/"
    }
}

pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The shape of a file's text, for regions: the length in characters of every line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extent {
    pub line_chars: Vec<usize>,
}

impl Extent {
    pub fn of(bytes: &[u8]) -> Extent {
        let text = String::from_utf8_lossy(bytes);
        let mut line_chars: Vec<usize> = text
            .split('\n')
            .map(|l| l.trim_end_matches('\r').chars().count())
            .collect();
        if line_chars.len() > 1 && line_chars.last() == Some(&0) {
            line_chars.pop();
        }
        Extent { line_chars }
    }

    /// The whole file: line 1 column 1 to the end of the last line.
    pub fn whole(&self) -> Value {
        let lines = self.line_chars.len().max(1);
        let last = self.line_chars.last().copied().unwrap_or(0);
        json!({ "startLine": 1, "startColumn": 1, "endLine": lines, "endColumn": last + 1 })
    }

    /// From (line, column) to the end of that line.
    pub fn from(&self, line: usize, column: usize) -> Value {
        let len = self.line_chars.get(line.saturating_sub(1)).copied();
        let end = len.map_or(column + 1, |l| (l + 1).max(column + 1));
        json!({ "startLine": line, "startColumn": column, "endLine": line, "endColumn": end })
    }
}

/// A whole-file region for a file known only by size (large logs): by bytes.
pub fn whole_bytes(len: u64) -> Value {
    json!({ "byteOffset": 0, "byteLength": len })
}

/// A relative URI reference for a path, from the working directory (`-` is `stdin`); a path
/// outside it becomes an absolute `file://` URI. Characters outside RFC 3986's unreserved set and
/// `/` are percent-encoded.
pub fn uri(path: &str) -> String {
    if path == "-" {
        return "stdin".into();
    }
    let rel = relative_path(path);
    if Path::new(&rel).is_absolute() {
        format!("file://{}", encode(&rel))
    } else {
        encode(&rel)
    }
}

/// A path as shown to CI annotations: relative to the working directory when it is inside it,
/// without a leading `./`, with `/` separators.
pub fn relative_path(path: &str) -> String {
    let p = Path::new(path);
    let rel = if p.is_absolute() {
        let cwd = std::env::current_dir().ok();
        match cwd.as_deref().and_then(|c| p.strip_prefix(c).ok()) {
            Some(r) => r.to_string_lossy().into_owned(),
            None => path.to_string(),
        }
    } else {
        path.to_string()
    };
    let mut rel = rel.replace('\\', "/");
    while let Some(rest) = rel.strip_prefix("./") {
        rel = rest.to_string();
    }
    rel
}

fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A physical location: the file and a region.
pub fn location(file: &str, region: Value) -> Value {
    json!({ "physicalLocation": { "artifactLocation": { "uri": uri(file) }, "region": region } })
}

/// A message text ending with a period (SARIF2001).
pub fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// The SARIF document around `rules` and `results`; `notifications` are inputs that could not be
/// used (the invocation then did not succeed).
pub fn document(
    tool: &str,
    rules: Vec<Value>,
    results: Vec<Value>,
    notifications: Vec<Value>,
) -> String {
    let sarif = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": tool,
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": information_uri(),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    out.push('\n');
    out
}

/// Rule descriptors for every SAML rule, in code order; also used to look up `ruleIndex`.
pub fn rule_descriptors() -> Vec<Value> {
    rules::all()
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.code,
                "name": pascal(m.name),
                "shortDescription": { "text": sentence(m.summary) },
                "fullDescription": { "text": sentence(m.summary) },
                "help": { "text": m.docs, "markdown": m.docs },
                "defaultConfiguration": { "level": level(m.severity) },
            })
        })
        .collect()
}

/// `destination-mismatch` → `DestinationMismatch` (SARIF2012 asks for Pascal-case rule names).
pub fn pascal(name: &str) -> String {
    name.split(['-', '_', ' '])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// A notification for an input that could not be used.
pub fn notification(file: &str, error: &str, extent: Option<&Extent>) -> Value {
    let region = extent.map_or_else(|| json!({ "startLine": 1 }), Extent::whole);
    json!({
        "level": "error",
        "message": { "text": sentence(error) },
        "locations": [location(file, region)],
    })
}

/// Renders SAML findings; `errors` are (file, message) pairs for inputs that could not be used;
/// `extent` gives the text shape of an input file, for regions.
pub fn render(
    items: &[Placed],
    errors: &[(String, String)],
    extent: &dyn Fn(&str) -> Option<Extent>,
) -> String {
    let descriptors = rule_descriptors();
    let index_of = |code: &str| descriptors.iter().position(|d| d["id"] == code);
    let results: Vec<Value> = items
        .iter()
        .map(|p| {
            let f = p.finding;
            let shape = extent(p.file).unwrap_or_default();
            let region = match p.location {
                Some(loc) => shape.from(loc.line, loc.column),
                None => shape.whole(),
            };
            let mut location = location(p.file, region);
            if let Some(path) = f
                .evidence
                .iter()
                .find(|e| e.location.is_some())
                .map(|e| e.source.clone())
            {
                location["logicalLocations"] =
                    json!([{ "fullyQualifiedName": path, "kind": "element" }]);
            }
            let mut result = json!({
                "ruleId": f.code,
                "level": level(f.severity),
                "message": { "text": sentence(&format!("{} Fix: {}", sentence(&f.message), f.fix)) },
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
        .map(|(file, e)| notification(file, e, extent(file).as_ref()))
        .collect();
    document("sso-doctor", descriptors, results, notifications)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("fixtures/a b.xml"), "fixtures/a%20b.xml");
        assert_eq!(uri("./x.xml"), "x.xml");
        assert_eq!(uri("-"), "stdin");
        let here = std::env::current_dir().unwrap().join("y.xml");
        assert_eq!(uri(&here.display().to_string()), "y.xml");
        assert!(uri("/definitely/elsewhere.xml").starts_with("file:///definitely/"));
    }

    #[test]
    fn regions_cover_the_line_or_the_file() {
        let e = Extent::of(b"<a>\n  <b/>\n");
        assert_eq!(e.line_chars, vec![3, 6]);
        assert_eq!(e.whole()["endLine"], 2);
        assert_eq!(e.whole()["endColumn"], 7);
        assert_eq!(e.from(2, 3)["endColumn"], 7);
        assert_eq!(Extent::of(b"").whole()["endLine"], 1);
    }

    #[test]
    fn names_and_sentences() {
        assert_eq!(pascal("destination-mismatch"), "DestinationMismatch");
        assert_eq!(sentence("no period"), "no period.");
        assert_eq!(sentence("done."), "done.");
    }
}
