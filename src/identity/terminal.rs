//! Rendering identities for a terminal: format characters (bidi overrides, zero-width), controls and other
//! invisible code points never reach a text report raw; [`terminal_safe`] spells them
//! `<U+202E>`, after Boucher & Anderson, *Trojan Source* (2021, CVE-2021-42574).

use std::borrow::Cow;
use unicode_general_category::{GeneralCategory, get_general_category};

/// Whether a character must not be printed raw to a terminal: controls (Cc, newline and tab
/// included), format characters (Cf: bidi controls, zero-width characters, BOM), line and
/// paragraph separators, private-use and unassigned code points, non-ASCII spaces, the marks and
/// letters that render as nothing (variation selectors, U+034F, Hangul fillers).
pub fn is_unsafe_for_terminal(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    use GeneralCategory as G;
    match get_general_category(c) {
        G::Control
        | G::Format
        | G::LineSeparator
        | G::ParagraphSeparator
        | G::PrivateUse
        | G::Unassigned
        | G::Surrogate
        | G::SpaceSeparator => true,
        G::NonspacingMark => matches!(
            c,
            '\u{034F}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{E0100}'..='\u{E01EF}'
        ),
        _ => matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}'),
    }
}

/// `s` with every character [`is_unsafe_for_terminal`] spelt `<U+XXXX>`; borrowed when clean.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_for_terminal) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe_for_terminal(c) {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A writer that passes text through [`terminal_safe`], keeping newlines: wrap a text report's
/// output in it and no control or bidi character from an input reaches the terminal raw.
pub struct TerminalSafeWriter<W: std::io::Write> {
    inner: W,
    /// The first bytes of a character split across two writes.
    pending: Vec<u8>,
}

impl<W: std::io::Write> TerminalSafeWriter<W> {
    pub fn new(inner: W) -> Self {
        TerminalSafeWriter {
            inner,
            pending: Vec::new(),
        }
    }

    fn write_text(&mut self, text: &str) -> std::io::Result<()> {
        // The common case, printable ASCII and newlines, goes straight through.
        if text
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b) || b == b'\n')
        {
            return self.inner.write_all(text.as_bytes());
        }
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.inner.write_all(b"\n")?;
            }
            self.inner.write_all(terminal_safe(line).as_bytes())?;
        }
        Ok(())
    }
}

impl<W: std::io::Write> std::io::Write for TerminalSafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let bytes = std::mem::take(&mut self.pending);
        let (valid, rest) = match std::str::from_utf8(&bytes) {
            Ok(s) => (s, &[][..]),
            Err(e) if e.error_len().is_none() => {
                let (v, r) = bytes.split_at(e.valid_up_to());
                (std::str::from_utf8(v).unwrap_or_default(), r)
            }
            // Not UTF-8 at all: shown as replacement characters, never raw.
            Err(_) => {
                let lossy = String::from_utf8_lossy(&bytes).into_owned();
                self.write_text(&lossy)?;
                return Ok(buf.len());
            }
        };
        self.write_text(valid)?;
        self.pending = rest.to_vec();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if !self.pending.is_empty() {
            let rest = String::from_utf8_lossy(&std::mem::take(&mut self.pending)).into_owned();
            self.write_text(&rest)?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn controls_and_invisibles_are_spelt_out() {
        let cases = [
            ("carol@contoso.test", "carol@contoso.test"),
            ("\u{202E}tset.osotnoc@lorac", "<U+202E>tset.osotnoc@lorac"),
            ("ann\u{200B}@contoso.test", "ann<U+200B>@contoso.test"),
            ("a\u{2066}b\u{2069}", "a<U+2066>b<U+2069>"),
            ("tab\there\n", "tab<U+0009>here<U+000A>"),
            ("nb\u{00A0}sp", "nb<U+00A0>sp"),
            ("vs\u{FE0F}", "vs<U+FE0F>"),
            ("hangul\u{3164}", "hangul<U+3164>"),
            ("\u{E0041}tag", "<U+E0041>tag"),
        ];
        for (raw, want) in cases {
            assert_eq!(terminal_safe(raw), want, "{raw:?}");
        }
        // Ordinary non-ASCII text stays as it is, accents (combining or not) included.
        for ok in [
            "éva@example.com",
            "e\u{301}va",
            "анна@example.com",
            "山田@example.jp",
            "\u{212A}im",
        ] {
            assert_eq!(terminal_safe(ok), ok);
        }
    }

    #[test]
    fn the_writer_escapes_across_split_writes_and_keeps_newlines() {
        let text = "a\u{202E}b\nc\u{200B}d\n".as_bytes();
        for step in 1..=text.len() {
            let mut w = TerminalSafeWriter::new(Vec::new());
            for chunk in text.chunks(step) {
                w.write_all(chunk).unwrap();
            }
            w.flush().unwrap();
            assert_eq!(
                String::from_utf8(w.inner).unwrap(),
                "a<U+202E>b\nc<U+200B>d\n",
                "step {step}"
            );
        }
    }
}
