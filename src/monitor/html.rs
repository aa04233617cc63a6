//! A self-contained HTML rendering of a monitor [`Report`]: one file, inline CSS, no script, no
//! external request, printable; every value escaped. The shared report renderers of issue #18
//! may replace it; the content is the same as the text report's.

use super::{Observed, Report};
use std::fmt::Write;

use crate::html::escape as esc;

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
    o.push_str(&crate::html::head("sso-doctor monitor", crate::html::STYLE));
    let _ = write!(
        o,
        "<h1>sso-doctor monitor</h1>\n<p><strong>{}</strong>. {} of {} people signed in through SSO \
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
