//! Management API user pages: one or more `GET /api/v1/users` pages (`{users[], next_token}`),
//! concatenated or in an array; `results[]` of the search endpoint and a bare array of users are
//! accepted too.

use super::KindeUser;
use super::raw::RawUser;
use crate::provision::InputError;
use crate::provision::read::io_error;
use serde::Deserialize;
use std::path::Path;

/// A page of `GET /api/v1/users` (or `results` of the search endpoint).
#[derive(Debug, Deserialize)]
struct RawPage<'a> {
    #[serde(borrow, alias = "results")]
    users: Option<Vec<RawUser<'a>>>,
}

/// A page inside an array: `users` required, so a bare user object is not taken for a page.
#[derive(Debug, Deserialize)]
struct StrictPage<'a> {
    #[serde(borrow, alias = "results")]
    users: Vec<RawUser<'a>>,
}

/// An element of a top-level JSON array: a page or a bare user.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum PageOrUser<'a> {
    #[serde(borrow)]
    Page(StrictPage<'a>),
    #[serde(borrow)]
    User(RawUser<'a>),
}

fn json_error(shown: &str, e: &serde_json::Error) -> InputError {
    let line = (e.line() > 0).then_some(e.line() as u64);
    InputError::new(shown, line, format!("not valid JSON: {e}"))
}

/// Reads API pages: a file is read whole (pages are small), then each page object in turn.
pub(super) fn read_api_pages(
    path: &Path,
    shown: &str,
    file: u16,
) -> Result<Vec<KindeUser>, InputError> {
    let owned = std::fs::read_to_string(path).map_err(|e| io_error(shown, &e))?;
    let text = owned.strip_prefix('\u{feff}').unwrap_or(&owned);
    let mut raw: Vec<RawUser> = Vec::new();
    if text.trim_start().starts_with('[') {
        let items: Vec<PageOrUser> =
            serde_json::from_str(text).map_err(|e| json_error(shown, &e))?;
        for item in items {
            match item {
                PageOrUser::Page(p) => raw.extend(p.users),
                PageOrUser::User(u) => raw.push(u),
            }
        }
    } else {
        for page in serde_json::Deserializer::from_str(text).into_iter::<RawPage>() {
            let page = page.map_err(|e| json_error(shown, &e))?;
            raw.extend(page_users(page, shown)?);
        }
    }
    raw.into_iter()
        .enumerate()
        .map(|(i, u)| {
            let position = i as u64 + 1;
            u.into_user(file, position).map_err(|m| {
                InputError::new(shown, None, format!("user #{position} in the pages: {m}"))
            })
        })
        .collect()
}

fn page_users<'a>(page: RawPage<'a>, shown: &str) -> Result<Vec<RawUser<'a>>, InputError> {
    page.users.ok_or_else(|| {
        InputError::new(
            shown,
            None,
            "a JSON object without a `users` array: expected GET /api/v1/users pages \
             (use --users-format export for the NDJSON export)",
        )
    })
}
