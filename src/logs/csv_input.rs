//! CSV inputs (Entra Log Analytics and admin-center exports, AD FS `Get-WinEvent | Export-Csv`),
//! read with the `csv` crate behind a per-line cap so a one-line huge file cannot fill memory.

use super::agg::{Aggregate, Filter, Malformed};
use super::detect::CsvKind;
use super::source::{Options, Partial, overlong};
use super::{adfs, entra};
use std::io::{self, BufReader, Read, Write};

pub(crate) fn analyze_csv(
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
                    Err(overlong(opts.max_record_bytes))
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

/// Fails the read once one physical line is longer than `max` bytes (plus one for a `\r`). The csv crate grows a
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
            if self.run > self.max.saturating_add(1) {
                break;
            }
            self.run = 0;
            self.lines += 1;
            start = nl + 1;
        }
        if self.run <= self.max.saturating_add(1) {
            self.run += n - start;
        }
        if self.run > self.max.saturating_add(1) {
            return Err(io::Error::other(format!(
                "line {} is longer than --max-record-bytes ({} bytes); raise the flag if this \
                 record is genuine",
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
