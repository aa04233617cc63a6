//! Text and JSON renderings of a preflight [`Report`]. The JSON shape is a contract
//! (`"schema": "sso-doctor.preflight/1"`, documented in `docs/preflight.md`).

use super::Report;
use super::checks::{Status, Verdict};
use serde_json::{Value, json};
use std::fmt::Write;

pub const SCHEMA: &str = "sso-doctor.preflight/1";

pub fn json(r: &Report) -> Value {
    json!({
        "schema": SCHEMA,
        "verdict": r.verdict.as_str(),
        "now": crate::time::format(r.now),
        "inputs": {
            "idp": r.idp.shapes,
            "kinde": r.kinde.file,
        },
        "checks": r.checks.iter().map(|c| json!({
            "check": c.check,
            "status": c.status.as_str(),
            "idp": c.idp,
            "kinde": c.kinde,
            "evidence": c.evidence,
            "fix": c.fix,
        })).collect::<Vec<_>>(),
        "notes": r.idp.notes,
    })
}

pub fn text(r: &Report) -> String {
    let mut out = String::new();
    let failing = r
        .checks
        .iter()
        .filter(|c| matches!(c.status, Status::Mismatch | Status::Missing))
        .count();
    let warnings = r
        .checks
        .iter()
        .filter(|c| c.status == Status::Warning)
        .count();
    let headline = match r.verdict {
        Verdict::Ready => "READY: the IdP and Kinde agree on everything checked".to_string(),
        Verdict::AtRisk => format!(
            "AT RISK: sign-in should work, but {} need attention",
            plural(failing + warnings, "check", "checks")
        ),
        Verdict::WillFail => format!(
            "WILL FAIL: sign-in cannot work until {} fixed",
            if failing == 1 {
                "1 check is".to_string()
            } else {
                format!("{failing} checks are")
            }
        ),
    };
    let _ = writeln!(out, "sso-doctor preflight: {headline}");
    let _ = writeln!(out, "  IdP side:   {}", r.idp.shapes.join("; "));
    let _ = writeln!(out, "  Kinde side: {}", r.kinde.file);
    let _ = writeln!(out, "  judged at:  {}\n", crate::time::format(r.now));
    let mut order: Vec<&super::Check> = r.checks.iter().collect();
    order.sort_by_key(|c| std::cmp::Reverse(c.status));
    for c in order {
        let mark = match c.status {
            Status::Ok => "ok  ",
            Status::NotChecked => "--  ",
            Status::Warning => "warn",
            Status::Missing | Status::Mismatch => "FAIL",
        };
        let _ = writeln!(out, "{mark} {:<20} {}", c.check, c.status.as_str());
        if c.status == Status::Ok {
            continue;
        }
        if c.idp.is_some() || c.kinde.is_some() {
            let _ = writeln!(
                out,
                "       IdP:   {}",
                c.idp.as_deref().unwrap_or("(none)")
            );
            let _ = writeln!(
                out,
                "       Kinde: {}",
                c.kinde.as_deref().unwrap_or("(none)")
            );
        }
        for line in c.evidence.lines() {
            let _ = writeln!(out, "       {line}");
        }
        if !c.fix.is_empty() {
            let _ = writeln!(out, "       fix: {}", c.fix);
        }
    }
    if !r.idp.notes.is_empty() {
        let _ = writeln!(out, "\nnotes:");
        for n in &r.idp.notes {
            let _ = writeln!(out, "  - {n}");
        }
    }
    let _ = writeln!(
        out,
        "\n`sso-doctor explain preflight` says how each check reads; next step: `sso-doctor simulate`."
    );
    out
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// One self-contained HTML page: the verdict, then each check with both sides, evidence and fix.
pub fn html(r: &Report) -> String {
    use crate::html::escape as esc;
    let mut o = crate::html::head("sso-doctor preflight", crate::html::STYLE);
    let _ = write!(
        o,
        "<h1>sso-doctor preflight: {}</h1>\n<p>IdP side: {}<br>Kinde side: {}<br>judged at {}</p>\n\
         <table><tr><th>check</th><th>status</th><th>IdP</th><th>Kinde</th><th>evidence</th><th>fix</th></tr>\n",
        esc(r.verdict.as_str()),
        esc(&r.idp.shapes.join("; ")),
        esc(&r.kinde.file),
        esc(&crate::time::format(r.now))
    );
    for c in &r.checks {
        let class = match c.status {
            Status::Mismatch | Status::Missing => " class=\"bad\"",
            Status::Warning => " class=\"warn\"",
            _ => "",
        };
        let ev: String = c
            .evidence
            .lines()
            .map(|l| format!("{}<br>", esc(l)))
            .collect();
        let _ = writeln!(
            o,
            "<tr{class}><td>{}</td><td>{}</td><td class=\"w\">{}</td><td class=\"w\">{}</td><td class=\"w\">{ev}</td><td class=\"w\">{}</td></tr>",
            c.check,
            c.status.as_str(),
            esc(c.idp.as_deref().unwrap_or("")),
            esc(c.kinde.as_deref().unwrap_or("")),
            esc(&c.fix)
        );
    }
    o.push_str("</table>\n");
    for n in &r.idp.notes {
        let _ = writeln!(o, "<p><em>Note:</em> {}</p>", esc(n));
    }
    o.push_str("</body></html>\n");
    o
}

/// GitHub-flavoured Markdown for a ticket or a pull-request comment.
pub fn markdown(r: &Report) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', "<br>");
    let mut o = format!(
        "### sso-doctor preflight: **{}**\n\nIdP side: {} · Kinde side: `{}` · judged at {}\n\n\
         | check | status | IdP | Kinde | fix |\n|---|---|---|---|---|\n",
        r.verdict.as_str(),
        cell(&r.idp.shapes.join("; ")),
        cell(&r.kinde.file),
        crate::time::format(r.now)
    );
    for c in &r.checks {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} | {} |",
            c.check,
            c.status.as_str(),
            cell(c.idp.as_deref().unwrap_or("")),
            cell(c.kinde.as_deref().unwrap_or("")),
            cell(&c.fix)
        );
    }
    o.push_str("\n<details><summary>Evidence</summary>\n\n");
    for c in r.checks.iter().filter(|c| !c.evidence.is_empty()) {
        let _ = writeln!(o, "- **{}**: {}", c.check, cell(&c.evidence));
    }
    o.push_str("\n</details>\n");
    o
}
