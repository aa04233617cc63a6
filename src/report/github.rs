//! GitHub Actions workflow commands: `::error file=…,line=…,title=…::message`.

use super::Placed;
use crate::finding::Severity;

pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// One annotation line per finding, plus one per input error.
pub fn render(items: &[Placed], errors: &[(String, String)]) -> String {
    let mut out = String::new();
    for p in items {
        let level = match p.finding.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = vec![format!(
            "file={}",
            escape_property(&super::sarif::relative_path(p.file))
        )];
        if let Some(loc) = p.location {
            props.push(format!("line={}", loc.line));
            props.push(format!("col={}", loc.column));
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("{} {}", p.finding.code, p.finding.rule))
        ));
        out.push_str(&format!(
            "::{level} {}::{}\n",
            props.join(","),
            escape_data(&format!("{} Fix: {}", p.finding.message, p.finding.fix))
        ));
    }
    for (file, error) in errors {
        out.push_str(&format!(
            "::error file={},title=unusable input::{}\n",
            escape_property(&super::sarif::relative_path(file)),
            escape_data(error)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_properties_and_data() {
        assert_eq!(super::escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(super::escape_data("x: y\r\n"), "x: y%0D%0A");
    }
}
