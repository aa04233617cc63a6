//! XML-DSig and XML-Enc for SAML, in pure Rust.
//!
//! - [`c14n`]: Canonical XML 1.0 and Exclusive C14N 1.0 of element subtrees.
//! - [`verify`]: enveloped-signature verification against configured IdP certificates, with
//!   certificate details ([`verify::CertInfo`]) for configured and received certificates.
//! - [`wrapping`]: structural checks for signature wrapping, duplicate IDs and comment injection.
//! - [`decrypt`]: `EncryptedAssertion` decryption with the SP's RSA private key.
//!
//! Nothing here panics on input: malformed structures become report outcomes or errors.

pub mod c14n;
pub mod decrypt;
mod montgomery;
pub mod verify;
pub mod wrapping;
