//! Prints a simulation as text (people needing action, near-matches, plan), JSON (one document,
//! people streamed) or CSV (one row per person). Every writer walks the already-sorted
//! decisions, so the same inputs always print the same bytes.

use super::explain::PersonReport;
use super::outcome::{Cmp, Outcome};
use super::plan::PlanStep;
use super::{IdpRecord, Simulation, UsersSnapshot};
use serde::Serialize;
use std::io::{self, Write};

/// What was read, for the report header.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Inputs {
    pub config: String,
    /// `file (shape)` per snapshot file.
    pub users_files: Vec<String>,
    pub users: usize,
    /// One line describing the IdP side (`directory x.csv (entra, email column "mail")`).
    pub idp_side: String,
    pub records: usize,
    /// Extra facts about the inputs (skipped event lines, repeats, users in two files).
    pub notes: Vec<String>,
    /// Why the Kinde snapshot is partial (the run went on under `--allow-partial-snapshot`).
    pub partial_snapshot: Option<String>,
    /// Users two snapshot files both described, counted once.
    pub duplicate_users: usize,
}

/// Everything a writer needs.
pub struct Report<'a> {
    pub sim: &'a Simulation,
    pub users: &'a UsersSnapshot,
    pub records: &'a [IdpRecord],
    pub inputs: &'a Inputs,
    pub plan: &'a [PlanStep],
    pub fail_on: &'a [Outcome],
    /// Text only: list every person, not just those needing action.
    pub all: bool,
}

impl Report<'_> {
    fn person(&self, i: usize) -> PersonReport {
        self.sim.report(i, self.users, self.records)
    }

    /// People whose outcome is in `fail_on`.
    pub fn failing(&self) -> usize {
        self.fail_on.iter().map(|o| self.sim.count(*o)).sum()
    }
}

fn on_off(b: bool) -> &'static str {
    if b { "on" } else { "off" }
}

/// The text report.
pub fn text(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    text_header(r, out)?;
    text_counts(r, out)?;
    let mut needing = 0usize;
    let mut near = Vec::new();
    writeln!(out, "\nPeople needing action")?;
    for (i, d) in r.sim.decisions.iter().enumerate() {
        // Rendering a person allocates its sentences; skip the clean majority unless asked.
        let near_miss = matches!(d.cmp, Some(Cmp::Case | Cmp::Space));
        if !(r.all || near_miss || d.needs_action()) {
            continue;
        }
        let p = r.person(i);
        if let Some(n) = &p.near_match {
            near.push(format!(
                "  {:<18} {} \"{}\" in Kinde vs \"{}\" from the IdP ({})",
                p.outcome.as_str(),
                n.kind,
                n.kinde,
                n.idp,
                p.kinde_user_id.as_deref().unwrap_or("")
            ));
        }
        if p.needs_action || r.all {
            needing += usize::from(p.needs_action);
            text_person(&p, out)?;
        }
    }
    if needing == 0 {
        writeln!(out, "  none")?;
    }
    writeln!(out, "\nCase and whitespace near-matches ({})", near.len())?;
    for line in &near {
        writeln!(out, "{line}")?;
    }
    if near.is_empty() {
        writeln!(out, "  none")?;
    }
    text_tail(r, out)
}

fn text_header(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let s = &r.sim.settings;
    let i = r.inputs;
    writeln!(out, "sso-doctor simulate")?;
    writeln!(
        out,
        "  Kinde users: {} from {}",
        i.users,
        i.users_files.join(", ")
    )?;
    writeln!(
        out,
        "  IdP side:    {} records from {}",
        i.records, i.idp_side
    )?;
    if let Some(p) = &i.partial_snapshot {
        writeln!(
            out,
            "  WARNING:     partial Kinde snapshot ({p}); outcomes it may change are flagged"
        )?;
    }
    for n in &i.notes {
        writeln!(out, "               {n}")?;
    }
    writeln!(
        out,
        "  Settings:    trust_emails {}, jit_provisioning {}, self_joining {}, connection {}, email attribute \"{}\"{} ({})",
        on_off(s.trust_emails),
        on_off(s.jit),
        on_off(s.self_joining),
        s.connection_id.as_deref().unwrap_or("(not set)"),
        s.email_attribute,
        s.organization
            .as_deref()
            .map(|o| format!(", organisation {o}"))
            .unwrap_or_default(),
        i.config
    )
}

