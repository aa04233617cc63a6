//! `sso-doctor check DIR...`: verify fixtures against their expectation files.

use super::args::{ColorChoice, LimitArgs, Verbosity, clock};
use super::{EXIT_FINDINGS, EXIT_OK};
use crate::check::{self, FixtureResult, Status};
use crate::report::{self, Format, junit, text::Style};
use clap::Args;
use std::path::PathBuf;

/// `check --fail-on`: fixtures either fail the run or never do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFailOn {
    /// Exit 1 when a fixture fails its expectation (or, with --strict, has none)
    Fail,
    /// Exit 0 whatever the fixtures do (unusable settings still exit 2); `none` is the same
    #[value(alias = "none")]
    Never,
}

/// Check SAML fixtures against their expected findings (NAME.expect.toml beside each)
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Fixture folders (walked recursively) or single fixture files
    #[arg(value_name = "DIR", required = true)]
    pub dirs: Vec<PathBuf>,
    /// Fail fixtures that have no expectation file
    #[arg(long)]
    pub strict: bool,
    /// Write or update expectation files from the current findings
    #[arg(long)]
    pub bless: bool,
    /// Allow --bless when the CI environment variable is set
    #[arg(long)]
    pub force: bool,
    /// Settings file for fixtures whose expectation names no `config` (`--bless` records it)
    #[arg(long, short = 'c', value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Clock for fixtures whose expectation has no `now` (RFC 3339; `--bless` records it)
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE (replaced atomically) instead of standard output; `-` is
    /// standard output
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to exit 1: `fail` (a fixture failed its expectation), or never (also `none`)
    #[arg(long, value_enum, default_value_t = CheckFailOn::Fail)]
    pub fail_on: CheckFailOn,
    /// Colour in text output: auto (a terminal, and NO_COLOR unset), always or never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub verbosity: Verbosity,
    #[command(flatten)]
    pub limits: LimitArgs,
}

