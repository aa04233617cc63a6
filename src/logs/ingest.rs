//! The pipeline: sniff every input, load Kinde users snapshots first (they turn user ids into
//! emails), then stream each file through the reader thread ([`super::pump`]) while the calling
//! thread parses each chunk's records in parallel with rayon and merges the per-chunk aggregates.
//! Inputs are found and opened by [`super::walk`]; CSV goes through [`super::csv_input`].

use super::agg::{Aggregate, FileSummary, Malformed};
use super::csv_input::analyze_csv;
use super::detect::{Format, JsonKind};
use super::frame::{Framer, XmlEvents};
use super::pump::stream;
use super::records::{
    count_unrecognised, framer_for, handle_adfs_xml, handle_json, load_users, push_frame_problems,
};
pub use super::source::{Input, Options, Outcome};
use super::source::{Partial, overlong};
pub use super::walk::{expand, is_stdin, open};
use super::walk::{open_stdin, sniff, sniff_reader};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// The name an input is reported under: its path, or for standard input `--source-name`,
/// else Hadoop streaming's `mapreduce_map_input_file` (the file the map task's split came from),
/// else `-`.
fn source_name(input: &Input, opts: &Options) -> String {
    if !is_stdin(&input.path) {
        return input.path.display().to_string();
    }
    opts.stdin_name
        .clone()
        .or_else(|| std::env::var("mapreduce_map_input_file").ok())
        .or_else(|| std::env::var("map_input_file").ok())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "-".into())
}

/// Analyses every input; `events` receives normalised NDJSON when given.
pub fn analyze(inputs: &[Input], opts: &Options, events: Option<&mut dyn Write>) -> Outcome {
    let mut events = events;
    let mut out = Outcome::default();
    // Each input with its format, or (under `keep_unrecognised`) why none was recognised.
    let mut plan: Vec<(&Input, String, Result<Format, String>)> = Vec::new();
    // Standard input cannot be reopened, so its sniffed reader is kept for the analysis pass.
    let mut stdin_reader = None;
    for input in inputs {
        let name = source_name(input, opts);
        let sniffed = if is_stdin(&input.path) {
            if stdin_reader.is_some() {
                out.errors
                    .push("-: standard input can be named only once".into());
                continue;
            }
            open_stdin().and_then(sniff_reader).map(|(format, reader)| {
                stdin_reader = Some(reader);
                format
            })
        } else {
            sniff(&input.path)
        };
        match sniffed.map(|f| opts.input_format.map_or(f, Ok)) {
            Ok(Ok(format)) => plan.push((input, name, Ok(format))),
            Ok(Err(msg)) if input.explicit && opts.keep_unrecognised => {
                plan.push((input, name, Err(msg)))
            }
            Ok(Err(msg)) if input.explicit => out.errors.push(format!("{name}: {msg}")),
            Ok(Err(msg)) => {
                // The full list of formats tried is noise for files found in a directory.
                let short = msg.split("; formats tried").next().unwrap_or(&msg);
                out.ignored.push(format!("{name}: {short}"));
            }
            Err(e) => out.errors.push(format!("{name}: {e}")),
        }
    }
    // Users snapshots first: they turn Kinde user ids into emails for the event files.
    let mut users = HashMap::new();
    for (input, name, format) in &plan {
        if let Ok(format @ Format::Json(JsonKind::KindeUsers, layout)) = format {
            let reader = match take_reader(&input.path, &mut stdin_reader) {
                Ok(r) => r,
                Err(e) => {
                    out.errors.push(format!("{name}: {e}"));
                    continue;
                }
            };
            match load_users(reader, *layout, opts, &mut users) {
                Ok(summary) => out.aggregate.merge(summary.with_name(name, *format)),
                Err(e) => out.errors.push(format!("{name}: {e}")),
            }
        }
    }
    let progress = progress_bar(
        opts,
        &plan
            .iter()
            .map(|(i, ..)| i.path.clone())
            .collect::<Vec<_>>(),
    );
    for (input, name, format) in &plan {
        let res = match format {
            Ok(Format::Json(JsonKind::KindeUsers, _)) => continue,
            Ok(format) => take_reader(&input.path, &mut stdin_reader).and_then(|reader| {
                analyze_file(reader, name, *format, opts, &users, &mut events, &progress)
            }),
            Err(why) => take_reader(&input.path, &mut stdin_reader)
                .and_then(|reader| count_unrecognised(reader, name, why, opts)),
        };
        match res {
            Ok(agg) => out.aggregate.merge(agg),
            Err(e) => out.errors.push(format!("{name}: {e}")),
        }
    }
    progress.finish_and_clear();
    out
}

