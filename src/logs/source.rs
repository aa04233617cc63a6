//! What one run takes and gives: tuning [`Options`], the [`Input`] list, the run's [`Outcome`],
//! and the per-thread [`Partial`] accumulator the parsers fill while reading one chunk.

use super::agg::{Aggregate, Filter};
use super::detect::Format;
use super::event::Event;
use std::path::PathBuf;

/// Tuning and filtering for one run.
#[derive(Debug, Clone)]
pub struct Options {
    pub filter: Filter,
    /// Bytes read per chunk.
    pub chunk_bytes: usize,
    /// Longest record accepted; longer lines are counted as malformed.
    pub max_record_bytes: usize,
    /// Show a progress bar when stderr is a terminal.
    pub progress: bool,
    /// Read every input as this format instead of detecting it (`--input-format`).
    pub input_format: Option<Format>,
    /// Under `--partial`: a named input in which nothing was recognised is recorded as an
    /// `unrecognised` source (its lines counted as malformed) instead of failing the run.
    pub keep_unrecognised: bool,
    /// The source name reported for standard input (`--source-name`).
    pub stdin_name: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            filter: Filter::default(),
            chunk_bytes: 8 * 1024 * 1024,
            max_record_bytes: 16 * 1024 * 1024,
            progress: false,
            input_format: None,
            keep_unrecognised: false,
            stdin_name: None,
        }
    }
}

/// One input file and whether it was named directly (errors) or found in a directory (skipped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub path: PathBuf,
    pub explicit: bool,
}

/// What a run produced besides the aggregate.
#[derive(Debug, Default)]
pub struct Outcome {
    pub aggregate: Aggregate,
    /// Explicitly named files that are not logs or could not be read: the run is unusable.
    pub errors: Vec<String>,
    /// Files found in directories that are not logs (skipped, reported as notes).
    pub ignored: Vec<String>,
}

/// Per-thread accumulator while parsing one chunk.
#[derive(Default)]
pub(crate) struct Partial {
    pub(crate) agg: Aggregate,
    pub(crate) events: Option<Vec<u8>>,
    pub(crate) malformed: Vec<(u64, String)>,
}

impl Partial {
    pub(crate) fn new(with_events: bool) -> Self {
        Partial {
            events: with_events.then(Vec::new),
            ..Partial::default()
        }
    }

    pub(crate) fn push(&mut self, e: &Event<'_>, filter: &Filter) {
        if !filter.accepts(e) {
            return;
        }
        self.agg.add(e);
        if let Some(buf) = &mut self.events {
            // Writing to a Vec cannot fail, and Event's Serialize impl has no error paths.
            let _ = serde_json::to_writer(&mut *buf, e);
            buf.push(b'\n');
        }
    }

    pub(crate) fn merge(mut self, other: Partial) -> Partial {
        self.agg.merge(other.agg);
        if let (Some(a), Some(b)) = (&mut self.events, other.events) {
            a.extend_from_slice(&b);
        }
        self.malformed.extend(other.malformed);
        self
    }
}

/// The malformed-record message for a record over the cap, naming the flag and its value (the
/// line is carried beside it).
pub(crate) fn overlong(max: usize) -> String {
    format!(
        "record longer than --max-record-bytes ({max} bytes); raise the flag if this record is \
         genuine"
    )
}
