//! A fast path for flat lookups in one JSON object: walk its top-level members without building
//! or validating the values we do not need. Used for the hottest record shape (Graph `signIn`
//! lines) where serde spent most of its time validating fields nobody reads. Anything unusual
//! (escaped keys, structural surprises) returns None and the caller falls back to serde, so the
//! fast path never decides that a record is malformed.

use super::frame::{Value, skip_value};
use std::borrow::Cow;

fn ws(buf: &[u8], mut i: usize) -> usize {
    while i < buf.len() && buf[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// Calls `f(key, raw_value)` for each top-level member of the object in `obj` until `f` returns
/// false. Returns None when the text is not a simple object (the caller then uses serde).
///
/// Stopping early skips the rest of the object unvalidated (only its final `}` is checked, which
/// catches truncated lines); the members already read were parsed in full.
pub fn members<'a>(obj: &'a [u8], mut f: impl FnMut(&'a [u8], &'a [u8]) -> bool) -> Option<()> {
    let mut i = ws(obj, 0);
    if obj.get(i) != Some(&b'{') {
        return None;
    }
    i = ws(obj, i + 1);
    if obj.get(i) == Some(&b'}') {
        return (ws(obj, i + 1) == obj.len()).then_some(());
    }
    loop {
        if obj.get(i) != Some(&b'"') {
            return None;
        }
        // Keys are short: a plain loop beats memchr's setup cost.
        let key_start = i + 1;
        let mut key_end = key_start;
        while key_end < obj.len() && obj[key_end] != b'"' {
            if obj[key_end] == b'\\' {
                return None;
            }
            key_end += 1;
        }
        let key = obj.get(key_start..key_end)?;
        i = ws(obj, key_end + 1);
        if obj.get(i) != Some(&b':') {
            return None;
        }
        i = ws(obj, i + 1);
        let end = match skip_value(obj, i, true) {
            Value::Done(e) => e,
            _ => return None,
        };
        if !f(key, &obj[i..end]) {
            let last = obj.iter().rposition(|b| !b.is_ascii_whitespace())?;
            return (obj[last] == b'}').then_some(());
        }
        i = ws(obj, end);
        match obj.get(i) {
            Some(b',') => i = ws(obj, i + 1),
            Some(b'}') => return (ws(obj, i + 1) == obj.len()).then_some(()),
            _ => return None,
        }
    }
}

/// A JSON string or null value: Some(None) for null, None when it is neither (or invalid).
pub fn string(raw: &[u8]) -> Option<Option<Cow<'_, str>>> {
    if raw == b"null" {
        return Some(None);
    }
    let inner = raw.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    if inner.contains(&b'\\') {
        return serde_json::from_slice::<String>(raw)
            .ok()
            .map(|s| Some(Cow::Owned(s)));
    }
    std::str::from_utf8(inner)
        .ok()
        .map(|s| Some(Cow::Borrowed(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_members_and_bails_on_surprises() {
        let mut seen = Vec::new();
        members(
            br#" {"a": "x", "b" : {"c":[1,"}"]}, "d":null ,"e":12} "#,
            |k, v| {
                seen.push((
                    String::from_utf8_lossy(k).into_owned(),
                    String::from_utf8_lossy(v).into_owned(),
                ));
                true
            },
        )
        .unwrap();
        assert_eq!(
            seen,
            [
                ("a", "\"x\""),
                ("b", r#"{"c":[1,"}"]}"#),
                ("d", "null"),
                ("e", "12")
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        for bad in [
            &b"[1]"[..],
            b"{\"a\":1",
            b"{\"a\" 1}",
            b"{\"\\u0061\":1}",
            b"{\"a\":1} x",
            b"{\"a\":1,}",
        ] {
            assert!(
                members(bad, |_, _| true).is_none(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(members(b"{}", |_, _| true).is_some());
        // Stopping early still requires the closing brace.
        assert!(members(br#"{"a":1,"b":[,,"#, |_, _| false).is_none());
        assert!(members(br#"{"a":1,"b":[,,]}"#, |_, _| false).is_some());
    }

    #[test]
    fn strings() {
        assert_eq!(string(b"null"), Some(None));
        assert_eq!(string(b"\"a b\""), Some(Some(Cow::Borrowed("a b"))));
        assert_eq!(
            string(br#""a\"b""#),
            Some(Some(Cow::Owned("a\"b".to_string())))
        );
        assert_eq!(string(b"12"), None);
        assert_eq!(string(b"\"\xff\""), None);
    }
}
