//! Command-line interface: argument parsing and the glue that runs each subcommand. Every
//! subcommand lives in its own file and returns the process exit code: 0 nothing at or above the
//! failure bar, 1 findings at or above it, 2 unusable input or settings.

pub mod logs;

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
    /// Analyse exported IdP and Kinde sign-in logs: failures by cause, code, app and user.
    Logs(crate::cli::logs::LogsArgs),
    /// Combine partial aggregates written by `logs --partial` into one report.
    Merge(crate::cli::logs::MergeArgs),
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
        Command::Logs(args) => logs::run_logs(args),
        Command::Merge(args) => logs::run_merge(args),
    }
}
