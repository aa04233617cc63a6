//! The clock for `saml`: `--now` as RFC 3339, a plain date (midnight UTC), or `issued` (judge as of
//! the first message's IssueInstant); and, for old captures judged by the system clock, the
//! headline that says so.
//!
//! Most pasted traces are hours or days old, so judged as of now they lead with expiry findings
//! that say nothing about why the sign-in failed. When every timing finding (a rule that needs the
//! clock) disappears when the same messages are judged as of their IssueInstant, those findings are
//! explained by the capture's age: the report says "captured N ago; timing judged as of now —
//! rerun with --now issued to see the rest" and ranks them after the others.

use crate::analyze::{Analysis, Input, RunOptions, analyze};
use crate::rules::{self, Need};
use crate::time::Millis;

/// What `--now` asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    At(Millis, &'static str),
    /// Judge each run as of the first message's IssueInstant.
    Issued,
}

/// Reads `--now`: absent is the system clock.
pub fn parse(now: &Option<String>) -> Result<Clock, String> {
    match now.as_deref().map(str::trim) {
        Some("issued") => Ok(Clock::Issued),
        Some(d) if d.len() == 10 && d.as_bytes().get(4) == Some(&b'-') => {
            crate::time::parse_millis(&format!("{d}T00:00:00Z"))
                .map(|t| Clock::At(t, "--now"))
                .ok_or_else(|| format!("--now {d:?} is not a date like 2026-03-10"))
        }
        _ => super::args::clock(now).map(|(t, s)| Clock::At(t, s)),
    }
}

/// The first message's IssueInstant, as milliseconds.
pub fn issued_at(analysis: &Analysis) -> Option<Millis> {
    analysis.messages.iter().find_map(|m| {
        m.message
            .issue_instant
            .as_ref()
            .and_then(|i| crate::time::parse_millis(i.value.trim()))
    })
}

fn needs_clock(code: &str) -> bool {
    rules::find(code).is_some_and(|r| r.meta().needs.contains(&Need::Clock))
}

/// When judged by the system clock: if every timing finding goes away as of the capture's own
/// IssueInstant, moves those findings last and returns the headline.
pub fn explain_age(
    analysis: &mut Analysis,
    inputs: &[Input],
    opts: &RunOptions,
    now: Millis,
) -> Option<String> {
    let timing: Vec<(usize, &'static str)> = analysis
        .messages
        .iter()
        .enumerate()
        .flat_map(|(i, m)| {
            m.outcome
                .findings
                .iter()
                .filter(|f| needs_clock(f.code))
                .map(move |f| (i, f.code))
        })
        .collect();
    if timing.is_empty() {
        return None;
    }
    let issued = issued_at(analysis)?;
    let at_issue = analyze(
        inputs,
        &RunOptions {
            now: Some(issued),
            ..*opts
        },
    );
    let explained = timing.iter().all(|(i, code)| {
        at_issue
            .messages
            .get(*i)
            .is_some_and(|m| !m.outcome.findings.iter().any(|f| f.code == *code))
    });
    if !explained {
        return None;
    }
    for m in &mut analysis.messages {
        // A stable partition: the others keep their ranking, timing findings follow.
        let (mut keep, late): (Vec<_>, Vec<_>) = std::mem::take(&mut m.outcome.findings)
            .into_iter()
            .partition(|f| !needs_clock(f.code));
        keep.extend(late);
        m.outcome.findings = keep;
    }
    let age = now - issued;
    let days = age / 86_400_000;
    let shown = if days >= 1 {
        crate::report::plural(days as u64, "day", "days")
    } else {
        crate::time::human_duration(age)
    };
    Some(format!(
        "captured {shown} ago; timing judged as of now — rerun with --now issued to see the rest"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dates_issued_and_instants() {
        assert_eq!(parse(&Some("issued".into())), Ok(Clock::Issued));
        assert_eq!(
            parse(&Some("2026-03-10".into())),
            Ok(Clock::At(
                crate::time::parse_millis("2026-03-10T00:00:00Z").unwrap(),
                "--now"
            ))
        );
        assert!(parse(&Some("2026-13-40".into())).is_err());
        assert!(matches!(parse(&None), Ok(Clock::At(_, "system clock"))));
    }
}
