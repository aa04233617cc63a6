//! Per-source summaries in an aggregate. A source is one input as named on the command line (or
//! `--source-name` / Hadoop's `mapreduce_map_input_file` for standard input): merging the
//! partials of many slices of one file counts one source with `slices` > 1, so "from 64 files"
//! no longer describes one file cut into 64 map tasks.

use serde::{Deserialize, Serialize};

/// What one input source contributed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct FileSummary {
    pub path: String,
    /// The detected format; `+`-joined when slices of one source were read as different
    /// formats; `unrecognised` when no slice held a recognisable record.
    pub format: String,
    pub events: u64,
    pub skipped: u64,
    pub malformed: u64,
    /// How many runs (map tasks) read part of this source.
    #[serde(default = "one")]
    pub slices: u64,
    /// Slices in which no record was recognised (under `--partial`; their non-blank lines are
    /// counted as malformed). `merge` warns about them and fails with `--strict`.
    #[serde(default)]
    pub unrecognised: u64,
}

fn one() -> u64 {
    1
}

/// Format names that say nothing about the content's real format.
const PLACEHOLDERS: [&str; 2] = ["unrecognised", "empty"];

impl FileSummary {
    /// A summary for one run over one source.
    pub fn new(path: &str, format: String, events: u64, skipped: u64, malformed: u64) -> Self {
        FileSummary {
            path: path.to_string(),
            format,
            events,
            skipped,
            malformed,
            slices: 1,
            unrecognised: 0,
        }
    }

    fn absorb(&mut self, other: FileSummary) {
        let add = |a: &mut u64, b: u64| *a = a.saturating_add(b);
        add(&mut self.events, other.events);
        add(&mut self.skipped, other.skipped);
        add(&mut self.malformed, other.malformed);
        add(&mut self.slices, other.slices);
        add(&mut self.unrecognised, other.unrecognised);
        self.format = join_formats(&self.format, &other.format);
    }
}

/// The format of a source read in pieces: real formats win over placeholders; distinct real
/// formats are listed in sorted order so the result never depends on merge order.
fn join_formats(a: &str, b: &str) -> String {
    let mut parts: Vec<&str> = a.split('+').chain(b.split('+')).collect();
    parts.sort_unstable();
    parts.dedup();
    let real: Vec<&str> = parts
        .iter()
        .copied()
        .filter(|p| !PLACEHOLDERS.contains(p))
        .collect();
    if real.is_empty() {
        // `unrecognised` sorts after `empty` and says more.
        parts.last().copied().unwrap_or("empty").to_string()
    } else {
        real.join("+")
    }
}

/// Merges `from` into `into`, one entry per source path, sorted by path.
pub(crate) fn merge_files(into: &mut Vec<FileSummary>, from: Vec<FileSummary>) {
    into.extend(from);
    into.sort_by(|a, b| a.path.cmp(&b.path));
    let mut out: Vec<FileSummary> = Vec::with_capacity(into.len());
    for f in into.drain(..) {
        match out.last_mut() {
            Some(last) if last.path == f.path => last.absorb(f),
            _ => out.push(f),
        }
    }
    *into = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_of_one_source_count_once() {
        let mut files = vec![FileSummary::new("-", "entra-ndjson".into(), 3, 0, 1)];
        let mut slice = FileSummary::new("-", "unrecognised".into(), 0, 0, 2);
        slice.unrecognised = 1;
        merge_files(
            &mut files,
            vec![slice, FileSummary::new("b", "okta-ndjson".into(), 1, 1, 0)],
        );
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].format, "entra-ndjson");
        assert_eq!((files[0].slices, files[0].unrecognised), (2, 1));
        assert_eq!((files[0].events, files[0].malformed), (3, 3));
        assert_eq!(join_formats("empty", "unrecognised"), "unrecognised");
        assert_eq!(
            join_formats("okta-ndjson", "entra-ndjson+empty"),
            "entra-ndjson+okta-ndjson"
        );
    }
}