/// The reader for an input: the kept standard-input reader, or the file opened afresh.
fn take_reader(
    path: &Path,
    stdin: &mut Option<Box<dyn Read + Send>>,
) -> io::Result<Box<dyn Read + Send>> {
    if is_stdin(path) {
        stdin
            .take()
            .ok_or_else(|| io::Error::other("standard input was already read"))
    } else {
        open(path)
    }
}

fn progress_bar(opts: &Options, paths: &[PathBuf]) -> indicatif::ProgressBar {
    if !opts.progress || !io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let total: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

#[allow(clippy::too_many_arguments)]
fn analyze_file(
    reader: Box<dyn Read + Send>,
    name: &str,
    format: Format,
    opts: &Options,
    users: &HashMap<String, String>,
    events: &mut Option<&mut dyn Write>,
    progress: &indicatif::ProgressBar,
) -> io::Result<Aggregate> {
    progress.set_message(name.to_string());
    let with_events = events.is_some();
    let filter = &opts.filter;
    let mut total = match format {
        Format::Empty => Aggregate::default(),
        Format::Csv(kind) => analyze_csv(reader, kind, name, opts, events)?,
        Format::AdfsXml => run_parallel(
            reader,
            Box::new(XmlEvents::default()),
            name,
            opts,
            with_events,
            events,
            progress,
            |b, p| handle_adfs_xml(b, p, filter),
        )?,
        Format::Json(kind, layout) => run_parallel(
            reader,
            framer_for(layout),
            name,
            opts,
            with_events,
            events,
            progress,
            |b, p| handle_json(kind, b, users, p, filter),
        )?,
    };
    total.files.push(FileSummary::new(
        name,
        format.name(),
        total.events,
        total.skipped,
        total.malformed_count,
    ));
    Ok(total)
}

#[allow(clippy::too_many_arguments)]
fn run_parallel<H>(
    reader: Box<dyn Read + Send>,
    framer: Box<dyn Framer>,
    name: &str,
    opts: &Options,
    with_events: bool,
    events: &mut Option<&mut dyn Write>,
    progress: &indicatif::ProgressBar,
    handle: H,
) -> io::Result<Aggregate>
where
    H: Fn(&[u8], &mut Partial) -> Result<(), String> + Sync,
{
    let mut total = Aggregate::default();
    let max = opts.max_record_bytes;
    let mut write_err = None;
    stream(reader, framer, opts, |batch| {
        // One contiguous piece per thread: fewer partial aggregates means less merging, and
        // contiguous pieces keep the events output in input order.
        let per = batch
            .recs
            .len()
            .div_ceil(rayon::current_num_threads().max(1))
            .max(1);
        let part = batch
            .recs
            .par_chunks(per)
            .map(|piece| {
                let mut p = Partial::new(with_events);
                for r in piece {
                    let res = if r.end - r.start > max {
                        Err(overlong(max))
                    } else {
                        handle(&batch.buf[r.start..r.end], &mut p)
                    };
                    if let Err(e) = res {
                        p.malformed.push((r.line, e));
                    }
                }
                p
            })
            .reduce(|| Partial::new(with_events), Partial::merge);
        if let (Some(w), Some(buf)) = (events.as_mut(), &part.events)
            && let Err(e) = w.write_all(buf)
        {
            write_err.get_or_insert(e);
        }
        total.merge(part.agg);
        for (line, error) in part.malformed {
            total.add_malformed(Malformed {
                file: name.to_string(),
                line,
                error,
            });
        }
        push_frame_problems(batch, opts, |line, error| {
            total.add_malformed(Malformed {
                file: name.to_string(),
                line,
                error,
            })
        });
        progress.inc(batch.consumed as u64);
    })?;
    match write_err {
        Some(e) => Err(e),
        None => Ok(total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_carries_tails_across_tiny_chunks() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.ndjson");
        std::fs::write(&path, b"{\"createdDateTime\":\"2025-11-03T09:00:00Z\",\"status\":{\"errorCode\":50011}}\n\n{\"createdDateTime\":\"2025-11-03T09:00:00Z\",\"status\":{\"errorCode\":0}}").unwrap();
        let inputs = expand(&[path]).unwrap();
        let opts = Options {
            chunk_bytes: 1,
            ..Options::default()
        };
        let out = analyze(&inputs, &opts, None);
        assert!(out.errors.is_empty(), "{:?}", out.errors);
        assert_eq!((out.aggregate.events, out.aggregate.failures), (2, 1));
    }
}
