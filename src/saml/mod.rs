//! SAML XML → typed [`Message`] with source positions.
//!
//! Elements are matched on namespace URI and local name, never on prefix, so Entra's default
//! namespace, Okta's `saml2:` and ADFS's mixed styles read the same. Only the `Assertion` elements
//! directly under the Response are read as data, as a conforming SP does; anything hidden elsewhere
//! is left to the security checks.

pub mod model;
mod parse;

pub use model::*;
pub use parse::{ParseError, parse_document, parse_message};

pub use crate::ns::{
    DSIG as NS_DSIG, SAML_ASSERTION as NS_ASSERTION, SAML_METADATA as NS_METADATA,
    SAML_PROTOCOL as NS_PROTOCOL, XSI as NS_XSI,
};
pub const STATUS_PREFIX: &str = "urn:oasis:names:tc:SAML:2.0:status:";
