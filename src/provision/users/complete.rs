//! Whether a snapshot is the whole tenant, and users that two snapshot files both describe.
//!
//! A users page whose `next_token` is set (or `has_more: true`) says more pages follow. The
//! token is opaque, so which page it leads to cannot be checked; but a complete set of pages
//! always ends with a page without one, so a set of pages with no last page, or fewer users
//! than a declared total, is a partial snapshot.

use super::{UsersSnapshot, api::Paging};
use serde::Serialize;
use std::collections::HashMap;

/// A user that two snapshot files both describe, counted once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    /// `file:line` (or `file user #n`) of the copy kept.
    pub kept: String,
    /// The copy dropped.
    pub dropped: String,
    /// What they share: `id kp_…`, `provided_id …` or `email …`.
    pub shared: String,
}

/// How to fetch every page, for the incomplete-snapshot message.
pub const FETCH_ALL_PAGES: &str = "fetch every page with the Kinde Management API: \
GET /api/v1/users?expand=organizations,identities&page_size=500, then repeat the call with \
&next_token=<the next_token of the previous page> until a page has no next_token, and pass all \
the pages (concatenated in one file, or as several --users files)";

/// Why the API pages read do not cover the whole tenant, or `None` when they may.
pub(super) fn incomplete(files: &[(String, Paging)]) -> Option<String> {
    let pages: u64 = files.iter().map(|(_, p)| p.pages).sum();
    let last_pages: u64 = files.iter().map(|(_, p)| p.last_pages).sum();
    let users: u64 = files.iter().map(|(_, p)| p.users).sum();
    if pages > 0 && last_pages == 0 {
        let (file, page, token) = files
            .iter()
            .rev()
            .find_map(|(f, p)| p.last_open.as_ref().map(|(n, t)| (f, *n, t)))?;
        let said = match token {
            Some(t) => format!("next_token \"{}\"", crate::identity::terminal_safe(t)),
            None => "has_more: true".to_string(),
        };
        return Some(format!(
            "{file}: page {page} has {said}, so more users exist on pages that were not read \
             ({users} users in {pages} page(s), none of them the last page)"
        ));
    }
    let declared = files
        .iter()
        .filter_map(|(f, p)| p.declared_total.map(|t| (f, t)))
        .max_by_key(|(_, t)| *t)?;
    (declared.1 > users).then(|| {
        format!(
            "{}: the response declares {} users but the pages hold {users}",
            declared.0, declared.1
        )
    })
}

/// Drops users that another snapshot file already describes (same Kinde id; or, for an import
/// CSV row, which has no Kinde id, the same provided_id or exact email), keeping the copy with a
/// Kinde id, else the first. Users repeated within one file are left alone. Linear time.
pub(super) fn drop_cross_file_duplicates(s: &mut UsersSnapshot) {
    let users = &s.users;
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_pid: HashMap<&str, usize> = HashMap::new();
    let mut by_email: HashMap<&str, usize> = HashMap::new();
    for (i, u) in users.iter().enumerate() {
        if let Some(id) = u.id.as_deref() {
            by_id.entry(id).or_insert(i);
            if let Some(p) = u.provided_id.as_deref() {
                by_pid.entry(p).or_insert(i);
            }
            if let Some(e) = u.email.as_deref() {
                by_email.entry(e).or_insert(i);
            }
        }
    }
    let mut import_pid: HashMap<&str, usize> = HashMap::new();
    let mut import_email: HashMap<&str, usize> = HashMap::new();
    let mut drop = vec![false; users.len()];
    let mut found = Vec::new();
    let other_file =
        |i: usize, j: Option<&usize>| j.copied().filter(|&j| users[j].file != users[i].file);
    for (i, u) in users.iter().enumerate() {
        let pid = u.provided_id.as_deref();
        let email = u.email.as_deref();
        let hit = match u.id.as_deref() {
            Some(id) => other_file(i, by_id.get(id)).map(|j| (j, format!("id {id}"))),
            None => {
                let kinde = pid
                    .and_then(|p| {
                        other_file(i, by_pid.get(p)).map(|j| (j, format!("provided_id {p}")))
                    })
                    .or_else(|| {
                        email.and_then(|e| {
                            other_file(i, by_email.get(e)).map(|j| (j, format!("email {e}")))
                        })
                    });
                let imported = || {
                    pid.and_then(|p| {
                        other_file(i, import_pid.get(p)).map(|j| (j, format!("provided_id {p}")))
                    })
                    .or_else(|| {
                        email.and_then(|e| {
                            other_file(i, import_email.get(e)).map(|j| (j, format!("email {e}")))
                        })
                    })
                };
                kinde.or_else(imported)
            }
        };
        match hit {
            Some((kept, shared)) => {
                drop[i] = true;
                found.push((kept, i, shared));
            }
            None if u.id.is_none() => {
                if let Some(p) = pid {
                    import_pid.entry(p).or_insert(i);
                }
                if let Some(e) = email {
                    import_email.entry(e).or_insert(i);
                }
            }
            None => {}
        }
    }
    let dups: Vec<Duplicate> = found
        .into_iter()
        .map(|(kept, dropped, shared)| Duplicate {
            kept: s.source_of(&s.users[kept]),
            dropped: s.source_of(&s.users[dropped]),
            shared,
        })
        .collect();
    if dups.is_empty() {
        return;
    }
    let mut i = 0;
    s.users.retain(|_| {
        i += 1;
        !drop[i - 1]
    });
    s.duplicates.extend(dups);
}
