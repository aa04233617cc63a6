//! SD502: the assertion's Conditions window has not started, or is empty.

use super::{clock_evidence, instant};
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::Message;
use crate::time::human_duration;

pub struct AssertionNotYetValid;

static META: RuleMeta = RuleMeta {
    code: "SD502",
    name: "assertion-not-yet-valid",
    severity: Severity::Error,
    weight: 74,
    needs: &[Need::Clock],
    summary: "The assertion's Conditions NotBefore is still in the future (or the window is empty)",
    docs: r#"# SD502 assertion-not-yet-valid

`Conditions@NotBefore` is the instant the assertion becomes valid. If it is later than now plus the
allowed skew, the IdP's clock runs ahead of the SP's, and the SP rejects the assertion as "not yet
valid". Some IdPs (AD FS) offer a "NotBeforeSkew" setting for this. A window whose NotBefore is not
before its NotOnOrAfter can never be valid and is flagged too.

## Fix
Synchronise the IdP server's clock (NTP). On AD FS, `Set-AdfsRelyingPartyTrust -NotBeforeSkew 2`
backdates NotBefore by two minutes.
"#,
};

impl Rule for AssertionNotYetValid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(now) = ctx.now else { return };
        for a in &msg.assertions {
            let Some(c) = &a.conditions else { continue };
            let Some(start) = &c.not_before else { continue };
            let Some(t) = instant(start) else { continue };
            if let Some(end) = c
                .not_on_or_after
                .as_ref()
                .filter(|e| instant(e).is_some_and(|e| e <= t))
            {
                out.push(finding(
                    &META,
                    "The assertion's validity window is empty: NotBefore is not before NotOnOrAfter",
                    vec![start.evidence("Conditions NotBefore"), end.evidence("Conditions NotOnOrAfter")],
                    "Fix the IdP's assertion lifetime settings so NotOnOrAfter comes after NotBefore.",
                ));
                continue;
            }
            if t <= now + ctx.skew_millis() {
                continue;
            }
            let mut evidence = vec![start.evidence("Conditions NotBefore")];
            evidence.extend(clock_evidence(ctx, now));
            out.push(finding(
                &META,
                format!("The assertion is not valid for another {}: the IdP's clock is ahead", human_duration(t - now)),
                evidence,
                "Synchronise the IdP server's clock with NTP (on AD FS, NotBeforeSkew can backdate NotBefore).",
            ));
        }
    }
}
