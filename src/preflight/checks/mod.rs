//! The eight preflight checks and the verdict. Each check's argument from the specs is in
//! `docs/preflight.md`; the short form is in the doc comment of each function.
//!
//! `missing` means an input that can carry the value lacks it; `not_checked` means no given input
//! can carry it (and never changes the verdict).

use super::{IdpApp, KindeSide};
use crate::time::Millis;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    NotChecked,
    Warning,
    Missing,
    Mismatch,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NotChecked => "not_checked",
            Status::Warning => "warning",
            Status::Missing => "missing",
            Status::Mismatch => "mismatch",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Ready,
    AtRisk,
    WillFail,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ready => "ready",
            Verdict::AtRisk => "at_risk",
            Verdict::WillFail => "will_fail",
        }
    }
}

/// One check's result.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub check: &'static str,
    pub status: Status,
    pub idp: Option<String>,
    pub kinde: Option<String>,
    pub evidence: String,
    pub fix: String,
}

/// The check names, in report order (the JSON contract has exactly one entry per name).
pub const NAMES: &[&str] = &[
    "acs_url",
    "entity_id",
    "email_attribute",
    "name_id_format",
    "idp_entity_id",
    "signing_certificate",
    "certificate_expiry",
    "signature",
];

pub(super) const DAY: Millis = 86_400_000;

pub(super) fn check(
    name: &'static str,
    status: Status,
    idp: Option<String>,
    kinde: Option<String>,
    evidence: String,
    fix: &str,
) -> Check {
    Check {
        check: name,
        status,
        idp,
        kinde,
        evidence,
        fix: if matches!(status, Status::Ok | Status::NotChecked) {
            String::new()
        } else {
            fix.to_string()
        },
    }
}

pub(super) fn not_checked(name: &'static str, why: String) -> Check {
    check(name, Status::NotChecked, None, None, why, "")
}

mod attrs;
mod certs;
mod urls;

pub fn all(idp: &IdpApp, kinde: &KindeSide, now: Millis) -> Vec<Check> {
    vec![
        urls::acs_url(idp, kinde),
        urls::entity_id(idp, kinde),
        attrs::email_attribute(idp, kinde),
        attrs::name_id_format(idp, kinde),
        attrs::idp_entity_id(idp, kinde),
        certs::signing_certificate(idp, kinde),
        certs::certificate_expiry(idp, kinde, now),
        certs::signature(idp, kinde),
    ]
}

/// `will_fail` when sign-in cannot work; `at_risk` on a warning or a mismatch elsewhere.
pub fn verdict(checks: &[Check]) -> Verdict {
    let bad = |c: &Check| matches!(c.status, Status::Mismatch | Status::Missing);
    let fatal = checks.iter().any(|c| {
        bad(c)
            && matches!(
                c.check,
                "acs_url"
                    | "entity_id"
                    | "email_attribute"
                    | "signing_certificate"
                    | "certificate_expiry"
                    | "signature"
            )
    });
    if fatal {
        Verdict::WillFail
    } else if checks.iter().any(|c| bad(c) || c.status == Status::Warning) {
        Verdict::AtRisk
    } else {
        Verdict::Ready
    }
}
