//! SD504: the message was issued in the future, or long ago.

use super::{clock_evidence, instant};
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Need, Rule, RuleMeta, finding};
use crate::saml::Message;
use crate::time::{self, human_duration};

pub struct IssueInstantSkew;

/// Older than this, a message is stale: IdPs issue responses seconds before the browser posts them.
const STALE_AFTER_MILLIS: i64 = 3_600_000;

static META: RuleMeta = RuleMeta {
    code: "SD504",
    name: "issue-instant-skew",
    severity: Severity::Warning,
    weight: 65,
    needs: &[Need::Clock],
    summary: "IssueInstant is in the future or more than an hour in the past",
    docs: r#"# SD504 issue-instant-skew

`IssueInstant` on the Response and the assertion says when the IdP created them. In the future
(beyond the allowed skew) means the IdP's clock runs ahead, which also breaks NotBefore checks. More
than an hour in the past means the message is being replayed, was held up, or you are analysing an
old capture. SP libraries commonly allow about 3–5 minutes of drift (SAML errata E92).

## Fix
Synchronise the IdP's clock (NTP). For an old capture, pass `--now` with the capture time so the
timing checks judge it as of then.
"#,
};

impl Rule for IssueInstantSkew {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        let Some(now) = ctx.now else { return };
        let instants = msg.issue_instant.iter().map(|v| ("IssueInstant", v)).chain(
            msg.assertions
                .iter()
                .filter_map(|a| a.issue_instant.as_ref())
                .map(|v| ("Assertion IssueInstant", v)),
        );
        for (label, v) in instants {
            let Some(t) = instant(v) else { continue };
            let (message, fix) = if t > now + ctx.skew_millis() {
                (
                    format!(
                        "{label} is {} in the future: the IdP's clock is ahead",
                        human_duration(t - now)
                    ),
                    "Synchronise the IdP server's clock with NTP.".to_string(),
                )
            } else if now - t > STALE_AFTER_MILLIS + ctx.skew_millis() {
                (
                    format!(
                        "{label} is {} old: a replayed or held-up message, or an old capture",
                        human_duration(now - t)
                    ),
                    format!(
                        "Sign in again for a fresh response; to judge this capture as of its time, pass --now {}.",
                        time::format(t)
                    ),
                )
            } else {
                continue;
            };
            let mut evidence = vec![v.evidence(label)];
            evidence.extend(clock_evidence(ctx, now));
            out.push(finding(&META, message, evidence, fix));
        }
    }
}
