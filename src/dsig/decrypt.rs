//! Decryption.
