//! Escapes that wrap a pasted value: HTML character references left by copying from page source,
//! percent-encoding (once, twice, with or without the form meaning of `+`), and surrounding quotes.
//!
//! Percent-decoding goes through the `percent-encoding` crate; only the choice of whether `+` means
//! a space is ours (see `super::base64` for why a `+` is usually a base64 character).

/// Removes one pair of matching quotes around a value copied from JSON, a log or a shell.
pub(crate) fn strip_quotes(t: &str) -> &str {
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return t[1..t.len() - 1].trim();
        }
    }
    t
}

/// Decodes the HTML character references that survive copying a value out of page source.
pub(crate) fn html_unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let num = name.strip_prefix('#')?;
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(h) => u32::from_str_radix(h, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    char::from_u32(code)
                }
            };
            ch.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Whether the text holds at least one `%XX` escape.
pub(crate) fn has_percent_escape(s: &str) -> bool {
    let b = s.as_bytes();
    memchr::memchr_iter(b'%', b).any(|i| {
        b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    })
}

/// Percent-decodes; `plus_is_space` applies the form-encoding meaning of `+`. A `%` that does not
/// start an escape stays as it is; bytes that are not UTF-8 become U+FFFD.
pub(crate) fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let spaced;
    let s = if plus_is_space && s.contains('+') {
        spaced = s.replace('+', " ");
        spaced.as_str()
    } else {
        s
    };
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decode_edge_cases() {
        assert_eq!(percent_decode("a%2", false), "a%2");
        assert_eq!(percent_decode("%zz%41", false), "%zzA");
        assert_eq!(percent_decode("a+b", true), "a b");
        assert_eq!(percent_decode("a+b", false), "a+b");
        assert_eq!(percent_decode("%2B+", true), "+ ");
        assert_eq!(percent_decode("%", false), "%");
        assert_eq!(percent_decode("%C3%A9%FF", false), "é\u{FFFD}");
    }

    #[test]
    fn html_references() {
        assert_eq!(html_unescape("a&amp;b&#43;&#x2B;&lt;"), "a&b++<");
        assert_eq!(html_unescape("&bogus; & &#xZZ;"), "&bogus; & &#xZZ;");
    }

    #[test]
    fn quotes_and_escapes() {
        assert_eq!(strip_quotes("\" x \""), "x");
        assert_eq!(strip_quotes("'a"), "'a");
        assert!(has_percent_escape("a%2Fb") && !has_percent_escape("100%"));
    }
}
