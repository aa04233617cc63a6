//! The XML namespaces of SAML 2.0, SAML metadata, XML Signature and XML Encryption: one
//! definition each, in the bottom layer, so `saml`, `dsig` and `metadata` name the same constant.

/// SAML 2.0 assertions (core §2).
pub const SAML_ASSERTION: &str = "urn:oasis:names:tc:SAML:2.0:assertion";
/// SAML 2.0 protocol messages (core §3).
pub const SAML_PROTOCOL: &str = "urn:oasis:names:tc:SAML:2.0:protocol";
/// SAML 2.0 metadata.
pub const SAML_METADATA: &str = "urn:oasis:names:tc:SAML:2.0:metadata";
/// XML Signature.
pub const DSIG: &str = "http://www.w3.org/2000/09/xmldsig#";
/// XML Encryption 1.0.
pub const XENC: &str = "http://www.w3.org/2001/04/xmlenc#";
/// XML Schema instance (`xsi:type`).
pub const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";
