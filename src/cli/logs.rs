//! `sso-doctor logs` and `sso-doctor merge`: batch analysis of exported sign-in logs.
//!
//! Exit codes: 0 when failures stay under the `--fail-on` bar, 1 when they reach it, 2 when an
//! input is unusable (a named file that is not a log, an unreadable file, a bad partial, bad
//! arguments) or, with `--strict`, when any record was malformed.

use super::{EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE};
use crate::logs::agg::{Aggregate, Filter};
use crate::logs::ingest::{self, Options};
use crate::logs::report::{self, Report};
use crate::logs::{Source, partial};
use clap::{Args, ValueEnum};
use std::io::{BufWriter, Write};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
    /// SARIF 2.1.0: a result per failing error code, a warning per malformed record
    Sarif,
    /// JUnit XML: a test case per cause
    Junit,
    /// GitHub workflow annotations
    Github,
}

/// Options shared by `logs` and `merge` for rendering and the exit status.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = LogFormat::Text)]
    pub format: LogFormat,
    /// How many users and codes per cause to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// Exit 1 when failures reach this bar: `any` (at least one failure), `never` (also `none`),
    /// or a number N (at least N failures).
    #[arg(long, default_value = "any", value_parser = parse_fail_on)]
    pub fail_on: FailOn,
    /// Exit 2 when any record was malformed (by default they are counted and reported only).
    #[arg(long)]
    pub strict: bool,
    /// Write the report to FILE (replaced atomically) instead of standard output; `-` is
    /// standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub verbosity: super::args::Verbosity,
}

/// The `--fail-on` bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailOn {
    Never,
    AtLeast(u64),
}

fn parse_fail_on(s: &str) -> Result<FailOn, String> {
    match s {
        "any" => Ok(FailOn::AtLeast(1)),
        "never" | "none" => Ok(FailOn::Never),
        n => n
            .parse::<u64>()
            .ok()
            .filter(|&n| n > 0)
            .map(FailOn::AtLeast)
            .ok_or_else(|| format!("expected any, never, none or a positive number, got {n:?}")),
    }
}

/// `sso-doctor logs`
#[derive(Debug, Args)]
pub struct LogsArgs {
    /// Log files or directories (walked recursively in sorted order); `-` reads standard input.
    /// Formats are detected by content; gzip is detected by magic bytes.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Only events at or after this time (RFC 3339, or a date YYYY-MM-DD meaning midnight UTC).
    #[arg(long, value_parser = parse_instant)]
    pub since: Option<i64>,
    /// Only events before this time (RFC 3339, or a date YYYY-MM-DD).
    #[arg(long, value_parser = parse_instant)]
    pub until: Option<i64>,
    /// Only events whose application contains this text (case-insensitive).
    #[arg(long)]
    pub app: Option<String>,
    /// Only events whose user contains this text (case-insensitive).
    #[arg(long)]
    pub user: Option<String>,
    /// Write the normalised events (after filters) to FILE as NDJSON; `-` is standard output
    /// (the report then goes to standard error unless `-o FILE` is given).
    #[arg(long, value_name = "FILE")]
    pub events: Option<PathBuf>,
    /// Write a mergeable partial aggregate (one JSON line) instead of the report; combine with
    /// `merge`. Exits 0 even when failures were found.
    #[arg(long)]
    pub partial: bool,
    /// Bytes read per chunk (memory is bounded by a few chunks).
    #[arg(long, default_value_t = 8 * 1024 * 1024, hide = true)]
    pub chunk_size: usize,
    /// Longest record accepted; longer lines are counted as malformed.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    pub max_record_bytes: usize,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Read every input as this format instead of detecting it by content (names as shown in
    /// reports: entra-ndjson, okta-json, adfs-csv, …).
    #[arg(long, value_name = "NAME", value_parser = parse_input_format)]
    pub input_format: Option<crate::logs::detect::Format>,
    /// The source name to report standard input under (default: Hadoop streaming's
    /// `mapreduce_map_input_file`, else `-`), so partials of slices of one file count one source.
    #[arg(long, value_name = "NAME")]
    pub source_name: Option<String>,
    #[command(flatten)]
    pub out: OutputArgs,
}

fn parse_input_format(s: &str) -> Result<crate::logs::detect::Format, String> {
    crate::logs::detect::Format::from_name(s)
}

/// `sso-doctor merge`
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Partial files written by `logs --partial` (`-` reads standard input). A file may hold
    /// several partials, one per line.
    #[arg(required = true)]
    pub partials: Vec<PathBuf>,
    /// Write the merged partial instead of the report (for tree-shaped reductions).
    #[arg(long)]
    pub partial: bool,
    #[command(flatten)]
    pub out: OutputArgs,
}

