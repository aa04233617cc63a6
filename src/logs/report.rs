//! Rendering an [`Aggregate`] as the JSON contract or a readable text summary (top causes first).
//! Every list is sorted with ties broken by key, so output never depends on thread timing.

use super::agg::{Aggregate, Counts, FileSummary, Malformed};
use super::cause::{Cause, Source};
use super::kb;
use crate::time;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Identifies the JSON shape; bump on incompatible changes.
pub const SCHEMA: &str = "sso-doctor.logs/1";

#[derive(Debug, Serialize)]
pub struct CodeDetail {
    pub code: String,
    pub count: u64,
    pub title: Option<&'static str>,
    /// The knowledge base's fix for this code, when it knows the code.
    pub fix: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct CauseDetail {
    pub cause: Cause,
    pub count: u64,
    pub summary: &'static str,
    pub codes: Vec<CodeDetail>,
    /// The fix for the most frequent known code in this cause.
    pub fix: Option<&'static str>,
}

#[derive(Debug, Serialize)]
pub struct UserRow {
    pub user: String,
    pub failures: u64,
    pub interrupted: u64,
    pub events: u64,
}

#[derive(Debug, Serialize)]
pub struct Histogram {
    /// `hour` when first..last spans at most 72 hours, else `day`.
    pub bucket: &'static str,
    pub counts: BTreeMap<String, Counts>,
}

#[derive(Debug, Serialize)]
pub struct MalformedReport {
    pub count: u64,
    pub first: Vec<Malformed>,
}

/// The `--format json` document.
#[derive(Debug, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub events_total: u64,
    pub failures_total: u64,
    pub successes_total: u64,
    pub interrupted_total: u64,
    pub skipped_total: u64,
    /// Skipped records per `source:event type` (Okta), so nothing is dropped unseen.
    pub skipped_by_type: BTreeMap<String, u64>,
    /// successes / (successes + failures), interrupts excluded; null when both are zero.
    pub success_rate: Option<f64>,
    pub distinct_users: usize,
    pub distinct_users_affected: usize,
    pub first_seen: Option<String>,
    pub last_seen: Option<String>,
    pub by_error_code: BTreeMap<String, u64>,
    pub interrupts_by_code: BTreeMap<String, u64>,
    pub by_cause: BTreeMap<Cause, u64>,
    pub causes: Vec<CauseDetail>,
    pub by_app: BTreeMap<String, Counts>,
    pub by_source: BTreeMap<Source, Counts>,
    /// Events per sign-in category where the export names one (see [`Aggregate::by_category`]).
    pub by_category: BTreeMap<String, Counts>,
    pub top_users: Vec<UserRow>,
    pub histogram: Histogram,
    pub malformed: MalformedReport,
    pub files: Vec<FileSummary>,
    pub notes: Vec<String>,
}

fn title_of(agg: &Aggregate, code: &str) -> Option<&'static str> {
    let source = agg.code_sources.get(code)?;
    kb::lookup(*source, code).map(|e| e.title)
}

fn fix_of(agg: &Aggregate, code: &str) -> Option<&'static str> {
    let source = agg.code_sources.get(code)?;
    kb::lookup(*source, code).map(|e| e.fix)
}

