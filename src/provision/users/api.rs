//! Management API user pages: one or more `GET /api/v1/users` pages (`{users[], next_token}`),
//! concatenated or in an array; `results[]` of the search endpoint and a bare array of users are
//! accepted too.

use super::KindeUser;
use super::raw::RawUser;
use crate::provision::InputError;
use crate::provision::read::read_text;
use serde::Deserialize;
use std::borrow::Cow;
use std::path::Path;

/// The paging facts of the pages in one file, to tell a whole tenant from its first page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paging {
    /// Pages read (a bare array of users counts as none).
    pub pages: u64,
    /// The last page that says more follow: its 1-based number and `next_token` (or
    /// `has_more: true`, shown as `None`).
    pub last_open: Option<(u64, Option<String>)>,
    /// Pages that say nothing follows (`next_token` null or empty, `has_more` not true).
    pub last_pages: u64,
    /// The largest user total a page or a saved response header declares (`total`,
    /// `total_count`, `count`, `X-Total-Count`).
    pub declared_total: Option<u64>,
    /// Users read from the pages.
    pub users: u64,
}

/// A page of `GET /api/v1/users` (or `results` of the search endpoint).
#[derive(Debug, Deserialize)]
struct RawPage<'a> {
    #[serde(borrow, alias = "results")]
    users: Option<Vec<RawUser<'a>>>,
    /// What the page says about the pages after it.
    #[serde(borrow)]
    next_token: Option<Cow<'a, str>>,
    has_more: Option<bool>,
    #[serde(alias = "total_count", alias = "count")]
    total: Option<serde_json::Value>,
}

/// A page inside an array: `users` required, so a bare user object is not taken for a page.
#[derive(Debug, Deserialize)]
struct StrictPage<'a> {
    #[serde(borrow, alias = "results")]
    users: Vec<RawUser<'a>>,
    /// What the page says about the pages after it.
    #[serde(borrow)]
    next_token: Option<Cow<'a, str>>,
    has_more: Option<bool>,
    #[serde(alias = "total_count", alias = "count")]
    total: Option<serde_json::Value>,
}

impl Paging {
    fn page(
        &mut self,
        next_token: Option<&str>,
        has_more: Option<bool>,
        total: Option<u64>,
        users: usize,
    ) {
        self.pages += 1;
        self.users += users as u64;
        let token = next_token.filter(|t| !t.trim().is_empty());
        if token.is_some() || has_more == Some(true) {
            self.last_open = Some((self.pages, token.map(str::to_string)));
        } else {
            self.last_pages += 1;
        }
        self.declare(total);
    }

    fn declare(&mut self, total: Option<u64>) {
        if let Some(t) = total {
            self.declared_total = Some(self.declared_total.map_or(t, |d| d.max(t)));
        }
    }
}

/// A declared total, when it is a whole number (other shapes are not a count).
fn total_of(v: &Option<serde_json::Value>) -> Option<u64> {
    v.as_ref().and_then(serde_json::Value::as_u64)
}

/// Splits a saved HTTP response (`curl -i`, `curl -D -`) into its total-count header and body.
fn strip_http_head(text: &str) -> (Option<u64>, &str) {
    if !text.starts_with("HTTP/") {
        return (None, text);
    }
    let end = text
        .find("\r\n\r\n")
        .map(|i| i + 4)
        .or_else(|| text.find("\n\n").map(|i| i + 2))
        .unwrap_or(text.len());
    let total = text[..end].lines().find_map(|l| {
        let (name, value) = l.split_once(':')?;
        let name = name.trim().to_ascii_lowercase();
        matches!(name.as_str(), "x-total-count" | "total-count" | "x-total")
            .then(|| value.trim().parse().ok())
            .flatten()
    });
    (total, &text[end..])
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
) -> Result<(Vec<KindeUser>, Paging), InputError> {
    let owned = read_text(path, shown)?;
    let text = owned.strip_prefix('\u{feff}').unwrap_or(&owned);
    let (header_total, text) = strip_http_head(text);
    let mut paging = Paging::default();
    paging.declare(header_total);
    let mut raw: Vec<RawUser> = Vec::new();
    if text.trim_start().starts_with('[') {
        let items: Vec<PageOrUser> =
            serde_json::from_str(text).map_err(|e| json_error(shown, &e))?;
        for item in items {
            match item {
                PageOrUser::Page(p) => {
                    paging.page(
                        p.next_token.as_deref(),
                        p.has_more,
                        total_of(&p.total),
                        p.users.len(),
                    );
                    raw.extend(p.users);
                }
                PageOrUser::User(u) => raw.push(u),
            }
        }
    } else {
        for page in serde_json::Deserializer::from_str(text).into_iter::<RawPage>() {
            let page = page.map_err(|e| json_error(shown, &e))?;
            let (token, more, total) = (
                page.next_token.clone(),
                page.has_more,
                total_of(&page.total),
            );
            let users = page_users(page, shown)?;
            paging.page(token.as_deref(), more, total, users.len());
            raw.extend(users);
        }
    }
    let users = raw
        .into_iter()
        .enumerate()
        .map(|(i, u)| {
            let position = i as u64 + 1;
            u.into_user(file, position).map_err(|m| {
                InputError::new(shown, None, format!("user #{position} in the pages: {m}"))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((users, paging))
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
