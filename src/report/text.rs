//! The human report: the most likely cause first, then each finding with its evidence shown in
//! the XML line it came from, the fix, and what was skipped. Colour only when asked for.

use crate::analyze::{Analysis, Analyzed};
use crate::finding::{Finding, Severity};

/// ANSI styling, switched off entirely when colour is not wanted.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    pub fn severity(&self, sev: Severity, s: &str) -> String {
        match sev {
            Severity::Error => self.paint("1;31", s),
            Severity::Warning => self.paint("1;33", s),
            Severity::Info => self.paint("1;36", s),
        }
    }
    pub fn green(&self, s: &str) -> String {
        self.paint("32", s)
    }
}

/// Renders the whole analysis.
pub fn render(analysis: &Analysis, style: Style) -> String {
    let mut out = String::new();
    for (i, m) in analysis.messages.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_message(m, style, &mut out);
    }
    for e in &analysis.errors {
        let where_ = match &e.label {
            Some(l) => format!("{} · {l}", e.input),
            None => e.input.clone(),
        };
        out.push_str(&format!(
            "{} {}: {}\n",
            style.severity(Severity::Error, "unusable input"),
            style.bold(&where_),
            e.error
        ));
    }
    if analysis.messages.len() > 1 {
        out.push_str(&format!(
            "\n{}\n",
            totals_line(&analysis.all_findings(), analysis.messages.len(), style)
        ));
    }
    out
}

fn render_message(m: &Analyzed, style: Style, out: &mut String) {
    out.push_str(&format!(
        "{} {}\n",
        style.bold("sso-doctor:"),
        style.bold(&safe(&super::message_title(m)))
    ));
    out.push_str(&format!("  decoded: {}\n", m.decoded.steps_line()));
    for note in &m.decoded.notes {
        out.push_str(&format!("  {} {note}\n", style.dim("note:")));
    }
    out.push_str(&format!("  {}\n", safe(&describe(m))));
    match m.outcome.findings.first() {
        // Only an error can be the cause of a failure; warnings never are.
        Some(top) if top.severity == Severity::Error => out.push_str(&format!(
            "  {} {} {}: {}\n",
            style.bold("Most likely cause:"),
            style.severity(top.severity, top.code),
            top.rule,
            safe(&top.message)
        )),
        _ if m
            .outcome
            .findings
            .iter()
            .any(|f| f.severity == Severity::Error) =>
        {
            // An error that is not first: timing findings explained by the capture's age were
            // ranked last.
            out.push_str(&format!(
                "  {}\n",
                style.green(
                    "Nothing wrong apart from the timing findings ranked last (see the note above)."
                )
            ))
        }
        _ => out.push_str(&format!("  {}\n", style.green(&no_error_line(m)))),
    }
    for f in &m.outcome.findings {
        out.push('\n');
        render_finding(m, f, style, out);
    }
    if !m.outcome.skipped.is_empty() {
        out.push_str(&format!(
            "\n  {} {} not run:\n",
            style.dim("skipped:"),
            super::plural(m.outcome.skipped.len() as u64, "check", "checks")
        ));
        let mut by_reason: Vec<(&str, Vec<&str>)> = Vec::new();
        for s in &m.outcome.skipped {
            match by_reason.iter_mut().find(|(r, _)| *r == s.reason) {
                Some((_, codes)) => codes.push(s.code),
                None => by_reason.push((s.reason, vec![s.code])),
            }
        }
        for (reason, codes) in by_reason {
            out.push_str(&format!("    {}: {reason}\n", codes.join(", ")));
        }
    }
    out.push_str(&format!(
        "\n  {}\n",
        totals_line(&m.outcome.findings, 1, style)
    ));
}

/// What a message without errors means: a Response would sign the user in; warnings follow.
fn no_error_line(m: &Analyzed) -> String {
    use crate::saml::MessageKind;
    let warnings = m
        .outcome
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let mut line = match m.message.kind {
        MessageKind::Response | MessageKind::Assertion => {
            "No problems found by the checks that ran: this Response would sign the user in."
                .to_string()
        }
        ref kind => format!(
            "No problems found by the checks that ran: this {} would be accepted.",
            kind.name()
        ),
    };
    if warnings > 0 {
        line.push_str(&format!(
            " {warnings} warning{} below {} worth fixing but would not stop it.",
            if warnings == 1 { "" } else { "s" },
            if warnings == 1 { "is" } else { "are" }
        ));
    }
    line
}

