//! Reading inputs: walk directories, open files (gzip by magic bytes), detect each format, then
//! stream records through a two-stage pipeline: a reader thread decompresses and frames fixed-size
//! chunks, the calling thread parses each chunk's records in parallel with rayon and merges the
//! per-chunk aggregates. At most a few chunks are alive at once, so memory is bounded by the
//! chunk size (and the record cap), not by the file size.

use super::agg::{Aggregate, FileSummary, Filter, Malformed};
use super::detect::{self, CsvKind, Format, JsonKind, Layout, SNIFF_BYTES};
use super::event::Event;
use super::frame::{FrameError, Framer, JsonStream, Ndjson, Rec, XmlEvents};
use super::{adfs, entra, google, kinde, okta};
use flate2::read::MultiGzDecoder;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufReader, IsTerminal, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            filter: Filter::default(),
            chunk_bytes: 8 * 1024 * 1024,
            max_record_bytes: 16 * 1024 * 1024,
            progress: false,
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

/// Expands files and directories (walked recursively in sorted order; hidden entries skipped).
pub fn expand(paths: &[PathBuf]) -> Result<Vec<Input>, String> {
    let mut out = Vec::new();
    for p in paths {
        if is_stdin(p) {
            out.push(Input {
                path: p.clone(),
                explicit: true,
            });
            continue;
        }
        let meta = std::fs::metadata(p).map_err(|e| format!("{}: {e}", p.display()))?;
        if meta.is_dir() {
            walk(p, &mut out).map_err(|e| format!("{}: {e}", p.display()))?;
        } else {
            out.push(Input {
                path: p.clone(),
                explicit: true,
            });
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<Input>) -> io::Result<()> {
    walk_once(dir, out, &mut HashSet::new())
}

/// Walks `dir` unless it was walked already: a symlink loop (`logs/a/back -> logs`) was followed
/// until the path grew too long, reading the same files dozens of times into the counts.
fn walk_once(dir: &Path, out: &mut Vec<Input>, seen: &mut HashSet<PathBuf>) -> io::Result<()> {
    if !seen.insert(std::fs::canonicalize(dir)?) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk_once(&p, out, seen)?;
        } else if p.is_file() {
            out.push(Input {
                path: p,
                explicit: false,
            });
        }
    }
    Ok(())
}

/// Opens a file, transparently gunzipping when it starts with the gzip magic bytes.
pub fn open(path: &Path) -> io::Result<Box<dyn Read + Send>> {
    let mut f = File::open(path)?;
    let mut magic = [0u8; 2];
    let n = f.read(&mut magic)?;
    f.seek(SeekFrom::Start(0))?;
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(MultiGzDecoder::new(BufReader::with_capacity(
            1 << 20,
            f,
        ))))
    } else {
        Ok(Box::new(f))
    }
}

/// `-` names standard input (the map step under Hadoop streaming or Spark's `pipe`).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// Opens standard input, gunzipping when it starts with the gzip magic bytes.
fn open_stdin() -> io::Result<Box<dyn Read + Send>> {
    let mut stdin = io::stdin();
    let mut magic = Vec::with_capacity(2);
    // `take(2).read_to_end` keeps reading until two bytes or end of input, even from a pipe
    // that delivers one byte at a time.
    (&mut stdin).take(2).read_to_end(&mut magic)?;
    let gz = magic == [0x1f, 0x8b];
    let chained = io::Cursor::new(magic).chain(BufReader::with_capacity(1 << 20, stdin));
    Ok(if gz {
        Box::new(MultiGzDecoder::new(chained))
    } else {
        Box::new(chained)
    })
}

/// Reads the first bytes of `reader`, detects the format, and returns a reader that still
/// yields every byte.
fn sniff_reader(
    mut reader: Box<dyn Read + Send>,
) -> io::Result<(Result<Format, String>, Box<dyn Read + Send>)> {
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    (&mut reader)
        .take(SNIFF_BYTES as u64)
        .read_to_end(&mut head)?;
    let whole = head.len() < SNIFF_BYTES;
    let format = detect::detect(&head, whole);
    Ok((format, Box::new(io::Cursor::new(head).chain(reader))))
}

fn sniff(path: &Path) -> io::Result<Result<Format, String>> {
    Ok(sniff_reader(open(path)?)?.0)
}

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
        push_frame_problems(batch, |line, e| summary.malformed.push((line, e)));
    })?;
    Ok(summary)
}

fn push_frame_problems(batch: &Batch, mut f: impl FnMut(u64, String)) {
    if let Some(line) = batch.overlong {
        f(line, "record longer than --max-record-bytes".into());
    }
    if let Some(e) = &batch.error {
        f(e.line, e.message.clone());
    }
}

