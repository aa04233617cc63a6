//! Renderers: the same analysis as text for people, JSON for tools (a contract), SARIF 2.1.0 for
//! code-scanning UIs, JUnit XML for CI test reports, and GitHub workflow annotations.

pub mod fixtures;
pub mod github;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod text;

use crate::analyze::{Analysis, Analyzed};
use crate::finding::{Finding, Location};

/// Output format, shared by `saml`, `check` and `logs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
    Github,
}

/// A finding placed in a file, for the formats that point at lines (SARIF, GitHub).
#[derive(Debug, Clone)]
pub struct Placed<'a> {
    pub file: &'a str,
    pub finding: &'a Finding,
    /// Line and column in the file; only known when the file holds the XML as-is.
    pub location: Option<Location>,
}

/// Places every finding of an analysis. Positions are given only for raw-XML inputs, where the
/// decoded text is the file itself; for encoded pastes the element path in the evidence locates it.
pub fn placed(analysis: &Analysis) -> Vec<Placed<'_>> {
    analysis
        .messages
        .iter()
        .flat_map(|m| {
            m.outcome.findings.iter().map(move |f| Placed {
                file: &m.input,
                finding: f,
                location: location_in_file(m, f),
            })
        })
        .collect()
}

fn location_in_file(m: &Analyzed, f: &Finding) -> Option<Location> {
    let raw = m
        .decoded
        .steps
        .iter()
        .all(|s| s.starts_with("strip UTF-8 BOM"));
    if !raw || m.decoded.label.is_some() {
        return None;
    }
    f.primary_location()
}

/// `1 failure`, `2 failures`: a count and its noun, singular for exactly one.
pub fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A label for one message: the input, plus where inside a capture it was found.
pub fn message_title(m: &Analyzed) -> String {
    match &m.decoded.label {
        Some(l) => format!("{} · {l}", m.input),
        None => m.input.clone(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn plural_is_singular_for_one_only() {
        assert_eq!(super::plural(1u64, "check", "checks"), "1 check");
        assert_eq!(super::plural(0u64, "check", "checks"), "0 checks");
        assert_eq!(super::plural(2u64, "failure", "failures"), "2 failures");
    }
}
