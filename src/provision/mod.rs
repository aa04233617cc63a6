//! Provisioning simulator: predicts what happens to every user when an organisation signs in to
//! Kinde through an enterprise (SAML) connection, before anyone actually signs in.
//!
//! Two sides meet here:
//! - the **Kinde side**, a [`users::UsersSnapshot`] read from Management API user pages, the users
//!   export (NDJSON) or the import CSV;
//! - the **IdP side**, a list of [`IdpRecord`]s: what the identity provider will send for each
//!   person. They come from a directory export or the logs command's events ([`directory`]), or
//!   from SAML responses ([`saml_records`]).
//!
//! [`simulate()`] applies the decision table of `docs/decision-table.md` (the data is
//! [`table`]; `sso-doctor explain R12` prints one row), which turns two Kinde documents ("Provisioning
//! users for enterprise connections" and "Moving users from email identity to Enterprise
//! Identity") into rules;
//! [`basis`] holds the verbatim sentence each rule rests on, [`outcome`] the outcomes, [`plan`]
//! builds the staged migration plan and [`render`] prints the
//! result as text, JSON or CSV. Output order never depends on hash-map order or thread timing.

pub mod basis;
pub mod directory;
pub mod explain;
pub mod outcome;
pub mod plan;
mod read;
pub mod render;
pub mod saml_input;
pub mod simulate;
pub mod table;
pub mod users;

pub use explain::{NearMatch, PersonReport};
pub use outcome::{Outcome, Rule};
pub use saml_input::saml_records;
pub use simulate::{Decision, SimOptions, Simulation, simulate};
pub use users::UsersSnapshot;

/// What the identity provider will send to Kinde for one person.
///
/// Built from a directory export row, a normalised sign-in event, or a parsed SAML response.
/// `email` is the value Kinde reads: the one under the connection's Email key attribute
/// (`settings.email_attribute`), exactly as the IdP sends it (no trimming, no case folding,
/// because Kinde's matching is case-sensitive per `kinde-email-to-enterprise-migration.txt`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IdpRecord {
    /// Where the record came from, for people to find it: `file:line` or `SAML file X`.
    pub source: String,
    /// A stable IdP-side id (directory object id, `saml_user_id_key_attr` value). When set it is
    /// matched against Kinde's `provided_id` (the import CSV's `id`), so a person whose email
    /// changed is still paired with their Kinde user.
    pub subject_id: Option<String>,
    /// The email Kinde will read, or `None` when the attribute is absent or empty.
    pub email: Option<String>,
    /// Whether an attribute named exactly like the Email key attribute was sent at all (it may
    /// be present but empty, which is reported differently from a name mismatch).
    pub email_attribute_present: bool,
    /// Attribute names (and values) the IdP sent. Used to explain a missing email ("the IdP
    /// sends `emailaddress`, Kinde reads `email`") and to pair a no-email record with its Kinde
    /// user through any email-shaped value. Directory rows leave it empty (their other columns
    /// are not attributes the IdP is known to send) except under `--idp-email-attribute`.
    pub attributes: Vec<(String, Vec<String>)>,
    /// The SAML NameID (or the directory's sign-in name), used only for pairing and display.
    pub name_id: Option<String>,
}

impl IdpRecord {
    /// The record's email if Kinde will receive a non-empty one.
    pub fn usable_email(&self) -> Option<&str> {
        self.email
            .as_deref()
            .filter(|e| self.email_attribute_present && !e.trim().is_empty())
    }
}

/// Input that cannot be used: names the file and, when known, the line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", location(path, *line))]
pub struct InputError {
    pub path: String,
    pub line: Option<u64>,
    pub message: String,
}

fn location(path: &str, line: Option<u64>) -> String {
    match line {
        Some(l) => format!("{path}:{l}"),
        None => path.to_string(),
    }
}

impl InputError {
    pub fn new(path: impl Into<String>, line: Option<u64>, message: impl Into<String>) -> Self {
        InputError {
            path: path.into(),
            line,
            message: message.into(),
        }
    }
}

/// Kinde's email comparison key for near-match lookups ([`crate::identity::comparison_key`]).
/// Exactness is checked separately on the raw values; this key only finds the candidates.
pub fn email_key(email: &str) -> String {
    crate::identity::comparison_key(email).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usable_email_needs_presence_and_content() {
        let mut r = IdpRecord {
            email: Some("a@example.com".into()),
            email_attribute_present: true,
            ..Default::default()
        };
        assert_eq!(r.usable_email(), Some("a@example.com"));
        r.email = Some("  ".into());
        assert_eq!(r.usable_email(), None);
        r.email = Some("a@example.com".into());
        r.email_attribute_present = false;
        assert_eq!(r.usable_email(), None);
    }

    #[test]
    fn email_key_folds_case_and_space() {
        assert_eq!(
            email_key(" Carla.Case@Example.com "),
            "carla.case@example.com"
        );
        assert_eq!(email_key("ÉVA@example.com"), "éva@example.com");
    }

    #[test]
    fn input_error_names_file_and_line() {
        let e = InputError::new("u.ndjson", Some(7), "not JSON");
        assert_eq!(e.to_string(), "u.ndjson:7: not JSON");
        assert_eq!(InputError::new("u.csv", None, "x").to_string(), "u.csv: x");
    }
}
