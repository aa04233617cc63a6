//! `sso-doctor simulate`: predicts each user's outcome at their first SSO sign-in into Kinde
//! from a users snapshot and what the IdP will send (directory export, events or SAML files),
//! and prints per-outcome counts, the people needing action and a migration plan.

use super::{EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE};
use crate::provision::directory::{self, DirectoryKind, DirectoryOptions};
use crate::provision::render::{self, Inputs, Report};
use crate::provision::users::{Duplicate, FETCH_ALL_PAGES, SnapshotFormat};
use crate::provision::{
    IdpRecord, Outcome, SimOptions, UsersSnapshot, plan, saml_records, simulate,
};
use crate::settings::{KINDE_DEFAULT_EMAIL_ATTRIBUTE, Settings};
use clap::{ArgGroup, Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("idp").required(true).multiple(false).args(["directory", "events", "saml"])))]
pub struct SimulateArgs {
    /// Connection settings (TOML: [connection] id, email_attribute, trust_emails,
    /// jit_provisioning; [organization] self_joining).
    #[arg(long, value_name = "FILE")]
    pub config: PathBuf,
    /// Kinde users snapshot: API user pages (JSON, identities expanded), the users export
    /// (NDJSON) or the import CSV. Repeat for several files.
    #[arg(long = "users", value_name = "FILE", required = true)]
    pub users: Vec<PathBuf>,
    /// Shape of the snapshot files: auto, api, export, import.
    #[arg(long, value_name = "SHAPE", default_value = "auto", value_parser = parse_users_format)]
    pub users_format: UsersFormat,
    /// IdP directory export (Entra users CSV, Okta users CSV, or any CSV).
    #[arg(long, value_name = "FILE")]
    pub directory: Option<PathBuf>,
    /// Shape of the directory export: auto, entra, okta, csv.
    #[arg(long, value_name = "SHAPE", default_value = "auto", value_parser = parse_directory_format)]
    pub directory_format: DirectoryFormat,
    /// Directory column holding the email the IdP sends.
    #[arg(long, value_name = "COLUMN")]
    pub email_column: Option<String>,
    /// Directory column holding an id that equals Kinde's provided_id (import CSV `id`).
    #[arg(long, value_name = "COLUMN")]
    pub id_column: Option<String>,
    /// Attribute name the IdP sends the directory email under, when it may differ from the
    /// connection's Email key attribute.
    #[arg(long, value_name = "NAME")]
    pub idp_email_attribute: Option<String>,
    /// Normalised sign-in events (NDJSON from `sso-doctor logs`), one record per user seen.
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// SAML responses, one person each.
    #[arg(value_name = "SAML_FILE")]
    pub saml: Vec<PathBuf>,
    /// Organisation code users sign in to (needed to check membership when self-joining is off).
    #[arg(long, value_name = "ORG_CODE")]
    pub organization: Option<String>,
    /// Override [connection] trust_emails (on/off), e.g. to rehearse turning trust off.
    #[arg(long, value_name = "on|off", value_parser = parse_switch)]
    pub trust_emails: Option<bool>,
    /// Override [connection] jit_provisioning (on/off).
    #[arg(long, value_name = "on|off", value_parser = parse_switch)]
    pub jit: Option<bool>,
    /// Override [organization] self_joining (on/off).
    #[arg(long, value_name = "on|off", value_parser = parse_switch)]
    pub self_joining: Option<bool>,
    /// Override [connection] id.
    #[arg(long, value_name = "CONN_ID")]
    pub connection_id: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Outcomes that make the exit code 1 (comma list, or `none`).
    #[arg(long, value_name = "OUTCOMES", default_value = "duplicate_created,not_found,no_email", value_parser = parse_fail_on)]
    pub fail_on: FailOn,
    /// Size of the pilot group in the migration plan.
    #[arg(long, value_name = "N", default_value_t = plan::DEFAULT_PILOT_SIZE)]
    pub pilot_size: usize,
    /// Text format: list every person, not only those needing action.
    #[arg(long)]
    pub all: bool,
    /// Go on when the users snapshot is partial (an API page with `next_token` set or
    /// `has_more: true`, or fewer users than a declared total): every outcome a user on an
    /// unread page could change is flagged. Without it such a snapshot stops the run (exit 2).
    #[arg(long)]
    pub allow_partial_snapshot: bool,
}

