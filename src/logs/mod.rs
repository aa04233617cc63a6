//! Batch analysis of exported IdP and Kinde sign-in logs (reference: `docs/logs.md`).
//!
//! Pipeline: [`ingest`] plans the run; `walk` expands and opens inputs and sniffs each format by
//! content ([`detect`]); `pump` streams chunks framed by [`frame`] to the calling thread, where
//! `records` dispatches each record to the per-source parsers ([`entra`], [`okta`], [`google`],
//! [`adfs`], [`kinde`]; CSV through `csv_input`), which produce normalised [`event::Event`]s
//! classified by the knowledge base ([`kb`]); [`agg`] counts them into a mergeable aggregate
//! ([`files`] per source, [`filter`] for `--since`/`--app`/…) and [`report`] renders it.
//! `--partial` writes the aggregate itself ([`partial`], checksummed) so `merge` can combine runs
//! exactly.

pub mod adfs;
pub mod adfs_json;
pub mod agg;
pub mod cause;
pub mod ci;
mod csv_input;
pub mod csvrow;
pub mod detect;
pub mod entra;
pub mod event;
pub mod fastjson;
pub mod files;
pub mod filter;
pub mod format;
pub mod frame;
pub mod google;
pub mod ingest;
pub mod kb;
pub mod kinde;
pub mod okta;
pub mod partial;
mod pump;
mod records;
pub mod report;
mod source;
mod walk;

pub use agg::{Aggregate, Filter};
pub use cause::{Cause, Outcome, Source};
pub use event::Event;
pub use kb::{codes, explain};
