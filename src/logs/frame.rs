//! Record framing over a stream of byte chunks, so memory is bounded by the chunk size rather
//! than the file size. A framer finds complete records in a buffer and says how many bytes it has
//! fully consumed; the caller carries the unconsumed tail into the next buffer.
//!
//! * [`Ndjson`]: one record per line (memchr over newlines).
//! * [`JsonStream`]: a small scanner for top-level arrays, concatenated objects and wrapper
//!   pages (`{"value":[…]}`, `{"items":[…]}`, `{"users":[…]}`), emitting each element without ever
//!   holding the whole document.
//! * [`XmlEvents`]: each top-level `<Event>` element of a wevtutil export.

use memchr::{memchr, memchr_iter, memchr2};

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

/// Where the JSON scanner is between records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outer {
    /// Between top-level values.
    Top,
    /// Inside a top-level array: elements are records.
    Array,
    /// Inside a wrapper object, before a member name (or `}`).
    Wrapper,
    /// Inside the wrapper's record array.
    WrapperArray,
}

/// Keys whose array value holds the records of a wrapper page.
const WRAPPER_KEYS: [&[u8]; 3] = [b"value", b"items", b"users"];

/// Streaming scanner for JSON documents holding many records.
#[derive(Debug)]
pub struct JsonStream {
    outer: Outer,
    line: u64,
}

impl Default for JsonStream {
    fn default() -> Self {
        JsonStream {
            outer: Outer::Top,
            line: 1,
        }
    }
}

