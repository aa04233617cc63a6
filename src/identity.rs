//! Identities (emails, NameIDs) as people and Kinde see them.
//!
//! Terminal rendering: format characters (bidi overrides, zero-width), controls and other
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
