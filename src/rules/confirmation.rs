//! Which bearer confirmations the rules judge.
//!
//! SAML core §2.4.1.1: an assertion's subject is confirmed when **any one** of its
//! `SubjectConfirmation`s is satisfied, and profiles §4.1.4.3 has the SP look for one bearer
//! confirmation whose data checks out. So when one bearer confirmation of an assertion is
//! satisfied (its `SubjectConfirmationData` has a `Recipient` equal to the configured ACS URL, a
//! `NotOnOrAfter` not yet passed, no `NotBefore` in the future, and an `InResponseTo` equal to
//! the Response's when both carry one), the rules judge only that one: a second, unused
//! confirmation is not a reason for the sign-in to fail. Otherwise every bearer confirmation is
//! judged, since the SP would reject each. Without an ACS URL or a clock, those parts of the test
//! are left out.

use super::Context;
use crate::saml::{Assertion, ConfirmationData, Message};
use crate::time;

/// True when `d` satisfies the bearer confirmation checks the context can make.
pub(crate) fn satisfied(ctx: &Context, msg: &Message, d: &ConfirmationData) -> bool {
    let Some(recipient) = &d.recipient else {
        return false;
    };
    if ctx
        .settings
        .acs_url
        .as_ref()
        .is_some_and(|acs| acs.value != recipient.value)
    {
        return false;
    }
    let Some(end) = d.not_on_or_after.as_ref() else {
        return false;
    };
    let skew = ctx.skew_millis();
    if let Some(now) = ctx.now {
        match time::parse_millis(&end.value) {
            Some(t) if now < t.saturating_add(skew) => {}
            _ => return false,
        }
        if let Some(nb) = &d.not_before
            && time::parse_millis(&nb.value).is_none_or(|t| t.saturating_sub(skew) > now)
        {
            return false;
        }
    }
    !matches!(
        (&msg.in_response_to, &d.in_response_to),
        (Some(o), Some(i)) if o.value != i.value
    )
}

/// The bearer `SubjectConfirmationData` of `a` to judge (see the module docs).
pub(crate) fn judged_in<'a>(
    ctx: &Context,
    msg: &Message,
    a: &'a Assertion,
) -> Vec<&'a ConfirmationData> {
    let all: Vec<&ConfirmationData> = a
        .subject
        .iter()
        .flat_map(|s| s.confirmations.iter())
        .filter(|c| c.is_bearer())
        .filter_map(|c| c.data.as_ref())
        .collect();
    match all.iter().find(|d| satisfied(ctx, msg, d)) {
        Some(one) => vec![*one],
        None => all,
    }
}

/// [`judged_in`] over every assertion, in document order.
pub(crate) fn judged<'a>(ctx: &Context, msg: &'a Message) -> Vec<&'a ConfirmationData> {
    msg.assertions
        .iter()
        .flat_map(|a| judged_in(ctx, msg, a))
        .collect()
}
