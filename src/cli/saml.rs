//! `sso-doctor saml`: analyse pasted SAML traces; `sso-doctor demo`: the same on an embedded example.

use super::age::Clock;
use super::args::{LimitArgs, OutputArgs, SettingsArgs};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_UNUSABLE};
use crate::analyze::{Analysis, Input, RunOptions, analyze};
use crate::decode::read::read_trace;
use crate::finding::Severity;
use crate::report::json::RunInfo;
use crate::report::{self, Format, junit, text};
use crate::settings::Settings;
use clap::Args;
use std::io::IsTerminal;

/// Analyse SAML messages in any paste form
#[derive(Debug, Args)]
pub struct SamlArgs {
    /// Files holding a SAML trace in any form (XML, base64, URL, form body, HAR, SAML-tracer); `-` reads stdin
    #[arg(value_name = "FILE", default_value = "-")]
    pub files: Vec<String>,
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Judge times as of this instant: RFC 3339, a date (midnight UTC), or `issued` (the first
    /// message's IssueInstant); default: the system clock
    #[arg(long, value_name = "WHEN")]
    pub now: Option<String>,
    #[command(flatten)]
    pub output: OutputArgs,
    #[command(flatten)]
    pub limits: LimitArgs,
}

pub fn run(args: SamlArgs) -> i32 {
    let limits = args.limits.limits();
    let settings = match args.settings.load(&limits) {
        Ok(s) => s,
        Err(e) => return super::fail(&e),
    };
    let clock = match super::age::parse(&args.now) {
        Ok(c) => c,
        Err(e) => return super::fail(&e),
    };
    if args.files.iter().any(|f| f == "-") && std::io::stdin().is_terminal() {
        args.output
            .verbosity
            .note("reading the trace from standard input; paste it, then press Ctrl-D");
    }
    let mut plan = crate::fsio::Plan::new();
    for f in &args.files {
        plan.input("input", std::path::Path::new(f));
    }
    for (role, p) in args.settings.files() {
        plan.input(role, &p);
    }
    if let Some(o) = &args.output.output {
        plan.output("report (-o)", o);
    }
    if let Err(e) = plan.check() {
        return super::fail(&e.to_string());
    }
    let v = args.output.verbosity;
    let mut inputs = Vec::new();
    for path in &args.files {
        match read_trace(path, &limits) {
            Ok(bytes) => inputs.push(Input {
                name: path.clone(),
                bytes,
            }),
            Err(e) => return super::fail(&e),
        }
    }
    let (now, now_source) = match clock {
        Clock::At(t, source) => (t, source.to_string()),
        Clock::Issued => {
            let first = analyze(
                &inputs,
                &RunOptions {
                    settings: &settings,
                    now: None,
                    now_source: "--now issued",
                    limits,
                },
            );
            match super::age::issued_at(&first) {
                Some(t) => (
                    t,
                    "--now issued (the first message's IssueInstant)".to_string(),
                ),
                None => {
                    return super::fail(
                        "--now issued: no message has an IssueInstant to judge times by; give a time (--now 2026-03-10T09:16:00Z)",
                    );
                }
            }
        }
    };
    v.detail(&format!(
        "clock: {} ({now_source})",
        crate::time::format(now)
    ));
    let opts = RunOptions {
        settings: &settings,
        now: Some(now),
        now_source: &now_source,
        limits,
    };
    let mut analysis = analyze(&inputs, &opts);
    let headline = if now_source == "system clock" {
        super::age::explain_age(&mut analysis, &inputs, &opts, now)
    } else {
        None
    };
    for e in analysis.errors.iter_mut().filter(|e| e.label.is_none()) {
        let hint = inputs
            .iter()
            .find(|i| i.name == e.input)
            .and_then(|i| super::hints::for_bytes(&i.bytes, &i.name, "saml"));
        if let Some(h) = hint {
            e.error = h;
        }
    }
    let run = RunInfo {
        settings_file: settings.file.clone(),
        now: Some(now),
        now_source: now_source.clone(),
        headline,
        extents: inputs
            .iter()
            .map(|i| (i.name.clone(), report::sarif::Extent::of(&i.bytes)))
            .collect(),
    };
    emit(&analysis, &args.output, &run)
}

/// Prints the analysis in the chosen format and returns the exit code.
pub fn emit(analysis: &Analysis, output: &OutputArgs, run: &RunInfo) -> i32 {
    let to_file = output
        .output
        .as_deref()
        .is_some_and(|p| !crate::fsio::is_dash(p));
    if !output.verbosity.quiet || to_file {
        let text = render(analysis, output, run);
        if let Err(e) = super::args::write_report(output.output.as_deref(), &text) {
            return super::fail(&e);
        }
    }
    exit_code(analysis, output)
}

pub fn render(analysis: &Analysis, output: &OutputArgs, run: &RunInfo) -> String {
    let errors: Vec<(String, String)> = analysis
        .errors
        .iter()
        .map(|e| (e.input.clone(), e.error.clone()))
        .collect();
    match output.format {
        Format::Text => {
            let style = text::Style {
                color: output.use_color(),
            };
            let mut out = String::new();
            if let Some(file) = &run.settings_file {
                out.push_str(&format!("{} {file}\n", style.dim("settings:")));
            }
            if let Some(h) = &run.headline {
                out.push_str(&format!("{} {h}\n", style.bold("note:")));
            }
            out.push_str(&text::render(analysis, style));
            out
        }
        Format::Json => report::json::render(analysis, run),
        Format::Sarif => report::sarif::render(&report::placed(analysis), &errors, &|f: &str| {
            run.extents.get(f).cloned()
        }),
        Format::Github => report::github::render(&report::placed(analysis), &errors),
        Format::Junit => junit::render(
            "sso-doctor saml",
            &junit_cases(analysis, output.fail_on.bar()),
        ),
    }
}

fn junit_cases(analysis: &Analysis, bar: Option<Severity>) -> Vec<junit::Case> {
    let mut cases: Vec<junit::Case> = analysis
        .messages
        .iter()
        .map(|m| {
            let line = |f: &crate::finding::Finding| {
                format!(
                    "{} {} [{}]: {} Fix: {}",
                    f.code, f.rule, f.severity, f.message, f.fix
                )
            };
            let failing = |f: &&crate::finding::Finding| bar.is_some_and(|b| f.severity >= b);
            junit::Case {
                name: report::message_title(m),
                classname: "sso-doctor.saml".into(),
                failures: m
                    .outcome
                    .findings
                    .iter()
                    .filter(failing)
                    .map(line)
                    .collect(),
                error: None,
                output: m
                    .outcome
                    .findings
                    .iter()
                    .filter(|f| !failing(f))
                    .map(line)
                    .collect::<Vec<_>>()
                    .join("\n"),
            }
        })
        .collect();
    cases.extend(analysis.errors.iter().map(|e| {
        junit::Case {
            name: e
                .label
                .clone()
                .map_or(e.input.clone(), |l| format!("{} · {l}", e.input)),
            classname: "sso-doctor.saml".into(),
            error: Some(e.error.clone()),
            ..Default::default()
        }
    }));
    cases
}

fn exit_code(analysis: &Analysis, output: &OutputArgs) -> i32 {
    if !analysis.errors.is_empty() {
        return EXIT_UNUSABLE;
    }
    if output.fail_on.fails(analysis.worst()) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The embedded example: an Entra-shaped response with several classic problems.
pub const DEMO_RESPONSE: &str = include_str!("../demo/entra-response.xml");
/// The Kinde connection the demo is judged against.
pub const DEMO_CONFIG: &str = include_str!("../demo/connection.toml");
/// The demo's clock: five minutes after the response was issued.
pub const DEMO_NOW: &str = "2026-03-10T09:20:00Z";

/// Run the analysis on an embedded example trace
#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub output: OutputArgs,
    /// Print the embedded response and settings instead of analysing them
    #[arg(long)]
    pub show_input: bool,
}

pub fn run_demo(args: DemoArgs) -> i32 {
    if args.show_input {
        let text = format!(
            "# demo connection settings (--config)\n{DEMO_CONFIG}\n# demo response (--now {DEMO_NOW})\n{DEMO_RESPONSE}\n"
        );
        return match super::args::write_report(args.output.output.as_deref(), &text) {
            Ok(()) => EXIT_OK,
            Err(e) => super::fail(&e),
        };
    }
    let settings = match Settings::from_toml(DEMO_CONFIG, "demo connection.toml") {
        Ok(s) => s,
        Err(e) => return super::fail(&e.to_string()),
    };
    let now = crate::time::parse_millis(DEMO_NOW);
    let opts = RunOptions {
        settings: &settings,
        now,
        now_source: "--now (demo)",
        limits: Default::default(),
    };
    let inputs = [Input {
        name: "demo entra-response.xml".into(),
        bytes: DEMO_RESPONSE.as_bytes().to_vec(),
    }];
    let run = RunInfo {
        settings_file: Some("demo connection.toml".into()),
        now,
        now_source: "--now (demo)".into(),
        headline: None,
        extents: inputs
            .iter()
            .map(|i| (i.name.clone(), report::sarif::Extent::of(&i.bytes)))
            .collect(),
    };
    emit(&analyze(&inputs, &opts), &args.output, &run)
}
