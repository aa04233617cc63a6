//! [`XmlEvents`]: each top-level `<Event>` element of a wevtutil export.

use super::{FrameError, Framer, Rec, lines_in};
use memchr::memchr;

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
    use crate::logs::frame::tests::frame_all;

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
