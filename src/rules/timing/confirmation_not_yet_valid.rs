//! SD506: the bearer SubjectConfirmationData NotBefore is in the future.

use super::{clock_evidence, instant};
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::Message;
use crate::time::human_duration;

pub struct ConfirmationNotYetValid;

static META: RuleMeta = RuleMeta {
    code: "SD506",
    name: "confirmation-not-yet-valid",
    severity: Severity::Error,
    weight: 76,
    needs: &[Need::Clock],
    summary: "The bearer SubjectConfirmationData NotBefore is still in the future",
    docs: r#"# SD506 confirmation-not-yet-valid

`SubjectConfirmationData@NotBefore` (core §2.4.1.2) is the earliest time the subject may be
confirmed. The Web Browser SSO profile says a bearer `SubjectConfirmationData` MUST NOT carry it
(profiles §4.1.4.2; SD505 notes that), but when it does, SPs enforce it: python3-saml and ruby-saml
skip a confirmation whose NotBefore is after now plus the allowed skew and then fail with "A valid
SubjectConfirmation was not found", Shibboleth SP and Spring Security SAML reject the assertion, and
so does Kinde. It happens when the IdP's clock runs ahead, or a template computes NotBefore from the
wrong base time.

Only the confirmation that is judged counts: when another bearer confirmation of the assertion is
satisfied, the sign-in does not fail on this one (core §2.4.1.1).

## Fix
Check the IdP's clock (NTP). Remove NotBefore from the bearer confirmation in the IdP's template;
put the window start on `Conditions@NotBefore`.
"#,
};

impl Rule for ConfirmationNotYetValid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(now) = ctx.now else { return };
        for data in crate::rules::confirmation::judged(ctx, msg) {
            let Some(start) = &data.not_before else {
                continue;
            };
            let Some(t) = instant(start) else { continue };
            if t.saturating_sub(ctx.skew_millis()) <= now {
                continue;
            }
            let mut evidence = vec![start.evidence("SubjectConfirmationData NotBefore")];
            evidence.extend(clock_evidence(ctx, now));
            out.push(finding(
                &META,
                format!(
                    "The subject confirmation becomes valid only {} after now",
                    human_duration(t - now)
                ),
                evidence,
                "Check the IdP's clock (NTP) and remove NotBefore from the bearer SubjectConfirmationData.",
            ));
        }
    }
}
