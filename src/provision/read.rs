//! Reading the simulator's input files: text in UTF-8 or, with a byte-order mark, UTF-16 (Excel's
//! "Unicode text" and PowerShell 5's default), CSV columns and line numbers, and NDJSON framed by
//! the capped record framing of [`crate::logs::frame`], so one endless line cannot take the memory.

use super::InputError;
use crate::logs::frame::{Framer, Ndjson};
use std::io::Read;
use std::path::Path;

pub(crate) fn io_error(shown: &str, e: &std::io::Error) -> InputError {
    InputError::new(shown, None, format!("cannot read: {e}"))
}

/// Opens a text file as UTF-8 bytes: a UTF-16 LE/BE file with its byte-order mark is transcoded
/// as it streams (encoding_rs), a UTF-8 byte-order mark is dropped, and anything else passes
/// through unchanged (invalid UTF-8 is reported by the parser that reads it, with its line).
pub(crate) fn open_text(path: &Path, shown: &str) -> Result<impl Read + use<>, InputError> {
    let f = std::fs::File::open(path).map_err(|e| io_error(shown, &e))?;
    Ok(encoding_rs_io::DecodeReaderBytesBuilder::new()
        .bom_sniffing(true)
        .strip_bom(true)
        .utf8_passthru(true)
        .build(f))
}

/// Reads a whole text file as UTF-8 (see [`open_text`]).
pub(crate) fn read_text(path: &Path, shown: &str) -> Result<String, InputError> {
    let mut bytes = Vec::new();
    open_text(path, shown)?
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(shown, &e))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        InputError::new(
            shown,
            None,
            format!("not UTF-8 text (invalid byte at offset {at}); save it as UTF-8 or UTF-16 with a byte-order mark"),
        )
    })
}

/// A CSV reader over [`open_text`]; rows may have fewer or more cells than the header.
pub(crate) fn csv_reader(
    path: &Path,
    shown: &str,
) -> Result<csv::Reader<impl Read + use<>>, InputError> {
    Ok(csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(open_text(path, shown)?))
}

/// Finds a header case-insensitively (BOM and surrounding space ignored).
pub(crate) fn find_column(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    names.iter().find_map(|want| {
        headers.iter().position(|h| {
            h.trim_start_matches('\u{feff}')
                .trim()
                .eq_ignore_ascii_case(want)
        })
    })
}

pub(crate) fn csv_error(shown: &str, e: &csv::Error) -> InputError {
    let line = e.position().map(|p| p.line());
    InputError::new(shown, line, format!("not a readable CSV row: {e}"))
}

/// Line numbers for CSV records. The csv crate's own line count is one short for CRLF files
/// (Entra's download uses CRLF), so lines are counted from the record's byte offset on a second
/// handle that reads forward in step with the parser: `1 + newlines in bytes[..=offset]`.
pub(crate) struct LineCounter {
    reader: std::io::BufReader<Box<dyn Read>>,
    offset: u64,
    newlines: u64,
}

impl LineCounter {
    pub(crate) fn open(path: &Path, shown: &str) -> Result<LineCounter, InputError> {
        let text: Box<dyn Read> = Box::new(open_text(path, shown)?);
        Ok(LineCounter {
            reader: std::io::BufReader::with_capacity(1 << 16, text),
            offset: 0,
            newlines: 0,
        })
    }

    /// The 1-based line of the record starting at byte `offset` (offsets must not decrease).
    pub(crate) fn line_at(&mut self, offset: u64) -> u64 {
        use std::io::BufRead;
        let target = offset + 1;
        while self.offset < target {
            let Ok(buf) = self.reader.fill_buf() else {
                break;
            };
            if buf.is_empty() {
                break;
            }
            let take = buf.len().min((target - self.offset) as usize);
            self.newlines += memchr::memchr_iter(b'\n', &buf[..take]).count() as u64;
            self.reader.consume(take);
            self.offset += take as u64;
        }
        1 + self.newlines
    }

