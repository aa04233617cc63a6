//! Microsoft Entra ID sign-in records: Graph `signIn` objects (v1.0 and beta), diagnostic-settings
//! storage lines (`resultType` + `properties`), Log Analytics `SigninLogs` rows (PascalCase, as JSON
//! or CSV) and the admin-center "Download → CSV" file. All map onto one [`Event`].
//!
//! Rules from the reference (§5): the code sits in `status.errorCode` (int), `resultType` /
//! `ResultType` (string) or `Sign-in error code`; an explicit portal `Status` wins over the code;
//! `0` is success, the interrupt set is `interrupted`, anything else is a failure.

mod csv;
mod json;
pub mod tables;

pub use csv::{csv_kind, parse_csv};
pub use json::parse_json;

use super::cause::{Cause, Outcome, Source};
use super::event::Event;
use super::kb;
use serde::Deserialize;
use std::borrow::Cow;

/// An error code that is either a JSON number or a string.
#[derive(Debug)]
pub(crate) enum Code<'a> {
    Num(i64),
    Str(Cow<'a, str>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Code<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Code<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an error code (number or string)")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Code::Num(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v).map(Code::Num).map_err(E::custom)
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Code::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Code::Str(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'a> Code<'a> {
    /// The code as text; None for an empty string (unknown, not success).
    pub(crate) fn into_text(self) -> Option<Cow<'a, str>> {
        match self {
            Code::Num(n) => Some(Cow::Owned(n.to_string())),
            Code::Str(s) if s.trim().is_empty() => None,
            Code::Str(Cow::Borrowed(s)) => Some(Cow::Borrowed(s.trim())),
            Code::Str(Cow::Owned(s)) => Some(Cow::Owned(s.trim().to_string())),
        }
    }

    pub(crate) fn is_zero(&self) -> bool {
        match self {
            Code::Num(n) => *n == 0,
            Code::Str(s) => s.trim() == "0",
        }
    }
}

/// True when a JSON object's top-level keys look like an Entra sign-in in any JSON shape.
pub fn looks_like(keys: &[&str]) -> bool {
    let has = |k: &str| keys.contains(&k);
    (has("createdDateTime") && (has("status") || has("userPrincipalName")))
        || (has("resultType") && has("properties"))
        || (has("ResultType") && (has("UserPrincipalName") || has("TimeGenerated")))
        // `Get-MgAuditLogSignIn | ConvertTo-Json`: the SDK's PascalCase properties.
        || (has("CreatedDateTime") && (has("Status") || has("UserPrincipalName")))
}

/// The normalised sign-in category for a diagnostic-settings category or Log Analytics table
/// name (Microsoft's names for the four sign-in log streams); other values read `other`.
pub fn category_name(raw: &str) -> &'static str {
    let lower = raw.trim().to_ascii_lowercase();
    let name = lower.strip_prefix("aad").unwrap_or(&lower);
    match name {
        "signinlogs" | "interactiveuser" => "interactive_user",
        "noninteractiveusersigninlogs" | "noninteractiveuser" => "non_interactive_user",
        "serviceprincipalsigninlogs" | "serviceprincipal" => "service_principal",
        "managedidentitysigninlogs" | "managedidentity" => "managed_identity",
        _ => "other",
    }
}

/// Outcome and cause from a code, following §5.2 of the reference.
pub(crate) fn build<'a>(code: Code<'a>, reason: Option<Cow<'a, str>>) -> Event<'a> {
    if code.is_zero() {
        return Event::new(Source::Entra, Outcome::Success);
    }
    let Some(text) = code.into_text() else {
        let mut e = Event::new(Source::Entra, Outcome::Failure);
        e.cause = Cause::Unknown;
        e.reason = reason;
        return e;
    };
    let outcome = if kb::ENTRA_INTERRUPTS.contains(&text.as_ref()) {
        Outcome::Interrupted
    } else {
        Outcome::Failure
    };
    let mut e = Event::new(Source::Entra, outcome);
    e.cause = kb::cause_of(Source::Entra, &text);
    e.error_code = Some(text);
    e.reason = reason;
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_are_normalised() {
        assert_eq!(category_name("SignInLogs"), "interactive_user");
        assert_eq!(category_name("SigninLogs"), "interactive_user");
        assert_eq!(
            category_name("AADNonInteractiveUserSignInLogs"),
            "non_interactive_user"
        );
        assert_eq!(
            category_name("ServicePrincipalSignInLogs"),
            "service_principal"
        );
        assert_eq!(
            category_name("AADManagedIdentitySignInLogs"),
            "managed_identity"
        );
        assert_eq!(category_name("AuditLogs"), "other");
    }

    #[test]
    fn detects_json_shapes() {
        assert!(looks_like(&["createdDateTime", "status"]));
        assert!(looks_like(&["time", "resultType", "properties"]));
        assert!(looks_like(&["TimeGenerated", "ResultType"]));
        assert!(!looks_like(&["eventType", "published"]));
    }
}
