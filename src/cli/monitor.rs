//! `sso-doctor monitor`: per person, what happened at the SSO sign-in against what `simulate`
//! predicted, from IdP logs, Kinde events and the users snapshots.

use super::{EXIT_FINDINGS, EXIT_OK, fail};
use crate::monitor::{self, Observed, idp, kinde_events};
use crate::provision::UsersSnapshot;
use crate::provision::directory::{DirectoryOptions, read_directory};
use crate::settings::{KINDE_DEFAULT_EMAIL_ATTRIBUTE, Settings};
use crate::time::Millis;
use clap::{Args, ValueEnum};
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MonitorFormat {
    Text,
    Json,
    Csv,
    /// One self-contained HTML file (no script, no external request)
    Html,
}

/// Check what happened at each person's SSO sign-in against the simulator's prediction
#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// IdP sign-in logs and Kinde events (any format `logs` reads; files or directories)
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Connection settings (TOML)
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: PathBuf,
    /// Kinde users snapshot taken before the sign-ins (API pages, export NDJSON or import CSV); repeatable
    #[arg(long = "users", value_name = "FILE", required = true)]
    pub users: Vec<PathBuf>,
    /// A later users snapshot: users created or merged that no event showed
    #[arg(long = "users-after", value_name = "FILE")]
    pub users_after: Vec<PathBuf>,
    /// IdP directory export (CSV), to know who has not tried yet
    #[arg(long, value_name = "CSV")]
    pub directory: Option<PathBuf>,
    /// How far apart an IdP success and the Kinde event may be (clock skew included): 90s, 10m, 1h
    #[arg(long, default_value = "10m", value_parser = parse_window)]
    pub window: Millis,
    /// Only events at or after this time (RFC 3339)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Only events at or before this time (RFC 3339)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    #[arg(long, short = 'f', value_enum, default_value_t = MonitorFormat::Text)]
    pub format: MonitorFormat,
}

