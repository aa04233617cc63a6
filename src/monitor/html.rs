//! A self-contained HTML rendering of a monitor [`Report`]: one file, inline CSS, no script, no
//! external request, printable; every value escaped. The shared report renderers of issue #18
//! may replace it; the content is the same as the text report's.

use super::{Observed, Report};
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            // Format and bidi controls shown, never applied (Trojan Source).
            c if c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}') =>
            {
                let _ = write!(o, "&lt;U+{:04X}&gt;", c as u32);
            }
            c => o.push(c),
        }
    }
    o
}

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1b1b1b}\
h1{font-size:1.4em}table{border-collapse:collapse;width:100%}\
th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}\
.w{overflow-wrap:anywhere;min-width:12em}\
th{background:#f3f3f3}.bad{background:#fdecea}.warn{background:#fff6e0}\
ul{margin:.2em 0;padding-left:1.2em}code{font-size:.95em}";

pub fn html(r: &Report) -> String {
    let mut o = String::new();
    let rd = &r.readiness;
    let verdict = match rd.ready {
        Some(true) => "Ready to turn Trust email addresses off".to_string(),
        Some(false) => format!(
            "Not ready to turn Trust email addresses off ({} blocking)",
            rd.blockers.len()
        ),
        None => "Readiness unknown: give --directory to know who has not signed in yet".into(),
    };
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\
         <title>sso-doctor monitor</title><style>{STYLE}</style></head><body>\n\
         <h1>sso-doctor monitor</h1>\n<p><strong>{}</strong>. {} of {} people signed in through SSO \
         (stage: {}).</p>\n",
        esc(&verdict),
        rd.signed_in,
        rd.total,
        esc(rd.stage)
    );
    if let Some(d) = r.median_delay {
        let _ = writeln!(
            o,
            "<p>Median IdP → Kinde delay: {} (window ±{}).</p>",
            esc(&crate::time::human_duration(d)),
            esc(&crate::time::human_duration(r.window))
        );
    }
    o.push_str("<h2>Observed outcomes</h2>\n<table><tr><th>observed</th><th>people</th></tr>\n");
    for ob in Observed::ALL {
        if let Some(n) = r.counts.get(&ob) {
            let _ = writeln!(o, "<tr><td>{}</td><td>{n}</td></tr>", ob.as_str());
        }
    }
    o.push_str("</table>\n<h2>Predicted → observed</h2>\n<table><tr><th>predicted</th><th>observed</th><th>people</th></tr>\n");
    for ((p, ob), n) in &r.pairs {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{n}</td></tr>",
            esc(p),
            ob.as_str()
        );
    }
    o.push_str("</table>\n<h2>People</h2>\n<table><tr><th>email</th><th>observed</th><th>predicted</th><th>matches</th><th>evidence</th><th>fix</th></tr>\n");
    for row in super::render::ordered(r) {
        let p = &row.person;
        let class = match (row.matches, p.observed) {
            (Some(false), _) | (_, Observed::DuplicateCreated | Observed::IdpSuccessNoKinde) => {
                " class=\"bad\""
            }
            (_, Observed::IdpFailure | Observed::KindeOnly) => " class=\"warn\"",
            _ => "",
        };
        let mut ev = String::from("<ul>");
        for e in p.evidence.iter().chain(&p.near_misses) {
            let _ = write!(ev, "<li>{}</li>", esc(e));
        }
        ev.push_str("</ul>");
        let _ = writeln!(
            o,
            "<tr{class}><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class=\"w\">{ev}</td><td class=\"w\">{}</td></tr>",
            esc(&p.email),
            p.observed.as_str(),
            row.predicted.map(|x| x.as_str()).unwrap_or("–"),
            match row.matches {
                Some(true) => "yes",
                Some(false) => "no",
                None => "–",
            },
            esc(p.fix.as_deref().unwrap_or(""))
        );
    }
    o.push_str("</table>\n");
    for n in &r.notes {
        let _ = writeln!(o, "<p><em>Note:</em> {}</p>", esc(n));
    }
    o.push_str("</body></html>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(esc("carol\u{202E}@x"), "carol&lt;U+202E&gt;@x");
    }
}
