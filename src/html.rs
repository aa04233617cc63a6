//! Escaping for the HTML pages the tool writes (`monitor --format html`, `preflight --format
//! html`): markup characters escaped, and format and bidi controls shown as `<U+…>` so a page never
//! reorders or hides an identity (Trojan Source). One definition, in the bottom layer.

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}') =>
            {
                o.push_str(&format!("&lt;U+{:04X}&gt;", c as u32));
            }
            c => o.push(c),
        }
    }
    o
}

/// The page head every HTML report shares: UTF-8, a Content-Security-Policy that loads nothing
/// (inline CSS only), the title and the style sheet.
pub fn head(title: &str, style: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>{}</title><style>{style}</style></head><body>\n",
        escape(title)
    )
}

/// The shared style sheet.
pub const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1b1b1b}\
h1{font-size:1.4em}table{border-collapse:collapse;width:100%}\
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}\
.w{overflow-wrap:anywhere;min-width:12em}\
th{background:#f3f3f3}.bad{background:#fdecea}.warn{background:#fff6e0}\
ul{margin:.2em 0;padding-left:1.2em}code{font-size:.95em}";

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(escape("carol\u{202E}@x"), "carol&lt;U+202E&gt;@x");
    }
}
