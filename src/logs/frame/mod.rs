//! Record framing over a stream of byte chunks, so memory is bounded by the chunk size rather
//! than the file size. A framer finds complete records in a buffer and says how many bytes it has
//! fully consumed; the caller carries the unconsumed tail into the next buffer.
//!
//! * [`Ndjson`]: one record per line (memchr over newlines).
//! * [`JsonStream`]: a small scanner for top-level arrays, concatenated objects and wrapper
//!   pages (`{"value":[…]}`, `{"items":[…]}`, `{"users":[…]}`), emitting each element without ever
//!   holding the whole document.
//! * [`XmlEvents`]: each top-level `<Event>` element of a wevtutil export.

mod json;
mod xml;

pub use json::JsonStream;
pub(crate) use json::{Value, skip_value};
pub use xml::XmlEvents;

use memchr::{memchr, memchr_iter};

/// One complete record: a byte range in the current buffer and the 1-based line it starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rec {
    pub start: usize,
    pub end: usize,
    pub line: u64,
}

/// A structural error that stops framing of the file (after the records already found).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameError {
    pub line: u64,
    pub message: String,
}

/// Splits a buffer into records. `eof` says no more bytes will follow this buffer.
pub trait Framer: Send {
    /// Pushes complete records found in `buf` and returns the number of bytes consumed.
    fn frame(&mut self, buf: &[u8], eof: bool, out: &mut Vec<Rec>) -> Result<usize, FrameError>;
    /// Called when one record outgrows the record cap: discard what can be discarded and return
    /// the bytes consumed plus the line the over-long record started on, or an error when the
    /// layout cannot resynchronise.
    fn skip_overlong(&mut self, buf: &[u8]) -> Result<(usize, u64), FrameError>;
}

/// Newline-delimited records. Blank lines are ignored; a trailing `\r` is stripped.
#[derive(Debug, Default)]
pub struct Ndjson {
    /// Line number of the first byte of the next buffer, minus one.
    line: u64,
    /// True while discarding the rest of an over-long line.
    skipping: bool,
}

impl Framer for Ndjson {
    fn frame(&mut self, buf: &[u8], eof: bool, out: &mut Vec<Rec>) -> Result<usize, FrameError> {
        let mut start = 0;
        if self.skipping {
            match memchr(b'\n', buf) {
                Some(nl) => {
                    self.skipping = false;
                    self.line += 1;
                    start = nl + 1;
                }
                None => return Ok(buf.len()),
            }
        }
        let base = start;
        for nl in memchr_iter(b'\n', &buf[base..]) {
            let end = base + nl;
            self.line += 1;
            push_trimmed(buf, start, end, self.line, out);
            start = end + 1;
        }
        if eof && start < buf.len() {
            self.line += 1;
            push_trimmed(buf, start, buf.len(), self.line, out);
            start = buf.len();
        }
        Ok(start)
    }

    fn skip_overlong(&mut self, buf: &[u8]) -> Result<(usize, u64), FrameError> {
        let line = self.line + 1;
        self.skipping = true;
        // Everything in the buffer belongs to the over-long line (no newline was found).
        Ok((buf.len(), line))
    }
}

fn push_trimmed(buf: &[u8], start: usize, end: usize, line: u64, out: &mut Vec<Rec>) {
    let slice = &buf[start..end];
    let Some(first) = slice.iter().position(|b| !b.is_ascii_whitespace()) else {
        return;
    };
    let last = slice
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .unwrap_or(first);
    out.push(Rec {
        start: start + first,
        end: start + last + 1,
        line,
    });
}

/// Counts newlines in a range, to keep line numbers right.
fn lines_in(buf: &[u8]) -> u64 {
    memchr_iter(b'\n', buf).count() as u64
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Feeds `input` through `framer` in pieces of `step` bytes, carrying tails like the reader.
    pub(crate) fn frame_all(
        framer: &mut dyn Framer,
        input: &[u8],
        step: usize,
    ) -> Result<Vec<(String, u64)>, FrameError> {
        let mut buf = Vec::new();
        let mut out = Vec::new();
        let mut pos = 0;
        loop {
            let take = step.min(input.len() - pos);
            buf.extend_from_slice(&input[pos..pos + take]);
            pos += take;
            let eof = pos == input.len();
            let mut recs = Vec::new();
            let used = framer.frame(&buf, eof, &mut recs)?;
            for r in recs {
                out.push((
                    String::from_utf8_lossy(&buf[r.start..r.end]).into_owned(),
                    r.line,
                ));
            }
            buf.drain(..used);
            if eof {
                return Ok(out);
            }
        }
    }

    #[test]
    fn ndjson_lines_and_numbers() {
        let input = b"{\"a\":1}\r\n\n  {\"b\":2}\n{\"c\":3}";
        for step in [1, 3, 7, 100] {
            let got = frame_all(&mut Ndjson::default(), input, step).unwrap();
            assert_eq!(
                got,
                vec![
                    ("{\"a\":1}".into(), 1),
                    ("{\"b\":2}".into(), 3),
                    ("{\"c\":3}".into(), 4)
                ],
                "step {step}"
            );
        }
    }
}
