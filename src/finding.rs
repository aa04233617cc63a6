//! What every check produces: a [`Finding`] with a stable code, a severity, a one-line message,
//! the evidence it rests on (values compared and where they came from) and the fix.

use serde::Serialize;
use std::fmt;

/// How bad a finding is. Ordered so that `Error > Warning > Info`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a piece of evidence sits in the decoded XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// Byte offset into the decoded XML.
    pub offset: usize,
}

/// Where in the XML a piece of evidence sits, resolved to a path and line only when a finding is
/// reported (most values read never end up in a finding, so resolving eagerly would be waste).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Anchor {
    pub node: usize,
    /// The attribute the value came from, when it is one.
    pub attr: Option<&'static str>,
    /// Byte offset of the node in the XML text.
    pub offset: usize,
}

/// One value a finding rests on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Evidence {
    /// What the value is, e.g. "Destination" or "configured ACS URL".
    pub label: String,
    /// The value itself (may be empty when the point is that it is missing).
    pub value: String,
    /// Where it came from: an element path, a settings key, or "--now".
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Unresolved position; [`crate::rules::run`] turns it into `source` and `location`.
    #[serde(skip)]
    pub anchor: Option<Anchor>,
}

impl Evidence {
    pub fn new(
        label: impl Into<String>,
        value: impl Into<String>,
        source: impl Into<String>,
    ) -> Self {
        Evidence {
            label: label.into(),
            value: value.into(),
            source: source.into(),
            location: None,
            anchor: None,
        }
    }

    /// Attaches a position to resolve later; an empty `source` becomes the element path.
    pub fn anchored(mut self, anchor: Anchor) -> Self {
        self.anchor = Some(anchor);
        self
    }

    pub fn at(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }
}

/// A problem (or a notable fact) found in one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    /// The rule's short kebab-case name, e.g. `destination-mismatch`.
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    pub evidence: Vec<Evidence>,
    pub fix: String,
    /// Ranking weight inside its severity: higher means more likely the root cause.
    #[serde(skip)]
    pub weight: u8,
    /// Which message of a multi-message input this belongs to (0-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_index: Option<usize>,
}

impl Finding {
    /// The first evidence location, used for SARIF regions and the text report's excerpt.
    pub fn primary_location(&self) -> Option<Location> {
        self.evidence.iter().find_map(|e| e.location)
    }
}

/// Sorts findings into report order: most severe first, then by weight, code, message, evidence.
/// The order is total, so output never depends on the order rules ran in.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.weight.cmp(&a.weight))
            .then(a.message_index.cmp(&b.message_index))
            .then(a.code.cmp(b.code))
            .then(a.message.cmp(&b.message))
            .then(a.evidence.cmp(&b.evidence))
    });
}