/// Sorts (key, count) pairs by count descending, then key ascending.
fn ranked<K: Ord + Clone>(map: &BTreeMap<K, u64>) -> Vec<(K, u64)> {
    let mut v: Vec<_> = map.iter().map(|(k, n)| (k.clone(), *n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

impl Report {
    /// Builds the report; `top` limits users and per-cause codes.
    pub fn build(agg: &Aggregate, top: usize, notes: Vec<String>) -> Report {
        let causes = ranked(&agg.by_cause)
            .into_iter()
            .map(|(cause, count)| {
                let codes: Vec<CodeDetail> = agg
                    .codes_by_cause
                    .get(&cause)
                    .map(ranked)
                    .unwrap_or_default()
                    .into_iter()
                    .take(top)
                    .map(|(code, count)| CodeDetail {
                        title: title_of(agg, &code),
                        fix: fix_of(agg, &code),
                        code,
                        count,
                    })
                    .collect();
                let fix = codes.iter().find_map(|c| fix_of(agg, &c.code));
                CauseDetail {
                    cause,
                    count,
                    summary: cause.summary(),
                    codes,
                    fix,
                }
            })
            .collect();
        let mut users: Vec<UserRow> = agg
            .users
            .iter()
            .filter(|(_, c)| c.failures > 0)
            .map(|(u, c)| UserRow {
                user: u.clone(),
                failures: c.failures,
                interrupted: c.interrupted,
                events: c.events,
            })
            .collect();
        users.sort_by(|a, b| {
            b.failures
                .cmp(&a.failures)
                .then_with(|| a.user.cmp(&b.user))
        });
        let affected = users.len();
        users.truncate(top);
        let decided = agg.successes.saturating_add(agg.failures);
        let success_rate = (decided > 0)
            .then(|| ((agg.successes as f64 / decided as f64) * 10_000.0).round() / 10_000.0);
        let mut malformed = agg.malformed.clone();
        malformed.sort();
        Report {
            schema: SCHEMA,
            events_total: agg.events,
            failures_total: agg.failures,
            successes_total: agg.successes,
            interrupted_total: agg.interrupted,
            skipped_total: agg.skipped,
            success_rate,
            distinct_users: agg.users.len(),
            distinct_users_affected: affected,
            first_seen: agg.first_seen.map(time::format),
            last_seen: agg.last_seen.map(time::format),
            by_error_code: agg.by_error_code.clone(),
            interrupts_by_code: agg.interrupts_by_code.clone(),
            by_cause: agg.by_cause.clone(),
            causes,
            by_app: agg.by_app.iter().map(|(k, v)| (k.clone(), *v)).collect(),
            by_source: agg.by_source.clone(),
            by_category: agg.by_category.clone(),
            skipped_by_type: agg.skipped_by_type.clone(),
            top_users: users,
            histogram: histogram(agg),
            malformed: MalformedReport {
                count: agg.malformed_count,
                first: malformed,
            },
            files: agg.files.clone(),
            notes,
        }
    }
}

fn histogram(agg: &Aggregate) -> Histogram {
    let span = match (agg.first_seen, agg.last_seen) {
        (Some(f), Some(l)) => l.saturating_sub(f),
        _ => 0,
    };
    let hourly = span <= 72 * 3_600_000;
    let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
    for (hour, c) in &agg.hours {
        let ms = hour.saturating_mul(3_600_000);
        let key = if hourly {
            time::format_hour(ms)
        } else {
            time::format_day(ms)
        };
        let slot = counts.entry(key).or_default();
        slot.events = slot.events.saturating_add(c.events);
        slot.failures = slot.failures.saturating_add(c.failures);
        slot.interrupted = slot.interrupted.saturating_add(c.interrupted);
    }
    Histogram {
        bucket: if hourly { "hour" } else { "day" },
        counts,
    }
}

fn code_label(agg: &Aggregate, code: &str) -> String {
    match agg.code_sources.get(code) {
        Some(Source::Entra) if code.bytes().all(|b| b.is_ascii_digit()) => format!("AADSTS{code}"),
        _ => code.to_string(),
    }
}

/// The human-readable summary.
pub fn render_text(report: &Report, agg: &Aggregate) -> String {
    let mut s = String::new();
    let files = report.files.len();
    let _ = writeln!(
        s,
        "sso-doctor logs: {} from {}",
        crate::report::plural(report.events_total, "sign-in event", "sign-in events"),
        crate::report::plural(files as u64, "file", "files")
    );
    if let (Some(f), Some(l)) = (&report.first_seen, &report.last_seen) {
        let _ = writeln!(s, "  seen {f} → {l}");
    }
    let rate = report
        .success_rate
        .map_or("n/a".to_string(), |r| format!("{:.1}%", r * 100.0));
    let _ = writeln!(
        s,
        "  failures {} · successes {} · interrupted {} · success rate {} · users affected {} of {}",
        report.failures_total,
        report.successes_total,
        report.interrupted_total,
        rate,
        report.distinct_users_affected,
        report.distinct_users
    );
    if !report.skipped_by_type.is_empty() {
        let list: Vec<String> = report
            .skipped_by_type
            .iter()
            .map(|(t, n)| format!("{t} ×{n}"))
            .collect();
        let _ = writeln!(s, "  skipped (not sign-in outcomes): {}", list.join(", "));
    }
    if !report.causes.is_empty() {
        let _ = writeln!(s, "\nTop causes");
        for (i, c) in report.causes.iter().enumerate() {
            let _ = writeln!(
                s,
                "  {}. {} — {} failure{}: {}",
                i + 1,
                c.cause,
                c.count,
                if c.count == 1 { "" } else { "s" },
                c.summary
            );
            for code in &c.codes {
                let _ = writeln!(
                    s,
                    "       {} {} ×{}",
                    code_label(agg, &code.code),
                    code.title.unwrap_or(""),
                    code.count
                );
            }
            if let Some(fix) = c.fix {
                let _ = writeln!(s, "       fix: {fix}");
            }
        }
    }
    if report.by_category.keys().any(|c| c != "interactive_user") {
        // Machine and non-interactive sign-ins are counted in the totals; say how many.
        let _ = writeln!(s, "\nSign-in categories");
        for (c, n) in &report.by_category {
            let _ = writeln!(s, "  {c}: {} events, {} failures", n.events, n.failures);
        }
    }
    if !report.by_app.is_empty() {
        let _ = writeln!(s, "\nApplications");
        let mut apps: Vec<_> = report.by_app.iter().collect();
        apps.sort_by(|a, b| b.1.failures.cmp(&a.1.failures).then_with(|| a.0.cmp(b.0)));
        for (app, c) in apps {
            let _ = writeln!(
                s,
                "  {app}: {}, {}",
                crate::report::plural(c.events, "event", "events"),
                crate::report::plural(c.failures, "failure", "failures")
            );
        }
    }
    if !report.top_users.is_empty() {
        let _ = writeln!(s, "\nTop users by failures");
        for u in &report.top_users {
            let _ = writeln!(
                s,
                "  {}: {} of {}",
                u.user,
                crate::report::plural(u.failures, "failure", "failures"),
                crate::report::plural(u.events, "event", "events")
            );
        }
    }
    if !report.histogram.counts.is_empty() {
        let _ = writeln!(s, "\nFailures per {}", report.histogram.bucket);
        let peak = report
            .histogram
            .counts
            .values()
            .map(|c| c.failures)
            .max()
            .unwrap_or(0)
            .max(1);
        for (k, c) in &report.histogram.counts {
            // In u128: failures ≤ peak, so the bar is at most 30, and no count can overflow it.
            let bar = "#".repeat((u128::from(c.failures) * 30).div_ceil(u128::from(peak)) as usize);
            let _ = writeln!(s, "  {k}  {:>6} / {:<6} {bar}", c.failures, c.events);
        }
    }
    if report.malformed.count > 0 {
        let _ = writeln!(
            s,
            "\nMalformed records: {} (not analysed)",
            report.malformed.count
        );
        for m in &report.malformed.first {
            let _ = writeln!(s, "  {}:{}: {}", m.file, m.line, m.error);
        }
    }
    if !report.notes.is_empty() {
        let _ = writeln!(s, "\nNotes");
        for n in &report.notes {
            let _ = writeln!(s, "  - {n}");
        }
    }
    escape_controls(&s)
}

/// Shows control characters other than newline and tab as `\u{…}`. User names, apps and error
/// texts come from the logs (JSON `\u001b` escapes included), and an escape sequence printed
/// raw would drive the terminal.
fn escape_controls(text: &str) -> String {
    if !text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c if c.is_control() => c.escape_unicode().to_string(),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::cause::Outcome;
    use crate::logs::event::Event;

    #[test]
    fn ranks_causes_and_users_deterministically() {
        let mut agg = Aggregate::default();
        for (user, code, cause) in [
            ("b@example.com", "50011", Cause::AcsUrlMismatch),
            ("a@example.com", "50011", Cause::AcsUrlMismatch),
            ("a@example.com", "50105", Cause::UserNotAssigned),
        ] {
            let mut e = Event::new(Source::Entra, Outcome::Failure);
            e.user = Some(user.into());
            e.error_code = Some(code.into());
            e.cause = cause;
            e.time = Some(0);
            agg.add(&e);
        }
        let r = Report::build(&agg, 10, vec![]);
        assert_eq!(r.causes[0].cause, Cause::AcsUrlMismatch);
        assert_eq!(r.causes[0].codes[0].title, Some("InvalidReplyTo"));
        assert_eq!(r.top_users[0].user, "a@example.com");
        assert_eq!(r.top_users[1].user, "b@example.com");
        assert_eq!(r.histogram.bucket, "hour");
        assert_eq!(r.success_rate, Some(0.0));
        let text = render_text(&r, &agg);
        assert!(text.contains("1. acs_url_mismatch — 2 failures"), "{text}");
        assert!(text.contains("AADSTS50011 InvalidReplyTo ×2"), "{text}");
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["by_error_code"]["50011"], 2);
        assert_eq!(json["by_cause"]["acs_url_mismatch"], 2);
    }
}