/// Result of trying to read one JSON value from a position.
pub(crate) enum Value {
    /// The value ends at this index (exclusive).
    Done(usize),
    /// The buffer ends inside the value.
    Incomplete,
    /// Not valid JSON structure at this point.
    Bad(&'static str),
}

/// Skips a JSON string starting at `i` (which must be `"`); returns the index after the quote.
/// Most strings in sign-in logs are short, so a plain loop runs first and memchr takes over for
/// long ones (user agents, messages) where its setup cost pays off.
fn skip_string(buf: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    let short_end = (i + 32).min(buf.len());
    while i < short_end {
        match buf[i] {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    loop {
        if i >= buf.len() {
            return None;
        }
        let j = memchr2(b'"', b'\\', &buf[i..])?;
        if buf[i + j] == b'"' {
            return Some(i + j + 1);
        }
        i += j + 2;
    }
}

/// Skips one complete JSON value (object, array, string or scalar) starting at `i`.
pub(crate) fn skip_value(buf: &[u8], i: usize, eof: bool) -> Value {
    match buf.get(i) {
        None => Value::Incomplete,
        Some(b'"') => skip_string(buf, i).map_or(Value::Incomplete, Value::Done),
        Some(b'{') | Some(b'[') => skip_container(buf, i),
        Some(_) => {
            let end = buf[i..]
                .iter()
                .position(|&b| matches!(b, b',' | b']' | b'}') || b.is_ascii_whitespace())
                .map(|p| i + p);
            match end {
                Some(e) if e > i => Value::Done(e),
                Some(_) => Value::Bad("expected a JSON value"),
                None if eof => Value::Done(buf.len()),
                None => Value::Incomplete,
            }
        }
    }
}

fn skip_container(buf: &[u8], start: usize) -> Value {
    let mut depth = 0usize;
    let mut i = start;
    while i < buf.len() {
        match buf[i] {
            b'"' => match skip_string(buf, i) {
                Some(j) => {
                    i = j;
                    continue;
                }
                None => return Value::Incomplete,
            },
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Value::Done(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    Value::Incomplete
}

fn skip_ws(buf: &[u8], mut i: usize) -> usize {
    while i < buf.len() && (buf[i].is_ascii_whitespace() || buf[i] == b',') {
        i += 1;
    }
    i
}

/// Counts newlines in a range, to keep line numbers right.
fn lines_in(buf: &[u8]) -> u64 {
    memchr_iter(b'\n', buf).count() as u64
}

impl JsonStream {
    /// Looks into a top-level object for a wrapper key whose value is an array. Returns the
    /// index of that array's `[` when found, Ok(None) when the object has no such member.
    fn find_wrapper_array(buf: &[u8], obj: usize, eof: bool) -> Result<Option<usize>, Value> {
        let mut i = obj + 1;
        loop {
            i = skip_ws(buf, i);
            match buf.get(i) {
                None => return Err(Value::Incomplete),
                Some(b'}') => return Ok(None),
                Some(b'"') => {}
                Some(_) => return Err(Value::Bad("expected a member name")),
            }
            let key_end = skip_string(buf, i).ok_or(Value::Incomplete)?;
            let key = &buf[i + 1..key_end - 1];
            let mut j = key_end;
            while j < buf.len() && buf[j].is_ascii_whitespace() {
                j += 1;
            }
            match buf.get(j) {
                None => return Err(Value::Incomplete),
                Some(b':') => {}
                Some(_) => return Err(Value::Bad("expected ':'")),
            }
            j += 1;
            while j < buf.len() && buf[j].is_ascii_whitespace() {
                j += 1;
            }
            if buf.get(j) == Some(&b'[') && WRAPPER_KEYS.contains(&key) {
                return Ok(Some(j));
            }
            match skip_value(buf, j, eof) {
                Value::Done(e) => i = e,
                other => return Err(other),
            }
        }
    }
}

impl Framer for JsonStream {
    fn frame(&mut self, buf: &[u8], eof: bool, out: &mut Vec<Rec>) -> Result<usize, FrameError> {
        let mut committed = 0usize;
        let mut i = 0usize;
        loop {
            i = skip_ws(buf, i);
            self.line += lines_in(&buf[committed..i]);
            committed = i;
            let Some(&b) = buf.get(i) else {
                if eof && self.outer != Outer::Top {
                    return Err(FrameError {
                        line: self.line,
                        message: "the document ends inside an array or page (truncated?)".into(),
                    });
                }
                return Ok(committed);
            };
            let bad = |line, what: &str| FrameError {
                line,
                message: format!("not valid JSON here: {what}"),
            };
            match (self.outer, b) {
                (Outer::Top, b'[') => {
                    self.outer = Outer::Array;
                    i += 1;
                }
                (Outer::Array, b']') => {
                    self.outer = Outer::Top;
                    i += 1;
                }
                (Outer::WrapperArray, b']') => {
                    self.outer = Outer::Wrapper;
                    i += 1;
                }
                (Outer::Wrapper, b'}') => {
                    self.outer = Outer::Top;
                    i += 1;
                }
                (Outer::Wrapper, b'"') => {
                    // A non-record member of the wrapper (`@odata.nextLink`, `kind`, …).
                    let key_end = match skip_string(buf, i) {
                        Some(e) => e,
                        None if eof => return Err(bad(self.line, "unterminated string")),
                        None => return Ok(committed),
                    };
                    let mut j = key_end;
                    while j < buf.len() && (buf[j].is_ascii_whitespace() || buf[j] == b':') {
                        j += 1;
                    }
                    let key = &buf[i + 1..key_end - 1];
                    if buf.get(j) == Some(&b'[') && WRAPPER_KEYS.contains(&key) {
                        self.outer = Outer::WrapperArray;
                        i = j + 1;
                        continue;
                    }
                    match skip_value(buf, j, eof) {
                        Value::Done(e) => i = e,
                        Value::Incomplete if !eof => return Ok(committed),
                        Value::Incomplete => return Err(bad(self.line, "document ends early")),
                        Value::Bad(w) => return Err(bad(self.line, w)),
                    }
                }
                (Outer::Top, b'{') => match Self::find_wrapper_array(buf, i, eof) {
                    Ok(Some(arr)) => {
                        self.outer = Outer::WrapperArray;
                        i = arr + 1;
                    }
                    Ok(None) => match skip_container(buf, i) {
                        Value::Done(e) => {
                            out.push(Rec {
                                start: i,
                                end: e,
                                line: self.line,
                            });
                            i = e;
                        }
                        _ if eof => return Err(bad(self.line, "document ends early")),
                        _ => return Ok(committed),
                    },
                    Err(Value::Incomplete) if !eof => return Ok(committed),
                    Err(Value::Bad(w)) => return Err(bad(self.line, w)),
                    Err(_) => return Err(bad(self.line, "document ends early")),
                },
                (Outer::Array | Outer::WrapperArray, _) => match skip_value(buf, i, eof) {
                    Value::Done(e) => {
                        out.push(Rec {
                            start: i,
                            end: e,
                            line: self.line,
                        });
                        i = e;
                    }
                    Value::Incomplete if !eof => return Ok(committed),
                    Value::Incomplete => return Err(bad(self.line, "document ends early")),
                    Value::Bad(w) => return Err(bad(self.line, w)),
                },
                _ => return Err(bad(self.line, "unexpected character")),
            }
        }
    }

    fn skip_overlong(&mut self, _buf: &[u8]) -> Result<(usize, u64), FrameError> {
        Err(FrameError {
            line: self.line,
            message: "a JSON record is larger than the record limit (--max-record-bytes); \
                      the rest of this file cannot be resynchronised"
                .into(),
        })
    }
}

/// Top-level `<Event>` elements of a wevtutil XML export (inner `<Event>` elements under
/// `UserData` are nested and counted, not split).
#[derive(Debug)]
pub struct XmlEvents {
    line: u64,
}

impl Default for XmlEvents {
    fn default() -> Self {
        XmlEvents { line: 1 }
    }
}

fn is_event_open(buf: &[u8], i: usize) -> bool {
    buf[i..].starts_with(b"<Event")
        && matches!(
            buf.get(i + 6),
            Some(b' ' | b'>' | b'\t' | b'\r' | b'\n' | b'/')
        )
}

impl Framer for XmlEvents {
    fn frame(&mut self, buf: &[u8], eof: bool, out: &mut Vec<Rec>) -> Result<usize, FrameError> {
        let mut committed = 0;
        let mut search = 0;
        loop {
            let Some(start) = find_from(buf, search, b"<Event") else {
                // Keep a possible partial `<Event` at the end for the next buffer.
                let keep = if eof { 0 } else { 6 };
                let consumed = committed.max(buf.len().saturating_sub(keep));
                self.line += lines_in(&buf[committed..consumed]);
                return Ok(consumed);
            };
            if !is_event_open(buf, start) {
                search = start + 1;
                continue;
            }
            let mut depth = 0usize;
            let mut i = start;
            let end = loop {
                let Some(lt) = memchr(b'<', &buf[i..]).map(|p| p + i) else {
                    break None;
                };
                if is_event_open(buf, lt) {
                    let gt = memchr(b'>', &buf[lt..]).map(|p| p + lt);
                    match gt {
                        Some(g) if buf[g - 1] == b'/' => {
                            if depth == 0 {
                                break Some(g + 1);
                            }
                        }
                        Some(_) => depth += 1,
                        None => break None,
                    }
                } else if buf[lt..].starts_with(b"</Event>") {
                    depth -= 1;
                    if depth == 0 {
                        break Some(lt + 8);
                    }
                }
                i = lt + 1;
            };
            let Some(end) = end else {
                // Incomplete element: resume at its start next time.
                self.line += lines_in(&buf[committed..start]);
                return Ok(start);
            };
            self.line += lines_in(&buf[committed..start]);
            out.push(Rec {
                start,
                end,
                line: self.line,
            });
            self.line += lines_in(&buf[start..end]);
            committed = end;
            search = end;
        }
    }

    fn skip_overlong(&mut self, _buf: &[u8]) -> Result<(usize, u64), FrameError> {
        Err(FrameError {
            line: self.line,
            message: "an <Event> element is larger than the record limit (--max-record-bytes)"
                .into(),
        })
    }
}

fn find_from(buf: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(&buf[from..], needle).map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `input` through `framer` in pieces of `step` bytes, carrying tails like the reader.
    pub fn frame_all(
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

    #[test]
    fn json_array_pages_and_concatenated_objects() {
        let input = br#"[ {"a":"x]}"}, {"b":[1,2]} ]
{"@odata.context":"c","value":[{"c":1},
{"d":"\"}"}],"@odata.nextLink":"n"}
{"kind":"k","items":[{"e":{}}],"nextPageToken":"t"}
{
  "type": "user.authenticated"
}
{"users":[{"id":"kp_1"}],"next_token":null}"#;
        for step in [1, 5, 16, 4096] {
            let got = frame_all(&mut JsonStream::default(), input, step).unwrap();
            let recs: Vec<_> = got.iter().map(|(s, _)| s.as_str()).collect();
            assert_eq!(
                recs,
                vec![
                    r#"{"a":"x]}"}"#,
                    r#"{"b":[1,2]}"#,
                    r#"{"c":1}"#,
                    r#"{"d":"\"}"}"#,
                    r#"{"e":{}}"#,
                    "{\n  \"type\": \"user.authenticated\"\n}",
                    r#"{"id":"kp_1"}"#,
                ],
                "step {step}"
            );
            let lines: Vec<_> = got.iter().map(|(_, l)| *l).collect();
            assert_eq!(lines, vec![1, 1, 2, 3, 4, 5, 8], "step {step}");
        }
    }

    #[test]
    fn json_errors_are_reported() {
        assert!(frame_all(&mut JsonStream::default(), b"[{\"a\":1}", 4).is_err());
        assert!(frame_all(&mut JsonStream::default(), b"{\"a\":1} x", 100).is_err());
        assert!(
            frame_all(&mut JsonStream::default(), b"", 4)
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn xml_events_nest() {
        let input = b"<Events>\n<Event xmlns='e'><System/><UserData><Event xmlns='a'><EventData><Data>x</Data></EventData></Event></UserData></Event>\n<Event xmlns='e'><EventData/></Event>\n</Events>";
        for step in [3, 10, 1000] {
            let got = frame_all(&mut XmlEvents::default(), input, step).unwrap();
            assert_eq!(got.len(), 2, "step {step}");
            assert!(got[0].0.ends_with("</UserData></Event>"));
            assert_eq!(got[0].1, 2);
            assert_eq!(got[1].1, 3);
        }
    }
}
