//! The custom import CSV (`email,id,first_name,…`): each row becomes a pre-provisioned user with
//! one email identity.

use super::{Identity, IdentityType, KindeUser};
use crate::provision::InputError;
use crate::provision::read::{LineCounter, csv_error, csv_reader, find_column};
use std::path::Path;

/// Reads the import CSV: each row becomes a pre-provisioned user with one email identity.
pub(super) fn read_import_csv(
    path: &Path,
    shown: &str,
    file: u16,
) -> Result<Vec<KindeUser>, InputError> {
    let mut reader = csv_reader(path, shown)?;
    let headers = reader.headers().map_err(|e| csv_error(shown, &e))?.clone();
    let email = find_column(&headers, &["email"]).ok_or_else(|| {
        InputError::new(
            shown,
            Some(1),
            "import CSV has no `email` column (Kinde's import requires it)",
        )
    })?;
    let id = find_column(&headers, &["id"]);
    let phone = find_column(&headers, &["phone"]);
    let mut users = Vec::new();
    let mut lines = LineCounter::open(path, shown)?;
    for row in reader.records() {
        let row = row.map_err(|e| csv_error(shown, &e))?;
        let line = lines.line_of(row.position());
        let cell = |i: Option<usize>| -> Option<Box<str>> {
            i.and_then(|i| row.get(i))
                .filter(|v| !v.is_empty())
                .map(Into::into)
        };
        let email = cell(Some(email));
        let identities = email
            .iter()
            .map(|e| Identity {
                kind: IdentityType::Email,
                value: e.clone(),
                connection_id: None,
            })
            .collect();
        users.push(KindeUser {
            provided_id: cell(id),
            phone: cell(phone),
            email,
            identities,
            file,
            position: line,
            ..KindeUser::default()
        });
    }
    Ok(users)
}
