//! The event filters `logs` applies before counting.

use super::event::Event;
use crate::time::Millis;

/// `--since`, `--until`, `--app`, `--user`. App and user match case-insensitive substrings.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub since: Option<Millis>,
    pub until: Option<Millis>,
    /// Lowercased.
    pub app: Option<String>,
    /// Lowercased.
    pub user: Option<String>,
}

fn contains_ci(haystack: Option<&str>, needle: &str) -> bool {
    haystack.is_some_and(|h| h.to_lowercase().contains(needle))
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.since.is_none() && self.until.is_none() && self.app.is_none() && self.user.is_none()
    }

    /// True when the event passes every filter; events without a time fail time filters.
    pub fn accepts(&self, e: &Event<'_>) -> bool {
        if self.since.is_some() || self.until.is_some() {
            let Some(t) = e.time else { return false };
            if self.since.is_some_and(|s| t < s) || self.until.is_some_and(|u| t >= u) {
                return false;
            }
        }
        let app_ok = self
            .app
            .as_ref()
            .is_none_or(|a| contains_ci(e.app.as_deref(), a));
        let user_ok = self
            .user
            .as_ref()
            .is_none_or(|u| contains_ci(e.user.as_deref(), u));
        app_ok && user_ok
    }
}
