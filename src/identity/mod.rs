//! Identities (emails, NameIDs) as Kinde compares them and as people see them: the one place
//! that turns an identity into Kinde's comparison key, tells near-misses (case, whitespace)
//! from lookalikes ([`lookalike`]: UTS #39 skeletons, mixed script, invisible and bidi
//! characters, compatibility characters), says whether an attribute name carries an email, and
//! renders an identity safely for a terminal ([`terminal_safe`]).
//!
//! Kinde matches emails exactly (case-sensitive), so exactness is always judged on the raw
//! values; [`comparison_key`] only finds the candidates that differ in case or whitespace.

pub mod lookalike;
mod terminal;

pub use lookalike::{Reason, displayed_as, reasons, skeleton_hash, skeleton_key};
pub use terminal::{TerminalSafeWriter, is_unsafe_for_terminal, terminal_safe};

use std::borrow::Cow;

/// The key near-miss candidates share: trimmed and lower-cased (borrowed when already so).
pub fn comparison_key(identity: &str) -> Cow<'_, str> {
    let t = identity.trim();
    if t.is_ascii() {
        if t.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(t.to_ascii_lowercase())
        } else {
            Cow::Borrowed(t)
        }
    } else {
        Cow::Owned(t.to_lowercase())
    }
}

/// How two identities compare, from the closest to the farthest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Relation {
    /// Byte-for-byte equal.
    Exact,
    /// Equal ignoring capitalisation only; neither spelling is suspicious.
    Case,
    /// Equal after trimming surrounding whitespace (and possibly ignoring case).
    Space,
    /// Different identities that people cannot tell apart, and why.
    Lookalike(Vec<Reason>),
    /// Not the same identity.
    Different,
}

/// Compares two identities (`a` as stored, `b` as sent). A case difference made through a
/// compatibility character (U+212A KELVIN SIGN lower-cases to `k`) or one that carries
/// invisible, bidi or mixed-script characters is a lookalike, not a case difference.
pub fn relate(a: &str, b: &str) -> Relation {
    if a == b {
        return Relation::Exact;
    }
    let clean = reasons(a).is_empty() && reasons(b).is_empty();
    if clean {
        let (at, bt) = (a.trim(), b.trim());
        let spaced = at.len() != a.len() || bt.len() != b.len();
        if at == bt || (spaced && comparison_key(at) == comparison_key(bt)) {
            return Relation::Space;
        }
        if comparison_key(at) == comparison_key(bt) {
            return Relation::Case;
        }
    }
    match lookalike::lookalike(a, b) {
        Some(why) => Relation::Lookalike(why),
        None => Relation::Different,
    }
}

/// A loose RFC 5322 addr-spec check: one `@`, a non-empty local part, a dotted domain, no spaces.
pub fn looks_like_email(s: &str) -> bool {
    let s = s.trim();
    let Some((local, domain)) = s.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !local.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !s.contains(char::is_whitespace)
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

/// OIDs that carry a mailbox: X.500 `mail` and PKCS#9 `emailAddress`.
const EMAIL_OIDS: [&str; 2] = [
    "urn:oid:0.9.2342.19200300.100.1.3",
    "urn:oid:1.2.840.113549.1.9.1",
];

/// True when an attribute name carries an email by convention: a claim URI or short name ending
/// in `email`, `emailaddress`, `mail`… (after `/`, `#` or `:`), or a mailbox OID.
pub fn is_email_attribute_name(name: &str) -> bool {
    let name = name.trim();
    if EMAIL_OIDS.contains(&name) {
        return true;
    }
    let last = name
        .rsplit(['/', '#', ':'])
        .next()
        .unwrap_or(name)
        .to_ascii_lowercase();
    matches!(
        last.as_str(),
        "email"
            | "emailaddress"
            | "mail"
            | "e-mail"
            | "email_address"
            | "emailaddr"
            | "useremail"
            | "primaryemail"
            | "user.email"
    )
}

/// True when an attribute name carries a user principal name (an email-shaped sign-in name).
pub fn is_upn_attribute_name(name: &str) -> bool {
    let name = name.trim();
    matches!(
        name,
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"
            // Entra's default `name` claim holds the UPN.
            | "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name"
            | "upn"
            | "userPrincipalName"
            | "urn:oid:1.3.6.1.4.1.5923.1.1.1.6"
    ) || name.eq_ignore_ascii_case("userprincipalname")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comparison_key_folds_case_and_space() {
        assert_eq!(
            comparison_key(" Carla.Case@Example.com "),
            "carla.case@example.com"
        );
        assert_eq!(comparison_key("ÉVA@example.com"), "éva@example.com");
        assert!(matches!(comparison_key("a@example.com"), Cow::Borrowed(_)));
    }

    #[test]
    fn relations_from_exact_to_lookalike() {
        let cases = [
            ("a@example.com", "a@example.com", "exact"),
            ("Carla.Case@example.com", "carla.case@example.com", "case"),
            ("ÉVA@example.com", "éva@example.com", "case"),
            ("dev.space@example.com", "dev.space@example.com ", "space"),
            (" Dev@example.com", "dev@example.com", "space"),
            ("kim@contoso.test", "\u{212A}im@contoso.test", "lookalike"),
            ("anna@contoso.test", "\u{0430}nna@contoso.test", "lookalike"),
            (
                "carol@contoso.test",
                "carol\u{200B}@contoso.test",
                "lookalike",
            ),
            (
                "carol@contoso.test",
                "\u{202E}tset.osotnoc@lorac",
                "lookalike",
            ),
            (
                "carol@contoso.test",
                "\u{202E}carol@contoso.test",
                "different",
            ),
            ("quinn@example.com", "quinn.smith@example.com", "different"),
        ];
        for (a, b, want) in cases {
            let got = match relate(a, b) {
                Relation::Exact => "exact",
                Relation::Case => "case",
                Relation::Space => "space",
                Relation::Lookalike(_) => "lookalike",
                Relation::Different => "different",
            };
            assert_eq!(got, want, "{a:?} vs {b:?}");
        }
    }

    #[test]
    fn email_attribute_names() {
        for yes in [
            "email",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
            "urn:oid:0.9.2342.19200300.100.1.3",
            "mail",
            "user.email",
        ] {
            assert!(is_email_attribute_name(yes), "{yes}");
        }
        for no in [
            "name",
            "givenname",
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
        ] {
            assert!(!is_email_attribute_name(no), "{no}");
        }
        assert!(is_upn_attribute_name(
            "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn"
        ));
        assert!(
            looks_like_email("a@example.com")
                && !looks_like_email("a@b")
                && !looks_like_email("a b@example.com")
        );
    }
}
