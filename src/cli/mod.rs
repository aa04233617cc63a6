//! Command-line interface: argument parsing and the glue that runs each subcommand. Every
//! subcommand lives in its own file and returns the process exit code: 0 nothing at or above the
//! failure bar, 1 findings at or above it, 2 unusable input or settings.

pub mod age;
pub mod args;
pub mod check;
pub mod completions;
pub mod explain;
pub mod hints;
pub mod init;
pub mod logs;
pub mod monitor;
pub mod preflight;
pub mod saml;
pub mod simulate;

use clap::{Parser, Subcommand};

/// Exit code: no finding at or above the `--fail-on` bar.
pub const EXIT_OK: i32 = 0;
/// Exit code: at least one finding at or above the `--fail-on` bar.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: the input, settings or arguments cannot be used.
pub const EXIT_UNUSABLE: i32 = 2;

#[derive(Debug, Parser)]
#[command(name = "sso-doctor", version, about = "Find out why a SAML sign-in into Kinde failed", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Saml(Box<saml::SamlArgs>),
    Demo(saml::DemoArgs),
    Explain(explain::ExplainArgs),
    Rules(explain::RulesArgs),
    Check(check::CheckArgs),
    /// Predict each user's outcome at their first SSO sign-in and plan the migration.
    Simulate(crate::cli::simulate::SimulateArgs),
    /// Analyse exported IdP and Kinde sign-in logs: failures by cause, code, app and user.
    Logs(crate::cli::logs::LogsArgs),
    /// Combine partial aggregates written by `logs --partial` into one report.
    Merge(crate::cli::logs::MergeArgs),
    Preflight(preflight::PreflightArgs),
    Monitor(monitor::MonitorArgs),
    Init(init::InitArgs),
    Completions(completions::CompletionsArgs),
    Man(completions::ManArgs),
}

/// Parses the process arguments, runs the subcommand and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_UNUSABLE
            } else {
                EXIT_OK
            };
        }
    };
    match cli.command {
        Command::Saml(a) => saml::run(*a),
        Command::Demo(a) => saml::run_demo(a),
        Command::Explain(a) => explain::run_explain(a),
        Command::Rules(a) => explain::run_rules(a),
        Command::Check(a) => check::run(a),
        Command::Simulate(args) => simulate::run(args),
        Command::Logs(args) => logs::run_logs(args),
        Command::Merge(args) => logs::run_merge(args),
        Command::Preflight(args) => preflight::run(args),
        Command::Monitor(args) => monitor::run(args),
        Command::Init(args) => init::run(args),
        Command::Completions(args) => completions::run_completions(args),
        Command::Man(args) => completions::run_man(args),
    }
}

/// Prints an error for unusable input or settings and returns exit code 2.
pub fn fail(message: &str) -> i32 {
    eprintln!("sso-doctor: {message}");
    EXIT_UNUSABLE
}

/// Documentation for codes that are not rules (IdP error codes from the log knowledge base).
pub fn explain_other(code: &str) -> Option<String> {
    crate::logs::kb::explain(code)
        .or_else(|| crate::provision::table::explain(code))
        .or_else(|| crate::preflight::docs::explain(code))
}