fn parse_instant(s: &str) -> Result<i64, String> {
    crate::time::parse_millis(s)
        .or_else(|| crate::time::parse_millis(&format!("{s}T00:00:00Z")))
        .ok_or_else(|| format!("expected an RFC 3339 time or YYYY-MM-DD, got {s:?}"))
}

/// Writes the report to `-o FILE` (atomically) or standard output (also for `-o -`). With
/// `to_stderr` (the events went to standard output) and no `-o`, the report goes to stderr.
fn emit(out: &OutputArgs, text: &str, to_stderr: bool) -> Result<(), String> {
    match &out.output {
        Some(path) if !crate::fsio::is_dash(path) => crate::fsio::write(path, text.as_bytes())
            .map_err(|e| format!("{}: {e}", path.display())),
        _ if to_stderr => {
            let mut err = std::io::stderr().lock();
            crate::fsio::quiet_pipe(err.write_all(text.as_bytes()))
                .map_err(|e| format!("stderr: {e}"))
        }
        _ => crate::fsio::print(text).map_err(|e| format!("stdout: {e}")),
    }
}

/// Refuses, before anything is written, an output that is one of the inputs.
fn check_outputs(
    inputs: &[(&str, &std::path::Path)],
    out: &OutputArgs,
    events: Option<&std::path::Path>,
) -> Result<(), String> {
    let mut plan = crate::fsio::Plan::new();
    for (role, p) in inputs {
        plan.input(role, p);
    }
    if let Some(p) = &out.output {
        plan.output("report (-o)", p);
    }
    if let Some(p) = events {
        plan.output("events file (--events)", p);
    }
    plan.check().map_err(|e| e.to_string())
}

/// Renders the aggregate and decides the exit code.
fn finish(
    agg: &Aggregate,
    out: &OutputArgs,
    as_partial: bool,
    notes: Vec<String>,
    unusable: bool,
    report_to_stderr: bool,
) -> i32 {
    let text = if as_partial {
        let mut s = partial::to_json(agg);
        s.push('\n');
        s
    } else {
        let report = Report::build(agg, out.top, notes);
        match out.format {
            LogFormat::Json => {
                let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
                s.push('\n');
                s
            }
            LogFormat::Text => report::render_text(&report, agg),
            LogFormat::Sarif => crate::logs::ci::sarif(&report),
            LogFormat::Junit => crate::logs::ci::junit(&report),
            LogFormat::Github => crate::logs::ci::github(&report),
        }
    };
    let to_file = out
        .output
        .as_deref()
        .is_some_and(|p| !crate::fsio::is_dash(p));
    if out.verbosity.quiet && !to_file {
        // -q: the exit code is the answer.
    } else if let Err(e) = emit(out, &text, report_to_stderr) {
        eprintln!("sso-doctor: {e}");
        return EXIT_UNUSABLE;
    }
    if unusable || (out.strict && agg.malformed_count > 0) {
        return EXIT_UNUSABLE;
    }
    if as_partial {
        // A map step that exits non-zero fails the whole job under Hadoop or Spark; the
        // failure verdict belongs to the final `merge`.
        return EXIT_OK;
    }
    match out.fail_on {
        FailOn::AtLeast(n) if agg.failures >= n => EXIT_FINDINGS,
        _ => EXIT_OK,
    }
}

fn notes_for(agg: &Aggregate, ignored: Vec<String>) -> Vec<String> {
    let mut notes: Vec<String> = ignored
        .into_iter()
        .map(|i| format!("skipped {i}"))
        .collect();
    let idp_only = agg.by_source.keys().all(|s| *s != Source::Kinde);
    if agg.events > 0 && idp_only {
        notes.push(
            "no Kinde events were given: the IdP log sees only its half, so sign-ins the IdP \
             completed but Kinde rejected (ACS URL, Entity ID, certificate, email attribute) \
             show as IdP successes"
                .into(),
        );
    }
    if agg.files.iter().any(|f| f.format.contains("kinde-jwt")) {
        notes.push(
            "Kinde webhook JWTs were decoded without checking their signatures (unverified): \
             verification against the tenant's JWKS is not implemented yet"
                .into(),
        );
    }
    if agg.interrupted > 0 {
        notes.push(
            "interrupts (MFA prompts, \"stay signed in?\") are counted apart from failures; \
             they are not paired with later successes by correlation id"
                .into(),
        );
    }
    notes
}

/// Smallest `--max-record-bytes` accepted: below this even ordinary sign-in records would be cut.
const MIN_RECORD_BYTES: usize = 1024;