/// Per-thread accumulator while parsing one chunk.
#[derive(Default)]
struct Partial {
    agg: Aggregate,
    events: Option<Vec<u8>>,
    malformed: Vec<(u64, String)>,
}

impl Partial {
    fn new(with_events: bool) -> Self {
        Partial {
            events: with_events.then(Vec::new),
            ..Partial::default()
        }
    }

    fn push(&mut self, e: &Event<'_>, filter: &Filter) {
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

    fn merge(mut self, other: Partial) -> Partial {
        self.agg.merge(other.agg);
        if let (Some(a), Some(b)) = (&mut self.events, other.events) {
            a.extend_from_slice(&b);
        }
        self.malformed.extend(other.malformed);
        self
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
                        Err(format!("record longer than --max-record-bytes ({max})"))
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
        push_frame_problems(batch, |line, error| {
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

fn analyze_csv(
    reader: Box<dyn Read + Send>,
    kind: CsvKind,
    name: &str,
    opts: &Options,
    events: &mut Option<&mut dyn Write>,
) -> io::Result<Aggregate> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(LineCap::new(
            BufReader::with_capacity(1 << 20, reader),
            opts.max_record_bytes,
        ));
    let headers = super::csvrow::Headers::new(rdr.headers().map_err(io::Error::other)?.iter());
    let mut record = csv::StringRecord::new();
    let mut p = Partial::new(events.is_some());
    loop {
        let line = rdr.position().line() + 1;
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |pos| pos.line());
                let row = super::csvrow::Row::new(&headers, &record);
                let res = if record.as_slice().len() > opts.max_record_bytes {
                    Err("record longer than --max-record-bytes".to_string())
                } else {
                    handle_csv(kind, &row, &mut p, &opts.filter)
                };
                if let Err(e) = res {
                    p.malformed.push((line, e));
                }
            }
            Err(e) if e.is_io_error() => return Err(io::Error::other(e)),
            Err(e) => {
                let line = e.position().map_or(line, |pos| pos.line());
                p.malformed.push((line, format!("bad CSV record: {e}")));
            }
        }
        if let (Some(w), Some(buf)) = (events.as_mut(), &mut p.events)
            && buf.len() > 1 << 20
        {
            w.write_all(buf)?;
            buf.clear();
        }
    }
    if let (Some(w), Some(buf)) = (events.as_mut(), &p.events) {
        w.write_all(buf)?;
    }
    let mut agg = p.agg;
    for (line, error) in p.malformed {
        agg.add_malformed(Malformed {
            file: name.to_string(),
            line,
            error,
        });
    }
    Ok(agg)
}

/// Fails the read once one physical line is longer than `max` bytes. The csv crate grows a
/// record's buffer without bound, so a one-line multi-gigabyte CSV was read whole into memory
/// before the record cap could count it (200 MB line: 270 MB RSS). Quoted fields spanning many
/// short lines are unaffected; they are still capped per record after reading.
struct LineCap<R> {
    inner: R,
    max: usize,
    /// Bytes since the last newline.
    run: usize,
    /// Newlines seen.
    lines: u64,
}

impl<R> LineCap<R> {
    fn new(inner: R, max: usize) -> Self {
        LineCap {
            inner,
            max,
            run: 0,
            lines: 0,
        }
    }
}

impl<R: Read> Read for LineCap<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut start = 0;
        for nl in memchr::memchr_iter(b'\n', &buf[..n]) {
            self.run += nl - start;
            if self.run > self.max {
                break;
            }
            self.run = 0;
            self.lines += 1;
            start = nl + 1;
        }
        if self.run <= self.max {
            self.run += n - start;
        }
        if self.run > self.max {
            return Err(io::Error::other(format!(
                "line {} is longer than --max-record-bytes ({} bytes); raise it if this is \
                 genuine",
                self.lines + 1,
                self.max
            )));
        }
        Ok(n)
    }
}

fn handle_csv(
    kind: CsvKind,
    row: &super::csvrow::Row<'_>,
    p: &mut Partial,
    f: &Filter,
) -> Result<(), String> {
    match kind {
        CsvKind::EntraLogAnalytics | CsvKind::EntraPortal => p.push(&entra::parse_csv(row)?, f),
        CsvKind::Adfs => match adfs::build(adfs::raw_from_csv(row)?) {
            Some(e) => p.push(&e, f),
            None => p.agg.skipped += 1,
        },
    }
    Ok(())
}

