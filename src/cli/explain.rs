//! `sso-doctor explain CODE` and `sso-doctor rules`: the rules' own documentation.

use super::{EXIT_OK, EXIT_UNUSABLE};
use crate::rules;
use clap::{Args, ValueEnum};

/// Print a rule's (or an IdP error code's) documentation
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A finding code (SD201), a rule name (destination-mismatch), a simulator rule or
    /// assumption id (R12, U7), or an IdP error code
    pub code: String,
}

pub fn run_explain(args: ExplainArgs) -> i32 {
    if let Some(rule) = rules::find(&args.code) {
        let m = rule.meta();
        println!("{}", m.docs.trim_end());
        println!(
            "\nCode: {}  Name: {}  Severity: {}",
            m.code, m.name, m.severity
        );
        if !m.needs.is_empty() {
            let needs: Vec<String> = m.needs.iter().map(|n| format!("{n:?}")).collect();
            println!("Needs: {}", needs.join(", "));
        }
        return EXIT_OK;
    }
    if let Some(doc) = crate::provision::table::explain(&args.code) {
        println!("{}", doc.trim_end());
        return EXIT_OK;
    }
    if let Some(doc) = super::explain_other(&args.code) {
        println!("{}", doc.trim_end());
        return EXIT_OK;
    }
    eprintln!(
        "sso-doctor: no rule or error code {:?}; `sso-doctor rules` lists the rules",
        args.code
    );
    EXIT_UNUSABLE
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

/// List every rule with its code, severity and summary
#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

pub fn run_rules(args: RulesArgs) -> i32 {
    let all = rules::all();
    match args.format {
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = all
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({"code": m.code, "name": m.name, "severity": m.severity, "summary": m.summary, "docs": m.docs})
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            );
        }
        RulesFormat::Text => {
            for r in all {
                let m = r.meta();
                println!(
                    "{:<6} {:<8} {:<32} {}",
                    m.code,
                    m.severity.as_str(),
                    m.name,
                    m.summary
                );
            }
        }
    }
    EXIT_OK
}