fn describe(m: &Analyzed) -> String {
    let s = &m.summary();
    let mut parts = vec![format!(
        "{} {}",
        s.kind,
        s.id.as_deref().unwrap_or("(no ID)")
    )];
    if let Some(issuer) = s.issuer.as_ref().or(s.assertion_issuer.as_ref()) {
        parts.push(format!("from {issuer}"));
    }
    if let Some(d) = &s.destination {
        parts.push(format!("to {d}"));
    }
    if let Some(n) = &s.name_id {
        // A forged message names the attacker's user: never show it as the signed-in identity.
        let forged = m.outcome.findings.iter().find(|f| {
            f.severity == Severity::Error
                && matches!(f.code, "SD720" | "SD722" | "SD723" | "SD724" | "SD410")
        });
        match forged {
            Some(f) => parts.push(format!("for {n} (not trustworthy: see {})", f.code)),
            None => parts.push(format!("for {n}")),
        }
    }
    if let Some(st) = &s.status {
        parts.push(format!("status {st}"));
    }
    if let Some(p) = &s.paired_request {
        parts.push(format!("answering the AuthnRequest in {p}"));
    }
    parts.join(" ")
}

fn render_finding(m: &Analyzed, f: &Finding, style: Style, out: &mut String) {
    let sev = style.severity(f.severity, &format!("{}[{}]", f.severity, f.code));
    out.push_str(&format!(
        "{sev} {}: {}\n",
        style.bold(f.rule),
        safe(&f.message)
    ));
    if let Some(loc) = f.primary_location() {
        let path = f
            .evidence
            .iter()
            .find(|e| e.location.is_some())
            .map(|e| e.source.as_str())
            .unwrap_or("");
        out.push_str(&format!(
            "  {} line {}, column {}: {}\n",
            style.dim("-->"),
            loc.line,
            loc.column,
            safe(path)
        ));
        if let Some((line, column, cut_left, cut_right)) =
            line_around(&m.message.doc.source, loc.offset)
        {
            let value = f
                .evidence
                .iter()
                .find(|e| e.location.is_some())
                .map(|e| e.value.as_str())
                .unwrap_or("");
            // Controls and bidi characters from the input are spelt out, never printed raw.
            let line = safe(line);
            let mut shown = excerpt(&line, column, value, style);
            if cut_left && !shown.starts_with('…') {
                shown.insert(0, '…');
            }
            if cut_right && !shown.ends_with('…') {
                shown.push('…');
            }
            out.push_str(&format!(
                "  {} {}\n",
                style.dim(&format!("{:>4} |", loc.line)),
                shown
            ));
        }
    }
    for e in &f.evidence {
        let value = if e.value.is_empty() {
            "(empty)".to_string()
        } else {
            format!("{:?}", e.value)
        };
        let at = e
            .location
            .map(|l| format!(", line {}", l.line))
            .unwrap_or_default();
        out.push_str(&format!(
            "  {} {} = {value}  {}\n",
            style.dim("·"),
            safe(&e.label),
            style.dim(&format!("({}{at})", safe(&e.source)))
        ));
    }
    out.push_str(&format!("  {} {}\n", style.bold("fix:"), safe(&f.fix)));
}

/// Characters of a source line shown around the evidence value.
const WIDTH: usize = 110;

/// Bytes of the source line looked at either side of a finding's offset.
const REACH: usize = 4096;

/// The source line holding byte `offset`, cut to at most [`REACH`] bytes either side of it, with
/// the 1-based character column of `offset` in the cut and whether text was cut off on the left
/// and on the right. Reading the whole line (or counting lines from the top) for every finding
/// was quadratic on a one-line multi-megabyte paste with thousands of findings.
fn line_around(source: &str, offset: usize) -> Option<(&str, usize, bool, bool)> {
    if offset > source.len() || !source.is_char_boundary(offset) {
        return None;
    }
    let mut lo = offset.saturating_sub(REACH);
    while !source.is_char_boundary(lo) {
        lo += 1;
    }
    let mut hi = offset.saturating_add(REACH).min(source.len());
    while !source.is_char_boundary(hi) {
        hi -= 1;
    }
    let bytes = source.as_bytes();
    let start = memchr::memrchr(b'\n', &bytes[lo..offset]).map_or(lo, |p| lo + p + 1);
    let end = memchr::memchr(b'\n', &bytes[offset..hi]).map_or(hi, |p| offset + p);
    let cut_left = start == lo && lo > 0 && bytes[lo - 1] != b'\n';
    let cut_right = end == hi && hi < source.len() && bytes[hi] != b'\n';
    let line = &source[start..end];
    let line = line.strip_suffix('\r').unwrap_or(line);
    let column = source[start..offset].chars().count() + 1;
    Some((line, column, cut_left, cut_right))
}