/// Runs `sso-doctor logs`.
pub fn run_logs(args: LogsArgs) -> i32 {
    if args.max_record_bytes < MIN_RECORD_BYTES {
        eprintln!("sso-doctor: --max-record-bytes must be at least {MIN_RECORD_BYTES}");
        return EXIT_UNUSABLE;
    }
    let inputs = match ingest::expand(&args.paths) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("sso-doctor: {e}");
            return EXIT_UNUSABLE;
        }
    };
    for i in inputs.iter().filter(|i| i.explicit) {
        if let Some(h) = super::hints::for_file(&i.path, "logs") {
            eprintln!("sso-doctor: {h}");
            return EXIT_UNUSABLE;
        }
    }
    let opts = Options {
        filter: Filter {
            since: args.since,
            until: args.until,
            app: args.app.map(|a| a.to_lowercase()),
            user: args.user.map(|u| u.to_lowercase()),
        },
        chunk_bytes: args.chunk_size,
        max_record_bytes: args.max_record_bytes,
        progress: !args.no_progress && !args.out.verbosity.quiet,
        input_format: args.input_format,
        // A map step must never drop its slice: record it and let `merge` judge.
        keep_unrecognised: args.partial,
        stdin_name: args.source_name,
    };
    let input_roles: Vec<(&str, &std::path::Path)> = inputs
        .iter()
        .map(|i| {
            let role = if i.explicit {
                "input"
            } else {
                "input found in a folder"
            };
            (role, i.path.as_path())
        })
        .collect();
    if let Err(e) = check_outputs(&input_roles, &args.out, args.events.as_deref()) {
        eprintln!("sso-doctor: {e}");
        return EXIT_UNUSABLE;
    }
    for i in &inputs {
        args.out
            .verbosity
            .detail(&format!("reading {}", i.path.display()));
    }
    let events_to_stdout = args.events.as_deref().is_some_and(crate::fsio::is_dash);
    if events_to_stdout && args.out.output.as_deref().is_some_and(crate::fsio::is_dash) {
        eprintln!(
            "sso-doctor: --events - and -o - both name standard output; write one of them to a file"
        );
        return EXIT_UNUSABLE;
    }
    let mut sink = match &args.events {
        Some(path) => match crate::fsio::Output::create(path) {
            Ok(f) => Some(BufWriter::with_capacity(1 << 20, f)),
            Err(e) => {
                eprintln!("sso-doctor: {}: {e}", path.display());
                return EXIT_UNUSABLE;
            }
        },
        None => None,
    };
    let result = ingest::analyze(&inputs, &opts, sink.as_mut().map(|w| w as &mut dyn Write));
    if let Some(w) = sink {
        let done = w
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(crate::fsio::Output::commit);
        if let Err(e) = done {
            eprintln!("sso-doctor: events file: {e}");
            return EXIT_UNUSABLE;
        }
    }
    for e in &result.errors {
        eprintln!("sso-doctor: {e}");
    }
    if !result.errors.is_empty() && result.aggregate.files.is_empty() {
        // Nothing usable was read: the errors above are the whole answer.
        return EXIT_UNUSABLE;
    }
    let notes = notes_for(&result.aggregate, result.ignored);
    finish(
        &result.aggregate,
        &args.out,
        args.partial,
        notes,
        !result.errors.is_empty(),
        events_to_stdout,
    )
}

/// Runs `sso-doctor merge`.
pub fn run_merge(args: MergeArgs) -> i32 {
    let roles: Vec<(&str, &std::path::Path)> = args
        .partials
        .iter()
        .map(|p| ("partial", p.as_path()))
        .collect();
    if let Err(e) = check_outputs(&roles, &args.out, None) {
        eprintln!("sso-doctor: {e}");
        return EXIT_UNUSABLE;
    }
    let mut total = Aggregate::default();
    for path in &args.partials {
        let bytes = if path.as_os_str() == "-" {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut buf).map(|_| buf)
        } else {
            std::fs::read(path)
        };
        let parsed = bytes
            .map_err(|e| e.to_string())
            .and_then(|b| partial::from_json(&b));
        match parsed {
            Ok(agg) => total.merge(agg),
            Err(e) => {
                let shown = path.display().to_string();
                match std::fs::read(path)
                    .ok()
                    .and_then(|b| super::hints::for_bytes(&b, &shown, "merge"))
                {
                    Some(h) => eprintln!("sso-doctor: {h}"),
                    None => eprintln!("sso-doctor: {shown}: {e}"),
                }
                return EXIT_UNUSABLE;
            }
        }
    }
    let mut notes = notes_for(&total, Vec::new());
    let unrecognised: Vec<String> = total
        .files
        .iter()
        .filter(|f| f.unrecognised > 0)
        .map(|f| format!("{} ({} of {} slices)", f.path, f.unrecognised, f.slices))
        .collect();
    if !unrecognised.is_empty() {
        let message = format!(
            "no recognisable record in some input slices: {}; their lines are counted as \
             malformed",
            unrecognised.join(", ")
        );
        if args.out.strict && !args.partial {
            eprintln!("sso-doctor: {message}");
            return EXIT_UNUSABLE;
        }
        eprintln!("sso-doctor: warning: {message}");
        notes.push(message);
    }
    finish(&total, &args.out, args.partial, notes, false, false)
}
