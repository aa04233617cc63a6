//! SAML responses as simulator input: `sso-doctor simulate … resp1.xml resp2.xml`.
//!
//! The SAML module owns decoding and parsing, so the adapter from a parsed response to an
//! [`IdpRecord`] lives with it; this file is the seam. The function below is the only
//! placeholder of the simulator and is replaced when the SAML module is integrated.

use super::IdpRecord;
use crate::settings::Settings;
use std::path::PathBuf;

/// Turns SAML response files into one [`IdpRecord`] per response.
///
/// Contract for the implementation:
/// - `source`: `"SAML file <path>"` (plus `#<n>` when a file holds several responses);
/// - `email`: the first value of the attribute named exactly `settings.email_attribute`
///   (Kinde's `email` when unset), untrimmed; `None` when absent or empty;
/// - `email_attribute_present`: whether an attribute with that exact name was sent;
/// - `attributes`: every attribute name with its values, in document order;
/// - `name_id`: the Subject's NameID; `subject_id`: the value of the user-id attribute when the
///   settings name one (it is matched against Kinde's `provided_id`).
///
/// Errors are messages that name the file (and line where known); the CLI exits with 2.
pub fn saml_records(paths: &[PathBuf], settings: &Settings) -> Result<Vec<IdpRecord>, String> {
    let _ = (paths, settings);
    Err("SAML input is wired by the saml module".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_says_who_wires_it() {
        let e = saml_records(&[PathBuf::from("r.xml")], &Settings::default()).unwrap_err();
        assert!(e.contains("saml module"));
    }
}
