//! XML-DSig and XML-Enc for SAML, in pure Rust (RustCrypto; no xmlsec or OpenSSL).
//!
//! - [`c14n`]: Canonical XML 1.0 and Exclusive C14N 1.0 (with or without comments, with an
//!   `InclusiveNamespaces` PrefixList) of element subtrees, minus an excluded subtree.
//! - [`algorithm`]: digest and signature method identifiers.
//! - [`cert`]: certificates and bare public keys as trusted IdP keys: fingerprints, subject,
//!   validity, tolerant key extraction; [`keyfile`]: their text forms (PEM bundles, base64, DER);
//!   [`key`]: the public keys themselves and signature-value checks (`rsa`, `p256`, `p384`).
//! - [`reference`]: same-document references (IDs), ancestry and the `Signature` shape.
//! - [`verify`]: enveloped-signature verification of every `ds:Signature` against the configured
//!   IdP certificates (RSA PKCS#1 v1.5, ECDSA P-256/P-384), with certificate details
//!   ([`verify::CertInfo`]) for configured and received certificates. `KeyInfo` is reported,
//!   never trusted.
//! - [`wrapping`]: structural checks for signature wrapping (XSW1–8), several assertions,
//!   duplicate IDs, comment injection and dangling references.
//! - [`decrypt`]: `EncryptedAssertion` decryption with the SP's RSA private key (RSA-OAEP,
//!   RSA 1.5; AES-CBC, AES-GCM), and parsing of the plaintext in its original namespace context.
//!
//! Nothing here panics on input: malformed structures become report outcomes or errors.
//!
//! ```no_run
//! use sso_doctor::dsig::{decrypt, verify, wrapping};
//! use sso_doctor::{limits::Limits, xml::Document};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let limits = Limits::default();
//! let doc = Document::parse(&std::fs::read_to_string("response.xml")?, &limits)?;
//! let certs = vec![std::fs::read_to_string("idp.pem")?];
//! let signatures = verify::verify_all(&doc, &certs);
//! let structure = wrapping::check(&doc, &signatures);
//! for s in &signatures {
//!     println!("{:?} {:?}: {:?}", s.signed_path, s.algorithms.signature, s.outcome);
//! }
//! println!("{} structural issues", structure.issues.len());
//! let key = decrypt::SpKey::parse(&std::fs::read_to_string("sp-key.pem")?)?;
//! for (node, result) in decrypt::decrypt_all(&doc, &key) {
//!     let plain = result?;
//!     let inner = decrypt::parse_decrypted(&doc, node, &plain.xml, &limits)?;
//!     let inner_signatures = verify::verify_all(&inner, &certs);
//!     let _ = wrapping::check(&inner, &inner_signatures);
//! }
//! # Ok(())
//! # }
//! ```

pub mod algorithm;
pub mod c14n;
pub mod cert;
pub mod decrypt;
pub mod key;
pub mod keyfile;
mod lenient;
pub mod outcome;
pub mod reference;
pub mod verify;
pub mod wrapping;
