//! sso-doctor: find out why an enterprise SAML sign-in into Kinde failed, and what will happen to
//! each user when an organisation moves onto SSO.
//!
//! The binary (`src/main.rs`) is a thin shell over [`cli`]. As a library, the supported surface
//! is small:
//!
//! - **Analyse a SAML trace** in any paste form: [`analyze::analyze`] over [`analyze::Input`]s with
//!   [`settings::Settings`] gives [`finding::Finding`]s (stable code, severity, message, evidence,
//!   fix) per message, most likely cause first.
//! - **Aggregate log exports**: [`logs::ingest::analyze`], and partials merged exactly with
//!   [`logs::partial`].
//! - **Simulate provisioning**: [`provision::simulate()`] over a [`provision::UsersSnapshot`].
//! - **Preflight** the two configurations: [`preflight::read_idp`] + [`preflight::run`].
//! - **Monitor** a migration: [`monitor::run`].
//!
//! ```
//! use sso_doctor::analyze::{Input, RunOptions, analyze};
//! use sso_doctor::settings::Settings;
//!
//! let settings = Settings::from_toml(
//!     "[connection]\nacs_url = \"https://acme.kinde.com/login/saml/callback\"\n",
//!     "conn.toml",
//! )
//! .unwrap();
//! let xml = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r" Version="2.0"
//!   IssueInstant="2026-03-10T09:15:04Z" Destination="https://acme.kinde.com/login/saml/callback/">
//!   <samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>
//! </samlp:Response>"#;
//! let opts = RunOptions { settings: &settings, now: None, now_source: "none", limits: Default::default() };
//! let analysis = analyze(&[Input { name: "r.xml".into(), bytes: xml.as_bytes().to_vec() }], &opts);
//! let codes: Vec<&str> = analysis.all_findings().iter().map(|f| f.code).collect();
//! assert!(codes.contains(&"SD201"), "{codes:?}"); // Destination is not the ACS URL (trailing slash)
//! ```
//!
//! Every other module is public only so that the integration tests in `tests/` can drive each
//! layer directly; they are hidden from the documentation and may change between versions.
//! `docs/architecture.md` describes them all.
#![forbid(unsafe_code)]

pub mod analyze;
#[doc(hidden)]
pub mod check;
#[doc(hidden)]
pub mod cli;
#[doc(hidden)]
pub mod decode;
#[doc(hidden)]
pub mod dsig;
pub mod finding;
#[doc(hidden)]
pub mod fsio;
#[doc(hidden)]
pub mod html;
#[doc(hidden)]
pub mod identity;
#[doc(hidden)]
pub mod limits;
pub mod logs;
#[doc(hidden)]
pub mod metadata;
pub mod monitor;
#[doc(hidden)]
pub mod ns;
pub mod preflight;
pub mod provision;
#[doc(hidden)]
pub mod report;
#[doc(hidden)]
pub mod rules;
#[doc(hidden)]
pub mod saml;
#[doc(hidden)]
pub mod security;
pub mod settings;
#[doc(hidden)]
pub mod time;
#[doc(hidden)]
pub mod xml;
