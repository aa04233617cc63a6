//! `sso-doctor explain` and `sso-doctor rules`: the rules' own documentation.
//!
//! `explain` takes a finding code (`SD201`), a rule name (`destination-mismatch`), an IdP or Kinde
//! error code (`AADSTS50011`, `kinde:578`), a whole pasted error sentence (the code is pulled out of
//! it), or plain words (`explain destination`), which list the rules whose name, summary or
//! documentation use them.

use super::{EXIT_OK, EXIT_UNUSABLE};
use crate::rules::{self, Need, Rule};
use clap::{Args, ValueEnum};

/// Explain a finding code or an IdP/Kinde error code (also from a pasted message), or find rules by words
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A finding code (SD201), a rule name (destination-mismatch), an IdP error code
    /// (AADSTS50011), a pasted error message, or words to search for (destination)
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
}

/// What a precondition means, for people.
fn need_sentence(n: Need) -> &'static str {
    match n {
        Need::AcsUrl => {
            "the ACS URL Kinde shows for the connection (--config, --acs-url or --sp-metadata)"
        }
        Need::SpEntityId => {
            "Kinde's Entity ID for the connection (--config, --sp-entity-id or --sp-metadata)"
        }
        Need::IdpEntityId => "the IdP's entity ID (--config, --idp-entity-id or --idp-metadata)",
        Need::EmailAttribute => {
            "the connection's Email key attribute (--config or --email-attribute)"
        }
        Need::NameIdFormat => "the NameID format Kinde expects (--config name_id_format)",
        Need::Clock => "a clock to judge times against (the system clock, or --now)",
        Need::PairedRequest => {
            "the AuthnRequest that started the sign-in, in the same capture (a HAR or SAML-tracer export)"
        }
    }
}

/// The full text `explain` prints for one rule.
pub fn rule_text(rule: &dyn Rule) -> String {
    let m = rule.meta();
    let mut out = format!("{}\n", m.docs.trim_end());
    out.push_str(&format!(
        "\nCode: {}  Name: {}  Severity: {}\n",
        m.code, m.name, m.severity
    ));
    if !m.needs.is_empty() {
        let needs: Vec<&str> = m.needs.iter().map(|n| need_sentence(*n)).collect();
        out.push_str(&format!(
            "This check runs only when sso-doctor knows {}.\n",
            join_and(&needs)
        ));
    }
    out
}

fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Documentation for one code exactly as given: a rule, then the log knowledge base, then the
/// other explainers (simulator rule ids).
fn exact(code: &str) -> Option<String> {
    if let Some(rule) = rules::find(code) {
        return Some(rule_text(rule));
    }
    super::explain_other(code).map(|d| format!("{}\n", d.trim_end()))
}

/// Pieces of a pasted sentence that look like codes: `AADSTS50011:`, `MSIS7007`, `SD201`,
/// `INVALID_CREDENTIALS`, `kinde:578`, `(364)`.
fn code_like_tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':' || c == '-'))
        .map(|t| t.trim_matches(|c: char| c == ':' || c == '-'))
        .filter(|t| {
            let digits = t.bytes().filter(u8::is_ascii_digit).count();
            let upper_word = t.len() > 3
                && t.contains('_')
                && t.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
            digits >= 3 || (digits >= 1 && t.len() >= 4) || upper_word || t.contains(':')
        })
        .collect()
}

const STOPWORDS: &[&str] = &[
    "a", "an", "and", "the", "of", "to", "in", "is", "not", "does", "do", "for", "on", "or",
    "with", "it", "be", "by", "at", "as", "this", "that", "my", "no", "from", "was", "are",
];

