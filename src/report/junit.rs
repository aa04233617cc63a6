//! JUnit XML: one test case per analysed message (or per fixture in `check`), failing when it has
//! findings at or above the failure bar; unusable inputs are errors.

/// One test case.
#[derive(Debug, Clone, Default)]
pub struct Case {
    pub name: String,
    pub classname: String,
    /// Failure lines; empty means the case passed.
    pub failures: Vec<String>,
    /// Set when the input could not be used at all.
    pub error: Option<String>,
    /// Informational output (findings below the bar).
    pub output: String,
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 has no way to write these, not even `&#x1;`: show them as `\u{1}`.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {
                out.push_str(&c.escape_unicode().to_string())
            }
            c => out.push(c),
        }
    }
    out
}

/// Renders a test suite.
pub fn render(suite: &str, cases: &[Case]) -> String {
    let failures = cases
        .iter()
        .filter(|c| !c.failures.is_empty() && c.error.is_none())
        .count();
    let errors = cases.iter().filter(|c| c.error.is_some()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"sso-doctor\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">\n",
        cases.len()
    ));
    out.push_str(&format!(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">\n",
        escape(suite),
        cases.len()
    ));
    for c in cases {
        out.push_str(&format!(
            "    <testcase name=\"{}\" classname=\"{}\"",
            escape(&c.name),
            escape(&c.classname)
        ));
        let empty = c.failures.is_empty() && c.error.is_none() && c.output.is_empty();
        if empty {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        if let Some(e) = &c.error {
            out.push_str(&format!(
                "      <error message=\"{}\">{}</error>\n",
                escape(e),
                escape(e)
            ));
        } else if !c.failures.is_empty() {
            let first = c.failures[0].clone();
            out.push_str(&format!(
                "      <failure message=\"{}\" type=\"sso-doctor\">{}</failure>\n",
                escape(&first),
                escape(&c.failures.join("\n"))
            ));
        }
        if !c.output.is_empty() {
            out.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                escape(&c.output)
            ));
        }
        out.push_str("    </testcase>\n");
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_parseable_xml() {
        let cases = vec![
            Case {
                name: "a<b".into(),
                classname: "x".into(),
                ..Default::default()
            },
            Case {
                name: "f".into(),
                classname: "x".into(),
                failures: vec!["SD201 \"bad\" & worse".into()],
                ..Default::default()
            },
            Case {
                name: "e".into(),
                classname: "x".into(),
                error: Some("cannot decode\u{1}".into()),
                ..Default::default()
            },
        ];
        let xml = render("suite", &cases);
        let doc = crate::xml::Document::parse(&xml, &crate::limits::Limits::default()).unwrap();
        assert_eq!(doc.attr(doc.root, "failures"), Some("1"));
        assert_eq!(doc.attr(doc.root, "errors"), Some("1"));
        assert!(xml.contains("cannot decode\\u{1}"), "{xml}");
    }
}
