//! SD105: an assertion without Conditions.

use crate::finding::{Finding, Severity};
use crate::rules::{Context, Rule, RuleMeta, finding};
use crate::saml::Message;

pub struct ConditionsMissing;

static META: RuleMeta = RuleMeta {
    code: "SD105",
    name: "conditions-missing",
    severity: Severity::Warning,
    weight: 45,
    needs: &[],
    summary: "An assertion has no Conditions (no validity window, no audience)",
    docs: r#"# SD105 conditions-missing

`Conditions` carries the assertion's validity window (`NotBefore`, `NotOnOrAfter`) and its
`AudienceRestriction`. The Web SSO profile requires an AudienceRestriction naming the SP, and strict
SP libraries (python3-saml in strict mode) reject an assertion without Conditions. Without it the
assertion could be replayed to any SP at any time.

## Fix
Configure the IdP to include Conditions with an AudienceRestriction holding Kinde's Entity ID. All
mainstream IdPs do this by default, so a missing element often means a hand-built or truncated
response.
"#,
};

impl Rule for ConditionsMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context, msg: &Message, out: &mut Vec<Finding>) {
        for a in msg.assertions.iter().filter(|a| a.conditions.is_none()) {
            out.push(finding(
                &META,
                "The assertion has no Conditions: no validity window and no audience restriction",
                vec![a.evidence()],
                "Configure the IdP to include Conditions with NotBefore/NotOnOrAfter and an AudienceRestriction for Kinde's Entity ID.",
            ));
        }
    }
}
