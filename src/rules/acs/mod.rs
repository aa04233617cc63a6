//! Rules about where the Response was sent: `Destination`, bearer `Recipient`, and Kinde's ACS URL.

mod destination_mismatch;
mod destination_missing;
mod destination_recipient_disagree;
mod recipient_mismatch;
mod recipient_missing;

use super::Rule;
use crate::finding::Evidence;
use crate::rules::util::url_differences;
use crate::settings::Sourced;

pub(super) const RULES: &[&dyn Rule] = &[
    &destination_mismatch::DestinationMismatch,
    &recipient_mismatch::RecipientMismatch,
    &destination_recipient_disagree::DestinationRecipientDisagree,
    &recipient_missing::RecipientMissing,
    &destination_missing::DestinationMissing,
];

/// Evidence for a URL compared with the configured ACS URL, with the near-miss explanation.
fn acs_evidence(acs: &Sourced<String>, received: Evidence) -> (Vec<Evidence>, String) {
    let diffs = url_differences(&acs.value, &received.value);
    let why = diffs.join("; ");
    let evidence = vec![
        received,
        Evidence::new("configured ACS URL", acs.value.clone(), acs.source.clone()),
        Evidence::new("difference", why.clone(), "comparison"),
    ];
    (evidence, why)
}

const ACS_FIX: &str = "In the IdP's application, set the Reply URL / ACS URL / Single sign-on URL to exactly the ACS URL Kinde shows for this connection (Settings > Authentication > Enterprise connections > Configure), character for character; if you use a custom domain in Kinde, tick \"Use custom domain instead\" and copy that URL.";