/// The `--fail-on` outcomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailOn(pub Vec<Outcome>);

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    if s.trim().eq_ignore_ascii_case("none") {
        return Ok(FailOn(Vec::new()));
    }
    let mut out = Vec::new();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        let o = Outcome::parse(part).ok_or_else(|| {
            let all: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
            format!(
                "unknown outcome {part:?}; use none or any of {}",
                all.join(", ")
            )
        })?;
        if !out.contains(&o) {
            out.push(o);
        }
    }
    out.sort();
    Ok(FailOn(out))
}

fn parse_switch(s: &str) -> Result<bool, String> {
    match s.to_ascii_lowercase().as_str() {
        "on" | "true" | "yes" | "1" => Ok(true),
        "off" | "false" | "no" | "0" => Ok(false),
        _ => Err(format!("expected on or off, got {s:?}")),
    }
}

/// `--users-format`; `None` inside means auto-detect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UsersFormat(pub Option<SnapshotFormat>);

/// `--directory-format`; `None` inside means auto-detect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirectoryFormat(pub Option<DirectoryKind>);

fn parse_users_format(s: &str) -> Result<UsersFormat, String> {
    SnapshotFormat::parse(s)
        .map(UsersFormat)
        .ok_or_else(|| format!("unknown users format {s:?}; use auto, api, export or import"))
}

fn parse_directory_format(s: &str) -> Result<DirectoryFormat, String> {
    DirectoryKind::parse(s)
        .map(DirectoryFormat)
        .ok_or_else(|| format!("unknown directory format {s:?}; use auto, entra, okta or csv"))
}

fn fail(message: impl std::fmt::Display) -> i32 {
    let message = message.to_string();
    eprintln!(
        "sso-doctor simulate: error: {}",
        crate::identity::terminal_safe(&message)
    );
    EXIT_UNUSABLE
}

/// Runs the command and returns the exit code.
pub fn run(args: SimulateArgs) -> i32 {
    let settings = match load_settings(&args) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let (users, idp) = rayon::join(
        || UsersSnapshot::read_files(&args.users, args.users_format.0),
        || read_idp_side(&args, &settings),
    );
    let users = match users {
        Ok(u) => u,
        Err(e) => return fail(e),
    };
    let partial = users.incomplete();
    if let Some(why) = &partial {
        if !args.allow_partial_snapshot {
            return fail(format!(
                "incomplete users snapshot: {why}. A partial snapshot would show existing users \
                 as new. To {FETCH_ALL_PAGES}. Or pass --allow-partial-snapshot to go on with a \
                 warning on every outcome it may change."
            ));
        }
        eprintln!("sso-doctor simulate: warning: partial users snapshot: {why}");
    }
    let (records, idp_side, mut notes) = match idp {
        Ok(v) => v,
        Err(e) => return fail(e),
    };
    notes.extend(duplicate_notes(&users.duplicates));
    let opts = SimOptions {
        organization: args.organization.clone(),
        report_unmatched_users: args.directory.is_some(),
        partial_snapshot: partial.clone(),
    };
    let sim = simulate(&settings, &users, &records, &opts);
    let steps = plan::build(&sim, &users, &records, args.pilot_size);
    let inputs = Inputs {
        config: args.config.display().to_string(),
        users_files: users
            .files
            .iter()
            .map(|(f, s)| format!("{f} ({})", s.as_str()))
            .collect(),
        users: users.users.len(),
        idp_side,
        records: records.len(),
        notes,
        partial_snapshot: partial,
        duplicate_users: users.duplicates.len(),
    };
    let report = Report {
        sim: &sim,
        users: &users,
        records: &records,
        inputs: &inputs,
        plan: &steps,
        fail_on: &args.fail_on.0,
        all: args.all,
    };
    if let Err(e) = write_report(&report, args.format) {
        // A closed pipe (`| head`) is not an input problem; anything else is reported.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return fail(format!("cannot write the report: {e}"));
        }
    }
    if report.failing() > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Examples of users two snapshot files both hold, shown before the rest is counted.
const DUPLICATES_SHOWN: usize = 5;