/// Rules whose name, summary or documentation contain every query word; best matches first.
pub fn search(words: &[String]) -> Vec<&'static dyn Rule> {
    let words: Vec<String> = words
        .iter()
        .flat_map(|w| w.split(|c: char| !c.is_alphanumeric()))
        .map(str::to_lowercase)
        .filter(|w| w.len() > 1 && !STOPWORDS.contains(&w.as_str()))
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(usize, &'static dyn Rule)> = rules::all()
        .into_iter()
        .filter_map(|r| {
            let m = r.meta();
            let head = format!("{} {}", m.name, m.summary).to_lowercase();
            let docs = m.docs.to_lowercase();
            let mut score = 0;
            for w in &words {
                if head.contains(w.as_str()) {
                    score += 3;
                } else if docs.contains(w.as_str()) {
                    score += 1;
                } else {
                    return None;
                }
            }
            Some((score, r))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.meta().code.cmp(b.1.meta().code)));
    scored.into_iter().map(|(_, r)| r).collect()
}

/// The text `explain` prints for a query, or the error to print.
pub fn explain(query: &[String]) -> Result<String, String> {
    let joined = query.join(" ");
    let trimmed = joined.trim();
    if let Some(text) = exact(trimmed) {
        return Ok(text);
    }
    let mut found: Vec<(String, String)> = Vec::new();
    for token in code_like_tokens(trimmed) {
        if let Some(text) = exact(token)
            && !found.iter().any(|(_, t)| *t == text)
        {
            found.push((token.to_string(), text));
        }
    }
    if !found.is_empty() {
        let mut out = String::new();
        for (i, (token, text)) in found.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&format!("(code {token} found in the text given)\n{text}"));
        }
        return Ok(out);
    }
    match search(query).as_slice() {
        [] => Err(format!(
            "no rule, error code or rule text matches {trimmed:?}; `sso-doctor rules` lists the rules"
        )),
        [one] => Ok(rule_text(*one)),
        many => {
            let mut out = format!("{} rules match {trimmed:?}:\n", many.len());
            for r in many {
                let m = r.meta();
                out.push_str(&format!("  {:<6} {:<32} {}\n", m.code, m.name, m.summary));
            }
            out.push_str("Run `sso-doctor explain CODE` for one of them.\n");
            Ok(out)
        }
    }
}

pub fn run_explain(args: ExplainArgs) -> i32 {
    match explain(&args.query) {
        Ok(text) => match crate::fsio::print(&text) {
            Ok(()) => EXIT_OK,
            Err(e) => super::fail(&format!("cannot write: {e}")),
        },
        Err(e) => {
            eprintln!("sso-doctor: {e}");
            EXIT_UNUSABLE
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

/// List every rule with its code, severity and summary
#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

pub fn run_rules(args: RulesArgs) -> i32 {
    let all = rules::all();
    let text = match args.format {
        RulesFormat::Json => {
            let list: Vec<serde_json::Value> = all
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({"code": m.code, "name": m.name, "severity": m.severity, "summary": m.summary, "docs": m.docs})
                })
                .collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&list).unwrap_or_default()
            )
        }
        RulesFormat::Text => all
            .iter()
            .map(|r| {
                let m = r.meta();
                format!(
                    "{:<6} {:<8} {:<32} {}\n",
                    m.code,
                    m.severity.as_str(),
                    m.name,
                    m.summary
                )
            })
            .collect(),
    };
    match crate::fsio::print(&text) {
        Ok(()) => EXIT_OK,
        Err(e) => super::fail(&format!("cannot write: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Vec<String> {
        s.split(' ').map(String::from).collect()
    }

    #[test]
    fn needs_read_as_a_sentence() {
        let text = explain(&q("SD201")).unwrap();
        assert!(!text.contains("Needs:"), "{text}");
        assert!(text.contains("This check runs only when sso-doctor knows the ACS URL"));
    }

    #[test]
    fn pulls_the_code_out_of_a_pasted_sentence() {
        let text = explain(&q(
            "AADSTS50011: The redirect URI 'https://x.example.com' does not match",
        ))
        .unwrap();
        assert!(
            text.contains("(code AADSTS50011 found in the text given)"),
            "{text}"
        );
        assert!(text.contains("InvalidReplyTo"), "{text}");
    }

    #[test]
    fn finds_rules_by_words() {
        let hits = search(&q("destination"));
        assert!(hits.iter().any(|r| r.meta().name == "destination-mismatch"));
        assert!(search(&q("zzzz-nothing-like-this")).is_empty());
        assert!(explain(&q("zzzz nothing")).is_err());
    }
}
