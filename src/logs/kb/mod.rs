//! Knowledge base: every error code, reason or event type sso-doctor recognises in IdP and Kinde
//! logs, mapped to a [`Cause`], a plain explanation and the fix (naming the Kinde connection
//! setting when one applies). Texts are our own summaries of `idp-logs-entra.md`,
//! `idp-logs-okta-google-adfs.md` and `kinde.md`; codes those notes mark as disputed say so.
//!
//! Lookups are per source because codes overlap in spelling (Entra `50011` vs an ADFS event id).

use super::cause::{Cause, Source};
use std::collections::HashMap;
use std::sync::OnceLock;

/// One known code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub source: Source,
    /// The code as it appears in logs: `50011`, `INVALID_CREDENTIALS`, `MSIS7007`, `364`.
    pub code: &'static str,
    /// Short name, e.g. `InvalidReplyTo`.
    pub title: &'static str,
    pub cause: Cause,
    pub explanation: &'static str,
    pub fix: &'static str,
}

const fn e(
    source: Source,
    code: &'static str,
    title: &'static str,
    cause: Cause,
    explanation: &'static str,
    fix: &'static str,
) -> Entry {
    Entry {
        source,
        code,
        title,
        cause,
        explanation,
        fix,
    }
}

mod table;

pub use table::ENTRA_INTERRUPTS;
use table::ENTRIES;

fn index() -> &'static HashMap<(Source, &'static str), &'static Entry> {
    static INDEX: OnceLock<HashMap<(Source, &'static str), &'static Entry>> = OnceLock::new();
    INDEX.get_or_init(|| ENTRIES.iter().map(|e| ((e.source, e.code), e)).collect())
}

/// Every entry, in table order.
pub fn entries() -> &'static [Entry] {
    ENTRIES
}

/// The entry for `code` as written by `source`, if known.
pub fn lookup(source: Source, code: &str) -> Option<&'static Entry> {
    // Borrowing the key as (Source, &str) relies on HashMap being covariant in its key type.
    let map: &HashMap<(Source, &str), &'static Entry> = index();
    map.get(&(source, code)).copied()
}

/// Cause for a failure code, `Unknown` when the code is not in the table.
pub fn cause_of(source: Source, code: &str) -> Cause {
    lookup(source, code).map_or(Cause::Unknown, |e| e.cause)
}

/// Resolves what a user typed (`AADSTS50011`, `50011`, `msis7007`, `INVALID_CREDENTIALS`,
/// `okta:LOCKED_OUT`, `kinde:578`) to an entry.
pub fn find(query: &str) -> Option<&'static Entry> {
    let q = query.trim();
    if let Some((prefix, rest)) = q.split_once(':') {
        let source = Source::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(prefix))?;
        return find_in(source, rest.trim());
    }
    let upper = q.to_ascii_uppercase();
    if let Some(num) = upper.strip_prefix("AADSTS") {
        return lookup(Source::Entra, num);
    }
    if upper.starts_with("MSIS") {
        return lookup(Source::Adfs, &upper);
    }
    // Bare words: try each source in a fixed order so the answer never depends on hashing.
    Source::ALL.into_iter().find_map(|s| find_in(s, q))
}

fn find_in(source: Source, code: &str) -> Option<&'static Entry> {
    lookup(source, code)
        .or_else(|| lookup(source, &code.to_ascii_uppercase()))
        .or_else(|| lookup(source, &code.to_ascii_lowercase()))
}

/// How the code is usually written, for display.
pub fn display_code(entry: &Entry) -> String {
    match entry.source {
        Source::Entra => format!("AADSTS{}", entry.code),
        Source::Adfs if entry.code.bytes().all(|b| b.is_ascii_digit()) => {
            format!("AD FS event {}", entry.code)
        }
        Source::Kinde if entry.code.bytes().all(|b| b.is_ascii_digit()) => {
            format!("Kinde error {}", entry.code)
        }
        _ => entry.code.to_string(),
    }
}

/// A multi-line explanation of `code` for `sso-doctor explain`, or None when unknown.
pub fn explain(code: &str) -> Option<String> {
    let entry = find(code)?;
    Some(format!(
        "{code} — {title}\nsource:  {source}\ncause:   {cause} ({summary})\nmeaning: {explanation}\nfix:     {fix}\n",
        code = display_code(entry),
        title = entry.title,
        source = entry.source,
        cause = entry.cause,
        summary = entry.cause.summary(),
        explanation = entry.explanation,
        fix = entry.fix,
    ))
}

