//! SD501: the assertion's Conditions window has ended.

use super::{clock_evidence, instant, old_capture_hint};
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::Message;
use crate::time::human_duration;

pub struct AssertionExpired;

static META: RuleMeta = RuleMeta {
    code: "SD501",
    name: "assertion-expired",
    severity: Severity::Error,
    weight: 76,
    needs: &[Need::Clock],
    summary: "The assertion's Conditions NotOnOrAfter has passed",
    docs: r#"# SD501 assertion-expired

`Conditions@NotOnOrAfter` is the instant the assertion stops being valid (SAML core §2.5.1.2); at or
after it, plus the allowed clock skew, the SP must reject it. Causes: the browser took too long to
post it (a slow or interrupted redirect, a user leaving the tab), a back-button replay, a too-short
validity at the IdP, or clocks out of sync (the IdP's clock behind). The skew comes from
`clock_skew_seconds` (default 180 s); the clock is `--now` or the system clock read once.

## Fix
Sign in again. If it keeps failing, compare the IdP server's clock with real time (NTP), and
lengthen the assertion validity at the IdP if it is unusually short. When analysing an old capture,
pass `--now` with the capture time.
"#,
};

impl Rule for AssertionExpired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(now) = ctx.now else { return };
        for a in &msg.assertions {
            let Some(end) = a
                .conditions
                .as_ref()
                .and_then(|c| c.not_on_or_after.as_ref())
            else {
                continue;
            };
            let Some(t) = instant(end) else { continue };
            if now < t + ctx.skew_millis() {
                continue;
            }
            let mut evidence = vec![end.evidence("Conditions NotOnOrAfter")];
            evidence.extend(clock_evidence(ctx, now));
            out.push(finding(
                &META,
                format!("The assertion expired {} before now", human_duration(now - t)),
                evidence,
                format!("Sign in again; if it keeps failing, check the IdP server's clock (NTP) and the assertion lifetime.{}", old_capture_hint(msg, now)),
            ));
        }
    }
}
