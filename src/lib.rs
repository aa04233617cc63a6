//! sso-doctor: find out why an enterprise SAML sign-in into Kinde failed, and what will happen to
//! each user when an organisation moves onto SSO.
//!
//! Data flows one way: [`decode`] (any paste form → XML bytes) → [`saml`] (XML → typed model with
//! source spans) → [`rules`] (one file per rule over a shared [`rules::Context`]) → [`report`]
//! (text, JSON, SARIF, JUnit, GitHub annotations). [`logs`] turns exported IdP and Kinde logs into
//! normalised sign-in events and aggregates; [`provision`] predicts each user's outcome. The
//! binary in `main.rs` is a thin shell over [`cli`].
#![forbid(unsafe_code)]

pub mod analyze;
pub mod check;
pub mod cli;
pub mod decode;
pub mod dsig;
pub mod finding;
pub mod fsio;
pub mod identity;
pub mod limits;
pub mod logs;
pub mod metadata;
pub mod monitor;
pub mod preflight;
pub mod provision;
pub mod report;
pub mod rules;
pub mod saml;
pub mod security;
pub mod settings;
pub mod time;
pub mod xml;
