//! Rules about the Response's `Status`.

mod status_not_success;

use super::Rule;

pub(super) const RULES: &[&dyn Rule] = &[&status_not_success::StatusNotSuccess];
