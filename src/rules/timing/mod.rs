//! Rules about time: validity windows and issue instants against the clock passed in (`--now`),
//! allowing the configured skew. Durations are said in words ("expired 3 h 12 min before now").

mod assertion_expired;
mod assertion_not_yet_valid;
mod confirmation_expired;
mod confirmation_not_yet_valid;
mod issue_instant_skew;
mod timestamp_invalid;

use super::{Context, Rule};
use crate::finding::Evidence;
use crate::saml::{Located, Message};
use crate::time::{self, Millis};

pub(super) const RULES: &[&dyn Rule] = &[
    &assertion_expired::AssertionExpired,
    &assertion_not_yet_valid::AssertionNotYetValid,
    &confirmation_expired::ConfirmationExpired,
    &confirmation_not_yet_valid::ConfirmationNotYetValid,
    &issue_instant_skew::IssueInstantSkew,
    &timestamp_invalid::TimestampInvalid,
];

/// A parsed instant next to the value it came from.
pub(crate) fn instant(v: &Located<String>) -> Option<Millis> {
    time::parse_millis(&v.value)
}

/// Evidence for the clock and the skew allowed.
pub(crate) fn clock_evidence(ctx: &Context, now: Millis) -> Vec<Evidence> {
    vec![
        Evidence::new("now", time::format(now), ctx.now_source),
        Evidence::new(
            "clock skew allowed",
            format!("{} s", ctx.settings.clock_skew_seconds),
            "settings clock_skew_seconds",
        ),
    ]
}

/// A hint added to timing fixes when the message is much older than the clock: the user is
/// probably analysing an old capture.
pub(crate) fn old_capture_hint(msg: &Message, now: Millis) -> String {
    let issued = msg.issue_instant.as_ref().and_then(instant);
    match issued {
        Some(t) if now - t > 6 * 3_600_000 => format!(
            " If this is an old capture, analyse it as of its time with --now {} to see only the other problems.",
            time::format(t)
        ),
        _ => String::new(),
    }
}

/// Every timestamp attribute in the message with a label, for the format check.
pub(crate) fn all_instants(msg: &Message) -> Vec<(&'static str, &Located<String>)> {
    let mut out: Vec<(&'static str, &Located<String>)> = Vec::new();
    out.extend(msg.issue_instant.iter().map(|v| ("IssueInstant", v)));
    for a in &msg.assertions {
        out.extend(
            a.issue_instant
                .iter()
                .map(|v| ("Assertion IssueInstant", v)),
        );
        if let Some(c) = &a.conditions {
            out.extend(c.not_before.iter().map(|v| ("Conditions NotBefore", v)));
            out.extend(
                c.not_on_or_after
                    .iter()
                    .map(|v| ("Conditions NotOnOrAfter", v)),
            );
        }
        for s in &a.authn_statements {
            out.extend(s.authn_instant.iter().map(|v| ("AuthnInstant", v)));
            out.extend(
                s.session_not_on_or_after
                    .iter()
                    .map(|v| ("SessionNotOnOrAfter", v)),
            );
        }
    }
    for d in msg.bearer_data() {
        out.extend(
            d.not_before
                .iter()
                .map(|v| ("SubjectConfirmationData NotBefore", v)),
        );
        out.extend(
            d.not_on_or_after
                .iter()
                .map(|v| ("SubjectConfirmationData NotOnOrAfter", v)),
        );
    }
    out
}
