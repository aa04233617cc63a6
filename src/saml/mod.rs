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

pub const NS_PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
pub const NS_ASSERTION: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
pub const NS_DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
pub const NS_METADATA: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
pub const NS_XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
pub const STATUS_PREFIX: &str = "urn:oasis:names:tc:SAML:2.0:status:";
