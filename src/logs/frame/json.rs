//! [`JsonStream`]: a small scanner for top-level arrays, concatenated objects and wrapper pages
//! (`{"value":[…]}`, `{"items":[…]}`, `{"users":[…]}`, `{"records":[…]}`), emitting each element without ever
//! holding the whole document.

use super::{FrameError, Framer, Rec, lines_in};
use memchr::memchr2;

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
/// `records` is Azure Monitor's envelope (diagnostic settings to Event Hubs or storage).
pub(crate) const WRAPPER_KEYS: [&[u8]; 4] = [b"value", b"items", b"users", b"records"];

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::frame::tests::frame_all;

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
}