fn parse_window(s: &str) -> Result<Millis, String> {
    let t = s.trim();
    let (num, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: i64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 90s, 10m or 1h"))?;
    let mult = match unit {
        "ms" => 1,
        "s" | "" => 1000,
        "m" | "min" => 60_000,
        "h" => 3_600_000,
        _ => return Err(format!("{s:?}: unit must be ms, s, m or h")),
    };
    Ok(n * mult)
}

fn time_arg(v: &Option<String>, flag: &str) -> Result<Option<Millis>, String> {
    v.as_deref()
        .map(|t| {
            crate::time::parse_millis(t)
                .ok_or_else(|| format!("{flag} {t:?} is not an RFC 3339 time"))
        })
        .transpose()
}

/// Splits the inputs into Kinde event files and IdP logs, by their first non-blank line.
fn classify(paths: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<crate::logs::ingest::Input>), String> {
    let mut kinde = Vec::new();
    let mut idp = Vec::new();
    for input in crate::logs::ingest::expand(paths)? {
        // Standard input cannot be read twice: it goes to the logs pipeline unsniffed (IdP logs).
        if crate::logs::ingest::is_stdin(&input.path) {
            idp.push(input);
            continue;
        }
        let mut r = BufReader::new(
            crate::logs::ingest::open(&input.path)
                .map_err(|e| format!("{}: {e}", input.path.display()))?,
        );
        let mut line = String::new();
        while r
            .read_line(&mut line)
            .map_err(|e| format!("{}: {e}", input.path.display()))?
            > 0
            && line.trim().is_empty()
        {
            line.clear();
        }
        let first = line.trim();
        let first = if first == "[" || first == "{" {
            String::new()
        } else {
            first.to_string()
        };
        if kinde_events::looks_like(&first) || (first.is_empty() && kinde_doc(&input.path)) {
            kinde.push(input.path);
        } else {
            idp.push(input);
        }
    }
    Ok((kinde, idp))
}

/// A pretty-printed Kinde document (first line alone is not enough).
fn kinde_doc(path: &std::path::Path) -> bool {
    let mut head = String::new();
    let Ok(r) = crate::logs::ingest::open(path) else {
        return false;
    };
    let _ = std::io::Read::read_to_string(&mut std::io::Read::take(r, 4096), &mut head);
    head.contains("\"event_id\"") && head.contains("\"type\"") && head.contains("\"user.")
}

pub fn run(args: MonitorArgs) -> i32 {
    let settings = match Settings::from_file(&args.config) {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string()),
    };
    let (since, until) = match (
        time_arg(&args.since, "--since"),
        time_arg(&args.until, "--until"),
    ) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => return fail(&e),
    };
    let before = match UsersSnapshot::read_files(&args.users, None) {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string()),
    };
    let after = if args.users_after.is_empty() {
        None
    } else {
        match UsersSnapshot::read_files(&args.users_after, None) {
            Ok(s) => Some(s),
            Err(e) => return fail(&e.to_string()),
        }
    };
    let directory = match &args.directory {
        None => None,
        Some(p) => {
            let opts = DirectoryOptions {
                email_attribute: settings
                    .email_attribute
                    .as_ref()
                    .map(|e| e.value.clone())
                    .unwrap_or_else(|| KINDE_DEFAULT_EMAIL_ATTRIBUTE.into()),
                ..DirectoryOptions::default()
            };
            match read_directory(p, &opts) {
                Ok(d) => Some(d.records),
                Err(e) => return fail(&e.to_string()),
            }
        }
    };
    let (kinde_files, idp_files) = match classify(&args.paths) {
        Ok(x) => x,
        Err(e) => return fail(&e),
    };
    let mut kinde = kinde_events::KindeRead::default();
    for f in &kinde_files {
        let name = f.display().to_string();
        let reader = match crate::logs::ingest::open(f) {
            Ok(r) => r,
            Err(e) => return fail(&format!("{name}: {e}")),
        };
        if let Err(e) = kinde_events::read(&name, reader, &mut kinde) {
            return fail(&e);
        }
    }
    kinde.events.retain(|e| {
        e.time
            .is_none_or(|t| since.is_none_or(|s| t >= s) && until.is_none_or(|u| t <= u))
    });
    let idp_side = idp::read(&idp_files, since, until);
    if !idp_side.errors.is_empty() {
        return fail(&idp_side.errors.join("\n"));
    }
    let report = monitor::run(&monitor::Loaded {
        settings: &settings,
        before: &before,
        after: after.as_ref(),
        kinde: &kinde.events,
        idp: &idp_side,
        directory: directory.as_deref(),
        window: args.window,
    });
    let mut report = report;
    if kinde_files.is_empty() {
        report.notes.push(
            "no Kinde events among the inputs: every IdP success shows as idp_success_no_kinde"
                .into(),
        );
    }
    if idp_files.is_empty() {
        report.notes.push("no IdP logs among the inputs".into());
    }
    let bad = idp_side.malformed + kinde.malformed.len() as u64;
    if bad > 0 {
        let mut first: Vec<String> = kinde.malformed.iter().take(5).cloned().collect();
        first.extend(idp_side.malformed_first.iter().cloned());
        report.notes.push(format!(
            "{bad} malformed records skipped; first: {}",
            first.join("; ")
        ));
    }
    let text = match args.format {
        MonitorFormat::Text => monitor::render::text(&report),
        MonitorFormat::Json => {
            let mut s =
                serde_json::to_string_pretty(&monitor::render::json(&report)).unwrap_or_default();
            s.push('\n');
            s
        }
        MonitorFormat::Csv => monitor::render::csv(&report),
        MonitorFormat::Html => monitor::html::html(&report),
    };
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|_| out.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        return fail(&format!("cannot write the report: {e}"));
    }
    let problem = report.rows.iter().any(|r| {
        r.matches == Some(false)
            || matches!(
                r.person.observed,
                Observed::DuplicateCreated | Observed::IdpSuccessNoKinde
            )
    });
    if problem { EXIT_FINDINGS } else { EXIT_OK }
}