/// One note (and a warning on stderr) for users two snapshot files both describe.
fn duplicate_notes(dups: &[Duplicate]) -> Vec<String> {
    if dups.is_empty() {
        return Vec::new();
    }
    let mut shown: Vec<String> = dups
        .iter()
        .take(DUPLICATES_SHOWN)
        .map(|d| format!("{} = {} ({})", d.dropped, d.kept, d.shared))
        .collect();
    if dups.len() > DUPLICATES_SHOWN {
        shown.push(format!("and {} more", dups.len() - DUPLICATES_SHOWN));
    }
    let note = format!(
        "{} user(s) appear in two snapshot files and are counted once, from the file with a Kinde id: {}",
        dups.len(),
        shown.join("; ")
    );
    eprintln!(
        "sso-doctor simulate: warning: {}",
        crate::identity::terminal_safe(&note)
    );
    vec![note]
}

fn load_settings(args: &SimulateArgs) -> Result<Settings, String> {
    let mut s = Settings::from_file(&args.config).map_err(|e| e.to_string())?;
    if args.trust_emails.is_some() {
        s.trust_emails = args.trust_emails;
    }
    if args.jit.is_some() {
        s.jit_provisioning = args.jit;
    }
    if args.self_joining.is_some() {
        s.self_joining = args.self_joining;
    }
    if let Some(c) = &args.connection_id {
        s.connection_id = Some(c.clone());
    }
    Ok(s)
}

type IdpSide = (Vec<IdpRecord>, String, Vec<String>);

fn read_idp_side(args: &SimulateArgs, settings: &Settings) -> Result<IdpSide, String> {
    let email_attribute = settings
        .email_attribute
        .as_ref()
        .map_or(KINDE_DEFAULT_EMAIL_ATTRIBUTE.to_string(), |s| {
            s.value.clone()
        });
    if let Some(path) = &args.directory {
        let opts = DirectoryOptions {
            kind: args.directory_format.0,
            email_column: args.email_column.clone(),
            id_column: args.id_column.clone(),
            email_attribute,
            sent_as: args.idp_email_attribute.clone(),
        };
        let read = directory::read_directory(path, &opts).map_err(|e| e.to_string())?;
        let id = read
            .id_column
            .as_deref()
            .map(|c| format!(", id column \"{c}\""))
            .unwrap_or_default();
        let side = format!(
            "{} ({} export, email column \"{}\"{id})",
            path.display(),
            read.kind.as_str(),
            read.email_column
        );
        return Ok((read.records, side, Vec::new()));
    }
    if let Some(path) = &args.events {
        let read = directory::read_events(path, &email_attribute).map_err(|e| e.to_string())?;
        let notes = vec![format!(
            "{} event lines: {} without a user skipped, {} repeats of a user already seen",
            read.lines, read.without_user, read.repeats
        )];
        return Ok((read.records, format!("{} (events)", path.display()), notes));
    }
    let records = saml_records(&args.saml, settings)?;
    Ok((
        records,
        format!("{} SAML file(s)", args.saml.len()),
        Vec::new(),
    ))
}

fn write_report(r: &Report, format: Format) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match format {
        // Identities from the inputs may hold bidi overrides or invisible characters: the
        // text report spells them `<U+202E>` so the terminal shows what is really there.
        Format::Text => {
            let mut safe = crate::identity::TerminalSafeWriter::new(&mut out);
            render::text(r, &mut safe)?;
            safe.flush()?;
        }
        Format::Json => render::json(r, &mut out)?,
        Format::Csv => render::csv(r, &mut out)?,
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fail_on_parses_lists_and_none() {
        assert_eq!(parse_fail_on("none").unwrap(), FailOn(vec![]));
        assert_eq!(
            parse_fail_on("no_email,duplicate,no-email").unwrap(),
            FailOn(vec![Outcome::DuplicateCreated, Outcome::NoEmail])
        );
        assert!(
            parse_fail_on("boom")
                .unwrap_err()
                .contains("unknown outcome")
        );
    }

    #[test]
    fn switches_parse() {
        assert_eq!(parse_switch("ON"), Ok(true));
        assert_eq!(parse_switch("off"), Ok(false));
        assert!(parse_switch("maybe").is_err());
    }
}