    /// Line of a record, from its position.
    pub(crate) fn line_of(&mut self, pos: Option<&csv::Position>) -> u64 {
        pos.map_or(0, |p| self.line_at(p.byte()))
    }
}
/// Bytes read per NDJSON chunk; the lines of one chunk are handed on together.
const CHUNK_BYTES: usize = 8 * 1024 * 1024;
/// The longest line accepted (a Kinde user or an event is a few kilobytes).
pub(crate) const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Calls `handle` with the non-blank lines of each chunk of the file (trimmed, numbered from 1).
/// A line longer than [`MAX_LINE_BYTES`] stops the read with its line number.
pub(crate) fn for_each_ndjson_chunk(
    path: &Path,
    shown: &str,
    handle: impl FnMut(&[(u64, &[u8])]) -> Result<(), InputError>,
) -> Result<(), InputError> {
    frame_lines(
        open_text(path, shown)?,
        shown,
        CHUNK_BYTES,
        MAX_LINE_BYTES,
        handle,
    )
}

/// The chunk loop over [`Ndjson`]: reads up to `chunk` bytes, hands on the whole lines and
/// carries the tail; a buffer with no line end grows up to `max + 1` bytes (a line of exactly
/// `max` bytes and its newline fit), past which the line is refused.
fn frame_lines(
    mut reader: impl Read,
    shown: &str,
    chunk: usize,
    max: usize,
    mut handle: impl FnMut(&[(u64, &[u8])]) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let mut framer = Ndjson::default();
    let mut cap = chunk.min(max + 1);
    let mut buf: Vec<u8> = Vec::with_capacity(cap);
    let mut first = true;
    let mut recs = Vec::new();
    loop {
        let want = cap.saturating_sub(buf.len());
        let got = (&mut reader)
            .take(want as u64)
            .read_to_end(&mut buf)
            .map_err(|e| io_error(shown, &e))?;
        let eof = got < want;
        if first {
            // A UTF-8 byte-order mark is not part of the first record; wait for its 3 bytes.
            if buf.len() < 3 && !eof && b"\xEF\xBB\xBF".starts_with(&buf) {
                cap = buf.len() + 3;
                continue;
            }
            first = false;
            if buf.starts_with(b"\xEF\xBB\xBF") {
                buf.drain(..3);
            }
        }
        recs.clear();
        let used = framer
            .frame(&buf, eof, &mut recs)
            .map_err(|e| InputError::new(shown, Some(e.line), e.message))?;
        if used == 0 && !eof {
            if buf.len() > max {
                let (_, line) = framer
                    .skip_overlong(&buf)
                    .map_err(|e| InputError::new(shown, Some(e.line), e.message))?;
                return Err(InputError::new(
                    shown,
                    Some(line),
                    format!(
                        "the line is longer than {max} bytes; is this really one record per line?"
                    ),
                ));
            }
            cap = (cap.saturating_mul(2)).min(max + 1).max(buf.len() + 1);
            continue;
        }
        let lines: Vec<(u64, &[u8])> = recs
            .iter()
            .map(|r| (r.line, &buf[r.start..r.end]))
            .collect();
        if !lines.is_empty() {
            handle(&lines)?;
        }
        buf.drain(..used);
        if eof {
            return Ok(());
        }
        cap = (buf.len() + chunk).min(max + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(input: &[u8], chunk: usize, max: usize) -> Result<Vec<(u64, String)>, InputError> {
        let mut out = Vec::new();
        frame_lines(input, "t.ndjson", chunk, max, |ls| {
            for (n, l) in ls {
                out.push((*n, String::from_utf8_lossy(l).into_owned()));
            }
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn lines_keep_their_numbers_across_chunks() {
        let input = b"\xEF\xBB\xBF{\"a\":1}\r\n\n  {\"b\":2}\n{\"c\":3}";
        for chunk in [1, 2, 5, 64] {
            let got = lines_of(input, chunk, 64).unwrap();
            let want = vec![
                (1, "{\"a\":1}".to_string()),
                (3, "{\"b\":2}".to_string()),
                (4, "{\"c\":3}".to_string()),
            ];
            assert_eq!(got, want, "chunk {chunk}");
        }
    }

    #[test]
    fn a_line_of_exactly_the_cap_is_read_and_one_more_byte_is_refused() {
        let exact = format!("{}\n{}\n", "x".repeat(10), "y".repeat(3));
        for chunk in [1, 4, 11, 64] {
            let got = lines_of(exact.as_bytes(), chunk, 10).unwrap();
            assert_eq!(got.len(), 2, "chunk {chunk}");
        }
        let over = format!("ok\n{}\nafter\n", "x".repeat(11));
        for chunk in [1, 4, 64] {
            let e = lines_of(over.as_bytes(), chunk, 10).unwrap_err();
            assert_eq!(e.line, Some(2), "chunk {chunk}: {e}");
            assert!(e.message.contains("longer than 10 bytes"), "{e}");
        }
    }
}
