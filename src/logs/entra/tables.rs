//! The Log Analytics query API response (`POST /v1/workspaces/{id}/query`, also what
//! `az monitor log-analytics query` and the portal's "Export → JSON (API)" give):
//! `{"tables":[{"name":"PrimaryResult","columns":[{"name":…,"type":…}],"rows":[[…],…]}]}` with
//! positional rows. Each row is rebuilt as a `SigninLogs` object from the column names and read
//! like the Log Analytics JSON export.
//!
//! The response is one JSON document, framed as one record, so it must fit in
//! `--max-record-bytes` (the API caps responses at 64 MB; raise the flag for large ones).

use super::parse_json;
use crate::logs::event::Event;
use serde::Deserialize;
use serde_json::{Map, Value};

#[derive(Debug, Deserialize)]
struct Column {
    name: String,
}

#[derive(Debug, Deserialize)]
struct Table {
    #[serde(default)]
    columns: Vec<Column>,
    #[serde(default)]
    rows: Vec<Vec<Value>>,
}

#[derive(Debug, Deserialize)]
struct Response {
    tables: Vec<Table>,
}

/// True when a query API response's first table has sign-in columns.
pub fn looks_like(record: &[u8]) -> bool {
    let Ok(r) = serde_json::from_slice::<Response>(record) else {
        return false;
    };
    r.tables.first().is_some_and(|t| {
        let has = |n: &str| t.columns.iter().any(|c| c.name == n);
        has("ResultType") && (has("UserPrincipalName") || has("TimeGenerated"))
    })
}

/// Calls `each` with the event of every row; rows that do not read are counted and described in
/// the returned error (after the good rows were delivered).
pub fn for_each_row(bytes: &[u8], mut each: impl FnMut(&Event<'_>)) -> Result<(), String> {
    let r: Response = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let (mut bad, mut first_error, mut total) = (0usize, None, 0usize);
    for table in r.tables {
        let names: Vec<String> = table.columns.into_iter().map(|c| c.name).collect();
        for row in table.rows {
            total += 1;
            let object: Map<String, Value> = names.iter().cloned().zip(row).collect();
            let text = serde_json::to_vec(&object).map_err(|e| e.to_string())?;
            match parse_json(&text) {
                Ok(e) => each(&e),
                Err(e) => {
                    bad += 1;
                    first_error.get_or_insert(e);
                }
            }
        }
    }
    match first_error {
        None => Ok(()),
        Some(e) => Err(format!(
            "{bad} of {total} query rows unreadable; first: {e}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::logs::cause::Cause;

    #[test]
    fn positional_rows_read_like_signinlogs() {
        let doc = br#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"UserPrincipalName","type":"string"},{"name":"ResultType","type":"string"},{"name":"Type","type":"string"}],"rows":[["2025-11-03T09:00:35Z","a@example.com","50011","SigninLogs"],["2025-11-03T09:01:35Z","b@example.com","0","AADNonInteractiveUserSignInLogs"],["x",null,null,null]]}]}"#;
        assert!(looks_like(doc));
        let mut got = Vec::new();
        let res = for_each_row(doc, |e| {
            got.push((e.cause, e.category.as_deref().map(str::to_string)))
        });
        assert_eq!(got.len(), 2);
        assert_eq!(
            got[0],
            (Cause::AcsUrlMismatch, Some("interactive_user".into()))
        );
        assert_eq!(got[1].1.as_deref(), Some("non_interactive_user"));
        assert!(res.unwrap_err().starts_with("1 of 3 query rows"));
        assert!(!looks_like(
            br#"{"tables":[{"columns":[{"name":"Foo"}],"rows":[]}]}"#
        ));
    }
}
