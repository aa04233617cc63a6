//! The pipeline: sniff every input, load Kinde users snapshots first (they turn user ids into
//! emails), then stream each file through the reader thread ([`super::pump`]) while the calling
//! thread parses each chunk's records in parallel with rayon and merges the per-chunk aggregates.
//! Inputs are found and opened by [`super::walk`]; CSV goes through [`super::csv_input`].

use super::agg::{Aggregate, FileSummary, Filter, Malformed};
use super::csv_input::analyze_csv;
use super::detect::{Format, JsonKind, Layout};
use super::frame::{Framer, JsonStream, Ndjson, XmlEvents};
use super::pump::{Batch, stream};
pub use super::source::{Input, Options, Outcome};
use super::source::{Partial, overlong};
pub use super::walk::{expand, is_stdin, open};
use super::walk::{open_stdin, sniff, sniff_reader};
use super::{adfs, entra, google, kinde, okta};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Analyses every input; `events` receives normalised NDJSON when given.
pub fn analyze(inputs: &[Input], opts: &Options, events: Option<&mut dyn Write>) -> Outcome {
    let mut events = events;
    let mut out = Outcome::default();
    let mut plan = Vec::new();
    // Standard input cannot be reopened, so its sniffed reader is kept for the analysis pass.
    let mut stdin_reader = None;
    for input in inputs {
        let name = input.path.display().to_string();
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
        match sniffed {
            Ok(Ok(format)) => plan.push((input, name, format)),
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
        if let Format::Json(JsonKind::KindeUsers, layout) = format {
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
        if matches!(format, Format::Json(JsonKind::KindeUsers, _)) {
            continue;
        }
        let res = take_reader(&input.path, &mut stdin_reader).and_then(|reader| {
            analyze_file(reader, name, *format, opts, &users, &mut events, &progress)
        });
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

/// Per-file counts returned by the users loader.
struct UsersSummary {
    records: u64,
    malformed: Vec<(u64, String)>,
}

impl UsersSummary {
    fn with_name(self, name: &str, format: Format) -> Aggregate {
        let mut agg = Aggregate {
            skipped: self.records,
            ..Aggregate::default()
        };
        let count = self.malformed.len() as u64;
        for (line, error) in self.malformed {
            agg.add_malformed(Malformed {
                file: name.to_string(),
                line,
                error,
            });
        }
        agg.files.push(FileSummary {
            path: name.to_string(),
            format: format.name(),
            events: 0,
            skipped: self.records,
            malformed: count,
        });
        agg
    }
}

fn framer_for(layout: Layout) -> Box<dyn Framer> {
    match layout {
        Layout::Ndjson => Box::new(Ndjson::default()),
        Layout::Stream => Box::new(JsonStream::default()),
    }
}

fn load_users(
    reader: Box<dyn Read + Send>,
    layout: Layout,
    opts: &Options,
    users: &mut HashMap<String, String>,
) -> io::Result<UsersSummary> {
    let mut summary = UsersSummary {
        records: 0,
        malformed: Vec::new(),
    };

    stream(reader, framer_for(layout), opts, |batch| {
        for r in &batch.recs {
            summary.records += 1;
            if let Err(e) = kinde::add_user(&batch.buf[r.start..r.end], users) {
                summary.malformed.push((r.line, e));
            }
        }
        push_frame_problems(batch, opts, |line, e| summary.malformed.push((line, e)));
    })?;
    Ok(summary)
}

fn push_frame_problems(batch: &Batch, opts: &Options, mut f: impl FnMut(u64, String)) {
    if let Some(line) = batch.overlong {
        f(line, overlong(opts.max_record_bytes));
    }
    if let Some(e) = &batch.error {
        f(e.line, e.message.clone());
    }
}

/// Parses one JSON record of a known kind into `p`.
fn handle_json(
    kind: JsonKind,
    bytes: &[u8],
    users: &HashMap<String, String>,
    p: &mut Partial,
    f: &Filter,
) -> Result<(), String> {
    match kind {
        JsonKind::Entra => p.push(&entra::parse_json(bytes)?, f),
        JsonKind::Okta => match okta::parse_json(bytes)? {
            Some(e) => p.push(&e, f),
            None => p.agg.skipped += 1,
        },
        JsonKind::Google => {
            let events = google::parse_json(bytes)?;
            if events.is_empty() {
                p.agg.skipped += 1;
            }
            events.iter().for_each(|e| p.push(e, f));
        }
        JsonKind::KindeEvents => match kinde::parse_json(bytes, users)? {
            Some(e) => p.push(&e, f),
            None => p.agg.skipped += 1,
        },
        JsonKind::KindeUsers => p.agg.skipped += 1,
    }
    Ok(())
}

fn handle_adfs_xml(bytes: &[u8], p: &mut Partial, f: &Filter) -> Result<(), String> {
    match adfs::build(adfs::raw_from_xml(bytes)?) {
        Some(e) => p.push(&e, f),
        None => p.agg.skipped += 1,
    }
    Ok(())
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
    total.files.push(FileSummary {
        path: name.to_string(),
        format: format.name(),
        events: total.events,
        skipped: total.skipped,
        malformed: total.malformed_count,
    });
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
    use crate::logs::detect;
    use proptest::prelude::*;

    fn all_parsers(bytes: &[u8]) {
        let users = HashMap::new();
        let mut p = Partial::new(true);
        let f = Filter::default();
        for kind in [
            JsonKind::Entra,
            JsonKind::Okta,
            JsonKind::Google,
            JsonKind::KindeEvents,
        ] {
            let _ = handle_json(kind, bytes, &users, &mut p, &f);
        }
        let _ = handle_adfs_xml(bytes, &mut p, &f);
        let _ = detect::detect(bytes, true);
        let mut out = Vec::new();
        for mut framer in [
            framer_for(Layout::Ndjson),
            framer_for(Layout::Stream),
            Box::new(XmlEvents::default()) as Box<dyn Framer>,
        ] {
            let _ = framer.frame(bytes, true, &mut out);
            let _ = framer.frame(bytes, false, &mut out);
        }
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            all_parsers(&bytes);
        }

        #[test]
        fn json_like_text_never_panics(text in r#"[\[\]{}":,a-z0-9\\ \n<>/.-]{0,300}"#) {
            all_parsers(text.as_bytes());
        }
    }

    #[test]
    fn mangled_fixture_records_never_panic() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/logs");
        for file in [
            "entra/graph-beta.ndjson",
            "okta/system-log.ndjson",
            "google/saml-activities.ndjson",
            "adfs/wevtutil.xml",
            "kinde/webhooks.json",
        ] {
            let text = std::fs::read(root.join(file)).unwrap();
            for cut in (0..text.len().min(3000)).step_by(7) {
                all_parsers(&text[..cut]);
                all_parsers(&text[cut..]);
            }
        }
    }

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
