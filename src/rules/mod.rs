//! The checks. One file per rule: a small struct with its [`RuleMeta`] (stable code, name,
//! severity, one-line summary, full documentation) and a `check` over a shared [`Context`].
//!
//! Rules never read the clock or the environment: the clock, the settings and the paired request
//! come in through the context, so the same input always gives the same findings. A rule whose
//! settings are missing is not run; [`run`] reports it as skipped with the reason.

use crate::finding::{Evidence, Finding, Severity, sort_findings};
use crate::saml::Message;
use crate::settings::Settings;
use crate::time::Millis;

mod confirmation;
mod util;
pub use util::{looks_like_email, url_differences};

mod acs;
mod audience;
mod email;
mod issuer;
pub(crate) mod security;
mod signature;
mod status;
mod structure;
mod subject;
mod timing;

/// What a rule needs to run, beyond the message itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    AcsUrl,
    SpEntityId,
    IdpEntityId,
    EmailAttribute,
    NameIdFormat,
    Clock,
    PairedRequest,
}

impl Need {
    fn satisfied(self, ctx: &Context) -> bool {
        let s = ctx.settings;
        match self {
            Need::AcsUrl => s.acs_url.is_some(),
            Need::SpEntityId => s.sp_entity_id.is_some(),
            Need::IdpEntityId => s.idp_entity_id.is_some(),
            Need::EmailAttribute => s.email_attribute.is_some(),
            Need::NameIdFormat => s.name_id_format.is_some(),
            Need::Clock => ctx.now.is_some(),
            Need::PairedRequest => ctx.request_ids.is_some(),
        }
    }

    fn reason(self) -> &'static str {
        match self {
            Need::AcsUrl => {
                "no ACS URL configured (--config [connection] acs_url, --acs-url or --sp-metadata)"
            }
            Need::SpEntityId => {
                "no SP Entity ID configured (--config [connection] sp_entity_id, --sp-entity-id or --sp-metadata)"
            }
            Need::IdpEntityId => {
                "no IdP Entity ID configured (--config [connection] idp_entity_id, --idp-entity-id or --idp-metadata)"
            }
            Need::EmailAttribute => {
                "no Email key attribute configured (--config [connection] email_attribute or --email-attribute)"
            }
            Need::NameIdFormat => {
                "no Name ID format configured (--config [connection] name_id_format)"
            }
            Need::Clock => "no clock (pass --now)",
            Need::PairedRequest => {
                "no AuthnRequest in the input to pair with (paste a capture holding both, or several files)"
            }
        }
    }
}

/// A rule's declaration: everything `rules` and `explain` print, and what `check` needs.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, e.g. `SD201`. Never reused for another meaning.
    pub code: &'static str,
    /// Kebab-case name, e.g. `destination-mismatch`.
    pub name: &'static str,
    pub severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Full documentation (Markdown): what, why it breaks sign-in, how to fix, an example.
    pub docs: &'static str,
    /// Ranking weight for "most likely cause" (higher first within a severity).
    pub weight: u8,
    pub needs: &'static [Need],
}

/// Everything a rule may look at besides the message.
pub struct Context<'a> {
    pub settings: &'a Settings,
    /// The clock, read once by the caller (or `--now`).
    pub now: Option<Millis>,
    /// Where `now` came from, for evidence ("--now" or "system clock").
    pub now_source: &'a str,
    /// IDs of the AuthnRequests present in the same input set, sorted, each once; `None` when
    /// there are none. Borrowed: one list serves every message of the run.
    pub request_ids: Option<&'a [String]>,
    /// The run's certificates and SP key, parsed once.
    pub keys: Option<&'a crate::security::Keys>,
    /// Signature verdicts and structural checks for this message.
    pub security: Option<&'a crate::security::Security>,
}

impl Context<'_> {
    /// The allowed clock skew, capped at [`MAX_SKEW_MILLIS`]: `clock_skew_seconds` comes from a
    /// settings file, and a huge value overflowed the multiplication (a panic in debug builds, a
    /// negative skew in release). Timestamps have four-digit years, so adding the capped skew to
    /// any of them cannot overflow.
    pub fn skew_millis(&self) -> i64 {
        i64::try_from(self.settings.clock_skew_seconds)
            .unwrap_or(i64::MAX)
            .saturating_mul(1000)
            .min(MAX_SKEW_MILLIS)
    }
}