/// Every known code with its one-line title, sorted by displayed code.
pub fn codes() -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<_> = ENTRIES.iter().map(|e| (e.code, e.title)).collect();
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn no_duplicate_keys() {
        let mut seen = HashSet::new();
        for e in ENTRIES {
            assert!(
                seen.insert((e.source, e.code)),
                "duplicate {:?}",
                (e.source, e.code)
            );
            assert!(!e.explanation.is_empty() && !e.fix.is_empty() && !e.title.is_empty());
        }
    }

    #[test]
    fn covers_enough_aadsts_codes() {
        let n = ENTRIES.iter().filter(|e| e.source == Source::Entra).count();
        assert!(n >= 80, "only {n} AADSTS codes");
        for code in ENTRA_INTERRUPTS {
            assert_eq!(
                cause_of(Source::Entra, code),
                Cause::InterruptNotFailure,
                "{code}"
            );
        }
    }

    #[test]
    fn maps_each_cause_family() {
        let cases = [
            (Source::Entra, "50011", Cause::AcsUrlMismatch),
            (Source::Entra, "700016", Cause::EntityIdNotFound),
            (Source::Entra, "50105", Cause::UserNotAssigned),
            (Source::Entra, "76021", Cause::SigningCertificate),
            (Source::Entra, "75005", Cause::BindingOrRequestMalformed),
            (Source::Entra, "53003", Cause::MfaOrConditionalAccess),
            (Source::Entra, "50126", Cause::BadCredentials),
            (Source::Entra, "50057", Cause::AccountState),
            (Source::Entra, "50034", Cause::UserNotFound),
            (Source::Entra, "65001", Cause::Consent),
            (Source::Entra, "76026", Cause::Clock),
            (Source::Entra, "50020", Cause::TenantOrGuest),
            (Source::Entra, "90055", Cause::ThrottlingOrService),
            (Source::Entra, "50140", Cause::InterruptNotFailure),
            (Source::Entra, "501241", Cause::Other),
            (Source::Entra, "12345678", Cause::Unknown),
            (Source::Okta, "INVALID_CREDENTIALS", Cause::BadCredentials),
            (
                Source::Okta,
                "app.generic.unauth_app_access_attempt",
                Cause::UserNotAssigned,
            ),
            (Source::Okta, "LOCKED_OUT", Cause::AccountState),
            (Source::Okta, "UNKNOWN_USER", Cause::UserNotFound),
            (
                Source::Google,
                "failure_app_not_configured_for_user",
                Cause::EntityIdNotFound,
            ),
            (
                Source::Google,
                "failure_app_not_enabled_for_user",
                Cause::UserNotAssigned,
            ),
            (
                Source::Google,
                "failure_no_passive",
                Cause::InterruptNotFailure,
            ),
            (Source::Adfs, "MSIS7007", Cause::EntityIdNotFound),
            (Source::Adfs, "MSIS7086", Cause::SigningCertificate),
            (Source::Adfs, "411", Cause::BadCredentials),
            (Source::Adfs, "1210", Cause::AccountState),
            (Source::Kinde, "578", Cause::AcsUrlMismatch),
        ];
        for (source, code, cause) in cases {
            assert_eq!(cause_of(source, code), cause, "{source} {code}");
        }
    }

    #[test]
    fn explain_accepts_common_spellings() {
        let text = explain("AADSTS50011").unwrap();
        assert!(text.starts_with("AADSTS50011 — InvalidReplyTo\n"), "{text}");
        assert!(text.contains("cause:   acs_url_mismatch"));
        assert!(text.contains("Kinde: ACS URL"));
        assert_eq!(explain("50011"), explain("aadsts50011"));
        assert!(explain("msis7007").unwrap().contains("entity_id_not_found"));
        assert!(
            explain("okta:locked_out")
                .unwrap()
                .contains("account_state")
        );
        assert!(explain("kinde:578").unwrap().starts_with("Kinde error 578"));
        assert!(explain("failure_no_passive").is_some());
        assert!(explain("AADSTS99999999").is_none());
        assert!(explain("").is_none());
    }

    #[test]
    fn codes_are_sorted_and_titled() {
        let list = codes();
        assert!(list.len() >= 100);
        assert!(list.windows(2).all(|w| w[0] <= w[1]));
        assert!(list.contains(&("50011", "InvalidReplyTo")));
    }
}
