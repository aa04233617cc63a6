//! The fixed vocabulary every log line is normalised onto: where it came from ([`Source`]), how
//! the attempt ended ([`Outcome`]) and why it failed ([`Cause`]). The cause list is the one shared
//! by the reference notes for all identity providers, so aggregates line up across sources.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Which product wrote the log record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Entra,
    Okta,
    Google,
    Adfs,
    Kinde,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Source::Entra,
        Source::Okta,
        Source::Google,
        Source::Adfs,
        Source::Kinde,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Source::Entra => "entra",
            Source::Okta => "okta",
            Source::Google => "google",
            Source::Adfs => "adfs",
            Source::Kinde => "kinde",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How one sign-in record ended. Interrupts (an MFA prompt, "stay signed in?") are steps of a
/// sign-in that usually succeeds later, so they are counted apart from failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Success,
    Failure,
    Interrupted,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure => "failure",
            Outcome::Interrupted => "interrupted",
        }
    }
}

/// Why a sign-in failed. `NoFailure` marks successes; `Unknown` marks codes the knowledge base
/// does not know (as opposed to `Other`, which is a known code outside the named buckets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    AcsUrlMismatch,
    EntityIdNotFound,
    UserNotAssigned,
    SigningCertificate,
    BindingOrRequestMalformed,
    MfaOrConditionalAccess,
    BadCredentials,
    AccountState,
    UserNotFound,
    Consent,
    Clock,
    TenantOrGuest,
    ThrottlingOrService,
    InterruptNotFailure,
    Other,
    Unknown,
    #[serde(rename = "none")]
    NoFailure,
}

impl Cause {
    pub const ALL: [Cause; 17] = [
        Cause::AcsUrlMismatch,
        Cause::EntityIdNotFound,
        Cause::UserNotAssigned,
        Cause::SigningCertificate,
        Cause::BindingOrRequestMalformed,
        Cause::MfaOrConditionalAccess,
        Cause::BadCredentials,
        Cause::AccountState,
        Cause::UserNotFound,
        Cause::Consent,
        Cause::Clock,
        Cause::TenantOrGuest,
        Cause::ThrottlingOrService,
        Cause::InterruptNotFailure,
        Cause::Other,
        Cause::Unknown,
        Cause::NoFailure,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Cause::AcsUrlMismatch => "acs_url_mismatch",
            Cause::EntityIdNotFound => "entity_id_not_found",
            Cause::UserNotAssigned => "user_not_assigned",
            Cause::SigningCertificate => "signing_certificate",
            Cause::BindingOrRequestMalformed => "binding_or_request_malformed",
            Cause::MfaOrConditionalAccess => "mfa_or_conditional_access",
            Cause::BadCredentials => "bad_credentials",
            Cause::AccountState => "account_state",
            Cause::UserNotFound => "user_not_found",
            Cause::Consent => "consent",
            Cause::Clock => "clock",
            Cause::TenantOrGuest => "tenant_or_guest",
            Cause::ThrottlingOrService => "throttling_or_service",
            Cause::InterruptNotFailure => "interrupt_not_failure",
            Cause::Other => "other",
            Cause::Unknown => "unknown",
            Cause::NoFailure => "none",
        }
    }

    pub fn parse(s: &str) -> Option<Cause> {
        Cause::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// One line saying what the bucket means, used as the heading in the text report.
    pub fn summary(self) -> &'static str {
        match self {
            Cause::AcsUrlMismatch => {
                "the ACS / reply URL differs between Kinde and the IdP: not registered at the IdP, or not the Destination Kinde expects"
            }
            Cause::EntityIdNotFound => {
                "the IdP does not know the Entity ID (identifier) Kinde sent"
            }
            Cause::UserNotAssigned => "the user is not assigned to the application at the IdP",
            Cause::SigningCertificate => {
                "a signing key or certificate is missing, expired or untrusted"
            }
            Cause::BindingOrRequestMalformed => "the SAML request or its binding was rejected",
            Cause::MfaOrConditionalAccess => {
                "MFA or a conditional-access / sign-on policy blocked it"
            }
            Cause::BadCredentials => "wrong password or factor",
            Cause::AccountState => "the account is locked, disabled or its password expired",
            Cause::UserNotFound => "the user does not exist at the IdP",
            Cause::Consent => "consent has not been granted",
            Cause::Clock => "a timestamp was outside its validity window (clock skew)",
            Cause::TenantOrGuest => "wrong tenant, or a guest / cross-tenant account problem",
            Cause::ThrottlingOrService => "throttling or an IdP service problem",
            Cause::InterruptNotFailure => "an expected step of a sign-in (not a failure)",
            Cause::Other => "a known error outside the named groups",
            Cause::Unknown => "an error code sso-doctor does not know",
            Cause::NoFailure => "success",
        }
    }
}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cause_names_round_trip() {
        for c in Cause::ALL {
            assert_eq!(Cause::parse(c.as_str()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert_eq!(Cause::parse("nope"), None);
    }
}