/// About 31,700 years: more than any two four-digit-year timestamps can differ by.
pub const MAX_SKEW_MILLIS: i64 = 1_000_000_000_000_000;

impl Context<'_> {}

/// One check.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>);
}

/// Builds a finding of `meta`'s code and severity.
pub fn finding(
    meta: &'static RuleMeta,
    message: impl Into<String>,
    evidence: Vec<Evidence>,
    fix: impl Into<String>,
) -> Finding {
    Finding {
        code: meta.code,
        rule: meta.name,
        severity: meta.severity,
        message: message.into(),
        evidence,
        fix: fix.into(),
        weight: meta.weight,
        message_index: None,
    }
}

/// Every rule, in code order.
pub fn all() -> Vec<&'static dyn Rule> {
    registry().to_vec()
}

/// Every rule sorted by code, gathered once per process (every message is checked against it).
fn registry() -> &'static [&'static dyn Rule] {
    static RULES: std::sync::OnceLock<Vec<&'static dyn Rule>> = std::sync::OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules: Vec<&'static dyn Rule> = Vec::new();
        rules.extend(status::RULES);
        rules.extend(structure::RULES);
        rules.extend(acs::RULES);
        rules.extend(audience::RULES);
        rules.extend(issuer::RULES);
        rules.extend(email::RULES);
        rules.extend(timing::RULES);
        rules.extend(subject::RULES);
        rules.extend(signature::RULES);
        rules.extend(security::RULES);
        rules.sort_by_key(|r| r.meta().code);
        rules
    })
}

/// Finds a rule by code (`SD201`) or name (`destination-mismatch`), case-insensitively.
pub fn find(code_or_name: &str) -> Option<&'static dyn Rule> {
    all().into_iter().find(|r| {
        r.meta().code.eq_ignore_ascii_case(code_or_name)
            || r.meta().name.eq_ignore_ascii_case(code_or_name)
    })
}

/// A rule that did not run, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub code: &'static str,
    pub rule: &'static str,
    pub reason: &'static str,
}

/// The outcome of running every rule on one message.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub findings: Vec<Finding>,
    pub skipped: Vec<Skipped>,
}

/// Runs every applicable rule on `msg`; findings come back sorted.
pub fn run(ctx: &Context, msg: &Message) -> Outcome {
    let mut outcome = Outcome::default();
    for &rule in registry() {
        let meta = rule.meta();
        if let Some(need) = meta.needs.iter().find(|n| !n.satisfied(ctx)) {
            outcome.skipped.push(Skipped {
                code: meta.code,
                rule: meta.name,
                reason: need.reason(),
            });
            continue;
        }
        rule.check(ctx, msg, &mut outcome.findings);
    }
    for f in &mut outcome.findings {
        resolve_anchors(f, msg);
    }
    sort_findings(&mut outcome.findings);
    outcome.findings.dedup();
    outcome
}

/// Turns evidence anchors into element paths and line/column positions, now that the finding
/// is known to be reported.
fn resolve_anchors(f: &mut Finding, msg: &Message) {
    for e in &mut f.evidence {
        let Some(anchor) = e.anchor.take() else {
            continue;
        };
        if e.source.is_empty() {
            e.source = crate::saml::anchor_path(&msg.doc, &anchor);
        }
        let (line, column) = msg.doc.line_col(anchor.offset);
        e.location = Some(crate::finding::Location {
            line,
            column,
            offset: anchor.offset,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_documented() {
        let rules = all();
        let mut codes: Vec<_> = rules.iter().map(|r| r.meta().code).collect();
        let mut names: Vec<_> = rules.iter().map(|r| r.meta().name).collect();
        codes.dedup();
        names.sort();
        names.dedup();
        assert_eq!(codes.len(), rules.len());
        assert_eq!(names.len(), rules.len());
        for r in rules {
            let m = r.meta();
            assert!(m.code.starts_with("SD") && m.code.len() == 5, "{}", m.code);
            assert!(m.docs.len() > 200, "{} needs real docs", m.code);
            assert!(
                m.docs.contains("## Fix"),
                "{} docs need a Fix section",
                m.code
            );
            assert!(
                !m.summary.ends_with('.'),
                "{} summary is one line without a full stop",
                m.code
            );
        }
    }

    #[test]
    fn find_by_code_or_name() {
        assert_eq!(find("sd201").unwrap().meta().name, "destination-mismatch");
        assert_eq!(find("destination-mismatch").unwrap().meta().code, "SD201");
        assert!(find("SD999").is_none());
    }
}
