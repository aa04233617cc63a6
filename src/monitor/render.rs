//! Text, JSON (`"schema": "sso-doctor.monitor/1"`, documented in `docs/monitor.md`) and CSV
//! renderings of a monitor [`Report`]. Rows are sorted: mismatches with the prediction first,
//! then by observed outcome (problems first), then by email.

use super::{Observed, Report, Row};
use serde_json::{Value, json};
use std::fmt::Write;

pub const SCHEMA: &str = "sso-doctor.monitor/1";

pub(super) fn ordered(r: &Report) -> Vec<&Row> {
    let mut rows: Vec<&Row> = r.rows.iter().collect();
    rows.sort_by(|a, b| {
        (a.matches != Some(false), a.person.observed, &a.person.email).cmp(&(
            b.matches != Some(false),
            b.person.observed,
            &b.person.email,
        ))
    });
    rows
}

pub fn json(r: &Report) -> Value {
    let people: Vec<Value> = ordered(r)
        .into_iter()
        .map(|row| {
            json!({
                "email": row.person.email,
                "observed": row.person.observed.as_str(),
                "predicted": row.predicted.map(|p| p.as_str()),
                "matches": row.matches,
                "evidence": row.person.evidence,
                "near_misses": row.person.near_misses,
                "delay_ms": row.person.delay,
                "fix": row.person.fix,
            })
        })
        .collect();
    let counts: serde_json::Map<String, Value> = Observed::ALL
        .iter()
        .map(|o| {
            (
                o.as_str().to_string(),
                json!(r.counts.get(o).copied().unwrap_or(0)),
            )
        })
        .collect();
    let pairs: Vec<Value> = r
        .pairs
        .iter()
        .map(|((p, o), n)| json!({"predicted": p, "observed": o.as_str(), "count": n}))
        .collect();
    json!({
        "schema": SCHEMA,
        "window_seconds": r.window / 1000,
        "summary": {
            "people": r.rows.len(),
            "observed": counts,
            "pairs": pairs,
            "mismatches": r.rows.iter().filter(|x| x.matches == Some(false)).count(),
            "median_idp_to_kinde_delay_ms": r.median_delay,
            "stage": r.readiness.stage,
            "signed_in": r.readiness.signed_in,
            "total": r.readiness.total,
            "trust_off_ready": r.readiness.ready,
            "blockers": r.readiness.blockers,
        },
        "people": people,
        "notes": r.notes,
    })
}

pub fn text(r: &Report) -> String {
    let mut o = String::new();
    let rd = &r.readiness;
    let verdict = match rd.ready {
        Some(true) => "ready to turn Trust email addresses OFF".to_string(),
        Some(false) => format!(
            "NOT ready to turn Trust email addresses off ({} blocking)",
            rd.blockers.len()
        ),
        None => "readiness unknown: give --directory to know who has not signed in yet".to_string(),
    };
    let _ = writeln!(
        o,
        "sso-doctor monitor: {} of {} people signed in through SSO (stage: {}); {verdict}",
        rd.signed_in, rd.total, rd.stage
    );
    let mismatches = r.rows.iter().filter(|x| x.matches == Some(false)).count();
    let _ = writeln!(
        o,
        "  {} differ from the prediction",
        if mismatches == 1 {
            "1 person's outcome does".into()
        } else {
            format!("{mismatches} people's outcomes")
        }
    );
    if let Some(d) = r.median_delay {
        let _ = writeln!(
            o,
            "  median IdP → Kinde delay: {} (window ±{})",
            crate::time::human_duration(d),
            crate::time::human_duration(r.window)
        );
    }
    let _ = writeln!(o, "\nobserved:");
    for ob in Observed::ALL {
        if let Some(n) = r.counts.get(&ob) {
            let _ = writeln!(o, "  {:<22} {n}", ob.as_str());
        }
    }
    let _ = writeln!(o, "\npredicted → observed:");
    for ((p, ob), n) in &r.pairs {
        let _ = writeln!(o, "  {p:<18} → {:<22} {n}", ob.as_str());
    }
    let _ = writeln!(o);
    for row in ordered(r) {
        let p = &row.person;
        if matches!(
            p.observed,
            Observed::SignedInExisting | Observed::CreatedNew | Observed::NotAttempted
        ) && row.matches != Some(false)
        {
            continue;
        }
        let pred = row.predicted.map(|x| x.as_str()).unwrap_or("-");
        let flag = match row.matches {
            Some(false) => "  (differs from the prediction)",
            _ => "",
        };
        let _ = writeln!(
            o,
            "{}  {}  predicted {pred}{flag}",
            safe(&p.email),
            p.observed.as_str()
        );
        for e in &p.evidence {
            let _ = writeln!(o, "    · {e}");
        }
        for n in &p.near_misses {
            let _ = writeln!(o, "    · near-miss: {n}");
        }
        if let Some(f) = &p.fix {
            let _ = writeln!(o, "    fix: {f}");
        }
    }
    if !rd.blockers.is_empty() {
        let shown: Vec<&String> = rd.blockers.iter().take(20).collect();
        let more = rd.blockers.len().saturating_sub(shown.len());
        let _ = writeln!(
            o,
            "\nblocking Trust off: {}{}",
            shown
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            if more > 0 {
                format!(" …and {more} more")
            } else {
                String::new()
            }
        );
    }
    for n in &r.notes {
        let _ = writeln!(o, "note: {n}");
    }
    o
}

pub fn csv(r: &Report) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "email",
        "observed",
        "predicted",
        "matches",
        "evidence",
        "fix",
    ]);
    for row in ordered(r) {
        let _ = w.write_record([
            cell(&row.person.email),
            row.person.observed.as_str().to_string(),
            row.predicted.map(|p| p.as_str()).unwrap_or("").to_string(),
            row.matches.map(|m| m.to_string()).unwrap_or_default(),
            cell(&row.person.evidence.join(" | ")),
            cell(row.person.fix.as_deref().unwrap_or("")),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Format and bidi controls shown visibly (`<U+202E>`) so a terminal never reorders or hides
/// an identity (Trojan Source, CVE-2021-42574).
fn safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}') {
                format!("<U+{:04X}>", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Spreadsheets run cells starting with these as formulas; log values are attacker-influenced.
fn cell(v: &str) -> String {
    match v.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{v}"),
        _ => v.to_string(),
    }
}
