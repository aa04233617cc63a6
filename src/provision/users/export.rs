//! Kinde's data export `users.ndjson`: one user object per line. The file is framed by the
//! capped NDJSON reader of [`crate::provision::read`] and each chunk's lines are parsed on all
//! cores, so a million-user export never sits in memory as text.

use super::KindeUser;
use super::raw::RawUser;
use crate::provision::InputError;
use crate::provision::read::for_each_ndjson_chunk;
use rayon::prelude::*;
use std::path::Path;

/// Reads the export NDJSON in chunks, parsing each chunk's lines on all cores.
pub(super) fn read_export_ndjson(
    path: &Path,
    shown: &str,
    file: u16,
) -> Result<Vec<KindeUser>, InputError> {
    let parse = |line_no: u64, line: &[u8]| -> Result<Option<KindeUser>, InputError> {
        parse_export_line(line, file, line_no).map_err(|m| InputError::new(shown, Some(line_no), m))
    };
    let mut users = Vec::new();
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    for_each_ndjson_chunk(path, shown, |lines| {
        if users.is_empty() {
            reserve_for(&mut users, size, lines);
        }
        let parsed: Vec<Result<Option<KindeUser>, InputError>> =
            lines.par_iter().map(|(n, l)| parse(*n, l)).collect();
        for p in parsed {
            users.extend(p?);
        }
        Ok(())
    })?;
    Ok(users)
}

/// Reserves room for the whole file from the first chunk's line length, so a million users are
/// not copied through doubling reallocations (which briefly hold 1.5 times the data).
fn reserve_for<T>(v: &mut Vec<T>, file_size: u64, first: &[(u64, &[u8])]) {
    let bytes: u64 = first.iter().map(|(_, l)| l.len() as u64 + 1).sum();
    if let Some(estimate) = file_size
        .saturating_mul(first.len() as u64)
        .checked_div(bytes)
    {
        v.reserve((estimate + estimate / 50 + 16) as usize);
    }
}

/// Parses one export line; blank lines are skipped.
fn parse_export_line(line: &[u8], file: u16, line_no: u64) -> Result<Option<KindeUser>, String> {
    // The framer trims lines and drops blank ones; a blank line here is whitespace only.
    let line = line.trim_ascii();
    if line.is_empty() {
        return Ok(None);
    }
    let raw: RawUser = serde_json::from_slice(line).map_err(|e| format!("not a JSON user: {e}"))?;
    raw.into_user(file, line_no).map(Some)
}