fn text_counts(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\nOutcomes ({} people)", r.sim.decisions.len())?;
    for o in Outcome::ALL {
        let mark = if r.fail_on.contains(&o) && r.sim.count(o) > 0 {
            "  <- fails the run"
        } else {
            ""
        };
        writeln!(
            out,
            "  {:<18} {:>8}  {}{mark}",
            o.as_str(),
            r.sim.count(o),
            o.title()
        )?;
    }
    if r.sim.count(Outcome::Merged) > 0 {
        writeln!(
            out,
            "  Merged users lose their original email identity (SSO only from then on) and get their profile email/phone overwritten by the IdP."
        )?;
    }
    Ok(())
}

fn text_person(p: &PersonReport, out: &mut dyn Write) -> io::Result<()> {
    let who = p
        .idp_email
        .as_deref()
        .or(p.kinde_email.as_deref())
        .unwrap_or("(no email)");
    let id = p
        .kinde_user_id
        .as_deref()
        .map(|i| format!("  {i}"))
        .unwrap_or_default();
    writeln!(out, "\n  [{}] {who}{id}", p.outcome.as_str())?;
    if let Some(n) = &p.near_match {
        writeln!(
            out,
            "    near-match ({}): Kinde \"{}\" vs IdP \"{}\"",
            n.kind, n.kinde, n.idp
        )?;
    }
    if let Some(l) = &p.lookalike {
        let user = l
            .imitates_user
            .as_deref()
            .map(|u| format!(" (Kinde user {u})"))
            .unwrap_or_default();
        writeln!(
            out,
            "    lookalike: \"{}\" imitates \"{}\"{user}: {}",
            l.identity,
            l.imitates,
            l.why.join("; ")
        )?;
    }
    writeln!(out, "    why:  {}", p.explanation)?;
    writeln!(out, "    fix:  {}", p.fix)?;
    match p.seed {
        Some(seed) => writeln!(
            out,
            "    rule: {} rests on {seed}: \"{}\" (sso-doctor explain {})",
            p.rule, p.quote, p.rule
        )?,
        None => writeln!(
            out,
            "    rule: {} (the documents do not decide; sso-doctor explain {})",
            p.rule, p.rule
        )?,
    }
    if let Some(a) = p.assumption {
        writeln!(out, "    assumption: {a}")?;
    }
    for n in &p.notes {
        writeln!(out, "    note: {n}")?;
    }
    let from: Vec<&str> = [p.idp_source.as_deref(), p.kinde_source.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    writeln!(out, "    from: {}", from.join("; "))
}

fn text_tail(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "\nAssumptions")?;
    if r.sim.assumptions.is_empty() {
        writeln!(out, "  none beyond the per-rule ones above")?;
    }
    for a in &r.sim.assumptions {
        writeln!(out, "  - {a}")?;
    }
    writeln!(out, "\nMigration plan")?;
    for s in r.plan {
        writeln!(out, "  {}. {}: {}", s.step, s.title, s.detail)?;
        if !s.users.is_empty() {
            writeln!(out, "     users: {}", s.users.join(", "))?;
        }
        writeln!(out, "     ({}: \"{}\")", s.seed, s.quote)?;
    }
    let failing = r.failing();
    let names: Vec<&str> = r.fail_on.iter().map(|o| o.as_str()).collect();
    writeln!(
        out,
        "\nResult: {failing} people end in {} (--fail-on)",
        if names.is_empty() {
            "nothing (fail-on none)".into()
        } else {
            names.join(", ")
        }
    )
}

