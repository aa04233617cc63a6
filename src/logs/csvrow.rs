//! Column access by normalised header name for the CSV exports (Entra Log Analytics and portal
//! downloads, AD FS `Export-Csv`). Headers drift between versions and carry stray spaces and
//! ` [UTC]` suffixes, so names are trimmed, case-folded, whitespace-collapsed and de-suffixed, and
//! columns are never addressed by position.

use std::collections::HashMap;

/// Header name → column index (first occurrence wins for repeated headers).
#[derive(Debug, Default, Clone)]
pub struct Headers {
    index: HashMap<String, usize>,
}

/// Normalises a header: `"Application ID "` → `application id`, `TimeGenerated [UTC]` →
/// `timegenerated`, `Date (UTC)` → `date`.
pub fn normalise(name: &str) -> String {
    let lower = name.trim_start_matches('\u{feff}').to_lowercase();
    let collapsed = lower.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_end_matches(" [utc]")
        .trim_end_matches(" (utc)")
        .to_string()
}

impl Headers {
    pub fn new<'h>(names: impl IntoIterator<Item = &'h str>) -> Self {
        let mut index = HashMap::new();
        for (i, name) in names.into_iter().enumerate() {
            index.entry(normalise(name)).or_insert(i);
        }
        Headers { index }
    }

    pub fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

/// One record seen through its file's headers.
pub struct Row<'r> {
    headers: &'r Headers,
    record: &'r csv::StringRecord,
}

impl<'r> Row<'r> {
    pub fn new(headers: &'r Headers, record: &'r csv::StringRecord) -> Self {
        Row { headers, record }
    }

    /// The trimmed value of a column (normalised name), None when absent or empty.
    pub fn get(&self, name: &str) -> Option<&'r str> {
        let i = *self.headers.index.get(name)?;
        let v = self.record.get(i)?.trim();
        (!v.is_empty()).then_some(v)
    }

    /// The first non-empty value among several column names.
    pub fn get_any(&self, names: &[&str]) -> Option<&'r str> {
        names.iter().find_map(|n| self.get(n))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_drifting_headers() {
        assert_eq!(normalise("Application ID "), "application id");
        assert_eq!(
            normalise("Autonomous system  number"),
            "autonomous system number"
        );
        assert_eq!(normalise("TimeGenerated [UTC]"), "timegenerated");
        assert_eq!(normalise("\u{feff}Date (UTC)"), "date");
        let h = Headers::new(["A", "Incoming token type", "incoming token type"]);
        assert_eq!(h.len(), 2);
        let rec = csv::StringRecord::from(vec![" x ", "first", "second"]);
        let row = Row::new(&h, &rec);
        assert_eq!(row.get("a"), Some("x"));
        assert_eq!(row.get("incoming token type"), Some("first"));
        assert_eq!(row.get_any(&["missing", "a"]), Some("x"));
    }
}
