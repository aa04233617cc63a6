//! Signature-wrapping checks.