/// The JSON summary, before the people array.
#[derive(Serialize)]
struct Summary<'a> {
    command: &'static str,
    inputs: &'a Inputs,
    settings: Settings<'a>,
    people: usize,
    counts: serde_json::Map<String, serde_json::Value>,
    needs_action: usize,
    near_matches: usize,
    fail_on: Vec<&'static str>,
    failing: usize,
    assumptions: &'a [String],
    plan: &'a [PlanStep],
}

#[derive(Serialize)]
struct Settings<'a> {
    trust_emails: bool,
    jit_provisioning: bool,
    self_joining: bool,
    connection_id: Option<&'a str>,
    email_attribute: &'a str,
    organization: Option<&'a str>,
}

/// The JSON report: `{"summary": …, "people": […]}`, people streamed one by one.
pub fn json(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let (mut needs, mut near) = (0, 0);
    for i in 0..r.sim.decisions.len() {
        let d = &r.sim.decisions[i];
        needs += usize::from(d.needs_action());
        near += usize::from(matches!(
            d.cmp,
            Some(super::outcome::Cmp::Case | super::outcome::Cmp::Space)
        ));
    }
    let s = &r.sim.settings;
    let summary = Summary {
        command: "simulate",
        inputs: r.inputs,
        settings: Settings {
            trust_emails: s.trust_emails,
            jit_provisioning: s.jit,
            self_joining: s.self_joining,
            connection_id: s.connection_id.as_deref(),
            email_attribute: &s.email_attribute,
            organization: s.organization.as_deref(),
        },
        people: r.sim.decisions.len(),
        counts: Outcome::ALL
            .iter()
            .map(|o| (o.as_str().to_string(), r.sim.count(*o).into()))
            .collect(),
        needs_action: needs,
        near_matches: near,
        fail_on: r.fail_on.iter().map(|o| o.as_str()).collect(),
        failing: r.failing(),
        assumptions: &r.sim.assumptions,
        plan: r.plan,
    };
    out.write_all(b"{\"summary\":")?;
    serde_json::to_writer_pretty(&mut *out, &summary)?;
    out.write_all(b",\n\"people\":[")?;
    for i in 0..r.sim.decisions.len() {
        out.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, &r.person(i))?;
    }
    out.write_all(b"\n]}\n")
}

/// CSV header, one row per person.
pub const CSV_HEADER: [&str; 17] = [
    "outcome",
    "needs_action",
    "rule",
    "seed",
    "kinde_user_id",
    "kinde_email",
    "created_on",
    "idp_email",
    "near_match",
    "near_match_kinde",
    "near_match_idp",
    "idp_source",
    "kinde_source",
    "explanation",
    "fix",
    "notes",
    "assumption",
];

/// Spreadsheets run cells starting with these as formulas; directory exports are attacker-
/// influenced text, so such cells get a leading apostrophe.
fn cell(v: &str) -> String {
    match v.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{v}"),
        _ => v.to_string(),
    }
}

/// The CSV report.
pub fn csv(r: &Report, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for i in 0..r.sim.decisions.len() {
        let p = r.person(i);
        let o = |v: &Option<String>| v.as_deref().map(cell).unwrap_or_default();
        let n = p.near_match.as_ref();
        w.write_record([
            p.outcome.as_str().to_string(),
            p.needs_action.to_string(),
            p.rule.to_string(),
            p.seed.unwrap_or("").to_string(),
            o(&p.kinde_user_id),
            o(&p.kinde_email),
            o(&p.created_on),
            o(&p.idp_email),
            n.map_or(String::new(), |n| n.kind.to_string()),
            n.map_or(String::new(), |n| cell(&n.kinde)),
            n.map_or(String::new(), |n| cell(&n.idp)),
            o(&p.idp_source),
            o(&p.kinde_source),
            cell(&p.explanation),
            cell(&p.fix),
            cell(&p.notes.join(" | ")),
            p.assumption.unwrap_or("").to_string(),
        ])?;
    }
    w.flush()
}