pub fn run(args: CheckArgs) -> i32 {
    if args.bless && std::env::var_os("CI").is_some() && !args.force {
        return super::fail(
            "refusing to --bless while CI is set: expectations must not change silently in CI (add --force to override)",
        );
    }
    let limits = args.limits.limits();
    let (now, _) = match clock(&args.now) {
        Ok(c) => c,
        Err(e) => return super::fail(&e),
    };
    let fixtures = match check::find_fixtures(&args.dirs) {
        Ok(f) if f.is_empty() => return super::fail("no fixtures found in the folders given"),
        Ok(f) => f,
        Err(e) => return super::fail(&e.0),
    };
    let mut results = Vec::new();
    for f in &fixtures {
        match check::check_fixture(f, now, args.config.as_deref(), &limits) {
            Ok(r) => results.push(r),
            Err(e) => return super::fail(&e.0),
        }
    }
    let mut plan = crate::fsio::Plan::new();
    for r in &results {
        for p in &r.read {
            plan.input("input", p);
        }
    }
    // Expectation files are read too, but --bless rewrites them on purpose.
    if !args.bless {
        for r in &results {
            if let Some(e) = &r.expectation {
                plan.input("expectation file", std::path::Path::new(e));
            }
        }
    }
    if let Some(o) = &args.output {
        plan.output("report (-o)", o);
    }
    if args.bless {
        for r in &results {
            plan.output(
                "expectation file",
                &check::expectation_path(std::path::Path::new(&r.fixture)),
            );
        }
    }
    if let Err(e) = plan.check() {
        return super::fail(&e.to_string());
    }
    if args.bless {
        for r in &mut results {
            match check::bless(r) {
                Ok(path) => {
                    args.verbosity.note(&format!("blessed {}", path.display()));
                    r.status = Status::Pass;
                    r.missing.clear();
                    r.unexpected.clear();
                    r.problems.clear();
                }
                Err(e) => return super::fail(&e.0),
            }
        }
    }
    let to_file = args
        .output
        .as_deref()
        .is_some_and(|p| !crate::fsio::is_dash(p));
    let color = super::args::use_color(args.color, to_file);
    if !args.verbosity.quiet || to_file {
        let text = render(&results, args.format, args.strict, Style { color });
        if let Err(e) = super::args::write_report(args.output.as_deref(), &text) {
            return super::fail(&e);
        }
    }
    let failed = results
        .iter()
        .any(|r| r.status == Status::Fail || (args.strict && r.status == Status::Unchecked));
    if failed && args.fail_on == CheckFailOn::Fail {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

use report::fixtures::{describe as describe_failure, failing};

fn render(results: &[FixtureResult], format: Format, strict: bool, style: Style) -> String {
    match format {
        Format::Text => render_text(results, strict, style),
        Format::Json => {
            let passed = results.iter().filter(|r| r.status == Status::Pass).count();
            let failed = results.iter().filter(|r| failing(r, strict)).count();
            let unchecked = results
                .iter()
                .filter(|r| r.status == Status::Unchecked)
                .count();
            let v = serde_json::json!({ "fixtures": results, "passed": passed, "failed": failed, "unchecked": unchecked });
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
        Format::Junit => {
            let cases: Vec<junit::Case> = results
                .iter()
                .map(|r| junit::Case {
                    name: r.fixture.clone(),
                    classname: "sso-doctor.check".into(),
                    failures: if failing(r, strict) {
                        describe_failure(r, strict)
                    } else {
                        Vec::new()
                    },
                    error: None,
                    output: format!(
                        "found: {}",
                        if r.found.is_empty() {
                            "(none)".to_string()
                        } else {
                            r.found.join(", ")
                        }
                    ),
                })
                .collect();
            junit::render("sso-doctor check", &cases)
        }
        Format::Sarif => report::fixtures::sarif(results, strict, &|f: &str| {
            std::fs::read(f).ok().map(|b| report::sarif::Extent::of(&b))
        }),
        Format::Github => report::fixtures::github(results, strict),
    }
}

fn render_text(results: &[FixtureResult], strict: bool, style: Style) -> String {
    let mut out = String::new();
    let width = results.iter().map(|r| r.fixture.len()).max().unwrap_or(0);
    for r in results {
        let (tag, sev) = match (&r.status, strict) {
            (Status::Pass, _) => ("PASS", None),
            (Status::Fail, _) | (Status::Unchecked, true) => {
                ("FAIL", Some(crate::finding::Severity::Error))
            }
            (Status::Unchecked, false) => ("----", None),
        };
        let tag = match sev {
            Some(s) => style.severity(s, tag),
            None if tag == "PASS" => style.green(tag),
            None => style.dim(tag),
        };
        let found = if r.found.is_empty() {
            "no findings".to_string()
        } else {
            r.found.join(" ")
        };
        out.push_str(&format!(
            "{tag} {:<width$}  {}\n",
            r.fixture,
            style.dim(&found)
        ));
        if failing(r, strict) {
            let want_missing = r.missing.join(" ");
            let got_unexpected = r.unexpected.join(" ");
            if !r.missing.is_empty() || !r.unexpected.is_empty() {
                out.push_str(&format!(
                    "       {:<28} | {}\n",
                    "expected but missing", "found but not expected"
                ));
                out.push_str(&format!(
                    "       {:<28} | {}\n",
                    if want_missing.is_empty() {
                        "-"
                    } else {
                        &want_missing
                    },
                    if got_unexpected.is_empty() {
                        "-"
                    } else {
                        &got_unexpected
                    }
                ));
            }
            for p in &r.problems {
                out.push_str(&format!("       {p}\n"));
            }
            if r.status == Status::Unchecked {
                out.push_str("       no expectation file (--strict); create one with --bless\n");
            }
        }
    }
    let passed = results.iter().filter(|r| r.status == Status::Pass).count();
    let failed = results.iter().filter(|r| failing(r, strict)).count();
    let unchecked = results
        .iter()
        .filter(|r| r.status == Status::Unchecked && !strict)
        .count();
    out.push_str(&format!(
        "\nfixtures: {passed} pass, {failed} fail, {unchecked} without expectations\n"
    ));
    out
}
