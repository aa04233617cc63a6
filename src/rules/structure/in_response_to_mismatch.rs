//! SD106: the Response does not answer the request it should.

use crate::finding::{Evidence, Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::{Message, MessageKind};

pub struct InResponseToMismatch;

/// Most AuthnRequest IDs listed as evidence for one mismatch; the rest are counted.
const MAX_LISTED: usize = 5;

/// `1795` → `1,795`.
fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

static META: RuleMeta = RuleMeta {
    code: "SD106",
    name: "in-response-to-mismatch",
    severity: Severity::Error,
    weight: 70,
    needs: &[],
    summary: "InResponseTo does not match the AuthnRequest ID (or disagrees inside the Response)",
    docs: r#"# SD106 in-response-to-mismatch

In SP-initiated sign-in Kinde sends an AuthnRequest with an `ID` and keeps it in the browser
session; the Response's `InResponseTo` and the bearer `SubjectConfirmationData@InResponseTo` must
both equal that ID (profiles §4.1.4.3). A mismatch means the Response answers another attempt: an
old tab, a second sign-in started in parallel, a lost session cookie, or a replay. It is also flagged
when the Response and its assertion name two different request IDs.

The request is only known when the input holds it too (a SAML-tracer export or HAR of the whole
flow, or several files); otherwise only the internal consistency is checked.

## Fix
Start the sign-in again from the application in a single tab, and make sure cookies for the Kinde
domain are not blocked. If the IdP caches responses, clear that.
"#,
};

impl Rule for InResponseToMismatch {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        if msg.kind != MessageKind::Response {
            return;
        }
        let outer = msg.in_response_to.as_ref();
        for data in crate::rules::confirmation::judged(ctx, msg) {
            if let (Some(o), Some(inner)) = (outer, data.in_response_to.as_ref())
                && o.value != inner.value
            {
                out.push(finding(
                        &META,
                        "The Response and its assertion answer two different requests",
                        vec![o.evidence("Response InResponseTo"), inner.evidence("SubjectConfirmationData InResponseTo")],
                        "The IdP must put the same AuthnRequest ID in both places; report this to the IdP vendor.",
                    ));
            }
        }
        let (Some(ids), Some(o)) = (&ctx.request_ids, outer) else {
            return;
        };
        if ids.binary_search(&o.value).is_ok() {
            return;
        }
        // A capture with N requests and N unmatched responses must not cost N² evidence items
        // (issue 22): list a few candidates and count the rest.
        let mut evidence = vec![o.evidence("Response InResponseTo")];
        evidence.extend(ids.iter().take(MAX_LISTED).map(|id| {
            Evidence::new(
                "AuthnRequest ID in the capture",
                id.clone(),
                "paired AuthnRequest",
            )
        }));
        if ids.len() > MAX_LISTED {
            evidence.push(Evidence::new(
                "AuthnRequest ID in the capture",
                format!("…and {} more", group_digits(ids.len() - MAX_LISTED)),
                "paired AuthnRequest",
            ));
        }
        out.push(finding(
            &META,
            format!("The Response answers request {}, which is not the AuthnRequest in the capture", o.value),
            evidence,
            "Start the sign-in again from the application in one tab, with cookies for the Kinde domain allowed; a stale or parallel attempt produced this Response.",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::group_digits;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(group_digits(7), "7");
        assert_eq!(group_digits(1795), "1,795");
        assert_eq!(group_digits(3_200_000), "3,200,000");
    }
}
