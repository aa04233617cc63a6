//! SD505: a timestamp that is not a UTC xs:dateTime.

use super::all_instants;
use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;
use crate::time::{self, Zone};

pub struct TimestampInvalid;

static META: RuleMeta = RuleMeta {
    code: "SD505",
    name: "timestamp-invalid",
    severity: Severity::Warning,
    weight: 48,
    needs: &[],
    summary: "A timestamp is unreadable or not in UTC with a Z suffix",
    docs: r#"# SD505 timestamp-invalid

SAML requires every instant to be an xs:dateTime in UTC (core §1.3.3), written like
`2026-03-10T09:15:04Z`. A value that cannot be parsed makes the SP reject the message; one with an
offset (`+02:00`) or no zone at all is read differently by different libraries, which shifts the
validity window by hours. Bearer `SubjectConfirmationData` must also not carry `NotBefore` in Web
SSO (profiles §4.1.4.2); that is flagged here too.

## Fix
Configure the IdP (or the code that builds the response) to write UTC timestamps with a `Z`, and to
leave NotBefore off the bearer confirmation.
"#,
};

impl Rule for TimestampInvalid {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        for (label, v) in all_instants(msg) {
            let problem = match time::parse(&v.value) {
                None => "cannot be read as an xs:dateTime",
                Some(t) if t.zone == Zone::Offset => "has a time-zone offset instead of UTC `Z`",
                Some(t) if t.zone == Zone::None => "has no time zone (SAML means UTC; write `Z`)",
                Some(_) => continue,
            };
            out.push(finding(
                &META,
                format!("{label} {:?} {problem}", v.value),
                vec![v.evidence(label)],
                "Write SAML timestamps in UTC with a `Z` suffix, e.g. 2026-03-10T09:15:04Z.",
            ));
        }
        for d in crate::rules::confirmation::judged(ctx, msg) {
            if let Some(nb) = &d.not_before {
                out.push(finding(
                    &META,
                    "The bearer SubjectConfirmationData carries NotBefore, which Web SSO forbids",
                    vec![nb.evidence("SubjectConfirmationData NotBefore")],
                    "Leave NotBefore off the bearer SubjectConfirmationData; put the window start on Conditions.",
                ));
            }
        }
    }
}