/// One framed chunk.
pub struct Batch {
    pub buf: Vec<u8>,
    pub recs: Vec<Rec>,
    /// Bytes of `buf` consumed (the rest was carried into the next chunk).
    pub consumed: usize,
    /// Start line of a record that exceeded the cap and was skipped.
    pub overlong: Option<u64>,
    /// A structural error that ended framing of this file.
    pub error: Option<FrameError>,
}

/// Chunk buffers alive at once: one being filled, one queued, one being parsed, one spare.
const MAX_BUFFERS: usize = 4;

/// Runs the reader/framer thread and hands each batch to `consume` on the calling thread.
fn stream(
    reader: Box<dyn Read + Send>,
    framer: Box<dyn Framer>,
    opts: &Options,
    mut consume: impl FnMut(&Batch),
) -> io::Result<()> {
    let (tx, rx) = sync_channel::<Batch>(1);
    let (ret_tx, ret_rx) = channel::<Vec<u8>>();
    let chunk = opts.chunk_bytes.max(64);
    let max = opts.max_record_bytes.max(chunk);
    std::thread::scope(|s| {
        let producer = s.spawn(move || produce(reader, framer, tx, ret_rx, chunk, max));
        for batch in rx {
            consume(&batch);
            let _ = ret_tx.send(batch.buf);
        }
        producer
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("reader thread panicked")))
    })
}

fn produce(
    mut reader: Box<dyn Read + Send>,
    mut framer: Box<dyn Framer>,
    tx: SyncSender<Batch>,
    recycled: Receiver<Vec<u8>>,
    chunk: usize,
    max: usize,
) -> io::Result<()> {
    let mut cap = chunk;
    let mut buf: Vec<u8> = Vec::with_capacity(cap);
    let mut allocated = 1;
    let mut first = true;
    loop {
        let want = cap.saturating_sub(buf.len());
        let n = (&mut reader).take(want as u64).read_to_end(&mut buf)?;
        let eof = n < want;
        if std::mem::take(&mut first) && buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
            // Windows tools write a UTF-8 byte-order mark; it is not part of the first record.
            buf.drain(..3);
        }
        let mut recs = Vec::new();
        let (mut consumed, mut error) = match framer.frame(&buf, eof, &mut recs) {
            Ok(c) => (c, None),
            Err(e) => (buf.len(), Some(e)),
        };
        let mut overlong = None;
        if error.is_none() && consumed == 0 && recs.is_empty() && !eof {
            if cap < max {
                // One record is bigger than a chunk: grow up to the record cap and read on.
                cap = (cap * 2).min(max);
                continue;
            }
            match framer.skip_overlong(&buf) {
                Ok((c, line)) => {
                    consumed = c;
                    overlong = Some(line);
                }
                Err(e) => {
                    consumed = buf.len();
                    error = Some(e);
                }
            }
        }
        if eof && error.is_none() && buf[consumed..].iter().any(|b| !b.is_ascii_whitespace()) {
            error = Some(FrameError {
                line: recs.last().map_or(0, |r| r.line + 1),
                message: "the file ends inside a record (truncated?)".into(),
            });
        }
        // Reuse the buffers the consumer hands back: fresh 8 MiB allocations cost page faults and
        // zeroing on every chunk, and a fixed pool also caps memory at MAX_BUFFERS chunks.
        let mut next = match recycled.try_recv() {
            Ok(b) => b,
            Err(_) if allocated < MAX_BUFFERS => {
                allocated += 1;
                Vec::new()
            }
            Err(_) => match recycled.recv() {
                Ok(b) => b,
                Err(_) => return Ok(()), // the consumer has gone
            },
        };
        next.clear();
        next.reserve(cap);
        next.extend_from_slice(&buf[consumed..]);
        let done = eof || error.is_some();
        let batch = Batch {
            buf,
            recs,
            consumed,
            overlong,
            error,
        };
        if tx.send(batch).is_err() {
            return Ok(());
        }
        if done {
            return Ok(());
        }
        buf = next;
        cap = cap.max(chunk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn line_cap_counts_lines_across_reads() {
        /// Hands out `step` bytes per read.
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let ok = b"abc\nabcd\n\nab";
        let long = b"abc\nabcdef\nab";
        for step in [1, 2, 3, 5, 100] {
            let mut out = Vec::new();
            LineCap::new(Trickle(ok, step), 4)
                .read_to_end(&mut out)
                .unwrap();
            assert_eq!(out, ok);
            let err = LineCap::new(Trickle(long, step), 4)
                .read_to_end(&mut Vec::new())
                .unwrap_err();
            assert!(err.to_string().starts_with("line 2 is longer"), "{err}");
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
