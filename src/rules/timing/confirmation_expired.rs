//! SD503: the bearer confirmation's NotOnOrAfter has passed.

use super::{clock_evidence, instant, old_capture_hint};
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::Message;
use crate::time::human_duration;

pub struct ConfirmationExpired;

static META: RuleMeta = RuleMeta {
    code: "SD503",
    name: "confirmation-expired",
    severity: Severity::Error,
    weight: 77,
    needs: &[Need::Clock],
    summary: "The bearer SubjectConfirmationData NotOnOrAfter has passed",
    docs: r#"# SD503 confirmation-expired

The bearer `SubjectConfirmationData@NotOnOrAfter` limits how long the browser may take to present
the assertion to the SP, typically five minutes after issue (profiles §4.1.4.3). Once it has passed
(plus the allowed skew) the SP must reject the assertion, even if the Conditions window is still
open. The usual causes are a slow redirect chain, a user who left the IdP page open, a replayed
POST, or an IdP clock that runs behind.

## Fix
Sign in again promptly. If every attempt fails, compare the IdP's clock with real time (NTP). When
analysing an old capture, pass `--now` with the capture time.
"#,
};

impl Rule for ConfirmationExpired {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(now) = ctx.now else { return };
        for data in crate::rules::confirmation::judged(ctx, msg) {
            let Some(end) = &data.not_on_or_after else {
                continue;
            };
            let Some(t) = instant(end) else { continue };
            if now < t + ctx.skew_millis() {
                continue;
            }
            let mut evidence = vec![end.evidence("SubjectConfirmationData NotOnOrAfter")];
            evidence.extend(clock_evidence(ctx, now));
            out.push(finding(
                &META,
                format!(
                    "The subject confirmation expired {} before now",
                    human_duration(now - t)
                ),
                evidence,
                format!(
                    "Sign in again promptly; if it keeps failing, check the IdP's clock (NTP).{}",
                    old_capture_hint(msg, now)
                ),
            ));
        }
    }
}