/// A window of `line` around the value (at or after `column`), the value highlighted.
fn excerpt(line: &str, column: usize, value: &str, style: Style) -> String {
    let chars: Vec<char> = line.chars().collect();
    let indent = chars.iter().take_while(|c| c.is_whitespace()).count();
    let start = column.saturating_sub(1).clamp(indent, chars.len());
    let hay: String = chars[start..].iter().collect();
    let value_at = (!value.is_empty())
        .then(|| hay.find(value))
        .flatten()
        .map(|b| start + hay[..b].chars().count());
    let len = value.chars().count();
    let focus = value_at.unwrap_or(start);
    let from = if chars.len() - indent <= WIDTH {
        indent
    } else {
        focus.saturating_sub(30).max(indent)
    };
    let to = (from + WIDTH).min(chars.len());
    let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let body = match value_at.filter(|&v| v + len <= to) {
        Some(v) => format!(
            "{}{}{}",
            text(from, v),
            style.bold(&text(v, v + len)),
            text(v + len, to)
        ),
        None => text(from, to),
    };
    let prefix = if from > indent { "…" } else { "" };
    let suffix = if to < chars.len() { "…" } else { "" };
    format!("{prefix}{body}{suffix}")
}

fn totals_line(findings: &[Finding], messages: usize, style: Style) -> String {
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (e, w, i) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let text = format!(
        "{}, {}, {}{}",
        plural(e, "error"),
        plural(w, "warning"),
        plural(i, "note"),
        if messages > 1 {
            format!(" in {messages} messages")
        } else {
            String::new()
        }
    );
    if e > 0 {
        style.severity(Severity::Error, &text)
    } else {
        style.bold(&text)
    }
}

/// Text from the input made safe for a terminal, line by line (newlines kept): format and bidi
/// controls and other invisible characters are spelt `<U+202E>` (Trojan Source, CVE-2021-42574).
fn safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s
        .chars()
        .any(|c| c != '\n' && crate::identity::is_unsafe_for_terminal(c))
    {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.split('\n')
            .map(|l| crate::identity::terminal_safe(l).into_owned())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_windows_long_lines() {
        let style = Style { color: false };
        let line = format!(
            "<r a=\"{}\" Destination=\"https://x.test/acs\" b=\"{}\">",
            "x".repeat(200),
            "y".repeat(200)
        );
        let e = excerpt(&line, 1, "https://x.test/acs", style);
        assert!(e.contains("https://x.test/acs"), "{e}");
        assert!(e.starts_with('…') && e.ends_with('…'), "{e}");
        assert!(e.chars().count() <= WIDTH + 2, "{}", e.chars().count());
        assert_eq!(excerpt("  <a>v</a>", 3, "v", style), "<a>v</a>");
    }

    #[test]
    fn line_around_cuts_long_lines_and_keeps_short_ones() {
        let src = "<a>\r\n  <b x=\"é\">v</b>\n</a>";
        let at = src.find("<b").unwrap();
        assert_eq!(
            line_around(src, at),
            Some(("  <b x=\"é\">v</b>", 3, false, false))
        );
        let v = src.find(">v<").unwrap() + 1;
        assert_eq!(line_around(src, v).unwrap().1, 12);
        let long = format!("<r>{}<x/>{}</r>", "é".repeat(10_000), "y".repeat(10_000));
        let at = long.find("<x/>").unwrap();
        let (line, column, left, right) = line_around(&long, at).unwrap();
        assert!(left && right);
        assert!(line.len() <= 2 * REACH);
        assert!(line[..].chars().nth(column - 1) == Some('<'));
        assert_eq!(line_around(&long, long.len() + 1), None);
    }
}
